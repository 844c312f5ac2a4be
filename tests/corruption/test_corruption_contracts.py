"""Contracts of corruption (issue 22): 8-bit images, giant blocks and blur lengths."""

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from course_lib import corruption

PROFILE = settings(derandomize=True, max_examples=20, deadline=None, database=None)
FLAT = np.full((8, 8), 0.5)


@pytest.mark.parametrize("call", [
    lambda image: corruption.add_gaussian_noise(image, 0.1, rng=0),
    lambda image: corruption.salt_and_pepper(image, 0.1, rng=0),
    lambda image: corruption.poisson_noise(image, 5.0, rng=0),
    lambda image: corruption.block_dropout(image, 2, 0.5, rng=0),
])
def test_noise_refuses_uint8_with_the_fix(call):
    with pytest.raises(ValueError, match=r"^image must be a float image in \[0, 1\]; got dtype uint8 .*img_as_float"):
        call(np.full((8, 8), 128, dtype=np.uint8))


def test_motion_blur_kernel_refuses_a_huge_length():
    with pytest.raises(ValueError, match=r"^length asks for 74\.5 GiB for a 100001 x 100001 kernel"):
        corruption.motion_blur_kernel(100_000, 30)


def test_block_dropout_refuses_a_block_larger_than_the_image():
    with pytest.raises(ValueError, match=r"^block_size must be <= 8; got 100000\. A block of the image's longer side"):
        corruption.block_dropout(FLAT, 100_000, 1.0, rng=0)
    np.testing.assert_array_equal(corruption.block_dropout(FLAT, 8, 1.0, rng=0), np.zeros_like(FLAT))  # one block: all


def test_block_dropout_refuses_a_fraction_that_rounds_to_no_cell():
    image = np.linspace(0.0, 1.0, 32 * 32).reshape(32, 32)
    with pytest.raises(ValueError, match=r"^block_size must be <= 32; got 100000"):
        corruption.block_dropout(image, 100_000, 0.25, rng=0)
    with pytest.raises(ValueError, match=r"^fraction=0\.25 of the 1 cell of block_size=32 rounds to 0 cells: "
                                         r"nothing would be dropped\. Use a fraction above 0\.5"):
        corruption.block_dropout(image, 32, 0.25, rng=0)
    with pytest.raises(ValueError, match=r"^fraction=0\.001 of the 64 cells of block_size=4 rounds to 0 cells"):
        corruption.block_dropout(image, 4, 0.001, rng=0)
    np.testing.assert_array_equal(corruption.block_dropout(image, 4, 0.0, rng=0), image)  # 0 asks for none


def test_negative_seed_names_rng():
    with pytest.raises(ValueError, match=r"^rng must be an int in 0\.\.4294967295; got -1"):
        corruption.add_gaussian_noise(FLAT, 0.1, rng=-1)


@PROFILE
@given(hnp.arrays(np.float64, (6, 6), elements=st.floats(0, 1)), st.integers(1, 6), st.floats(0, 1), st.integers(0, 99))
def test_block_dropout_only_zeroes_pixels_and_never_mutates(image, block_size, fraction, seed):
    assume(fraction == 0 or round(fraction * math.ceil(6 / block_size) ** 2) > 0)  # else refused (tested above)
    before = image.copy()
    out = corruption.block_dropout(image, block_size, fraction, rng=seed)
    np.testing.assert_array_equal(image, before)
    assert np.all((out == image) | (out == 0))
