from otter.test_files import test_case

OK_FORMAT = False

name = "q1"
points = 4

@test_case(points=None, hidden=False)
def test_q1_small_map(iou_per_class, mean_iou):
    import numpy as np
    y_true = np.array([[0, 0, 1], [0, 1, 1]])
    y_pred = np.array([[0, 1, 1], [0, 0, 1]])
    iou = np.asarray(iou_per_class(y_true, y_pred, 2), dtype=float)
    assert iou.shape == (2,), f'one IoU per class expected; got shape {iou.shape}'
    assert np.allclose(iou, [0.5, 0.5]), f'class 0: 2 / (2 + 1 + 1) = 0.5; got {iou}'
    assert abs(mean_iou(y_true, y_pred, 2) - 0.5) < 1e-09

