"""Chapter 4 (training): the exercises' keys and typical mistakes."""

from __future__ import annotations

import numpy as np

from course_lib import sgd
from course_lib.checks.functions import FunctionExercise
from course_lib.checks.registry import register
from course_lib.checks.values import ValueExercise

# BEGIN KEYS (written by `python -m course_lib.checks write-key`; do not edit by hand)
KEYS = {
    "4.2": {
        "answer": {"hash": "6e3a8143b9958a351e41843870d9d71134fef9e34c4fc865612f85c85a40a533", "offset": [0.0, 0.0], "shape": [2]},
        "mistakes": {
            "no_decay": {"hash": "87dfd5ab59721f77f25c1a0f41e08c2f75edf256f4c1bd8f2a452091ff4bca20", "offset": [0.0, 0.0], "shape": [2]},
            "decay_unscaled": {"hash": "02c4597c9e346c77626f5de2e22008e1eda4d0d8813c866f501c2ebc281bddf6", "offset": [0.0, 0.0], "shape": [2]},
            "ascent": {"hash": "bbd88bc5e9592cef8738c33a8e5ecbd722aca7c15e5d5969d4d29490e5625ddc", "offset": [0.0, 0.0], "shape": [2]},
        },
    },
    "4.3": {
        "answer": {"hash": "51682321cbe68bd617e3690caad7d27a5ae9bd277bfe543baf26ca7eac799a77", "shape": []},
        "mistakes": {
            "more_steps": {"hash": "6d44d58ee7181c1196f8962b5aa8c227fdaa527422f62a817698ff9b26c0bb2e", "shape": []},
            "larger_rate": {"hash": "542e787c5bfa0ac1a781a536d4294298734fd2cb923b7643015f8d8784596f59", "shape": []},
        },
    },
}
# END KEYS


def _cross_entropy_cases() -> list[tuple]:
    rng = np.random.default_rng(4)
    return [(rng.normal(size=(5, 3)), np.array([0, 2, 1, 1, 0])),
            (np.array([[1000.0, 0.0, -1000.0]]), np.array([1])),
            (rng.normal(scale=3.0, size=(6, 4)), np.array([0, 1, 2, 3, 3, 0]))]


def _picked(logits, labels):
    return np.asarray(logits, dtype=float)[np.arange(len(labels)), labels]


def _unshifted(logits, labels):
    return float(np.mean(np.log(np.exp(logits).sum(axis=1)) - _picked(logits, labels)))


def _summed(logits, labels):
    return sgd.softmax_cross_entropy(logits, labels)[0] * len(labels)


def _softmax_over_columns(logits, labels):
    shifted = logits - logits.max(axis=0, keepdims=True)
    log_sum_exp = np.log(np.exp(shifted).sum(axis=0, keepdims=True))
    return float(np.mean(-(shifted - log_sum_exp)[np.arange(len(labels)), labels]))


register(FunctionExercise(
    exercise_id="4.1",
    hint="Per row: the log of the sum of exp(logits), minus the logit of the true label; then the mean over rows.",
    reference=lambda logits, labels: sgd.softmax_cross_entropy(logits, labels)[0],
    cases=_cross_entropy_cases,
    mistakes={
        "unshifted": (_unshifted, "The logits of 1000 overflow np.exp: subtract each row's maximum before "
                                  "exponentiating, and add it back to the log-sum."),
        "summed": (_summed, "That is the sum over the examples; the loss is their mean."),
        "columns": (_softmax_over_columns, "The softmax runs over each row (the classes of one example), "
                                           "not down the columns: use axis=1."),
    },
))

register(ValueExercise(
    exercise_id="4.2",
    kind="numbers",
    tolerance=1e-6,
    hint="One step is theta - rate * (gradient + decay * theta), for each weight.",
    explanation="Weight decay pulls each weight towards zero in proportion to its size.",
    mistakes={
        "no_decay": "That is a plain SGD step: the weight decay term, decay * theta, is missing from the gradient.",
        "decay_unscaled": "The decay term must be multiplied by the learning rate too: theta - rate * (gradient + "
                          "decay * theta).",
        "ascent": "That step goes uphill: SGD subtracts the gradient (with its decay term) from the weights.",
    },
    key=KEYS.get("4.2"),
))

register(ValueExercise(
    exercise_id="4.3",
    kind="choice",
    choices=("a", "b", "c"),
    hint="Think about what makes a loss jump between steps.",
    explanation="Steps that overshoot make the loss jump; more steps of the same size do not help, "
                "and a larger rate makes it worse.",
    mistakes={
        "more_steps": "More steps of the same size keep overshooting: the loss already rises, so time is not "
                      "what it lacks.",
        "larger_rate": "A larger batch smooths the gradient, but the larger rate makes each step overshoot "
                       "further.",
    },
    key=KEYS.get("4.3"),
))
