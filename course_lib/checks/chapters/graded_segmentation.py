"""Graded exercise ``segmentation``: the diagnoses its public tests share with the student's ``grader.check``."""

from __future__ import annotations

import numpy as np

from course_lib import metrics
from course_lib.checks.chapters import ch08
from course_lib.checks.functions import FunctionExercise
from course_lib.checks.registry import register


def iou_cases() -> list[tuple]:
    """Random 4-class maps (fixed rng) and small maps; every class is in the truth or the prediction."""
    rng = np.random.default_rng(11)
    truth = rng.integers(0, 4, size=(10, 20))
    guess = np.where(rng.random(truth.shape) < 0.6, truth, rng.integers(0, 4, size=truth.shape))
    return [(truth, guess, 4), (np.array([[0, 0, 1], [0, 1, 1]]), np.array([[0, 1, 1], [0, 0, 1]]), 2),
            (np.array([0, 0, 0, 0]), np.array([0, 0, 1, 1]), 2)]


def _per_class(y_true, y_pred, num_classes, score):
    y_true, y_pred = np.asarray(y_true).ravel(), np.asarray(y_pred).ravel()
    return np.array([score(np.sum((y_true == c) & (y_pred == c)), np.sum(y_true == c), np.sum(y_pred == c))
                     for c in range(num_classes)])


register(FunctionExercise(
    exercise_id="segmentation.q1",
    hint="For each class c: the pixels that are c in both maps, divided by the pixels that are c in either map.",
    reference=lambda y_true, y_pred, num_classes: metrics.iou_per_class(y_true, y_pred, num_classes=num_classes),
    cases=iou_cases,
    mistakes={
        "dice": (lambda t, p, n: _per_class(t, p, n, lambda both, true, pred: 2 * both / (true + pred)),
                 "That is the Dice score, 2|A∩B| / (|A| + |B|); the IoU divides |A∩B| by the union |A∪B|."),
        "recall": (lambda t, p, n: _per_class(t, p, n, lambda both, true, pred: both / true if true else 0.0),
                   "That divides by the true pixels only (the recall); the union also counts the pixels wrongly "
                   "predicted as the class."),
        "sum_not_union": (lambda t, p, n: _per_class(t, p, n, lambda both, true, pred: both / (true + pred)),
                          "|A| + |B| counts the overlap twice: the union is |A| + |B| - |A∩B|."),
    },
))

register(FunctionExercise(exercise_id="segmentation.q2", hint=ch08.BER_HINT, reference=metrics.balanced_error_rate,
                          cases=ch08.label_map_cases, mistakes=ch08.BER_MISTAKES))
