"""Contracts of the synthetic data (issue 22): counts are capped and checked against the memory limit."""

import pytest

from course_lib import data


def test_shapes_caps_the_count():
    with pytest.raises(ValueError, match=r"^n must be <= 1000000; got 1000000000\. Draw the images in several calls\."):
        data.shapes(10**9)


def test_shapes_checks_the_memory_before_drawing():
    with pytest.raises(ValueError, match=r"^n asks for .* GiB for 100000 images of 128 x 128"):
        data.shapes(100_000, size=128)


def test_shapes_refuses_a_negative_seed():
    with pytest.raises(ValueError, match=r"^rng must be an int in 0\.\.4294967295; got -1"):
        data.shapes(4, rng=-1)


def test_texture_patches_checks_the_memory_before_cutting():
    with pytest.raises(ValueError, match=r"^n_per_class asks for .* GiB for 1000000000 patches of 32 x 32 per texture"):
        data.texture_patches(32, 10**9)


def test_letters_download_and_extract_name_a_wrong_type(tmp_path):
    from course_lib.data import real

    with pytest.raises(TypeError, match=r"^classes must be a string of letters such as 'ABC' or a tuple of them; got int"):
        data.letters(1, classes=3)
    with pytest.raises(TypeError, match=r"^resource must be a resource name such as 'mnist.npz' or a Resource; got int"):
        data.download(3)
    with pytest.raises(TypeError, match=r"^archive must be a path to a \.tar\.gz or \.zip file; got NoneType"):
        real.extract(None)


def test_weights_mismatch_names_a_wrong_model_or_path():
    with pytest.raises(TypeError, match=r"^model must be a Keras model; got str\."):
        data.weights_mismatch("abc", "weights.h5")

    class Model:
        layers = []

    with pytest.raises(TypeError, match=r"^path must be a weights file path \(str or pathlib\.Path\); got NoneType\."):
        data.weights_mismatch(Model(), None)
