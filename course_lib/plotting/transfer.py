"""Figures and the results table of the transfer-learning chapter."""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes

from course_lib._validation import as_array, as_float, as_int, as_mapping
from course_lib.plotting._core import _axes, _smooth


def _record(name: str, history) -> Mapping:
    record = getattr(history, "history", history)
    if not isinstance(record, Mapping):
        raise TypeError(f"histories[{name!r}] must be a keras History or a dict of lists; got {type(history).__name__}.")
    return record


def plot_curves(
    histories: Mapping[str, object],
    *,
    metric: str = "val_accuracy",
    smoothing: float = 0.0,
    start_epochs: Mapping[str, int] | None = None,
    ax: Axes | None = None,
    title: str | None = None,
) -> Axes:
    """One learning curve per run on shared axes: the comparison figure of the chapter.

    With ``smoothing`` > 0 the raw curve is drawn faintly and its exponential moving
    average (as in ``plotting.plot_history``) on top.

    Parameters
    ----------
    histories : mapping of str to keras History or dict of lists
        Run name -> its history.
    metric : str, keyword-only
        Key drawn from every history, e.g. ``"val_accuracy"`` or ``"loss"``.
    smoothing : float, keyword-only
        Moving-average factor in [0, 1); 0 draws the raw curves only.
    start_epochs : mapping of str to int, keyword-only
        Epochs already done before a run started (a fine-tuning run continues a frozen one).
    ax : Axes, optional, keyword-only
    title : str, optional, keyword-only

    Returns
    -------
    Axes

    Raises
    ------
    TypeError
        If a history is not a History or a dict.
    ValueError
        If ``histories`` is empty, a history lacks ``metric``, or ``smoothing`` is outside [0, 1).

    See Also
    --------
    course_lib.plotting.plot_history : training and validation curves of one run.

    Examples
    --------
    >>> ax = plot_curves({"a": {"val_accuracy": [0.5, 0.7]}, "b": {"val_accuracy": [0.6, 0.9]}})
    >>> [line.get_label() for line in ax.get_lines()]
    ['a', 'b']
    """
    histories = as_mapping("histories", histories, what="name -> Keras History or its .history dict")
    if not histories:
        raise ValueError("histories must hold at least one run; got none.")
    smoothing = as_float("smoothing", smoothing, minimum=0.0, maximum=0.999)
    start_epochs = dict(start_epochs or {})
    ax = _axes(ax, figsize=(6.5, 3.8))
    for name, history in histories.items():
        record = _record(name, history)
        if metric not in record:
            raise ValueError(f"histories[{name!r}] has no metric {metric!r}; it has {sorted(record)}.")
        values = as_array(f"histories[{name!r}][{metric!r}]", record[metric], ndim=1)
        start = as_int(f"start_epochs[{name!r}]", start_epochs.get(name, 0), minimum=0)
        epochs = np.arange(start + 1, start + len(values) + 1)
        if smoothing:
            (raw,) = ax.plot(epochs, values, alpha=0.25, linewidth=1)
            ax.plot(epochs, _smooth(values, smoothing), color=raw.get_color(), linewidth=2, label=name)
        else:
            ax.plot(epochs, values, marker="o", markersize=3, label=name)
    ax.set_xlabel("epoch")
    ax.set_ylabel(metric.replace("_", " "))
    ax.set_title(title or f"{metric.replace('_', ' ')} per epoch" + (f" (smoothed, factor {smoothing:g})" if smoothing else ""))
    ax.grid(alpha=0.3)
    ax.legend(fontsize=9)
    return ax


def plot_results(
    results: Mapping[str, float], *, ax: Axes | None = None, title: str = "Test accuracy on the target task",
    chance: float | None = None,
) -> Axes:
    """Horizontal bars, one per method, labelled with their value (accuracies in [0, 1]).

    Parameters
    ----------
    results : mapping of str to float
        Method -> test accuracy.
    ax : Axes, optional, keyword-only
    title : str, keyword-only
    chance : float, optional, keyword-only
        Draw a dashed line at the accuracy of guessing.

    Returns
    -------
    Axes

    Raises
    ------
    ValueError
        If ``results`` is empty or a value is outside [0, 1].

    See Also
    --------
    results_table : the same numbers as a table.

    Examples
    --------
    >>> ax = plot_results({"from scratch": 0.6, "fine-tuned": 0.9}, chance=0.2)
    >>> [label.get_text() for label in ax.get_yticklabels()]
    ['from scratch', 'fine-tuned']
    """
    results = as_mapping("results", results, what="name -> accuracy")
    if not results:
        raise ValueError("results must hold at least one method; got none.")
    names = list(results)
    values = [as_float(f"results[{name!r}]", results[name], minimum=0.0, maximum=1.0) for name in names]
    ax = _axes(ax, figsize=(6, 0.55 * len(names) + 1.2))
    positions = np.arange(len(names))[::-1]
    bars = ax.barh(positions, values, color=plt.cm.tab10(np.arange(len(names)) % 10))
    ax.bar_label(bars, labels=[f"{v:.1%}" for v in values], padding=3)
    ax.set_yticks(positions, names)
    ax.set_xlim(0, 1.12)
    ax.set_xlabel("test accuracy")
    if chance is not None:
        chance = as_float("chance", chance, minimum=0.0, maximum=1.0)
        ax.axvline(chance, color="gray", linestyle="--", label=f"chance ({chance:.0%})")
        ax.legend(loc="lower right", fontsize=9)
    ax.set_title(title)
    return ax


def results_table(rows: Mapping[str, Mapping[str, object]], *, digits: int = 3) -> str:
    """A Markdown table, one row per method; floats rounded, ints with thousands separators.

    Show it with ``IPython.display.Markdown(results_table(rows))``.

    Parameters
    ----------
    rows : mapping of str to mapping
        Method -> {column name: value}; every row has the same columns.
    digits : int, keyword-only

    Returns
    -------
    str

    Raises
    ------
    ValueError
        If ``rows`` is empty or the rows have different columns.

    See Also
    --------
    plot_curves : the learning curves of the same runs.

    Examples
    --------
    >>> print(results_table({"scratch": {"accuracy": 0.61234, "trainable": 12000}}))
    | method | accuracy | trainable |
    | --- | --- | --- |
    | scratch | 0.612 | 12,000 |
    """
    rows = as_mapping("rows", rows, what="name -> {column: value}")
    if not rows:
        raise ValueError("rows must hold at least one method; got none.")
    digits = as_int("digits", digits, minimum=0)
    columns = list(next(iter(rows.values())))
    for name, row in rows.items():
        if list(row) != columns:
            raise ValueError(f"rows[{name!r}] has columns {list(row)}; expected {columns} like the first row.")

    def cell(value) -> str:
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.number)):
            return str(value)
        if isinstance(value, (int, np.integer)):
            return f"{int(value):,}"
        return f"{float(value):.{digits}f}"

    lines = ["| method | " + " | ".join(columns) + " |", "|" + " --- |" * (len(columns) + 1)]
    lines += [f"| {name} | " + " | ".join(cell(row[c]) for c in columns) + " |" for name, row in rows.items()]
    return "\n".join(lines)
