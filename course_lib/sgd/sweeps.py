"""Run one experiment per setting and collect the results in a table."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping

import pandas as pd


def sweep(experiment: Callable[..., Mapping], **grid) -> pd.DataFrame:
    """Call ``experiment(**setting)`` for every combination of ``grid`` and tabulate.

    Parameters
    ----------
    experiment : callable
        Takes the grid's names as keyword arguments and returns a dict of results (numbers).
    **grid : sequence
        One non-empty sequence of values per argument.

    Returns
    -------
    pandas.DataFrame
        One row per combination (in ``itertools.product`` order): the setting's columns, then
        the result's.

    Raises
    ------
    TypeError
        If ``experiment`` is not callable, a grid entry is not a list/tuple/array, or a result
        is not a dict.
    ValueError
        If the grid is empty, a grid entry has no values, or a result reuses a grid name.

    Examples
    --------
    >>> sweep(lambda a, b: {"sum": a + b}, a=[1, 2], b=[10])
       a   b  sum
    0  1  10   11
    1  2  10   12
    """
    if not callable(experiment):
        raise TypeError(f"experiment must be callable; got {type(experiment).__name__}.")
    if not grid:
        raise ValueError("grid must name at least one argument, e.g. sweep(f, rate=[0.1, 1.0]).")
    values = {}
    for name, options in grid.items():
        if isinstance(options, (str, bytes, Mapping)) or not hasattr(options, "__len__"):
            raise TypeError(f"grid value {name} must be a list of settings; got {type(options).__name__}.")
        if len(options) == 0:
            raise ValueError(f"grid value {name} must hold at least one setting; got none.")
        values[name] = list(options)
    rows = []
    for combination in itertools.product(*values.values()):
        setting = dict(zip(values, combination))
        result = experiment(**setting)
        if not isinstance(result, Mapping):
            raise TypeError(f"experiment must return a dict of results; got {type(result).__name__}.")
        clash = set(result) & set(setting)
        if clash:
            raise ValueError(f"experiment's results reuse the grid names {sorted(clash)}; rename them.")
        rows.append({**setting, **result})
    return pd.DataFrame(rows)
