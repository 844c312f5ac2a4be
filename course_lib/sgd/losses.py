"""Classification losses over a softmax, computed stably (NumPy)."""

from __future__ import annotations

import numpy as np

from course_lib._validation import _asarray, as_array, as_axis, as_labels


def _labels(labels, n: int, classes: int | None) -> np.ndarray:
    """Class indices, shape (n,), int64; ``classes=None`` when the labels themselves set K."""
    array = _asarray("labels", labels)
    if array.dtype == bool or not np.issubdtype(array.dtype, np.integer):
        if not (array.dtype.kind == "f" and array.size and np.all(array == np.round(array))):
            raise TypeError(f"labels must be integer class indices; got dtype {array.dtype}. "
                            "Pass class numbers 0..K-1, not one-hot rows or probabilities.")
    if array.shape != (n,):
        raise ValueError(f"labels must have shape ({n},), one per row of logits; got {array.shape}.")
    if classes is not None and (array.min() < 0 or array.max() >= classes):
        raise ValueError(f"labels must be in 0..{classes - 1}; got values from {array.min():g} to {array.max():g}.")
    return as_labels("labels", array, classes=classes)  # whole floats (3.0) become ints, 1e300 is refused


def logsumexp(logits, *, axis: int = -1) -> np.ndarray:
    """``log(sum(exp(logits)))`` along ``axis``, without overflow.

    Subtracting the largest value first, ``m + log(sum(exp(z - m)))``, gives the same number
    while every exponent is at most 0, so logits of 1000 do not overflow to ``inf``.

    Parameters
    ----------
    logits : array_like, any shape
    axis : int, keyword-only

    Returns
    -------
    ndarray, the shape of ``logits`` without ``axis``

    Raises
    ------
    TypeError, ValueError
        If ``logits`` is not numeric, is 0-d, is empty or holds NaN/inf, or ``axis`` is not one of
        its axes.

    Examples
    --------
    >>> float(logsumexp([0.0, 0.0]))  # log 2
    0.6931471805599453
    >>> float(logsumexp([1000.0, 1000.0]))  # exp(1000) overflows; this does not
    1000.6931471805599
    """
    logits = as_array("logits", logits)
    axis = as_axis("axis", axis, logits.shape, array="logits")
    largest = np.max(logits, axis=axis, keepdims=True)
    return np.squeeze(largest, axis=axis) + np.log(np.sum(np.exp(logits - largest), axis=axis))


def softmax(logits, *, axis: int = -1) -> np.ndarray:
    """Probabilities ``exp(z_k) / sum_j exp(z_j)`` along ``axis`` (stable).

    Parameters
    ----------
    logits : array_like, any shape but 0-d
    axis : int, keyword-only

    Returns
    -------
    ndarray, the shape of ``logits``, each slice along ``axis`` summing to 1

    Raises
    ------
    TypeError, ValueError
        As :func:`logsumexp`.

    Examples
    --------
    >>> softmax([0.0, np.log(3.0)]).round(3)
    array([0.25, 0.75])
    >>> softmax([1000.0, 0.0]).round(3)
    array([1., 0.])
    """
    logits = as_array("logits", logits)
    axis = as_axis("axis", axis, logits.shape, array="logits")
    shifted = logits - np.max(logits, axis=axis, keepdims=True)
    exponentials = np.exp(shifted)
    return exponentials / np.sum(exponentials, axis=axis, keepdims=True)


def softmax_cross_entropy(logits, labels) -> tuple[float, np.ndarray]:
    """Mean cross-entropy of a softmax over ``logits`` and its gradient with respect to them.

    For one example with logits ``z`` and true class ``y`` the loss is
    ``-log softmax(z)_y = logsumexp(z) - z_y``; its gradient is ``softmax(z) - onehot(y)``.
    The mean over N examples divides both by N.

    Parameters
    ----------
    logits : array_like, shape (N, K)
        Unnormalised class scores.
    labels : array_like of int, shape (N,)
        True classes in 0..K-1.

    Returns
    -------
    loss : float
    gradient : ndarray, shape (N, K)
        d loss / d logits.

    Raises
    ------
    TypeError
        If ``labels`` are not integers (one-hot rows, probabilities).
    ValueError
        If ``logits`` is not 2-D or ``labels`` has the wrong length or a class out of range.

    See Also
    --------
    zero_one_loss : the loss we actually care about, which has no useful gradient.

    Examples
    --------
    >>> loss, gradient = softmax_cross_entropy([[0.0, 0.0]], [1])
    >>> round(loss, 4)  # log 2: a uniform guess over two classes
    0.6931
    >>> gradient
    array([[ 0.5, -0.5]])
    """
    logits = as_array("logits", logits, ndim=2, hint="Pass one row of class scores per example.")
    labels = _labels(labels, *logits.shape)
    n = logits.shape[0]
    rows = np.arange(n)
    loss = float(np.mean(logsumexp(logits) - logits[rows, labels]))
    gradient = softmax(logits)
    gradient[rows, labels] -= 1.0
    return loss, gradient / n


def zero_one_loss(logits, labels) -> float:
    """Fraction of examples whose largest logit is not the true class (the error rate).

    It is piecewise constant in the logits: moving them a little almost never changes it,
    so its gradient is zero almost everywhere and gradient descent cannot use it.

    Examples
    --------
    >>> zero_one_loss([[2.0, 1.0], [0.0, 3.0]], [0, 0])
    0.5
    """
    logits = as_array("logits", logits, ndim=2, hint="Pass one row of class scores per example.")
    labels = _labels(labels, *logits.shape)
    return float(np.mean(np.argmax(logits, axis=1) != labels))
