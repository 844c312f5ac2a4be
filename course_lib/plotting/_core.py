"""Generic figure helpers shared by every chapter."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.cm import ScalarMappable
from matplotlib.figure import Figure

from course_lib._validation import _asarray, as_array, as_float, as_image, as_int


def _axes(ax: Axes | None, figsize=(4, 4)) -> Axes:
    if ax is None:
        _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def symmetric_limits(values, *, percentile: float = 100.0) -> tuple[float, float]:
    """Colour limits ``(-m, m)`` with ``m`` the ``percentile`` of ``|values|`` (the maximum by default).

    Zero becomes the middle colour. A percentile below 100 (``robust`` in the figures) keeps a
    few extreme pixels from washing out the rest. Returns ``(-1, 1)`` for an all-zero array.

    Examples
    --------
    >>> symmetric_limits([[-1.0, 3.0]])
    (-3.0, 3.0)
    >>> symmetric_limits(np.zeros(4))
    (-1.0, 1.0)
    """
    values = as_array("values", values)
    percentile = as_float("percentile", percentile)
    if not 0.0 < percentile <= 100.0:
        raise ValueError(f"percentile must be in (0, 100]; got {percentile}.")
    largest = float(np.percentile(np.abs(values), percentile))
    largest = largest if largest > 0 else 1.0
    return -largest, largest


def add_colorbar(ax: Axes, mappable, *, label: str | None = None):
    """Attach a colour bar to ``ax`` for ``mappable`` (the result of ``imshow``) and return it.

    Examples
    --------
    >>> fig, ax = plt.subplots()
    >>> add_colorbar(ax, ax.imshow(np.eye(3)), label="weight").ax.get_ylabel()
    'weight'
    >>> plt.close(fig)
    """
    if not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes; got {type(ax).__name__}.")
    if not isinstance(mappable, ScalarMappable):
        raise TypeError(f"mappable must be what imshow (or another plot call) returned; got {type(mappable).__name__}.")
    colorbar = ax.figure.colorbar(mappable, ax=ax, shrink=0.8)
    if label:
        colorbar.set_label(label)
    return colorbar


def show_image(
    image,
    *,
    ax: Axes | None = None,
    title: str | None = None,
    cmap: str = "gray",
    symmetric: bool = False,
    robust: bool = False,
    vmin: float | None = None,
    vmax: float | None = None,
    colorbar: bool = False,
    colorbar_label: str | None = None,
    axis_labels: bool = False,
) -> Axes:
    """Show an (H, W) or (H, W, C) image, C in 1, 3 (RGB) or 4 (RGBA).

    A grayscale image is shown with its own colour limits (any range). A colour image must be
    in [0, 1] (values up to 0.5 outside, e.g. noise, are clipped); a ``uint8``/``uint16`` colour
    image is converted to [0, 1] first (divided by 255/65535), and a float colour image in
    0..255 is refused with a message, instead of showing white.

    ``symmetric=True`` centres the colour scale on zero (use a diverging ``cmap`` such as
    ``"RdBu_r"``) so that positive and negative filter responses read at a glance; ``robust=True``
    sets the limits at the 99th percentile of ``|image|`` instead of the maximum.

    Examples
    --------
    >>> ax = show_image(np.eye(4), title="identity", colorbar=True)
    >>> ax.get_title(), len(ax.figure.axes)
    ('identity', 2)
    >>> plt.close(ax.figure)
    """
    image = as_array("image", image, ndim=(2, 3)) if np.ndim(_asarray("image", image)) != 3 else as_image(
        "image", image, ndim=3, convert=True, tolerance=0.5, channels=(1, 3, 4))
    ax = _axes(ax)
    if symmetric:
        vmin, vmax = symmetric_limits(image, percentile=99.0 if robust else 100.0)
    if image.ndim == 3:
        shown = ax.imshow(np.clip(image, 0, 1) if image.shape[2] in (3, 4) else image[..., 0], cmap=cmap)
    else:
        shown = ax.imshow(image, cmap=cmap, vmin=vmin, vmax=vmax, interpolation="nearest")
    if title:
        ax.set_title(title)
    if axis_labels:
        ax.set_xlabel("column")
        ax.set_ylabel("row")
    else:
        ax.set_xticks([])
        ax.set_yticks([])
    if colorbar:
        add_colorbar(ax, shown, label=colorbar_label)
    return ax


def show_images(
    images,
    *,
    titles: Sequence[str] | None = None,
    columns: int = 8,
    cmap: str = "gray",
    suptitle: str | None = None,
    size: float = 1.6,
) -> Figure:
    """Show a sequence of images in a grid and return the Figure.

    ``images`` is (N, H, W), (N, H, W, 1) or (N, H, W, 3), or a list of such images.

    Examples
    --------
    >>> fig = show_images(np.zeros((3, 4, 4, 1)), titles=["a", "b", "c"], columns=2)
    >>> [ax.get_title() for ax in fig.axes if ax.get_title()]
    ['a', 'b', 'c']
    >>> plt.close(fig)
    """
    # each image checked under its own name; colour images as show_image wants them (uint8 converted)
    images = [_asarray(f"images[{index}]", image) for index, image in enumerate(images)]
    images = [as_image(f"images[{index}]", image, ndim=3, convert=True, tolerance=0.5, channels=(1, 3, 4))
              if image.ndim == 3 and image.shape[-1] in (3, 4) else image for index, image in enumerate(images)]
    if not images:
        raise ValueError("images must hold at least one image; got none.")
    if titles is not None and len(titles) != len(images):
        raise ValueError(f"titles must have one entry per image ({len(images)}); got {len(titles)}.")
    columns = min(as_int("columns", columns, minimum=1), len(images))
    rows = -(-len(images) // columns)
    fig, axes = plt.subplots(rows, columns, figsize=(size * columns, size * rows + 0.4), squeeze=False, layout="constrained")
    for index, ax in enumerate(axes.ravel()):
        ax.set_axis_off()
        if index < len(images):
            image = images[index]
            image = image[..., 0] if image.ndim == 3 and image.shape[2] == 1 else image
            show_image(image, ax=ax, cmap=cmap, title=None if titles is None else titles[index])
    if suptitle:
        fig.suptitle(suptitle)
    return fig


def show_kernel(
    kernel,
    *,
    ax: Axes | None = None,
    title: str | None = None,
    annotate: bool = True,
    cmap: str = "RdBu_r",
    fmt: str = "{:g}",
) -> Axes:
    """Show a small 2-D kernel on a symmetric colour scale, with its values written in the cells.

    Examples
    --------
    >>> ax = show_kernel([[1.0, 0.0], [0.0, -1.0]], title="kernel")
    >>> [text.get_text() for text in ax.texts]
    ['1', '0', '0', '-1']
    >>> plt.close(ax.figure)
    """
    kernel = as_array("kernel", kernel, ndim=2)
    ax = _axes(ax, figsize=(2.5, 2.5))
    vmin, vmax = symmetric_limits(kernel)
    ax.imshow(kernel, cmap=cmap, vmin=vmin, vmax=vmax, interpolation="nearest")
    if annotate and kernel.size <= 81:
        for (row, col), value in np.ndenumerate(kernel):
            strong = abs(value) > 0.6 * vmax
            ax.text(col, row, fmt.format(round(float(value), 3)), ha="center", va="center",
                    color="white" if strong else "black", fontsize=9)
    ax.set_xticks([])
    ax.set_yticks([])
    if title:
        ax.set_title(title)
    return ax


def _smooth(values: np.ndarray, factor: float) -> np.ndarray:
    smoothed, previous = [], values[0]
    for value in values:
        previous = factor * previous + (1 - factor) * value
        smoothed.append(previous)
    return np.asarray(smoothed)


def plot_history(
    history,
    *,
    metrics: Sequence[str] = ("loss",),
    smoothing: float = 0.0,
    axes: Sequence[Axes] | None = None,
    label: str | None = None,
    title: str | None = None,
) -> Sequence[Axes]:
    """Learning curves: one panel per metric, training and validation (``val_``) curves.

    ``history`` is a ``keras.callbacks.History`` or its ``.history`` dict. ``smoothing`` in
    [0, 1) applies an exponential moving average (0 = raw curve), as for noisy fine-tuning curves.
    Pass the ``axes`` of a previous call to overlay several runs, each with its ``label``.

    Examples
    --------
    >>> axes = plot_history({"loss": [1.0, 0.5], "val_loss": [1.2, 0.8]})
    >>> [line.get_label() for line in axes[0].lines]
    ['training', 'validation']
    >>> plt.close(axes[0].figure)
    """
    record: Mapping[str, Sequence[float]] = getattr(history, "history", history)
    if not isinstance(record, Mapping):
        raise TypeError(f"history must be a keras History or a dict of lists; got {type(history).__name__}.")
    if not 0.0 <= smoothing < 1.0:
        raise ValueError(f"smoothing must be in [0, 1); got {smoothing}.")
    missing = [m for m in metrics if m not in record]
    if missing:
        raise ValueError(f"history has no metric {missing[0]!r}; it has {sorted(record)}.")
    if axes is None:
        _, axes = plt.subplots(1, len(metrics), figsize=(4.5 * len(metrics), 3.4), squeeze=False, layout="constrained")
        axes = list(axes.ravel())
    prefix = f"{label} " if label else ""
    for ax, metric in zip(axes, metrics):
        for key, style in ((metric, "-"), (f"val_{metric}", "--")):
            if key in record:
                values = np.asarray(record[key], dtype=float)
                if smoothing:
                    values = _smooth(values, smoothing)
                epochs = np.arange(1, len(values) + 1)
                which = "validation" if key.startswith("val_") else "training"
                ax.plot(epochs, values, style, marker="o", markersize=3, label=f"{prefix}{which}")
        ax.set_xlabel("epoch")
        ax.set_ylabel(metric)
        ax.set_title(title or metric)
        ax.legend()
        ax.grid(alpha=0.3)
    return axes
