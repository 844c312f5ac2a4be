from otter.test_files import test_case

OK_FORMAT = False

name = "q1"
points = 3

@test_case(points=None, hidden=False)
def test_q1_standardises(batchnorm_forward):
    import numpy as np
    x = np.array([[1.0, 10.0], [3.0, 20.0], [5.0, 60.0]])
    y, _ = batchnorm_forward(x, np.ones(2), np.zeros(2))
    assert y.shape == (3, 2), f'y must have the shape of x; got {y.shape}'
    assert abs(y[:, 0].tolist()[0] + 1.2247) < 0.001, 'column 0 should become [-1.22, 0, 1.22]'

