"""Graded exercise gabor: the public diagnoses recognise each typical mistake."""

import pytest
import math

import numpy as np


def _kernel(size, sigma, theta, wavelength):
    half = size // 2
    rows, cols = np.mgrid[-half:half + 1, -half:half + 1].astype(float)
    x_rot = cols * math.cos(theta) + rows * math.sin(theta)
    y_rot = -cols * math.sin(theta) + rows * math.cos(theta)
    return np.exp(-(x_rot**2 + y_rot**2) / (2 * sigma**2)) * np.cos(2 * np.pi * x_rot / wavelength)


def test_kernel_mistakes(assert_function_exercise):
    def rotated_back(size, sigma, theta, wavelength):
        return _kernel(size, sigma, -theta, wavelength)

    assert_function_exercise("gabor.q1", _kernel, {
        "transposed": _transposed,
        "rotation_sign": rotated_back,
        "frequency": lambda size, sigma, theta, wavelength: _kernel(size, sigma, theta, 1 / wavelength),
        "sigma_unsquared": lambda size, sigma, theta, wavelength: _kernel(size, math.sqrt(sigma), theta, wavelength),
    })


def _transposed(size, sigma, theta, wavelength):
    half = size // 2
    cols, rows = np.mgrid[-half:half + 1, -half:half + 1].astype(float)
    x_rot = cols * math.cos(theta) + rows * math.sin(theta)
    y_rot = -cols * math.sin(theta) + rows * math.cos(theta)
    return np.exp(-(x_rot**2 + y_rot**2) / (2 * sigma**2)) * np.cos(2 * np.pi * x_rot / wavelength)


def test_bank_mistakes(assert_function_exercise):
    def bank(size, sigma, wavelength, n, thetas=None):
        thetas = [k * math.pi / n for k in range(n)] if thetas is None else thetas
        return np.stack([_kernel(size, sigma, theta, wavelength) for theta in thetas])

    assert_function_exercise("gabor.q2", bank, {
        "full_circle": lambda s, sg, w, n: bank(s, sg, w, n, [2 * k * math.pi / n for k in range(n)]),
        "endpoint": lambda s, sg, w, n: bank(s, sg, w, n, np.linspace(0, math.pi, n)),
        "degrees": lambda s, sg, w, n: bank(s, sg, w, n, [k * 180 / n for k in range(n)]),
    })


@pytest.mark.parametrize("exercise_id", ['gabor.q1', 'gabor.q2'])
def test_a_wrong_function_never_sees_the_expected_output(exercise_id, assert_function_no_leak):
    assert_function_no_leak(exercise_id)
