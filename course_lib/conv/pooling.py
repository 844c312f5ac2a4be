"""Pooling and receptive fields: how layers summarise windows and how far an output pixel sees.

Re-exported by ``course_lib.conv`` (``conv.max_pool2d``...), where the chapter uses them.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from course_lib._validation import as_array, as_int, as_pair

def _pool(image, size, stride, reduce, name):
    image = as_array("image", image, ndim=(2, 3), hint="Pool one (H, W) or (H, W, C) image at a time.")
    size = as_pair("size", size)
    stride = size if stride is None else as_pair("stride", stride)
    if size[0] > image.shape[0] or size[1] > image.shape[1]:
        raise ValueError(
            f"size {size} is larger than the image ({image.shape[0]}x{image.shape[1]}); "
            f"{name} uses no padding, so the window must fit."
        )
    windows = sliding_window_view(image, size, axis=(0, 1))[:: stride[0], :: stride[1]]
    # windows: (H_out, W_out[, C], size_r, size_c)
    return reduce(windows, axis=(-2, -1))


def max_pool2d(image, size: int | tuple[int, int], *, stride: int | tuple[int, int] | None = None) -> np.ndarray:
    """Max pooling of an (H, W) or (H, W, C) image without padding.

    Parameters
    ----------
    image : array_like, shape (H, W) or (H, W, C)
    size : int or (int, int)
        Pooling window.
    stride : int or (int, int), optional, keyword-only
        Step between windows; defaults to ``size`` (non-overlapping windows).

    Returns
    -------
    pooled : ndarray, shape (H_out, W_out) or (H_out, W_out, C)
        ``H_out = output_size(H, size, stride=stride)``.

    Raises
    ------
    TypeError, ValueError
        For non-numeric input, wrong ndim, a window larger than the image, or size/stride < 1.

    See Also
    --------
    avg_pool2d

    Examples
    --------
    >>> image = np.arange(16.0).reshape(4, 4)
    >>> max_pool2d(image, 2)
    array([[ 5.,  7.],
           [13., 15.]])
    >>> max_pool2d(image, 3, stride=1)
    array([[10., 11.],
           [14., 15.]])
    """
    return _pool(image, size, stride, np.max, "max_pool2d")


def avg_pool2d(image, size: int | tuple[int, int], *, stride: int | tuple[int, int] | None = None) -> np.ndarray:
    """Average pooling of an (H, W) or (H, W, C) image without padding.

    Parameters
    ----------
    image : array_like, shape (H, W) or (H, W, C)
    size : int or (int, int)
    stride : int or (int, int), optional, keyword-only
        Defaults to ``size``.

    Returns
    -------
    pooled : ndarray, shape (H_out, W_out) or (H_out, W_out, C)

    Raises
    ------
    TypeError, ValueError
        As :func:`max_pool2d`.

    See Also
    --------
    max_pool2d

    Examples
    --------
    >>> avg_pool2d(np.arange(16.0).reshape(4, 4), 2)
    array([[ 2.5,  4.5],
           [10.5, 12.5]])
    """
    return _pool(image, size, stride, np.mean, "avg_pool2d")


def receptive_field(kernel_sizes, strides=None) -> int:
    """Receptive field (in input pixels, along one axis) of a stack of conv/pool layers.

    Parameters
    ----------
    kernel_sizes : sequence of int
        Kernel size of each layer, first layer first.
    strides : sequence of int, optional
        Stride of each layer; all 1 by default.

    Returns
    -------
    int
        ``1 + sum_l (k_l - 1) * prod_{m < l} s_m``.

    Raises
    ------
    ValueError
        If the sequences are empty or of different lengths, or hold values below 1.

    Examples
    --------
    >>> receptive_field([3, 3, 3])  # three 3x3 layers see 7x7
    7
    >>> receptive_field([3, 2, 3], strides=[1, 2, 1])  # conv, 2x2 pool, conv
    8
    """
    for name, value in (("kernel_sizes", kernel_sizes), ("strides", strides)):
        if isinstance(value, (str, bytes)) or not (value is None and name == "strides" or isinstance(value, Iterable)):
            raise TypeError(f"{name} must be a sequence of ints, one per layer; got {value!r}.")
    kernel_sizes = [as_int("kernel_sizes", k, minimum=1) for k in kernel_sizes]
    if not kernel_sizes:
        raise ValueError("kernel_sizes must list at least one layer; got an empty sequence.")
    strides = [1] * len(kernel_sizes) if strides is None else [as_int("strides", s, minimum=1) for s in strides]
    if len(strides) != len(kernel_sizes):
        raise ValueError(
            f"strides must have one entry per layer ({len(kernel_sizes)}); got {len(strides)}."
        )
    field, jump = 1, 1
    for k, s in zip(kernel_sizes, strides):
        field += (k - 1) * jump
        jump *= s
    return field
