"""Image quality (PSNR, SSIM) and label-map scores (accuracy, IoU, Dice, balanced error, box IoU).

**Image quality.** Thin wrappers over :mod:`skimage.metrics` that state the two choices that change the numbers:

``data_range``
    The span of possible values, 1.0 for the book's [0, 1] images (255 for 8-bit ones). It is
    always passed explicitly, never guessed from the data type or the values.
``border``
    Pixels dropped on every side before comparing (default 0). Use it when the borders are
    unreliable, e.g. after deconvolution with an assumed boundary; report it with the number.

Images may be (H, W) or (H, W, C); the batch versions take (N, H, W[, C]) and return one value
per image (average them yourself, so the table says what was averaged). Values outside the
range (unclipped noise) are compared as they are, but an image whose values do not fit
``data_range`` at all is refused: the 1st and 99th percentiles of each image must lie in
``[-1, 2] * data_range`` (room for strong noise), an 8-bit image needs ``data_range=255``, and
[0, 1] images with ``data_range=255`` are refused too. Otherwise the numbers would be silently
wrong by tens of decibels.

**Label maps.** :func:`confusion_matrix`, :func:`pixel_accuracy`, :func:`segmentation_accuracy`,
:func:`iou_per_class`, :func:`mean_iou`, :func:`dice` and :func:`balanced_error_rate` compare a
true and a predicted label map of the same shape, any shape ((H, W), (N, H, W) or a flat array of
selected pixels), holding integer class indices ``0 .. num_classes - 1``. A class that appears in
neither map has no IoU or Dice: it is NaN in the per-class arrays and left out of the means,
never counted as 0 (which would punish a model for a class the image does not hold) or 1. The
balanced error rate averages over the classes present in the *true* map, as scikit-learn's
``balanced_accuracy_score`` does. :func:`box_iou` scores boxes (object detection).
"""

from __future__ import annotations

import numpy as np
from skimage import metrics as _skmetrics

from course_lib._validation import IMAGE_INTEGER_MAX, _asarray, as_array, as_float, as_int

SSIM_WINDOW = 7  # skimage's default window side; images must be at least this large
#: Noise room: the 1st/99th percentiles of an image may lie this far (times data_range) outside it.
RANGE_TOLERANCE = 1.0


def _in_range(name: str, raw, array: np.ndarray, data_range: float) -> None:
    """Refuse images whose values do not fit ``data_range`` (the silent -40 dB of a uint8 image)."""
    white = IMAGE_INTEGER_MAX.get(np.asarray(raw).dtype)
    if white is not None and data_range != white:
        raise ValueError(
            f"{name} is {np.asarray(raw).dtype} (values 0..{white}) but data_range is {data_range:g}; "
            f"pass data_range={white}, or convert both images with skimage.img_as_float."
        )
    low, high = np.percentile(array, [1, 99])
    if low < -RANGE_TOLERANCE * data_range or high > (1 + RANGE_TOLERANCE) * data_range:
        fix = "divide the images by 255 or pass data_range=255" if high > 2 * data_range else "rescale the images"
        raise ValueError(
            f"{name} does not fit data_range={data_range:g}: its values run from about {low:.3g} to {high:.3g} "
            f"(1st-99th percentile), expected within [0, {data_range:g}] plus noise; {fix}."
        )


def _pair(reference, image, border: int, *, batch: bool, data_range: float = 1.0) -> tuple[np.ndarray, np.ndarray, int]:
    ndim = (3, 4) if batch else (2, 3)
    hint = "Expected (N, H, W) or (N, H, W, C)." if batch else "Expected (H, W) or (H, W, C); use the _batch version for batches."
    names = ("references", "images") if batch else ("reference", "image")
    raw_reference, raw_image = _asarray(names[0], reference), _asarray(names[1], image)
    reference = as_array(names[0], raw_reference, ndim=ndim, hint=hint)
    image = as_array(names[1], raw_image, ndim=ndim, hint=hint)
    _in_range(names[0], raw_reference, reference, data_range)
    _in_range(names[1], raw_image, image, data_range)
    largest = max(np.abs(reference).max(), np.abs(image).max())
    if data_range >= 10 and 0 < largest <= 1 + RANGE_TOLERANCE:
        raise ValueError(
            f"{names[0]} and {names[1]} hold values in [0, 1] but data_range is {data_range:g}; "
            "pass data_range=1.0 for [0, 1] images."
        )
    if reference.shape != image.shape:
        raise ValueError(
            f"{names[0]} and {names[1]} must have the same shape; got {reference.shape} and {image.shape}."
        )
    border = as_int("border", border, minimum=0)
    rows, cols = reference.shape[int(batch)], reference.shape[int(batch) + 1]
    if 2 * border >= min(rows, cols):
        raise ValueError(f"border {border} leaves no pixels of a {rows}x{cols} image; use a smaller border.")
    if border:
        crop = (slice(border, -border),) * 2
        index = (slice(None),) + crop if batch else crop
        reference, image = reference[index], image[index]
    return reference, image, border


def _psnr(reference: np.ndarray, image: np.ndarray, data_range: float) -> float:
    if np.array_equal(reference, image):
        return float("inf")
    return float(_skmetrics.peak_signal_noise_ratio(reference, image, data_range=data_range))


def _ssim(reference: np.ndarray, image: np.ndarray, data_range: float, channels: bool) -> float:
    if min(reference.shape[:2]) < SSIM_WINDOW:
        raise ValueError(
            f"SSIM needs images of at least {SSIM_WINDOW}x{SSIM_WINDOW} pixels after the border is "
            f"removed; got {reference.shape[0]}x{reference.shape[1]}. Use a smaller border or PSNR."
        )
    return float(_skmetrics.structural_similarity(
        reference, image, data_range=data_range, channel_axis=-1 if channels else None
    ))


def psnr(reference, image, *, data_range: float = 1.0, border: int = 0) -> float:
    """Peak signal-to-noise ratio in decibels: ``10 log10(data_range**2 / MSE)``.

    Parameters
    ----------
    reference : array_like, shape (H, W) or (H, W, C)
        The clean image.
    image : array_like, same shape
        The noisy or restored image.
    data_range : float, keyword-only
        Span of possible values: 1.0 for [0, 1] images.
    border : int, keyword-only
        Pixels dropped on every side before comparing.

    Returns
    -------
    float
        Higher is better; +6 dB halves the error's standard deviation. ``inf`` for identical
        images.

    Raises
    ------
    TypeError
        If an input is not numeric.
    ValueError
        If the shapes differ or are not 2-D/3-D, ``data_range <= 0``, or ``border`` leaves
        no pixels.

    See Also
    --------
    psnr_batch, ssim
    skimage.metrics.peak_signal_noise_ratio : what computes it.

    Examples
    --------
    >>> clean = np.zeros((4, 4))
    >>> round(psnr(clean, clean + 0.1), 6)  # MSE 0.01 -> 10 log10(1 / 0.01)
    20.0
    >>> psnr(clean, clean)
    inf
    >>> noisy = clean.copy(); noisy[0, :] = 1.0  # only the first row is wrong
    >>> psnr(clean, noisy, border=1)
    inf
    """
    data_range = _check_range(data_range)
    reference, image, _ = _pair(reference, image, border, batch=False, data_range=data_range)
    return _psnr(reference, image, data_range)


def ssim(reference, image, *, data_range: float = 1.0, border: int = 0) -> float:
    """Structural similarity (SSIM) of two images, averaged over the image (and channels).

    Computed by ``skimage.metrics.structural_similarity`` with its defaults: a 7x7 uniform
    window, ``K1 = 0.01``, ``K2 = 0.03``, and each colour channel separately then averaged.

    Parameters
    ----------
    reference : array_like, shape (H, W) or (H, W, C)
        The clean image; at least 7x7 after the border is removed.
    image : array_like, same shape
    data_range : float, keyword-only
        Span of possible values: 1.0 for [0, 1] images.
    border : int, keyword-only
        Pixels dropped on every side before comparing.

    Returns
    -------
    float
        At most 1 (identical images); about 0 for unrelated ones.

    Raises
    ------
    TypeError
        If an input is not numeric.
    ValueError
        If the shapes differ or are not 2-D/3-D, ``data_range <= 0``, or the image (after
        the border is removed) is smaller than 7x7.

    See Also
    --------
    ssim_batch, psnr

    References
    ----------
    Z. Wang, A. C. Bovik, H. R. Sheikh and E. P. Simoncelli, "Image quality assessment: from
    error visibility to structural similarity", IEEE Trans. Image Processing, 2004.

    Examples
    --------
    >>> image = np.tile(np.linspace(0, 1, 8), (8, 1))
    >>> ssim(image, image)
    1.0
    >>> bool(ssim(image, 1.0 - image) < 0)  # inverted contrast
    True
    """
    data_range = _check_range(data_range)
    reference, image, _ = _pair(reference, image, border, batch=False, data_range=data_range)
    return _ssim(reference, image, data_range, channels=reference.ndim == 3)


def psnr_batch(references, images, *, data_range: float = 1.0, border: int = 0) -> np.ndarray:
    """PSNR of each image of a batch against its reference.

    Parameters
    ----------
    references : array_like, shape (N, H, W) or (N, H, W, C)
    images : array_like, same shape
    data_range : float, keyword-only
    border : int, keyword-only

    Returns
    -------
    ndarray, shape (N,), float64
        One PSNR per image (``inf`` where an image equals its reference).

    Raises
    ------
    TypeError, ValueError
        As :func:`psnr`.

    See Also
    --------
    psnr

    Examples
    --------
    >>> clean = np.zeros((2, 4, 4, 1))
    >>> noisy = clean + np.array([0.1, 0.01])[:, None, None, None]
    >>> psnr_batch(clean, noisy).round(6)
    array([20., 40.])
    """
    data_range = _check_range(data_range)
    references, images, _ = _pair(references, images, border, batch=True, data_range=data_range)
    return np.array([_psnr(r, i, data_range) for r, i in zip(references, images)])


def ssim_batch(references, images, *, data_range: float = 1.0, border: int = 0) -> np.ndarray:
    """SSIM of each image of a batch against its reference.

    A trailing channel axis of size 1, as in (N, 28, 28, 1), is treated as grayscale.

    Parameters
    ----------
    references : array_like, shape (N, H, W) or (N, H, W, C)
    images : array_like, same shape
    data_range : float, keyword-only
    border : int, keyword-only

    Returns
    -------
    ndarray, shape (N,), float64

    Raises
    ------
    TypeError, ValueError
        As :func:`ssim`.

    See Also
    --------
    ssim

    Examples
    --------
    >>> images = np.tile(np.linspace(0, 1, 8), (2, 8, 1))[..., None]  # (2, 8, 8, 1)
    >>> ssim_batch(images, images)
    array([1., 1.])
    """
    data_range = _check_range(data_range)
    references, images, _ = _pair(references, images, border, batch=True, data_range=data_range)
    if references.ndim == 4 and references.shape[-1] == 1:
        references, images = references[..., 0], images[..., 0]
    channels = references.ndim == 4
    return np.array([_ssim(r, i, data_range, channels) for r, i in zip(references, images)])


def _check_range(data_range) -> float:
    data_range = as_float("data_range", data_range, minimum=0.0)
    if data_range == 0.0:
        raise ValueError("data_range must be > 0 (1.0 for [0, 1] images, 255 for 8-bit); got 0.0.")
    return data_range


# --- label maps -------------------------------------------------------------------------

def _labels(name: str, value) -> np.ndarray:
    """Integer class indices >= 0 as an int64 array (any shape); refuses fractions and negatives."""
    if isinstance(value, (str, bytes)) or value is None:
        raise TypeError(f"{name} must be an array of class indices; got {type(value).__name__}.")
    array = np.asarray(value)
    if array.dtype == bool:
        return array.astype(np.int64)
    if not np.issubdtype(array.dtype, np.number) or np.iscomplexobj(array):
        raise TypeError(f"{name} must be an array of integer class indices; got dtype {array.dtype}.")
    if array.size == 0:
        raise ValueError(f"{name} must not be empty; got shape {array.shape}.")
    if not np.issubdtype(array.dtype, np.integer):
        if not np.all(np.isfinite(array)) or np.any(array != np.round(array)):
            raise ValueError(
                f"{name} must hold whole class indices; got fractional values. Take the argmax of "
                "the predicted probabilities (probabilities.argmax(axis=-1)) first."
            )
    array = array.astype(np.int64, copy=False)
    if array.min() < 0:
        raise ValueError(f"{name} must hold class indices >= 0; got {int(array.min())}.")
    return array


def _label_pair(y_true, y_pred, num_classes) -> tuple[np.ndarray, np.ndarray, int]:
    y_true, y_pred = _labels("y_true", y_true), _labels("y_pred", y_pred)
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
        If the shapes differ, a label is negative, fractional or not below ``num_classes``.

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
    y_true, y_pred, num_classes = _label_pair(y_true, y_pred, num_classes)
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


def box_iou(boxes_a, boxes_b) -> np.ndarray:
    """Intersection over union of boxes, pair by pair.

    A detection is usually counted as correct when its IoU with a true box of its class
    exceeds 0.5.

    Parameters
    ----------
    boxes_a, boxes_b : array_like, shape (4,) or (N, 4)
        ``(row_min, col_min, row_max, col_max)``, maxima exclusive; they broadcast.

    Returns
    -------
    iou : ndarray, shape () or (N,), float64 in [0, 1]

    Raises
    ------
    TypeError, ValueError
        If a box is not numeric, has not 4 coordinates, or has a maximum not above its minimum.

    See Also
    --------
    course_lib.cam.heatmap_box : boxes from heatmaps (chapter 9).

    References
    ----------
    M. Everingham et al., "The PASCAL Visual Object Classes (VOC) challenge", IJCV 2010.

    Examples
    --------
    >>> box_iou([0, 0, 2, 2], [1, 1, 3, 3])  # overlap 1 pixel, union 7
    array(0.14285714)
    >>> box_iou([[0, 0, 4, 4], [0, 0, 4, 4]], [0, 0, 2, 4])
    array([0.5, 0.5])
    """
    boxes = []
    for name, value in (("boxes_a", boxes_a), ("boxes_b", boxes_b)):
        box = as_array(name, value, ndim=(1, 2))
        if box.shape[-1] != 4:
            raise ValueError(f"{name} must have 4 coordinates (row_min, col_min, row_max, col_max); got shape {box.shape}.")
        if np.any(box[..., 2:] <= box[..., :2]):
            raise ValueError(f"{name} has a box whose maximum is not above its minimum; maxima are exclusive.")
        boxes.append(box)
    a, b = boxes
    if a.ndim == b.ndim == 2 and len(a) != len(b) and 1 not in (len(a), len(b)):
        raise ValueError(f"boxes_a and boxes_b must hold the same number of boxes (or one of them one box); "
                         f"got {len(a)} and {len(b)}.")
    low = np.maximum(a[..., :2], b[..., :2])
    high = np.minimum(a[..., 2:], b[..., 2:])
    intersection = np.prod(np.clip(high - low, 0, None), axis=-1)
    area_a = np.prod(a[..., 2:] - a[..., :2], axis=-1)
    area_b = np.prod(b[..., 2:] - b[..., :2], axis=-1)
    return np.asarray(intersection / (area_a + area_b - intersection))
