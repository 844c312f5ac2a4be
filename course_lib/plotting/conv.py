"""Figures for the convolution chapter: stepping a kernel over an image, responses, pooling."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from course_lib import conv
from course_lib.conv.correlation import _check_padding, _pad_amounts
from course_lib._validation import as_array, as_int, as_mapping, as_pair
from course_lib.plotting._core import add_colorbar, show_image, show_kernel, symmetric_limits

NOT_COMPUTED = "#bdbdbd"  # background of output pixels not computed yet


def _window_at(image: np.ndarray, kernel: np.ndarray, position: int, padding) -> tuple[np.ndarray, int, int, np.ndarray]:
    """Padded image, (row, col) of the window and the full output for output pixel ``position``."""
    kh, kw = kernel.shape
    output = conv.correlate2d(image, kernel, padding=padding)
    if not 0 <= position < output.size:
        raise ValueError(f"position must be in [0, {output.size - 1}] (one per output pixel); got {position}.")
    before_r, _ = _pad_amounts(image.shape[0], kh, _check_padding(padding), 1)
    before_c, _ = _pad_amounts(image.shape[1], kw, _check_padding(padding), 1)
    padded = np.pad(image, ((before_r, before_r + kh), (before_c, before_c + kw)))
    row, col = divmod(position, output.shape[1])
    return padded, row, col, output


def show_correlation_step(
    image,
    kernel,
    position: int,
    *,
    padding: str | int = "valid",
    cmap: str = "gray",
) -> Figure:
    """One step of cross-correlation: the window on the input, the kernel, the products, the output so far.

    ``position`` counts output pixels row by row (0 is the top-left output pixel). Output pixels
    not computed yet are left blank, so a sequence of positions reads as an animation.

    Examples
    --------
    >>> image = np.arange(16.0).reshape(4, 4)
    >>> fig = show_correlation_step(image, np.ones((2, 2)), 4)
    >>> fig.axes[2].get_title(), fig.axes[3].get_title()
    ('window x kernel (sum = 30)', 'output[1, 1] = 30')
    >>> plt.close("all")
    """
    image = as_array("image", image, ndim=2)
    kernel = as_array("kernel", kernel, ndim=2)
    position = as_int("position", position, minimum=0)
    padded, row, col, output = _window_at(image, kernel, position, padding)
    kh, kw = kernel.shape
    pad_r = (padded.shape[0] - image.shape[0] - kh) // 2
    pad_c = (padded.shape[1] - image.shape[1] - kw) // 2
    window = padded[row : row + kh, col : col + kw]
    products = window * kernel
    partial = np.full(output.shape, np.nan)
    partial.ravel()[: position + 1] = output.ravel()[: position + 1]

    fig, axes = plt.subplots(1, 4, figsize=(12, 3.3), layout="constrained")
    show_image(image, ax=axes[0], cmap=cmap, title="input and window", axis_labels=True)
    axes[0].add_patch(Rectangle((col - pad_c - 0.5, row - pad_r - 0.5), kw, kh, fill=False, edgecolor="tab:orange", linewidth=2.5))
    axes[0].set_xlim(-pad_c - 0.5, image.shape[1] + pad_c - 0.5)
    axes[0].set_ylim(image.shape[0] + pad_r - 0.5, -pad_r - 0.5)
    show_kernel(kernel, ax=axes[1], title="kernel")
    show_kernel(products, ax=axes[2], title=f"window x kernel (sum = {products.sum():g})")
    vmin, vmax = symmetric_limits(output)
    axes[3].set_facecolor(NOT_COMPUTED)
    shown = axes[3].imshow(partial, cmap="RdBu_r", vmin=vmin, vmax=vmax, interpolation="nearest")
    axes[3].add_patch(Rectangle((col - 0.5, row - 0.5), 1, 1, fill=False, edgecolor="tab:orange", linewidth=2.5))
    axes[3].set_title(f"output[{row}, {col}] = {output[row, col]:g}")
    axes[3].set_xlabel("column")
    axes[3].set_ylabel("row")
    add_colorbar(axes[3], shown, label="response")
    return fig


def show_step_strip(
    image,
    kernel,
    positions: Sequence[int],
    *,
    padding: str | int = "valid",
    cmap: str = "gray",
) -> Figure:
    """A strip of frames of the sliding window: input with the window on top, output so far below.

    Examples
    --------
    >>> image = np.arange(16.0).reshape(4, 4)
    >>> fig = show_step_strip(image, np.ones((2, 2)), [0, 4, 8])
    >>> [ax.get_title() for ax in fig.axes[:3]]
    ['step 0', 'step 4', 'step 8']
    >>> plt.close("all")
    """
    image = as_array("image", image, ndim=2)
    kernel = as_array("kernel", kernel, ndim=2)
    if isinstance(positions, (str, bytes)) or not isinstance(positions, Iterable):
        raise TypeError(f"positions must be a list of output pixel indices; got {type(positions).__name__}.")
    positions = [as_int("positions", p, minimum=0) for p in positions]
    if not positions:
        raise ValueError("positions must list at least one output pixel; got none.")
    kh, kw = kernel.shape
    fig, axes = plt.subplots(2, len(positions), figsize=(2.2 * len(positions), 4.6), squeeze=False, layout="constrained")
    for index, position in enumerate(positions):
        padded, row, col, output = _window_at(image, kernel, position, padding)
        pad_r = (padded.shape[0] - image.shape[0] - kh) // 2
        pad_c = (padded.shape[1] - image.shape[1] - kw) // 2
        top, bottom = axes[0, index], axes[1, index]
        show_image(image, ax=top, cmap=cmap, title=f"step {position}")
        top.add_patch(Rectangle((col - pad_c - 0.5, row - pad_r - 0.5), kw, kh, fill=False, edgecolor="tab:orange", linewidth=2))
        top.set_xlim(-pad_c - 0.5, image.shape[1] + pad_c - 0.5)
        top.set_ylim(image.shape[0] + pad_r - 0.5, -pad_r - 0.5)
        partial = np.full(output.shape, np.nan)
        partial.ravel()[: position + 1] = output.ravel()[: position + 1]
        vmin, vmax = symmetric_limits(output)
        bottom.set_facecolor(NOT_COMPUTED)
        bottom.imshow(partial, cmap="RdBu_r", vmin=vmin, vmax=vmax, interpolation="nearest")
        bottom.add_patch(Rectangle((col - 0.5, row - 0.5), 1, 1, fill=False, edgecolor="tab:orange", linewidth=2))
        bottom.set_xticks([])
        bottom.set_yticks([])
        bottom.set_title("output so far (grey: not yet)", fontsize=9)
    return fig


def show_responses(
    image,
    kernels: Mapping[str, np.ndarray],
    *,
    padding: str | int = "same",
    relu: bool = False,
    robust: bool = False,
    cmap: str = "gray",
) -> Figure:
    """The image, then each kernel and its response (symmetric colour scale, or after ReLU).

    Row 1 shows the kernels, row 2 the responses with a colour bar each. ``robust=True`` sets
    the colour limits at the 99th percentile of the response (photographs), not its maximum.

    Examples
    --------
    >>> image = np.random.default_rng(0).random((6, 6))
    >>> kernels = {"vertical": np.array([[1.0, 0.0, -1.0]] * 3), "horizontal": np.array([[1.0, 0.0, -1.0]] * 3).T}
    >>> fig = show_responses(image, kernels, relu=True)
    >>> [ax.get_title() for ax in fig.axes if "response" in ax.get_title()]
    ['ReLU(vertical response)', 'ReLU(horizontal response)']
    >>> plt.close("all")
    """
    kernels = as_mapping("kernels", kernels, what="name -> kernel")
    image = as_array("image", image, ndim=2)
    if not kernels:
        raise ValueError("kernels must map at least one name to a kernel; got an empty mapping.")
    count = len(kernels) + 1
    fig, axes = plt.subplots(2, count, figsize=(2.7 * count, 5.0), squeeze=False, layout="constrained",
                             gridspec_kw={"height_ratios": [1, 2.2]})
    percentile = 99.0 if robust else 100.0
    axes[0, 0].set_axis_off()
    show_image(image, ax=axes[1, 0], cmap=cmap, title="input")
    for index, (name, kernel) in enumerate(kernels.items(), start=1):
        show_kernel(kernel, ax=axes[0, index], title=name)
        response = conv.correlate2d(image, kernel, padding=padding)
        if relu:
            response = np.maximum(response, 0.0)
            shown = axes[1, index].imshow(response, cmap="magma", interpolation="nearest",
                                          vmax=max(float(np.percentile(response, percentile)), 1e-12))
        else:
            vmin, vmax = symmetric_limits(response, percentile=percentile)
            shown = axes[1, index].imshow(response, cmap="RdBu_r", vmin=vmin, vmax=vmax, interpolation="nearest")
        axes[1, index].set_title(f"ReLU({name} response)" if relu else f"{name} response")
        axes[1, index].set_xticks([])
        axes[1, index].set_yticks([])
        add_colorbar(axes[1, index], shown)
    return fig


def show_pooling(image, size: int = 2, *, cmap: str = "gray") -> Figure:
    """The image beside its max-pooled and average-pooled versions (same colour limits).

    Examples
    --------
    >>> fig = show_pooling(np.arange(16.0).reshape(4, 4), 2)
    >>> [ax.get_title() for ax in fig.axes]
    ['input 4x4', 'max pooling 2x2 -> 2x2', 'average pooling 2x2 -> 2x2']
    >>> plt.close("all")
    """
    image = as_array("image", image, ndim=2)
    pooled = {"max pooling": conv.max_pool2d(image, size), "average pooling": conv.avg_pool2d(image, size)}
    fig, axes = plt.subplots(1, 3, figsize=(10, 3.6), layout="constrained")
    vmin, vmax = float(image.min()), float(image.max())
    show_image(image, ax=axes[0], cmap=cmap, vmin=vmin, vmax=vmax, title=f"input {image.shape[0]}x{image.shape[1]}")
    for ax, (name, result) in zip(axes[1:], pooled.items()):
        show_image(result, ax=ax, cmap=cmap, vmin=vmin, vmax=vmax,
                   title=f"{name} {size}x{size} -> {result.shape[0]}x{result.shape[1]}")
    return fig


def show_conv_matrix(matrix, *, input_shape: tuple[int, int], ax=None):
    """The convolution as a matrix: one row per output pixel, one column per input pixel.

    Examples
    --------
    >>> from course_lib.conv import transposed
    >>> matrix = transposed.conv_matrix((3, 3), np.ones((2, 2)))
    >>> show_conv_matrix(matrix, input_shape=(3, 3)).get_title()
    'convolution matrix 4 x 9'
    >>> plt.close("all")
    """
    matrix = as_array("matrix", matrix, ndim=2)
    input_shape = as_pair("input_shape", input_shape)
    if input_shape[0] * input_shape[1] != matrix.shape[1]:
        raise ValueError(f"input_shape {input_shape} has {input_shape[0] * input_shape[1]} pixels but matrix has "
                         f"{matrix.shape[1]} columns (one per input pixel); pass the shape given to conv_matrix.")
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 3.2), layout="constrained")
    vmin, vmax = symmetric_limits(matrix)
    shown = ax.imshow(matrix, cmap="RdBu_r", vmin=vmin, vmax=vmax, interpolation="nearest", aspect="auto")
    ax.set_xlabel(f"input pixel (flattened {input_shape[0]}x{input_shape[1]})")
    ax.set_ylabel("output pixel")
    ax.set_title(f"convolution matrix {matrix.shape[0]} x {matrix.shape[1]}")
    add_colorbar(ax, shown, label="weight")
    return ax


def plot_receptive_fields(stacks: Mapping[str, tuple[Sequence[int], Sequence[int]]], *, ax=None):
    """Receptive field after each layer for several stacks ``{name: (kernel_sizes, strides)}``.

    Examples
    --------
    >>> ax = plot_receptive_fields({"3x3 convs": ([3, 3, 3], [1, 1, 1]), "with pooling": ([3, 2, 3], [1, 2, 1])})
    >>> [line.get_ydata().tolist() for line in ax.get_lines()]
    [[3, 5, 7], [3, 4, 8]]
    >>> plt.close("all")
    """
    stacks = as_mapping("stacks", stacks, what="name -> (kernel_sizes, strides)")
    if not stacks:
        raise ValueError("stacks must hold at least one named stack; got an empty mapping.")
    if ax is None:
        _, ax = plt.subplots(figsize=(5.5, 3.6), layout="constrained")
    for name, (kernel_sizes, strides) in stacks.items():
        fields = [conv.receptive_field(kernel_sizes[: n + 1], strides[: n + 1]) for n in range(len(kernel_sizes))]
        ax.plot(range(1, len(fields) + 1), fields, marker="o", label=name)
    ax.set_xlabel("number of layers")
    ax.set_ylabel("receptive field (pixels)")
    ax.set_title("How far one output pixel sees")
    ax.grid(alpha=0.3)
    ax.legend()
    return ax
