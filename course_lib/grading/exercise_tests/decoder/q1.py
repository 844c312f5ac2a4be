from otter.test_files import test_case

OK_FORMAT = False

name = "q1"
points = 2

@test_case(points=None, hidden=False)
def test_q1_examples(transpose_output_size):
    assert transpose_output_size(7, 3, 2, 'same') == 14
    assert transpose_output_size(7, 3, 2, 'valid') == 15

