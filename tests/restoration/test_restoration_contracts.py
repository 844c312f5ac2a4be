"""Contracts of the restoration topic (issue 22): 8-bit and 0..255 images, kernels, caps, memory."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from course_lib import restoration
from course_lib.restoration import baselines

PROFILE = settings(derandomize=True, max_examples=15, deadline=None, database=None)
CLEAN = np.linspace(0, 1, 32 * 32).reshape(32, 32)
U8 = (CLEAN * 255).astype(np.uint8)
KERNEL = np.full((3, 3), 1 / 9)


@pytest.mark.parametrize("task", ["denoise", "deblur"])
def test_corrupt_refuses_uint8_for_both_tasks(task):
    with pytest.raises(ValueError, match=r"image must be a float image in \[0, 1\]; got dtype uint8 .*img_as_float"):
        restoration.corrupt(U8, task, rng=0)


def test_corrupt_refuses_0_255_floats():
    with pytest.raises(ValueError, match=r"image must lie in \[0, 1\] \(give or take 0\.05\).*divide it by 255"):
        restoration.corrupt(CLEAN * 255, "deblur", rng=0)


@pytest.mark.parametrize("task, extra, name", [("denoise", {"length": "abc"}, "length"), ("denoise", {"noise": 0.1}, "noise"),
                                               ("deblur", {"sigma": 0.1}, "sigma")])
def test_corrupt_refuses_parameters_of_the_other_task(task, extra, name):
    with pytest.raises(ValueError, match=rf"^{name} does not apply to task='{task}'"):
        restoration.corrupt(CLEAN, task, rng=0, **extra)


def test_corrupt_refuses_a_negative_seed():
    with pytest.raises(ValueError, match=r"^rng must be an int in 0\.\.4294967295; got -1"):
        restoration.corrupt(CLEAN, "denoise", rng=-1)


def test_evaluate_refuses_uint8_naming_the_image():
    with pytest.raises(ValueError, match=r"^images\['photo'\] must be a float image in \[0, 1\]; got dtype uint8"):
        restoration.evaluate({"photo": U8}, "denoise", {}, sigma=0.1)


def test_evaluate_refuses_a_list_of_images():
    with pytest.raises(TypeError, match=r"^images must be a mapping of name -> \(H, W\) image; got list"):
        restoration.evaluate([CLEAN], "denoise", {}, sigma=0.1)


def test_compare_refuses_0_255_images():
    with pytest.raises(ValueError, match=r"^clean must lie in \[0, 1\]"):
        restoration.compare(CLEAN * 255, CLEAN * 255, {})


def test_wiener_refuses_a_zero_kernel():
    with pytest.raises(ValueError, match=r"^kernel must have a non-zero sum for Wiener deconvolution"):
        baselines.wiener_deblur(CLEAN, np.zeros((3, 3)))


def test_richardson_lucy_refuses_negative_kernels_and_endless_iterations():
    with pytest.raises(ValueError, match=r"^kernel must be non-negative for Richardson-Lucy"):
        baselines.richardson_lucy_deblur(CLEAN, KERNEL - 0.2)
    with pytest.raises(ValueError, match=r"^iterations must be <= 1000; got 100000\. Past a few hundred"):
        baselines.richardson_lucy_deblur(CLEAN, KERNEL, iterations=100_000)


def test_baselines_refuse_8_bit_input():
    with pytest.raises(ValueError, match=r"^image must be a float image in \[0, 1\]; got dtype uint8"):
        baselines.tv_denoise(U8)


def test_extract_patches_names_the_stride_for_a_big_image():
    with pytest.raises(ValueError, match=r"^stride asks for 26\.8 GiB for 877969 patches of 64 x 64, above the limit "
                                         r"of 1 GiB .*raise the stride \(e\.g\. stride=32\)"):
        restoration.extract_patches(np.zeros((1000, 1000)), 64)


def test_average_patches_refuses_a_huge_shape():
    patches, corners = restoration.extract_patches(CLEAN, 8, stride=8)
    with pytest.raises(ValueError, match=r"^shape asks for .* GiB for a 100000 x 100000 image and its counts"):
        restoration.average_patches(patches, corners, (100_000, 100_000))


def test_restore_image_refuses_uint8():
    class Identity:
        def predict(self, batch, verbose=0):
            return batch

    with pytest.raises(ValueError, match=r"^image must be a float image in \[0, 1\]; got dtype uint8"):
        restoration.restore_image(Identity(), U8)


@PROFILE
@given(hnp.arrays(np.float64, (24, 24), elements=st.floats(0.0, 1.0)), st.sampled_from(["denoise", "deblur"]),
       st.integers(0, 2**32 - 1))
def test_corrupt_never_mutates_and_never_raises_on_valid_input(image, task, seed):
    before = image.copy()
    corrupted, params = restoration.corrupt(image, task, rng=seed)
    np.testing.assert_array_equal(image, before)
    assert corrupted.shape == image.shape and np.all(np.isfinite(corrupted))


@PROFILE
@given(st.integers(1, 6), st.integers(1, 6))
def test_patches_round_trip_for_every_valid_stride(patch_size, stride):
    if stride > patch_size:
        with pytest.raises(ValueError, match=r"^stride must be <= patch_size"):
            restoration.extract_patches(CLEAN[:12, :12], patch_size, stride=stride)
        return
    patches, corners = restoration.extract_patches(CLEAN[:12, :12], patch_size, stride=stride)
    np.testing.assert_allclose(restoration.average_patches(patches, corners, (12, 12)), CLEAN[:12, :12])


def test_average_patches_names_ragged_corners():
    with pytest.raises(ValueError, match=r"^corners must be a rectangular array"):
        restoration.average_patches(np.ones((2, 2, 2)), [[0, 0], [1]], (4, 4))
