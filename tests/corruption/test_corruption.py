"""course_lib.corruption: known answers and noise statistics (blur is tested in test_blur.py)."""

import numpy as np
import pytest
from scipy import ndimage

from course_lib import corruption

RNG = np.random.default_rng(0)
FLAT = np.full((300, 300), 0.5)


# --- Gaussian noise ---------------------------------------------------------------------------

def test_gaussian_noise_has_the_requested_mean_and_std():
    noise = corruption.add_gaussian_noise(FLAT, 0.2, rng=1) - FLAT
    assert abs(noise.mean()) < 0.005
    assert abs(noise.std() - 0.2) < 0.005


def test_gaussian_noise_is_not_clipped_by_default_and_clipped_on_request():
    unclipped = corruption.add_gaussian_noise(FLAT, 0.5, rng=1)
    assert unclipped.min() < 0.0 and unclipped.max() > 1.0
    clipped = corruption.add_gaussian_noise(FLAT, 0.5, rng=1, clip=True)
    np.testing.assert_array_equal(clipped, np.clip(unclipped, 0.0, 1.0))


def test_same_seed_same_noise_and_generator_is_consumed():
    a = corruption.add_gaussian_noise(FLAT[:5, :5], 0.1, rng=3)
    b = corruption.add_gaussian_noise(FLAT[:5, :5], 0.1, rng=3)
    np.testing.assert_array_equal(a, b)
    generator = np.random.default_rng(3)
    first = corruption.add_gaussian_noise(FLAT[:5, :5], 0.1, rng=generator)
    second = corruption.add_gaussian_noise(FLAT[:5, :5], 0.1, rng=generator)
    np.testing.assert_array_equal(first, a)
    assert not np.array_equal(first, second)


@pytest.mark.parametrize("shape", [(6, 7), (6, 7, 3), (2, 6, 7, 1)])
def test_every_noise_keeps_shape_and_returns_float64(shape):
    image = RNG.random(shape)
    for noisy in (
        corruption.add_gaussian_noise(image, 0.1, rng=0),
        corruption.salt_and_pepper(image, 0.1, rng=0),
        corruption.poisson_noise(image, 10.0, rng=0),
        corruption.block_dropout(image, 2, 0.5, rng=0),
    ):
        assert noisy.shape == shape and noisy.dtype == np.float64


def test_noise_accepts_float32_and_does_not_modify_the_input():
    image = RNG.random((5, 5)).astype(np.float32)
    before = image.copy()
    corruption.salt_and_pepper(image, 0.5, rng=0)
    corruption.block_dropout(image, 2, 0.5, rng=0)
    np.testing.assert_array_equal(image, before)


# --- salt and pepper --------------------------------------------------------------------------

def test_salt_and_pepper_replaces_the_requested_fraction_half_each():
    noisy = corruption.salt_and_pepper(FLAT, 0.3, rng=2)
    assert abs(np.mean(noisy == 0.0) - 0.15) < 0.005
    assert abs(np.mean(noisy == 1.0) - 0.15) < 0.005
    assert set(np.unique(noisy)) == {0.0, 0.5, 1.0}


def test_salt_and_pepper_extremes():
    image = RNG.random((8, 8))
    np.testing.assert_array_equal(corruption.salt_and_pepper(image, 0.0, rng=0), image)
    assert set(np.unique(corruption.salt_and_pepper(image, 1.0, rng=0))) <= {0.0, 1.0}


def test_median_filter_removes_sparse_salt_and_pepper_on_a_flat_image():
    noisy = corruption.salt_and_pepper(FLAT, 0.05, rng=0)
    np.testing.assert_array_equal(ndimage.median_filter(noisy, size=3)[1:-1, 1:-1], FLAT[1:-1, 1:-1])


# --- Poisson ----------------------------------------------------------------------------------

def test_poisson_noise_is_unbiased_with_variance_value_over_peak():
    for peak in (5.0, 50.0):
        noisy = corruption.poisson_noise(FLAT, peak, rng=4)
        assert abs(noisy.mean() - 0.5) < 0.01
        assert abs(noisy.var() - 0.5 / peak) / (0.5 / peak) < 0.05
        np.testing.assert_allclose(noisy * peak, np.round(noisy * peak))  # whole photon counts


def test_poisson_noise_keeps_black_black_and_can_exceed_one():
    assert not corruption.poisson_noise(np.zeros((10, 10)), 3.0, rng=0).any()
    assert corruption.poisson_noise(np.ones((50, 50)), 3.0, rng=0).max() > 1.0  # not clipped


# --- knocked-out blocks -----------------------------------------------------------------------

def test_block_dropout_hand_worked_grid():
    corrupted = corruption.block_dropout(np.ones((4, 6)), 2, 0.5, rng=0)  # 2 x 3 cells, 3 knocked out
    assert (corrupted == 0).sum() == 12
    cells = corrupted.reshape(2, 2, 3, 2).transpose(0, 2, 1, 3).reshape(6, 4)
    assert all(row.min() == row.max() for row in cells)  # each 2x2 cell is all kept or all zero


def test_block_dropout_fraction_and_channels_and_batch():
    images = np.ones((3, 32, 32, 2))
    corrupted = corruption.block_dropout(images, 4, 0.25, rng=0)
    np.testing.assert_allclose((corrupted == 0).mean(axis=(1, 2, 3)), 0.25)
    np.testing.assert_array_equal(corrupted[..., 0], corrupted[..., 1])  # all channels together
    assert not np.array_equal(corrupted[0], corrupted[1])  # each image its own blocks


def test_block_dropout_extremes_and_edge_cells():
    image = RNG.random((5, 5))
    np.testing.assert_array_equal(corruption.block_dropout(image, 2, 0.0, rng=0), image)
    assert not corruption.block_dropout(image, 2, 1.0, rng=0).any()
    assert not corruption.block_dropout(image, 5, 1.0, rng=0).any()  # one block covers the image
    with pytest.raises(ValueError, match=r"^block_size must be <= 5; got 10\."):
        corruption.block_dropout(image, 10, 1.0, rng=0)  # a block larger than the image


# --- blur is served by the package -------------------------------------------------------------

def test_blur_names_are_served_by_the_corruption_package():
    from course_lib.corruption import blurring as blur

    assert corruption.blur is blur.blur
    assert corruption.motion_blur_kernel is blur.motion_blur_kernel
    assert corruption.BLUR_MODES == blur.BLUR_MODES
    impulse = np.zeros((3, 3))
    impulse[1, 1] = 1.0
    np.testing.assert_allclose(corruption.blur(impulse, corruption.motion_blur_kernel(3, 0), mode="constant")[1],
                               [1 / 3, 1 / 3, 1 / 3])


# --- bad inputs -------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: corruption.add_gaussian_noise(np.full((4, 4), 255.0), 0.1, rng=0), ValueError, r"\[0, 1\].*255"),
        (lambda: corruption.add_gaussian_noise(np.ones(4), 0.1, rng=0), ValueError, "image must be 2-D or 3-D or 4-D"),
        (lambda: corruption.add_gaussian_noise("image", 0.1, rng=0), TypeError, "image must be a numeric array"),
        (lambda: corruption.add_gaussian_noise(FLAT, -0.1, rng=0), ValueError, "sigma must be >= 0"),
        (lambda: corruption.add_gaussian_noise(FLAT, 0.1, rng="seed"), TypeError, "rng must be an int seed"),
        (lambda: corruption.salt_and_pepper(FLAT, 1.5, rng=0), ValueError, "amount must be <= 1"),
        (lambda: corruption.salt_and_pepper(-FLAT, 0.1, rng=0), ValueError, "image must lie in"),
        (lambda: corruption.poisson_noise(FLAT, 0.0, rng=0), ValueError, "peak must be > 0"),
        (lambda: corruption.poisson_noise(FLAT, -1.0, rng=0), ValueError, "peak must be >= 0"),
        (lambda: corruption.poisson_noise(FLAT, "high", rng=0), TypeError, "peak must be a real number"),
        (lambda: corruption.block_dropout(FLAT, 0, 0.5, rng=0), ValueError, "block_size must be >= 1"),
        (lambda: corruption.block_dropout(FLAT, 2.5, 0.5, rng=0), TypeError, "block_size must be an integer"),
        (lambda: corruption.block_dropout(FLAT, 2, -0.1, rng=0), ValueError, "fraction must be >= 0"),
    ],
)
def test_bad_inputs_raise_clear_errors(call, error, match):
    with pytest.raises(error, match=match):
        call()
