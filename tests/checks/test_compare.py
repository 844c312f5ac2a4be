"""course_lib.checks.compare: the checks that take the expected value (notebooks not yet on check)."""

import numpy as np

from course_lib import checks


def test_unanswered_answers_say_not_answered_yet():
    for answer in (None, ...):
        feedback = checks.check_answer(answer, 3, question="Q")
        assert not feedback.passed and feedback.message == checks.NOT_ANSWERED


def test_a_wrong_choice_is_explained():
    feedback = checks.check_choice("a", "b", question="Q", why_not={"A": "a responds to columns."})
    assert not feedback.passed
    assert feedback.message == "Not 'a': a responds to columns."
    other = checks.check_choice("c", "b", question="Q", why_not={"a": "no"})
    assert other.message.startswith("Not 'c': Re-read the section above")
    assert checks.check_choice(" B ", "b", question="Q", explanation="Rows.").message == "Correct. Rows."


def test_check_detector_uses_the_padding_rules_of_conv():
    from course_lib import conv

    rng = np.random.default_rng(0)
    image, kernel = rng.random((6, 7)), rng.standard_normal((2, 3))
    for padding in ("valid", "same", "full", 2):
        np.testing.assert_allclose(checks._correlate(image, kernel, padding),
                                   conv.correlate2d(image, kernel, padding=padding))

