"""Convolution, cross-correlation and output-size arithmetic in NumPy.

Everything works on float64 arrays, rows and columns (never x/y), channels last.
``padding`` is ``"valid"`` (no padding), ``"same"`` (output size ``ceil(n / stride)``,
zeros split as TensorFlow splits them: the extra one goes after), ``"full"`` (every
overlap, ``kernel - 1`` zeros on each side) or an int (that many zeros on each side).

The vectorised kernels use shift-and-add: for each kernel position one whole-array
multiply-add, so the work is ``KH * KW`` passes over the image instead of a Python loop
over output pixels. The readable loop version lives in the convolution chapter.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from course_lib._limits import check_memory
from course_lib import _limits
from course_lib._validation import as_array, as_choice, as_int, as_pair

PADDINGS = ("valid", "same", "full")


def _check_padding(padding) -> str | int:
    if isinstance(padding, numbers.Integral) and not isinstance(padding, bool):
        return as_int("padding", padding, minimum=0)
    if isinstance(padding, str):
        return as_choice("padding", padding.lower(), PADDINGS)
    raise TypeError(
        f"padding must be 'valid', 'same', 'full' or a non-negative int; got {padding!r}."
    )


def _pad_amounts(size: int, kernel_size: int, padding: str | int, stride: int) -> tuple[int, int]:
    """Zeros to add before and after one axis."""
    if padding == "valid":
        return 0, 0
    if padding == "full":
        return kernel_size - 1, kernel_size - 1
    if padding == "same":
        out = math.ceil(size / stride)
        total = max((out - 1) * stride + kernel_size - size, 0)
        return total // 2, total - total // 2
    return padding, padding  # an int


def output_size(size: int, kernel_size: int, *, padding: str | int = "valid", stride: int = 1) -> int:
    """Length of the output of a convolution along one axis.

    Parameters
    ----------
    size : int
        Input length (rows or columns), at least 1.
    kernel_size : int
        Kernel length along the same axis, at least 1.
    padding : {"valid", "same", "full"} or int, keyword-only
        Padding mode, or the number of zeros added on each side.
    stride : int, keyword-only
        Step between kernel positions, at least 1.

    Returns
    -------
    int
        ``floor((size + pad_before + pad_after - kernel_size) / stride) + 1``.

    Raises
    ------
    TypeError
        If a size is not an integer.
    ValueError
        If a size or the stride is below 1, or the kernel does not fit in the padded input.

    See Also
    --------
    correlate2d : uses the same arithmetic; chapter "Convolution" explains it.

    References
    ----------
    V. Dumoulin and F. Visin, "A guide to convolution arithmetic for deep learning", 2016.

    Examples
    --------
    >>> output_size(28, 5)
    24
    >>> output_size(28, 5, padding="same")
    28
    >>> output_size(224, 7, padding=3, stride=2)
    112
    >>> output_size(5, 3, padding="full")
    7
    """
    size = as_int("size", size, minimum=1)
    kernel_size = as_int("kernel_size", kernel_size, minimum=1, maximum=_limits.MAX_SIDE)
    stride = as_int("stride", stride, minimum=1)
    padding = _check_padding(padding)
    before, after = _pad_amounts(size, kernel_size, padding, stride)
    span = size + before + after - kernel_size
    if span < 0:
        raise ValueError(
            f"kernel_size {kernel_size} is larger than the padded input ({size + before + after}); "
            "use padding='same' or 'full', or a smaller kernel."
        )
    return span // stride + 1


#: Multiply-adds one call may plan (about a minute of NumPy); larger work is refused with a message.
MAX_WORK = 5e9


def _check_cost(shape, kernel_shape, padding, stride, *, c_in: int = 1, c_out: int = 1, batch: int = 1) -> None:
    """Refuse padding, images or kernels whose memory or work explodes, before allocating anything."""
    padded, out = [], []
    for size, k, s in zip(shape, kernel_shape, stride):
        before, after = _pad_amounts(size, k, padding, s)
        padded.append(size + before + after)
        out.append(max((size + before + after - k) // s + 1, 0))
    values = batch * (padded[0] * padded[1] * c_in + out[0] * out[1] * c_out)
    check_memory(float(values), argument="padding" if isinstance(padding, int) else "image",
                 what=f"a padded {padded[0]} x {padded[1]} input and a {out[0]} x {out[1]} output",
                 fix="padding is a few pixels (kernel size - 1 at most); use a smaller image otherwise")
    work = float(batch) * out[0] * out[1] * kernel_shape[0] * kernel_shape[1] * c_in * c_out
    if work > MAX_WORK:
        raise ValueError(
            f"kernel of {kernel_shape[0]} x {kernel_shape[1]} over a {out[0]} x {out[1]} output needs "
            f"{work:.2g} multiply-adds, above {MAX_WORK:.0e} (minutes in this loop); use a smaller kernel or "
            "image, or scipy.signal.fftconvolve for large kernels."
        )


def _check_image_kernel(image, kernel, padding, stride):
    image = as_array("image", image, ndim=2, hint="Use conv2d for batches or channels.")
    kernel = as_array(
        "kernel", kernel, ndim=2, hint="Use conv2d for multi-channel kernels."
    )
    padding = _check_padding(padding)
    stride = as_pair("stride", stride)
    for axis, name in enumerate(("rows", "columns")):
        if padding == "valid" and kernel.shape[axis] > image.shape[axis]:
            raise ValueError(
                f"kernel has {kernel.shape[axis]} {name} but image has only "
                f"{image.shape[axis]}; with padding='valid' the kernel must fit inside the "
                "image. Use padding='same' or 'full'."
            )
    _check_cost(image.shape, kernel.shape, padding, stride)
    return image, kernel, padding, stride


def _pad(array: np.ndarray, kernel_shape, padding, stride, axes) -> np.ndarray:
    widths = [(0, 0)] * array.ndim
    for axis, k, s in zip(axes, kernel_shape, stride):
        widths[axis] = _pad_amounts(array.shape[axis], k, padding, s)
    return np.pad(array, widths)


def correlate2d(image, kernel, *, padding: str | int = "valid", stride: int | tuple[int, int] = 1) -> np.ndarray:
    """Cross-correlate a 2-D image with a 2-D kernel (what deep-learning libraries call convolution).

    ``out[r, c] = sum_{i, j} image[r * stride + i, c * stride + j] * kernel[i, j]``
    on the zero-padded image.

    Parameters
    ----------
    image : array_like, shape (H, W)
        Grayscale image.
    kernel : array_like, shape (KH, KW)
        Filter; it is *not* flipped.
    padding : {"valid", "same", "full"} or int, keyword-only
        See the module docstring.
    stride : int or (int, int), keyword-only
        Step between kernel positions along rows and columns.

    Returns
    -------
    feature_map : ndarray, shape (H_out, W_out), float64
        ``H_out = output_size(H, KH, padding=padding, stride=stride)``, likewise for columns.

    Raises
    ------
    TypeError
        If an input is not numeric or ``stride``/``padding`` have the wrong type.
    ValueError
        If an input is not 2-D, contains NaN, the kernel is larger than the image with
        ``padding="valid"``, ``stride < 1``, or the padded image and output would exceed the
        memory limit (``course_lib.config.MEMORY_LIMIT_GIB``) or ``MAX_WORK`` multiply-adds.

    See Also
    --------
    convolve2d : the same with the kernel flipped.
    conv2d : batches of multi-channel images, as ``tf.nn.conv2d``.
    scipy.signal.correlate2d : the reference it is tested against.

    References
    ----------
    Y. LeCun, L. Bottou, Y. Bengio and P. Haffner, "Gradient-based learning applied to
    document recognition", Proc. IEEE, 1998.

    Examples
    --------
    >>> image = np.arange(16.0).reshape(4, 4)
    >>> correlate2d(image, np.ones((2, 2)))
    array([[10., 14., 18.],
           [26., 30., 34.],
           [42., 46., 50.]])
    >>> correlate2d(image, [[1.0, -1.0]], stride=2)
    array([[-1., -1.],
           [-1., -1.]])
    """
    image, kernel, padding, stride = _check_image_kernel(image, kernel, padding, stride)
    padded = _pad(image, kernel.shape, padding, stride, axes=(0, 1))
    kh, kw = kernel.shape
    rows = (padded.shape[0] - kh) // stride[0] + 1
    cols = (padded.shape[1] - kw) // stride[1] + 1
    out = np.zeros((rows, cols))
    row_span = (rows - 1) * stride[0] + 1
    col_span = (cols - 1) * stride[1] + 1
    for i in range(kh):
        for j in range(kw):
            weight = kernel[i, j]
            if weight != 0.0:
                window = padded[i : i + row_span : stride[0], j : j + col_span : stride[1]]
                out += weight * window
    return out


def convolve2d(image, kernel, *, padding: str | int = "valid", stride: int | tuple[int, int] = 1) -> np.ndarray:
    """Convolve a 2-D image with a 2-D kernel: correlation with the kernel flipped in both axes.

    Parameters
    ----------
    image : array_like, shape (H, W)
    kernel : array_like, shape (KH, KW)
    padding : {"valid", "same", "full"} or int, keyword-only
    stride : int or (int, int), keyword-only

    Returns
    -------
    feature_map : ndarray, shape (H_out, W_out), float64

    Raises
    ------
    TypeError, ValueError
        As :func:`correlate2d`.

    See Also
    --------
    correlate2d
    scipy.signal.convolve2d : the reference it is tested against.

    Examples
    --------
    >>> impulse = np.zeros((3, 3)); impulse[1, 1] = 1.0
    >>> convolve2d(impulse, [[1.0, 2.0], [3.0, 4.0]], padding="full")[1:3, 1:3]
    array([[1., 2.],
           [3., 4.]])
    """
    kernel = as_array("kernel", kernel, ndim=2, hint="Use conv2d for multi-channel kernels.")
    return correlate2d(image, kernel[::-1, ::-1], padding=padding, stride=stride)


def conv2d(images, kernels, *, padding: str | int = "valid", stride: int | tuple[int, int] = 1) -> np.ndarray:
    """Multi-channel 2-D cross-correlation of a batch, with the semantics of ``tf.nn.conv2d``.

    Parameters
    ----------
    images : array_like, shape (N, H, W, C_in)
        Batch of channels-last images.
    kernels : array_like, shape (KH, KW, C_in, C_out)
        One (KH, KW, C_in) filter per output channel.
    padding : {"valid", "same", "full"} or int, keyword-only
    stride : int or (int, int), keyword-only

    Returns
    -------
    feature_maps : ndarray, shape (N, H_out, W_out, C_out), float64

    Raises
    ------
    TypeError
        If an input is not numeric.
    ValueError
        If the shapes are not 4-D, the channel counts differ, or the kernel does not fit.

    See Also
    --------
    correlate2d : the single-channel case.
    tensorflow.nn.conv2d : the reference it is tested against.

    Examples
    --------
    >>> images = np.ones((2, 4, 4, 3))
    >>> kernels = np.ones((3, 3, 3, 5))
    >>> out = conv2d(images, kernels)
    >>> out.shape
    (2, 2, 2, 5)
    >>> float(out[0, 0, 0, 0])  # 3 * 3 * 3 ones
    27.0
    """
    images = as_array("images", images, ndim=4, hint="Expected (N, H, W, C_in); add a batch axis with images[None].")
    kernels = as_array("kernels", kernels, ndim=4, hint="Expected (KH, KW, C_in, C_out).")
    if images.shape[3] != kernels.shape[2]:
        raise ValueError(
            f"images have {images.shape[3]} channels but kernels expect C_in={kernels.shape[2]}; "
            "kernels must have shape (KH, KW, C_in, C_out)."
        )
    padding = _check_padding(padding)
    stride = as_pair("stride", stride)
    kh, kw = kernels.shape[:2]
    if padding == "valid" and (kh > images.shape[1] or kw > images.shape[2]):
        raise ValueError(
            f"kernels are {kh}x{kw} but images are {images.shape[1]}x{images.shape[2]}; with "
            "padding='valid' the kernel must fit inside the image. Use padding='same'."
        )
    _check_cost(images.shape[1:3], (kh, kw), padding, stride, c_in=images.shape[3], c_out=kernels.shape[3],
                batch=images.shape[0])
    padded = _pad(images, (kh, kw), padding, stride, axes=(1, 2))
    rows = (padded.shape[1] - kh) // stride[0] + 1
    cols = (padded.shape[2] - kw) // stride[1] + 1
    out = np.zeros((images.shape[0], rows, cols, kernels.shape[3]))
    row_span = (rows - 1) * stride[0] + 1
    col_span = (cols - 1) * stride[1] + 1
    for i in range(kh):
        for j in range(kw):
            window = padded[:, i : i + row_span : stride[0], j : j + col_span : stride[1], :]
            out += window @ kernels[i, j]  # (N, rows, cols, C_in) @ (C_in, C_out)
    return out
