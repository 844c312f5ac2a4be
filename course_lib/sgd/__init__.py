"""Training by stochastic gradient descent, in NumPy: losses, schedules, the SGD loop, sweeps.

- ``losses``: :func:`logsumexp`, :func:`softmax`, :func:`softmax_cross_entropy` (loss and its
  gradient), :func:`zero_one_loss`.
- ``schedules``: :func:`learning_rates` (constant, step, cosine).
- ``optimize``: :func:`with_bias`, :func:`softmax_regression_loss`, :func:`sgd_step`,
  :func:`batch_indices`, :func:`run_sgd`, :func:`gradient_spread`, :func:`predict`.
- ``sweeps``: :func:`sweep` (one row of results per setting, as a pandas table).

Used by the chapter "Training a CNN well". NumPy only: nothing here imports TensorFlow.
"""

from course_lib.sgd.losses import logsumexp, softmax, softmax_cross_entropy, zero_one_loss
from course_lib.sgd.optimize import (
    SGDRun,
    batch_indices,
    gradient_spread,
    predict,
    run_sgd,
    sgd_step,
    softmax_regression_loss,
    with_bias,
)
from course_lib.sgd.schedules import SCHEDULES, learning_rates
from course_lib.sgd.sweeps import sweep

__all__ = [
    "SCHEDULES", "SGDRun", "batch_indices", "gradient_spread", "learning_rates", "logsumexp", "predict",
    "run_sgd", "sgd_step", "softmax", "softmax_cross_entropy", "softmax_regression_loss", "sweep",
    "with_bias", "zero_one_loss",
]
