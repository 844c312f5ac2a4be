"""Chapter 1's exercises: the right answers pass, each typical mistake gets its diagnosis, nothing leaks."""

import pytest
import numpy as np

from course_lib import checks, conv


def test_output_size_mistakes(assert_value_exercise, assert_no_leak):
    mistakes = {"conv_only": 112, "no_padding_or_plus_one": 54, "rounded_up": 56, "pool_stride": 110}
    assert_value_exercise("1.1", 55, mistakes)
    assert_no_leak("1.1", 55)
    # the mistakes are what the slips compute
    assert (224 - 7) // 2 + 1 - 3 >= 0 and ((224 - 7) // 2 + 1 - 3) // 2 + 1 == mistakes["no_padding_or_plus_one"]
    assert ((224 + 6 - 7) // 2 + 1 - 3) + 1 == mistakes["pool_stride"]


def _loop_correlate(image, kernel, padding, stride):
    padded = np.pad(image, padding)
    rows = (padded.shape[0] - kernel.shape[0]) // stride + 1
    cols = (padded.shape[1] - kernel.shape[1]) // stride + 1
    return np.array([[np.sum(padded[r * stride:r * stride + kernel.shape[0], c * stride:c * stride + kernel.shape[1]] * kernel)
                      for c in range(cols)] for r in range(rows)])


def test_correlation_mistakes_are_recognised(assert_function_exercise):
    assert_function_exercise("1.2", _loop_correlate, {
        "flipped": lambda i, k, p, s: _loop_correlate(i, k[::-1, ::-1], p, s),
        "stride_ignored": lambda i, k, p, s: _loop_correlate(i, k, p, 1),
        "no_padding": lambda i, k, p, s: _loop_correlate(i, k, 0, s),
        "one_sided": lambda i, k, p, s: _loop_correlate(np.pad(i, ((p, 0), (p, 0))), k, 0, s),
    })


def test_a_wrong_correlation_shows_its_case_and_output_not_the_expected_array():
    def doubled(image, kernel, padding, stride):
        return _loop_correlate(image, kernel, padding, stride) * 2

    feedback = checks.check("1.2", doubled)
    assert feedback.message.startswith("Case 1 of 9 (image=an array of shape (7, 9), kernel=[[")
    assert "your output has shape (5, 8), dtype float64, first values [" in feedback.message
    assert "values differ at 40 of 40 positions, largest difference" in feedback.message
    image, kernel, padding, stride = checks.get_exercise("1.2").cases()[0]
    expected = conv.correlate2d(image, kernel, padding=padding, stride=stride)
    assert f"{expected.ravel()[0]:.4f}"[:6] not in feedback.message
    wrong_shape = checks.check("1.2", lambda i, k, p, s: np.zeros((2, 2)))
    assert wrong_shape.message.endswith("wrong shape: expected (5, 8). " + checks.get_exercise("1.2").hint)


def test_detector_diagnoses():
    right = np.array([[-1.0, 2.0, -1.0]] * 3)
    assert checks.check("1.3", right).passed
    assert "transpose" in checks.check("1.3", right.T).message
    assert "also on the horizontal" in checks.check("1.3", np.array([[0.0, 1.0, 0.0]] * 3)).message
    assert "never fires" in checks.check("1.3", -np.ones((3, 3))).message
    assert checks.check("1.3", np.ones((2, 3))).message == "Expected a (3, 3) kernel; got shape (2, 3)."
    assert checks.check("1.3", "abc").message.startswith("Expected a (3, 3) array of numbers")
    assert not checks.check("1.3", np.zeros((3, 3))).passed


@pytest.mark.parametrize("exercise_id", ['1.2'])
def test_a_wrong_function_never_sees_the_expected_output(exercise_id, assert_function_no_leak):
    assert_function_no_leak(exercise_id)
