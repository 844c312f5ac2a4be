"""Box IoU: the overlap score of object detection, for boxes ``(row_min, col_min, row_max, col_max)``."""

from __future__ import annotations

import numpy as np

from course_lib._validation import as_array


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
