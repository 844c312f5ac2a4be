"""Contracts of conv (issue 22): padding, stride and input sizes whose memory or work explodes are refused first."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from course_lib import conv

PROFILE = settings(derandomize=True, max_examples=25, deadline=None, database=None)
IMAGE = np.arange(36.0).reshape(6, 6)


def test_correlate2d_names_a_huge_padding():
    with pytest.raises(ValueError, match=r"^padding asks for 596\.1 GiB for a padded 200006 x 200006 input and a 200004 x 200004 output"):
        conv.correlate2d(IMAGE, np.ones((3, 3)), padding=100_000)


def test_correlate2d_refuses_work_of_minutes():
    with pytest.raises(ValueError, match=r"^kernel of 400 x 400 over a 2000 x 2000 output needs 6\.4e\+11 multiply-adds"):
        conv.correlate2d(np.zeros((2000, 2000)), np.ones((400, 400)), padding="same")


def test_conv2d_names_a_huge_padding():
    with pytest.raises(ValueError, match=r"^padding asks for .* GiB"):
        conv.conv2d(np.zeros((1, 6, 6, 1)), np.ones((3, 3, 1, 1)), padding=100_000)


def test_conv_matrix_refuses_a_7_tib_matrix():
    with pytest.raises(ValueError, match=r"^input_shape asks for .* GiB for a \(996004, 1000000\) matrix"):
        conv.conv_matrix((1000, 1000), np.ones((3, 3)))


def test_conv_transpose2d_refuses_a_huge_stride():
    with pytest.raises(ValueError, match=r"^stride asks for .* GiB for the upsampled output"):
        conv.conv_transpose2d(np.ones((4, 4)), np.ones((3, 3)), stride=100_000)


def test_ragged_image_names_the_argument():
    with pytest.raises(ValueError, match=r"^image must be a rectangular array; got a ragged sequence"):
        conv.correlate2d([[1.0, 2.0], [3.0]], np.ones((1, 1)))


@PROFILE
@given(hnp.arrays(np.float64, hnp.array_shapes(min_dims=2, max_dims=2, min_side=3, max_side=8),
                  elements=st.floats(-10, 10)),
       hnp.arrays(np.float64, hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=3), elements=st.floats(-1, 1)),
       st.sampled_from(["valid", "same", "full", 0, 2]), st.integers(1, 3))
def test_valid_calls_never_raise_and_never_mutate(image, kernel, padding, stride):
    image_before, kernel_before = image.copy(), kernel.copy()
    out = conv.correlate2d(image, kernel, padding=padding, stride=stride)
    np.testing.assert_array_equal(image, image_before)
    np.testing.assert_array_equal(kernel, kernel_before)
    kh, kw = kernel.shape
    assert out.shape == (conv.output_size(image.shape[0], kh, padding=padding, stride=stride),
                         conv.output_size(image.shape[1], kw, padding=padding, stride=stride))


@PROFILE
@given(st.sampled_from([np.nan, np.inf]), st.sampled_from(["image", "kernel"]))
def test_non_finite_inputs_name_the_argument(bad, name):
    image, kernel = IMAGE.copy(), np.ones((2, 2))
    (image if name == "image" else kernel)[0, 0] = bad
    with pytest.raises(ValueError, match=rf"^{name} contains NaN or infinite values"):
        conv.correlate2d(image, kernel)


@pytest.mark.parametrize("kernel_sizes, strides, name", [(None, None, "kernel_sizes"), ("33", None, "kernel_sizes"),
                                                         ([3, 3], 2, "strides")])
def test_receptive_field_names_a_non_sequence(kernel_sizes, strides, name):
    with pytest.raises(TypeError, match=rf"^{name} must be a sequence of ints, one per layer"):
        conv.receptive_field(kernel_sizes, strides)
