"""Chapter 7's exercises: the right answers pass, each typical mistake gets its diagnosis, nothing leaks."""

import numpy as np

from course_lib import checks

ANSWERS = {"7.1": 3 * 3 * 32 * 64 + 3 * 3 * 64 * 128, "7.2": "inference"}
MISTAKES = {
    "7.1": {"one_block": 3 * 3 * 64 * 128, "with_bias": ANSWERS["7.1"] + 64 + 128, "no_input_channels": 9 * 64 + 9 * 128},
    "7.2": {"training": "training"},
}


def test_value_exercises_diagnose_their_mistakes(assert_value_exercise, assert_no_leak):
    for exercise_id, answer in ANSWERS.items():
        assert_value_exercise(exercise_id, answer, MISTAKES[exercise_id])
        assert_no_leak(exercise_id, answer)
    assert checks.check("7.2", " Inference").passed


def _smooth(values, factor):
    smoothed = [values[0]]
    for value in values[1:]:
        smoothed.append(factor * smoothed[-1] + (1 - factor) * value)
    return np.array(smoothed)


def test_smoothing_mistakes_are_recognised(assert_function_exercise):
    assert_function_exercise("7.3", _smooth, {
        "weights_swapped": lambda v, f: _smooth(v, 1 - f),
        "from_zero": lambda v, f: _smooth(np.concatenate([[0.0], v]), f)[1:],
    })


def test_a_short_output_is_shown_on_the_hand_example():
    feedback = checks.check("7.3", lambda v, f: _smooth(v, f)[1:])
    assert feedback.message.startswith("Case 1 of 4 (v=[1., 0.], f=0.5): your output has shape (1,)")
    assert "wrong shape: expected (2,)" in feedback.message
