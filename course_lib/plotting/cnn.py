"""Figures for the chapter "CNNs in Keras": feature maps, confusion matrix, misclassified digits."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from sklearn.metrics import confusion_matrix

from course_lib._limits import check_memory
from course_lib._validation import as_array, as_int, as_labels, as_mapping
from course_lib.plotting._core import _axes, add_colorbar, show_image


def show_feature_maps(feature_map, *, max_maps: int = 16, columns: int = 8, title: str | None = None,
                      cmap: str = "viridis") -> Figure:
    """Show the channels of one layer's activation as a grid of small images.

    Parameters
    ----------
    feature_map : array_like, shape (H, W, C)
        One image's activation in one layer.
    max_maps : int, keyword-only
        Show the first ``max_maps`` channels.
    columns : int, keyword-only
    title : str, optional, keyword-only
    cmap : str, keyword-only

    Returns
    -------
    Figure
        One panel per channel, titled with its index; each panel has its own colour scale.

    Raises
    ------
    ValueError
        If ``feature_map`` is not 3-D.

    See Also
    --------
    show_activations : several layers at once.

    Examples
    --------
    >>> fig = show_feature_maps(np.random.default_rng(0).random((6, 6, 4)))
    >>> len(fig.axes), fig.axes[1].get_title()
    (4, 'channel 1')
    >>> plt.close(fig)
    """
    feature_map = as_array("feature_map", feature_map, ndim=3, hint="Pass one image's activation, (H, W, C).")
    count = min(as_int("max_maps", max_maps, minimum=1), feature_map.shape[2])
    columns = min(as_int("columns", columns, minimum=1), count)
    rows = -(-count // columns)
    fig, axes = plt.subplots(rows, columns, figsize=(1.4 * columns, 1.4 * rows + 0.5), squeeze=False,
                             layout="constrained")
    for index, ax in enumerate(axes.ravel()):
        ax.set_axis_off()
        if index < count:
            ax.imshow(feature_map[:, :, index], cmap=cmap, interpolation="nearest")
            ax.set_title(f"channel {index}", fontsize=8)
    fig.suptitle(title or f"feature maps {feature_map.shape[0]}x{feature_map.shape[1]}, "
                 f"first {count} of {feature_map.shape[2]} channels")
    return fig


def show_activations(activations: Mapping[str, np.ndarray], *, maps_per_layer: int = 8,
                     image=None, cmap: str = "viridis") -> Figure:
    """One row per layer with its first feature maps: how an image is transformed layer by layer.

    Parameters
    ----------
    activations : mapping of str to array_like, each shape (H_l, W_l, C_l)
        From :func:`course_lib.cnn.inspection.intermediate_activations`.
    maps_per_layer : int, keyword-only
    image : array_like, shape (H, W) or (H, W, C), optional, keyword-only
        The input, shown once at the top of the first column.
    cmap : str, keyword-only

    Returns
    -------
    Figure
        The first panel of each row is titled ``"<layer> <H>x<W>x<C>"``.

    Raises
    ------
    ValueError
        If ``activations`` is empty or an activation is not 3-D.

    See Also
    --------
    course_lib.cnn.inspection.intermediate_activations

    References
    ----------
    M. D. Zeiler and R. Fergus, "Visualizing and understanding convolutional networks", ECCV 2014.

    Examples
    --------
    >>> maps = {"conv1": np.ones((6, 6, 3)), "pool1": np.ones((3, 3, 3))}
    >>> fig = show_activations(maps, maps_per_layer=2)
    >>> len(fig.axes), fig.axes[2].get_title()
    (4, 'pool1 3x3x3')
    >>> plt.close(fig)
    """
    activations = as_mapping("activations", activations, what="layer name -> (H, W, C) activation")
    if not activations:
        raise ValueError("activations must hold at least one layer; got an empty mapping.")
    maps = {name: as_array(f"activations[{name!r}]", value, ndim=3) for name, value in activations.items()}
    count = as_int("maps_per_layer", maps_per_layer, minimum=1)
    offset = 0 if image is None else 1
    fig, axes = plt.subplots(len(maps), count + offset, figsize=(1.3 * (count + offset), 1.45 * len(maps) + 0.5),
                             squeeze=False, layout="constrained")
    for number, (row, (name, value)) in enumerate(zip(axes, maps.items())):
        for ax in row:
            ax.set_axis_off()
        if image is not None and number == 0:  # the input once, top left
            show_image(np.squeeze(as_array("image", image, ndim=(2, 3))), ax=row[0], title="input")
        for channel in range(min(count, value.shape[2])):
            ax = row[offset + channel]
            ax.imshow(value[:, :, channel], cmap=cmap, interpolation="nearest")
            ax.set_title(f"{name} {'x'.join(map(str, value.shape))}" if channel == 0 else f"ch {channel}", fontsize=8)
    fig.suptitle(f"activations of one image, first {count} channels per layer (own colour scale each)")
    return fig


def plot_confusion_matrix(labels, predictions, *, class_names: Sequence[str] | None = None,
                          normalize: bool = False, ax: Axes | None = None, title: str | None = None) -> Axes:
    """Confusion matrix: rows are true classes, columns predicted classes, counts written in the cells.

    Parameters
    ----------
    labels : array_like, shape (N,)
        True class indices.
    predictions : array_like, shape (N,)
        Predicted class indices.
    class_names : sequence of str, optional, keyword-only
        Default: ``"0"``, ``"1"``, ...
    normalize : bool, keyword-only
        Divide each row by its total (the recall of each class) instead of counts.
    ax : Axes, optional, keyword-only
    title : str, optional, keyword-only

    Returns
    -------
    Axes

    Raises
    ------
    ValueError
        If the arrays are not 1-D, differ in length, or ``class_names`` has too few names.

    See Also
    --------
    sklearn.metrics.confusion_matrix : computes the counts.

    Examples
    --------
    >>> ax = plot_confusion_matrix([0, 1, 1, 2], [0, 1, 2, 2])
    >>> ax.images[0].get_array().tolist()
    [[1.0, 0.0, 0.0], [0.0, 1.0, 1.0], [0.0, 0.0, 1.0]]
    >>> ax.get_title()
    'confusion matrix (accuracy 0.750)'
    >>> plt.close(ax.figure)
    """
    labels = as_labels("labels", labels)  # 5.7 is refused, never truncated to 5
    predictions = as_labels("predictions", predictions)
    if labels.shape != predictions.shape:
        raise ValueError(f"labels and predictions must have the same length; got {labels.size} and {predictions.size}.")
    count = max(labels.max(), predictions.max()) + 1
    check_memory(float(count) ** 2, what=f"a {count} x {count} confusion matrix", argument="labels",
                 fix="class numbers should run from 0 to the number of classes - 1")
    names = [str(i) for i in range(count)] if class_names is None else list(class_names)
    if len(names) < count:
        raise ValueError(f"class_names must name at least {count} classes; got {len(names)}.")
    matrix = confusion_matrix(labels, predictions, labels=np.arange(len(names))).astype(float)
    if normalize:
        matrix = matrix / np.maximum(matrix.sum(axis=1, keepdims=True), 1)
    ax = _axes(ax, figsize=(5.2, 4.4))
    shown = ax.imshow(matrix, cmap="Blues", interpolation="nearest")
    for (row, col), value in np.ndenumerate(matrix):
        if value:
            text = f"{value:.2f}" if normalize else f"{int(value)}"
            ax.text(col, row, text, ha="center", va="center", fontsize=7,
                    color="white" if value > 0.6 * matrix.max() else "black")
    ax.set_xticks(range(len(names)), names)
    ax.set_yticks(range(len(names)), names)
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    accuracy = float(np.mean(labels == predictions))
    ax.set_title(title or f"confusion matrix (accuracy {accuracy:.3f})")
    add_colorbar(ax, shown, label="fraction of the true class" if normalize else "images")
    return ax


def show_misclassified(images, labels, predictions, *, probabilities=None, max_images: int = 12,
                       columns: int = 6, class_names: Sequence[str] | None = None) -> Figure:
    """The first misclassified images, each titled with the true and predicted class.

    Parameters
    ----------
    images : array_like, shape (N, H, W) or (N, H, W, C)
    labels, predictions : array_like, shape (N,)
    probabilities : array_like, shape (N, num_classes), optional, keyword-only
        The model's output; adds the probability of the predicted class to each title.
    max_images : int, keyword-only
    columns : int, keyword-only
    class_names : sequence of str, optional, keyword-only

    Returns
    -------
    Figure
        Titles read ``"true 4 -> 9 (0.87)"``. With no mistakes, one empty panel says so.

    Raises
    ------
    ValueError
        If the lengths of the arrays differ.

    See Also
    --------
    plot_confusion_matrix

    Examples
    --------
    >>> fig = show_misclassified(np.zeros((3, 4, 4)), [1, 2, 3], [1, 0, 3])
    >>> fig.axes[0].get_title()
    'true 2 -> 0'
    >>> plt.close(fig)
    """
    images = as_array("images", images, ndim=(3, 4))
    labels = as_labels("labels", labels)  # 5.7 is refused, never truncated to 5
    predictions = as_labels("predictions", predictions)
    if not len(images) == len(labels) == len(predictions):
        raise ValueError(
            f"images, labels and predictions must have the same length; got {len(images)}, "
            f"{len(labels)} and {len(predictions)}."
        )
    wrong = np.flatnonzero(labels != predictions)[: as_int("max_images", max_images, minimum=1)]
    name = (lambda i: str(i)) if class_names is None else (lambda i: str(class_names[i]))
    if wrong.size == 0:
        fig, ax = plt.subplots(figsize=(3, 1.5), layout="constrained")
        ax.set_axis_off()
        ax.set_title("no misclassified images")
        return fig
    columns = min(as_int("columns", columns, minimum=1), wrong.size)
    rows = -(-wrong.size // columns)
    fig, axes = plt.subplots(rows, columns, figsize=(1.7 * columns, 1.8 * rows + 0.4), squeeze=False,
                             layout="constrained")
    for ax in axes.ravel():
        ax.set_axis_off()
    for ax, index in zip(axes.ravel(), wrong):
        title = f"true {name(labels[index])} -> {name(predictions[index])}"
        if probabilities is not None:
            title += f" ({float(np.asarray(probabilities)[index, predictions[index]]):.2f})"
        show_image(np.squeeze(images[index]), ax=ax, title=title)
        ax.title.set_fontsize(8)
    fig.suptitle(f"misclassified: first {wrong.size} of {int(np.sum(labels != predictions))}")
    return fig
