"""Gradient checking: central finite differences and the relative error used to compare gradients.

Re-exported by :mod:`course_lib.batchnorm`, whose chapter checks a hand-derived backward pass
with them.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from course_lib._validation import as_array, as_float

#: Entries of ``x`` a numerical gradient may perturb (each costs two calls of the function).
MAX_GRADCHECK_SIZE = 10_000


def numerical_gradient(function: Callable[[np.ndarray], np.ndarray], x, *, upstream=None, step: float = 1e-5) -> np.ndarray:
    """Centred-difference gradient of ``sum(function(x) * upstream)`` with respect to ``x``.

    Each entry of ``x`` is moved by ``+step`` and ``-step`` in turn:
    ``grad[i] = (L(x + step e_i) - L(x - step e_i)) / (2 step)``. The error is of order
    ``step ** 2``, so with float64 and ``step = 1e-5`` it agrees with an exact gradient to
    about 1e-10 (relative). It costs two calls of ``function`` per entry: use tiny inputs.

    Parameters
    ----------
    function : callable
        Maps an array shaped like ``x`` to an array (or a number).
    x : array_like, any shape
        Where to evaluate the gradient. It is copied, never modified.
    upstream : array_like, shape of ``function(x)``, keyword-only
        Gradient of the loss with respect to ``function``'s output (``dout``); default ones,
        i.e. the gradient of the sum of the outputs.
    step : float > 0, keyword-only

    Returns
    -------
    ndarray, shape of ``x``, float64

    Raises
    ------
    TypeError
        If ``function`` is not callable or ``x`` is not numeric.
    ValueError
        If ``step`` is not positive, or ``upstream`` does not have the shape of ``function(x)``.

    See Also
    --------
    relative_error, batchnorm_backward : what this checks in chapter "Batch Normalization".

    Examples
    --------
    >>> numerical_gradient(lambda v: v ** 2, np.array([1.0, -2.0]))  # d/dv v^2 = 2v
    array([ 2., -4.])
    >>> numerical_gradient(lambda v: 3 * v, np.array([1.0]), upstream=np.array([2.0]))
    array([6.])
    """
    if not callable(function):
        raise TypeError(f"function must be callable; got {type(function).__name__}.")
    x = np.array(as_array("x", x), dtype=np.float64)  # a private copy that we perturb
    if x.size > MAX_GRADCHECK_SIZE:  # two calls of function per entry: a check, not a training loop
        raise ValueError(
            f"x must have at most {MAX_GRADCHECK_SIZE} entries for a numerical gradient (two calls of "
            f"function each); got {x.size} of shape {x.shape}. Check the gradient on a small slice, e.g. x[:4, :5]."
        )
    step = as_float("step", step, minimum=np.finfo(float).tiny)
    output_shape = np.shape(function(x))
    upstream = np.ones(output_shape) if upstream is None else as_array("upstream", upstream)
    if upstream.shape != output_shape:
        raise ValueError(
            f"upstream must have the shape of function(x), {output_shape}; got {upstream.shape}."
        )
    gradient = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        original = x[index]
        x[index] = original + step
        plus = np.sum(np.asarray(function(x), dtype=np.float64) * upstream)
        x[index] = original - step
        minus = np.sum(np.asarray(function(x), dtype=np.float64) * upstream)
        x[index] = original
        gradient[index] = (plus - minus) / (2.0 * step)
    return gradient


def relative_error(a, b) -> float:
    """Relative distance ``||a - b|| / (||a|| + ||b||)`` between two gradients (Frobenius norms).

    It is 0 for identical arrays, at most 1, and does not depend on the scale of the
    gradients. For float64 gradients checked by centred differences, below 1e-8 means the
    analytic gradient is right; around 1e-2 or more means a bug.

    Parameters
    ----------
    a, b : array_like, same shape

    Returns
    -------
    float
        0.0 when both arrays are all zero.

    Raises
    ------
    TypeError
        If an argument is not numeric.
    ValueError
        If the shapes differ or an array holds NaN or infinity.

    See Also
    --------
    numerical_gradient

    Examples
    --------
    >>> relative_error(np.array([1.0, 2.0]), np.array([1.0, 2.0]))
    0.0
    >>> relative_error(np.array([1.0, 0.0]), np.array([0.0, 0.0]))
    1.0
    >>> round(relative_error(np.array([3.0]), np.array([1.0])), 3)  # 2 / 4
    0.5
    """
    a = as_array("a", a)
    b = as_array("b", b)
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape; got {a.shape} and {b.shape}.")
    scale = np.linalg.norm(a) + np.linalg.norm(b)
    return 0.0 if scale == 0 else float(np.linalg.norm(a - b) / scale)
