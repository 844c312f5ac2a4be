"""Figures for the autoencoder chapter: overlap maps, denoising grids, quality bars, edge profiles."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from course_lib._validation import as_array, as_choice, as_int, as_mapping
from course_lib.plotting._core import _axes, add_colorbar, show_image, symmetric_limits


def show_overlap(overlap, *, ax: Axes | None = None, title: str | None = None) -> Axes:
    """Show how many kernel copies reach each output pixel (``autoencoders.transposed_overlap``).

    Values are written in the cells when the map is at most 15x15; a colour bar gives the scale.

    Parameters
    ----------
    overlap : array_like, shape (S, S)
    ax : Axes, optional
    title : str, optional

    Returns
    -------
    Axes

    Examples
    --------
    >>> ax = show_overlap(np.array([[1, 2], [2, 4]]))
    >>> [text.get_text() for text in ax.texts], ax.get_title()
    (['1', '2', '2', '4'], 'kernel copies per output pixel')
    >>> plt.close("all")
    """
    overlap = as_array("overlap", overlap, ndim=2)
    ax = _axes(ax, figsize=(4, 3.6))
    shown = ax.imshow(overlap, cmap="viridis", vmin=0, interpolation="nearest")
    if overlap.shape[0] * overlap.shape[1] <= 225:
        for (row, col), value in np.ndenumerate(overlap):
            ax.text(col, row, f"{value:g}", ha="center", va="center", fontsize=7,
                    color="black" if value > 0.6 * overlap.max() else "white")
    ax.set_xlabel("column")
    ax.set_ylabel("row")
    ax.set_title(title or "kernel copies per output pixel")
    add_colorbar(ax, shown, label="copies")
    return ax


def show_denoising(rows: Mapping[str, np.ndarray], *, n: int = 6, size: float = 1.3,
                   suptitle: str | None = None) -> Figure:
    """A grid of images: one row per entry of ``rows`` (clean, noisy, each method), ``n`` columns.

    Parameters
    ----------
    rows : mapping of str to array_like, each shape (N, H, W) or (N, H, W, 1)
        Row label -> images; the first ``n`` of each are shown, clipped to [0, 1].
    n : int, keyword-only
        Images per row.
    size : float, keyword-only
        Inches per image.
    suptitle : str, optional, keyword-only

    Returns
    -------
    Figure
        Axes in row-major order; each row's first Axes carries its label as y-label.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> rows = {"clean": rng.random((3, 4, 4)), "noisy": rng.random((3, 4, 4, 1))}
    >>> fig = show_denoising(rows, n=2)
    >>> len(fig.axes), fig.axes[2].get_ylabel()
    (4, 'noisy')
    >>> plt.close("all")
    """
    rows = as_mapping("rows", rows, what="row label -> images")
    n = as_int("n", n, minimum=1)
    if not rows:
        raise ValueError("rows must hold at least one row of images; got none.")
    fig, axes = plt.subplots(len(rows), n, figsize=(size * n + 0.8, size * len(rows) + 0.4),
                             squeeze=False, layout="constrained")
    for axes_row, (label, images) in zip(axes, rows.items()):
        images = as_array(f"rows[{label!r}]", images, ndim=(3, 4))
        if images.shape[0] < n:
            raise ValueError(f"rows[{label!r}] has {images.shape[0]} images; n={n} needs at least {n}.")
        for ax, image in zip(axes_row, images[:n]):
            image = image[..., 0] if image.ndim == 3 else image
            show_image(np.clip(image, 0.0, 1.0), ax=ax, vmin=0.0, vmax=1.0)
        axes_row[0].set_ylabel(label, rotation=0, ha="right", va="center")
    if suptitle:
        fig.suptitle(suptitle)
    return fig


def plot_quality(results: Mapping[str, Mapping[str, float]], *, metric: str = "PSNR (dB)",
                 ax: Axes | None = None, title: str | None = None) -> Axes:
    """Grouped bars: one group per noise type, one bar per method, the value written on each bar.

    Parameters
    ----------
    results : mapping of str to mapping of str to float
        ``results[noise][method] = value``; every noise type must have the same methods.
    metric : str, keyword-only
        Y-axis label.
    ax : Axes, optional
    title : str, optional

    Returns
    -------
    Axes

    Examples
    --------
    >>> results = {"gaussian": {"noisy": 20.0, "autoencoder": 26.0},
    ...            "salt and pepper": {"noisy": 15.0, "autoencoder": 24.0}}
    >>> ax = plot_quality(results)
    >>> len(ax.patches), [label.get_text() for label in ax.get_xticklabels()]
    (4, ['gaussian', 'salt and pepper'])
    >>> plt.close("all")
    """
    results = as_mapping("results", results, what="noise -> {method: score}")
    if not results:
        raise ValueError("results must hold at least one noise type; got none.")
    noises = list(results)
    methods = list(results[noises[0]])
    for noise in noises:
        if list(results[noise]) != methods:
            raise ValueError(f"results[{noise!r}] has methods {list(results[noise])}; expected {methods}.")
    ax = _axes(ax, figsize=(7, 3.6))
    width = 0.8 / len(methods)
    positions = np.arange(len(noises))
    for index, method in enumerate(methods):
        values = [results[noise][method] for noise in noises]
        bars = ax.bar(positions + (index - (len(methods) - 1) / 2) * width, values, width, label=method)
        ax.bar_label(bars, fmt="%.2f", fontsize=7)
    ax.set_xticks(positions, noises)
    ax.set_xlabel("noise type")
    ax.set_ylabel(metric)
    ax.set_title(title or f"{metric} on the test digits (higher is better)")
    top = max(max(results[noise].values()) for noise in noises)
    ax.set_ylim(top=1.25 * top if top > 0 else 1.0)  # headroom for the legend above the bars
    ax.legend(fontsize=8, loc="upper center", ncol=len(methods))
    ax.grid(axis="y", alpha=0.3)
    return ax


def plot_profiles(profiles: Mapping[str, Sequence[float]], *, ax: Axes | None = None, title: str | None = None,
                  xlabel: str = "pixel position", ylabel: str = "value") -> Axes:
    """Line plot of 1-D profiles (e.g. a row of pixels across an edge), one line per entry.

    Parameters
    ----------
    profiles : mapping of str to array_like, shape (L,)
        Label -> profile.
    ax : Axes, optional
    title, xlabel, ylabel : str, keyword-only

    Returns
    -------
    Axes

    Examples
    --------
    >>> ax = plot_profiles({"clean": [0, 0, 1, 1], "blurred": [0, 0.3, 0.7, 1]})
    >>> len(ax.lines), ax.get_legend_handles_labels()[1]
    (2, ['clean', 'blurred'])
    >>> plt.close("all")
    """
    profiles = as_mapping("profiles", profiles, what="label -> values")
    if not profiles:
        raise ValueError("profiles must hold at least one profile; got none.")
    ax = _axes(ax, figsize=(5, 3.2))
    styles = ["-", "--", "-.", ":"]
    for index, (label, values) in enumerate(profiles.items()):
        values = as_array(f"profiles[{label!r}]", values, ndim=1)
        ax.plot(np.arange(len(values)), values, styles[index % len(styles)], marker="o", markersize=3, label=label)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title or "profiles")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    return ax


def show_residuals(residuals: Mapping[str, np.ndarray], *, scale: str = "shared", suptitle: str | None = None) -> Figure:
    """Show signed images (output minus target) side by side on a diverging, zero-centred scale.

    Parameters
    ----------
    residuals : mapping of str to array_like, shape (H, W) or (H, W, 1)
        Panel title -> image.
    scale : {"shared", "own"}, keyword-only
        One colour scale for all panels (compare sizes) or one per panel (see patterns).
    suptitle : str, optional, keyword-only

    Returns
    -------
    Figure
        One Axes per panel, each with a colour bar.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> fig = show_residuals({"autoencoder": rng.normal(size=(4, 4)), "median": 2 * rng.normal(size=(4, 4, 1))})
    >>> len(fig.axes), fig.axes[1].get_title()  # two panels and their colour bars
    (4, 'median')
    >>> fig.axes[0].images[0].get_clim() == fig.axes[1].images[0].get_clim()
    True
    >>> plt.close("all")
    """
    residuals = as_mapping("residuals", residuals, what="label -> residual image")
    scale = as_choice("scale", scale, ("shared", "own"))
    if not residuals:
        raise ValueError("residuals must hold at least one image; got none.")
    images = {label: np.squeeze(as_array(f"residuals[{label!r}]", image, ndim=(2, 3))) for label, image in residuals.items()}
    shared = symmetric_limits(np.concatenate([image.ravel() for image in images.values()]))
    fig, axes = plt.subplots(1, len(images), figsize=(3.2 * len(images), 3.0), squeeze=False, layout="constrained")
    for ax, (label, image) in zip(axes[0], images.items()):
        vmin, vmax = shared if scale == "shared" else symmetric_limits(image)
        show_image(image, ax=ax, title=label, cmap="RdBu_r", vmin=vmin, vmax=vmax, colorbar=True)
    if suptitle:
        fig.suptitle(suptitle)
    return fig
