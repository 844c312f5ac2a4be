"""Graded exercise sgd: the public diagnoses recognise each typical mistake."""

import pytest
import numpy as np


def _loss_and_gradient(logits, labels, *, shift=True):
    logits = np.asarray(logits, dtype=float)
    rows = np.arange(len(labels))
    top = logits.max(axis=1, keepdims=True) if shift else np.zeros((len(logits), 1))
    with np.errstate(all="ignore"):
        log_sum_exp = np.log(np.exp(logits - top).sum(axis=1)) + top[:, 0]
        probabilities = np.exp(logits - log_sum_exp[:, None])
    probabilities[rows, labels] -= 1
    return float(np.mean(log_sum_exp - logits[rows, labels])), probabilities / len(labels)


def test_loss_mistakes(assert_function_exercise):
    assert_function_exercise("sgd.q1", _loss_and_gradient, {
        "unshifted": lambda z, y: (_loss_and_gradient(z, y, shift=False)[0], _loss_and_gradient(z, y)[1]),
        "gradient_not_averaged": lambda z, y: (_loss_and_gradient(z, y)[0], _loss_and_gradient(z, y)[1] * len(y)),
        "gradient_sign": lambda z, y: (_loss_and_gradient(z, y)[0], -_loss_and_gradient(z, y)[1]),
    })


def test_step_mistakes(assert_function_exercise):
    assert_function_exercise("sgd.q2", lambda w, g, rate, decay: w - rate * (g + decay * w), {
        "no_decay": lambda w, g, rate, decay: w - rate * g,
        "decay_unscaled": lambda w, g, rate, decay: w - rate * g - decay * w,
        "ascent": lambda w, g, rate, decay: w + rate * (g + decay * w),
    })


@pytest.mark.parametrize("exercise_id", ['sgd.q2'])
def test_a_wrong_function_never_sees_the_expected_output(exercise_id, assert_function_no_leak):
    assert_function_no_leak(exercise_id)
