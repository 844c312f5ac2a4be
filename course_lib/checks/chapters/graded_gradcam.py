"""Graded exercise ``gradcam``: the diagnoses its public tests share with the student's ``grader.check``."""

from __future__ import annotations

import numpy as np

from course_lib.checks.functions import FunctionExercise
from course_lib.checks.registry import register


def grad_cam(feature_maps, gradients, *, relu=True, normalise=True, average=True):
    """The reference heatmap (H, W) in [0, 1], with the typical mistakes as options.

    Examples
    --------
    >>> grad_cam(np.ones((1, 2, 2)), np.array([[[1.0, -0.5], [1.0, -0.5]]])).tolist()
    [[1.0, 1.0]]
    >>> grad_cam(np.ones((1, 2, 1)), -np.ones((1, 2, 1))).tolist()
    [[0.0, 0.0]]
    """
    feature_maps, gradients = np.asarray(feature_maps, dtype=float), np.asarray(gradients, dtype=float)
    if average:
        heatmap = np.tensordot(feature_maps, gradients.mean(axis=(0, 1)), axes=([2], [0]))
    else:
        heatmap = (feature_maps * gradients).sum(axis=2)
    heatmap = np.maximum(heatmap, 0.0) if relu else heatmap
    peak = np.abs(heatmap).max()
    return heatmap / peak if normalise and peak > 0 else heatmap


def gradcam_cases() -> list[tuple]:
    """The public example, random maps with gradients of both signs (fixed rng), and all-negative evidence."""
    rng = np.random.default_rng(12)
    return [(np.arange(24.0).reshape(2, 3, 4), np.ones((2, 3, 4))),
            (rng.uniform(0, 2, size=(4, 5, 3)), rng.uniform(-1, 1, size=(4, 5, 3))),
            (np.ones((3, 3, 2)), -np.ones((3, 3, 2)))]


register(FunctionExercise(
    exercise_id="gradcam.q1",
    hint="α_k is the mean of channel k's gradient over all positions; the heatmap is ReLU(Σ_k α_k A_k), divided by "
         "its maximum (all zeros if nothing is positive).",
    reference=grad_cam,
    cases=gradcam_cases,
    mistakes={
        "no_relu": (lambda a, g: grad_cam(a, g, relu=False),
                    "Your heatmap keeps negative evidence: apply a ReLU to the weighted sum before dividing."),
        "unnormalised": (lambda a, g: grad_cam(a, g, normalise=False),
                         "The heatmap is right up to scale: divide by its maximum so that the strongest point is 1."),
        "no_average": (lambda a, g: grad_cam(a, g, average=False),
                       "That weights each position by its own gradient; Grad-CAM first averages each channel's "
                       "gradient over all positions into one weight α_k."),
    },
))
