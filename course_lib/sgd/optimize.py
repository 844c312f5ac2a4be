"""Stochastic gradient descent for softmax (multinomial logistic) regression, in NumPy.

The model is ``logits = features @ weights`` with ``weights`` of shape (D, K); a bias is the
weight of a constant feature added by :func:`with_bias`. The chapter writes the SGD loop out
in full once; :func:`run_sgd` is the same loop, used for sweeps over many settings.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from course_lib import _limits
from course_lib._limits import check_memory
from course_lib._validation import as_array, as_float, as_int, as_rng
from course_lib.sgd.losses import _labels, softmax_cross_entropy


def with_bias(features) -> np.ndarray:
    """Flatten each example and append a constant 1, whose weight acts as the bias.

    Parameters
    ----------
    features : array_like, shape (N, ...)

    Returns
    -------
    ndarray, shape (N, D + 1), float64

    Examples
    --------
    >>> with_bias(np.zeros((2, 2, 2)))
    array([[0., 0., 0., 0., 1.],
           [0., 0., 0., 0., 1.]])
    """
    features = as_array("features", features)
    if features.ndim < 2:
        raise ValueError(f"features must have one row per example, at least 2-D; got shape {features.shape}.")
    flat = features.reshape(len(features), -1)
    return np.hstack([flat, np.ones((len(flat), 1))])


def _check_problem(weights, features, labels):
    features = as_array("features", features, ndim=2, hint="Use with_bias(images) to flatten them.")
    weights = as_array("weights", weights, ndim=2)
    if weights.shape[0] != features.shape[1]:
        raise ValueError(f"weights must have {features.shape[1]} rows, one per feature; got shape {weights.shape}.")
    labels = _labels(labels, features.shape[0], weights.shape[1])
    return weights, features, labels


def softmax_regression_loss(weights, features, labels, *, weight_decay: float = 0.0) -> tuple[float, np.ndarray]:
    """Mean cross-entropy of ``softmax(features @ weights)`` plus ``weight_decay / 2 * ||weights||^2``.

    Parameters
    ----------
    weights : array_like, shape (D, K)
    features : array_like, shape (N, D)
    labels : array_like of int, shape (N,)
    weight_decay : float >= 0, keyword-only
        Strength of the L2 penalty (every weight, the bias row too).

    Returns
    -------
    loss : float
    gradient : ndarray, shape (D, K)
        ``features.T @ d loss / d logits + weight_decay * weights``.

    Raises
    ------
    ValueError, TypeError
        On shapes that do not fit together, labels out of range or a negative ``weight_decay``.

    Examples
    --------
    >>> loss, gradient = softmax_regression_loss(np.zeros((2, 3)), np.ones((4, 2)), [0, 1, 2, 0])
    >>> round(loss, 4), gradient.shape  # all-zero weights: a uniform guess, loss log 3
    (1.0986, (2, 3))
    """
    weights, features, labels = _check_problem(weights, features, labels)
    weight_decay = as_float("weight_decay", weight_decay, minimum=0.0)
    loss, logit_gradient = softmax_cross_entropy(features @ weights, labels)
    loss += 0.5 * weight_decay * float(np.sum(weights ** 2))
    return loss, features.T @ logit_gradient + weight_decay * weights


def sgd_step(weights, gradient, *, learning_rate: float, weight_decay: float = 0.0) -> np.ndarray:
    """One SGD step with weight decay: ``weights - learning_rate * (gradient + weight_decay * weights)``.

    ``gradient`` is the gradient of the data loss alone; the decay term is the gradient of
    ``weight_decay / 2 * ||weights||^2``, which shrinks every weight towards 0.

    Raises
    ------
    ValueError
        If the shapes differ or ``learning_rate`` / ``weight_decay`` is negative.

    Examples
    --------
    >>> sgd_step(np.array([1.0, -2.0]), np.array([0.5, 0.5]), learning_rate=0.1, weight_decay=1.0)
    array([ 0.85, -1.85])
    """
    weights = as_array("weights", weights)
    gradient = as_array("gradient", gradient)
    if gradient.shape != weights.shape:
        raise ValueError(f"gradient must have the shape of weights, {weights.shape}; got {gradient.shape}.")
    learning_rate = as_float("learning_rate", learning_rate, minimum=0.0)
    weight_decay = as_float("weight_decay", weight_decay, minimum=0.0)
    return weights - learning_rate * (gradient + weight_decay * weights)


def batch_indices(n: int, batch_size: int, *, rng=None) -> np.ndarray:
    """``batch_size`` distinct example indices drawn uniformly from ``range(n)``.

    Examples
    --------
    >>> batch = batch_indices(10, 4, rng=0)
    >>> len(set(batch.tolist())), bool(batch.max() < 10)
    (4, True)
    """
    n = as_int("n", n, minimum=1)
    batch_size = as_int("batch_size", batch_size, minimum=1)
    if batch_size > n:
        raise ValueError(f"batch_size must be at most n={n}; got {batch_size}.")
    return as_rng(rng).choice(n, size=batch_size, replace=False)


def predict(weights, features) -> np.ndarray:
    """Predicted class of each row: ``argmax(features @ weights)``.

    Examples
    --------
    >>> predict(np.eye(2), np.array([[2.0, 1.0], [0.0, 1.0]]))
    array([0, 1])
    """
    features = as_array("features", features, ndim=2)
    weights = as_array("weights", weights, ndim=2)
    if weights.shape[0] != features.shape[1]:
        raise ValueError(f"weights must have {features.shape[1]} rows, one per feature; got shape {weights.shape}.")
    return np.argmax(features @ weights, axis=1)


@dataclass
class SGDRun:
    """What :func:`run_sgd` returns: final weights and the full training loss along the way."""

    weights: np.ndarray
    steps: np.ndarray  # (M,) step numbers at which the loss was measured (0 = before training)
    losses: np.ndarray  # (M,) full-data loss (with the penalty) at those steps

    def table(self) -> pd.DataFrame:
        """The loss curve as a table with columns ``step`` and ``loss``."""
        return pd.DataFrame({"step": self.steps, "loss": self.losses})


def run_sgd(features, labels, *, learning_rates, batch_size: int, weight_decay: float = 0.0,
            momentum: float = 0.0, weights=None, rng=0, record_every: int = 10) -> SGDRun:
    """Minimise :func:`softmax_regression_loss` by mini-batch SGD (with optional momentum).

    At step ``t`` a batch of ``batch_size`` examples is drawn with :func:`batch_indices`, its
    gradient ``g`` computed, and ``velocity = momentum * velocity - rate_t * g``,
    ``weights += velocity`` (with ``momentum=0`` this is :func:`sgd_step`).

    Parameters
    ----------
    features : array_like, shape (N, D)
    labels : array_like of int, shape (N,)
    learning_rates : array_like, shape (T,)
        One rate per step (see :func:`~course_lib.sgd.learning_rates`); T is the number of steps.
    batch_size : int in 1..N, keyword-only
    weight_decay : float >= 0, keyword-only
    momentum : float in [0, 1), keyword-only
    weights : array_like, shape (D, K), optional
        Starting point; default zeros with K = labels.max() + 1 (at least 2), whole float labels
        (``2.0``) included.
    rng : int, Generator or None, keyword-only
    record_every : int >= 1, keyword-only
        Measure the full training loss every this many steps (and at the end).

    Returns
    -------
    SGDRun

    Raises
    ------
    ValueError, TypeError
        On mismatched shapes, a negative rate, ``momentum`` outside [0, 1) or a ``batch_size``
        larger than N.

    Examples
    --------
    >>> features = with_bias(np.array([[0.0], [1.0], [2.0], [3.0]]))
    >>> run = run_sgd(features, [0, 0, 1, 1], learning_rates=np.full(200, 0.5), batch_size=2, record_every=100)
    >>> run.steps.tolist(), bool(run.losses[-1] < run.losses[0])
    ([0, 100, 200], True)
    >>> predict(run.weights, features).tolist()
    [0, 0, 1, 1]
    """
    rates = as_array("learning_rates", learning_rates, ndim=1)
    if np.any(rates < 0):
        raise ValueError("learning_rates must be >= 0 at every step; got a negative rate.")
    features = as_array("features", features, ndim=2, hint="Use with_bias(images) to flatten them.")
    if weights is None:  # K from the labels: whole floats (2.0) count as integers do
        classes = int(_labels(labels, len(features), None).max()) + 1
        check_memory(float(features.shape[1]) * classes, what="the default weights (D, K)", argument="labels",
                     fix=f"labels hold class {classes - 1}, so K = {classes}; pass class numbers 0..K-1, or weights")
        weights = np.zeros((features.shape[1], max(classes, 2)))
    weights, features, labels = _check_problem(weights, features, labels)
    weights = weights.copy()
    batch_size = as_int("batch_size", batch_size, minimum=1)
    if batch_size > len(features):
        raise ValueError(f"batch_size must be at most the number of examples, {len(features)}; got {batch_size}.")
    weight_decay = as_float("weight_decay", weight_decay, minimum=0.0)
    momentum = as_float("momentum", momentum, minimum=0.0)
    if momentum >= 1.0:
        raise ValueError(f"momentum must be < 1 (0.9 is usual); got {momentum}.")
    record_every = as_int("record_every", record_every, minimum=1)
    generator = as_rng(rng)
    velocity = np.zeros_like(weights)
    steps, losses = [0], [softmax_regression_loss(weights, features, labels, weight_decay=weight_decay)[0]]
    for step, rate in enumerate(rates, start=1):
        batch = generator.choice(len(features), size=batch_size, replace=False)
        _, gradient = softmax_regression_loss(weights, features[batch], labels[batch], weight_decay=weight_decay)
        velocity = momentum * velocity - rate * gradient
        weights += velocity
        if step % record_every == 0 or step == len(rates):
            steps.append(step)
            losses.append(softmax_regression_loss(weights, features, labels, weight_decay=weight_decay)[0])
    return SGDRun(weights=weights, steps=np.array(steps), losses=np.array(losses))


def gradient_spread(features, labels, weights, *, batch_sizes, repeats: int = 50, rng=0) -> pd.DataFrame:
    """How far mini-batch gradients fall from the full gradient, for each batch size.

    For each batch size B, ``repeats`` batches are drawn; for each, the relative error
    ``||g_B - g|| / ||g||`` of its gradient ``g_B`` against the full-data gradient ``g``.
    For independent draws it shrinks like ``1 / sqrt(B)``.

    Parameters
    ----------
    features : array_like, shape (N, D)
    labels : array_like of int, shape (N,)
    weights : array_like, shape (D, K)
        Where to take the gradients.
    batch_sizes : sequence of int in 1..N, keyword-only
    repeats : int in 2..10,000 (``_limits.MAX_ITERATIONS``), keyword-only
    rng : int, Generator or None, keyword-only

    Returns
    -------
    pandas.DataFrame
        Columns ``batch_size``, ``relative_error`` (mean) and ``spread`` (standard deviation of
        the relative errors over the repeats).

    Raises
    ------
    ValueError
        If a batch size is outside 1..N, or the full gradient is zero.

    Examples
    --------
    >>> x = with_bias(np.random.default_rng(0).normal(size=(200, 3)))
    >>> y = np.arange(200) % 2
    >>> table = gradient_spread(x, y, np.zeros((4, 2)), batch_sizes=[1, 100], repeats=20)
    >>> bool(table.relative_error[0] > table.relative_error[1])
    True
    """
    weights, features, labels = _check_problem(weights, features, labels)
    repeats = as_int("repeats", repeats, minimum=2, maximum=_limits.MAX_ITERATIONS,
                     why="The spread is measured well with a few hundred batches.")
    if isinstance(batch_sizes, (str, bytes)) or not isinstance(batch_sizes, Iterable):
        raise TypeError(f"batch_sizes must be a list of batch sizes; got {type(batch_sizes).__name__}.")
    sizes = [as_int("batch_sizes", size, minimum=1) for size in batch_sizes]
    if not sizes or max(sizes) > len(features):
        raise ValueError(f"batch_sizes must be a non-empty list of sizes in 1..{len(features)}; got {list(batch_sizes)}.")
    generator = as_rng(rng)
    _, full = softmax_regression_loss(weights, features, labels)
    norm = np.linalg.norm(full)
    if norm == 0:
        raise ValueError("the full gradient is zero at these weights; pick weights away from an optimum.")
    rows = []
    for size in sizes:
        errors = []
        for _ in range(repeats):
            batch = generator.choice(len(features), size=size, replace=False)
            _, partial = softmax_regression_loss(weights, features[batch], labels[batch])
            errors.append(np.linalg.norm(partial - full) / norm)
        rows.append({"batch_size": size, "relative_error": float(np.mean(errors)), "spread": float(np.std(errors))})
    return pd.DataFrame(rows)
