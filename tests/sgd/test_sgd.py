"""Tests of course_lib.sgd: losses, schedules, the SGD loop, gradient spread and sweeps."""

import numpy as np
import pandas as pd
import pytest
from scipy.special import logsumexp as scipy_logsumexp
from scipy.special import softmax as scipy_softmax

from course_lib import batchnorm, sgd

RNG = np.random.default_rng(0)
LOGITS = RNG.normal(size=(5, 4))
LABELS = np.array([0, 3, 1, 2, 3])


# --- losses -------------------------------------------------------------------------------------

def test_cross_entropy_by_hand():
    # one example, logits (log 1, log 3): softmax (1/4, 3/4); true class 1 -> -log(3/4)
    loss, gradient = sgd.softmax_cross_entropy([[0.0, np.log(3.0)]], [1])
    assert loss == pytest.approx(-np.log(0.75))
    np.testing.assert_allclose(gradient, [[0.25, -0.25]])


def test_logsumexp_and_softmax_match_scipy():
    np.testing.assert_allclose(sgd.logsumexp(LOGITS), scipy_logsumexp(LOGITS, axis=-1))
    np.testing.assert_allclose(sgd.logsumexp(LOGITS, axis=0), scipy_logsumexp(LOGITS, axis=0))
    np.testing.assert_allclose(sgd.softmax(LOGITS), scipy_softmax(LOGITS, axis=-1))


def test_large_logits_stay_finite():
    loss, gradient = sgd.softmax_cross_entropy([[1000.0, 0.0], [-1000.0, 1000.0]], [0, 0])
    assert loss == pytest.approx(1000.0)  # the second example is 2000 off, the first 0: mean 1000
    assert np.all(np.isfinite(gradient))
    np.testing.assert_allclose(gradient, [[0.0, 0.0], [-0.5, 0.5]])


def test_cross_entropy_gradient_matches_numerical_gradient():
    _, gradient = sgd.softmax_cross_entropy(LOGITS, LABELS)
    numerical = batchnorm.numerical_gradient(lambda z: sgd.softmax_cross_entropy(z, LABELS)[0], LOGITS)
    assert batchnorm.relative_error(gradient, numerical) < 1e-8


def test_cross_entropy_gradient_rows_sum_to_zero():
    _, gradient = sgd.softmax_cross_entropy(LOGITS, LABELS)
    np.testing.assert_allclose(gradient.sum(axis=1), 0.0, atol=1e-12)


def test_zero_one_loss_is_flat():
    assert sgd.zero_one_loss(LOGITS, LABELS) == np.mean(LOGITS.argmax(1) != LABELS)
    numerical = batchnorm.numerical_gradient(lambda z: sgd.zero_one_loss(z, LABELS), LOGITS, step=1e-4)
    assert np.all(numerical == 0)


def test_float_labels_that_are_whole_numbers_are_accepted():
    assert sgd.zero_one_loss(LOGITS, LABELS.astype(float)) == sgd.zero_one_loss(LOGITS, LABELS)


@pytest.mark.parametrize(("labels", "error", "match"), [
    (np.eye(5, 4), ValueError, r"labels must have shape \(5,\)"),
    (np.full(5, 0.5), TypeError, "labels must be integer class indices"),
    (np.array([0, 1, 2, 3, 4]), ValueError, r"labels must be in 0..3"),
    (np.array([0, 1, 2, 3]), ValueError, r"labels must have shape \(5,\)"),
])
def test_bad_labels_are_refused(labels, error, match):
    with pytest.raises(error, match=match):
        sgd.softmax_cross_entropy(LOGITS, labels)


def test_one_dimensional_logits_are_refused():
    with pytest.raises(ValueError, match="logits must be 2-D"):
        sgd.zero_one_loss([1.0, 2.0], [0])


# --- schedules ----------------------------------------------------------------------------------

def test_schedules_known_values():
    np.testing.assert_allclose(sgd.learning_rates(0.5, 3), [0.5, 0.5, 0.5])
    np.testing.assert_allclose(sgd.learning_rates(1.0, 6, schedule="step"), [1, 1, 0.1, 0.1, 0.01, 0.01])
    cosine = sgd.learning_rates(1.0, 100, schedule="cosine", final_rate=0.1)
    assert cosine[0] == 1.0 and cosine[50] == pytest.approx(0.55) and np.all(np.diff(cosine) < 0)


@pytest.mark.parametrize(("kwargs", "error", "match"), [
    ({"schedule": "linear"}, ValueError, "schedule must be one of"),
    ({"drop": 0.0, "schedule": "step"}, ValueError, "drop must be >="),
    ({"drop": 2.0, "schedule": "step"}, ValueError, "drop must be <= 1.0"),
    ({"drop_every": 0, "schedule": "step"}, ValueError, "drop_every must be >= 1"),
    ({"final_rate": 2.0, "schedule": "cosine"}, ValueError, "final_rate must be <= 1.0"),
])
def test_bad_schedules_are_refused(kwargs, error, match):
    with pytest.raises(error, match=match):
        sgd.learning_rates(1.0, 10, **kwargs)


def test_bad_rate_and_steps_are_refused():
    with pytest.raises(ValueError, match="base_rate must be >="):
        sgd.learning_rates(0.0, 10)
    with pytest.raises(TypeError, match="steps must be an integer"):
        sgd.learning_rates(0.1, 10.0)


# --- the model, one step, the loop --------------------------------------------------------------

FEATURES = sgd.with_bias(RNG.normal(size=(40, 3)))
TARGETS = (FEATURES[:, 0] > 0).astype(int) + (FEATURES[:, 1] > 1).astype(int)


def test_softmax_regression_gradient_is_numerically_right():
    weights = RNG.normal(size=(4, 3))
    _, gradient = sgd.softmax_regression_loss(weights, FEATURES, TARGETS, weight_decay=0.3)
    numerical = batchnorm.numerical_gradient(
        lambda w: sgd.softmax_regression_loss(w, FEATURES, TARGETS, weight_decay=0.3)[0], weights)
    assert batchnorm.relative_error(gradient, numerical) < 1e-8


def test_sgd_step_with_and_without_decay():
    weights, gradient = np.array([2.0, -1.0]), np.array([1.0, 1.0])
    np.testing.assert_allclose(sgd.sgd_step(weights, gradient, learning_rate=0.5), [1.5, -1.5])
    np.testing.assert_allclose(sgd.sgd_step(weights, gradient, learning_rate=0.5, weight_decay=0.1), [1.4, -1.45])
    # with a zero gradient, decay alone shrinks the weights by the factor (1 - rate * decay)
    np.testing.assert_allclose(sgd.sgd_step(weights, 0 * gradient, learning_rate=0.5, weight_decay=0.2), 0.9 * weights)


def test_sgd_step_refuses_mismatched_shapes_and_negative_rates():
    with pytest.raises(ValueError, match="gradient must have the shape of weights"):
        sgd.sgd_step(np.ones(2), np.ones(3), learning_rate=0.1)
    with pytest.raises(ValueError, match="learning_rate must be >= 0.0"):
        sgd.sgd_step(np.ones(2), np.ones(2), learning_rate=-0.1)
    with pytest.raises(ValueError, match="weight_decay must be >= 0.0"):
        sgd.sgd_step(np.ones(2), np.ones(2), learning_rate=0.1, weight_decay=-1.0)


def test_run_sgd_equals_the_loop_written_out():
    rates = sgd.learning_rates(0.5, 30, schedule="cosine")
    run = sgd.run_sgd(FEATURES, TARGETS, learning_rates=rates, batch_size=8, rng=3, record_every=30)
    weights, generator = np.zeros((4, 3)), np.random.default_rng(3)
    for rate in rates:
        batch = generator.choice(len(FEATURES), size=8, replace=False)
        _, gradient = sgd.softmax_regression_loss(weights, FEATURES[batch], TARGETS[batch])
        weights = sgd.sgd_step(weights, gradient, learning_rate=rate)
    np.testing.assert_allclose(run.weights, weights)
    assert run.steps.tolist() == [0, 30]
    assert run.losses[0] == pytest.approx(np.log(3)) and run.losses[-1] < 0.8 * np.log(3)
    assert list(run.table().columns) == ["step", "loss"]


def test_momentum_speeds_up_a_small_rate():
    rates = np.full(50, 0.05)
    plain = sgd.run_sgd(FEATURES, TARGETS, learning_rates=rates, batch_size=40, record_every=50)
    heavy = sgd.run_sgd(FEATURES, TARGETS, learning_rates=rates, batch_size=40, momentum=0.9, record_every=50)
    assert heavy.losses[-1] < plain.losses[-1]


@pytest.mark.parametrize(("kwargs", "error", "match"), [
    ({"batch_size": 41}, ValueError, "batch_size must be at most the number of examples, 40"),
    ({"batch_size": 4, "momentum": 1.0}, ValueError, "momentum must be < 1"),
    ({"batch_size": 4, "learning_rates": [0.1, -0.1]}, ValueError, "learning_rates must be >= 0"),
    ({"batch_size": 4, "weights": np.zeros((3, 3))}, ValueError, "weights must have 4 rows"),
    ({"batch_size": 4, "record_every": 0}, ValueError, "record_every must be >= 1"),
])
def test_run_sgd_refuses_bad_settings(kwargs, error, match):
    settings = {"learning_rates": [0.1, 0.1], **kwargs}
    with pytest.raises(error, match=match):
        sgd.run_sgd(FEATURES, TARGETS, **settings)


def test_with_bias_and_predict():
    assert sgd.with_bias(np.zeros((3, 2, 2, 1))).shape == (3, 5)
    with pytest.raises(ValueError, match="features must have one row per example"):
        sgd.with_bias(np.zeros(3))
    assert sgd.predict(np.array([[1.0, 0.0], [0.0, 1.0]]), np.array([[3.0, 1.0]])).tolist() == [0]
    with pytest.raises(ValueError, match="weights must have 2 rows"):
        sgd.predict(np.ones((3, 2)), np.ones((1, 2)))


def test_batch_indices_are_distinct_and_checked():
    batch = sgd.batch_indices(100, 100, rng=0)
    assert sorted(batch.tolist()) == list(range(100))
    with pytest.raises(ValueError, match="batch_size must be at most n=5"):
        sgd.batch_indices(5, 6)


# --- gradient spread and sweeps -----------------------------------------------------------------

def test_gradient_spread_shrinks_like_one_over_root_b():
    features = sgd.with_bias(RNG.normal(size=(4000, 5)))
    labels = RNG.integers(0, 3, size=4000)
    table = sgd.gradient_spread(features, labels, np.zeros((6, 3)), batch_sizes=[4, 64], repeats=200, rng=1)
    ratio = table.relative_error[0] / table.relative_error[1]
    assert ratio == pytest.approx(4.0, rel=0.2)  # sqrt(64 / 4)
    assert list(table.columns) == ["batch_size", "relative_error", "spread"]


def test_gradient_spread_refuses_bad_sizes_and_a_zero_gradient():
    with pytest.raises(ValueError, match="batch_sizes must be a non-empty list of sizes in 1..40"):
        sgd.gradient_spread(FEATURES, TARGETS, np.zeros((4, 3)), batch_sizes=[50])
    with pytest.raises(ValueError, match="the full gradient is zero"):
        sgd.gradient_spread(np.zeros((4, 2)), [0, 1, 0, 1], np.zeros((2, 2)), batch_sizes=[2])


def test_sweep_tabulates_every_combination():
    table = sgd.sweep(lambda a, b: {"product": a * b}, a=[1, 2, 3], b=(10, 100))
    assert isinstance(table, pd.DataFrame) and len(table) == 6
    assert table["product"].tolist() == [10, 100, 20, 200, 30, 300]


@pytest.mark.parametrize(("experiment", "grid", "error", "match"), [
    (lambda a: {"x": a}, {}, ValueError, "grid must name at least one argument"),
    (lambda a: {"x": a}, {"a": []}, ValueError, "grid value a must hold at least one setting"),
    (lambda a: {"x": a}, {"a": 3}, TypeError, "grid value a must be a list of settings"),
    (lambda a: a, {"a": [1]}, TypeError, "experiment must return a dict of results"),
    (lambda a: {"a": a}, {"a": [1]}, ValueError, "reuse the grid names"),
    ("not callable", {"a": [1]}, TypeError, "experiment must be callable"),
])
def test_sweep_refuses_bad_input(experiment, grid, error, match):
    with pytest.raises(error, match=match):
        sgd.sweep(experiment, **grid)


def test_gradient_spread_names_batch_sizes_and_ragged_labels():
    x, y = np.ones((4, 2)), np.array([0, 1, 0, 1])
    with pytest.raises(TypeError, match=r"^batch_sizes must be a list of batch sizes; got NoneType"):
        sgd.gradient_spread(x, y, np.zeros((2, 2)), batch_sizes=None)
    with pytest.raises(ValueError, match=r"^labels must be a rectangular array"):
        sgd.gradient_spread(x, [[0, 1], [0]], np.zeros((2, 2)), batch_sizes=[1])
