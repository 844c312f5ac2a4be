"""Graded exercise gradcam: the public check recognises the typical mistakes."""

import numpy as np

from course_lib import checks


def _grad_cam(a, g):
    heatmap = np.maximum(np.tensordot(a, g.mean(axis=(0, 1)), axes=([2], [0])), 0.0)
    return heatmap / heatmap.max() if heatmap.max() > 0 else np.zeros_like(heatmap)


def test_grad_cam_mistakes_are_recognised(assert_function_exercise):
    assert_function_exercise("gradcam.q1", _grad_cam, {
        "no_relu": lambda a, g: (lambda h: h / np.abs(h).max())(np.tensordot(a, g.mean(axis=(0, 1)), axes=([2], [0]))),
        "unnormalised": lambda a, g: np.maximum(np.tensordot(a, g.mean(axis=(0, 1)), axes=([2], [0])), 0.0),
        "no_average": lambda a, g: (lambda h: h / h.max())(np.maximum((a * g).sum(axis=2), 0.0)),
    })


def test_a_heatmap_with_channels_left_is_a_shape_diagnosis():
    feedback = checks.check("gradcam.q1", lambda a, g: a * g)
    assert "your output has shape (2, 3, 4)" in feedback.message and "wrong shape: expected (2, 3)" in feedback.message
