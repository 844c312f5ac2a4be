"""Graded exercise ``sgd``: the diagnoses its public tests share with the student's ``grader.check``."""

from __future__ import annotations

import numpy as np

from course_lib import sgd
from course_lib.checks.functions import FunctionExercise
from course_lib.checks.registry import register


def loss_cases() -> list[tuple]:
    """Equal logits, logits of 1000, and random logits (fixed rng)."""
    rng = np.random.default_rng(20)
    return [(np.zeros((2, 4)), np.array([0, 3])),
            (np.array([[1000.0, 0.0], [0.0, 1000.0]]), np.array([0, 0])),
            (rng.normal(scale=2.0, size=(4, 3)), np.array([0, 2, 1, 2]))]


def _reference(logits, labels, *, gradient_scale=1.0):
    loss, gradient = sgd.softmax_cross_entropy(np.asarray(logits, float), np.asarray(labels))
    return loss, gradient * gradient_scale


def _unshifted(logits, labels):
    with np.errstate(all="ignore"):
        exp = np.exp(logits)
        loss = float(np.mean(np.log(exp.sum(axis=1)) - logits[np.arange(len(labels)), labels]))
        return loss, _reference(logits, labels)[1]


register(FunctionExercise(
    exercise_id="sgd.q1",
    title="sgd, question 1",
    hint="loss: the mean over rows of log-sum-exp minus the true logit; gradient: (softmax - one-hot) / N.",
    reference=_reference,
    cases=loss_cases,
    mistakes={
        "unshifted": (_unshifted, "Logits of 1000 overflow np.exp: subtract each row's maximum first."),
        "gradient_not_averaged": (lambda z, y: _reference(z, y, gradient_scale=len(y)),
                                  "The loss is a mean over the N examples, so its gradient is divided by N too."),
        "gradient_sign": (lambda z, y: _reference(z, y, gradient_scale=-1.0),
                          "The gradient has the wrong sign: it is softmax minus one-hot, p - [k = y]."),
    },
))


def step_cases() -> list[tuple]:
    """(weights, gradient, learning_rate, weight_decay), with and without decay."""
    return [(np.array([2.0, -1.0]), np.array([0.5, 0.5]), 0.1, 0.5),
            (np.array([[1.0, -2.0], [3.0, 0.5]]), np.array([[0.2, 0.1], [-0.4, 1.0]]), 0.5, 0.0)]


def _step(weights, gradient, learning_rate, weight_decay):
    return sgd.sgd_step(weights, gradient, learning_rate=learning_rate, weight_decay=weight_decay)


register(FunctionExercise(
    exercise_id="sgd.q2",
    title="sgd, question 2",
    hint="The new weights are w - learning_rate * (gradient + weight_decay * w).",
    reference=_step,
    cases=step_cases,
    mistakes={
        "no_decay": (lambda w, g, rate, decay: w - rate * g,
                     "That is a plain SGD step: the weight decay term, weight_decay * w, is missing."),
        "decay_unscaled": (lambda w, g, rate, decay: w - rate * g - decay * w,
                           "The decay term is multiplied by the learning rate too: w - rate * (g + decay * w)."),
        "ascent": (lambda w, g, rate, decay: w + rate * (g + decay * w),
                   "That step goes uphill: subtract the gradient (with its decay term) from the weights."),
    },
))
