"""Tests of course_lib.gabor: hand-worked kernels, properties, scikit-image/scipy references, bad input."""

import math

import numpy as np
import pytest
from scipy import ndimage as ndi
from skimage.filters import gabor_kernel as skimage_gabor_kernel

from course_lib import data, gabor

THETAS = np.arange(8) * np.pi / 8


# --- kernels -----------------------------------------------------------------------------

def test_kernel_centre_row_by_hand():
    # f = 0.5: cos(pi * c) = (-1)^c, envelope exp(-c^2 / 2) for sigma = 1
    kernel = gabor.gabor_kernel(0.5, sigma=1.0)
    row = kernel.real[3] / kernel.real[3, 3]
    expected = [(-1) ** abs(c) * math.exp(-(c**2) / 2) for c in range(-3, 4)]
    np.testing.assert_allclose(row, expected, atol=1e-12)
    np.testing.assert_allclose(kernel.imag[3], 0.0, atol=1e-12)  # sin(pi * c) = 0


@pytest.mark.parametrize("frequency", [0.05, 0.1, 0.25, 0.5])
@pytest.mark.parametrize("sigma", [0.7, 1.0, 2.5, 4.0])
def test_kernel_magnitude_sums_to_one(frequency, sigma):
    for theta in THETAS:
        assert np.abs(gabor.gabor_kernel(frequency, theta=theta, sigma=sigma)).sum() == pytest.approx(1.0, abs=1e-12)


@pytest.mark.parametrize("sigma", [0.5, 1.0, 2.0, 3.3])
def test_kernel_support_is_the_same_square_for_every_orientation(sigma):
    side = 2 * math.ceil(3 * sigma) + 1
    for theta in THETAS:
        assert gabor.gabor_kernel(0.2, theta=theta, sigma=sigma).shape == (side, side)


def test_kernel_matches_skimage_up_to_scale():
    # at theta = 0 scikit-image's box is the same square, so only the normalisation differs
    for frequency, sigma in [(0.1, 2.0), (0.3, 1.5), (0.45, 3.0)]:
        ours = gabor.gabor_kernel(frequency, sigma=sigma)
        reference = skimage_gabor_kernel(frequency, sigma_x=sigma, sigma_y=sigma)
        np.testing.assert_allclose(ours, reference / np.abs(reference).sum(), atol=1e-14)


def test_default_sigma_is_one_octave_bandwidth():
    kernel = gabor.gabor_kernel(0.2)  # sigma = 0.56 / 0.2 = 2.8 -> half-width ceil(8.4) = 9
    assert kernel.shape == (19, 19)


@pytest.mark.parametrize("theta", THETAS)
def test_theta_and_theta_plus_pi_give_the_same_filter(theta):
    kernel = gabor.gabor_kernel(0.2, theta=theta, sigma=2.0)
    turned = gabor.gabor_kernel(0.2, theta=theta + np.pi, sigma=2.0)
    np.testing.assert_allclose(turned.real, kernel.real, atol=1e-12)  # same even part
    np.testing.assert_allclose(turned.imag, -kernel.imag, atol=1e-12)  # odd part flips sign
    image = np.random.default_rng(0).random((24, 24))
    np.testing.assert_allclose(gabor.response_magnitude(image, turned), gabor.response_magnitude(image, kernel), atol=1e-10)


def test_bank_order_and_labels():
    bank = gabor.gabor_bank([0.1, 0.2], [0.0, np.pi / 2], [1.0, 2.0])
    assert len(bank) == 8
    assert [(f.frequency, f.theta, f.sigma) for f in bank[:3]] == [(0.1, 0.0, 1.0), (0.1, 0.0, 2.0), (0.1, np.pi / 2, 1.0)]
    assert bank[2].label == "f=0.10, θ=90°, σ=1"
    np.testing.assert_array_equal(bank[7].kernel, gabor.gabor_kernel(0.2, theta=np.pi / 2, sigma=2.0))


# --- responses -------------------------------------------------------------------------------

def periodic_magnitude_loop(image, kernel):
    """Brute-force periodic convolution, one output pixel at a time (the reference)."""
    rows, cols = image.shape
    half_r, half_c = kernel.shape[0] // 2, kernel.shape[1] // 2
    out = np.zeros(image.shape, dtype=complex)
    for r in range(rows):
        for c in range(cols):
            for i in range(kernel.shape[0]):
                for j in range(kernel.shape[1]):
                    out[r, c] += image[(r - (i - half_r)) % rows, (c - (j - half_c)) % cols] * kernel[i, j]
    return np.abs(out)


@pytest.mark.parametrize("shape", [(9, 11), (5, 4)])  # (5, 4): the 7x7 kernel is larger than the image
@pytest.mark.parametrize("method", ["spatial", "fft", "auto"])
def test_response_matches_brute_force_loop(shape, method):
    image = np.random.default_rng(1).normal(size=shape)
    kernel = gabor.gabor_kernel(0.3, theta=0.7, sigma=1.0)
    standardized = (image - image.mean()) / image.std()
    expected = periodic_magnitude_loop(standardized, kernel)
    np.testing.assert_allclose(gabor.response_magnitude(image, kernel, method=method), expected, atol=1e-12)


def test_spatial_and_fft_agree_on_a_photograph():
    camera = data.natural_images(split="test")["camera"][::4, ::4]
    for sigma in (1.0, 4.0):
        kernel = gabor.gabor_kernel(0.2, theta=1.0, sigma=sigma)
        np.testing.assert_allclose(
            gabor.response_magnitude(camera, kernel, method="spatial"),
            gabor.response_magnitude(camera, kernel, method="fft"),
            atol=1e-10,
        )


def test_response_without_normalisation_is_scipy_convolve():
    image = np.random.default_rng(2).random((12, 12))
    kernel = gabor.gabor_kernel(0.25, sigma=1.5)
    expected = np.hypot(ndi.convolve(image, kernel.real, mode="wrap"), ndi.convolve(image, kernel.imag, mode="wrap"))
    np.testing.assert_allclose(gabor.response_magnitude(image, kernel, normalize=False), expected, atol=1e-12)


def test_normalisation_ignores_brightness_and_contrast():
    image = np.random.default_rng(3).random((16, 16))
    kernel = gabor.gabor_bank(0.2, 0.3, 2.0)[0]  # a GaborFilter is accepted too
    np.testing.assert_allclose(gabor.response_magnitude(3 * image + 5, kernel), gabor.response_magnitude(image, kernel), atol=1e-12)


def test_constant_image_gives_zero_response():
    assert np.all(gabor.response_magnitude(np.full((8, 8), 0.7), gabor.gabor_kernel(0.25, sigma=1.0)) == 0.0)


def test_grating_response_peaks_at_matching_frequency_and_orientation():
    image = gabor.grating((64, 64), 0.125, theta=np.pi / 4)
    frequencies = [0.0625, 0.09375, 0.125, 0.1875, 0.25]
    by_frequency = [gabor.response_magnitude(image, gabor.gabor_kernel(f, theta=np.pi / 4, sigma=4.0)).mean() for f in frequencies]
    assert int(np.argmax(by_frequency)) == 2
    by_theta = [gabor.response_magnitude(image, gabor.gabor_kernel(0.125, theta=t, sigma=4.0)).mean() for t in THETAS]
    assert int(np.argmax(by_theta)) == 2  # pi / 4


def test_grating_values_by_hand():
    np.testing.assert_allclose(gabor.grating((3, 2), 0.5, theta=np.pi / 2), [[1, 1], [0, 0], [1, 1]], atol=1e-12)
    assert gabor.grating((2, 2), 0.0).tolist() == [[1.0, 1.0], [1.0, 1.0]]


# --- features and classification ---------------------------------------------------------------

def test_bank_features_are_mean_and_variance_of_each_magnitude():
    images = np.random.default_rng(4).random((3, 10, 12, 1))
    bank = gabor.gabor_bank([0.1, 0.3], [0.0, 1.0], 1.5)
    features = gabor.bank_features(images, bank)
    assert features.shape == (3, 8)
    for n in range(3):
        magnitudes = [gabor.response_magnitude(images[n, :, :, 0], f.kernel, method="spatial") for f in bank]
        expected = np.ravel([(m.mean(), m.var()) for m in magnitudes])
        np.testing.assert_allclose(features[n], expected, atol=1e-12)
        np.testing.assert_allclose(gabor.gabor_features(images[n, :, :, 0], bank), expected, atol=1e-12)
    plain = [f.kernel for f in bank]  # bare kernels work as well as GaborFilters
    np.testing.assert_allclose(gabor.bank_features(images[..., 0], plain), features, atol=1e-12)


def test_texture_classifier_beats_pixels_on_held_out_patches():
    train, train_labels, _ = data.texture_patches(32, 40, split="train", rng=0)
    test, test_labels, _ = data.texture_patches(32, 40, split="test", rng=1)
    bank = gabor.gabor_bank([0.1, 0.2, 0.3, 0.4], np.arange(4) * np.pi / 4, 2.0)
    gabor_accuracy = gabor.texture_classifier(bank).fit(train, train_labels).score(test, test_labels)
    pixel_accuracy = gabor.texture_classifier(features="pixels").fit(train, train_labels).score(test, test_labels)
    assert gabor_accuracy >= 0.95
    assert pixel_accuracy < gabor_accuracy - 0.2


# --- bad input --------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"frequency": 0.0}, ValueError, "frequency must be > 0"),
        ({"frequency": 0.8}, ValueError, "Nyquist"),
        ({"frequency": "0.2"}, TypeError, "frequency must be a real number"),
        ({"frequency": 0.2, "sigma": -1.0}, ValueError, "sigma must be > 0"),
        ({"frequency": 0.2, "n_stds": 0}, ValueError, "n_stds must be > 0"),
        ({"frequency": 0.2, "theta": np.nan}, ValueError, "theta must be finite"),
    ],
)
def test_gabor_kernel_rejects_bad_parameters(kwargs, error, match):
    with pytest.raises(error, match=match):
        gabor.gabor_kernel(**kwargs)


def test_gabor_bank_rejects_bad_lists():
    with pytest.raises(ValueError, match="thetas must not be empty"):
        gabor.gabor_bank(0.1, [], 1.0)
    with pytest.raises(ValueError, match="sigmas must be 0-D or 1-D"):
        gabor.gabor_bank(0.1, 0.0, [[1.0, 2.0]])
    with pytest.raises(TypeError, match="frequencies must be a numeric array"):
        gabor.gabor_bank("fast", 0.0, 1.0)


def test_response_magnitude_rejects_bad_input():
    kernel = gabor.gabor_kernel(0.2, sigma=1.0)
    with pytest.raises(ValueError, match=r"image must be 2-D; got shape \(2, 8, 8\)\. Use bank_features"):
        gabor.response_magnitude(np.zeros((2, 8, 8)), kernel)
    with pytest.raises(ValueError, match="kernel must be 2-D"):
        gabor.response_magnitude(np.zeros((8, 8)), kernel[None])
    with pytest.raises(ValueError, match="kernel must be 2-D"):
        gabor.response_magnitude(np.zeros((8, 8)), kernel.real[None])
    with pytest.raises(ValueError, match="method must be one of"):
        gabor.response_magnitude(np.zeros((8, 8)), kernel, method="direct")
    with pytest.raises(ValueError, match="image contains NaN"):
        gabor.response_magnitude(np.full((8, 8), np.nan), kernel)


def test_features_reject_bad_input():
    bank = gabor.gabor_bank(0.2, 0.0, 1.0)
    with pytest.raises(ValueError, match="Use gabor_features for a single"):
        gabor.bank_features(np.zeros((8, 8)), bank)
    with pytest.raises(ValueError, match="images must have one channel"):
        gabor.bank_features(np.zeros((2, 8, 8, 3)), bank)
    with pytest.raises(TypeError, match="bank must be a non-empty list"):
        gabor.bank_features(np.zeros((2, 8, 8)), [])
    with pytest.raises(TypeError, match="bank must be a non-empty list"):
        gabor.bank_features(np.zeros((2, 8, 8)), bank[0])
    with pytest.raises(ValueError, match="Use bank_features for a batch"):
        gabor.gabor_features(np.zeros((2, 8, 8)), bank)


def test_grating_and_classifier_reject_bad_input():
    with pytest.raises(ValueError, match="frequency must be >= 0.0"):
        gabor.grating((4, 4), -0.1)
    with pytest.raises(TypeError, match="shape must be an int or a pair of ints"):
        gabor.grating((4, 4, 4), 0.1)
    with pytest.raises(ValueError, match="features must be one of"):
        gabor.texture_classifier(features="hog")
    with pytest.raises(ValueError, match="bank is required"):
        gabor.texture_classifier()
    with pytest.raises(ValueError, match="C must be > 0"):
        gabor.texture_classifier(features="pixels", C=0.0)
