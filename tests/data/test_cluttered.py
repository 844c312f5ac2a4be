"""Cluttered digits: whole MNIST digits at random positions, boxes and masks that match, errors."""

import numpy as np
import pytest

from course_lib import data


def test_cluttered_digits_fields():
    sample = data.cluttered_digits(20, size=40, clutter=3, rng=0)
    assert sample.images.shape == (20, 40, 40, 1) and sample.images.dtype == np.float32
    assert 0.0 <= sample.images.min() and sample.images.max() <= 1.0
    assert sample.labels.dtype == np.int64 and set(sample.labels.tolist()) <= set(range(10))
    assert sample.class_names == tuple("0123456789")
    assert sample.boxes.shape == (20, 4) and sample.boxes.dtype == np.int64
    assert sample.masks.shape == (20, 40, 40) and sample.masks.dtype == bool


def test_cluttered_digits_boxes_are_the_tight_boxes_of_the_masks():
    sample = data.cluttered_digits(30, size=48, clutter=4, rng=1)
    for image, mask, (r0, c0, r1, c1) in zip(sample.images, sample.masks, sample.boxes):
        rows, cols = np.nonzero(mask)
        assert (r0, c0, r1, c1) == (rows.min(), cols.min(), rows.max() + 1, cols.max() + 1)
        assert np.all(image[..., 0][mask] > 0.5)  # the mask is ink: clutter only brightens


@pytest.mark.parametrize("clutter", [0, 6])
def test_cluttered_digits_boxes_hold_a_test_digit_untouched_by_clutter(clutter):
    # known answer: the box holds a test digit's ink crop exactly; with no clutter the rest is black
    sample = data.cluttered_digits(12, size=40, clutter=clutter, split="test", rng=2)
    digits, labels = data.mnist_subset(split="test")
    crops = {}
    for digit, label in zip(digits[..., 0], labels):
        rows, cols = np.nonzero(digit > 0.5)
        crop = digit[rows.min() : rows.max() + 1, cols.min() : cols.max() + 1]
        crops[crop.tobytes()] = label
    for image, label, (r0, c0, r1, c1) in zip(sample.images[..., 0], sample.labels, sample.boxes):
        assert crops[image[r0:r1, c0:c1].tobytes()] == label
        if clutter:
            continue
        outside = image.copy()
        outside[r0:r1, c0:c1] = 0.0
        assert not outside.any()


def test_cluttered_digits_are_not_centred():
    # property: the digits' centres spread over the canvas, unlike MNIST's centred digits
    sample = data.cluttered_digits(400, size=56, clutter=0, rng=3)
    centres = (sample.boxes[:, :2] + sample.boxes[:, 2:]) / 2  # (N, 2) rows, cols
    assert centres.std(axis=0).min() > 7.0
    assert centres.min() < 16 and centres.max() > 40


def test_cluttered_digits_clutter_adds_ink_outside_the_digit():
    clean = data.cluttered_digits(50, size=48, clutter=0, rng=4)
    cluttered = data.cluttered_digits(50, size=48, clutter=8, rng=4)
    ink_outside = [(image[..., 0] > 0.5) & ~mask for image, mask in zip(cluttered.images, cluttered.masks)]
    assert np.mean([ink.sum() for ink in ink_outside]) > 20
    assert not np.any([(image[..., 0] > 0.5) & ~mask for image, mask in zip(clean.images, clean.masks)])


def test_cluttered_digits_are_repeatable_and_depend_on_the_seed():
    first = data.cluttered_digits(5, size=40, rng=7)
    again = data.cluttered_digits(5, size=40, rng=7)
    other = data.cluttered_digits(5, size=40, rng=8)
    np.testing.assert_array_equal(first.images, again.images)
    np.testing.assert_array_equal(first.boxes, again.boxes)
    assert not np.array_equal(first.images, other.images)


@pytest.mark.parametrize(("arguments", "error", "message"), [
    ({"size": 20}, ValueError, r"^size must be >= 28; got 20"),
    ({"clutter": 101}, ValueError, r"^clutter must be <= 100; got 101"),
    ({"piece": 1}, ValueError, r"^piece must be >= 2; got 1"),
    ({"piece": 29}, ValueError, r"^piece must be <= 28; got 29"),
    ({"split": "validation"}, ValueError, r"^split must be one of"),
    ({"clutter": 2.5}, TypeError, r"^clutter must be an int"),
    ({"rng": -1}, ValueError, r"^rng must be an int in 0\.\.4294967295; got -1"),
])
def test_cluttered_digits_refuses_bad_arguments(arguments, error, message):
    with pytest.raises(error, match=message):
        data.cluttered_digits(2, **arguments)


def test_cluttered_digits_checks_the_memory_before_drawing():
    with pytest.raises(ValueError, match=r"^n asks for .* GiB for 1000000 images of 512 x 512"):
        data.cluttered_digits(1_000_000, size=512)
