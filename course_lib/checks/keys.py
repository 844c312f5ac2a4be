"""Answer keys that do not reveal the answer: salted SHA-256 hashes of a canonical form.

A key entry stores ``hash`` (SHA-256 of the exercise id, a NUL byte and the canonical text),
``shape`` (which a wrong-shape diagnosis may say) and, for numbers, ``offset``: the shift that puts
the right value in the middle of its quantisation bin, so that every value within the exercise's
tolerance hashes the same. Canonical forms by kind:

- ``"integers"``: whole numbers (a scalar or a list), exactly;
- ``"numbers"``: numbers quantised at the tolerance, ``round(value / (2 * tolerance) + offset)``;
- ``"choice"`` and ``"text"``: the string stripped and lower-cased (a choice also loses brackets).
"""

from __future__ import annotations

import hashlib

import numpy as np

KINDS = ("integers", "numbers", "choice", "text")


class AnswerFormError(ValueError):
    """The student's answer cannot be read as the exercise's kind; the message is for the student."""


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(map(repr, KINDS))}; got {kind!r}.")


def _numbers(value, kind: str) -> np.ndarray:
    if isinstance(value, (str, bytes)):
        raise AnswerFormError(f"Expected a number or a list of numbers; got the string {value!r}.")
    try:
        array = np.asarray(value)
        if array.dtype == bool:
            raise AnswerFormError("Expected numbers; got True/False values.")
        array = array.astype(float)
    except (TypeError, ValueError) as error:
        if isinstance(error, AnswerFormError):
            raise
        raise AnswerFormError(f"Expected a number or a list of numbers; got {type(value).__name__}.") from None
    if not np.all(np.isfinite(array)):
        raise AnswerFormError("Your answer holds nan or inf: check for a division by zero or an overflow.")
    if kind == "integers" and not np.all(array == np.round(array)):
        raise AnswerFormError("Expected whole numbers; your answer has a fractional part.")
    return array


def _text(value, kind: str) -> str:
    if not isinstance(value, str):
        example = '"a"' if kind == "choice" else "a word"
        raise AnswerFormError(f"Expected a string such as {example}; got {type(value).__name__}.")
    text = value.strip().lower()
    return text.strip("()[]. ") if kind == "choice" else text


def canonical(value, kind: str, *, tolerance: float = 0.0, offset=None) -> str:
    """The canonical text of ``value`` that is hashed for an exercise of ``kind``.

    Parameters
    ----------
    value
        An answer: a number, a list or array of numbers, or a string.
    kind : {"integers", "numbers", "choice", "text"}
    tolerance : float, keyword-only
        For ``"numbers"``: answers within ``tolerance`` of the key's value hash the same.
    offset : float or array_like, optional, keyword-only
        For ``"numbers"``: the key's bin offset (one per value), see :func:`make_entry`.

    Returns
    -------
    str

    Raises
    ------
    AnswerFormError
        If ``value`` cannot be read as ``kind`` (a string for a number, a fraction for an integer).
    ValueError
        If ``kind`` is unknown, or ``tolerance`` is not positive for ``"numbers"``.

    Examples
    --------
    >>> canonical(" (B) ", "choice")
    'b'
    >>> canonical([16, 16.0], "integers")
    'integers(2,):[16, 16]'
    >>> canonical(0.30000000000000004, "numbers", tolerance=0.05, offset=0.0)
    'numbers():3'
    """
    _check_kind(kind)
    if kind in ("choice", "text"):
        return _text(value, kind)
    array = _numbers(value, kind)
    if kind == "integers":
        return f"integers{array.shape}:{array.astype(np.int64).tolist()}"
    if not tolerance > 0:
        raise ValueError(f"tolerance must be positive for numbers; got {tolerance!r}.")
    shift = np.zeros(array.shape) if offset is None else np.asarray(offset, dtype=float).reshape(array.shape)
    bins = np.round(array / (2 * tolerance) + shift).astype(np.int64)
    return f"numbers{array.shape}:{bins.tolist()}"


def shape_of(value) -> tuple | None:
    """The shape of a number or (nested) list, or None for a ragged list or a string.

    Examples
    --------
    >>> shape_of([1.0, 2.0]), shape_of(3), shape_of([[1], [2, 3]]), shape_of("ab")
    ((2,), (), None, None)
    """
    if isinstance(value, (str, bytes)):
        return None
    try:
        return tuple(np.shape(value))
    except ValueError:  # a ragged list
        return None


def digest(exercise_id: str, text: str) -> str:
    """SHA-256 of ``text`` salted with the exercise id, as hexadecimal.

    Examples
    --------
    >>> digest("4.3", "a") == digest("4.3", "a") != digest("3.3", "a")
    True
    """
    return hashlib.sha256(f"{exercise_id}\0{text}".encode()).hexdigest()


def make_entry(exercise_id: str, value, kind: str, *, tolerance: float = 0.0) -> dict:
    """The key entry for ``value``: its hash, its shape and, for numbers, the bin offsets.

    Parameters
    ----------
    exercise_id : str
        The salt.
    value, kind, tolerance
        As for :func:`canonical`.

    Returns
    -------
    dict
        ``{"hash": str, "shape": list}`` plus ``"offset"`` (a list of floats) for numbers.

    Raises
    ------
    AnswerFormError
        If ``value`` cannot be read as ``kind``.

    Examples
    --------
    >>> entry = make_entry("4.2", [1.85, -1.0], "numbers", tolerance=1e-6)
    >>> entry["shape"], matches("4.2", [1.8500009, -1.0], entry, "numbers", tolerance=1e-6)
    ([2], True)
    """
    entry: dict = {}
    if kind == "numbers":
        scaled = _numbers(value, kind) / (2 * tolerance)
        entry["offset"] = (np.round(np.round(scaled) - scaled, 6).ravel() + 0.0).tolist()  # + 0.0: no -0.0
    entry["hash"] = digest(exercise_id, canonical(value, kind, tolerance=tolerance, offset=entry.get("offset")))
    entry["shape"] = list(np.shape(value)) if kind in ("integers", "numbers") else []
    return dict(sorted(entry.items()))


def matches(exercise_id: str, value, entry: dict, kind: str, *, tolerance: float = 0.0) -> bool:
    """Whether ``value`` hashes to the key ``entry`` (False for a value of another shape or form).

    Examples
    --------
    >>> entry = make_entry("1.1", 55, "integers")
    >>> matches("1.1", 55, entry, "integers"), matches("1.1", 54, entry, "integers"), matches("1.1", "x", entry, "integers")
    (True, False, False)
    """
    if kind in ("integers", "numbers") and shape_of(value) != tuple(entry["shape"]):
        return False
    try:
        text = canonical(value, kind, tolerance=tolerance, offset=entry.get("offset"))
    except AnswerFormError:
        return False
    return digest(exercise_id, text) == entry["hash"]
