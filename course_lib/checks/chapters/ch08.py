"""Chapter 8 (segmentation): the exercises' keys and typical mistakes."""

from __future__ import annotations

import numpy as np

from course_lib import metrics
from course_lib.checks.functions import FunctionExercise
from course_lib.checks.registry import ContextExercise, register
from course_lib.checks.values import ValueExercise

# BEGIN KEYS (written by `python -m course_lib.checks write-key`; do not edit by hand)
KEYS = {
    "8.1": {
        "answer": {"hash": "858dc7c160670dd3041608b97114f513ca8bee3fcd22e2f655782beb176c3468", "offset": [0.0], "shape": []},
        "mistakes": {
            "dice": {"hash": "c2a69df1c7d8250cb98d98d5ba78e00434a926d1b966c3a9c4cb52a970bb2473", "offset": [-0.333333], "shape": []},
            "precision": {"hash": "7fcca539a28792e525478a6ce28721406cdcd9551f2743790d3622789843f411", "offset": [0.0], "shape": []},
            "class_1": {"hash": "ba8b925bdbd03a92c2b47e6a0366e7976b065af2d0b75cbcf0d433ff777df228", "offset": [0.0], "shape": []},
        },
    },
}
# END KEYS

register(ValueExercise(
    exercise_id="8.1",
    kind="numbers",
    tolerance=1e-3,
    hint="Read class 2's row (true pixels) and column (predicted pixels): TP on the diagonal, FN in the rest of "
         "the row, FP in the rest of the column; IoU = TP / (TP + FP + FN).",
    explanation="The IoU counts both kinds of error against the overlap.",
    mistakes={
        "dice": "That is the Dice score, 2 TP / (2 TP + FP + FN); the IoU counts TP once: TP / (TP + FP + FN).",
        "precision": "That is TP / (TP + FP): the pixels of class 2 that were missed (FN) count against the IoU "
                     "too.",
        "class_1": "That is the IoU of class 1; the exercise asks for class 2 (rows and columns start at 0).",
    },
    key=KEYS.get("8.1"),
))


def label_map_cases() -> list[tuple]:
    """Random 3-class maps, an all-background prediction, a predicted class absent from the truth, the tiny maps."""
    rng = np.random.default_rng(8)
    truth = rng.choice(3, size=(2, 9, 9), p=[0.7, 0.2, 0.1])
    noisy = np.where(rng.random(truth.shape) < 0.3, rng.integers(0, 3, size=truth.shape), truth)
    y_true = np.array([[0, 0, 0, 0, 0, 0], [0, 1, 1, 0, 0, 0], [0, 1, 1, 0, 2, 2], [0, 0, 0, 0, 2, 2]])
    y_pred = np.array([[0, 0, 0, 0, 0, 0], [0, 1, 1, 1, 0, 0], [0, 0, 1, 0, 2, 0], [0, 0, 0, 0, 2, 0]])
    return [(truth, noisy), (truth, np.zeros_like(truth)), (np.zeros((4, 4), dtype=int), np.eye(4, dtype=int)),
            (y_true, y_pred)]


def _recalls(y_true, y_pred, classes):
    y_true, y_pred = np.asarray(y_true).ravel(), np.asarray(y_pred).ravel()
    return [np.mean(y_pred[y_true == c] == c) if np.any(y_true == c) else 0.0 for c in classes]


def _all_classes(y_true, y_pred):
    return 1.0 - float(np.mean(_recalls(y_true, y_pred, np.union1d(np.unique(y_true), np.unique(y_pred)))))


def _pixel_error(y_true, y_pred):
    return 1.0 - float(np.mean(np.asarray(y_true) == np.asarray(y_pred)))


def _mean_recall(y_true, y_pred):
    return float(np.mean(_recalls(y_true, y_pred, np.unique(y_true))))


BER_HINT = ("For each class present in y_true: the fraction of its pixels predicted as that class; then one minus "
            "their mean.")
BER_MISTAKES = {
    "all_classes": (_all_classes, "A class predicted but absent from y_true has no recall: average over the classes "
                                  "present in y_true only."),
    "pixel_error": (_pixel_error, "That is the pixel error rate, dominated by the largest class: average the "
                                  "per-class recalls instead, so each class weighs the same."),
    "mean_recall": (_mean_recall, "That is the mean recall (the balanced accuracy); the error rate is one minus it."),
}

register(FunctionExercise(exercise_id="8.2", hint=BER_HINT, reference=metrics.balanced_error_rate,
                          cases=label_map_cases, mistakes=BER_MISTAKES))


def _most_missed(confusion, class_names, *, normalise=True, transpose=False):
    confusion = np.asarray(confusion, dtype=float)
    if transpose:
        confusion = confusion.T
    missed = confusion[1:, 0] / (confusion[1:].sum(axis=1) if normalise else 1.0)
    return str(class_names[1 + int(np.argmax(missed))]).lower()


def confusion_rule(answer, confusion, class_names) -> str | None:
    """``None`` when ``answer`` names the texture most often labelled background (as a fraction of its pixels).

    Examples
    --------
    >>> confusion = [[50, 1, 1], [30, 70, 0], [5, 0, 5]]
    >>> confusion_rule("b", confusion, ("bg", "a", "b")) is None
    True
    >>> confusion_rule("a", confusion, ("bg", "a", "b"))[:48]
    'That class has the most background pixels in abs'
    """
    names = [str(name).lower() for name in class_names]
    if not isinstance(answer, str) or answer.strip().lower() not in names[1:]:
        textures = ", ".join(f'"{name}"' for name in names[1:])
        return f"Answer with the name of one texture class: {textures}."
    answer = answer.strip().lower()
    if answer == _most_missed(confusion, names):
        return None
    if answer == _most_missed(confusion, names, normalise=False):
        return ("That class has the most background pixels in absolute terms, but it is also the largest class: "
                "divide column 0 by each row's total to compare fractions.")
    if answer == _most_missed(confusion, names, transpose=True):
        return ("That reads column c of row 0: background pixels predicted as that class. Rows are the true "
                "class, so read column 0 of each texture's row.")
    return "Row c is the true class c: compare, for each texture row, the fraction of its pixels in column 0."


register(ContextExercise(
    exercise_id="8.3",
    hint="Row c is the true class c: compare, for each texture row, the fraction of its pixels in column 0.",
    explanation="Compare the fraction of each row that falls in column 0.",
    context=("confusion", "class_names"),
    rule=confusion_rule,
))
