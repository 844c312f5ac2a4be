"""Graded exercise batchnorm: the public diagnoses recognise each typical mistake."""

import numpy as np
import pytest

from course_lib import checks
from course_lib.checks.chapters import graded_batchnorm


def _forward(x, gamma, beta, eps=1e-5, *, ddof=0):
    x_hat = (x - x.mean(axis=0)) / np.sqrt(x.var(axis=0, ddof=ddof) + eps)
    return gamma * x_hat + beta, (x_hat, 1 / np.sqrt(x.var(axis=0) + eps), gamma)


def test_forward_mistakes(assert_function_exercise):
    assert_function_exercise("batchnorm.q1", _forward, {
        "sample_variance": lambda x, g, b, eps=1e-5: _forward(x, g, b, eps, ddof=1),
        "eps_outside": lambda x, g, b, eps=1e-5: (g * (x - x.mean(axis=0)) / (x.std(axis=0) + eps) + b, None),
        "rows": lambda x, g, b, eps=1e-5: (_forward(x.T, 1.0, 0.0, eps)[0].T * g + b, None),
    })


def _backward(dy, cache, *, mistake=None):
    x_hat, inv_std, gamma = cache
    n = dy.shape[0]
    dbeta, dgamma = dy.sum(axis=0), (dy * x_hat).sum(axis=0)
    dx = gamma * inv_std / n * (n * dy - dbeta - x_hat * dgamma)
    if mistake == "constant_statistics":
        dx = dy * gamma * inv_std
    return dx, (dy.sum(axis=0) if mistake == "dgamma_without_x_hat" else dgamma), (
        dy.mean(axis=0) if mistake == "dbeta_mean" else dbeta)


@pytest.mark.parametrize("mistake", sorted(graded_batchnorm.MISTAKES))
def test_backward_mistakes_through_the_students_forward(mistake):
    assert checks.check("batchnorm.q2", _backward, forward=_forward).passed
    feedback = checks.check("batchnorm.q2", lambda dy, cache: _backward(dy, cache, mistake=mistake), forward=_forward)
    assert not feedback.passed and feedback.message.endswith(graded_batchnorm.MISTAKES[mistake])


def test_backward_needs_the_forward_pass():
    with pytest.raises(ValueError, match=r"needs the context value\(s\) forward"):
        checks.check("batchnorm.q2", _backward)
    assert checks.check("batchnorm.q2", _backward, forward=3).message.startswith("Pass your two functions")
