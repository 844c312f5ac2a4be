"""Graded exercise ``batchnorm``: the diagnoses its public tests share with the student's ``grader.check``.

Question 2 is checked through the student's own forward pass (its cache is theirs), passed by name:
``checks.check("batchnorm.q2", batchnorm_backward, forward=batchnorm_forward)``.
"""

from __future__ import annotations

import numpy as np

from course_lib import batchnorm
from course_lib.checks.chapters.ch05 import forward_cases
from course_lib.checks.functions import FunctionExercise, first_disagreement
from course_lib.checks.registry import ContextExercise, register

register(FunctionExercise(
    exercise_id="batchnorm.q1",
    title="batchnorm, question 1",
    hint="Per column: subtract the batch mean, divide by sqrt(variance + eps), then scale by gamma and add beta.",
    reference=lambda x, gamma, beta, eps: batchnorm.batchnorm_forward(x, gamma, beta, eps=eps)[0],
    cases=forward_cases,
    output=lambda result: result[0],
    mistakes={
        "sample_variance": (lambda x, g, b, eps: g * (x - x.mean(axis=0)) / np.sqrt(x.var(axis=0, ddof=1) + eps) + b,
                            "Use the biased variance, dividing by N (np.var's default), not N - 1."),
        "eps_outside": (lambda x, g, b, eps: g * (x - x.mean(axis=0)) / (x.std(axis=0) + eps) + b,
                        "eps goes inside the square root: divide by sqrt(var + eps)."),
        "rows": (lambda x, g, b, eps: g * (x - x.mean(axis=1, keepdims=True)) / np.sqrt(x.var(axis=1, keepdims=True) + eps) + b,
                 "Each column (one feature across the batch, axis=0) is normalised, not each row."),
    },
))


def backward_cases() -> list[tuple]:
    """(x, gamma, beta, dy) for batches of 3 and 6 rows (fixed rng)."""
    rng = np.random.default_rng(21)
    return [(rng.normal(size=(n, 2)), rng.uniform(0.5, 2.0, size=2), rng.uniform(-1, 1, size=2), rng.normal(size=(n, 2)))
            for n in (3, 6)]


def _reference(x, gamma, beta, dy, *, mistake=None):
    _, cache = batchnorm.batchnorm_forward(x, gamma, beta, eps=1e-5)
    dx, dgamma, dbeta = batchnorm.batchnorm_backward(dy, cache)
    if mistake == "constant_statistics":
        dx = dy * gamma / np.sqrt(x.var(axis=0) + 1e-5)
    elif mistake == "dgamma_without_x_hat":
        dgamma = dy.sum(axis=0)
    elif mistake == "dbeta_mean":
        dbeta = dy.mean(axis=0)
    return dx, dgamma, dbeta


MISTAKES = {
    "constant_statistics": "dx treats the batch mean and variance as constants; both depend on every x of the "
                           "column, which adds the two sums over the batch.",
    "dgamma_without_x_hat": "dgamma is the sum over the batch of dy * x_hat: gamma multiplies x_hat.",
    "dbeta_mean": "dbeta is the sum of dy over the batch, not its mean.",
}


def _backward_rule(backward, forward) -> str | None:
    if not callable(backward) or not callable(forward):
        return "Pass your two functions: checks.check(\"batchnorm.q2\", batchnorm_backward, forward=batchnorm_forward)."

    def through_forward(x, gamma, beta, dy):
        return tuple(backward(dy, forward(x, gamma, beta, 1e-5)[1]))

    passed, message = first_disagreement(
        through_forward, _reference, backward_cases(),
        mistakes=[(lambda *case, name=name: _reference(*case, mistake=name), text) for name, text in MISTAKES.items()],
        atol=1e-6, hint="Returns (dx, dgamma, dbeta) with the shapes of x, gamma and beta.")
    return None if passed else message


register(ContextExercise(
    exercise_id="batchnorm.q2",
    title="batchnorm, question 2",
    hint="",
    context=("forward",),
    rule=_backward_rule,
))
