"""course_lib.batchnorm.layers: the wrapper layer against the explicit layer sequence, and its .keras round-trip."""

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from course_lib import batchnorm, training  # noqa: E402
from course_lib.batchnorm.layers import BatchNormalized  # noqa: E402

RNG = np.random.default_rng(0)


def _tiny_model(seed=0):
    training.set_seed(seed)
    inputs = keras.Input(shape=(6, 6, 1))
    x = BatchNormalized(keras.layers.Conv2D(3, 3, use_bias=False), activation="relu", name="block")(inputs)
    x = keras.layers.GlobalAveragePooling2D()(x)
    outputs = keras.layers.Dense(2, activation="softmax")(x)
    return keras.Model(inputs, outputs)


def test_weights_of_the_wrapped_layer_and_batch_norm_are_tracked():
    block = BatchNormalized(keras.layers.Dense(4, use_bias=False), activation="relu")
    block.build((None, 3))
    assert sorted(w.path.split("/")[-1] for w in block.trainable_weights) == ["beta", "gamma", "kernel"]
    assert sorted(w.path.split("/")[-1] for w in block.non_trainable_weights) == ["moving_mean", "moving_variance"]
    assert block.compute_output_shape((None, 3)) == (None, 4)


@pytest.mark.parametrize("training_flag", [True, False])
def test_output_matches_layer_then_numpy_batchnorm_then_activation(training_flag):
    block = BatchNormalized(keras.layers.Dense(4, use_bias=False, dtype="float64"), activation="relu", dtype="float64")
    x = RNG.normal(size=(8, 3))
    block.build(x.shape)
    gamma, beta = RNG.normal(size=4), RNG.normal(size=4)
    running_mean, running_var = RNG.normal(size=4), RNG.uniform(0.5, 2, size=4)
    block.batch_norm.set_weights([gamma, beta, running_mean, running_var])
    out = np.asarray(block(x, training=training_flag))

    features = x @ block.layer.kernel.numpy()
    mode = "train" if training_flag else "inference"
    expected, cache = batchnorm.batchnorm_forward(features, gamma, beta, mode=mode, running_mean=running_mean,
                                                  running_var=running_var, momentum=0.99, eps=1e-3)
    np.testing.assert_allclose(out, np.maximum(expected, 0.0), atol=1e-12)
    np.testing.assert_allclose(block.batch_norm.moving_mean.numpy(), cache.running_mean, atol=1e-12)


def test_config_round_trip_keeps_every_option():
    block = BatchNormalized(keras.layers.Conv2D(5, 3, use_bias=False, name="conv"), activation="sigmoid",
                            momentum=0.9, epsilon=1e-4, name="wrapped")
    clone = BatchNormalized.from_config(block.get_config())
    assert clone.name == "wrapped"
    assert clone.activation_name == "sigmoid"
    assert (clone.momentum, clone.epsilon) == (0.9, 1e-4)
    assert isinstance(clone.layer, keras.layers.Conv2D)
    assert clone.layer.filters == 5 and clone.layer.use_bias is False
    assert (clone.batch_norm.momentum, clone.batch_norm.epsilon) == (0.9, 1e-4)


def test_model_saves_and_reloads_from_a_keras_file(tmp_path):
    model = _tiny_model()
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="sparse_categorical_crossentropy")
    images = RNG.random((16, 6, 6, 1)).astype("float32")
    labels = RNG.integers(0, 2, size=16)
    model.fit(images, labels, epochs=1, batch_size=8, verbose=0)  # moves the running statistics
    path = tmp_path / "bn_model.keras"
    model.save(path)

    reloaded = keras.saving.load_model(path)
    assert isinstance(reloaded.get_layer("block"), BatchNormalized)
    assert reloaded.get_layer("block").activation_name == "relu"
    np.testing.assert_allclose(reloaded.predict(images, verbose=0), model.predict(images, verbose=0), atol=1e-6)
    moving_mean = reloaded.get_layer("block").batch_norm.moving_mean.numpy()
    assert np.any(moving_mean != 0.0)  # the trained running statistics came back, not fresh ones


def test_rejects_bad_arguments():
    dense = keras.layers.Dense(2)
    with pytest.raises(TypeError, match="layer must be a keras.layers.Layer"):
        BatchNormalized("conv")
    with pytest.raises(ValueError, match="activation must be a Keras activation"):
        BatchNormalized(dense, activation="no-such-activation")
    with pytest.raises(TypeError, match="activation must be a name, a callable or None"):
        BatchNormalized(dense, activation=3)
    with pytest.raises(ValueError, match="momentum must be < 1"):
        BatchNormalized(dense, momentum=1.0)
    with pytest.raises(ValueError, match="momentum must be >= 0"):
        BatchNormalized(dense, momentum=-0.5)
    with pytest.raises(ValueError, match="epsilon must be > 0"):
        BatchNormalized(dense, epsilon=0.0)
    with pytest.raises(TypeError, match="epsilon must be a real number"):
        BatchNormalized(dense, epsilon="small")
