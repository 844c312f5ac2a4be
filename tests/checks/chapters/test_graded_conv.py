"""Graded exercise conv: the public diagnoses recognise each typical mistake; the key leaks nothing."""

import pytest
import numpy as np

from course_lib import checks


def _correlate(image, kernel):
    image, kernel = np.asarray(image, float), np.asarray(kernel, float)
    rows, cols = image.shape[0] - kernel.shape[0] + 1, image.shape[1] - kernel.shape[1] + 1
    return np.array([[np.sum(image[i:i + kernel.shape[0], j:j + kernel.shape[1]] * kernel) for j in range(cols)]
                     for i in range(rows)])


def test_correlation_mistakes(assert_function_exercise):
    def same(image, kernel):
        padded = np.pad(np.asarray(image, float), ((0, len(kernel) - 1), (0, len(kernel[0]) - 1)))
        return _correlate(padded, kernel)

    assert_function_exercise("conv.q1", _correlate, {
        "flipped": lambda image, kernel: _correlate(image, np.asarray(kernel)[::-1, ::-1]),
        "same": same,
    })


def test_output_size_mistakes(assert_function_exercise):
    assert_function_exercise("conv.q2", lambda n, k, p, s: (n + 2 * p - k) // s + 1, {
        "no_plus_one": lambda n, k, p, s: (n + 2 * p - k) // s,
        "one_side": lambda n, k, p, s: (n + p - k) // s + 1,
        "true_division": lambda n, k, p, s: (n + 2 * p - k) / s + 1,
    })


def test_parameter_count_mistakes(assert_value_exercise, assert_no_leak):
    assert_value_exercise("conv.q3", 4640, {"no_bias": 4608, "no_input_channels": 320, "bias_per_input": 4624})
    assert_no_leak("conv.q3", 4640)
    assert checks.get_exercise("conv.q3").question == "conv, question 3"


@pytest.mark.parametrize("exercise_id", ['conv.q1', 'conv.q2'])
def test_a_wrong_function_never_sees_the_expected_output(exercise_id, assert_function_no_leak):
    assert_function_no_leak(exercise_id)
