"""Label-map scores (accuracy, IoU, Dice, balanced error) (box IoU is in ``boxes``).

**Label maps.** :func:`confusion_matrix`, :func:`pixel_accuracy`, :func:`segmentation_accuracy`,
:func:`iou_per_class`, :func:`mean_iou`, :func:`dice` and :func:`balanced_error_rate` compare a
true and a predicted label map of the same shape, any shape ((H, W), (N, H, W) or a flat array of
selected pixels), holding integer class indices ``0 .. num_classes - 1``. A class that appears in
neither map has no IoU or Dice: it is NaN in the per-class arrays and left out of the means,
never counted as 0 (which would punish a model for a class the image does not hold) or 1. The
balanced error rate averages over the classes present in the *true* map, as scikit-learn's
``balanced_accuracy_score`` does. """

from __future__ import annotations

import numpy as np

from course_lib._limits import check_memory
from course_lib._validation import as_int, as_labels


def _label_pair(y_true, y_pred, num_classes) -> tuple[np.ndarray, np.ndarray, int]:
    y_true = as_labels("y_true", y_true, ndim=None)
    y_pred = as_labels("y_pred", y_pred, ndim=None)
    if y_true.shape != y_pred.shape:
        raise ValueError(
            f"y_true and y_pred must have the same shape; got {y_true.shape} and {y_pred.shape}. "
            "Resize the prediction to the label map (nearest neighbour), or take the argmax over the class axis."
        )
    largest = int(max(y_true.max(), y_pred.max()))
    if num_classes is None:
        num_classes = largest + 1
    else:
        num_classes = as_int("num_classes", num_classes, minimum=1)
        if largest >= num_classes:
            raise ValueError(
                f"num_classes is {num_classes} but the labels hold class {largest}; labels must be "
                f"0 .. num_classes - 1."
            )
    return y_true.ravel(), y_pred.ravel(), num_classes


def _check_matrix_size(y_true: np.ndarray, y_pred: np.ndarray, num_classes: int, given: bool) -> None:
    """Refuse a (C, C) confusion matrix above the memory limit, naming what set C."""
    if given:
        argument, fix = "num_classes", f"got num_classes={num_classes}; pass the number of classes the labels hold"
    else:
        argument = "y_true" if y_true.max() >= y_pred.max() else "y_pred"
        fix = (f"{argument} holds class {num_classes - 1}, so C = {num_classes}; labels must be class numbers "
               "0 .. C - 1 (argmax your scores), or pass num_classes")
    check_memory(float(num_classes) ** 2, what="the C x C confusion matrix", argument=argument, fix=fix)


def confusion_matrix(y_true, y_pred, *, num_classes: int | None = None) -> np.ndarray:
    """Count pixels by (true class, predicted class).

    Parameters
    ----------
    y_true : array_like of int, any shape
        True class of each pixel, ``0 .. num_classes - 1``.
    y_pred : array_like of int, same shape
        Predicted class of each pixel.
    num_classes : int, keyword-only
        Number of classes C; default: the largest label in either map, plus one.

    Returns
    -------
    matrix : ndarray, shape (C, C), int64
        ``matrix[i, j]`` pixels of true class ``i`` predicted as ``j`` (rows true, columns
        predicted, as scikit-learn's ``confusion_matrix``). The diagonal holds the correct
        pixels; row sums are the true areas, column sums the predicted areas.

    Raises
    ------
    TypeError
        If a map is not numeric.
    ValueError
        If the shapes differ, a label is negative, fractional, too large to be a class
        (``_validation.LABEL_LIMIT``) or not below ``num_classes``, or the (C, C) matrix would
        exceed the memory limit (``course_lib.config.MEMORY_LIMIT_GIB``).

    See Also
    --------
    iou_per_class, balanced_error_rate : scores read off this matrix.
    Chapter 8, "Dense prediction", reads one.

    Examples
    --------
    >>> y_true = np.array([[0, 0, 1], [0, 1, 1]])
    >>> y_pred = np.array([[0, 1, 1], [0, 0, 1]])
    >>> confusion_matrix(y_true, y_pred)
    array([[2, 1],
           [1, 2]])
    """
    given = num_classes is not None
    y_true, y_pred, num_classes = _label_pair(y_true, y_pred, num_classes)
    _check_matrix_size(y_true, y_pred, num_classes, given)
    counts = np.bincount(y_true * num_classes + y_pred, minlength=num_classes * num_classes)
    return counts.reshape(num_classes, num_classes)


def _scores_from_matrix(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """True positives, false positives and false negatives per class, as float64."""
    true_positive = np.diag(matrix).astype(np.float64)
    return true_positive, matrix.sum(axis=0) - true_positive, matrix.sum(axis=1) - true_positive


def pixel_accuracy(y_true, y_pred) -> float:
    """Fraction of pixels whose predicted class is the true one.

    Parameters
    ----------
    y_true, y_pred : array_like of int, same shape

    Returns
    -------
    float in [0, 1]
        Dominated by the largest class: predicting "background" everywhere scores the
        background's share of the image. Read it next to :func:`balanced_error_rate`.

    Raises
    ------
    TypeError, ValueError
        As :func:`confusion_matrix`.

    See Also
    --------
    balanced_error_rate, mean_iou

    Examples
    --------
    >>> pixel_accuracy([0, 0, 0, 1], [0, 0, 0, 0])  # all background: 3 of 4 right
    0.75
    """
    y_true, y_pred, _ = _label_pair(y_true, y_pred, None)
    return float(np.mean(y_true == y_pred))


def iou_per_class(y_true, y_pred, *, num_classes: int | None = None) -> np.ndarray:
    """Intersection over union (Jaccard index) of each class: ``TP / (TP + FP + FN)``.

    Parameters
    ----------
    y_true, y_pred : array_like of int, same shape
    num_classes : int, keyword-only
        C; default: the largest label plus one.

    Returns
    -------
    iou : ndarray, shape (C,), float64
        In [0, 1]; NaN for a class in neither map (its union is empty, so it has no score). A
        class predicted but absent from the truth scores 0.

    Raises
    ------
    TypeError, ValueError
        As :func:`confusion_matrix`.

    See Also
    --------
    mean_iou, dice
    sklearn.metrics.jaccard_score : the same with ``average=None``.

    References
    ----------
    M. Everingham et al., "The PASCAL Visual Object Classes (VOC) challenge", IJCV 2010.

    Examples
    --------
    >>> y_true = np.array([[0, 0, 1], [0, 1, 1]])
    >>> y_pred = np.array([[0, 1, 1], [0, 0, 1]])
    >>> iou_per_class(y_true, y_pred)  # class 0: 2 / (2 + 1 + 1)
    array([0.5, 0.5])
    >>> iou_per_class([0, 0], [0, 0], num_classes=3)  # classes 1 and 2 are in neither map
    array([ 1., nan, nan])
    """
    matrix = confusion_matrix(y_true, y_pred, num_classes=num_classes)
    true_positive, false_positive, false_negative = _scores_from_matrix(matrix)
    union = true_positive + false_positive + false_negative
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(union > 0, true_positive / union, np.nan)


def mean_iou(y_true, y_pred, *, num_classes: int | None = None) -> float:
    """Mean of :func:`iou_per_class` over the classes present in either map.

    Parameters
    ----------
    y_true, y_pred : array_like of int, same shape
    num_classes : int, keyword-only

    Returns
    -------
    float in [0, 1]
        Each class counts equally, however small, so a model that ignores a small class
        loses a whole class's share.

    Raises
    ------
    TypeError, ValueError
        As :func:`confusion_matrix`.

    See Also
    --------
    iou_per_class, segmentation_accuracy

    Examples
    --------
    >>> mean_iou([0, 0, 0, 1], [0, 0, 0, 0])  # background 3/4, object 0/1
    0.375
    >>> mean_iou([0, 0], [0, 0], num_classes=3)  # absent classes are left out, not scored 0
    1.0
    """
    return float(np.nanmean(iou_per_class(y_true, y_pred, num_classes=num_classes)))


def segmentation_accuracy(y_true, y_pred, *, num_classes: int | None = None) -> float:
    """Segmentation accuracy ``SA = n / (n + e)`` per class, averaged over the classes present.

    For class c, ``n`` counts the pixels of class c labelled correctly and ``e`` the pixels
    labelled erroneously: labelled c but of another class, or of class c but labelled
    otherwise. That is ``TP / (TP + FP + FN)``, the PASCAL VOC segmentation accuracy, which is
    the IoU of the class: this function equals :func:`mean_iou`, under the name the VOC
    challenge and the course slides use.

    Parameters
    ----------
    y_true, y_pred : array_like of int, same shape
    num_classes : int, keyword-only

    Returns
    -------
    float in [0, 1]

    Raises
    ------
    TypeError, ValueError
        As :func:`confusion_matrix`.

    See Also
    --------
    mean_iou, pixel_accuracy

    References
    ----------
    M. Everingham et al., "The PASCAL Visual Object Classes (VOC) challenge", IJCV 2010.

    Examples
    --------
    >>> y_true = np.array([[0, 0, 1], [0, 1, 1]])
    >>> y_pred = np.array([[0, 1, 1], [0, 0, 1]])
    >>> segmentation_accuracy(y_true, y_pred)  # each class: n = 2, e = 2
    0.5
    """
    return mean_iou(y_true, y_pred, num_classes=num_classes)


def dice(y_true, y_pred, *, num_classes: int | None = None) -> np.ndarray:
    """Dice coefficient (F1 score) of each class: ``2 TP / (2 TP + FP + FN)``.

    Parameters
    ----------
    y_true, y_pred : array_like of int, same shape
    num_classes : int, keyword-only

    Returns
    -------
    dice : ndarray, shape (C,), float64
        In [0, 1], NaN for a class in neither map. ``dice = 2 iou / (1 + iou)``, so it
        ranks models as IoU does but reads higher.

    Raises
    ------
    TypeError, ValueError
        As :func:`confusion_matrix`.

    See Also
    --------
    iou_per_class

    Examples
    --------
    >>> dice([0, 0, 1, 1], [0, 1, 1, 1])  # class 1: 2*2 / (2*2 + 1 + 0)
    array([0.66666667, 0.8       ])
    """
    matrix = confusion_matrix(y_true, y_pred, num_classes=num_classes)
    true_positive, false_positive, false_negative = _scores_from_matrix(matrix)
    total = 2 * true_positive + false_positive + false_negative
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, 2 * true_positive / total, np.nan)


def balanced_error_rate(y_true, y_pred, *, num_classes: int | None = None) -> float:
    """Balanced error rate: one minus the mean over classes of the fraction found (recall).

    ``BER = 1 - (1/C') sum_c P(prediction = c | truth = c)``, the mean taken over the C'
    classes present in ``y_true`` (a class with no true pixel has no recall; it is left out,
    as in scikit-learn's ``balanced_accuracy_score``). Predicting one class everywhere gives
    ``1 - 1/C'`` however large that class is.

    Parameters
    ----------
    y_true, y_pred : array_like of int, same shape
    num_classes : int, keyword-only

    Returns
    -------
    float in [0, 1]
        0 when every class is found completely.

    Raises
    ------
    TypeError, ValueError
        As :func:`confusion_matrix`.

    See Also
    --------
    pixel_accuracy : the unbalanced counterpart.
    sklearn.metrics.balanced_accuracy_score : ``1 - balanced_error_rate``.

    Examples
    --------
    >>> balanced_error_rate([0, 0, 0, 1], [0, 0, 0, 0])  # background 1, object 0: mean 0.5
    0.5
    >>> balanced_error_rate([0, 0, 0, 0], [0, 0, 1, 1])  # only class 0 is present
    0.5
    """
    matrix = confusion_matrix(y_true, y_pred, num_classes=num_classes)
    present = matrix.sum(axis=1) > 0
    recall = np.diag(matrix)[present] / matrix.sum(axis=1)[present]
    return float(1.0 - recall.mean())
