"""Shared input checks: every public function validates its arguments here.

Each check raises ``TypeError`` or ``ValueError`` with a message that names the
argument, says what was expected and what was given, and how to fix it.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable

import numpy as np


def as_array(
    name: str,
    value,
    *,
    ndim: int | Iterable[int] | None = None,
    finite: bool = True,
    hint: str = "",
) -> np.ndarray:
    """Return ``value`` as a float64 array after checking type, ndim and finiteness.

    Examples
    --------
    >>> as_array("image", [[1, 2], [3, 4]], ndim=2).dtype
    dtype('float64')
    >>> as_array("image", [1, 2], ndim=2, hint="Add an axis.")
    Traceback (most recent call last):
    ...
    ValueError: image must be 2-D; got shape (2,). Add an axis.
    """
    if isinstance(value, (str, bytes)) or value is None:
        raise TypeError(f"{name} must be a numeric array; got {type(value).__name__}.")
    array = np.asarray(value)
    if array.dtype == object or not (
        np.issubdtype(array.dtype, np.number) or array.dtype == bool
    ):
        raise TypeError(
            f"{name} must be a numeric array; got dtype {array.dtype}. "
            "Convert it with np.asarray(..., dtype=float)."
        )
    if np.iscomplexobj(array):
        raise TypeError(f"{name} must be real-valued; got a complex array.")
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if array.ndim not in allowed:
            wanted = " or ".join(f"{n}-D" for n in allowed)
            message = f"{name} must be {wanted}; got shape {array.shape}."
            raise ValueError(f"{message} {hint}".strip())
    if array.size == 0:
        raise ValueError(f"{name} must not be empty; got shape {array.shape}.")
    array = array.astype(np.float64, copy=False)
    if finite and not np.all(np.isfinite(array)):
        raise ValueError(
            f"{name} contains NaN or infinite values; clean or mask them first."
        )
    return array


def as_int(name: str, value, *, minimum: int | None = None) -> int:
    """Return ``value`` as an int, refusing floats, bools and values below ``minimum``.

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
    return value


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


def as_rng(rng) -> np.random.Generator:
    """Return a NumPy Generator from an int seed, a Generator or None.

    Examples
    --------
    >>> float(as_rng(0).random()) == float(np.random.default_rng(0).random())
    True
    """
    if isinstance(rng, np.random.Generator) or rng is None:
        return np.random.default_rng(rng)
    if isinstance(rng, numbers.Integral) and not isinstance(rng, bool):
        return np.random.default_rng(int(rng))
    raise TypeError(
        f"rng must be an int seed, a numpy.random.Generator or None; got {type(rng).__name__}."
    )
