"""Figures for dense prediction: label maps, predictions, error overlays, colourisations."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from course_lib._validation import _asarray, as_array, as_float, as_image, as_int, as_labels, as_mapping, as_names

#: One colour per class: background dark grey, then distinct hues.
CLASS_COLOURS = ("#303030", "#e6550d", "#31a354", "#3182bd", "#bcbd22", "#9467bd", "#17becf", "#e377c2")


def _label_map(name: str, value, class_names: Sequence[str], *, ndim: int = 2) -> np.ndarray:
    """An integer label map of ``ndim`` dimensions whose classes all have a name (and so a colour)."""
    array = _asarray(name, value)
    if array.ndim != ndim or not (np.issubdtype(array.dtype, np.integer) or array.dtype == bool):
        layout = "(H, W)" if ndim == 2 else "(N, H, W)"
        raise ValueError(f"{name} must be a {ndim}-D integer label map {layout}; got shape {array.shape}, dtype {array.dtype}.")
    if array.size and array.max() >= len(class_names):
        raise ValueError(
            f"{name} holds class {array.max()} but class_names names {len(class_names)} classes "
            f"(0..{len(class_names) - 1}); a class without a name would be drawn in another's colour. "
            "Name every class, or check the prediction."
        )
    return as_labels(name, array, ndim=ndim)  # refuses negative classes


def _grey(image) -> np.ndarray:
    image = as_array("image", image, ndim=(2, 3))
    if image.ndim == 3 and image.shape[-1] == 1:
        image = image[..., 0]
    return image


def _class_cmap(class_names: Sequence[str]) -> ListedColormap:
    if len(class_names) > len(CLASS_COLOURS):
        raise ValueError(f"class_names has {len(class_names)} classes; at most {len(CLASS_COLOURS)} can be coloured.")
    return ListedColormap(CLASS_COLOURS[: len(class_names)])


def show_labels(mask, class_names: Sequence[str], *, ax: Axes | None = None, title: str | None = None,
                legend: bool = False) -> Axes:
    """A label map in the class colours (``CLASS_COLOURS``), optionally with a legend.

    Examples
    --------
    >>> ax = show_labels(np.array([[0, 1], [2, 1]]), ["background", "a", "b"], legend=True, title="truth")
    >>> ax.get_title(), len(ax.get_legend().get_texts())
    ('truth', 3)
    >>> plt.close("all")
    """
    class_names = as_names("class_names", class_names)
    mask = _label_map("mask", mask, class_names)
    if ax is None:
        _, ax = plt.subplots(figsize=(3, 3), layout="constrained")
    ax.imshow(mask, cmap=_class_cmap(class_names), vmin=-0.5, vmax=len(class_names) - 0.5, interpolation="nearest")
    ax.set_axis_off()
    if title:
        ax.set_title(title)
    if legend:
        handles = [Patch(color=CLASS_COLOURS[i], label=name) for i, name in enumerate(class_names)]
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.02, 1.0), frameon=False, fontsize="small")
    return ax


def show_overlay(image, mask, class_names: Sequence[str], *, opacity: float = 0.5, ax: Axes | None = None,
                 title: str | None = None) -> Axes:
    """A label map drawn over a grayscale image at ``opacity`` (0: the image only; 1: labels only).

    Background pixels (class 0) are not coloured, so the image shows through them.

    Examples
    --------
    >>> ax = show_overlay(np.zeros((4, 4)), np.eye(4, dtype=int), ["background", "object"], opacity=0.3)
    >>> len(ax.images), ax.images[1].get_alpha()
    (2, 0.3)
    >>> plt.close("all")
    """
    class_names = as_names("class_names", class_names)
    image = _grey(image)
    mask = _label_map("mask", mask, class_names)
    if mask.shape != image.shape[:2]:
        raise ValueError(f"mask must have the image's size {image.shape[:2]}; got {mask.shape}.")
    opacity = as_float("opacity", opacity, minimum=0.0, maximum=1.0)
    if ax is None:
        _, ax = plt.subplots(figsize=(3, 3), layout="constrained")
    ax.imshow(image, cmap="gray", vmin=0, vmax=1)
    ax.imshow(np.ma.masked_equal(mask, 0), cmap=_class_cmap(class_names), vmin=-0.5, vmax=len(class_names) - 0.5,
              alpha=opacity, interpolation="nearest")
    ax.set_axis_off()
    ax.set_title(title if title is not None else f"opacity {opacity:.2f}")
    return ax


def show_segmentation(images, masks, predictions, class_names: Sequence[str], *, n: int = 4,
                      suptitle: str | None = None) -> Figure:
    """Rows of image, true labels, predicted labels and the errors (red where they differ).

    The class colours are named once, in a legend below the grid.

    Parameters
    ----------
    images : array_like, shape (N, H, W) or (N, H, W, 1)
    masks, predictions : array_like of int, shape (N, H, W)
    class_names : sequence of str
    n : int, keyword-only
        Rows shown (the first ``n`` images).
    suptitle : str, keyword-only

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> masks = np.zeros((2, 4, 4), dtype=int); masks[:, 1:3, 1:3] = 1
    >>> fig = show_segmentation(np.zeros((2, 4, 4, 1)), masks, np.zeros_like(masks), ["bg", "obj"], n=2)
    >>> [ax.get_title() for ax in fig.axes[:4]]
    ['image', 'truth', 'prediction', 'errors: 4 px']
    >>> [text.get_text() for text in fig.legends[0].get_texts()]
    ['bg', 'obj']
    >>> plt.close(fig)
    """
    class_names = as_names("class_names", class_names)
    images = as_image("images", images, ndim=(3, 4), convert=True, tolerance=0.5)  # drawn on a 0..1 grey scale
    masks, predictions = (_label_map(name, value, class_names, ndim=3)
                          for name, value in (("masks", masks), ("predictions", predictions)))
    if masks.shape != predictions.shape or masks.shape != images.shape[:3]:
        raise ValueError(
            f"images (N, H, W[, 1]), masks and predictions (N, H, W) must match; got {images.shape}, "
            f"{masks.shape} and {predictions.shape}."
        )
    n = min(as_int("n", n, minimum=1), len(masks))
    fig, axes = plt.subplots(n, 4, figsize=(7.2, 1.8 * n + 0.4), squeeze=False, layout="constrained")
    for row in range(n):
        image = _grey(images[row])
        wrong = masks[row] != predictions[row]
        show_image_ax = axes[row, 0]
        show_image_ax.imshow(image, cmap="gray", vmin=0, vmax=1)
        show_image_ax.set_axis_off()
        show_labels(masks[row], class_names, ax=axes[row, 1])
        show_labels(predictions[row], class_names, ax=axes[row, 2])
        errors = np.dstack([image] * 3)
        errors[wrong] = (1.0, 0.0, 0.0)
        axes[row, 3].imshow(errors)
        axes[row, 3].set_axis_off()
        if row == 0:
            axes[row, 0].set_title("image")
            axes[row, 1].set_title("truth")
            axes[row, 2].set_title("prediction")
        axes[row, 3].set_title(f"errors: {int(wrong.sum())} px")
    # one legend for the whole grid, below it: a legend beside one panel would push the columns apart
    handles = [Patch(color=CLASS_COLOURS[i], label=name) for i, name in enumerate(class_names)]
    fig.legend(handles=handles, loc="outside lower center", ncols=len(class_names), frameon=False, fontsize="small")
    if suptitle:
        fig.suptitle(suptitle)
    return fig


def show_colourisations(columns: dict, *, n: int = 3, suptitle: str | None = None) -> Figure:
    """Colour images side by side: one column per entry of ``columns`` (e.g. grey input, L2, bins, truth).

    Parameters
    ----------
    columns : dict of str to array_like, each (N, H, W, 3) in [0, 1] or (N, H, W[, 1]) grey
        Column title -> images; every entry holds the same N.
    n : int, keyword-only
        Rows shown.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = show_colourisations({"input": np.zeros((2, 4, 4, 1)), "truth": np.ones((2, 4, 4, 3))}, n=2)
    >>> [ax.get_title() for ax in fig.axes[:2]]
    ['input', 'truth']
    >>> plt.close(fig)
    """
    columns = as_mapping("columns", columns, what="title -> images")
    if not columns:
        raise ValueError("columns must hold at least one set of images; got none.")
    arrays = {title: as_array(f"columns[{title!r}]", images, ndim=(3, 4)) for title, images in columns.items()}
    counts = {len(images) for images in arrays.values()}
    if len(counts) != 1:
        raise ValueError(f"every column must hold the same number of images; got {sorted(counts)}.")
    n = min(as_int("n", n, minimum=1), counts.pop())
    fig, axes = plt.subplots(n, len(arrays), figsize=(1.9 * len(arrays), 1.9 * n + 0.4), squeeze=False,
                             layout="constrained")
    for col, (title, images) in enumerate(arrays.items()):
        for row in range(n):
            image = images[row]
            if image.ndim == 3 and image.shape[-1] == 1:
                image = image[..., 0]
            axes[row, col].imshow(np.clip(image, 0, 1), cmap="gray" if image.ndim == 2 else None, vmin=0, vmax=1)
            axes[row, col].set_axis_off()
        axes[0, col].set_title(title)
    if suptitle:
        fig.suptitle(suptitle)
    return fig
