"""How much of a heatmap lies on the object: the energy-based pointing game (NumPy)."""

from __future__ import annotations

import numpy as np

from course_lib._validation import as_array


def energy_inside(heatmaps, masks) -> np.ndarray:
    """Fraction of each heatmap's total mass that lies inside the object mask.

    The pointing game looks only at a heatmap's maximum; this looks at all of it. A map
    spread evenly over the image scores the object's share of the image area; a map that is
    zero outside the object scores 1. Wang et al. call it the energy-based pointing game.

    Parameters
    ----------
    heatmaps : array_like, shape (N, H, W)
        Non-negative maps (e.g. from :func:`grad_cam`, in [0, 1]).
    masks : array_like of bool, shape (N, H, W)
        True on the object.

    Returns
    -------
    ndarray of float64, shape (N,)
        In [0, 1]; NaN for an all-zero heatmap (it points nowhere).

    Raises
    ------
    TypeError
        If an input is not numeric.
    ValueError
        If the shapes differ or a heatmap has negative values.

    See Also
    --------
    pointing_game : the same question asked of the maximum only.
    lessons/09_class_activation_maps.ipynb : Grad-CAM on a network without global average pooling.

    References
    ----------
    H. Wang, Z. Wang, M. Du, F. Yang, Z. Zhang, S. Ding, P. Mardziel and X. Hu, "Score-CAM:
    score-weighted visual explanations for convolutional neural networks", CVPR Workshops 2020.

    Examples
    --------
    >>> heatmaps = np.array([[[1.0, 1.0], [0.0, 2.0]]])
    >>> masks = np.array([[[True, False], [False, True]]])
    >>> energy_inside(heatmaps, masks)
    array([0.75])
    >>> energy_inside(np.zeros((1, 2, 2)), masks)
    array([nan])
    """
    heatmaps = as_array("heatmaps", heatmaps, ndim=3, hint="Expected (N, H, W); add a batch axis with heatmap[None].")
    masks = as_array("masks", masks, ndim=3) > 0
    if masks.shape != heatmaps.shape:
        raise ValueError(f"masks must have the shape of heatmaps {heatmaps.shape}; got {masks.shape}.")
    if np.any(heatmaps < 0):
        raise ValueError("heatmaps must be non-negative (apply the ReLU first, e.g. cam.normalize); got negative values.")
    total = heatmaps.sum(axis=(1, 2))
    inside = np.where(masks, heatmaps, 0.0).sum(axis=(1, 2))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, inside / np.where(total > 0, total, 1.0), np.nan)
