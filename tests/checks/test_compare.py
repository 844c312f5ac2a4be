"""course_lib.checks.compare: the checks that take the expected value (notebooks not yet on check)."""

import numpy as np

from course_lib import checks


def _stub(x):
    raise NotImplementedError


def test_unanswered_answers_say_not_answered_yet():
    for answer in (None, ...):
        feedback = checks.check_answer(answer, 3, question="Q")
        assert not feedback.passed and feedback.message == checks.NOT_ANSWERED
    feedback = checks.check_function(_stub, lambda x: x, [(1,)], question="Q")
    assert not feedback.passed and feedback.message.startswith("Not answered yet")
    assert "NotImplementedError" in checks.NOT_ANSWERED


def test_test_cases_are_counted_in_words_that_agree():
    assert checks.check_function(abs, abs, [(-1,)], question="Q").message == "Correct on the one test case."
    assert checks.check_function(abs, abs, [(-1,), (2,)], question="Q").message == "Correct on all 2 test cases."


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


def test_check_function_names_cases_that_are_not_a_list_of_tuples():
    import pytest

    with pytest.raises(TypeError, match=r"^cases must be a list of argument tuples; got str"):
        checks.check_function(abs, abs, "abc", question="q")
    with pytest.raises(TypeError, match=r"^cases must hold tuples of arguments, e\.g\. \[\(2,\), \(3,\)\]; case 1 is 2"):
        checks.check_function(abs, abs, [2, 3], question="q")
