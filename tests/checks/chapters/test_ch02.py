"""Chapter 2's exercises: the right answers pass, each typical mistake gets its diagnosis, nothing leaks."""

import math

import pytest

import numpy as np


def test_frequency_and_orientation_mistakes(assert_value_exercise, assert_no_leak):
    assert_value_exercise("2.1", 1 / 16, {"period": 16, "radians": 2 * math.pi / 16, "half_period": 1 / 8})
    assert_no_leak("2.1", 1 / 16)
    assert_value_exercise("2.2", 135, {"along_stripes": 45, "radians": math.radians(135)})
    assert_no_leak("2.2", 135)


def test_orientation_key_agrees_with_the_filters():
    from course_lib import checks, gabor

    mystery = gabor.grating((64, 64), 0.2, theta=math.radians(135))
    responses = {degrees: gabor.response_magnitude(mystery, gabor.gabor_kernel(0.2, theta=math.radians(degrees),
                                                                                sigma=3.0)).mean()
                 for degrees in (0, 45, 90, 135)}
    assert checks.check("2.2", max(responses, key=responses.get)).passed


def _features(magnitudes):
    return np.array([value for magnitude in magnitudes for value in (magnitude.mean(), magnitude.var())])


def test_feature_mistakes_are_recognised(assert_function_exercise):
    assert_function_exercise("2.3", _features, {
        "sample_variance": lambda m: np.array([v for x in m for v in (x.mean(), x.var(ddof=1))]),
        "grouped": lambda m: np.array([x.mean() for x in m] + [x.var() for x in m]),
        "std": lambda m: np.array([v for x in m for v in (x.mean(), x.std())]),
    })


@pytest.mark.parametrize("exercise_id", ['2.3'])
def test_a_wrong_function_never_sees_the_expected_output(exercise_id, assert_function_no_leak):
    assert_function_no_leak(exercise_id)
