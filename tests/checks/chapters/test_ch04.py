"""Chapter 4's exercises: the right answers pass, each typical mistake gets its diagnosis, nothing leaks."""

import pytest
import numpy as np

from course_lib import checks, sgd

ANSWERS = {"4.2": [1.85, -1.0], "4.3": "a"}
MISTAKES = {
    "4.2": {"no_decay": [1.95, -1.05], "decay_unscaled": [0.95, -0.55], "ascent": [2.15, -1.0]},
    "4.3": {"more_steps": "b", "larger_rate": "c"},
}


def test_value_exercises_diagnose_their_mistakes(assert_value_exercise, assert_no_leak):
    for exercise_id, answer in ANSWERS.items():
        assert_value_exercise(exercise_id, answer, MISTAKES[exercise_id])
        assert_no_leak(exercise_id, answer)


def _cross_entropy(logits, labels):
    largest = logits.max(axis=1, keepdims=True)
    return float(np.mean(largest[:, 0] + np.log(np.exp(logits - largest).sum(axis=1)) - logits[np.arange(len(labels)), labels]))


def test_cross_entropy_mistakes_are_recognised(assert_function_exercise):
    assert_function_exercise("4.1", _cross_entropy, {
        "unshifted": lambda z, y: float(np.mean(np.log(np.exp(z).sum(axis=1)) - z[np.arange(len(y)), y])),
        "summed": lambda z, y: _cross_entropy(z, y) * len(y),
        "columns": lambda z, y: float(np.mean(-(np.log(np.exp(z - z.max(axis=0)) / np.exp(z - z.max(axis=0)).sum(axis=0)))[np.arange(len(y)), y])),
    })


def test_a_wrong_cross_entropy_is_shown_on_its_case_without_the_expected_value():
    feedback = checks.check("4.1", lambda z, y: _cross_entropy(z, y) + 0.5)
    assert feedback.message.startswith("Case 1 of 3 (z=an array of shape (5, 3), y=[0, 2, 1, 1, 0]): your function returned")
    assert "not the expected value" in feedback.message
    expected = sgd.softmax_cross_entropy(*checks.get_exercise("4.1").cases()[0])[0]
    assert f"{expected:.3f}" not in feedback.message and f"{expected:.2f}" not in feedback.message


@pytest.mark.parametrize("exercise_id", ['4.1'])
def test_a_wrong_function_never_sees_the_expected_output(exercise_id, assert_function_no_leak):
    assert_function_no_leak(exercise_id)
