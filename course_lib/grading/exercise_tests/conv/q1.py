from otter.test_files import test_case

OK_FORMAT = False

name = "q1"
points = 4

@test_case(points=None, hidden=False)
def test_q1_known_answer(correlate2d_loop):
    image = [[1.0, 2.0, 0.0], [0.0, 1.0, 3.0], [2.0, 0.0, 1.0]]
    kernel = [[1.0, 0.0], [0.0, -1.0]]
    result = correlate2d_loop(image, kernel)
    assert tuple(result.shape) == (2, 2), f'expected shape (2, 2), got {result.shape}'
    assert [[float(v) for v in row] for row in result.tolist()] == [[0.0, -1.0], [0.0, 0.0]], 'wrong values on the 3x3 example'

@test_case(points=None, hidden=False)
def test_q1_not_flipped(correlate2d_loop):
    image = [[0.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 0.0]]
    kernel = [[1.0, 2.0], [3.0, 4.0]]
    result = correlate2d_loop(image, kernel).tolist()
    assert result == [[4.0, 3.0], [2.0, 1.0]], 'did you flip the kernel? correlation does not flip'

