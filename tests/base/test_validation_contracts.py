"""The shared argument contracts (issue 22): images, labels, seeds, kernels, counts, ragged lists, memory.

Known answers for each check, and Hypothesis properties: valid inputs pass unchanged and are never
mutated; each kind of bad input raises ValueError/TypeError whose message names the argument.
"""

import os

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from course_lib import _limits, config
from course_lib._validation import (NOISY_TOLERANCE, SEED_LIMIT, as_array, as_image, as_int, as_kernel, as_labels,
                                    as_rng, as_seed)

# Deterministic and bounded: the same examples on every run, fast enough for make test.
PROFILE = settings(derandomize=True, max_examples=40, deadline=None, database=None)

unit_images = hnp.arrays(np.float64, hnp.array_shapes(min_dims=2, max_dims=3, min_side=1, max_side=6),
                         elements=st.floats(0.0, 1.0))


# --- images -------------------------------------------------------------------------------------

def test_as_image_refuses_uint8_with_the_fix():
    with pytest.raises(ValueError, match=r"photo must be a float image in \[0, 1\]; got dtype uint8 \(values 0\.\.255\)\. "
                                         r"Convert it first: photo = skimage\.img_as_float\(photo\)\."):
        as_image("photo", np.zeros((4, 4), dtype=np.uint8))


def test_as_image_converts_uint8_and_uint16_when_asked():
    assert as_image("image", np.array([[0, 51, 255]], dtype=np.uint8), convert=True).tolist() == [[0.0, 0.2, 1.0]]
    assert as_image("image", np.array([[65535]], dtype=np.uint16), convert=True).tolist() == [[1.0]]


def test_as_image_refuses_0_255_floats_and_says_divide_by_255():
    with pytest.raises(ValueError, match=r"image must lie in \[0, 1\]; got values in \[0, 200\]\. It looks like 0\.\.255: divide it by 255\."):
        as_image("image", [[0.0, 200.0]])


def test_as_image_refuses_other_ranges_with_a_rescale_hint():
    with pytest.raises(ValueError, match=r"image must lie in \[0, 1\] \(give or take 0\.5\); got values in \[-3, 1\]\. Rescale it"):
        as_image("image", [[-3.0, 1.0]], tolerance=0.5)


def test_as_image_tolerance_lets_noise_through():
    noisy = np.array([[-0.4, 1.4]])
    np.testing.assert_array_equal(as_image("image", noisy, tolerance=0.5), noisy)
    assert as_image("image", np.array([[-1.5, 2.5]]), tolerance=NOISY_TOLERANCE).shape == (1, 2)


def test_as_image_refuses_wrong_channel_counts():
    with pytest.raises(ValueError, match=r"image must have 1 or 3 or 4 channels in its last axis; got shape \(2, 2, 5\)"):
        as_image("image", np.zeros((2, 2, 5)), channels=(1, 3, 4))


@PROFILE
@given(unit_images)
def test_valid_images_pass_unchanged_and_unmutated(image):
    before = image.copy()
    out = as_image("image", image)
    np.testing.assert_array_equal(out, before)
    np.testing.assert_array_equal(image, before)


@PROFILE
@given(hnp.arrays(np.uint8, hnp.array_shapes(min_dims=2, max_dims=3, min_side=1, max_side=5)), st.sampled_from(["img", "clean"]))
def test_any_uint8_image_is_refused_naming_the_argument(image, name):
    with pytest.raises(ValueError, match=rf"^{name} must be a float image in \[0, 1\]; got dtype uint8"):
        as_image(name, image)


@PROFILE
@given(unit_images, st.floats(2.5, 255.0))
def test_scaled_images_are_refused(image, scale):
    image = image.copy()
    image.flat[0] = 1.0  # at least one bright pixel, so the image really is out of range
    with pytest.raises(ValueError, match=r"^image must lie in \[0, 1\]"):
        as_image("image", image * scale)


# --- ragged lists -------------------------------------------------------------------------------

@pytest.mark.parametrize("ragged", [[[1.0, 2.0], [3.0]], [[0.0], [1.0, [2.0]]]])
def test_ragged_lists_name_the_argument(ragged):
    with pytest.raises(ValueError, match=r"^kernel must be a rectangular array; got a ragged sequence"):
        as_array("kernel", ragged)


# --- labels -------------------------------------------------------------------------------------

def test_as_labels_refuses_fractional_labels_instead_of_truncating():
    with pytest.raises(ValueError, match=r"labels must be whole class numbers; got 5\.7 at index \(1,\)\. Round or argmax"):
        as_labels("labels", [0.0, 5.7])


def test_as_labels_refuses_negative_and_too_large_labels():
    with pytest.raises(ValueError, match=r"labels must be >= 0 \(class numbers\); got -1"):
        as_labels("labels", [0, -1])
    with pytest.raises(ValueError, match=r"labels must be < 3 \(the number of classes\); got 3"):
        as_labels("labels", [0, 3], classes=3)


@PROFILE
@given(st.lists(st.integers(0, 9), min_size=1, max_size=20))
def test_whole_labels_pass_as_int64(labels):
    out = as_labels("labels", np.array(labels, dtype=float))
    assert out.dtype == np.int64 and out.tolist() == labels


# --- seeds --------------------------------------------------------------------------------------

@pytest.mark.parametrize("seed", [-1, SEED_LIMIT, 10**30])
def test_seeds_outside_0_to_2_32_are_refused(seed):
    with pytest.raises(ValueError, match=r"rng must be an int in 0\.\.4294967295; got .*e\.g\. rng=0\."):
        as_rng(seed)
    with pytest.raises(ValueError, match=r"seed must be an int in 0\.\.4294967295"):
        as_seed("seed", seed)


@pytest.mark.parametrize("seed", [1.5, "0", True, [0]])
def test_seeds_of_other_types_are_refused(seed):
    with pytest.raises(TypeError, match=r"^rng must be an int seed, a numpy.random.Generator or None"):
        as_rng(seed)
    with pytest.raises(TypeError, match=r"^seed must be an integer \(a seed"):
        as_seed("seed", seed)


@PROFILE
@given(st.integers(0, SEED_LIMIT - 1))
def test_valid_seeds_give_numpys_generator(seed):
    assert as_rng(seed).integers(1 << 30) == np.random.default_rng(seed).integers(1 << 30)
    assert as_seed("seed", seed) == seed


def test_a_generator_is_used_as_it_is():
    generator = np.random.default_rng(0)
    assert as_rng(generator) is generator


# --- kernels and counts -------------------------------------------------------------------------

def test_as_kernel_refuses_a_zero_sum_where_the_method_divides_by_it():
    with pytest.raises(ValueError, match=r"kernel must have a non-zero sum for Wiener deconvolution; got sum 0"):
        as_kernel("kernel", np.zeros((3, 3)), nonzero_sum=True, method="Wiener deconvolution")


def test_as_kernel_refuses_negative_weights_where_the_method_needs_light():
    with pytest.raises(ValueError, match=r"kernel must be non-negative for Richardson-Lucy .* got a minimum of -1"):
        as_kernel("kernel", [[1.0, -1.0, 1.0]], nonnegative=True, method="Richardson-Lucy")


def test_as_kernel_refuses_nan():
    with pytest.raises(ValueError, match=r"kernel contains NaN or infinite values"):
        as_kernel("kernel", [[np.nan]])


def test_as_int_maximum_says_why():
    with pytest.raises(ValueError, match=r"^steps must be <= 10; got 11\. Fewer are enough\.$"):
        as_int("steps", 11, minimum=1, maximum=10, why="Fewer are enough.")


# --- memory -------------------------------------------------------------------------------------

def test_check_memory_names_the_size_and_the_argument():
    with pytest.raises(ValueError, match=r"^stride asks for 8\.0 GiB for the patches, above the limit of 1 GiB "
                                         r"\(course_lib\.config\.MEMORY_LIMIT_GIB\); raise the stride\.$"):
        _limits.check_memory(2**30, what="the patches", argument="stride", fix="raise the stride")


def test_check_memory_refuses_overflowing_sizes():
    with pytest.raises(ValueError, match=r"size asks for inf GiB"):
        _limits.check_memory(float("inf"), what="x", argument="size", fix="smaller")


def test_memory_limit_follows_config_and_the_environment(monkeypatch):
    monkeypatch.delenv(config.MEMORY_VARIABLE, raising=False)
    _limits.check_memory(0.9 * 2**27, what="x", argument="n", fix="less")  # 0.9 GiB passes
    monkeypatch.setattr(config, "MEMORY_LIMIT_GIB", 0.5)
    with pytest.raises(ValueError, match=r"above the limit of 0\.5 GiB"):
        _limits.check_memory(0.9 * 2**27, what="x", argument="n", fix="less")
    monkeypatch.setenv(config.MEMORY_VARIABLE, "2")
    assert config.memory_limit_gib() == 2.0
    _limits.check_memory(1.5 * 2**27, what="x", argument="n", fix="less")


@pytest.mark.parametrize("text", ["-1", "zero", "0"])
def test_a_bad_memory_variable_is_refused(monkeypatch, text):
    monkeypatch.setenv(config.MEMORY_VARIABLE, text)
    with pytest.raises(ValueError, match=rf"environment variable COURSE_MEMORY_LIMIT_GIB must be a positive number of GiB; got '{text}'"):
        config.memory_limit_gib()
    assert os.environ[config.MEMORY_VARIABLE] == text


# --- the wider fuzz pass (every public function): mappings, name lists, int lists -----------------

def test_as_mapping_names_the_argument():
    from course_lib._validation import as_mapping

    assert as_mapping("curves", {"a": 1}) == {"a": 1}
    with pytest.raises(TypeError, match=r"^curves must be a dict \(label -> values\); got str\. Wrap it"):
        as_mapping("curves", "abc", what="label -> values")


def test_as_names_refuses_a_bare_string():
    from course_lib._validation import as_names

    assert as_names("class_names", ("a", "b")) == ["a", "b"]
    with pytest.raises(TypeError, match=r"^class_names must be a list of strings; got str 'abc'\. Wrap it: \['abc'\]"):
        as_names("class_names", "abc")
    with pytest.raises(TypeError, match=r"^class_names must be a list of strings; got int\."):
        as_names("class_names", 3)


def test_as_ints_refuses_a_non_list():
    from course_lib._validation import as_ints

    assert as_ints("filters", [8, 16], minimum=1) == [8, 16]
    with pytest.raises(TypeError, match=r"^filters must be a list of ints; got NoneType\."):
        as_ints("filters", None)
    with pytest.raises(ValueError, match=r"filters must be >= 1"):
        as_ints("filters", [8, 0], minimum=1)


def test_label_metrics_use_as_labels_and_name_a_ragged_map():
    from course_lib import metrics

    with pytest.raises(ValueError, match=r"^y_true must be a rectangular array; got a ragged sequence"):
        metrics.mean_iou([[0, 1], [0]], [[0, 1], [0, 1]])
