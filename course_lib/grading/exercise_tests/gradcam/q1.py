from otter.test_files import test_case

OK_FORMAT = False

name = "q1"
points = 4

@test_case(points=None, hidden=False)
def test_q1_shape_and_range(grad_cam):
    import numpy as np
    feature_maps = np.arange(24.0).reshape(2, 3, 4)
    heatmap = grad_cam(feature_maps, np.ones((2, 3, 4)))
    assert heatmap.shape == (2, 3), f'expected shape (2, 3); got {heatmap.shape}'
    assert abs(float(heatmap.max()) - 1.0) < 1e-12, 'the heatmap is scaled so that its maximum is 1'

