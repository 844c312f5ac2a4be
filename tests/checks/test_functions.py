"""course_lib.checks.functions: the first failing case, the student's output and a reason; never the expected output."""

import numpy as np
import pytest

from course_lib import checks
from course_lib.checks.functions import compare, first_disagreement


def _stub(x):
    raise NotImplementedError


def test_unanswered_functions_say_not_answered_yet():
    assert checks.check_function(_stub, abs, [(1,)], question="Q").message == checks.NOT_ANSWERED
    assert checks.check_function(..., abs, [(1,)], question="Q").message == checks.NOT_ANSWERED


def test_test_cases_are_counted_in_words_that_agree():
    assert checks.check_function(abs, abs, [(-1,)], question="Q").message == "Correct on the one test case."
    assert checks.check_function(abs, abs, [(-1,), (2,)], question="Q").message == "Correct on all 2 test cases."


def test_the_failing_case_is_described_and_the_expected_output_is_not():
    def double(values):
        return values * 3

    expected = np.arange(20.0) * 2
    feedback = checks.check_function(double, lambda values: values * 2, [(np.arange(3.0),), (np.arange(20.0),)],
                                     question="Q")
    assert feedback.message == ("Case 1 of 2 (values=[0., 1., 2.]): your output has shape (3,), dtype float64, "
                                "first values [0., 3., 6.]; values differ at 2 of 3 positions, largest difference 2.")
    big = checks.check_function(double, lambda values: values * 2, [(np.arange(20.0),)], question="Q")
    assert "values=an array of shape (20,)" in big.message and str(expected[5]) not in big.message


def test_reasons():
    assert compare(np.array([1, 2]), np.array([1.5, 2.0]), atol=1e-8).startswith("wrong dtype: your output is int")
    assert compare([np.inf, 1.0], [1.0, 1.0], atol=1e-8) == "nan or inf at 1 of 2 positions (an overflow?)"
    assert compare("text", [1.0], atol=1e-8) == "expected numbers"
    assert compare([1.0], 2.0, atol=1e-8) == "expected a single number"
    assert compare(3.0, 2.0, atol=1e-8) == "not the expected value"


def test_a_raising_function_is_reported_with_its_case():
    passed, message = first_disagreement(lambda x: 1 / x, lambda x: x, [(0,)], hint="Mind zero.")
    assert not passed and message == "Case 1 of 1 (x=0) raised ZeroDivisionError: division by zero. Mind zero."


def test_a_mistake_that_cannot_run_is_skipped():
    def broken(x):
        raise ValueError("no")

    passed, message = first_disagreement(lambda x: x + 1, lambda x: x, [(1,)], mistakes=[(broken, "never")])
    assert message.endswith("not the expected value.")


def test_bad_arguments_are_named():
    with pytest.raises(TypeError, match=r"^cases must be a list of argument tuples; got str"):
        checks.check_function(abs, abs, "abc", question="q")
    with pytest.raises(TypeError, match=r"^cases must hold tuples of arguments, e\.g\. \[\(2,\), \(3,\)\]; case 1 is 2"):
        checks.check_function(abs, abs, [2, 3], question="q")
    with pytest.raises(TypeError, match=r"^reference must be callable; got int"):
        checks.check_function(abs, 3, [(1,)], question="q")
    with pytest.raises(TypeError, match=r"^function must be callable; got int"):
        checks.check_function(3, abs, [(1,)], question="q")


def test_a_function_exercise_refuses_a_value():
    assert checks.check("4.1", 2.3).message == "Expected a function (def ...); got float."
