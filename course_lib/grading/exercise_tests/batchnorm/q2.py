from otter.test_files import test_case

OK_FORMAT = False

name = "q2"
points = 4

@test_case(points=None, hidden=False)
def test_q2_parameter_gradients(batchnorm_forward, batchnorm_backward):
    import numpy as np
    x = np.array([[1.0, 2.0], [3.0, 1.0], [2.0, 0.0]])
    dy = np.array([[1.0, 0.0], [2.0, 1.0], [3.0, -1.0]])
    _, cache = batchnorm_forward(x, np.ones(2), np.zeros(2))
    dx, dgamma, dbeta = batchnorm_backward(dy, cache)
    assert dx.shape == (3, 2), f'dx must have the shape of x; got {dx.shape}'
    assert dbeta.tolist() == [6.0, 0.0], 'dbeta is the sum of dy over the batch'

