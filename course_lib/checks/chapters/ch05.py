"""Chapter 5 (batch normalization): the exercises' keys and typical mistakes."""

from __future__ import annotations

import numpy as np

from course_lib import batchnorm
from course_lib.checks.functions import FunctionExercise
from course_lib.checks.registry import register
from course_lib.checks.values import ValueExercise

# BEGIN KEYS (written by `python -m course_lib.checks write-key`; do not edit by hand)
KEYS = {
    "5.3": {
        "answer": {"hash": "8288b1baebd55e4dbdaf81854410850963fa6fbf59fbbd9f85804e9da1a44d2f", "shape": [2]},
        "mistakes": {
            "input_channels": {"hash": "d5e2fbb941033eca308bf2fa952ab10899ba2e00e7c95ec008d3eb8f7792c911", "shape": [2]},
            "running_trainable": {"hash": "5efb97f24b5e015beb82842b676776c5d2a06557c2aade1fb0a243ac12f650c7", "shape": [2]},
            "no_running": {"hash": "cce951078d31fad39e4f760683dfed30fef873847c5c0a81306dd49c73f593e9", "shape": [2]},
        },
    },
    "5.4": {
        "answer": {"hash": "afe2a450b75e4b03bfdce38251af03e8c5cccf637b73bd0d74f516059ac38574", "shape": []},
        "mistakes": {
            "unchanged": {"hash": "96319118cf5c71cd52790bbde319a481a7b2861828e5a8dfd83b66f86521f862", "shape": []},
            "zeros": {"hash": "8126e33c1f869c1456dc358f3cc56af460ba70a5e81379233c7f5e6be5242fe1", "shape": []},
            "gamma": {"hash": "2f0c9d69bea9207d860708e213fc11bdbebbded9e1ff18d5399e444673f6c835", "shape": []},
        },
    },
}
# END KEYS


def forward_cases() -> list[tuple]:
    """Inputs (N, 4) with means near 3 and several scales and eps, with gamma and beta (fixed rng)."""
    rng = np.random.default_rng(5)
    return [(rng.normal(loc=3, scale=scale, size=(n, 4)), rng.normal(size=4), rng.normal(size=4), eps)
            for n, scale, eps in [(2, 1.0, 1e-5), (16, 5.0, 1e-3), (64, 0.1, 1e-5)]]


def _forward(x, gamma, beta, eps, *, ddof=0, eps_inside=True, axis=0):
    mean = x.mean(axis=axis, keepdims=True)
    var = x.var(axis=axis, ddof=ddof, keepdims=True)
    scale = np.sqrt(var + eps) if eps_inside else np.sqrt(var) + eps
    return gamma * (x - mean) / scale + beta


register(FunctionExercise(
    exercise_id="5.1",
    hint="Per column: subtract the batch mean, divide by sqrt(variance + eps), then multiply by gamma and add beta.",
    reference=lambda x, gamma, beta, eps: batchnorm.batchnorm_forward(x, gamma, beta, eps=eps)[0],
    cases=forward_cases,
    mistakes={
        "sample_variance": (lambda x, gamma, beta, eps: _forward(x, gamma, beta, eps, ddof=1),
                            "Batch normalization uses the biased variance, dividing by N (np.var's default), "
                            "not N - 1."),
        "eps_outside": (lambda x, gamma, beta, eps: _forward(x, gamma, beta, eps, eps_inside=False),
                        "eps goes inside the square root: divide by sqrt(var + eps)."),
        "rows": (lambda x, gamma, beta, eps: _forward(x, gamma, beta, eps, axis=1),
                 "Each column (one feature across the batch, axis=0) is normalised, not each row."),
        "no_affine": (lambda x, gamma, beta, eps: _forward(x, 1.0, 0.0, eps),
                      "The normalised values still need the scale and shift: gamma * x_hat + beta."),
    },
))


def backward_cases() -> list[tuple]:
    """(dout, x, gamma, eps) for batches of 3, 8 and 20 rows of 3 features (fixed rng)."""
    rng = np.random.default_rng(6)
    return [(rng.normal(size=(n, 3)), rng.normal(loc=1, scale=2, size=(n, 3)), rng.normal(size=3), 1e-5)
            for n in (3, 8, 20)]


def _numerical_dx(dout, x, gamma, eps):
    """The gradient with respect to ``x`` by centred differences (the exercise's reference)."""
    beta = np.zeros_like(gamma)
    return batchnorm.numerical_gradient(lambda v: batchnorm.batchnorm_forward(v, gamma, beta, eps=eps)[0], x,
                                        upstream=dout)


register(FunctionExercise(
    exercise_id="5.2",
    hint="Differentiate through x_hat, the batch mean and the batch variance: all three depend on x.",
    reference=_numerical_dx,
    cases=backward_cases,
    atol=1e-6,
    mistakes={
        "constant_statistics": (lambda dout, x, gamma, eps: dout * gamma / np.sqrt(x.var(axis=0) + eps),
                                "That treats the batch mean and variance as constants; both depend on every x, "
                                "which adds the two sums over the batch."),
        "no_gamma": (lambda dout, x, gamma, eps: _numerical_dx(dout, x, np.ones_like(gamma), eps),
                     "The upstream gradient reaches x_hat multiplied by gamma: start from g = dout * gamma."),
    },
))

register(ValueExercise(
    exercise_id="5.3",
    kind="integers",
    hint="Count per output channel of the convolution: which numbers are learned, which are averaged?",
    explanation="gamma and beta are learned; the running mean and variance are averaged, not trained.",
    mistakes={
        "input_channels": "Batch normalization follows the convolution: count per output channel of the "
                          "convolution, not per input channel.",
        "running_trainable": "The running mean and variance are updated by averaging, not by gradients: they are "
                             "non-trainable.",
        "no_running": "The running mean and variance are weights too (non-trainable): count them.",
    },
    key=KEYS.get("5.3"),
))

register(ValueExercise(
    exercise_id="5.4",
    kind="choice",
    choices=("a", "b", "c", "d"),
    hint="With one example, what is each value's batch mean?",
    explanation="Each value equals its batch mean, so x_hat = 0 and the output is gamma * 0 + beta.",
    mistakes={
        "unchanged": "The layer still normalises in training mode: each value minus its batch mean is 0.",
        "zeros": "x_hat is zero, but the layer then scales and shifts it: gamma * x_hat + beta.",
        "gamma": "gamma multiplies x_hat, which is zero here; what is added after the scaling?",
    },
    key=KEYS.get("5.4"),
))
