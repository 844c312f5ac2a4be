"""Figures for the image-restoration chapter."""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from course_lib._validation import NOISY_TOLERANCE, as_array, as_choice, as_image, as_int, as_mapping
from course_lib.plotting._core import _axes, add_colorbar, show_image, symmetric_limits


def show_patch_grid(image, corners, patch_size: int, *, ax: Axes | None = None, highlight: int = 3,
                    title: str | None = None) -> Axes:
    """An image with the outlines of overlapping patches drawn on it.

    Parameters
    ----------
    image : array_like, shape (H, W)
    corners : array_like of int, shape (N, 2)
        Top-left ``(row, col)`` of each patch (from ``restoration.extract_patches``).
    patch_size : int
    ax : Axes, optional, keyword-only
    highlight : int, keyword-only
        Number of patches, along the diagonal of the grid, drawn thick in colour (the
        others thin and yellow); they are drawn last, on top.
    title : str, optional, keyword-only

    Returns
    -------
    Axes

    Raises
    ------
    TypeError, ValueError
        If ``image`` is not 2-D or ``patch_size`` is not a positive int.

    See Also
    --------
    course_lib.restoration.extract_patches

    Examples
    --------
    >>> from course_lib import restoration
    >>> image = np.zeros((12, 12))
    >>> _, corners = restoration.extract_patches(image, 6, stride=3)
    >>> len(show_patch_grid(image, corners, 6).patches)
    9
    >>> plt.close("all")
    """
    image = as_array("image", image, ndim=2)
    corners = as_array("corners", corners, ndim=2)
    if corners.shape[1] != 2 or np.any(corners != np.round(corners)):
        raise ValueError(f"corners must be whole (row, col) pairs, shape (N, 2); got shape {corners.shape}. "
                         "Pass the corners returned by restoration.extract_patches.")
    corners = corners.astype(int)
    patch_size = as_int("patch_size", patch_size, minimum=1)
    ax = show_image(image, ax=ax, title=title or f"{len(corners)} overlapping {patch_size}x{patch_size} patches",
                    axis_labels=True)
    colours = plt.get_cmap("tab10")
    # highlight patches along the diagonal of the grid, so their overlap is visible
    columns = len(np.unique(corners[:, 1]))
    chosen = [step * (columns + 1) for step in range(as_int("highlight", highlight, minimum=0))]
    chosen = [index for index in chosen if index < len(corners)]
    for index, (row, col) in enumerate(corners):
        if index not in chosen:
            ax.add_patch(Rectangle((col - 0.5, row - 0.5), patch_size, patch_size, fill=False,
                                   edgecolor="yellow", linewidth=0.5, alpha=0.6))
    for number, index in enumerate(chosen):
        row, col = corners[index]
        ax.add_patch(Rectangle((col - 0.5, row - 0.5), patch_size, patch_size, fill=False,
                               edgecolor=colours(number % 10), linewidth=2.5))
    return ax


def show_restorations(clean, images: Mapping[str, np.ndarray], *, scores: Mapping[str, Mapping[str, float]] | None = None,
                      crop: tuple[slice, slice] | None = None, columns: int = 4, size: float = 3.0,
                      suptitle: str | None = None) -> Figure:
    """The clean image next to corrupted and restored versions, PSNR/SSIM in the titles.

    Parameters
    ----------
    clean : array_like, shape (H, W)
    images : mapping of str to (H, W) arrays
        Panel title -> image (the corrupted input first, then the methods).
    scores : mapping of str to {"psnr", "ssim"}, optional, keyword-only
        Scores shown under each title (computed on the whole image, not the crop).
    crop : pair of slices, optional, keyword-only
        Region shown (zoom), the same for every panel.
    columns : int, keyword-only
    size : float, keyword-only
        Inches per panel.
    suptitle : str, optional, keyword-only

    Returns
    -------
    Figure

    Raises
    ------
    TypeError, ValueError
        If an image is not 2-D or ``columns`` is not a positive int.

    See Also
    --------
    course_lib.restoration.baselines.compare : computes ``scores``.

    Examples
    --------
    >>> clean = np.full((8, 8), 0.5)
    >>> fig = show_restorations(clean, {"noisy": clean + 0.1}, scores={"noisy": {"psnr": 20.0, "ssim": 0.5}})
    >>> print(fig.axes[1].get_title())
    noisy
    20.00 dB, SSIM 0.500
    >>> plt.close(fig)
    """
    images = as_mapping("images", images, what="method -> restored image")
    # drawn on the 0..1 scale: an 8-bit or 0..255 image would be a white square
    clean = as_image("clean", clean, ndim=2)
    columns = as_int("columns", columns, minimum=1)
    panels = {"clean": clean, **{name: as_image(f"images[{name!r}]", image, ndim=2, tolerance=NOISY_TOLERANCE)
                                 for name, image in images.items()}}
    if scores is not None:
        scores = as_mapping("scores", scores, what="method -> {'psnr': ..., 'ssim': ...}")
    region = crop or (slice(None), slice(None))
    columns = min(columns, len(panels))
    rows = -(-len(panels) // columns)
    fig, axes = plt.subplots(rows, columns, figsize=(size * columns, size * rows + 0.5), squeeze=False,
                             layout="constrained")
    for ax in axes.ravel():
        ax.set_axis_off()
    for ax, (name, image) in zip(axes.ravel(), panels.items()):
        title = name
        if scores is not None and name in scores:
            title += f"\n{scores[name]['psnr']:.2f} dB, SSIM {scores[name]['ssim']:.3f}"
        show_image(np.clip(image[region], 0.0, 1.0), ax=ax, title=title, vmin=0.0, vmax=1.0)
        ax.set_axis_on()
    if suptitle:
        fig.suptitle(suptitle)
    return fig


def show_difference(first, second, *, ax: Axes | None = None, title: str = "difference",
                    label: str = "difference") -> Axes:
    """``first - second`` on a symmetric blue-red scale with a colour bar.

    Parameters
    ----------
    first, second : array_like, shape (H, W)
    ax : Axes, optional, keyword-only
    title, label : str, keyword-only
        Axes title and colour-bar label.

    Returns
    -------
    Axes

    Raises
    ------
    ValueError
        If the shapes differ.

    See Also
    --------
    course_lib.restoration.restore_image : the two methods compared this way in the chapter.

    Examples
    --------
    >>> ax = show_difference(np.ones((4, 4)), np.zeros((4, 4)), title="ones - zeros")
    >>> ax.get_title(), float(ax.images[0].get_array().max())
    ('ones - zeros', 1.0)
    >>> plt.close("all")
    """
    first, second = as_array("first", first, ndim=2), as_array("second", second, ndim=2)
    if first.shape != second.shape:
        raise ValueError(f"first and second must have the same shape; got {first.shape} and {second.shape}.")
    difference = first - second
    ax = _axes(ax)
    vmin, vmax = symmetric_limits(difference)
    shown = ax.imshow(difference, cmap="RdBu_r", vmin=vmin, vmax=vmax, interpolation="nearest")
    ax.set_title(title)
    ax.set_xlabel("column")
    ax.set_ylabel("row")
    add_colorbar(ax, shown, label=label)
    return ax


def plot_scores(table: Mapping[str, Mapping[str, float]], *, metric: str = "psnr", ax: Axes | None = None,
                title: str | None = None) -> Axes:
    """Grouped bars: one group per setting (e.g. noise level), one bar per method.

    Parameters
    ----------
    table : mapping of setting -> (mapping of method -> score)
        For example ``{"sigma 15": {"noisy": 24.6, "TV": 29.1, ...}, ...}``. A score may also
        be a mapping such as ``{"psnr": 29.1, "ssim": 0.8}`` (what
        ``restoration_eval.evaluate`` returns); ``metric`` picks from it.
    metric : {"psnr", "ssim"}, keyword-only
        Which score to draw; sets the axis label.
    ax : Axes, optional, keyword-only
    title : str, optional, keyword-only

    Returns
    -------
    Axes

    Raises
    ------
    ValueError
        If ``table`` is empty or ``metric`` is unknown.

    See Also
    --------
    course_lib.restoration.baselines.compare

    Examples
    --------
    >>> ax = plot_scores({"sigma 15": {"noisy": 24.6, "TV": 29.0}, "sigma 25": {"noisy": 20.2, "TV": 27.0}})
    >>> len(ax.patches), [label.get_text() for label in ax.get_xticklabels()]
    (4, ['sigma 15', 'sigma 25'])
    >>> plt.close("all")
    """
    table = as_mapping("table", table, what="setting -> {method: scores}")
    metric = as_choice("metric", metric, ("psnr", "ssim"))
    if not table:
        raise ValueError("table must hold at least one setting; got none.")
    settings = list(table)
    table = {setting: {name: float(score[metric] if isinstance(score, Mapping) else score)
                       for name, score in scores.items()} for setting, scores in table.items()}
    methods = list(dict.fromkeys(name for scores in table.values() for name in scores))
    ax = _axes(ax, figsize=(7, 3.6))
    width = 0.8 / len(methods)
    for index, method in enumerate(methods):
        values = [table[setting].get(method, np.nan) for setting in settings]
        ax.bar(np.arange(len(settings)) + (index - (len(methods) - 1) / 2) * width, values, width, label=method)
    ax.set_xticks(np.arange(len(settings)), settings)
    ax.set_ylabel("PSNR (dB)" if metric == "psnr" else "SSIM")
    ax.set_xlabel("corruption")
    ax.set_title(title or f"Mean {'PSNR' if metric == 'psnr' else 'SSIM'} on the test images (higher is better)")
    if metric == "psnr":
        finite = [v for scores in table.values() for v in scores.values() if np.isfinite(v)]
        ax.set_ylim(min(finite) - 2, max(finite) + 1.5)
    ax.legend(fontsize=8, ncols=min(len(methods), 4))
    ax.grid(axis="y", alpha=0.3)
    return ax
