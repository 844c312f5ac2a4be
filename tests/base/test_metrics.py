"""course_lib.metrics: hand-worked PSNR, SSIM properties, and skimage / plain NumPy as references."""

import numpy as np
import pytest
from skimage import metrics as skmetrics

from course_lib import metrics

RNG = np.random.default_rng(0)


def test_psnr_hand_worked():
    clean = np.zeros((10, 10))
    assert metrics.psnr(clean, clean + 0.1) == pytest.approx(20.0)
    assert metrics.psnr(clean, clean + 0.01) == pytest.approx(40.0)
    assert metrics.psnr(clean, clean + 25.5, data_range=255.0) == pytest.approx(20.0)


def test_psnr_matches_numpy_formula_and_skimage():
    clean, noisy = RNG.random((16, 16, 3)), RNG.random((16, 16, 3))
    mse = np.mean((clean - noisy) ** 2)
    assert metrics.psnr(clean, noisy) == pytest.approx(10 * np.log10(1.0 / mse))
    assert metrics.psnr(clean, noisy) == pytest.approx(skmetrics.peak_signal_noise_ratio(clean, noisy, data_range=1.0))


def test_psnr_identical_is_inf_and_border_ignores_edges():
    clean = RNG.random((12, 12))
    assert metrics.psnr(clean, clean) == np.inf
    damaged = clean.copy()
    damaged[:2, :] = 0.0
    damaged[:, -2:] = 0.0
    assert metrics.psnr(clean, damaged, border=2) == np.inf
    assert metrics.psnr(clean, damaged, border=1) < np.inf
    np.testing.assert_allclose(metrics.psnr(clean, damaged, border=1), metrics.psnr(clean[1:-1, 1:-1], damaged[1:-1, 1:-1]))


def test_ssim_properties():
    image = RNG.random((16, 16))
    assert metrics.ssim(image, image) == pytest.approx(1.0)
    assert metrics.ssim(image, image + 0.3 * RNG.standard_normal(image.shape)) < 0.9
    a, b = RNG.random((16, 16)), RNG.random((16, 16))
    assert metrics.ssim(a, b) == pytest.approx(metrics.ssim(b, a))  # symmetric


def test_ssim_matches_skimage_with_explicit_settings():
    clean = RNG.random((20, 20, 3))
    noisy = clean + 0.1 * RNG.standard_normal(clean.shape)
    expected = skmetrics.structural_similarity(clean, noisy, data_range=1.0, channel_axis=-1)
    assert metrics.ssim(clean, noisy) == pytest.approx(expected)
    assert metrics.ssim(clean, noisy, border=3) == pytest.approx(
        skmetrics.structural_similarity(clean[3:-3, 3:-3], noisy[3:-3, 3:-3], data_range=1.0, channel_axis=-1)
    )


def test_batch_versions_equal_the_single_image_versions():
    clean = RNG.random((3, 12, 12, 1))
    noisy = clean + 0.05 * RNG.standard_normal(clean.shape)
    np.testing.assert_allclose(metrics.psnr_batch(clean, noisy), [metrics.psnr(c, n) for c, n in zip(clean, noisy)])
    np.testing.assert_allclose(
        metrics.ssim_batch(clean, noisy), [metrics.ssim(c[..., 0], n[..., 0]) for c, n in zip(clean, noisy)]
    )
    colour = RNG.random((2, 10, 10, 3))
    np.testing.assert_allclose(metrics.ssim_batch(colour, colour * 0.9), [metrics.ssim(c, c * 0.9) for c in colour])
    assert metrics.psnr_batch(clean[..., 0], noisy[..., 0]).shape == (3,)


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: metrics.psnr(np.ones((4, 4)), np.ones((4, 5))), ValueError, "same shape"),
        (lambda: metrics.psnr(np.ones(4), np.ones(4)), ValueError, "reference must be 2-D or 3-D"),
        (lambda: metrics.psnr(np.ones((4, 4)), "x"), TypeError, "image must be a numeric array"),
        (lambda: metrics.psnr(np.ones((4, 4)), np.zeros((4, 4)), data_range=0), ValueError, "data_range must be > 0"),
        (lambda: metrics.psnr(np.ones((4, 4)), np.zeros((4, 4)), data_range=-1.0), ValueError, "data_range must be >= 0"),
        (lambda: metrics.psnr(np.ones((4, 4)), np.zeros((4, 4)), border=2), ValueError, "leaves no pixels"),
        (lambda: metrics.psnr(np.ones((4, 4)), np.zeros((4, 4)), border=-1), ValueError, "border must be >= 0"),
        (lambda: metrics.ssim(np.ones((6, 6)), np.ones((6, 6))), ValueError, "at least 7x7"),
        (lambda: metrics.ssim_batch(np.ones((2, 8, 8)), np.ones((2, 8, 8)), border=1), ValueError, "at least 7x7"),
        (lambda: metrics.psnr_batch(np.ones((4, 4)), np.ones((4, 4))), ValueError, "references must be 3-D or 4-D"),
    ],
)
def test_bad_inputs_raise_clear_errors(call, error, match):
    with pytest.raises(error, match=match):
        call()
