"""psnr/ssim cannot be fooled by range (issue 22): 8-bit and 0..255 images must match data_range."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from course_lib import metrics

PROFILE = settings(derandomize=True, max_examples=25, deadline=None, database=None)
IMAGE = np.linspace(0, 1, 16 * 16).reshape(16, 16)
U8 = (IMAGE * 255).astype(np.uint8)


@pytest.mark.parametrize("function", [metrics.psnr, metrics.ssim])
def test_uint8_images_need_data_range_255(function):
    with pytest.raises(ValueError, match=r"^reference is uint8 \(values 0\.\.255\) but data_range is 1; pass data_range=255"):
        function(U8, U8)
    assert function(U8, U8 // 2 * 2, data_range=255) > 0


@pytest.mark.parametrize("function", [metrics.psnr, metrics.ssim])
def test_0_255_floats_against_data_range_1_are_refused(function):
    with pytest.raises(ValueError, match=r"^reference does not fit data_range=1: its values run from about .* divide the images by 255"):
        function(IMAGE * 255, IMAGE * 255)


def test_0_1_images_with_data_range_255_are_refused():
    with pytest.raises(ValueError, match=r"^reference and image hold values in \[0, 1\] but data_range is 255; pass data_range=1\.0"):
        metrics.psnr(IMAGE, IMAGE * 0.9, data_range=255)


def test_batch_versions_name_their_arguments():
    with pytest.raises(ValueError, match=r"^images does not fit data_range=1"):
        metrics.psnr_batch(IMAGE[None], IMAGE[None] * 255)


@PROFILE
@given(hnp.arrays(np.float64, (12, 12), elements=st.floats(0, 1)), st.floats(0.0, 0.3), st.integers(0, 99))
def test_noisy_images_within_the_tolerance_are_scored(clean, sigma, seed):
    noisy = clean + sigma * np.random.default_rng(seed).standard_normal(clean.shape)
    before = noisy.copy()
    value = metrics.psnr(clean, noisy)
    np.testing.assert_array_equal(noisy, before)
    assert value > 0 or np.isinf(value) or value == value  # a number, never an error
