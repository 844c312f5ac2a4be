"""course_lib.metrics on label maps: hand-worked answers, scikit-learn as the reference, edge cases."""

import warnings

import numpy as np
import pytest
from sklearn import metrics as skmetrics

from course_lib import cam, metrics

RNG = np.random.default_rng(0)


def random_maps(shape=(3, 17, 19), num_classes=5):
    y_true = RNG.integers(0, num_classes, size=shape)
    y_pred = np.where(RNG.random(shape) < 0.6, y_true, RNG.integers(0, num_classes, size=shape))
    return y_true, y_pred


def test_hand_worked_two_class_map():
    y_true = np.array([[0, 0, 0, 0], [0, 0, 1, 1], [0, 0, 1, 1]])
    y_pred = np.array([[0, 0, 0, 0], [0, 1, 1, 1], [0, 0, 0, 1]])
    np.testing.assert_array_equal(metrics.confusion_matrix(y_true, y_pred), [[7, 1], [1, 3]])
    assert metrics.pixel_accuracy(y_true, y_pred) == pytest.approx(10 / 12)
    np.testing.assert_allclose(metrics.iou_per_class(y_true, y_pred), [7 / 9, 3 / 5])
    assert metrics.mean_iou(y_true, y_pred) == pytest.approx((7 / 9 + 3 / 5) / 2)
    np.testing.assert_allclose(metrics.dice(y_true, y_pred), [14 / 16, 6 / 8])
    assert metrics.balanced_error_rate(y_true, y_pred) == pytest.approx(1 - (7 / 8 + 3 / 4) / 2)
    assert metrics.segmentation_accuracy(y_true, y_pred) == metrics.mean_iou(y_true, y_pred)


@pytest.mark.parametrize("seed", range(3))
def test_agrees_with_scikit_learn_on_random_label_maps(seed):
    global RNG
    RNG = np.random.default_rng(seed)
    y_true, y_pred = random_maps()
    labels = list(range(5))
    np.testing.assert_array_equal(
        metrics.confusion_matrix(y_true, y_pred, num_classes=5),
        skmetrics.confusion_matrix(y_true.ravel(), y_pred.ravel(), labels=labels),
    )
    np.testing.assert_allclose(
        metrics.iou_per_class(y_true, y_pred, num_classes=5),
        skmetrics.jaccard_score(y_true.ravel(), y_pred.ravel(), labels=labels, average=None),
    )
    assert metrics.mean_iou(y_true, y_pred) == pytest.approx(
        skmetrics.jaccard_score(y_true.ravel(), y_pred.ravel(), average="macro"))
    np.testing.assert_allclose(
        metrics.dice(y_true, y_pred), skmetrics.f1_score(y_true.ravel(), y_pred.ravel(), average=None))
    assert metrics.balanced_error_rate(y_true, y_pred) == pytest.approx(
        1 - skmetrics.balanced_accuracy_score(y_true.ravel(), y_pred.ravel()))
    assert metrics.pixel_accuracy(y_true, y_pred) == pytest.approx(
        skmetrics.accuracy_score(y_true.ravel(), y_pred.ravel()))


def test_absent_classes_are_nan_and_left_out_of_the_means():
    y_true = np.array([0, 0, 2, 2])
    y_pred = np.array([0, 0, 2, 0])
    iou = metrics.iou_per_class(y_true, y_pred, num_classes=4)
    assert np.isnan(iou[1]) and np.isnan(iou[3])
    np.testing.assert_allclose(iou[[0, 2]], [2 / 3, 1 / 2])
    assert metrics.mean_iou(y_true, y_pred, num_classes=4) == pytest.approx((2 / 3 + 1 / 2) / 2)
    assert np.isnan(metrics.dice(y_true, y_pred, num_classes=4)[1])
    # a class predicted but not present scores 0, it is not left out
    assert metrics.iou_per_class([0, 0], [0, 1])[1] == 0.0
    # scikit-learn scores an absent class 0 (with a warning) instead: we do not
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sk = skmetrics.jaccard_score(y_true, y_pred, labels=[0, 1, 2, 3], average=None, zero_division=0)
    assert sk[1] == 0.0


def test_all_one_class_maps():
    background = np.zeros((8, 8), dtype=int)
    assert metrics.mean_iou(background, background) == 1.0
    assert metrics.balanced_error_rate(background, background) == 0.0
    assert metrics.pixel_accuracy(background, background) == 1.0
    objects = np.ones((8, 8), dtype=int)
    assert metrics.mean_iou(background, objects) == 0.0  # both classes present, both IoU 0
    assert metrics.balanced_error_rate(background, objects) == 1.0


def test_background_only_prediction_accuracy_misleads_balanced_error_does_not():
    y_true = np.zeros((20, 20), dtype=int)
    y_true[5:9, 5:9] = 1
    y_true[12:15, 12:15] = 2
    y_pred = np.zeros_like(y_true)
    assert metrics.pixel_accuracy(y_true, y_pred) > 0.9
    assert metrics.balanced_error_rate(y_true, y_pred) == pytest.approx(2 / 3)


def test_accepts_bools_and_whole_floats():
    mask = np.array([[True, False], [False, False]])
    assert metrics.mean_iou(mask, mask) == 1.0
    assert metrics.pixel_accuracy(np.array([0.0, 1.0]), np.array([0, 1])) == 1.0


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: metrics.mean_iou(np.zeros((4, 4), int), np.zeros((4, 5), int)), ValueError, "same shape"),
        (lambda: metrics.mean_iou([0, 1], [0, 0.5]), ValueError, r"y_pred must be whole class numbers; got 0\.5 at index \(1,\)\. Round or argmax"),
        (lambda: metrics.mean_iou([0, -1], [0, 0]), ValueError, r"y_true must be >= 0 \(class numbers\); got -1"),
        (lambda: metrics.mean_iou("ab", [0, 0]), TypeError, "y_true must be a numeric array; got str"),
        (lambda: metrics.mean_iou(np.array(["a"]), [0]), TypeError, r"y_true must be a numeric array; got dtype <U1"),
        (lambda: metrics.mean_iou([], []), ValueError, "y_true must not be empty"),
        (lambda: metrics.confusion_matrix([0, 3], [0, 0], num_classes=3), ValueError, "num_classes is 3"),
        (lambda: metrics.confusion_matrix([0, 1], [0, 0], num_classes=0), ValueError, "num_classes must be >= 1"),
    ],
)
def test_errors(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_box_iou_has_one_home():
    assert cam.box_iou is metrics.box_iou
    assert metrics.box_iou([0, 0, 2, 4], [0, 2, 2, 6]) == pytest.approx(4 / 12)
    with pytest.raises(ValueError, match="boxes_a must have 4 coordinates"):
        metrics.box_iou([0, 0, 1], [0, 0, 1, 1])
