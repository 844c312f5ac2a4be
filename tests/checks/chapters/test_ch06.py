"""Chapter 6's exercises: the right answers pass, each typical mistake gets its diagnosis, nothing leaks."""

import pytest

from course_lib import checks

ANSWERS = {"6.2": 6, "6.3": 26.0206, "6.4": [1 / 3, 0.0]}
MISTAKES = {
    "6.2": {"next_size": 4, "square": 9},
    "6.3": {"sigma_not_variance": 13.0103, "twenty_log": 52.0412, "inverted": -26.0206},
    "6.4": {"swapped": [0.0, 1 / 3], "both_mean": [1 / 3, 1 / 3]},
}


def test_value_exercises_diagnose_their_mistakes(assert_value_exercise, assert_no_leak):
    for exercise_id, answer in ANSWERS.items():
        assert_value_exercise(exercise_id, answer, MISTAKES[exercise_id])
        assert_no_leak(exercise_id, answer)


def test_a_rounded_answer_passes():
    assert checks.check("6.3", 26.0).passed and checks.check("6.4", [0.333, 0]).passed
    assert checks.check("6.4", [1 / 3, 0.0, 0.0]).message == "Expected 2 values, got 3 values."


MIRROR = [("transpose", 3), ("upsample", 2), ("transpose", 2), ("upsample", 2), ("transpose", 3)]


@pytest.mark.parametrize("layers, diagnosis", [
    (MIRROR[:-1] + [("transpose", 2)], "one pixel off"),
    ([("transpose", 3), ("upsample", 2), ("transpose", 3)], "one (\"upsample\", 2) too few"),
    (MIRROR + [("upsample", 2)], "one (\"upsample\", 2) too many"),
    (MIRROR[:2], "Work backwards from 28"),
    ([("conv", 3)] + MIRROR, "is not allowed here"),
    ([("transpose", 3, 2)], "stride 1 with valid padding"),
    ([("transpose", "3")], "trace_sizes cannot follow your layers"),
    ("transpose", "Answer a list of layer tuples"),
])
def test_decoder_mistakes_are_diagnosed(layers, diagnosis):
    feedback = checks.check("6.1", layers)
    assert not feedback.passed and diagnosis in feedback.message, feedback


def test_a_decoder_reaching_28_passes():
    assert checks.check("6.1", MIRROR).passed
    assert checks.check("6.1", [("upsample", 2), ("transpose", 7), ("upsample", 2)]).passed
