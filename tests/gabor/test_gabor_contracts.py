"""Contracts of gabor (issue 22): gratings above Nyquist and kernels that would fill the memory are refused."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_lib import gabor

PROFILE = settings(derandomize=True, max_examples=25, deadline=None, database=None)


@pytest.mark.parametrize("frequency", [0.75, 1.0, 3.0])
def test_grating_refuses_frequencies_above_nyquist(frequency):
    with pytest.raises(ValueError, match=r"^frequency must be <= 0\.5 cycles per pixel \(the Nyquist limit\); got"):
        gabor.grating((8, 8), frequency)


def test_grating_refuses_a_huge_shape():
    with pytest.raises(ValueError, match=r"^shape asks for .* GiB for a 100000 x 100000 grating"):
        gabor.grating((100_000, 100_000), 0.1)


@pytest.mark.parametrize("kwargs, name", [({"frequency": 1e-9}, "frequency"), ({"frequency": 0.1, "sigma": 1e6}, "sigma")])
def test_gabor_kernel_refuses_huge_supports(kwargs, name):
    with pytest.raises(ValueError, match=rf"^{name} asks for .* GiB for a \d+ x \d+ kernel"):
        gabor.gabor_kernel(**kwargs)


@PROFILE
@given(st.floats(0.0, 0.5), st.floats(-4.0, 4.0))
def test_gratings_below_nyquist_lie_in_0_1(frequency, theta):
    image = gabor.grating((6, 7), frequency, theta=theta)
    assert image.shape == (6, 7) and image.min() >= 0.0 and image.max() <= 1.0


@PROFILE
@given(st.floats(0.05, 0.5), st.floats(0.5, 6.0))
def test_valid_kernels_sum_to_one_in_magnitude(frequency, sigma):
    kernel = gabor.gabor_kernel(frequency, sigma=sigma)
    assert abs(np.abs(kernel).sum() - 1.0) < 1e-9


@pytest.mark.parametrize("kwargs, match", [({"frequencies": [0.1, -1.0]}, r"^frequencies must each be \(0, 0\.5\] cycles per pixel; got -1\.0"),
                                           ({"frequencies": [0.9]}, r"^frequencies must each be"),
                                           ({"sigmas": [0.0]}, r"^sigmas must each be > 0; got 0\.0")])
def test_gabor_bank_names_its_own_arguments(kwargs, match):
    arguments = {"frequencies": [0.1], "thetas": [0.0], "sigmas": [2.0], **kwargs}
    with pytest.raises(ValueError, match=match):
        gabor.gabor_bank(**arguments)


def test_response_magnitude_names_a_ragged_kernel():
    with pytest.raises(ValueError, match=r"^kernel must be a rectangular array"):
        gabor.response_magnitude(np.zeros((8, 8)), [[0.1, 0.2], [0.3]])


def test_a_string_is_not_a_bank():
    with pytest.raises(TypeError, match=r"^bank must be a non-empty list of GaborFilter or complex kernels; got str"):
        gabor.bank_features(np.zeros((1, 8, 8)), "abc")
    with pytest.raises(TypeError, match=r"^bank must be a non-empty list"):
        gabor.texture_classifier("abc")
