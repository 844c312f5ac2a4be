"""Figures for the class-activation-map chapter: heatmap overlays and localisation scores."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from course_lib._validation import as_array, as_float, as_image, as_int, as_mapping, as_names
from course_lib.plotting._core import _axes, add_colorbar

BOX_COLOUR = "lime"
PEAK_COLOUR = "white"


def _check_pair(image, heatmap) -> tuple[np.ndarray, np.ndarray]:
    # uint8 images are converted to [0, 1]; float images in 0..255 and 5-channel images are refused.
    image = as_image("image", image, ndim=(2, 3), convert=True, tolerance=0.5, channels=(1, 3, 4))
    heatmap = as_array("heatmap", heatmap, ndim=2)
    if heatmap.shape != image.shape[:2]:
        raise ValueError(
            f"heatmap must have the image's size {image.shape[:2]}; got {heatmap.shape}. "
            "Upsample it with cam.upsample first."
        )
    return image, heatmap


def overlay(
    image,
    heatmap,
    *,
    ax: Axes | None = None,
    title: str | None = None,
    alpha: float = 0.5,
    cmap: str = "inferno",
    box=None,
    found_box=None,
    peak: bool = True,
    colorbar: bool = True,
) -> Axes:
    """Draw ``heatmap`` (values in [0, 1]) over ``image``, optionally with boxes and the peak.

    ``image`` is (H, W) or (H, W, 3) in [0, 1] (a ``uint8`` image is divided by 255 first;
    a float image in 0..255 raises ``ValueError``); ``heatmap`` is (H, W). ``box`` (the true
    box, a green frame) and ``found_box`` (the box read off the heatmap, a dashed white frame)
    are ``(row_min, col_min, row_max, col_max)`` with exclusive maxima. ``peak=True`` marks
    the heatmap's maximum (the pointing-game guess) with a white cross.

    Examples
    --------
    >>> heatmap = np.zeros((8, 8))
    >>> heatmap[2, 5] = 1.0
    >>> ax = overlay(np.zeros((8, 8)), heatmap, box=(1, 4, 4, 7), title="CAM")
    >>> len(ax.images), len(ax.patches), ax.lines[0].get_xydata().tolist(), ax.get_title()
    (2, 1, [[5.0, 2.0]], 'CAM')
    >>> plt.close("all")
    """
    image, heatmap = _check_pair(image, heatmap)
    alpha = as_float("alpha", alpha, minimum=0.0, maximum=1.0)
    ax = _axes(ax)
    ax.imshow(np.clip(image, 0, 1), cmap="gray" if image.ndim == 2 else None, vmin=0, vmax=1)
    shown = ax.imshow(heatmap, cmap=cmap, vmin=0.0, vmax=1.0, alpha=alpha, interpolation="bilinear")
    for name, value, colour, style in (("box", box, BOX_COLOUR, "-"), ("found_box", found_box, PEAK_COLOUR, "--")):
        if value is not None:
            row0, col0, row1, col1 = (float(v) for v in as_array(name, value, ndim=1))
            ax.add_patch(Rectangle((col0 - 0.5, row0 - 0.5), col1 - col0, row1 - row0,
                                   fill=False, edgecolor=colour, linestyle=style, linewidth=1.8))
    if peak:
        row, col = np.unravel_index(np.argmax(heatmap), heatmap.shape)
        ax.plot([col], [row], marker="x", color=PEAK_COLOUR, markersize=9, markeredgewidth=2.5)
    ax.set_xticks([])
    ax.set_yticks([])
    if title:
        ax.set_title(title, fontsize=10)
    if colorbar:
        add_colorbar(ax, shown, label="heatmap")
    return ax


def show_cams(
    images,
    heatmaps,
    *,
    titles: Sequence[str] | None = None,
    boxes=None,
    columns: int = 6,
    suptitle: str | None = None,
    size: float = 2.0,
) -> Figure:
    """A grid of overlays (true box in green, peak as a white cross) with one shared colour bar.

    ``images`` is (N, H, W[, 3]), ``heatmaps`` (N, H, W), ``boxes`` (N, 4) or None.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> images, heatmaps = rng.random((3, 8, 8)), rng.random((3, 8, 8))
    >>> fig = show_cams(images, heatmaps, titles=["a", "b", "c"], columns=2)
    >>> len(fig.axes), [ax.get_title() for ax in fig.axes[:3]]  # a 2x2 grid and the colour bar
    (5, ['a', 'b', 'c'])
    >>> plt.close("all")
    """
    images = as_image("images", images, ndim=(3, 4), convert=True, tolerance=0.5)
    heatmaps = as_array("heatmaps", heatmaps, ndim=3)
    if len(images) != len(heatmaps):
        raise ValueError(f"heatmaps must have one map per image ({len(images)}); got {len(heatmaps)}.")
    titles = None if titles is None else as_names("titles", titles)
    if titles is not None and len(titles) != len(images):
        raise ValueError(f"titles must have one entry per image ({len(images)}); got {len(titles)}.")
    if boxes is not None:
        boxes = as_array("boxes", boxes, ndim=2)
        if boxes.shape != (len(images), 4):
            raise ValueError(f"boxes must have shape ({len(images)}, 4); got {boxes.shape}.")
    columns = min(as_int("columns", columns, minimum=1), len(images))
    rows = -(-len(images) // columns)
    fig, axes = plt.subplots(rows, columns, figsize=(size * columns + 0.8, size * rows + 0.5),
                             squeeze=False, layout="constrained")
    for index, ax in enumerate(axes.ravel()):
        ax.set_axis_off()
        if index < len(images):
            overlay(images[index], heatmaps[index], ax=ax, colorbar=False,
                    title=None if titles is None else titles[index],
                    box=None if boxes is None else boxes[index])
    mappable = plt.cm.ScalarMappable(cmap="inferno", norm=plt.Normalize(0.0, 1.0))
    fig.colorbar(mappable, ax=axes, shrink=0.8, label="heatmap")
    if suptitle:
        fig.suptitle(suptitle)
    return fig


def compare_maps(image, heatmaps: Mapping[str, np.ndarray], *, box=None, suptitle: str | None = None) -> Figure:
    """The image, then one overlay per method (e.g. CAM, Grad-CAM, the baselines), side by side.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> image, heatmap = rng.random((8, 8, 3)), rng.random((8, 8))
    >>> fig = compare_maps(image, {"CAM": heatmap, "Grad-CAM": heatmap}, box=(1, 1, 5, 5))
    >>> [ax.get_title() for ax in fig.axes[:3]], len(fig.axes[1].patches)
    (['image', 'CAM', 'Grad-CAM'], 1)
    >>> plt.close("all")
    """
    heatmaps = as_mapping("heatmaps", heatmaps, what="method -> heatmap")
    if not heatmaps:
        raise ValueError("heatmaps must map at least one method name to a heatmap; got none.")
    image = as_image("image", image, ndim=(2, 3), convert=True, tolerance=0.5, channels=(1, 3, 4))
    fig, axes = plt.subplots(1, len(heatmaps) + 1, figsize=(2.6 * (len(heatmaps) + 1) + 0.6, 3.0),
                             squeeze=False, layout="constrained")
    axes = axes.ravel()
    axes[0].imshow(np.clip(image, 0, 1), cmap="gray" if image.ndim == 2 else None, vmin=0, vmax=1)
    axes[0].set_title("image", fontsize=10)
    axes[0].set_xticks([])
    axes[0].set_yticks([])
    for ax, (name, heatmap) in zip(axes[1:], heatmaps.items()):
        overlay(image, heatmap, ax=ax, title=name, box=box, colorbar=False)
    mappable = plt.cm.ScalarMappable(cmap="inferno", norm=plt.Normalize(0.0, 1.0))
    fig.colorbar(mappable, ax=axes[1:].tolist(), shrink=0.8, label="heatmap")
    if suptitle:
        fig.suptitle(suptitle)
    return fig


def plot_pointing_game(accuracies: Mapping[str, float], *, ax: Axes | None = None, title: str = "Pointing game") -> Axes:
    """Bar chart of pointing-game accuracy (in [0, 1]) per method, each bar labelled with its value.

    Examples
    --------
    >>> ax = plot_pointing_game({"CAM": 0.75, "random": 0.25})
    >>> len(ax.patches), [text.get_text() for text in ax.texts]
    (2, ['75%', '25%'])
    >>> plt.close("all")
    """
    accuracies = as_mapping("accuracies", accuracies, what="method -> accuracy")
    if not accuracies:
        raise ValueError("accuracies must map at least one method name to a value; got none.")
    values = [as_float("accuracies", v, minimum=0.0, maximum=1.0) for v in accuracies.values()]
    ax = _axes(ax, figsize=(1.3 * len(values) + 1.5, 3.2))
    bars = ax.bar(list(accuracies), values, color=plt.cm.tab10(np.arange(len(values)) % 10))
    ax.bar_label(bars, labels=[f"{v:.0%}" for v in values], padding=2)
    ax.set_ylim(0, 1.12)
    ax.set_ylabel("hits (fraction of images)")
    ax.set_xlabel("heatmap")
    ax.set_title(title)
    ax.grid(axis="y", alpha=0.3)
    return ax


def plot_box_iou(
    scores: Mapping[str, Sequence[float]],
    thresholds: Sequence[float],
    *,
    ax: Axes | None = None,
    ylabel: str = "mean box IoU",
    title: str = "Box from the thresholded heatmap vs the true box",
) -> Axes:
    """One line per method: a box score (mean IoU, or accuracy at IoU >= 0.5) against the threshold.

    Examples
    --------
    >>> ax = plot_box_iou({"CAM": [0.6, 0.5, 0.3], "Grad-CAM": [0.7, 0.6, 0.4]}, [0.2, 0.5, 0.8])
    >>> len(ax.lines), ax.lines[0].get_ydata().tolist()
    (2, [0.6, 0.5, 0.3])
    >>> plt.close("all")
    """
    scores = as_mapping("scores", scores, what="method -> IoU per threshold")
    if not scores:
        raise ValueError("scores must map at least one method name to its values; got none.")
    thresholds = as_array("thresholds", thresholds, ndim=1)
    ax = _axes(ax, figsize=(5.0, 3.4))
    for name, values in scores.items():
        values = as_array(f"scores[{name!r}]", values, ndim=1)
        if len(values) != len(thresholds):
            raise ValueError(f"scores[{name!r}] must have one value per threshold ({len(thresholds)}); got {len(values)}.")
        ax.plot(thresholds, values, marker="o", label=name)
    ax.set_xlabel("threshold (fraction of the heatmap's maximum)")
    ax.set_ylabel(ylabel)
    ax.set_ylim(0, 1)
    ax.set_title(title)
    ax.legend()
    ax.grid(alpha=0.3)
    return ax
