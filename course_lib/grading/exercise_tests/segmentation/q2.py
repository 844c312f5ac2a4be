from otter.test_files import test_case

OK_FORMAT = False

name = "q2"
points = 4

@test_case(points=None, hidden=False)
def test_q2_background_everywhere(balanced_error_rate):
    import numpy as np
    y_true = np.zeros((10, 10), dtype=int)
    y_true[2:4, 2:4] = 1
    y_true[6:8, 6:8] = 2
    ber = balanced_error_rate(y_true, np.zeros_like(y_true))
    assert abs(ber - 2 / 3) < 1e-09, f'background found, classes 1 and 2 not: 1 - (1 + 0 + 0) / 3; got {ber}'

