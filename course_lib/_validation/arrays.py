"""Checks of array arguments: arrays of a given shape, images (dtype and value range), labels, kernels.

Each check raises ``TypeError`` or ``ValueError`` with a message that names the argument, says
what was expected and what was given, and how to fix it.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from .scalars import as_float


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


#: How far a noisy image may exceed [0, 1] (Gaussian noise of sigma 0.3 stays within 1.5 at 5 sigma).
NOISY_TOLERANCE = 2.0

#: Integer image types as they come from files, and the value that means white.
IMAGE_INTEGER_MAX = {np.dtype(np.uint8): 255, np.dtype(np.uint16): 65535}

#: Largest label :func:`as_labels` takes: every whole float64 up to it is an exact int64.
LABEL_LIMIT = 2**53


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

    Float arrays holding whole numbers (``3.0``) are accepted; ``5.7`` is refused, never truncated,
    and so is a whole number too large to be a class (``1e300``, above ``LABEL_LIMIT``), which a
    cast to int64 would turn into another class. Booleans are classes 0 and 1. ``ndim=None``
    accepts any shape (label maps).

    Examples
    --------
    >>> as_labels("labels", [0.0, 2.0, 1.0])
    array([0, 2, 1])
    >>> as_labels("labels", [0, 5.7])
    Traceback (most recent call last):
    ...
    ValueError: labels must be whole class numbers; got 5.7 at index (1,). Round or argmax your predictions first (probabilities.argmax(axis=-1)).
    >>> as_labels("labels", [0.0, 1e300])
    Traceback (most recent call last):
    ...
    ValueError: labels must be class numbers up to 9007199254740992 at most; got 1e+300 at index (1,). Pass class indices 0 .. C - 1, e.g. probabilities.argmax(axis=-1).
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
    if array.max() > LABEL_LIMIT:  # a float beyond 2**53 is whole but no class: int64 would garble it
        index = tuple(int(i) for i in np.unravel_index(np.argmax(array), array.shape))
        raise ValueError(
            f"{name} must be class numbers up to {LABEL_LIMIT:.0f} at most; got {array.max():g} at index {index}. "
            "Pass class indices 0 .. C - 1, e.g. probabilities.argmax(axis=-1)."
        )
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


def as_channels(name: str, value, channels: int, *, min_ndim: int = 1, layout: str = "(..., C)") -> np.ndarray:
    """Return a float64 array whose last axis holds ``channels`` values, refusing 0-d and short arrays.

    ``layout`` spells the expected shape in the message, e.g. ``"(..., H, W, 3)"``.

    Examples
    --------
    >>> as_channels("ab", [[3.0, 4.0]], 2).shape
    (1, 2)
    >>> as_channels("ab", 5.0, 2, layout="(..., 2)")
    Traceback (most recent call last):
    ...
    ValueError: ab must have 2 channels in its last axis, shape (..., 2); got a 0-d value (shape ()). Pass an array of shape (..., 2).
    """
    array = as_array(name, value)
    if array.ndim == 0:
        raise ValueError(
            f"{name} must have {channels} channels in its last axis, shape {layout}; got a 0-d value (shape ()). "
            f"Pass an array of shape {layout}."
        )
    if array.ndim < min_ndim or array.shape[-1] != channels:
        raise ValueError(f"{name} must have {channels} channels in its last axis, shape {layout}; got shape {array.shape}.")
    return array
