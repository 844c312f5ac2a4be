"""Checks of CIE Lab arrays and of distributions: lightness ``L / 100``, colour ``(a, b)``, probabilities.

The classic Lab mistakes give numbers, not errors, in ``skimage.color.lab2rgb``: lightness in Lab
units (0..100) or as 8-bit values turns the image white, 8-bit ``(a, b)`` (OpenCV stores
``a + 128``) turns it red and yellow, logits taken for probabilities give a wrong mean. Each
check says which range it expected and which it received.
"""

from __future__ import annotations

import numpy as np

from .arrays import _asarray, as_channels

#: Largest size of ``a`` or ``b`` in Lab units: 8-bit Lab encodes -128..127, and no sRGB colour
#: goes beyond about 110.
AB_RANGE = 128.0
#: Slack on a range for float32 rounding (white is ``L / 100 = 1.0000001`` in float32).
RANGE_SLACK = 1e-3
#: How far a row of probabilities may sum from 1 (float32 softmax over hundreds of bins).
SUM_TOLERANCE = 1e-3


def _refuse_integers(name: str, raw: np.ndarray, expected: str, fix: str) -> None:
    if raw.dtype.kind in "ui":
        raise ValueError(f"{name} must be {expected} as floats; got dtype {raw.dtype}. {fix}")


def as_lightness(name: str, value) -> np.ndarray:
    """Return lightness ``L / 100``, shape (..., 1), float64 in [0, 1]; refuse Lab units and 8-bit values.

    Examples
    --------
    >>> as_lightness("lightness", [[0.0], [1.0]]).shape
    (2, 1)
    >>> as_lightness("lightness", [[0.0], [100.0]])
    Traceback (most recent call last):
    ...
    ValueError: lightness must be L / 100 in [0, 1]; got values in [0, 100]. It looks like Lab units (L in 0..100): divide it by 100.
    """
    raw = _asarray(name, value)
    _refuse_integers(name, raw, "L / 100 in [0, 1]", f"Convert it: {name} = {name} / 255 (an 8-bit grey image).")
    lightness = as_channels(name, raw, 1, layout="(..., 1)")
    low, high = float(lightness.min()), float(lightness.max())
    if low < -RANGE_SLACK or high > 1 + RANGE_SLACK:
        if low >= -RANGE_SLACK and high <= 100 + RANGE_SLACK:
            fix = "It looks like Lab units (L in 0..100): divide it by 100."
        elif low >= -RANGE_SLACK and high <= 255:
            fix = "It looks like 0..255: divide it by 255."
        else:
            fix = "Pass the lightness that split_lab returns."
        raise ValueError(f"{name} must be L / 100 in [0, 1]; got values in [{low:.3g}, {high:.3g}]. {fix}")
    return lightness


def as_ab(name: str, value) -> np.ndarray:
    """Return colour ``(a, b)`` in Lab units, shape (..., 2), float64 within ``AB_RANGE``.

    Examples
    --------
    >>> as_ab("ab", [[3.0, -4.0]]).shape
    (1, 2)
    >>> as_ab("ab", [[200.0, 128.0]])
    Traceback (most recent call last):
    ...
    ValueError: ab must be (a, b) in Lab units, within -128..128; got values in [128, 200]. It looks like 8-bit Lab (a + 128, as OpenCV stores it): subtract 128.
    """
    raw = _asarray(name, value)
    _refuse_integers(name, raw, "(a, b) in Lab units, within -128..128",
                     f"8-bit Lab stores a + 128: convert it with {name}.astype(float) - 128.")
    ab = as_channels(name, raw, 2, layout="(..., 2)")
    low, high = float(ab.min()), float(ab.max())
    if low < -AB_RANGE or high > AB_RANGE:
        if low >= 0 and high <= 255:
            fix = "It looks like 8-bit Lab (a + 128, as OpenCV stores it): subtract 128."
        else:
            fix = "Pass the ab that split_lab returns, or decode a prediction with decode_ab."
        raise ValueError(
            f"{name} must be (a, b) in Lab units, within -{AB_RANGE:.0f}..{AB_RANGE:.0f}; "
            f"got values in [{low:.3g}, {high:.3g}]. {fix}"
        )
    return ab


def as_probabilities(name: str, value) -> np.ndarray:
    """Return a distribution over the last axis: floats in [0, 1] whose rows sum to 1.

    Examples
    --------
    >>> as_probabilities("probabilities", [[0.25, 0.75]]).sum(axis=-1)
    array([1.])
    >>> as_probabilities("probabilities", [[-1.0, 2.0]])
    Traceback (most recent call last):
    ...
    ValueError: probabilities must be in [0, 1], each row summing to 1; got values in [-1, 2]. These look like logits: apply a softmax first (sgd.softmax or keras.ops.softmax).
    """
    raw = _asarray(name, value)
    _refuse_integers(name, raw, "probabilities in [0, 1]", "Apply a softmax to the scores first (sgd.softmax).")
    if raw.ndim == 0:
        raise ValueError(f"{name} must hold one probability per bin in its last axis, shape (..., Q); got a 0-d value.")
    probabilities = as_channels(name, raw, raw.shape[-1], layout="(..., Q)")
    low, high = float(probabilities.min()), float(probabilities.max())
    if low < 0 or high > 1 + RANGE_SLACK:
        raise ValueError(
            f"{name} must be in [0, 1], each row summing to 1; got values in [{low:.3g}, {high:.3g}]. "
            "These look like logits: apply a softmax first (sgd.softmax or keras.ops.softmax)."
        )
    sums = probabilities.sum(axis=-1)
    worst = float(sums.flat[np.argmax(np.abs(sums - 1))])
    if abs(worst - 1) > SUM_TOLERANCE:
        raise ValueError(
            f"{name} must sum to 1 over its last axis (one distribution per pixel); got a row summing to {worst:.3g}. "
            "Apply a softmax to scores, or divide by the sum over the last axis."
        )
    return probabilities
