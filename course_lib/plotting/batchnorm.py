"""Figures for the Batch Normalization chapter: ``plotting.batchnorm.<function>``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from course_lib._validation import as_array, as_float, as_int
from course_lib.plotting._core import _axes


def _named_arrays(name: str, mapping, *, ndim: int) -> dict[str, np.ndarray]:
    if not isinstance(mapping, Mapping) or not mapping:
        raise TypeError(f"{name} must be a non-empty dict of label -> array; got {type(mapping).__name__}.")
    return {str(label): as_array(f"{name}[{label!r}]", values, ndim=ndim) for label, values in mapping.items()}


def plot_sigmoid_saturation(samples: Mapping[str, Sequence[float]], *, ax: Axes | None = None, bins: int = 40) -> Axes:
    """The sigmoid, its tangent at 0, and histograms of the values fed to it.

    Inputs with mean 0 and variance 1 stay where the sigmoid is almost a straight line; a
    scale and shift (``gamma``, ``beta``) moves them to where it bends and saturates.

    Parameters
    ----------
    samples : dict of str -> array_like, shape (M,)
        Pre-activations to show, by label.
    ax : matplotlib Axes, optional
    bins : int, keyword-only
        Histogram bins over the shown range [-6, 6].

    Returns
    -------
    Axes
        The sigmoid's axes; the histograms are on a twin y axis (``ax.figure.axes[1]``).

    Raises
    ------
    TypeError, ValueError
        If ``samples`` is not a non-empty dict of 1-D numeric arrays or ``bins`` < 2.

    See Also
    --------
    course_lib.batchnorm.batchnorm_forward

    Examples
    --------
    >>> ax = plot_sigmoid_saturation({"mean 0, variance 1": np.linspace(-2, 2, 50)})
    >>> len(ax.figure.axes), ax.get_xlabel()
    (2, 'pre-activation z')
    >>> plt.close(ax.figure)
    """
    samples = _named_arrays("samples", samples, ndim=1)
    bins = as_int("bins", bins, minimum=2)
    ax = _axes(ax, figsize=(6.5, 3.6))
    z = np.linspace(-6, 6, 400)
    ax.plot(z, 1 / (1 + np.exp(-z)), color="black", linewidth=2, label="sigmoid(z)")
    ax.plot(z, 0.5 + z / 4, color="gray", linestyle=":", label="tangent at 0: 1/2 + z/4")
    ax.set_ylim(-0.05, 1.05)
    ax.set_xlim(-6, 6)
    ax.set_xlabel("pre-activation z")
    ax.set_ylabel("sigmoid(z)")
    density_ax = ax.twinx()
    for label, values in samples.items():
        density_ax.hist(values, bins=np.linspace(-6, 6, bins + 1), density=True, alpha=0.35, label=label)
    density_ax.set_ylabel("density of z")
    handles = ax.get_legend_handles_labels()[0] + density_ax.get_legend_handles_labels()[0]
    ax.legend(handles, [h.get_label() for h in handles], loc="upper left", fontsize=8)
    ax.set_title("Where the pre-activations fall on the sigmoid")
    return ax


def plot_feature_histograms(before, after, *, max_features: int = 4, bins: int = 30) -> Figure:
    """Histograms of a few features before and after batch normalization, side by side.

    Parameters
    ----------
    before, after : array_like, shape (N, D)
        A mini-batch and its normalised version.
    max_features : int, keyword-only
        How many of the D features to draw (the first ones).
    bins : int, keyword-only

    Returns
    -------
    Figure
        Two Axes: "before" and "after".

    Raises
    ------
    TypeError, ValueError
        If the arrays are not 2-D or their shapes differ.

    See Also
    --------
    course_lib.batchnorm.batchnorm_forward

    Examples
    --------
    >>> x = np.array([[1.0, 10.0], [3.0, 30.0], [5.0, 20.0]])
    >>> fig = plot_feature_histograms(x, (x - x.mean(0)) / x.std(0))
    >>> [ax.get_title() for ax in fig.axes]
    ['before: each feature its own scale', 'after: mean 0, variance 1']
    >>> plt.close(fig)
    """
    before = as_array("before", before, ndim=2)
    after = as_array("after", after, ndim=2)
    if before.shape != after.shape:
        raise ValueError(f"before and after must have the same shape; got {before.shape} and {after.shape}.")
    count = min(as_int("max_features", max_features, minimum=1), before.shape[1])
    bins = as_int("bins", bins, minimum=2)
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.2), layout="constrained")
    for ax, values, title in zip(axes, (before, after), ("before: each feature its own scale", "after: mean 0, variance 1")):
        for feature in range(count):
            column = values[:, feature]
            ax.hist(column, bins=bins, alpha=0.5,
                    label=f"feature {feature}: mean {round(column.mean(), 2) + 0.0:g}, std {column.std():.2g}")
        ax.set_title(title)
        ax.set_xlabel("value")
        ax.set_ylabel("count in the mini-batch")
        ax.legend(fontsize=7)
    return fig


def plot_running_statistics(batch_means, running_means, *, population_mean: float | None = None,
                            ax: Axes | None = None) -> Axes:
    """Mini-batch means step by step, and the running mean that smooths them.

    Parameters
    ----------
    batch_means, running_means : array_like, shape (steps,)
        One value per training step: the mean of one feature in each mini-batch, and the
        running mean after that step.
    population_mean : float, optional, keyword-only
        Drawn as a horizontal line.
    ax : matplotlib Axes, optional

    Returns
    -------
    Axes

    Raises
    ------
    TypeError, ValueError
        If the arrays are not numeric or have different numbers of steps.

    See Also
    --------
    course_lib.batchnorm.batchnorm_forward : updates the running statistics.

    Examples
    --------
    >>> ax = plot_running_statistics([1.0, 3.0, 2.0], [0.1, 0.39, 0.551], population_mean=2.0)
    >>> [line.get_label() for line in ax.lines]
    ['mini-batch mean', 'running mean', 'mean of all data']
    >>> plt.close(ax.figure)
    """
    batch_means = as_array("batch_means", batch_means, ndim=1)
    running_means = as_array("running_means", running_means, ndim=1)
    if running_means.shape[0] != batch_means.shape[0]:
        raise ValueError(
            f"running_means must have one row per step ({batch_means.shape[0]}); got {running_means.shape[0]}."
        )
    ax = _axes(ax, figsize=(6.5, 3.4))
    steps = np.arange(1, len(batch_means) + 1)
    ax.plot(steps, batch_means, ".", color="gray", alpha=0.6, label="mini-batch mean")
    ax.plot(steps, running_means, linewidth=2, label="running mean")
    if population_mean is not None:
        ax.axhline(as_float("population_mean", population_mean), color="black", linestyle="--", label="mean of all data")
    ax.set_xlabel("training step")
    ax.set_ylabel("mean of one feature")
    ax.set_title("Running mean: what inference mode uses")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    return ax


def plot_runs(curves: Mapping[str, Sequence[float]], *, target: float | None = None,
              ylabel: str = "validation accuracy", ax: Axes | None = None) -> Axes:
    """One learning curve per training run, with a target line and where each run first reaches it.

    Parameters
    ----------
    curves : dict of str -> array_like, shape (epochs,)
        A metric per epoch for each run, by label (e.g. ``history.history["val_accuracy"]``).
    target : float, optional, keyword-only
        Drawn as a dashed line; the first epoch at or above it gets a large marker.
    ylabel : str, keyword-only
    ax : matplotlib Axes, optional

    Returns
    -------
    Axes

    Raises
    ------
    TypeError, ValueError
        If ``curves`` is not a non-empty dict of 1-D numeric arrays or ``target`` is not a number.

    See Also
    --------
    course_lib.batchnorm.epochs_to_target

    Examples
    --------
    >>> ax = plot_runs({"plain": [0.2, 0.5], "batch norm": [0.6, 0.9]}, target=0.8)
    >>> len(ax.lines)  # target, two curves, one star where "batch norm" reaches 0.8
    4
    >>> plt.close(ax.figure)
    """
    curves = _named_arrays("curves", curves, ndim=1)
    ax = _axes(ax, figsize=(6.5, 3.8))
    if target is not None:
        target = as_float("target", target)
        ax.axhline(target, color="black", linestyle="--", linewidth=1, label=f"target {target:g}")
    for label, values in curves.items():
        epochs = np.arange(1, len(values) + 1)
        (line,) = ax.plot(epochs, values, marker="o", markersize=3, label=label)
        if target is not None and np.any(values >= target):
            first = int(np.flatnonzero(values >= target)[0])
            ax.plot(epochs[first], values[first], marker="*", markersize=14, color=line.get_color())
    ax.set_xlabel("epoch")
    ax.set_ylabel(ylabel)
    ax.set_title(f"{ylabel.capitalize()} per epoch")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    return ax
