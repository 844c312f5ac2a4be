from otter.test_files import test_case

OK_FORMAT = False

name = "q2"
points = 2

@test_case(points=None, hidden=False)
def test_q2_shape(gabor_bank):
    assert gabor_bank(5, 1.0, 3.0, 4).shape == (4, 5, 5)

