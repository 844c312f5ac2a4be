"""Chapter 8's exercises: the right answers pass, each typical mistake gets its diagnosis, nothing leaks."""

import numpy as np
import pytest

from course_lib import checks

NAMES = ("background", "brick", "grass", "gravel")
# grass: most background pixels in absolute terms; brick: the largest fraction of its row; gravel: the most
# background pixels predicted as it (column 3 of row 0)
CONFUSION = np.array([[1000, 10, 20, 300], [40, 60, 0, 0], [100, 0, 900, 0], [10, 0, 0, 90]])


def test_the_iou_exercise_diagnoses_its_mistakes(assert_value_exercise, assert_no_leak):
    assert_value_exercise("8.1", 0.5, {"dice": 2 / 3, "precision": 1.0, "class_1": 0.6})
    assert_no_leak("8.1", 0.5)


def _balanced_error_rate(y_true, y_pred):
    y_true, y_pred = np.asarray(y_true).ravel(), np.asarray(y_pred).ravel()
    return 1.0 - float(np.mean([np.mean(y_pred[y_true == c] == c) for c in np.unique(y_true)]))


def test_balanced_error_rate_mistakes_are_recognised(assert_function_exercise):
    def recalls(t, p, classes):
        t, p = np.ravel(t), np.ravel(p)
        return [np.mean(p[t == c] == c) if np.any(t == c) else 0.0 for c in classes]

    assert_function_exercise("8.2", _balanced_error_rate, {
        "all_classes": lambda t, p: 1 - float(np.mean(recalls(t, p, np.union1d(np.unique(t), np.unique(p))))),
        "pixel_error": lambda t, p: 1 - float(np.mean(np.asarray(t) == np.asarray(p))),
        "mean_recall": lambda t, p: float(np.mean(recalls(t, p, np.unique(t)))),
    })


@pytest.mark.parametrize("answer, diagnosis", [
    ("grass", "largest class"), ("gravel", "Rows are the true class"), ("background", "one texture class"),
    (3, "one texture class"),
])
def test_confusion_reading_mistakes_are_diagnosed(answer, diagnosis):
    feedback = checks.check("8.3", answer, confusion=CONFUSION, class_names=NAMES)
    assert not feedback.passed and diagnosis in feedback.message, feedback


def test_the_confusion_reading_passes_and_needs_its_context():
    assert checks.check("8.3", " Brick", confusion=CONFUSION, class_names=NAMES).passed
    with pytest.raises(ValueError, match="needs the context value"):
        checks.check("8.3", "brick", confusion=CONFUSION)
