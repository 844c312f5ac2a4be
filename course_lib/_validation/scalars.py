"""Checks of scalar and container arguments: counts, sizes, choices, paths, names, seeds.

Each check raises ``TypeError`` or ``ValueError`` with a message that names the argument, says
what was expected and what was given, and how to fix it.
"""

from __future__ import annotations

import numbers
import os
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np



def as_int(name: str, value, *, minimum: int | None = None, maximum: int | None = None, why: str = "") -> int:
    """Return ``value`` as an int, refusing floats, bools and values outside ``[minimum, maximum]``.

    ``why`` is appended to the message for ``maximum``: the documented cap and how to live with it.

    Examples
    --------
    >>> as_int("stride", 2, minimum=1)
    2
    >>> as_int("stride", 0, minimum=1)
    Traceback (most recent call last):
    ...
    ValueError: stride must be >= 1; got 0.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer; got {value!r} ({type(value).__name__}).")
    value = int(value)
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}; got {value}.")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be <= {maximum}; got {value}. {why}".strip())
    return value


def as_ints(name: str, value, **limits) -> list[int]:
    """Return a list of ints checked by :func:`as_int` (``minimum=``, ``maximum=``, ``why=``).

    Examples
    --------
    >>> as_ints("filters", (8, 16), minimum=1)
    [8, 16]
    >>> as_ints("filters", None)
    Traceback (most recent call last):
    ...
    TypeError: filters must be a list of ints; got NoneType.
    """
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise TypeError(f"{name} must be a list of ints; got {type(value).__name__}.")
    return [as_int(name, item, **limits) for item in value]


def as_float(name: str, value, *, minimum: float | None = None, maximum: float | None = None) -> float:
    """Return ``value`` as a finite float inside ``[minimum, maximum]``.

    Examples
    --------
    >>> as_float("sigma", 3)
    3.0
    >>> as_float("amount", 1.5, maximum=1.0)
    Traceback (most recent call last):
    ...
    ValueError: amount must be <= 1.0; got 1.5.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number; got {value!r} ({type(value).__name__}).")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite; got {value}.")
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}; got {value}.")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be <= {maximum}; got {value}.")
    return value


def as_choice(name: str, value, choices: Iterable[str]) -> str:
    """Return ``value`` if it is one of ``choices``.

    Examples
    --------
    >>> as_choice("padding", "same", ("valid", "same"))
    'same'
    >>> as_choice("padding", "circular", ("valid", "same"))
    Traceback (most recent call last):
    ...
    ValueError: padding must be one of 'valid', 'same'; got 'circular'.
    """
    choices = tuple(choices)
    if not isinstance(value, str) or value not in choices:
        options = ", ".join(repr(c) for c in choices)
        raise ValueError(f"{name} must be one of {options}; got {value!r}.")
    return value


def as_mapping(name: str, value, *, what: str = "name -> values") -> Mapping:
    """Return ``value`` if it is a dict-like mapping, else refuse it naming ``name``.

    Examples
    --------
    >>> as_mapping("curves", {"sgd": [1.0, 0.5]})
    {'sgd': [1.0, 0.5]}
    >>> as_mapping("curves", [1.0, 0.5], what="label -> values")
    Traceback (most recent call last):
    ...
    TypeError: curves must be a dict (label -> values); got list. Wrap it: {"label": value}.
    """
    if not isinstance(value, Mapping):
        raise TypeError(f'{name} must be a dict ({what}); got {type(value).__name__}. Wrap it: {{"label": value}}.')
    return value


def as_path(name: str, value) -> Path:
    """Return a ``pathlib.Path`` from a str or path-like, refusing anything else naming ``name``.

    Examples
    --------
    >>> as_path("folder", "exercises").name
    'exercises'
    >>> as_path("folder", None)
    Traceback (most recent call last):
    ...
    TypeError: folder must be a path (str or pathlib.Path); got NoneType.
    """
    if not isinstance(value, (str, os.PathLike)):
        raise TypeError(f"{name} must be a path (str or pathlib.Path); got {type(value).__name__}.")
    return Path(value)


def as_names(name: str, value) -> list[str]:
    """Return a list of strings (class names, titles), refusing a bare string or a non-sequence.

    Examples
    --------
    >>> as_names("class_names", ("cat", "dog"))
    ['cat', 'dog']
    >>> as_names("class_names", "cat")
    Traceback (most recent call last):
    ...
    TypeError: class_names must be a list of strings; got str 'cat'. Wrap it: ['cat'].
    """
    if isinstance(value, str):
        raise TypeError(f"{name} must be a list of strings; got str {value!r}. Wrap it: [{value!r}].")
    if not isinstance(value, Iterable) or isinstance(value, Mapping):
        raise TypeError(f"{name} must be a list of strings; got {type(value).__name__}.")
    return [str(item) for item in value]


def as_pair(name: str, value, *, minimum: int = 1) -> tuple[int, int]:
    """Return an int or a pair of ints as a ``(rows, cols)`` tuple.

    Examples
    --------
    >>> as_pair("size", 2)
    (2, 2)
    >>> as_pair("size", (3, 1))
    (3, 1)
    """
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        pair = (value, value)
    elif isinstance(value, (tuple, list)) and len(value) == 2:
        pair = tuple(value)
    else:
        raise TypeError(f"{name} must be an int or a pair of ints; got {value!r}.")
    return tuple(as_int(f"{name}", v, minimum=minimum) for v in pair)  # type: ignore[return-value]


SEED_LIMIT = 2**32


def as_seed(name: str, value) -> int:
    """Return ``value`` as a seed: an int in ``0 .. 2**32 - 1`` (what Keras and NumPy both accept).

    Examples
    --------
    >>> as_seed("seed", 7)
    7
    >>> as_seed("seed", -1)
    Traceback (most recent call last):
    ...
    ValueError: seed must be an int in 0..4294967295; got -1. Any non-negative number works, e.g. seed=0.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer (a seed in 0..{SEED_LIMIT - 1}); got {value!r} ({type(value).__name__}).")
    if not 0 <= int(value) < SEED_LIMIT:
        raise ValueError(
            f"{name} must be an int in 0..{SEED_LIMIT - 1}; got {value}. Any non-negative number works, e.g. {name}=0."
        )
    return int(value)


def as_rng(rng, name: str = "rng") -> np.random.Generator:
    """Return a NumPy Generator from an int seed in ``0 .. 2**32 - 1``, a Generator or None.

    A Generator is used as it is (the caller's stream advances); None draws fresh entropy.

    Examples
    --------
    >>> float(as_rng(0).random()) == float(np.random.default_rng(0).random())
    True
    >>> as_rng(-1)
    Traceback (most recent call last):
    ...
    ValueError: rng must be an int in 0..4294967295; got -1. Any non-negative number works, e.g. rng=0.
    """
    if isinstance(rng, np.random.Generator) or rng is None:
        return np.random.default_rng(rng)
    if isinstance(rng, numbers.Integral) and not isinstance(rng, bool):
        return np.random.default_rng(as_seed(name, rng))
    raise TypeError(
        f"{name} must be an int seed, a numpy.random.Generator or None; got {type(rng).__name__}."
    )


def as_axis(name: str, value, shape: tuple[int, ...], *, array: str = "the array") -> int:
    """Return ``value`` as a non-negative axis of an array of ``shape``, refusing what NumPy would not take.

    ``array`` names the array the axis belongs to, so that a 0-d array is named too.

    Examples
    --------
    >>> as_axis("axis", -1, (2, 3))
    1
    >>> as_axis("axis", 2, (2, 3), array="logits")
    Traceback (most recent call last):
    ...
    ValueError: axis must be an axis of logits, an int in -2..1 for its shape (2, 3); got 2.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an int (an axis of {array}); got {value!r} ({type(value).__name__}).")
    ndim = len(shape)
    if ndim == 0:
        raise ValueError(f"{name} has nothing to select: {array} is 0-d (shape ()); pass at least a 1-D array.")
    if not -ndim <= int(value) < ndim:
        raise ValueError(f"{name} must be an axis of {array}, an int in -{ndim}..{ndim - 1} for its shape {shape}; got {value}.")
    return int(value) % ndim
