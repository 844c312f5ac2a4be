"""Figures for the Gabor chapter: kernels, parameter sweeps, filter-bank responses, learned filters."""

from __future__ import annotations

import math
from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from course_lib import gabor
from course_lib._validation import as_array, as_choice, as_int
from course_lib.gabor.filtering import _as_bank, _check_kernel
from course_lib.plotting._core import add_colorbar, show_image, symmetric_limits

PARAMETERS = ("frequency", "theta", "sigma")


def _kernel_of(item) -> np.ndarray:
    return _check_kernel(item)


def _pad_to(kernel: np.ndarray, side: int) -> np.ndarray:
    """Centre ``kernel`` in a ``side x side`` array of zeros, so that sizes compare on the page."""
    before = (side - kernel.shape[0]) // 2
    return np.pad(kernel, ((before, side - kernel.shape[0] - before), (before, side - kernel.shape[1] - before)))


def _show_signed(ax: Axes, values: np.ndarray, title: str | None, *, colorbar: bool = False, fontsize: int = 10) -> None:
    vmin, vmax = symmetric_limits(values)
    shown = ax.imshow(values, cmap="RdBu_r", vmin=vmin, vmax=vmax, interpolation="nearest")
    ax.set_xticks([])
    ax.set_yticks([])
    if title:
        ax.set_title(title, fontsize=fontsize)
    if colorbar:
        add_colorbar(ax, shown, label="weight")


def show_gabor_kernel(kernel, *, title: str | None = None) -> Figure:
    """Real (even) part, imaginary (odd) part and magnitude (the Gaussian envelope) of a kernel.

    ``kernel`` is a complex (K, K) array or a ``gabor.GaborFilter`` (its label is the title).

    Examples
    --------
    >>> from course_lib import gabor
    >>> filter_ = gabor.gabor_bank(0.25, 0.0, 1.0)[0]
    >>> fig = show_gabor_kernel(filter_)
    >>> fig.get_suptitle(), fig.axes[0].images[0].get_array().shape
    ('f=0.25, θ=0°, σ=1', (7, 7))
    >>> plt.close("all")
    """
    if title is None and isinstance(kernel, gabor.GaborFilter):
        title = kernel.label
    kernel = _kernel_of(kernel)
    fig, axes = plt.subplots(1, 3, figsize=(10, 3.3), layout="constrained")
    _show_signed(axes[0], kernel.real, "real part (cosine, even)", colorbar=True)
    _show_signed(axes[1], kernel.imag, "imaginary part (sine, odd)", colorbar=True)
    shown = axes[2].imshow(np.abs(kernel), cmap="magma", interpolation="nearest")
    axes[2].set_xticks([])
    axes[2].set_yticks([])
    axes[2].set_title("magnitude (envelope)")
    add_colorbar(axes[2], shown, label="|g|")
    for ax in axes:
        ax.set_xlabel(f"column ({kernel.shape[1]} px)")
    axes[0].set_ylabel(f"row ({kernel.shape[0]} px)")
    if title:
        fig.suptitle(title)
    return fig


def show_parameter_sweep(
    parameter: str,
    values: Sequence[float],
    *,
    frequency: float = 0.15,
    theta: float = 0.0,
    sigma: float = 3.0,
) -> Figure:
    """Real parts of kernels that differ in one parameter, drawn at the same pixel scale.

    ``parameter`` is ``"frequency"``, ``"theta"`` or ``"sigma"``; the other two keep the values
    given. Smaller kernels are padded with zeros so that sizes compare on the page.

    Examples
    --------
    >>> fig = show_parameter_sweep("sigma", [1.0, 2.0])
    >>> [ax.get_title() for ax in fig.axes], fig.axes[0].images[0].get_array().shape
    (['sigma = 1', 'sigma = 2'], (13, 13))
    >>> plt.close("all")
    """
    parameter = as_choice("parameter", parameter, PARAMETERS)
    values = [float(v) for v in np.atleast_1d(as_array("values", values, ndim=(0, 1)))]
    fixed = {"frequency": frequency, "theta": theta, "sigma": sigma}
    kernels = [gabor.gabor_kernel(**{**fixed, parameter: value}) for value in values]
    side = max(k.shape[0] for k in kernels)
    fig, axes = plt.subplots(1, len(values), figsize=(2.1 * len(values), 2.6), squeeze=False, layout="constrained")
    for ax, value, kernel in zip(axes[0], values, kernels):
        shown = f"{math.degrees(value):.0f}°" if parameter == "theta" else f"{value:g}"
        _show_signed(ax, _pad_to(kernel.real, side), f"{parameter} = {shown}")
    others = ", ".join(
        f"{name} = {math.degrees(v):.0f}°" if name == "theta" else f"{name} = {v:g}"
        for name, v in fixed.items() if name != parameter
    )
    fig.suptitle(f"Changing {parameter} ({others}; real parts, {side}x{side} px)")
    return fig


def show_explorer(image, *, frequency: float, theta: float, sigma: float) -> Figure:
    """The image, the kernel's real part and the response magnitude: the interactive figure.

    Examples
    --------
    >>> image = np.random.default_rng(0).random((12, 12))
    >>> fig = show_explorer(image, frequency=0.25, theta=0.0, sigma=1.0)
    >>> fig.get_suptitle(), fig.axes[1].get_title()
    ('frequency 0.25 cycles/px, theta 0°, sigma 1 px', 'kernel (real part), 7x7')
    >>> plt.close("all")
    """
    image = as_array("image", image, ndim=2)
    kernel = gabor.gabor_kernel(frequency, theta=theta, sigma=sigma)
    magnitude = gabor.response_magnitude(image, kernel)
    fig, axes = plt.subplots(1, 3, figsize=(11, 3.6), layout="constrained", gridspec_kw={"width_ratios": [1, 0.8, 1]})
    show_image(image, ax=axes[0], title="image")
    _show_signed(axes[1], kernel.real, f"kernel (real part), {kernel.shape[0]}x{kernel.shape[1]}", colorbar=True)
    show_image(magnitude, ax=axes[2], cmap="magma", title="response magnitude", colorbar=True, colorbar_label="|response|")
    fig.suptitle(f"frequency {frequency:g} cycles/px, theta {math.degrees(theta):.0f}°, sigma {sigma:g} px")
    return fig


def show_bank_responses(images, bank: Sequence[gabor.GaborFilter], *, names: Sequence[str] | None = None) -> Figure:
    """The classic filter-bank figure: rows are filters, columns are images.

    The first row shows the images, the first column each kernel's real part with its parameters.
    Response magnitudes share one colour scale per filter (per row), so a row compares how
    strongly the same filter answers on each image.

    Examples
    --------
    >>> from course_lib import gabor
    >>> bank = gabor.gabor_bank(0.25, [0.0, np.pi / 2], 1.0)
    >>> images = [gabor.grating((12, 12), 0.25), gabor.grating((12, 12), 0.25, theta=np.pi / 2)]
    >>> fig = show_bank_responses(images, bank, names=["vertical", "horizontal"])
    >>> sum(len(ax.images) for ax in fig.axes), [ax.get_title() for ax in fig.axes[1:3]]
    (8, ['vertical', 'horizontal'])
    >>> plt.close("all")
    """
    images = [as_array("images", image, ndim=2, hint="Pass a list of (H, W) grayscale images.") for image in images]
    if not images:
        raise ValueError("images must hold at least one image; got none.")
    if names is not None and len(names) != len(images):
        raise ValueError(f"names must have one entry per image ({len(images)}); got {len(names)}.")
    kernels = _as_bank(bank)
    labels = [item.label if isinstance(item, gabor.GaborFilter) else f"filter {k}" for k, item in enumerate(bank)]
    rows, cols = len(kernels) + 1, len(images) + 1
    # compact: a dozen rows of smooth colour maps make a heavy PNG at larger sizes
    fig, axes = plt.subplots(rows, cols, figsize=(1.3 * cols + 0.9, 1.2 * rows), squeeze=False, layout="constrained")
    axes[0, 0].set_axis_off()
    for col, image in enumerate(images, start=1):
        show_image(image, ax=axes[0, col], title=None if names is None else names[col - 1])
    for row, (kernel, label) in enumerate(zip(kernels, labels), start=1):
        _show_signed(axes[row, 0], kernel.real, None)
        axes[row, 0].set_ylabel(label.replace(", ", "\n"), fontsize=7, rotation=0, ha="right", va="center")
        magnitudes = [gabor.response_magnitude(image, kernel) for image in images]
        vmax = max(float(m.max()) for m in magnitudes) or 1.0
        for col, magnitude in enumerate(magnitudes, start=1):
            shown = axes[row, col].imshow(magnitude, cmap="magma", vmin=0.0, vmax=vmax, interpolation="nearest")
            axes[row, col].set_xticks([])
            axes[row, col].set_yticks([])
        fig.colorbar(shown, ax=axes[row, -1], shrink=0.9)
    fig.suptitle("Gabor response magnitudes (one colour scale per filter)")
    return fig


def show_bank(bank: Sequence[gabor.GaborFilter], *, columns: int = 8, title: str = "Gabor filter bank (real parts)") -> Figure:
    """The real parts of a bank's kernels in a grid, each titled with its parameters.

    Examples
    --------
    >>> from course_lib import gabor
    >>> fig = show_bank(gabor.gabor_bank(0.25, [0.0, np.pi / 4, np.pi / 2], 1.0), columns=2)
    >>> len(fig.axes), sum(len(ax.images) for ax in fig.axes)
    (4, 3)
    >>> plt.close("all")
    """
    kernels = _as_bank(bank)
    columns = min(as_int("columns", columns, minimum=1), len(kernels))
    rows = -(-len(kernels) // columns)
    fig, axes = plt.subplots(rows, columns, figsize=(1.6 * columns, 1.75 * rows + 0.4), squeeze=False, layout="constrained")
    for index, ax in enumerate(axes.ravel()):
        ax.set_axis_off()
        if index < len(kernels):
            item = bank[index]
            label = item.label.replace(", σ", "\nσ") if isinstance(item, gabor.GaborFilter) else f"filter {index}"
            _show_signed(ax, kernels[index].real, label, fontsize=7)
    fig.suptitle(title)
    return fig


def show_learned_filters(kernels, *, columns: int = 8, title: str = "Learned first-layer filters") -> Figure:
    """First-layer weights of a CNN, one panel per filter on its own symmetric colour scale.

    ``kernels`` has shape (KH, KW, 1, F) (a Keras ``Conv2D`` kernel on grayscale input) or (KH, KW, F).
    Red is a positive weight, blue a negative one.

    Examples
    --------
    >>> kernels = np.random.default_rng(0).normal(size=(3, 3, 1, 5))
    >>> fig = show_learned_filters(kernels, columns=4)
    >>> len(fig.axes), [ax.get_title() for ax in fig.axes if ax.images][-1]
    (8, 'filter 4')
    >>> plt.close("all")
    """
    kernels = as_array("kernels", kernels, ndim=(3, 4), hint="Pass layer.get_weights()[0] of a grayscale Conv2D.")
    if kernels.ndim == 4:
        if kernels.shape[2] != 1:
            raise ValueError(f"kernels must have one input channel; got shape {kernels.shape}. Show one channel at a time.")
        kernels = kernels[:, :, 0, :]
    count = kernels.shape[2]
    columns = min(as_int("columns", columns, minimum=1), count)
    rows = -(-count // columns)
    fig, axes = plt.subplots(rows, columns, figsize=(1.6 * columns, 1.6 * rows + 0.4), squeeze=False, layout="constrained")
    for index, ax in enumerate(axes.ravel()):
        ax.set_axis_off()
        if index < count:
            _show_signed(ax, kernels[:, :, index], f"filter {index}", fontsize=8)
    fig.suptitle(title)
    return fig


def plot_tuning(
    image,
    parameter: str,
    values: Sequence[float],
    *,
    frequency: float = 0.15,
    theta: float = 0.0,
    sigma: float = 3.0,
    ax: Axes | None = None,
) -> Axes:
    """Tuning curve: mean response magnitude on ``image`` as one filter parameter varies.

    Examples
    --------
    >>> from course_lib import gabor
    >>> image = gabor.grating((16, 16), 0.25)
    >>> ax = plot_tuning(image, "theta", [0.0, np.pi / 2], frequency=0.25, sigma=1.0)
    >>> ax.get_xlabel(), ax.get_lines()[0].get_xdata().tolist()
    ('filter theta (degrees)', [0.0, 90.0])
    >>> plt.close("all")
    """
    image = as_array("image", image, ndim=2)
    parameter = as_choice("parameter", parameter, PARAMETERS)
    values = np.atleast_1d(as_array("values", values, ndim=(0, 1)))
    fixed = {"frequency": frequency, "theta": theta, "sigma": sigma}
    responses = [
        gabor.response_magnitude(image, gabor.gabor_kernel(**{**fixed, parameter: float(v)})).mean() for v in values
    ]
    if ax is None:
        _, ax = plt.subplots(figsize=(4.5, 3.2), layout="constrained")
    shown = np.degrees(values) if parameter == "theta" else values
    ax.plot(shown, responses, marker="o")
    unit = {"frequency": "cycles per pixel", "theta": "degrees", "sigma": "pixels"}[parameter]
    ax.set_xlabel(f"filter {parameter} ({unit})")
    ax.set_ylabel("mean response magnitude")
    ax.set_title(f"Tuning to {parameter}")
    ax.grid(alpha=0.3)
    return ax
