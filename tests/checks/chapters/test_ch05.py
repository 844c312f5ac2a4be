"""Chapter 5's exercises: the right answers pass, each typical mistake gets its diagnosis, nothing leaks."""

import pytest
import numpy as np


def test_weight_counts_and_batch_of_one(assert_value_exercise, assert_no_leak):
    assert_value_exercise("5.3", [128, 128], {"input_channels": [64, 64], "running_trainable": [256, 0],
                                              "no_running": [128, 0]})
    assert_no_leak("5.3", [128, 128])
    assert_value_exercise("5.4", "b", {"unchanged": "a", "zeros": "c", "gamma": "d"})
    assert_no_leak("5.4", "b")


def _forward(x, gamma, beta, eps):
    return gamma * (x - x.mean(axis=0)) / np.sqrt(x.var(axis=0) + eps) + beta


def test_forward_mistakes_are_recognised(assert_function_exercise):
    assert_function_exercise("5.1", _forward, {
        "sample_variance": lambda x, g, b, eps: g * (x - x.mean(axis=0)) / np.sqrt(x.var(axis=0, ddof=1) + eps) + b,
        "eps_outside": lambda x, g, b, eps: g * (x - x.mean(axis=0)) / (x.std(axis=0) + eps) + b,
        "rows": lambda x, g, b, eps: _forward(x.T, 1.0, 0.0, eps).T * g + b,
        "no_affine": lambda x, g, b, eps: _forward(x, 1.0, 0.0, eps),
    })


def _backward(dout, x, gamma, eps):
    m = x.shape[0]
    inv_std = 1 / np.sqrt(x.var(axis=0) + eps)
    x_hat = (x - x.mean(axis=0)) * inv_std
    g = dout * gamma
    return inv_std / m * (m * g - g.sum(axis=0) - x_hat * (g * x_hat).sum(axis=0))


def test_backward_mistakes_are_recognised(assert_function_exercise):
    assert_function_exercise("5.2", _backward, {
        "constant_statistics": lambda dout, x, gamma, eps: dout * gamma / np.sqrt(x.var(axis=0) + eps),
        "no_gamma": lambda dout, x, gamma, eps: _backward(dout, x, np.ones_like(gamma), eps),
    })


@pytest.mark.parametrize("exercise_id", ['5.1', '5.2'])
def test_a_wrong_function_never_sees_the_expected_output(exercise_id, assert_function_no_leak):
    assert_function_no_leak(exercise_id)
