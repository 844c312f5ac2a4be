"""Batch normalization in NumPy (float64): forward, backward and a gradient checker.

One feature (or channel) is the last axis. For ``x`` of shape (N, D) each of the D features
is normalised over the N examples of the mini-batch; for ``x`` of shape (N, H, W, C) each of
the C channels is normalised over the N * H * W positions, as a convolutional layer needs
(one ``gamma`` and one ``beta`` per channel, shared by every pixel).

The running statistics follow the Keras convention,
``running = momentum * running + (1 - momentum) * batch_statistic``, with the biased
(divide by m) batch variance. Keras' own defaults are ``momentum=0.99`` and ``epsilon=1e-3``;
the defaults here (0.9 and 1e-5) are the ones of the original paper's experiments and most
course notes, so pass Keras' values explicitly when comparing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from course_lib._validation import as_array, as_choice, as_float
from course_lib.batchnorm.gradcheck import numerical_gradient, relative_error

MODES = ("train", "inference")


@dataclass(frozen=True)
class BatchNormCache:
    """What the forward pass keeps for the backward pass, plus the updated running statistics.

    Attributes
    ----------
    x_hat : ndarray, same shape as ``x``
        The normalised input, ``(x - mean) / sqrt(var + eps)``.
    inv_std : ndarray, shape (C,)
        ``1 / sqrt(var + eps)`` with the batch variance (train) or the running one (inference).
    gamma : ndarray, shape (C,)
    mode : {"train", "inference"}
    batch_mean, batch_var : ndarray, shape (C,)
        Statistics of this mini-batch (computed in both modes, used only in train mode).
    running_mean, running_var : ndarray, shape (C,)
        Updated with the batch statistics in train mode; unchanged in inference mode.
    """

    x_hat: np.ndarray
    inv_std: np.ndarray
    gamma: np.ndarray
    mode: str
    batch_mean: np.ndarray
    batch_var: np.ndarray
    running_mean: np.ndarray
    running_var: np.ndarray


def _per_channel(name: str, value, channels: int) -> np.ndarray:
    array = as_array(name, value, ndim=1)
    if array.shape != (channels,):
        raise ValueError(
            f"{name} must have one value per feature, shape ({channels},); got shape {array.shape}. "
            "The features (channels) are the last axis of x."
        )
    return array


def batchnorm_forward(
    x,
    gamma,
    beta,
    *,
    mode: str = "train",
    running_mean=None,
    running_var=None,
    momentum: float = 0.9,
    eps: float = 1e-5,
) -> tuple[np.ndarray, BatchNormCache]:
    """Batch-normalise ``x`` per feature (last axis), then scale by ``gamma`` and shift by ``beta``.

    Train mode uses the statistics of the mini-batch, ``mu = mean(x)`` and
    ``var = mean((x - mu) ** 2)`` over every axis but the last, and updates the running
    statistics; inference mode uses the running statistics instead. In both,
    ``out = gamma * (x - mu) / sqrt(var + eps) + beta``.

    Parameters
    ----------
    x : array_like, shape (N, D) or (N, H, W, C)
        Mini-batch of pre-activations (dense layer) or feature maps (convolutional layer).
    gamma, beta : array_like, shape (C,)
        Learned scale and shift, one per feature (C = D for 2-D input).
    mode : {"train", "inference"}, keyword-only
    running_mean, running_var : array_like, shape (C,), keyword-only
        Running statistics; default zeros and ones, like a freshly built Keras layer.
    momentum : float in [0, 1], keyword-only
        Weight of the old running value: ``running = momentum * running + (1 - momentum) * batch``.
    eps : float > 0, keyword-only
        Added to the variance so that a constant feature does not divide by zero.

    Returns
    -------
    out : ndarray, same shape as ``x``
    cache : BatchNormCache
        Input to :func:`batchnorm_backward`; ``cache.running_mean`` and ``cache.running_var``
        hold the updated running statistics.

    Raises
    ------
    TypeError
        If an array is not numeric or a number is not a number.
    ValueError
        If ``x`` is not 2-D or 4-D, ``gamma``, ``beta`` or a running statistic does not have one
        value per feature, ``running_var`` is negative, ``mode`` is unknown, ``momentum`` is
        outside [0, 1], ``eps`` is negative, or ``eps`` is 0 while a variance is 0.

    See Also
    --------
    batchnorm_backward : the gradients. Chapter "Batch Normalization" derives both.

    Notes
    -----
    With one value per feature (N = 1 for 2-D input) the batch variance is 0, so in train mode
    the output is ``beta`` whatever the input: the layer cannot train on single examples.

    References
    ----------
    S. Ioffe and C. Szegedy, "Batch normalization: accelerating deep network training by
    reducing internal covariate shift", ICML 2015.

    Examples
    --------
    >>> x = np.array([[1.0, 10.0], [3.0, 30.0]])
    >>> out, cache = batchnorm_forward(x, np.ones(2), np.zeros(2), eps=0.0)
    >>> out
    array([[-1., -1.],
           [ 1.,  1.]])
    >>> cache.running_mean  # 0.9 * 0 + 0.1 * [2, 20]
    array([0.2, 2. ])
    >>> out, _ = batchnorm_forward(x, np.ones(2), np.zeros(2), mode="inference", eps=0.0)
    >>> out  # running mean 0 and variance 1: x passes through
    array([[ 1., 10.],
           [ 3., 30.]])
    """
    x = as_array("x", x, ndim=(2, 4), hint="Use (N, D) for dense layers or (N, H, W, C) for feature maps.")
    channels = x.shape[-1]
    gamma = _per_channel("gamma", gamma, channels)
    beta = _per_channel("beta", beta, channels)
    mode = as_choice("mode", mode, MODES)
    running_mean = np.zeros(channels) if running_mean is None else _per_channel("running_mean", running_mean, channels)
    running_var = np.ones(channels) if running_var is None else _per_channel("running_var", running_var, channels)
    if np.any(running_var < 0):
        raise ValueError("running_var must be >= 0 (it is a variance); got a negative value.")
    momentum = as_float("momentum", momentum, minimum=0.0, maximum=1.0)
    eps = as_float("eps", eps, minimum=0.0)
    axes = tuple(range(x.ndim - 1))  # every axis but the features
    batch_mean = x.mean(axis=axes)  # (C,)
    batch_var = x.var(axis=axes)  # (C,), biased: divides by m = N (or N * H * W)
    if mode == "train":
        mean, var = batch_mean, batch_var
        running_mean = momentum * running_mean + (1.0 - momentum) * batch_mean
        running_var = momentum * running_var + (1.0 - momentum) * batch_var
    else:
        mean, var = running_mean, running_var
    if np.any(var + eps <= 0):
        raise ValueError(
            "eps must be > 0 when a feature has zero variance; got eps=0 with a constant feature."
        )
    inv_std = 1.0 / np.sqrt(var + eps)  # (C,), broadcasts over the last axis
    x_hat = (x - mean) * inv_std
    out = gamma * x_hat + beta
    cache = BatchNormCache(x_hat, inv_std, gamma, mode, batch_mean, batch_var,
                           np.array(running_mean), np.array(running_var))
    return out, cache


def batchnorm_backward(dout, cache: BatchNormCache) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradients of the loss with respect to ``x``, ``gamma`` and ``beta``.

    With ``g = dout * gamma`` and sums over the m values of each feature, train mode gives
    ``dx = inv_std / m * (m * g - sum(g) - x_hat * sum(g * x_hat))``: the two sums are the
    paths through the batch mean and the batch variance. Inference mode uses fixed statistics,
    so ``dx = g * inv_std``. In both, ``dgamma = sum(dout * x_hat)`` and ``dbeta = sum(dout)``.

    Parameters
    ----------
    dout : array_like, same shape as the forward input
        Gradient of the loss with respect to the output of :func:`batchnorm_forward`.
    cache : BatchNormCache
        The second value returned by :func:`batchnorm_forward`.

    Returns
    -------
    dx : ndarray, same shape as ``dout``
    dgamma, dbeta : ndarray, shape (C,)

    Raises
    ------
    TypeError
        If ``cache`` is not a :class:`BatchNormCache` or ``dout`` is not numeric.
    ValueError
        If ``dout`` does not have the shape of the forward input.

    See Also
    --------
    batchnorm_forward, numerical_gradient : the check of these formulas.

    References
    ----------
    S. Ioffe and C. Szegedy, "Batch normalization: accelerating deep network training by
    reducing internal covariate shift", ICML 2015.

    Examples
    --------
    >>> x = np.array([[1.0], [3.0]])
    >>> out, cache = batchnorm_forward(x, np.ones(1), np.zeros(1), eps=0.0)
    >>> dx, dgamma, dbeta = batchnorm_backward(np.array([[1.0], [1.0]]), cache)
    >>> dx  # shifting every output by the same amount is undone by the mean: no gradient
    array([[0.],
           [0.]])
    >>> dgamma, dbeta
    (array([0.]), array([2.]))
    """
    if not isinstance(cache, BatchNormCache):
        raise TypeError(
            f"cache must be the BatchNormCache returned by batchnorm_forward; got {type(cache).__name__}."
        )
    dout = as_array("dout", dout, ndim=cache.x_hat.ndim)
    if dout.shape != cache.x_hat.shape:
        raise ValueError(
            f"dout must have the shape of the forward input {cache.x_hat.shape}; got {dout.shape}."
        )
    axes = tuple(range(dout.ndim - 1))
    x_hat = cache.x_hat
    dbeta = dout.sum(axis=axes)  # (C,)
    dgamma = (dout * x_hat).sum(axis=axes)  # (C,)
    g = dout * cache.gamma  # gradient with respect to x_hat
    if cache.mode == "inference":
        return g * cache.inv_std, dgamma, dbeta
    m = dout.size // dout.shape[-1]  # values per feature
    dx = cache.inv_std / m * (m * g - g.sum(axis=axes) - x_hat * (g * x_hat).sum(axis=axes))
    return dx, dgamma, dbeta


def epochs_to_target(values: Sequence[float], target: float) -> int | None:
    """First epoch (counted from 1) at which a learning curve reaches ``target``, or None.

    Parameters
    ----------
    values : sequence of float, shape (epochs,)
        A metric per epoch, e.g. ``history.history["val_accuracy"]``; higher is better.
    target : float

    Returns
    -------
    int or None
        None when the curve never reaches the target.

    Raises
    ------
    TypeError, ValueError
        If ``values`` is not a non-empty 1-D numeric sequence or ``target`` is not a number.

    See Also
    --------
    course_lib.plotting.batchnorm.plot_runs : draws the curves with the target.

    Examples
    --------
    >>> epochs_to_target([0.5, 0.8, 0.95, 0.97], 0.9)
    3
    >>> epochs_to_target([0.5, 0.6], 0.9) is None
    True
    """
    values = as_array("values", values, ndim=1)
    target = as_float("target", target)
    reached = np.flatnonzero(values >= target)
    return int(reached[0]) + 1 if reached.size else None
