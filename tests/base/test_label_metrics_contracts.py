"""Label metrics refuse labels that are no class: huge or fractional floats, and class counts that explode."""

import numpy as np
import pytest

from course_lib import metrics

SCORES = [metrics.confusion_matrix, metrics.pixel_accuracy, metrics.iou_per_class, metrics.mean_iou, metrics.dice,
          metrics.balanced_error_rate, metrics.segmentation_accuracy]
TRUE = np.array([[0, 0, 1], [0, 1, 2]])


@pytest.mark.parametrize("score", SCORES)
def test_a_float_label_of_1e300_is_refused_not_counted_as_class_0(score):
    predicted = TRUE.astype(float)
    predicted[1, 2] = 1e300
    with pytest.raises(ValueError, match=r"^y_pred must be class numbers up to 9007199254740992 at most; got 1e\+300 "
                                         r"at index \(1, 2\)\. Pass class indices 0 \.\. C - 1"):
        score(TRUE, predicted)


@pytest.mark.parametrize("score", SCORES)
def test_a_prediction_of_2_to_the_70_is_refused_before_bincount(score):
    with pytest.raises(ValueError, match=r"^y_pred must be class numbers up to 9007199254740992 at most; got 1\.18059e\+21"):
        score([0, 1], np.array([0.0, 2.0**70]))
    with pytest.raises(TypeError, match=r"^y_true must be a numeric array; got dtype object"):  # a Python int past int64
        score([0, 2**70], [0, 1])


@pytest.mark.parametrize("score", SCORES)
def test_fractional_float_labels_are_refused_and_whole_ones_kept(score):
    with pytest.raises(ValueError, match=r"^y_true must be whole class numbers; got 0\.5 at index \(0, 0\)"):
        score(np.where(TRUE == 0, 0.5, TRUE), TRUE)
    assert np.array_equal(score(TRUE.astype(float), TRUE), score(TRUE, TRUE), equal_nan=True)


def test_a_huge_class_number_asks_for_the_matrix_memory_and_names_its_map():
    with pytest.raises(ValueError, match=r"^y_pred asks for 7450\.6 GiB for the C x C confusion matrix, above the limit .*"
                                         r"y_pred holds class 1000000, so C = 1000001; labels must be class numbers"):
        metrics.mean_iou([0, 1], [0, 10**6])
    with pytest.raises(ValueError, match=r"^y_true asks for .* GiB .*y_true holds class 100000, so C = 100001"):
        metrics.confusion_matrix([0, 10**5], [0, 1])
    with pytest.raises(ValueError, match=r"^num_classes asks for 7450\.6 GiB .*got num_classes=1000000; pass the number"):
        metrics.dice([0, 1], [0, 1], num_classes=10**6)


def test_pixel_accuracy_needs_no_matrix_for_a_large_class_number():
    assert metrics.pixel_accuracy([0, 10**6], [0, 10**6]) == 1.0
