"""Graded exercise segmentation: the public checks recognise the typical mistakes."""

import numpy as np

from course_lib import checks


def _iou(y_true, y_pred, num_classes):
    y_true, y_pred = np.ravel(y_true), np.ravel(y_pred)
    return np.array([np.sum((y_true == c) & (y_pred == c)) / np.sum((y_true == c) | (y_pred == c))
                     for c in range(num_classes)])


def _scores(score):
    def per_class(t, p, n):
        t, p = np.ravel(t), np.ravel(p)
        return np.array([score(np.sum((t == c) & (p == c)), np.sum(t == c), np.sum(p == c)) for c in range(n)])
    return per_class


def test_iou_mistakes_are_recognised(assert_function_exercise):
    assert_function_exercise("segmentation.q1", _iou, {
        "dice": _scores(lambda both, true, pred: 2 * both / (true + pred)),
        "recall": _scores(lambda both, true, pred: both / true if true else 0.0),
        "sum_not_union": _scores(lambda both, true, pred: both / (true + pred)),
    })


def test_the_balanced_error_rate_shares_chapter_8s_diagnoses():
    assert checks.get_exercise("segmentation.q2").mistakes == checks.get_exercise("8.2").mistakes
    feedback = checks.check("segmentation.q2", lambda t, p: 1 - float(np.mean(np.asarray(t) == np.asarray(p))))
    assert feedback.message.endswith("so each class weighs the same.")
