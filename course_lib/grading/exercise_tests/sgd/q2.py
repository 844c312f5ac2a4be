from otter.test_files import test_case

OK_FORMAT = False

name = "q2"
points = 3

@test_case(points=None, hidden=False)
def test_q2_one_step(sgd_step):
    import numpy as np
    new = sgd_step(np.array([2.0, -1.0]), np.array([0.5, 0.5]), 0.1, 0.5)
    assert np.allclose(new, [1.85, -1.0]), f'expected [1.85, -1.0]; got {new}'

