"""Does the heatmap point at the object? The pointing game, box IoU, and baselines (NumPy only).

Boxes are ``(row_min, col_min, row_max, col_max)`` with exclusive maxima, as in
``course_lib.data.shapes``: ``mask[r0:r1, c0:c1]`` holds the whole object.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import ndimage

from course_lib._limits import check_memory
from course_lib._validation import as_array, as_float, as_int, as_pair, as_rng
from course_lib.metrics import box_iou  # one home for box IoU; re-exported by course_lib.cam


def _heatmaps(heatmaps) -> np.ndarray:
    return as_array("heatmaps", heatmaps, ndim=3, hint="Expected (N, H, W); add a batch axis with heatmap[None].")


def pointing_game(heatmaps, masks, *, tolerance: float = 0.0) -> np.ndarray:
    """Hit or miss per image: is the heatmap's maximum on the object (within ``tolerance`` pixels)?

    Parameters
    ----------
    heatmaps : array_like, shape (N, H, W)
        Ties for the maximum go to the first pixel in row-major order.
    masks : array_like of bool, shape (N, H, W)
        True on the object; each mask must hold at least one pixel.
    tolerance : float, keyword-only
        A point at Euclidean distance <= ``tolerance`` from the mask counts as a hit
        (Zhang et al. use 15 pixels on 224-pixel images).

    Returns
    -------
    hits : ndarray of bool, shape (N,)
        Its mean is the pointing-game accuracy.

    Raises
    ------
    TypeError
        If an input is not numeric.
    ValueError
        If shapes differ, a mask is empty, or ``tolerance`` is negative.

    See Also
    --------
    box_iou_at_thresholds : a stricter test (the extent, not only the peak).

    References
    ----------
    J. Zhang, S. A. Bargal, Z. Lin, J. Brandt, X. Shen and S. Sclaroff, "Top-down neural
    attention by excitation backprop", IJCV 2018.

    Examples
    --------
    >>> heatmaps = np.zeros((2, 4, 4)); heatmaps[:, 0, 3] = 1.0
    >>> masks = np.zeros((2, 4, 4), dtype=bool); masks[0, 0, 3] = True; masks[1, 2:, :2] = True
    >>> pointing_game(heatmaps, masks)
    array([ True, False])
    >>> pointing_game(heatmaps, masks, tolerance=2.9)  # distance from (0, 3) to (2, 1) is 2.83
    array([ True,  True])
    """
    heatmaps = _heatmaps(heatmaps)
    masks = as_array("masks", masks, ndim=3) > 0
    tolerance = as_float("tolerance", tolerance, minimum=0.0)
    if masks.shape != heatmaps.shape:
        raise ValueError(f"masks must have the shape of heatmaps {heatmaps.shape}; got {masks.shape}.")
    empty = ~masks.any(axis=(1, 2))
    if np.any(empty):
        raise ValueError(f"masks must each hold the object; mask {int(np.argmax(empty))} is empty.")
    hits = np.empty(len(heatmaps), dtype=bool)
    for i, (heatmap, mask) in enumerate(zip(heatmaps, masks)):
        row, col = np.unravel_index(np.argmax(heatmap), heatmap.shape)
        distance = ndimage.distance_transform_edt(~mask)  # pixels to the nearest object pixel
        hits[i] = distance[row, col] <= tolerance
    return hits


def heatmap_box(heatmap, *, threshold: float = 0.5) -> np.ndarray:
    """Box around the largest connected region where ``heatmap >= threshold * max(heatmap)``.

    Parameters
    ----------
    heatmap : array_like, shape (H, W)
    threshold : float in [0, 1], keyword-only
        Fraction of the maximum (Zhou et al. use 0.2).

    Returns
    -------
    box : ndarray of int64, shape (4,)
        ``(row_min, col_min, row_max, col_max)``, maxima exclusive. An all-zero heatmap
        (no evidence anywhere) gives the whole image.

    Raises
    ------
    TypeError, ValueError
        If ``heatmap`` is not a 2-D numeric array or ``threshold`` is outside [0, 1].

    See Also
    --------
    box_iou, box_iou_at_thresholds

    References
    ----------
    B. Zhou et al., "Learning deep features for discriminative localization", CVPR 2016.

    Examples
    --------
    >>> heatmap = np.zeros((5, 6)); heatmap[1:3, 1:4] = 1.0; heatmap[4, 5] = 0.9
    >>> heatmap_box(heatmap, threshold=0.5)  # the lone pixel is a smaller region
    array([1, 1, 3, 4])
    """
    heatmap = as_array("heatmap", heatmap, ndim=2)
    threshold = as_float("threshold", threshold, minimum=0.0, maximum=1.0)
    peak = heatmap.max()
    if peak <= 0:
        return np.array([0, 0, *heatmap.shape], dtype=np.int64)
    regions, count = ndimage.label(heatmap >= threshold * peak)
    sizes = np.bincount(regions.ravel())[1:]
    rows, cols = np.nonzero(regions == 1 + int(np.argmax(sizes)))
    return np.array([rows.min(), cols.min(), rows.max() + 1, cols.max() + 1], dtype=np.int64)


def box_iou_at_thresholds(heatmaps, boxes, *, thresholds: Sequence[float] = (0.2, 0.4, 0.6, 0.8)) -> np.ndarray:
    """IoU between each true box and the box of each heatmap thresholded at several levels.

    Parameters
    ----------
    heatmaps : array_like, shape (N, H, W)
    boxes : array_like, shape (N, 4)
        True boxes ``(row_min, col_min, row_max, col_max)``, maxima exclusive.
    thresholds : sequence of float in [0, 1], keyword-only
        Fractions of each heatmap's maximum, passed to :func:`heatmap_box`.

    Returns
    -------
    iou : ndarray, shape (N, T), float64
        ``iou[i, t]`` for image ``i`` and ``thresholds[t]``; ``(iou >= 0.5).mean(axis=0)`` is
        the localisation accuracy of Zhou et al. at each threshold.

    Raises
    ------
    TypeError, ValueError
        If shapes do not match, ``thresholds`` is empty or outside [0, 1].

    See Also
    --------
    pointing_game, heatmap_box

    References
    ----------
    B. Zhou et al., "Learning deep features for discriminative localization", CVPR 2016.

    Examples
    --------
    >>> heatmaps = np.zeros((1, 4, 4)); heatmaps[0, :2, :2] = 1.0; heatmaps[0, 2:, :2] = 0.5
    >>> box_iou_at_thresholds(heatmaps, [[0, 0, 2, 2]], thresholds=(0.4, 0.8))
    array([[0.5, 1. ]])
    """
    heatmaps = _heatmaps(heatmaps)
    boxes = as_array("boxes", boxes, ndim=2)
    if boxes.shape != (len(heatmaps), 4):
        raise ValueError(f"boxes must have shape ({len(heatmaps)}, 4), one per heatmap; got {boxes.shape}.")
    thresholds = [as_float("thresholds", t, minimum=0.0, maximum=1.0) for t in thresholds]
    if not thresholds:
        raise ValueError("thresholds must hold at least one value; got none.")
    iou = np.empty((len(heatmaps), len(thresholds)))
    for t, threshold in enumerate(thresholds):
        found = np.stack([heatmap_box(h, threshold=threshold) for h in heatmaps])
        iou[:, t] = box_iou(found, boxes)
    return iou


def center_heatmaps(n: int, size: int | tuple[int, int], *, sigma: float = 0.25) -> np.ndarray:
    """Baseline: the same Gaussian bump in the image centre for every image (a photographer's bias).

    Parameters
    ----------
    n : int
        Number of heatmaps.
    size : int or (int, int)
        ``(H, W)``.
    sigma : float, keyword-only
        Standard deviation as a fraction of each side.

    Returns
    -------
    heatmaps : ndarray, shape (n, H, W), float64 in (0, 1]

    Raises
    ------
    TypeError, ValueError
        If ``n``, ``size`` or ``sigma`` are not positive.

    See Also
    --------
    random_heatmaps, pointing_game

    Examples
    --------
    >>> center_heatmaps(1, 3, sigma=0.5).round(2)
    array([[[0.64, 0.8 , 0.64],
            [0.8 , 1.  , 0.8 ],
            [0.64, 0.8 , 0.64]]])
    """
    n = as_int("n", n, minimum=1)
    rows, cols = as_pair("size", size)
    sigma = as_float("sigma", sigma, minimum=1e-6)
    check_memory(float(n + 2) * rows * cols, argument="n", what=f"{n} heatmaps of {rows} x {cols}",
                 fix="draw as many heatmaps as test images, of the image size")
    r = (np.arange(rows) - (rows - 1) / 2) / (sigma * rows)
    c = (np.arange(cols) - (cols - 1) / 2) / (sigma * cols)
    bump = np.exp(-0.5 * (r[:, None] ** 2 + c[None, :] ** 2))
    return np.repeat((bump / bump.max())[None], n, axis=0)


def random_heatmaps(
    n: int, size: int | tuple[int, int], *, sigma: float = 0.08, rng: int | np.random.Generator | None = None
) -> np.ndarray:
    """Baseline: smooth random blobs (white noise blurred by a periodic Gaussian), scaled to [0, 1].

    Parameters
    ----------
    n : int
        Number of heatmaps.
    size : int or (int, int)
        ``(H, W)``.
    sigma : float, keyword-only
        Blur as a fraction of each side; 0 gives white noise.
    rng : int, numpy.random.Generator or None, keyword-only

    Returns
    -------
    heatmaps : ndarray, shape (n, H, W), float64 in [0, 1]
        Each map has minimum 0 and maximum 1; its peak is anywhere with equal chance.

    Raises
    ------
    TypeError, ValueError
        If ``n``, ``size`` are not positive ints, ``sigma`` < 0, or ``rng`` is not a seed.

    See Also
    --------
    center_heatmaps

    Examples
    --------
    >>> maps = random_heatmaps(2, (4, 5), rng=0)
    >>> maps.shape, float(maps.min()), float(maps.max())
    ((2, 4, 5), 0.0, 1.0)
    """
    n = as_int("n", n, minimum=1)
    rows, cols = as_pair("size", size)
    sigma = as_float("sigma", sigma, minimum=0.0)
    check_memory(3.0 * n * rows * cols, argument="n", what=f"{n} heatmaps of {rows} x {cols}",
                 fix="draw as many heatmaps as test images, of the image size")
    generator = as_rng(rng)
    noise = generator.random((n, rows, cols))
    # wrap-around blur: with reflecting borders, peaks would crowd at the edges
    blurred = ndimage.gaussian_filter(noise, sigma=(0, sigma * rows, sigma * cols), mode="wrap") if sigma else noise
    low = blurred.min(axis=(1, 2), keepdims=True)
    span = blurred.max(axis=(1, 2), keepdims=True) - low
    return (blurred - low) / np.where(span > 0, span, 1.0)
