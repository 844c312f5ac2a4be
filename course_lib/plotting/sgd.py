"""Figures for the chapter "Training a CNN well": ``plotting.sgd.<function>``."""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from course_lib._validation import as_array, as_mapping
from course_lib.plotting._core import _axes


def _curves(name: str, curves) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    if not isinstance(curves, Mapping) or not curves:
        raise TypeError(f"{name} must be a non-empty dict of label -> (steps, values); got {type(curves).__name__}.")
    checked = {}
    for label, pair in curves.items():
        if not isinstance(pair, (tuple, list)) or len(pair) != 2:
            raise TypeError(f"{name}[{label!r}] must be a pair (steps, values); got {type(pair).__name__}.")
        steps = as_array(f"{name}[{label!r}] steps", pair[0], ndim=1)
        values = as_array(f"{name}[{label!r}] values", pair[1], ndim=1, finite=False)
        if steps.shape != values.shape:
            raise ValueError(f"{name}[{label!r}]: steps and values must have the same length; "
                             f"got {len(steps)} and {len(values)}.")
        checked[str(label)] = (steps, values)
    return checked


def plot_curves(curves: Mapping, *, ax: Axes | None = None, title: str = "training loss", xlabel: str = "step",
                ylabel: str = "loss on all training examples", logy: bool = False) -> Axes:
    """One line per label: values (a loss, a rate) against the step.

    Parameters
    ----------
    curves : dict of str -> (steps, values)
        Each a pair of 1-D arrays of the same length.
    ax : matplotlib Axes, optional
    title, xlabel, ylabel : str, keyword-only
    logy : bool, keyword-only
        Logarithmic y axis.

    Returns
    -------
    Axes

    Raises
    ------
    TypeError, ValueError
        If ``curves`` is not a non-empty dict of pairs of equal-length 1-D arrays.

    Examples
    --------
    >>> ax = plot_curves({"rate 0.1": ([0, 10], [2.3, 1.0])})
    >>> len(ax.lines), ax.get_xlabel()
    (1, 'step')
    >>> plt.close(ax.figure)
    """
    curves = as_mapping("curves", curves, what="label -> (steps, values)")
    curves = _curves("curves", curves)
    ax = _axes(ax, figsize=(6.5, 3.6))
    for label, (steps, values) in curves.items():
        ax.plot(steps, values, label=label)
    if logy:
        ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend()
    return ax


def plot_gradient_spread(table: pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """Relative error of mini-batch gradients against the batch size (log-log), with a 1/sqrt(B) line.

    Parameters
    ----------
    table : pandas.DataFrame
        Columns ``batch_size``, ``relative_error`` and ``spread``, as from
        :func:`course_lib.sgd.gradient_spread`.
    ax : matplotlib Axes, optional

    Returns
    -------
    Axes

    Raises
    ------
    TypeError
        If ``table`` is not a DataFrame.
    ValueError
        If a column is missing.

    Examples
    --------
    >>> table = pd.DataFrame({"batch_size": [1, 4], "relative_error": [2.0, 1.0], "spread": [0.1, 0.1]})
    >>> ax = plot_gradient_spread(table)
    >>> ax.get_xscale(), len(ax.lines) >= 2
    ('log', True)
    >>> plt.close(ax.figure)
    """
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"table must be a pandas DataFrame; got {type(table).__name__}.")
    missing = {"batch_size", "relative_error", "spread"} - set(table.columns)
    if missing:
        raise ValueError(f"table is missing the columns {sorted(missing)}; use sgd.gradient_spread to make it.")
    sizes = as_array("batch_size", table["batch_size"], ndim=1)
    errors = as_array("relative_error", table["relative_error"], ndim=1)
    ax = _axes(ax, figsize=(5.5, 3.6))
    ax.errorbar(sizes, errors, yerr=as_array("spread", table["spread"], ndim=1), fmt="o-", capsize=3,
                label="measured (mean, std over draws)")
    ax.plot(sizes, errors[0] * np.sqrt(sizes[0] / sizes), "k--", label=r"$\propto 1/\sqrt{B}$")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("batch size B")
    ax.set_ylabel(r"$\|g_B - g\| \,/\, \|g\|$")
    ax.set_title("mini-batch gradient vs full gradient")
    ax.legend()
    return ax


def plot_sweep(table: pd.DataFrame, x: str, y: str, *, ax: Axes | None = None, logx: bool = True,
               best: str = "min") -> Axes:
    """One result of a sweep against the swept setting, with the best setting marked.

    Parameters
    ----------
    table : pandas.DataFrame
        As from :func:`course_lib.sgd.sweep`.
    x, y : str
        Column names: the setting and the result.
    ax : matplotlib Axes, optional
    logx : bool, keyword-only
        Logarithmic x axis; a setting of 0 is drawn at a tenth of the smallest positive one
        and labelled "0".
    best : {"min", "max"}, keyword-only
        Which extreme of ``y`` is best.

    Returns
    -------
    Axes

    Raises
    ------
    TypeError
        If ``table`` is not a DataFrame.
    ValueError
        If a column is missing or ``best`` is unknown.

    Examples
    --------
    >>> table = pd.DataFrame({"decay": [0.0, 0.1, 1.0], "loss": [1.0, 0.5, 2.0]})
    >>> ax = plot_sweep(table, "decay", "loss")
    >>> ax.get_title()
    'loss against decay (best: decay = 0.1)'
    >>> plt.close(ax.figure)
    """
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"table must be a pandas DataFrame; got {type(table).__name__}.")
    for name, column in (("x", x), ("y", y)):
        if column not in table.columns:
            raise ValueError(f"{name} must be a column of table, one of {list(table.columns)}; got {column!r}.")
    if best not in ("min", "max"):
        raise ValueError(f"best must be 'min' or 'max'; got {best!r}.")
    settings = as_array(x, table[x], ndim=1)
    results = as_array(y, table[y], ndim=1, finite=False)
    positions = settings.copy()
    ax = _axes(ax, figsize=(5.5, 3.6))
    if logx:
        positive = settings[settings > 0]
        if positive.size and np.any(settings <= 0):
            positions[settings <= 0] = positive.min() / 10
        ax.set_xscale("log")
    ax.plot(positions, results, "o-")
    index = int(np.nanargmin(results) if best == "min" else np.nanargmax(results))
    ax.plot(positions[index], results[index], "r*", markersize=14, label="best")
    if logx and np.any(settings <= 0):
        ax.set_xticks(positions, [f"{value:g}" for value in settings])
    ax.set_xlabel(x)
    ax.set_ylabel(y)
    ax.set_title(f"{y} against {x} (best: {x} = {settings[index]:g})")
    ax.legend()
    return ax
