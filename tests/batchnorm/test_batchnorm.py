"""course_lib.batchnorm: hand-worked answers, properties, gradient checks, Keras as the reference."""

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from course_lib import batchnorm as bn

RNG = np.random.default_rng(0)
SHAPES = [(6, 4), (3, 4, 5, 2)]  # dense (N, D) and convolutional (N, H, W, C)


def _random_problem(shape, seed=0):
    rng = np.random.default_rng(seed)
    channels = shape[-1]
    x = rng.normal(loc=rng.normal(size=channels) * 3, scale=rng.uniform(0.5, 4, size=channels), size=shape)
    return x, rng.normal(size=channels), rng.normal(size=channels), rng.normal(size=shape)


# --- known answers worked by hand -------------------------------------------------------------

def test_forward_hand_worked_example():
    # feature 0: values 0, 2, 4 -> mean 2, variance 8/3; feature 1 is constant 5 -> var 0
    x = np.array([[0.0, 5.0], [2.0, 5.0], [4.0, 5.0]])
    out, cache = bn.batchnorm_forward(x, np.array([2.0, 1.0]), np.array([1.0, -1.0]), eps=0.01)
    z = np.array([-2.0, 0.0, 2.0]) / np.sqrt(8 / 3 + 0.01)
    np.testing.assert_allclose(out[:, 0], 2.0 * z + 1.0)
    np.testing.assert_allclose(out[:, 1], -1.0)  # a constant feature becomes beta
    np.testing.assert_allclose(cache.batch_mean, [2.0, 5.0])
    np.testing.assert_allclose(cache.batch_var, [8 / 3, 0.0])


def test_running_statistics_follow_the_momentum_rule():
    x = np.array([[1.0], [3.0]])  # mean 2, variance 1
    _, cache = bn.batchnorm_forward(x, [1.0], [0.0], running_mean=[10.0], running_var=[5.0], momentum=0.75)
    np.testing.assert_allclose(cache.running_mean, [0.75 * 10 + 0.25 * 2])
    np.testing.assert_allclose(cache.running_var, [0.75 * 5 + 0.25 * 1])


def test_inference_uses_running_statistics_and_leaves_them_alone():
    x = np.array([[4.0], [6.0]])
    out, cache = bn.batchnorm_forward(x, [2.0], [1.0], mode="inference", running_mean=[2.0],
                                      running_var=[4.0], eps=0.0)
    np.testing.assert_allclose(out, [[2.0 * (4 - 2) / 2 + 1], [2.0 * (6 - 2) / 2 + 1]])
    np.testing.assert_array_equal(cache.running_mean, [2.0])
    np.testing.assert_array_equal(cache.running_var, [4.0])


def test_batch_of_one_gives_beta_in_train_mode():
    out, _ = bn.batchnorm_forward(np.array([[7.0, -3.0]]), [5.0, 5.0], [0.5, -0.5])
    np.testing.assert_allclose(out, [[0.5, -0.5]])


def test_backward_hand_worked_example():
    x = np.array([[1.0], [3.0]])  # x_hat = [-1, 1] with eps = 0
    out, cache = bn.batchnorm_forward(x, [2.0], [0.0], eps=0.0)
    dx, dgamma, dbeta = bn.batchnorm_backward(np.array([[1.0], [0.0]]), cache)
    # With two values x_hat is always [-1, 1] (for x0 < x1), so the first output is -2 whatever
    # x is: its gradient with respect to x is 0. dgamma = sum(dout * x_hat) = -1, dbeta = sum(dout).
    np.testing.assert_allclose(dx, [[0.0], [0.0]], atol=1e-15)
    np.testing.assert_allclose(dgamma, [-1.0])
    np.testing.assert_allclose(dbeta, [1.0])


def test_epochs_to_target_and_relative_error_known_values():
    assert bn.epochs_to_target([0.1, 0.9, 0.95], 0.9) == 2
    assert bn.epochs_to_target([0.1], 0.9) is None
    assert bn.relative_error(np.zeros(3), np.zeros(3)) == 0.0
    assert bn.relative_error([3.0, 4.0], [0.0, 0.0]) == 1.0


# --- properties -------------------------------------------------------------------------------

@pytest.mark.parametrize("shape", SHAPES)
def test_train_output_has_mean_zero_variance_one(shape):
    x, _, _, _ = _random_problem(shape)
    channels = shape[-1]
    out, _ = bn.batchnorm_forward(x, np.ones(channels), np.zeros(channels), eps=1e-12)
    axes = tuple(range(len(shape) - 1))
    np.testing.assert_allclose(out.mean(axis=axes), 0.0, atol=1e-12)
    np.testing.assert_allclose(out.var(axis=axes), 1.0, atol=1e-9)


@pytest.mark.parametrize("shape", SHAPES)
def test_gamma_and_beta_set_the_output_statistics(shape):
    x, gamma, beta, _ = _random_problem(shape)
    out, _ = bn.batchnorm_forward(x, gamma, beta, eps=1e-12)
    axes = tuple(range(len(shape) - 1))
    np.testing.assert_allclose(out.mean(axis=axes), beta, atol=1e-12)
    np.testing.assert_allclose(out.std(axis=axes), np.abs(gamma), atol=1e-9)


def test_a_bias_before_batchnorm_changes_nothing():
    x, gamma, beta, _ = _random_problem((6, 4))
    bias = RNG.normal(size=4) * 10
    with_bias, _ = bn.batchnorm_forward(x + bias, gamma, beta)
    without, _ = bn.batchnorm_forward(x, gamma, beta)
    np.testing.assert_allclose(with_bias, without, atol=1e-12)


def test_conv_input_is_normalised_per_channel_like_a_reshape_to_2d():
    x, gamma, beta, _ = _random_problem((3, 4, 5, 2))
    out, _ = bn.batchnorm_forward(x, gamma, beta)
    flat, _ = bn.batchnorm_forward(x.reshape(-1, 2), gamma, beta)
    np.testing.assert_allclose(out, flat.reshape(x.shape))


def test_forward_does_not_modify_inputs():
    x, gamma, beta, _ = _random_problem((6, 4))
    copies = [a.copy() for a in (x, gamma, beta)]
    running_mean = np.zeros(4)
    bn.batchnorm_forward(x, gamma, beta, running_mean=running_mean)
    for original, copy in zip((x, gamma, beta), copies):
        np.testing.assert_array_equal(original, copy)
    np.testing.assert_array_equal(running_mean, 0.0)


def test_relative_error_is_scale_free_and_symmetric():
    a, b = RNG.normal(size=5), RNG.normal(size=5)
    assert bn.relative_error(a, b) == pytest.approx(bn.relative_error(b, a))
    assert bn.relative_error(a, b) == pytest.approx(bn.relative_error(1e6 * a, 1e6 * b))
    assert 0.0 <= bn.relative_error(a, b) <= 1.0


def test_numerical_gradient_leaves_x_unchanged_and_matches_a_known_gradient():
    x = RNG.normal(size=(3, 2))
    original = x.copy()
    gradient = bn.numerical_gradient(lambda v: np.sin(v), x)
    np.testing.assert_array_equal(x, original)
    assert bn.relative_error(gradient, np.cos(x)) < 1e-9


# --- gradient check: the reference for the backward pass ---------------------------------------

@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("mode", ["train", "inference"])
def test_backward_matches_numerical_gradient(shape, mode):
    x, gamma, beta, dout = _random_problem(shape)
    channels = shape[-1]
    options = dict(mode=mode, running_mean=RNG.normal(size=channels), running_var=RNG.uniform(0.5, 2, size=channels))
    _, cache = bn.batchnorm_forward(x, gamma, beta, **options)
    dx, dgamma, dbeta = bn.batchnorm_backward(dout, cache)
    numeric_dx = bn.numerical_gradient(lambda v: bn.batchnorm_forward(v, gamma, beta, **options)[0], x, upstream=dout)
    numeric_dgamma = bn.numerical_gradient(lambda g: bn.batchnorm_forward(x, g, beta, **options)[0], gamma, upstream=dout)
    numeric_dbeta = bn.numerical_gradient(lambda b: bn.batchnorm_forward(x, gamma, b, **options)[0], beta, upstream=dout)
    assert bn.relative_error(dx, numeric_dx) < 1e-8
    assert bn.relative_error(dgamma, numeric_dgamma) < 1e-8
    assert bn.relative_error(dbeta, numeric_dbeta) < 1e-8


def test_gradient_check_catches_a_wrong_backward_pass():
    x, gamma, beta, dout = _random_problem((6, 4))
    _, cache = bn.batchnorm_forward(x, gamma, beta)
    naive_dx = dout * gamma * cache.inv_std  # forgets the paths through the mean and variance
    numeric_dx = bn.numerical_gradient(lambda v: bn.batchnorm_forward(v, gamma, beta)[0], x, upstream=dout)
    assert bn.relative_error(naive_dx, numeric_dx) > 1e-2


# --- Keras as the reference implementation -----------------------------------------------------

@pytest.mark.parametrize("shape", SHAPES)
def test_forward_agrees_with_keras_in_train_and_inference_modes(shape):
    keras = pytest.importorskip("keras")
    x, gamma, beta, _ = _random_problem(shape)
    channels = shape[-1]
    running_mean, running_var = RNG.normal(size=channels), RNG.uniform(0.5, 2, size=channels)
    layer = keras.layers.BatchNormalization(momentum=0.99, epsilon=1e-3, dtype="float64")
    layer.build(shape)
    layer.set_weights([gamma, beta, running_mean, running_var])

    keras_train = np.asarray(layer(x, training=True))
    ours_train, cache = bn.batchnorm_forward(x, gamma, beta, running_mean=running_mean, running_var=running_var,
                                             momentum=0.99, eps=1e-3)
    np.testing.assert_allclose(ours_train, keras_train, atol=1e-12)
    np.testing.assert_allclose(cache.running_mean, layer.moving_mean.numpy(), atol=1e-12)
    np.testing.assert_allclose(cache.running_var, layer.moving_variance.numpy(), atol=1e-12)

    keras_inference = np.asarray(layer(x, training=False))
    ours_inference, _ = bn.batchnorm_forward(x, gamma, beta, mode="inference", running_mean=cache.running_mean,
                                             running_var=cache.running_var, eps=1e-3)
    np.testing.assert_allclose(ours_inference, keras_inference, atol=1e-12)


# --- bad inputs -------------------------------------------------------------------------------

def test_forward_rejects_bad_inputs():
    x = np.ones((4, 3))
    ones, zeros = np.ones(3), np.zeros(3)
    with pytest.raises(ValueError, match="x must be 2-D or 4-D"):
        bn.batchnorm_forward(np.ones((2, 3, 3)), ones, zeros)
    with pytest.raises(TypeError, match="x must be a numeric array"):
        bn.batchnorm_forward("x", ones, zeros)
    with pytest.raises(ValueError, match=r"gamma must have one value per feature, shape \(3,\)"):
        bn.batchnorm_forward(x, np.ones(2), zeros)
    with pytest.raises(ValueError, match="beta must be 1-D"):
        bn.batchnorm_forward(x, ones, np.zeros((3, 1)))
    with pytest.raises(ValueError, match="running_mean must have one value per feature"):
        bn.batchnorm_forward(x, ones, zeros, running_mean=np.zeros(4))
    with pytest.raises(ValueError, match="running_var must be >= 0"):
        bn.batchnorm_forward(x, ones, zeros, running_var=-ones)
    with pytest.raises(ValueError, match="mode must be one of 'train', 'inference'"):
        bn.batchnorm_forward(x, ones, zeros, mode="test")
    with pytest.raises(ValueError, match="momentum must be <= 1"):
        bn.batchnorm_forward(x, ones, zeros, momentum=1.5)
    with pytest.raises(ValueError, match="eps must be >= 0"):
        bn.batchnorm_forward(x, ones, zeros, eps=-1e-5)
    with pytest.raises(ValueError, match="eps must be > 0 when a feature has zero variance"):
        bn.batchnorm_forward(x, ones, zeros, eps=0.0)


def test_backward_rejects_bad_inputs():
    _, cache = bn.batchnorm_forward(np.arange(6.0).reshape(3, 2), np.ones(2), np.zeros(2))
    with pytest.raises(TypeError, match="cache must be the BatchNormCache"):
        bn.batchnorm_backward(np.ones((3, 2)), {"x_hat": 0})
    with pytest.raises(ValueError, match=r"dout must have the shape of the forward input \(3, 2\)"):
        bn.batchnorm_backward(np.ones((2, 2)), cache)
    with pytest.raises(ValueError, match="dout must be 2-D"):
        bn.batchnorm_backward(np.ones(6), cache)


def test_gradient_helpers_reject_bad_inputs():
    with pytest.raises(TypeError, match="function must be callable"):
        bn.numerical_gradient(3.0, np.ones(2))
    with pytest.raises(ValueError, match="step must be >="):
        bn.numerical_gradient(np.sin, np.ones(2), step=0.0)
    with pytest.raises(ValueError, match=r"upstream must have the shape of function\(x\), \(2,\)"):
        bn.numerical_gradient(np.sin, np.ones(2), upstream=np.ones(3))
    with pytest.raises(ValueError, match="a and b must have the same shape"):
        bn.relative_error(np.ones(2), np.ones(3))
    with pytest.raises(ValueError, match="values must be 1-D"):
        bn.epochs_to_target(np.ones((2, 2)), 0.5)
    with pytest.raises(TypeError, match="target must be a real number"):
        bn.epochs_to_target([0.5], "high")


# --- figures (plotting.batchnorm): smoke tests that check what was drawn ------------------------

def test_plot_sigmoid_saturation_draws_curve_tangent_and_histograms():
    import matplotlib.pyplot as plt

    from course_lib import plotting

    ax = plotting.batchnorm.plot_sigmoid_saturation({"mean 0, var 1": RNG.normal(size=200),
                                                      "gamma 3, beta 2": 3 * RNG.normal(size=200) + 2})
    fig = ax.figure
    assert len(fig.axes) == 2  # the sigmoid and the twin axis of the histograms
    assert [line.get_label() for line in ax.lines] == ["sigmoid(z)", "tangent at 0: 1/2 + z/4"]
    assert len(fig.axes[1].containers) == 2  # one histogram per sample
    assert ax.get_title() and ax.get_xlabel() == "pre-activation z"
    plt.close(fig)
    with pytest.raises(TypeError, match="samples must be a non-empty dict"):
        plotting.batchnorm.plot_sigmoid_saturation({})


def test_plot_feature_histograms_draws_before_and_after():
    import matplotlib.pyplot as plt

    from course_lib import plotting

    x, gamma, beta, _ = _random_problem((50, 6))
    out, _ = bn.batchnorm_forward(x, np.ones(6), np.zeros(6))
    fig = plotting.batchnorm.plot_feature_histograms(x, out, max_features=3)
    assert len(fig.axes) == 2
    assert all(len(ax.containers) == 3 for ax in fig.axes)
    assert "mean 0" in fig.axes[1].get_title()
    plt.close(fig)
    with pytest.raises(ValueError, match="before and after must have the same shape"):
        plotting.batchnorm.plot_feature_histograms(x, out[:10])


def test_plot_running_statistics_and_runs():
    import matplotlib.pyplot as plt

    from course_lib import plotting

    ax = plotting.batchnorm.plot_running_statistics(np.ones(5), np.linspace(0, 1, 5), population_mean=1.0)
    labels = [line.get_label() for line in ax.lines]
    assert labels == ["mini-batch mean", "running mean", "mean of all data"]
    np.testing.assert_allclose(ax.lines[1].get_ydata(), np.linspace(0, 1, 5))
    plt.close(ax.figure)
    with pytest.raises(ValueError, match="running_means must have one row per step"):
        plotting.batchnorm.plot_running_statistics(np.ones(5), np.ones(4))

    ax = plotting.batchnorm.plot_runs({"plain": [0.2, 0.5, 0.7], "BN": [0.6, 0.9, 0.95]}, target=0.9)
    # target line, then per run its curve, plus a star where it reaches the target (BN only)
    assert len(ax.lines) == 1 + 2 + 1
    np.testing.assert_allclose(ax.lines[-1].get_ydata(), [0.9])
    assert ax.get_xlabel() == "epoch"
    plt.close(ax.figure)
    with pytest.raises(ValueError, match=r"curves\['bad'\] must be 1-D"):
        plotting.batchnorm.plot_runs({"bad": np.ones((2, 2))})
