from otter.test_files import test_case

OK_FORMAT = False

name = "q1"
points = 4

@test_case(points=None, hidden=False)
def test_q1_uniform_guess(softmax_cross_entropy):
    import math
    import numpy as np
    loss, gradient = softmax_cross_entropy(np.zeros((2, 4)), np.array([0, 3]))
    assert math.isclose(loss, math.log(4), abs_tol=1e-09), f'equal logits over 4 classes give log 4; got {loss}'
    assert gradient.shape == (2, 4), f'gradient must have the shape of logits; got {gradient.shape}'
    assert math.isclose(gradient.tolist()[0][0], (0.25 - 1) / 2, abs_tol=1e-09), 'gradient[0, 0] is (p - 1) / N'

