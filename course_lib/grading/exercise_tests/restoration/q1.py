from otter.test_files import test_case

OK_FORMAT = False

name = "q1"
points = 4

@test_case(points=None, hidden=False)
def test_q1_file():
    import numpy as np
    import numpy as np
    denoised = np.load('denoised.npy')
    assert denoised.shape == (12, 32, 32), f'expected shape (12, 32, 32); got {denoised.shape}'
    assert float(denoised.min()) >= 0.0 and float(denoised.max()) <= 1.0, 'values must be in [0, 1]'

