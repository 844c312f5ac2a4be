"""course_lib.corruption.blurring: motion-blur kernels worked by hand, their properties, and scipy.ndimage as the blur reference."""

import numpy as np
import pytest
from scipy import ndimage

from course_lib.corruption import blurring as blur

RNG = np.random.default_rng(0)
FLAT = np.full((30, 30), 0.5)


# --- motion blur kernel -----------------------------------------------------------------------

def test_motion_blur_kernel_known_answers():
    np.testing.assert_array_equal(blur.motion_blur_kernel(1, 30.0), [[1.0]])
    expected = np.zeros((5, 5))
    expected[:, 2] = 0.2
    np.testing.assert_allclose(blur.motion_blur_kernel(5, 90), expected, atol=1e-12)
    even = blur.motion_blur_kernel(4, 0)  # samples at +-0.5 and +-1.5 pixels
    np.testing.assert_allclose(even[2], [0.125, 0.25, 0.25, 0.25, 0.125])


@pytest.mark.parametrize("angle", [0.0, 17.0, 45.0, 90.0, 135.0, 200.0])
def test_motion_blur_kernel_properties(angle):
    kernel = blur.motion_blur_kernel(9, angle)
    assert kernel.shape == (9, 9)
    assert kernel.min() >= 0.0
    assert kernel.sum() == pytest.approx(1.0)
    np.testing.assert_allclose(kernel, kernel[::-1, ::-1], atol=1e-12)  # a line through the centre
    np.testing.assert_allclose(kernel, blur.motion_blur_kernel(9, angle + 180.0), atol=1e-12)


def test_motion_blur_kernel_points_the_right_way():
    kernel = blur.motion_blur_kernel(5, 45)  # counter-clockwise: up and to the right
    assert kernel[0, 4] > 0 and kernel[0, 0] == 0


# --- blur -------------------------------------------------------------------------------------

@pytest.mark.parametrize("mode", ["reflect", "nearest", "wrap", "constant"])
@pytest.mark.parametrize("kernel_shape", [(3, 3), (4, 4), (2, 5), (1, 1)])
def test_blur_matches_scipy_ndimage_convolve(mode, kernel_shape):
    image = RNG.random((7, 9))
    kernel = RNG.random(kernel_shape)
    np.testing.assert_allclose(blur.blur(image, kernel, mode=mode), ndimage.convolve(image, kernel, mode=mode))


def test_blur_valid_matches_the_interior():
    image = RNG.random((8, 8))
    kernel = RNG.random((3, 3))
    np.testing.assert_allclose(
        blur.blur(image, kernel, mode="valid"), ndimage.convolve(image, kernel, mode="constant")[1:-1, 1:-1]
    )


def test_blur_works_per_channel_and_per_image():
    images = RNG.random((2, 6, 6, 3))
    kernel = blur.motion_blur_kernel(3, 30)
    out = blur.blur(images, kernel, mode="wrap")
    assert out.shape == images.shape
    np.testing.assert_allclose(out[1, ..., 2], blur.blur(images[1, ..., 2], kernel, mode="wrap"))
    np.testing.assert_allclose(blur.blur(images[0], kernel, mode="wrap"), out[0])


def test_blur_with_normalised_kernel_keeps_range_and_mean_under_wrap():
    image = RNG.random((16, 16))
    out = blur.blur(image, blur.motion_blur_kernel(7, 30), mode="wrap")
    assert 0.0 <= out.min() and out.max() <= 1.0
    assert out.mean() == pytest.approx(image.mean())


# --- bad inputs -------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: blur.motion_blur_kernel(0, 0), ValueError, "length must be >= 1"),
        (lambda: blur.motion_blur_kernel(3, np.inf), ValueError, "angle must be finite"),
        (lambda: blur.blur(FLAT, np.ones((3, 3)), mode="mirror"), ValueError, "mode must be one of"),
        (lambda: blur.blur(FLAT, np.ones((3, 3, 1)), mode="wrap"), ValueError, "kernel must be 2-D"),
        (lambda: blur.blur(np.ones((2, 2)), np.ones((3, 3)), mode="valid"), ValueError, "must fit inside"),
        (lambda: blur.blur(np.array([[np.nan]]), np.ones((1, 1)), mode="wrap"), ValueError, "NaN"),
        (lambda: blur.motion_blur_kernel(2.5, 0), TypeError, "length must be an integer"),
        (lambda: blur.blur("image", np.ones((3, 3)), mode="wrap"), TypeError, "image must be a numeric array"),
        (lambda: blur.blur(np.ones(4), np.ones((3, 3)), mode="wrap"), ValueError, "image must be 2-D or 3-D or 4-D"),
    ],
)
def test_bad_inputs_raise_clear_errors(call, error, match):
    with pytest.raises(error, match=match):
        call()
