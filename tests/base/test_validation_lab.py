"""The shared checks of label exactness, channels, axes and CIE Lab ranges: known answers and properties."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from course_lib._validation import (AB_RANGE, LABEL_LIMIT, as_ab, as_axis, as_channels, as_labels, as_lightness,
                                    as_probabilities)

PROFILE = settings(derandomize=True, max_examples=30, deadline=None, database=None)


# --- labels too large to be a class ---------------------------------------------------------------

@pytest.mark.parametrize("value, shown", [(1e300, r"1e\+300"), (2.0**70, r"1\.18059e\+21")])
def test_as_labels_refuses_a_whole_float_too_large_to_be_a_class(value, shown):
    with pytest.raises(ValueError, match=rf"^y_pred must be class numbers up to 9007199254740992 at most; got {shown} "
                                         r"at index \(1, 0\)\. Pass class indices"):
        as_labels("y_pred", [[0.0, 1.0], [value, 2.0]], ndim=None)


def test_as_labels_keeps_the_largest_exact_label():
    assert as_labels("labels", [0.0, float(LABEL_LIMIT)]).tolist() == [0, LABEL_LIMIT]


# --- channels and 0-d values ----------------------------------------------------------------------

def test_as_channels_refuses_0_d_and_a_wrong_last_axis():
    with pytest.raises(ValueError, match=r"^ab must have 2 channels in its last axis, shape \(\.\.\., 2\); got a 0-d value"):
        as_channels("ab", np.float64(3.0), 2, layout="(..., 2)")
    with pytest.raises(ValueError, match=r"^images must have 3 channels in its last axis, shape \(\.\.\., H, W, 3\); "
                                         r"got shape \(4, 3\)\.$"):
        as_channels("images", np.zeros((4, 3)), 3, min_ndim=3, layout="(..., H, W, 3)")
    assert as_channels("ab", [[1, 2]], 2).dtype == np.float64


# --- axes -----------------------------------------------------------------------------------------

def test_as_axis_known_answers():
    assert as_axis("axis", -1, (2, 3)) == 1 and as_axis("axis", 0, (2, 3)) == 0
    with pytest.raises(ValueError, match=r"^axis must be an axis of logits, an int in -2\.\.1 for its shape \(2, 3\); got -3\.$"):
        as_axis("axis", -3, (2, 3), array="logits")
    with pytest.raises(TypeError, match=r"^axis must be an int \(an axis of logits\); got 1\.5 \(float\)\.$"):
        as_axis("axis", 1.5, (2, 3), array="logits")
    with pytest.raises(ValueError, match=r"^axis has nothing to select: logits is 0-d \(shape \(\)\)"):
        as_axis("axis", -1, (), array="logits")


@PROFILE
@given(hnp.array_shapes(min_dims=1, max_dims=4, max_side=3), st.integers(-5, 4))
def test_as_axis_accepts_what_numpy_accepts_and_names_the_rest(shape, axis):
    try:
        moved = np.moveaxis(np.zeros(shape), axis, 0).shape  # NumPy's own verdict on the axis
    except np.exceptions.AxisError:
        with pytest.raises(ValueError, match=r"^axis must be an axis of the array, an int in"):
            as_axis("axis", axis, shape)
        return
    normal = as_axis("axis", axis, shape)
    assert 0 <= normal < len(shape) and moved[0] == shape[normal] and normal == axis % len(shape)


# --- Lab lightness --------------------------------------------------------------------------------

def test_as_lightness_refuses_lab_units_0_255_and_8_bit():
    with pytest.raises(ValueError, match=r"^lightness must be L / 100 in \[0, 1\]; got values in \[0, 100\]\. "
                                         r"It looks like Lab units \(L in 0\.\.100\): divide it by 100\.$"):
        as_lightness("lightness", [[0.0], [100.0]])
    with pytest.raises(ValueError, match=r"got values in \[0, 200\]\. It looks like 0\.\.255: divide it by 255\.$"):
        as_lightness("lightness", [[0.0], [200.0]])
    with pytest.raises(ValueError, match=r"got values in \[-5, 0\.5\]\. Pass the lightness that split_lab returns\.$"):
        as_lightness("lightness", [[-5.0], [0.5]])
    with pytest.raises(ValueError, match=r"^lightness must be L / 100 in \[0, 1\] as floats; got dtype uint8\. "
                                         r"Convert it: lightness = lightness / 255"):
        as_lightness("lightness", np.full((2, 1), 200, dtype=np.uint8))


def test_as_lightness_allows_float32_rounding_of_white():
    assert as_lightness("lightness", np.array([[1.0000001]], dtype=np.float32)).shape == (1, 1)


# --- Lab colour -----------------------------------------------------------------------------------

def test_as_ab_refuses_8_bit_lab_and_values_beyond_any_colour():
    with pytest.raises(ValueError, match=r"^ab must be \(a, b\) in Lab units, within -128\.\.128 as floats; got dtype uint8\. "
                                         r"8-bit Lab stores a \+ 128: convert it with ab\.astype\(float\) - 128\.$"):
        as_ab("ab", np.full((2, 2), 130, dtype=np.uint8))
    with pytest.raises(ValueError, match=r"^ab must be \(a, b\) in Lab units, within -128\.\.128; got values in \[100, 250\]\. "
                                         r"It looks like 8-bit Lab"):
        as_ab("ab", [[100.0, 250.0]])
    with pytest.raises(ValueError, match=r"got values in \[-300, 0\]\. Pass the ab that split_lab returns"):
        as_ab("ab", [[-300.0, 0.0]])


@PROFILE
@given(hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=3, max_side=4).map(lambda s: (*s, 2)),
                  elements=st.floats(-AB_RANGE, AB_RANGE)))
def test_as_ab_passes_every_lab_colour_unchanged(ab):
    np.testing.assert_array_equal(as_ab("ab", ab), ab)


# --- probabilities --------------------------------------------------------------------------------

def test_as_probabilities_refuses_logits_8_bit_unnormalised_and_0_d():
    with pytest.raises(ValueError, match=r"^probabilities must be in \[0, 1\], each row summing to 1; got values in \[-1, 2\]\. "
                                         r"These look like logits: apply a softmax first"):
        as_probabilities("probabilities", [[-1.0, 2.0]])
    with pytest.raises(ValueError, match=r"^probabilities must be probabilities in \[0, 1\] as floats; got dtype uint8\. "
                                         r"Apply a softmax"):
        as_probabilities("probabilities", np.array([[100, 155]], dtype=np.uint8))
    with pytest.raises(ValueError, match=r"^probabilities must sum to 1 over its last axis \(one distribution per pixel\); "
                                         r"got a row summing to 0\.5\. Apply a softmax to scores, or divide by the sum"):
        as_probabilities("probabilities", [[0.5, 0.5], [0.25, 0.25]])
    with pytest.raises(ValueError, match=r"^probabilities must hold one probability per bin in its last axis, "
                                         r"shape \(\.\.\., Q\); got a 0-d value\.$"):
        as_probabilities("probabilities", 0.5)


@PROFILE
@given(hnp.arrays(np.float64, (3, 5), elements=st.floats(0.01, 10.0)))
def test_as_probabilities_passes_every_normalised_row(weights):
    probabilities = weights / weights.sum(axis=-1, keepdims=True)
    np.testing.assert_array_equal(as_probabilities("probabilities", probabilities), probabilities)
