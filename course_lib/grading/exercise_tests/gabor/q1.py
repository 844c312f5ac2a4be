from otter.test_files import test_case

OK_FORMAT = False

name = "q1"
points = 3

@test_case(points=None, hidden=False)
def test_q1_shape_and_centre(gabor_kernel):
    kernel = gabor_kernel(7, 2.0, 0.0, 4.0)
    assert kernel.shape == (7, 7), f'expected shape (7, 7); got {kernel.shape}'
    assert abs(kernel.tolist()[3][3] - 1.0) < 1e-12, 'the centre value is exp(0) * cos(0) = 1'

