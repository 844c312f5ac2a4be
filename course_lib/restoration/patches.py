"""Steps 1 and 3 of patch-based restoration: cut an image into overlapping patches, average them back.

Re-exported by :mod:`course_lib.restoration`, whose :func:`~course_lib.restoration.restore_image`
puts the two steps around a network.
"""

from __future__ import annotations

import math

import numpy as np

from course_lib._limits import check_memory
from course_lib._validation import _asarray, as_array, as_int


def _positions(size: int, patch_size: int, stride: int) -> np.ndarray:
    """Start indices along one axis: every ``stride`` pixels, plus the last one so the end is covered."""
    starts = np.arange(0, size - patch_size + 1, stride)
    return starts if starts[-1] == size - patch_size else np.append(starts, size - patch_size)


def extract_patches(image, patch_size: int, *, stride: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Cut an image into overlapping square patches, ``stride`` pixels apart, covering every pixel.

    Parameters
    ----------
    image : array_like, shape (H, W)
    patch_size : int
        Side of the patches, at most ``min(H, W)``.
    stride : int, keyword-only
        Step between patch corners, in 1..patch_size (1: every possible patch). The last
        row and column of patches are moved in to end at the image border.

    Returns
    -------
    patches : ndarray, shape (N, patch_size, patch_size), float64
    corners : ndarray, shape (N, 2), int
        ``(row, col)`` of each patch's top-left pixel.

    Raises
    ------
    TypeError, ValueError
        If ``image`` is not 2-D, ``patch_size``/``stride`` is not an int in range, or the
        patches would exceed the memory limit (``course_lib.config.MEMORY_LIMIT_GIB``): the
        message names the stride to use.

    See Also
    --------
    average_patches : the inverse, averaging overlaps.

    Examples
    --------
    >>> patches, corners = extract_patches(np.arange(16.0).reshape(4, 4), 2, stride=2)
    >>> patches.shape, corners.tolist()
    ((4, 2, 2), [[0, 0], [0, 2], [2, 0], [2, 2]])
    >>> patches[1]
    array([[2., 3.],
           [6., 7.]])
    >>> extract_patches(np.zeros((5, 5)), 2, stride=2)[1][:, 0].tolist()  # last row moved in: 0, 2, 3
    [0, 0, 0, 2, 2, 2, 3, 3, 3]
    """
    image = as_array("image", image, ndim=2, hint="Pass one grayscale (H, W) image.")
    patch_size = as_int("patch_size", patch_size, minimum=1)
    stride = as_int("stride", stride, minimum=1)
    if patch_size > min(image.shape):
        raise ValueError(f"patch_size ({patch_size}) must not exceed the image size {image.shape}; use a smaller patch.")
    if stride > patch_size:
        raise ValueError(f"stride must be <= patch_size ({patch_size}) so patches cover the image; got {stride}.")
    rows, cols = _positions(image.shape[0], patch_size, stride), _positions(image.shape[1], patch_size, stride)
    suggested = max(stride, math.ceil(patch_size / 2))
    check_memory(float(len(rows)) * len(cols) * patch_size**2, argument="stride",
                 what=f"{len(rows) * len(cols)} patches of {patch_size} x {patch_size}",
                 fix=f"raise the stride (e.g. stride={suggested}) or cut a smaller image")
    corners = np.array([(row, col) for row in rows for col in cols])
    patches = np.stack([image[row:row + patch_size, col:col + patch_size] for row, col in corners])
    return patches, corners


def average_patches(patches, corners, shape: tuple[int, int]) -> np.ndarray:
    """Put patches back at their corners and average every pixel over the patches that cover it.

    Parameters
    ----------
    patches : array_like, shape (N, P, P)
    corners : array_like of int, shape (N, 2)
        Top-left ``(row, col)`` of each patch, as returned by :func:`extract_patches`.
    shape : tuple of int
        ``(H, W)`` of the image.

    Returns
    -------
    image : ndarray, shape (H, W), float64

    Raises
    ------
    TypeError, ValueError
        If the arrays have the wrong shapes, a patch falls outside the image, or a pixel
        is covered by no patch.

    See Also
    --------
    extract_patches

    Examples
    --------
    >>> image = np.arange(20.0).reshape(4, 5)
    >>> patches, corners = extract_patches(image, 3, stride=1)
    >>> bool(np.allclose(average_patches(patches, corners, image.shape), image))
    True
    >>> average_patches(np.ones((2, 1, 2)) * [[[1.0, 1.0]], [[3.0, 3.0]]], [(0, 0), (0, 1)], (1, 3))
    array([[1., 2., 3.]])
    """
    patches = as_array("patches", patches, ndim=3, hint="Expected (N, P, P) patches.")
    corners = _asarray("corners", corners)
    if corners.ndim != 2 or corners.shape != (len(patches), 2) or not np.issubdtype(corners.dtype, np.integer):
        raise ValueError(f"corners must be integers of shape ({len(patches)}, 2); got {corners.dtype} {corners.shape}.")
    height, width = (as_int("shape", size, minimum=1) for size in shape)
    check_memory(2.0 * height * width, argument="shape", what=f"a {height} x {width} image and its counts",
                 fix="pass the shape of the image the patches came from")
    rows, cols = patches.shape[1:]
    if corners.min() < 0 or (corners[:, 0] + rows).max() > height or (corners[:, 1] + cols).max() > width:
        raise ValueError(f"every patch must lie inside the image of shape {(height, width)}; check corners.")
    total, count = np.zeros((height, width)), np.zeros((height, width))
    for patch, (row, col) in zip(patches, corners):
        total[row:row + rows, col:col + cols] += patch
        count[row:row + rows, col:col + cols] += 1
    if np.any(count == 0):
        raise ValueError("some pixels are covered by no patch; pass corners from extract_patches.")
    return total / count
