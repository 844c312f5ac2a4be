"""Chapter 10's exercises: the right answers pass, each typical mistake gets its diagnosis, nothing leaks."""

import numpy as np

from course_lib import checks

ANSWERS = {"10.1": 49**2, "10.3": "b"}
MISTAKES = {
    "10.1": {"no_last": 48**2, "image_over_stride": 51**2, "one_axis": 49},
    "10.3": {"as_good": "a", "refuses": "c"},
}


def test_value_exercises_diagnose_their_mistakes(assert_value_exercise, assert_no_leak):
    for exercise_id, answer in ANSWERS.items():
        assert_value_exercise(exercise_id, answer, MISTAKES[exercise_id])
        assert_no_leak(exercise_id, answer)
    assert checks.check("10.3", "B").passed


def _average(patches, corners, shape, *, mode="mean"):
    total, count = np.zeros(shape), np.zeros(shape)
    size = patches.shape[1]
    for patch, (row, col) in zip(patches, corners):
        if mode == "overwrite":
            total[row:row + size, col:col + size] = patch
        else:
            total[row:row + size, col:col + size] += patch
        count[row:row + size, col:col + size] += 1
    return {"mean": total / np.maximum(count, 1), "sum": total, "overwrite": total, "by_n": total / len(patches)}[mode]


def test_patch_averaging_mistakes_are_recognised(assert_function_exercise):
    assert_function_exercise("10.2", _average, {
        "sum_only": lambda p, c, s: _average(p, c, s, mode="sum"),
        "by_patch_count": lambda p, c, s: _average(p, c, s, mode="by_n"),
        "overwrite": lambda p, c, s: _average(p, c, s, mode="overwrite"),
    })


def test_a_transposed_image_is_reported_on_the_first_case_it_fails():
    feedback = checks.check("10.2", lambda p, c, s: _average(p, c, s).T)
    assert feedback.message.startswith("Case 1 of 3 (p=an array of shape (4, 4, 4), c=[[0, 0], [0, 2], [2, 0], [2, 2]]")
    assert "values differ at" in feedback.message
