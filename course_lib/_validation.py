"""Shared input checks: every public function validates its arguments here.

Each check raises ``TypeError`` or ``ValueError`` with a message that names the
argument, says what was expected and what was given, and how to fix it.
"""

from __future__ import annotations

import numbers
import os
from collections.abc import Iterable, Mapping
from pathlib import Path

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
    array = _asarray(name, value)
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


def _asarray(name: str, value) -> np.ndarray:
    """``np.asarray`` whose failure on a ragged list names the argument (NumPy's message does not)."""
    try:
        return np.asarray(value)
    except (ValueError, TypeError):
        raise ValueError(
            f"{name} must be a rectangular array; got a ragged sequence (rows of different lengths "
            "or mixed nesting). Give every row the same length, or pass a NumPy array."
        ) from None


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


#: How far a noisy image may exceed [0, 1] (Gaussian noise of sigma 0.3 stays within 1.5 at 5 sigma).
NOISY_TOLERANCE = 2.0

#: Integer image types as they come from files, and the value that means white.
IMAGE_INTEGER_MAX = {np.dtype(np.uint8): 255, np.dtype(np.uint16): 65535}


def as_image(
    name: str,
    value,
    *,
    ndim: int | Iterable[int] = (2, 3),
    hint: str = "",
    tolerance: float = 0.0,
    convert: bool = False,
    channels: Iterable[int] | None = None,
) -> np.ndarray:
    """Return an image as float64 in [0, 1], refusing 8-bit and 0..255 images where [0, 1] is expected.

    A ``uint8``/``uint16`` image is converted (divided by 255/65535, as ``skimage.img_as_float``
    does) when ``convert`` is True and refused otherwise. Values may exceed [0, 1] by
    ``tolerance`` (noisy images do); beyond that the message says how to rescale. ``channels``
    lists the channel counts allowed for a (H, W, C) image.

    Examples
    --------
    >>> as_image("image", np.array([[0, 255]], dtype=np.uint8), convert=True)
    array([[0., 1.]])
    >>> as_image("image", np.array([[0, 255]], dtype=np.uint8))
    Traceback (most recent call last):
    ...
    ValueError: image must be a float image in [0, 1]; got dtype uint8 (values 0..255). Convert it first: image = skimage.img_as_float(image).
    >>> as_image("image", [[0.0, 200.0]])
    Traceback (most recent call last):
    ...
    ValueError: image must lie in [0, 1]; got values in [0, 200]. It looks like 0..255: divide it by 255.
    """
    if isinstance(value, (str, bytes)) or value is None:
        raise TypeError(f"{name} must be a numeric array; got {type(value).__name__}.")
    raw = _asarray(name, value)
    white = IMAGE_INTEGER_MAX.get(raw.dtype)
    if white is not None and not convert:
        raise ValueError(
            f"{name} must be a float image in [0, 1]; got dtype {raw.dtype} (values 0..{white}). "
            f"Convert it first: {name} = skimage.img_as_float({name})."
        )
    array = as_array(name, raw, ndim=ndim, hint=hint)
    if channels is not None and array.ndim == 3 and array.shape[-1] not in tuple(channels):
        allowed = " or ".join(str(c) for c in channels)
        raise ValueError(
            f"{name} must have {allowed} channels in its last axis; got shape {array.shape}. "
            f"Pick the channels to show, e.g. {name}[..., :3]."
        )
    if white is not None:
        return array / white
    low, high = float(array.min()), float(array.max())
    if low < -tolerance or high > 1.0 + tolerance:
        span = "[0, 1]" if tolerance == 0 else f"[0, 1] (give or take {tolerance:g})"
        if 1.0 + tolerance < high <= 255.0 and low >= -tolerance - 1.0 and high > 2.0:
            fix = "It looks like 0..255: divide it by 255."
        else:
            fix = f"Rescale it, e.g. ({name} - {name}.min()) / ({name}.max() - {name}.min())."
        raise ValueError(f"{name} must lie in {span}; got values in [{low:.3g}, {high:.3g}]. {fix}")
    return array


def as_labels(name: str, value, *, ndim: int | Iterable[int] | None = 1, classes: int | None = None) -> np.ndarray:
    """Return class labels as an int64 array, refusing fractional, negative or too large values.

    Float arrays holding whole numbers (``3.0``) are accepted; ``5.7`` is refused, never truncated.
    Booleans are classes 0 and 1. ``ndim=None`` accepts any shape (label maps).

    Examples
    --------
    >>> as_labels("labels", [0.0, 2.0, 1.0])
    array([0, 2, 1])
    >>> as_labels("labels", [0, 5.7])
    Traceback (most recent call last):
    ...
    ValueError: labels must be whole class numbers; got 5.7 at index (1,). Round or argmax your predictions first (probabilities.argmax(axis=-1)).
    """
    array = as_array(name, value, ndim=ndim)
    fractional = array != np.round(array)
    if np.any(fractional):
        index = tuple(int(i) for i in np.argwhere(fractional)[0])
        raise ValueError(
            f"{name} must be whole class numbers; got {array[index]:g} at index {index}. "
            "Round or argmax your predictions first (probabilities.argmax(axis=-1))."
        )
    if array.min() < 0:
        raise ValueError(f"{name} must be >= 0 (class numbers); got {array.min():g}.")
    if classes is not None and array.max() >= classes:
        raise ValueError(f"{name} must be < {classes} (the number of classes); got {array.max():g}.")
    return array.astype(np.int64)


def as_kernel(
    name: str,
    value,
    *,
    ndim: int | Iterable[int] = 2,
    nonzero_sum: bool = False,
    nonnegative: bool = False,
    hint: str = "",
    method: str = "this method",
) -> np.ndarray:
    """Return a finite kernel, optionally refusing a zero sum or negative weights.

    Examples
    --------
    >>> as_kernel("kernel", np.zeros((3, 3)), nonzero_sum=True, method="Wiener deconvolution")
    Traceback (most recent call last):
    ...
    ValueError: kernel must have a non-zero sum for Wiener deconvolution; got sum 0. Pass the blur kernel, e.g. corruption.motion_blur_kernel(9, 0).
    """
    kernel = as_array(name, value, ndim=ndim, hint=hint)
    if nonnegative and kernel.min() < 0:
        raise ValueError(
            f"{name} must be non-negative for {method} (a blur spreads light, it never removes it); "
            f"got a minimum of {kernel.min():.3g}. Use a blur kernel, e.g. corruption.motion_blur_kernel(9, 0)."
        )
    total = float(kernel.sum())
    if nonzero_sum and abs(total) < 1e-12:
        raise ValueError(
            f"{name} must have a non-zero sum for {method}; got sum {total:.3g}. "
            "Pass the blur kernel, e.g. corruption.motion_blur_kernel(9, 0)."
        )
    return kernel
