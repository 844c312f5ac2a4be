"""course_lib.conv: known answers by hand, properties, and scipy / TensorFlow as references."""

import numpy as np
import pytest
from scipy import signal

from course_lib import conv

RNG = np.random.default_rng(0)


# --- known answers worked by hand -------------------------------------------------------------

def test_correlate2d_hand_worked_example():
    image = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]])
    kernel = np.array([[1.0, 0.0], [0.0, -1.0]])
    # top-left: 1*1 + 5*(-1) = -4; every window gives a - e = -4
    np.testing.assert_array_equal(conv.correlate2d(image, kernel), [[-4.0, -4.0], [-4.0, -4.0]])


def test_convolve2d_flips_the_kernel():
    image = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]])
    kernel = np.array([[1.0, 0.0], [0.0, -1.0]])
    # flipped kernel [[-1, 0], [0, 1]]: e - a = 4
    np.testing.assert_array_equal(conv.convolve2d(image, kernel), [[4.0, 4.0], [4.0, 4.0]])


def test_sobel_on_bright_square_responds_only_at_horizontal_edges():
    square = np.zeros((8, 8))
    square[2:6, 2:6] = 1.0
    sobel_rows = np.array([[1.0, 2.0, 1.0], [0.0, 0.0, 0.0], [-1.0, -2.0, -1.0]])
    response = conv.correlate2d(square, sobel_rows, padding="same")
    assert response[1, 3] == -4.0  # just above the top edge: the bright side is below
    assert response[5, 3] == 4.0  # bottom edge
    assert response[3, 1] == 0.0 and response[3, 3] == 0.0  # left edge and inside: nothing


@pytest.mark.parametrize(
    ("size", "kernel", "padding", "stride", "expected"),
    [(28, 5, "valid", 1, 24), (28, 5, "same", 1, 28), (28, 5, "full", 1, 32), (32, 3, 1, 1, 32),
     (224, 7, 3, 2, 112), (7, 3, "valid", 2, 3), (7, 3, "same", 2, 4), (5, 5, "valid", 1, 1)],
)
def test_output_size_known_values(size, kernel, padding, stride, expected):
    assert conv.output_size(size, kernel, padding=padding, stride=stride) == expected


def test_pooling_known_values():
    image = np.array([[1.0, 3.0, 2.0, 0.0], [4.0, 2.0, 1.0, 1.0], [0.0, 0.0, 5.0, 6.0], [1.0, 1.0, 7.0, 8.0]])
    np.testing.assert_array_equal(conv.max_pool2d(image, 2), [[4.0, 2.0], [1.0, 8.0]])
    np.testing.assert_array_equal(conv.avg_pool2d(image, 2), [[2.5, 1.0], [0.5, 6.5]])


def test_pooling_works_per_channel():
    image = RNG.random((6, 6, 3))
    pooled = conv.max_pool2d(image, 2)
    assert pooled.shape == (3, 3, 3)
    for channel in range(3):
        np.testing.assert_array_equal(pooled[..., channel], conv.max_pool2d(image[..., channel], 2))


def test_receptive_field_of_stacked_layers():
    assert conv.receptive_field([3]) == 3
    assert conv.receptive_field([3, 3]) == 5
    assert conv.receptive_field([5, 2, 5, 2], strides=[1, 2, 1, 2]) == 16  # LeNet: 1 + 4 + 1 + 4*2 + 1*2


# --- properties ---------------------------------------------------------------------------------

def test_output_shape_always_matches_output_size():
    for _ in range(50):
        height, width = RNG.integers(5, 20, size=2)
        kh, kw = RNG.integers(1, 6, size=2)
        stride = int(RNG.integers(1, 4))
        padding = ["valid", "same", "full", int(RNG.integers(0, 3))][RNG.integers(0, 4)]
        out = conv.correlate2d(RNG.random((height, width)), RNG.random((kh, kw)), padding=padding, stride=stride)
        assert out.shape == (
            conv.output_size(int(height), int(kh), padding=padding, stride=stride),
            conv.output_size(int(width), int(kw), padding=padding, stride=stride),
        )


def test_correlation_is_linear_in_the_image():
    a, b, kernel = RNG.random((9, 9)), RNG.random((9, 9)), RNG.random((3, 3))
    np.testing.assert_allclose(
        conv.correlate2d(2 * a + 3 * b, kernel), 2 * conv.correlate2d(a, kernel) + 3 * conv.correlate2d(b, kernel),
        atol=1e-12,
    )


def test_conv_matrix_matches_correlation_and_its_transpose_matches_conv_transpose():
    image, kernel = RNG.random((6, 7)), RNG.random((3, 2))
    for stride in (1, 2):
        matrix = conv.conv_matrix(image.shape, kernel, stride=stride)
        expected = conv.correlate2d(image, kernel, stride=stride)
        np.testing.assert_allclose(matrix @ image.ravel(), expected.ravel(), atol=1e-12)
        feature_map = RNG.random(expected.shape)
        upsampled = conv.conv_transpose2d(feature_map, kernel, stride=stride)
        back = (matrix.T @ feature_map.ravel()).reshape(image.shape)
        # with a stride the last rows/columns of the image may be reached by no window: zeros there
        padded = np.zeros(image.shape)
        padded[: upsampled.shape[0], : upsampled.shape[1]] = upsampled
        np.testing.assert_allclose(padded, back, atol=1e-12)


def test_transposed_convolution_is_the_adjoint():
    # <C x, y> == <x, C^T y> for the convolution C and its transpose
    image, kernel = RNG.random((8, 8)), RNG.random((3, 3))
    feature_map = RNG.random((6, 6))
    left = np.sum(conv.correlate2d(image, kernel) * feature_map)
    right = np.sum(image * conv.conv_transpose2d(feature_map, kernel))
    assert left == pytest.approx(right, rel=1e-12)


# --- references: scipy and TensorFlow ------------------------------------------------------------

@pytest.mark.parametrize("mode", ["valid", "full", "same"])
def test_matches_scipy_on_random_inputs(mode):
    for _ in range(20):
        image = RNG.normal(size=tuple(RNG.integers(6, 30, size=2)))
        shape = tuple(2 * RNG.integers(0, 3, size=2) + 1)  # odd kernels: scipy's 'same' centring
        kernel = RNG.normal(size=shape)
        np.testing.assert_allclose(
            conv.correlate2d(image, kernel, padding=mode), signal.correlate2d(image, kernel, mode=mode), atol=1e-10
        )
        np.testing.assert_allclose(
            conv.convolve2d(image, kernel, padding=mode), signal.convolve2d(image, kernel, mode=mode), atol=1e-10
        )


def test_strided_output_is_the_subsampled_dense_output():
    image, kernel = RNG.normal(size=(17, 13)), RNG.normal(size=(4, 3))
    dense = signal.correlate2d(image, kernel, mode="valid")
    np.testing.assert_allclose(conv.correlate2d(image, kernel, stride=(2, 3)), dense[::2, ::3], atol=1e-10)


@pytest.mark.slow
def test_conv2d_matches_tf_nn_conv2d():
    tf = pytest.importorskip("tensorflow")
    for trial in range(24):
        n, height, width = 2, int(RNG.integers(5, 16)), int(RNG.integers(5, 16))
        c_in, c_out = int(RNG.integers(1, 4)), int(RNG.integers(1, 4))
        kh, kw = int(RNG.integers(1, 5)), int(RNG.integers(1, 5))
        stride = int(RNG.integers(1, 4))
        padding = ["valid", "same", int(RNG.integers(0, 3))][trial % 3]
        images = RNG.normal(size=(n, height, width, c_in))
        kernels = RNG.normal(size=(kh, kw, c_in, c_out))
        tf_padding = padding.upper() if isinstance(padding, str) else [[0, 0], [padding] * 2, [padding] * 2, [0, 0]]
        expected = tf.nn.conv2d(images, kernels, strides=stride, padding=tf_padding).numpy()
        np.testing.assert_allclose(conv.conv2d(images, kernels, padding=padding, stride=stride), expected, atol=1e-10)


@pytest.mark.slow
def test_pooling_matches_keras():
    tf = pytest.importorskip("tensorflow")
    image = RNG.normal(size=(9, 11, 2))
    expected_max = tf.nn.max_pool2d(image[None], ksize=3, strides=2, padding="VALID").numpy()[0]
    expected_avg = tf.nn.avg_pool2d(image[None], ksize=2, strides=2, padding="VALID").numpy()[0]
    np.testing.assert_allclose(conv.max_pool2d(image, 3, stride=2), expected_max, atol=1e-12)
    np.testing.assert_allclose(conv.avg_pool2d(image, 2), expected_avg, atol=1e-12)


# --- bad input -------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: conv.correlate2d(np.ones((4, 4, 3)), np.ones((3, 3))), ValueError, r"image must be 2-D; got shape \(4, 4, 3\)"),
        (lambda: conv.correlate2d(np.ones((4, 4)), np.ones((3, 3, 1, 4))), ValueError, "kernel must be 2-D.*Use conv2d"),
        (lambda: conv.correlate2d(np.ones((2, 2)), np.ones((3, 3))), ValueError, "kernel has 3 rows but image has only 2"),
        (lambda: conv.correlate2d(np.ones((4, 4)), np.ones((3, 3)), stride=0), ValueError, "stride must be >= 1; got 0"),
        (lambda: conv.correlate2d(np.ones((4, 4)), np.ones((3, 3)), stride=-2), ValueError, "stride must be >= 1"),
        (lambda: conv.correlate2d(np.ones((4, 4)), np.ones((3, 3)), stride=1.5), TypeError, "stride must be an int or a pair of ints; got 1.5"),
        (lambda: conv.correlate2d([["a", "b"], ["c", "d"]], np.ones((1, 1))), TypeError, "image must be a numeric array"),
        (lambda: conv.correlate2d("image", np.ones((1, 1))), TypeError, "image must be a numeric array; got str"),
        (lambda: conv.correlate2d(np.array([[np.nan, 1.0]]), np.ones((1, 1))), ValueError, "image contains NaN"),
        (lambda: conv.correlate2d(np.ones((4, 4)), np.ones((3, 3)), padding="circular"), ValueError, "padding must be one of"),
        (lambda: conv.correlate2d(np.ones((4, 4)), np.ones((3, 3)), padding=-1), ValueError, "padding must be >= 0"),
        (lambda: conv.correlate2d(np.ones((4, 4)), np.ones((3, 3)), padding=1.0), TypeError, "padding must be 'valid'"),
        (lambda: conv.correlate2d(np.zeros((0, 4)), np.ones((1, 1))), ValueError, "image must not be empty"),
        (lambda: conv.convolve2d(np.ones((4, 4)), np.ones(3)), ValueError, "kernel must be 2-D"),
        (lambda: conv.conv2d(np.ones((4, 4, 1)), np.ones((3, 3, 1, 1))), ValueError, r"images must be 4-D.*images\[None\]"),
        (lambda: conv.conv2d(np.ones((1, 4, 4, 2)), np.ones((3, 3, 3, 1))), ValueError, "images have 2 channels but kernels expect C_in=3"),
        (lambda: conv.conv2d(np.ones((1, 2, 2, 1)), np.ones((3, 3, 1, 1))), ValueError, "kernels are 3x3 but images are 2x2"),
        (lambda: conv.output_size(5, 7), ValueError, "kernel_size 7 is larger than the padded input"),
        (lambda: conv.output_size(0, 3), ValueError, "size must be >= 1"),
        (lambda: conv.output_size(5.0, 3), TypeError, "size must be an integer"),
        (lambda: conv.output_size(5, 3, stride=0), ValueError, "stride must be >= 1"),
        (lambda: conv.max_pool2d(np.ones((3, 3)), 4), ValueError, r"size \(4, 4\) is larger than the image"),
        (lambda: conv.max_pool2d(np.ones((2, 3, 3, 1)), 2), ValueError, "image must be 2-D or 3-D"),
        (lambda: conv.avg_pool2d(np.ones((4, 4)), 2, stride=0), ValueError, "stride must be >= 1"),
        (lambda: conv.max_pool2d(np.ones((4, 4)), (2, 2, 2)), TypeError, "size must be an int or a pair"),
        (lambda: conv.receptive_field([]), ValueError, "at least one layer"),
        (lambda: conv.receptive_field([3, 3], strides=[1]), ValueError, "one entry per layer"),
        (lambda: conv.receptive_field([0]), ValueError, "kernel_sizes must be >= 1"),
        (lambda: conv.conv_matrix((2, 2), np.ones((3, 3))), ValueError, "kernel_size 3 is larger"),
        (lambda: conv.conv_transpose2d(np.ones((2, 2)), np.ones((2, 2)), stride=0), ValueError, "stride must be >= 1"),
    ],
)
def test_bad_input_raises_clear_errors(call, error, match):
    with pytest.raises(error, match=match):
        call()
