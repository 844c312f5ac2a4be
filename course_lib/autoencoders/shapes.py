"""Convolutional autoencoders, NumPy side: decoder shape arithmetic and checkerboard measurements.

The Keras builders live in :mod:`course_lib.autoencoders.models` and the noisy training
data in :mod:`course_lib.autoencoders.data`; all are reached as ``autoencoders.<name>``.

A layer for :func:`trace_sizes` is a tuple ``(kind, *numbers)`` read as Keras reads it:

``("conv", kernel_size[, stride[, padding]])``
    ``Conv2D``; stride 1 and ``"valid"`` padding unless given.
``("pool", size)``
    ``MaxPooling2D(size)`` (stride = size, no padding).
``("upsample", factor)``
    ``UpSampling2D(factor)``: every pixel repeated ``factor`` times.
``("transpose", kernel_size[, stride[, padding]])``
    ``Conv2DTranspose``: ``(n - 1) * stride + kernel_size`` with ``"valid"`` (``kernel_size``
    replaced by ``stride`` if it is smaller), ``n * stride`` with ``"same"``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from course_lib import conv
from course_lib import _limits
from course_lib._validation import as_array, as_choice, as_int

LAYER_KINDS = ("conv", "pool", "upsample", "transpose")
UPSAMPLING = ("transpose", "upsample")


def _parse_layer(layer) -> tuple[str, tuple[int, int, str]]:
    if not isinstance(layer, (tuple, list)) or not layer or not isinstance(layer[0], str):
        raise TypeError(f"each layer must be a tuple like ('conv', 3) or ('upsample', 2); got {layer!r}.")
    kind = as_choice("layer kind", layer[0], LAYER_KINDS)
    numbers = list(layer[1:])
    if kind in ("pool", "upsample"):
        if len(numbers) != 1:
            raise ValueError(f"a {kind!r} layer takes one number, e.g. ({kind!r}, 2); got {layer!r}.")
        return kind, (as_int(f"{kind} size", numbers[0], minimum=1), 1, "valid")
    if not 1 <= len(numbers) <= 3:
        raise ValueError(f"a {kind!r} layer is ({kind!r}, kernel_size[, stride[, padding]]); got {layer!r}.")
    kernel_size = as_int("kernel_size", numbers[0], minimum=1)
    stride = as_int("stride", numbers[1], minimum=1) if len(numbers) > 1 else 1
    padding = as_choice("padding", numbers[2], ("valid", "same")) if len(numbers) > 2 else "valid"
    return kind, (kernel_size, stride, padding)


def trace_sizes(size: int, layers: Sequence[tuple]) -> list[int]:
    """Side length of a square feature map after each layer of an encoder or decoder.

    Parameters
    ----------
    size : int
        Side of the input (28 for MNIST), at least 1.
    layers : sequence of tuple
        Layer descriptions, first layer first (see the module docstring).

    Returns
    -------
    list of int
        ``[size, after layer 1, after layer 2, ...]``; the last entry is the output side.

    Raises
    ------
    TypeError
        If a layer is not a tuple starting with its kind, or a number is not an int.
    ValueError
        If a kind or padding is unknown, a layer has the wrong number of entries, or a
        layer does not fit (e.g. a 5x5 valid convolution on a 3x3 map).

    See Also
    --------
    course_lib.conv.output_size : the convolution arithmetic it uses.
    build_decoder : builds such layers in Keras.

    References
    ----------
    V. Dumoulin and F. Visin, "A guide to convolution arithmetic for deep learning", 2016.

    Examples
    --------
    >>> trace_sizes(28, [("conv", 3), ("pool", 2), ("conv", 2), ("pool", 2), ("conv", 3)])
    [28, 26, 13, 12, 6, 4]
    >>> trace_sizes(4, [("transpose", 3), ("upsample", 2), ("transpose", 2), ("upsample", 2), ("transpose", 3)])
    [4, 6, 12, 13, 26, 28]
    >>> trace_sizes(7, [("transpose", 3, 2, "same"), ("transpose", 4, 2, "same")])
    [7, 14, 28]
    """
    size = as_int("size", size, minimum=1)
    if isinstance(layers, (str, bytes)) or not isinstance(layers, Sequence):
        raise TypeError(f"layers must be a list of layer tuples; got {type(layers).__name__}.")
    sizes = [size]
    for number, layer in enumerate(layers, start=1):
        try:
            kind, (k, stride, padding) = _parse_layer(layer)
        except (TypeError, ValueError) as error:  # name the argument and the layer, keep the reason
            raise type(error)(f"layers[{number - 1}] = {layer!r}: {error}") from None
        current = sizes[-1]
        if kind == "upsample":
            sizes.append(current * k)
        elif kind == "transpose":
            # Keras pads the output to a whole stride when stride > kernel_size
            sizes.append(current * stride if padding == "same" else (current - 1) * stride + max(k, stride))
        else:
            stride = k if kind == "pool" else stride
            if padding == "valid" and k > current:
                raise ValueError(
                    f"layer {number} {layer!r} needs at least {k} pixels but the map is {current}x{current}."
                )
            sizes.append(conv.output_size(current, k, padding=padding, stride=stride))
    return sizes


def transposed_overlap(kernel_size: int, stride: int, *, input_size: int = 6) -> np.ndarray:
    """How many kernel copies land on each output pixel of a transposed convolution.

    A ``Conv2DTranspose`` with all weights 1 applied to a constant input of ones: each input
    pixel paints one ``kernel_size`` x ``kernel_size`` copy of the kernel, ``stride`` pixels
    from its neighbour. Where the copies overlap unevenly (``kernel_size`` not a multiple of
    ``stride``), the output of a constant input is not constant: the checkerboard.

    Parameters
    ----------
    kernel_size : int
        Side of the kernel, at least 1.
    stride : int
        Upsampling factor, at least 1.
    input_size : int, keyword-only
        Side of the constant input, 1..64 (the pattern repeats).

    Returns
    -------
    overlap : ndarray, shape (S, S), float64
        ``S = (input_size - 1) * stride + kernel_size``; the border (the outer
        ``kernel_size - stride`` pixels), where fewer copies reach, is included.

    Raises
    ------
    TypeError, ValueError
        If an argument is not an int >= 1.

    See Also
    --------
    checkerboard_strength : one number for the unevenness.
    course_lib.conv.conv_transpose2d : computes it.

    References
    ----------
    A. Odena, V. Dumoulin and C. Olah, "Deconvolution and checkerboard artifacts", Distill, 2016.

    Examples
    --------
    >>> transposed_overlap(3, 2, input_size=3)
    array([[1., 1., 2., 1., 2., 1., 1.],
           [1., 1., 2., 1., 2., 1., 1.],
           [2., 2., 4., 2., 4., 2., 2.],
           [1., 1., 2., 1., 2., 1., 1.],
           [2., 2., 4., 2., 4., 2., 2.],
           [1., 1., 2., 1., 2., 1., 1.],
           [1., 1., 2., 1., 2., 1., 1.]])
    >>> transposed_overlap(4, 2, input_size=3)[2:-2, 2:-2]  # the interior is uniform
    array([[4., 4., 4., 4.],
           [4., 4., 4., 4.],
           [4., 4., 4., 4.],
           [4., 4., 4., 4.]])
    """
    kernel_size = as_int("kernel_size", kernel_size, minimum=1, maximum=_limits.MAX_SIDE)
    stride = as_int("stride", stride, minimum=1, maximum=_limits.MAX_SIDE)
    input_size = as_int("input_size", input_size, minimum=1, maximum=64,
                        why="The overlap pattern repeats; a few pixels show it.")
    return conv.conv_transpose2d(np.ones((input_size, input_size)), np.ones((kernel_size, kernel_size)), stride=stride)


def checkerboard_strength(images, *, border: int = 0) -> float | np.ndarray:
    """Amplitude of the period-2 pattern in an image: how strongly it looks like a checkerboard.

    The pixels are split into the four classes of ``(row % 2, column % 2)``; the result is
    the root-mean-square deviation of the four class means from their average. A pattern
    that repeats every 2 pixels (what stride-2 upsampling leaves behind) shifts the class
    means apart; a smooth image or random noise leaves them (nearly) equal. An image
    ``m + a * (-1)**(row + col)`` gives exactly ``a``.

    Parameters
    ----------
    images : array_like, shape (H, W), (H, W, C), (N, H, W) or (N, H, W, C)
        One image or a batch; 4-D and 3-D with a last axis of size 1 or 3 are read as
        (N, H, W, C) and (H, W, C).
    border : int, keyword-only
        Pixels dropped on every side first (e.g. where fewer transposed-conv copies overlap).

    Returns
    -------
    float or ndarray, shape (N,)
        One value per image, in the units of the image values (0 = no period-2 pattern).

    Raises
    ------
    TypeError
        If ``images`` is not numeric or ``border`` not an int.
    ValueError
        If ``images`` has the wrong ndim, or fewer than 2x2 pixels remain.

    See Also
    --------
    transposed_overlap

    Examples
    --------
    >>> rows, cols = np.indices((6, 6))
    >>> round(float(checkerboard_strength(0.5 + 0.1 * (-1.0) ** (rows + cols))), 12)
    0.1
    >>> float(checkerboard_strength(transposed_overlap(4, 2), border=2))
    0.0
    >>> round(float(checkerboard_strength(transposed_overlap(3, 2), border=1)), 2)
    1.09
    """
    images = as_array("images", images, ndim=(2, 3, 4))
    border = as_int("border", border, minimum=0)
    single = images.ndim == 2 or (images.ndim == 3 and images.shape[-1] in (1, 3))
    batch = images[None] if single else images
    batch = batch[..., None] if batch.ndim == 3 else batch  # (N, H, W, C)
    if border:
        batch = batch[:, border:-border, border:-border]
    if min(batch.shape[1:3], default=0) < 2:
        raise ValueError(f"checkerboard_strength needs at least 2x2 pixels after the border; got {batch.shape[1:3]}.")
    means = np.stack(
        [batch[:, r::2, c::2].mean(axis=(1, 2, 3)) for r in (0, 1) for c in (0, 1)], axis=1
    )  # (N, 4): mean of each parity class
    strength = np.sqrt(np.mean((means - means.mean(axis=1, keepdims=True)) ** 2, axis=1))
    return float(strength[0]) if single else strength
