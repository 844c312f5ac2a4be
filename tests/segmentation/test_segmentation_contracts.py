"""Input contracts of segmentation: Lab ranges, 0-d values, patch sizes, counts, and arguments checked before I/O."""

import numpy as np
import pytest

from course_lib import data, segmentation
from course_lib.segmentation import colour, pets

RGB = np.linspace(0.0, 1.0, 2 * 4 * 4 * 3).reshape(2, 4, 4, 3)
LIGHTNESS, AB = colour.split_lab(RGB)
CENTRES = colour.ab_bins(110.0)  # (4, 2)
PROBABILITIES = np.full((2, 4, 4, 4), 0.25)


# --- colour_patches: sizes inside the documented range that do not fit -----------------------------

def test_a_patch_larger_than_the_downscaled_photographs_names_size_and_scale():
    with pytest.raises(ValueError, match=r"^size must fit the smallest train photograph, [1-9] pixels at scale=0\.01; "
                                         r"got size=16\. Use a smaller size or a larger scale\.$"):
        colour.colour_patches(2, size=16, scale=0.01)
    with pytest.raises(ValueError, match=r"^size must fit the smallest train photograph, \d+ pixels at scale=0\.25; got size=1000\."):
        colour.colour_patches(2, size=1000)


def test_the_fit_is_the_side_the_rescaled_photographs_have():
    fits = max(int(np.round(colour._shortest_side("test") * 0.25)), 1)
    assert fits == min(min(photo.shape[:2]) for photo in colour._photos("test", 0.25))
    assert colour.colour_patches(1, size=fits, split="test", rng=0).shape == (1, fits, fits, 3)  # the largest that fits


def test_colour_patches_refuses_a_huge_count_before_reading_a_photograph():
    with pytest.raises(ValueError, match=r"^n=1000000000000 with size=32 asks for 11444091\.8 GiB for the patches"):
        colour.colour_patches(10**12)


# --- the classic Lab mistakes ------------------------------------------------------------------------

def test_join_lab_refuses_lightness_in_lab_units_or_8_bit():
    with pytest.raises(ValueError, match=r"^lightness must be L / 100 in \[0, 1\]; got values in \[0\.633, 98\.9\]\. "
                                         r"It looks like Lab units \(L in 0\.\.100\): divide it by 100\.$"):
        colour.join_lab(LIGHTNESS * 100, AB)
    with pytest.raises(ValueError, match=r"^lightness must be L / 100 in \[0, 1\] as floats; got dtype uint8"):
        colour.join_lab((LIGHTNESS * 255).astype(np.uint8), AB)


def test_join_lab_refuses_8_bit_ab():
    with pytest.raises(ValueError, match=r"^ab must be \(a, b\) in Lab units, within -128\.\.128 as floats; got dtype uint8"):
        colour.join_lab(LIGHTNESS, (AB + 128).astype(np.uint8))
    with pytest.raises(ValueError, match=r"^ab must be \(a, b\) in Lab units, within -128\.\.128; got values in .* "
                                         r"It looks like 8-bit Lab \(a \+ 128, as OpenCV stores it\): subtract 128\.$"):
        colour.join_lab(LIGHTNESS, AB + 128 + np.array([0.0, 60.0]))


def test_join_lab_keeps_the_round_trip():
    np.testing.assert_allclose(colour.join_lab(LIGHTNESS, AB), RGB, atol=1e-3)


def test_decode_ab_refuses_logits_8_bit_and_unnormalised_rows():
    with pytest.raises(ValueError, match=r"^probabilities must be in \[0, 1\], each row summing to 1; got values in "
                                         r"\[-1\.39, -1\.39\]\. These look like logits"):
        colour.decode_ab(np.log(PROBABILITIES), CENTRES)
    with pytest.raises(ValueError, match=r"^probabilities must be probabilities in \[0, 1\] as floats; got dtype uint8"):
        colour.decode_ab((PROBABILITIES * 255).astype(np.uint8), CENTRES)
    with pytest.raises(ValueError, match=r"^probabilities must sum to 1 over its last axis .*got a row summing to 0\.4"):
        colour.decode_ab(PROBABILITIES * 0.4, CENTRES)
    with pytest.raises(ValueError, match=r"^centres must be 2-D, one \(a, b\) row per bin, shape \(Q, 2\); got shape \(1, 4, 2\)\.$"):
        colour.decode_ab(PROBABILITIES, CENTRES[None])


@pytest.mark.parametrize("call, name", [
    (lambda: colour.split_lab(np.float64(0.5)), "images must be RGB"),
    (lambda: colour.chroma(np.float64(3.0)), "ab must have 2 channels"),
    (lambda: colour.quantize_ab(np.float64(3.0), CENTRES), "ab must have 2 channels"),
    (lambda: colour.join_lab(np.float64(0.5), AB), "lightness must have 1 channels"),
    (lambda: colour.join_lab(LIGHTNESS, np.float64(3.0)), "ab must have 2 channels"),
    (lambda: colour.decode_ab(np.float64(0.5), CENTRES), "probabilities must hold one probability per bin"),
])
def test_a_0_d_value_is_refused_naming_the_argument(call, name):
    with pytest.raises(ValueError, match=rf"^{name}.*(got a 0-d value|got \(\))"):
        call()


# --- counts that explode --------------------------------------------------------------------------

def test_texture_scenes_caps_objects_and_memory():
    with pytest.raises(ValueError, match=r"^max_objects must be <= 64; got 65\. More objects only cover each other\.$"):
        segmentation.texture_scenes(1, size=16, max_objects=65)
    with pytest.raises(ValueError, match=r"^n asks for 3814\.7 GiB for the images and masks, above the limit"):
        segmentation.texture_scenes(10**9, size=16)


def test_rebalance_weights_names_num_bins():
    with pytest.raises(ValueError, match=r"^num_bins asks for 7450\.6 GiB for the per-bin weights"):
        colour.rebalance_weights([0, 1], 10**12)
    with pytest.raises(ValueError, match=r"^bins must hold indices 0 \.\. num_bins - 1 = 1; got values from 0 to 2\. "
                                         r"Pass num_bins=len\(centres\)\.$"):
        colour.rebalance_weights([0, 1, 2], 2)


# --- the Pet loader checks its arguments before any download --------------------------------------

def _no_download(name):
    raise AssertionError(f"downloaded {name} before checking the arguments")


@pytest.mark.parametrize("rng, error, match", [
    ("abc", TypeError, r"^rng must be an int seed, a numpy\.random\.Generator or None; got str\.$"),
    (-1, ValueError, r"^rng must be an int in 0\.\.4294967295; got -1\."),
    (1.5, TypeError, r"^rng must be an int seed, a numpy\.random\.Generator or None; got float\.$"),
])
@pytest.mark.parametrize("failed_before", [[], ["images.tar.gz"]])
def test_oxford_pets_checks_rng_before_any_download(monkeypatch, rng, error, match, failed_before):
    monkeypatch.setattr(data, "download", _no_download)
    monkeypatch.setattr(pets, "_PETS_FAILED", list(failed_before))  # also after a failed download in this session
    with pytest.raises(error, match=match):
        pets.oxford_pets(2, size=32, rng=rng)


def test_oxford_pets_refuses_a_huge_request_before_any_download(monkeypatch):
    monkeypatch.setattr(data, "download", _no_download)
    with pytest.raises(ValueError, match=r"^n=1000000 with size=10000 asks for 1490116\.1 GiB for the images and trimaps"):
        pets.oxford_pets(10**6, size=10**4)
