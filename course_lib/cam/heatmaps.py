"""Turning raw class-evidence maps into heatmaps: ReLU and scale to [0, 1], upsample (NumPy only)."""

from __future__ import annotations

import warnings

import numpy as np
from skimage.transform import resize

from course_lib._limits import check_memory
from course_lib._validation import as_array, as_pair


def normalize(maps) -> np.ndarray:
    """ReLU, then divide each map by its maximum, so that the strongest evidence is 1.

    Parameters
    ----------
    maps : array_like, shape (N, H, W)
        Raw class-activation maps (any sign).

    Returns
    -------
    heatmaps : ndarray, shape (N, H, W), float64 in [0, 1]
        A map with no positive value becomes all zeros (and a warning says how many).

    Raises
    ------
    TypeError, ValueError
        If ``maps`` is not numeric, not 3-D or holds NaN.

    Warns
    -----
    UserWarning
        Once per call, if some maps had no positive value.

    See Also
    --------
    grad_cam, class_activation_map

    Examples
    --------
    >>> normalize([[[1.0, -2.0], [0.5, 2.0]]])
    array([[[0.5 , 0.  ],
            [0.25, 1.  ]]])
    """
    maps = as_array("maps", maps, ndim=3, hint="Expected (N, H, W); add a batch axis with maps[None].")
    maps = np.maximum(maps, 0.0)
    peaks = maps.max(axis=(1, 2))
    flat = peaks <= 0.0
    if np.any(flat):
        warnings.warn(
            f"{int(flat.sum())} of {len(maps)} heatmaps had no positive value (the class evidence "
            "is negative everywhere); they are returned as zeros.",
            UserWarning,
            stacklevel=3,
        )
    return maps / np.where(flat, 1.0, peaks)[:, None, None]


def upsample(heatmaps, size: int | tuple[int, int]) -> np.ndarray:
    """Bilinear upsampling of coarse heatmaps to the image size (pixel centres aligned).

    Parameters
    ----------
    heatmaps : array_like, shape (N, h, w)
    size : int or (int, int)
        Output ``(H, W)``; an int means a square.

    Returns
    -------
    ndarray, shape (N, H, W), float64
        Values stay within the range of the input.

    Raises
    ------
    TypeError, ValueError
        If ``heatmaps`` is not 3-D numeric, ``size`` is not positive, or the output would exceed
        the memory limit (``course_lib.config.MEMORY_LIMIT_GIB``).

    See Also
    --------
    skimage.transform.resize : does the interpolation (``order=1``, edge mode).

    Examples
    --------
    >>> upsample([[[0.0, 1.0]]], (1, 4))
    array([[[0.  , 0.25, 0.75, 1.  ]]])
    """
    heatmaps = as_array("heatmaps", heatmaps, ndim=3, hint="Expected (N, h, w).")
    rows, cols = as_pair("size", size)
    check_memory(2.0 * len(heatmaps) * rows * cols, argument="size", what=f"{len(heatmaps)} heatmaps of {rows} x {cols}",
                 fix="upsample to the image size, a few hundred pixels")
    out = resize(heatmaps, (len(heatmaps), rows, cols), order=1, mode="edge", anti_aliasing=False)
    return np.asarray(out, dtype=np.float64)
