"""Tests of course_lib.cnn.inspection: intermediate activations and gradient-ascent filter patterns."""

import keras
import numpy as np
import pytest
from keras import layers

from course_lib import cnn, conv
from course_lib.cnn import inspection as inspect_cnn


@pytest.fixture(scope="module")
def convnet():
    return cnn.small_convnet(filters=(4, 8), dense_units=8, seed=1)


def _linear_1x1(weight: float, *, input_shape=(5, 5, 1)) -> keras.Model:
    inputs = keras.Input(input_shape)
    outputs = layers.Conv2D(1, 1, name="linear", kernel_initializer=keras.initializers.Constant(weight),
                            bias_initializer="zeros")(inputs)
    return keras.Model(inputs, outputs)


def test_feature_layer_names_lists_conv_pool_and_add_layers(convnet):
    assert inspect_cnn.feature_layer_names(convnet) == ["conv1", "pool1", "conv2"]
    resnet = cnn.small_resnet((8, 8, 1), filters=(2,))
    assert "stage1_block1_add" in inspect_cnn.feature_layer_names(resnet)


def test_activations_have_layer_table_shapes_and_match_numpy_reference(convnet):
    image = np.random.default_rng(0).random((28, 28))
    maps = inspect_cnn.intermediate_activations(convnet, image)
    shapes = {row["name"]: row["output_shape"][1:] for row in cnn.layer_table(convnet)}
    assert {name: value.shape for name, value in maps.items()} == {name: shapes[name] for name in maps}
    kernel, bias = convnet.get_layer("conv1").get_weights()
    expected = np.maximum(conv.conv2d(image[None, :, :, None], kernel) + bias, 0)[0]  # ReLU(conv + b)
    np.testing.assert_allclose(maps["conv1"], expected, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(maps["pool1"], conv.max_pool2d(maps["conv1"], 2), rtol=1e-6)


def test_activations_for_chosen_layers_only(convnet):
    maps = inspect_cnn.intermediate_activations(convnet, np.zeros((28, 28, 1)), layer_names=["conv2"])
    assert list(maps) == ["conv2"] and maps["conv2"].shape == (11, 11, 8)


def test_filter_patterns_linear_filter_known_answer():
    # mean response of a 1x1 linear filter with weight w is w * mean(image); the normalised
    # gradient is 1 everywhere, so every step raises the response by exactly w * step_size
    patterns, history = inspect_cnn.filter_patterns(_linear_1x1(2.0), "linear", [0], steps=4, step_size=0.1)
    np.testing.assert_allclose(np.diff(history[0]), 0.2, rtol=1e-4)
    assert patterns.shape == (1, 5, 5, 1)
    # with value_range the pixels stop at the top of the range: all 1 after enough steps
    patterns, history = inspect_cnn.filter_patterns(_linear_1x1(2.0), "linear", [0], steps=20, step_size=0.1)
    np.testing.assert_allclose(patterns, 1.0)
    np.testing.assert_allclose(history[0, -1], 2.0, rtol=1e-6)
    # without it they keep growing, and the pattern is rescaled for display
    patterns, history = inspect_cnn.filter_patterns(_linear_1x1(2.0), "linear", [0], steps=20, step_size=0.1,
                                                    value_range=None)
    assert history[0, -1] > 4.0 and abs(float(patterns.mean()) - 0.5) < 0.01


def test_filter_patterns_properties_and_seed(convnet):
    patterns, history = inspect_cnn.filter_patterns(convnet, "conv2", [0, 3, 7], steps=8, seed=2)
    assert patterns.shape == (3, 28, 28, 1) and patterns.dtype == np.float32
    assert patterns.min() >= 0.0 and patterns.max() <= 1.0
    assert np.all(history[:, -1] >= history[:, 0])  # gradient ascent never lowers a response
    assert history[2, -1] > 2 * history[2, 0] > 0  # filter 7 responds, and climbs
    np.testing.assert_array_equal(history[0], 0.0)  # filter 0 is dead on grey: no gradient, stays 0
    again, _ = inspect_cnn.filter_patterns(convnet, "conv2", [0, 3, 7], steps=8, seed=2)
    np.testing.assert_array_equal(patterns, again)
    assert not np.array_equal(patterns[0], patterns[1])  # each image follows its own filter


def test_filter_patterns_uses_preprocess_and_image_size():
    inputs = keras.Input((None, None, 1))
    free = keras.Model(inputs, layers.Conv2D(1, 1, name="linear", kernel_initializer="ones")(inputs))
    _, plain = inspect_cnn.filter_patterns(free, "linear", [0], steps=2, image_size=(4, 6))
    _, doubled = inspect_cnn.filter_patterns(free, "linear", [0], steps=2, image_size=(4, 6),
                                             preprocess=lambda batch: 2.0 * batch)
    np.testing.assert_allclose(doubled, 2.0 * plain, rtol=1e-5)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda m: inspect_cnn.feature_layer_names("net"), TypeError, "model must be a keras.Model"),
        (lambda m: inspect_cnn.intermediate_activations(m, np.zeros(28)), ValueError, "image must be 2-D or 3-D"),
        (lambda m: inspect_cnn.intermediate_activations(m, np.zeros((28, 28)), layer_names=[]), ValueError,
         "layer_names must hold at least one"),
        (lambda m: inspect_cnn.intermediate_activations(m, np.zeros((28, 28)), layer_names=["conv9"]), ValueError,
         "layer_name 'conv9' is not a layer"),
        (lambda m: inspect_cnn.filter_patterns(m, "dense", [0]), ValueError, "choose a layer with feature maps"),
        (lambda m: inspect_cnn.filter_patterns(m, "conv1", []), ValueError, "filter_indices must hold at least one"),
        (lambda m: inspect_cnn.filter_patterns(m, "conv1", [4]), ValueError, r"filter_indices must be in \[0, 4\)"),
        (lambda m: inspect_cnn.filter_patterns(m, "conv1", [0], steps=0), ValueError, "steps must be >= 1"),
        (lambda m: inspect_cnn.filter_patterns(m, "conv1", [0], step_size=0), ValueError, "step_size must be > 0"),
        (lambda m: inspect_cnn.filter_patterns(m, "conv1", [0], step_size="big"), TypeError, "step_size must be a real"),
        (lambda m: inspect_cnn.filter_patterns(_free(), "linear", [0]), ValueError, "pass image_size"),
        (lambda m: inspect_cnn.filter_patterns(m, "conv1", [0], value_range=(1, 0)), ValueError, "low < high"),
    ],
)
def test_bad_inputs_name_the_argument(convnet, call, error, message):
    with pytest.raises(error, match=message):
        call(convnet)


def _free():
    inputs = keras.Input((None, None, 1))
    return keras.Model(inputs, layers.Conv2D(1, 1, name="linear")(inputs))
