"""Tests of course_lib.cnn: shapes and parameter counts of every chapter model, residual blocks."""

import keras
import numpy as np
import pytest
from keras import layers

from course_lib import cnn, conv

# Every model the chapter "CNNs in Keras" builds (quick and full sizes).
CHAPTER_MODELS = {
    "convnet": lambda: cnn.small_convnet(),
    "convnet_quick": lambda: cnn.small_convnet(filters=(16, 32, 32)),
    "convnet_no_pooling": lambda: cnn.small_convnet(pooling=False),
    "convnet_no_pooling_quick": lambda: cnn.small_convnet(filters=(16, 32, 32), pooling=False),
    "small_resnet": lambda: cnn.small_resnet(),
    "small_resnet_two_blocks": lambda: cnn.small_resnet(filters=(16, 32, 64), blocks_per_stage=2),
    "plain_20": lambda: cnn.deep_net(depth=20, width=16, downsample=4),
    "residual_20": lambda: cnn.deep_net(depth=20, width=16, skip=True, downsample=4),
    "residual_full_resolution": lambda: cnn.deep_net((12, 12, 1), depth=4, width=4, skip=True, downsample=1),
}


def _expected_params(layer) -> int:
    if isinstance(layer, layers.Conv2D):
        return cnn.conv2d_param_count(layer.kernel_size, layer.input.shape[-1], layer.filters)
    if isinstance(layer, layers.Dense):
        return (layer.input.shape[-1] + 1) * layer.units
    return 0  # pooling, add, flatten, activation: nothing to learn


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(CHAPTER_MODELS))
def test_chapter_models_match_conv_arithmetic(name):
    model = CHAPTER_MODELS[name]()
    rows = cnn.layer_table(model)
    checked = 0
    for row, layer in zip(rows, model.layers):
        if isinstance(layer, (layers.Conv2D, layers.MaxPooling2D, layers.AveragePooling2D)):
            # the shape Keras built equals course_lib.conv.output_size along rows and columns
            in_rows, in_cols = layer.input.shape[1:3]
            window = layer.kernel_size if isinstance(layer, layers.Conv2D) else layer.pool_size
            expected_rows = conv.output_size(in_rows, window[0], padding=layer.padding, stride=layer.strides[0])
            expected_cols = conv.output_size(in_cols, window[1], padding=layer.padding, stride=layer.strides[1])
            assert row["output_shape"][1:3] == (expected_rows, expected_cols)
            assert row["predicted_shape"] == row["output_shape"]
            checked += 1
        else:
            assert row["predicted_shape"] is None
        assert row["params"] == _expected_params(layer), row["name"]
    assert checked >= 2
    assert sum(row["params"] for row in rows) == model.count_params()


def test_small_convnet_known_counts():
    # worked by hand: 3*3*1*32+32, 3*3*32*64+64, 3*3*64*64+64, 576*64+64, 64*10+10
    assert [r["params"] for r in cnn.layer_table(cnn.small_convnet()) if r["params"]] == [320, 18496, 36928, 36928, 650]
    no_pool = cnn.layer_table(cnn.small_convnet(pooling=False))
    flatten = next(r for r in no_pool if r["name"] == "flatten")
    assert flatten["output_shape"] == (None, 22 * 22 * 64)
    assert sum(r["params"] for r in no_pool) == 320 + 18496 + 36928 + (22 * 22 * 64 + 1) * 64 + 650


def test_small_convnet_outputs_probabilities_and_is_seeded():
    images = np.random.default_rng(0).random((3, 28, 28, 1)).astype("float32")
    first = cnn.small_convnet(filters=(4, 8), seed=3)
    again = cnn.small_convnet(filters=(4, 8), seed=3)
    other = cnn.small_convnet(filters=(4, 8), seed=4)
    probabilities = np.asarray(first(images))
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, rtol=1e-5)
    np.testing.assert_array_equal(probabilities, np.asarray(again(images)))
    assert not np.allclose(probabilities, np.asarray(other(images)))


def test_residual_block_is_identity_plus_residual():
    inputs = keras.Input((6, 6, 3))
    model = keras.Model(inputs, cnn.residual_block(inputs, 3, name="b"))
    x = np.random.default_rng(1).normal(size=(2, 6, 6, 3)).astype("float32")
    # with the second convolution zeroed, F(x) = 0 and the block is relu(x)
    conv2 = model.get_layer("b_conv2")
    conv2.set_weights([np.zeros_like(w) for w in conv2.get_weights()])
    np.testing.assert_allclose(np.asarray(model(x)), np.maximum(x, 0), atol=1e-6)
    # reference: relu(x + conv2(relu(conv1(x)))) with course_lib.conv.conv2d
    rng = np.random.default_rng(2)
    conv2.set_weights([rng.normal(size=w.shape).astype("float32") for w in conv2.get_weights()])
    k1, b1 = model.get_layer("b_conv1").get_weights()
    k2, b2 = conv2.get_weights()
    hidden = np.maximum(conv.conv2d(x, k1, padding="same") + b1, 0)
    expected = np.maximum(x + conv.conv2d(hidden, k2, padding="same") + b2, 0)
    np.testing.assert_allclose(np.asarray(model(x)), expected, rtol=1e-4, atol=1e-4)


def test_residual_block_projects_shortcut_when_channels_change():
    inputs = keras.Input((5, 5, 2))
    outputs = cnn.residual_block(inputs, 4, kernel_size=5, activation="tanh", name="p")
    model = keras.Model(inputs, outputs)
    assert tuple(outputs.shape) == (None, 5, 5, 4)
    assert model.get_layer("p_projection").count_params() == cnn.conv2d_param_count(1, 2, 4)
    assert float(np.max(np.abs(np.asarray(model(np.ones((1, 5, 5, 2))))))) <= 1.0  # tanh output


def test_deep_net_plain_and_residual_differ_only_by_add():
    plain = cnn.deep_net((12, 12, 1), depth=6, width=4)
    residual = cnn.deep_net((12, 12, 1), depth=6, width=4, skip=True)
    assert plain.count_params() == residual.count_params()
    assert [type(l).__name__ for l in residual.layers].count("Add") == 3
    assert not any(isinstance(l, layers.Add) for l in plain.layers)
    # same seed, same weights: the comparison in the chapter starts from identical networks
    for a, b in zip(plain.get_weights(), residual.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_format_layer_table_flags_every_conv_layer_ok():
    text = cnn.format_layer_table(cnn.small_resnet((16, 16, 1), filters=(4, 8)))
    assert text.count(" ok") == sum(1 for l in cnn.small_resnet((16, 16, 1), filters=(4, 8)).layers
                                    if isinstance(l, (layers.Conv2D, layers.MaxPooling2D)))
    assert "MISMATCH" not in text
    assert text.splitlines()[-1] == "total parameters: 1346"


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: cnn.small_convnet((28, 28)), ValueError, r"input_shape must be \(H, W, C\)"),
        (lambda: cnn.small_convnet((28, 28.0, 1)), TypeError, "input_shape must be an integer"),
        (lambda: cnn.small_convnet(filters=()), ValueError, "filters must list at least one"),
        (lambda: cnn.small_convnet((8, 8, 1)), ValueError, "too small for 3 3x3 convolutions with pooling"),
        (lambda: cnn.small_convnet(num_classes=1), ValueError, "num_classes must be >= 2"),
        (lambda: cnn.small_resnet(filters=()), ValueError, "filters must list at least one stage"),
        (lambda: cnn.small_resnet(blocks_per_stage=0), ValueError, "blocks_per_stage must be >= 1"),
        (lambda: cnn.deep_net(depth=5), ValueError, "depth must be even"),
        (lambda: cnn.deep_net(width=0), ValueError, "width must be >= 1"),
        (lambda: cnn.deep_net((8, 8, 1), downsample=9), ValueError, "downsample 9 is larger than the image"),
        (lambda: cnn.residual_block(np.ones((1, 4, 4, 2)), 2), TypeError, "x must be a 4-D Keras tensor"),
        (lambda: cnn.residual_block(keras.Input((4, 4, 2)), 2, kernel_size=2), ValueError, "kernel_size must be odd"),
        (lambda: cnn.residual_block(keras.Input((4, 4, 2)), 2, activation="gelu"), ValueError, "activation must be one of"),
        (lambda: cnn.layer_table("model"), TypeError, "model must be a keras.Model"),
        (lambda: cnn.conv2d_param_count(3, 0, 4), ValueError, "in_channels must be >= 1"),
        (lambda: cnn.conv2d_param_count(3.0, 1, 4), TypeError, "kernel_size must be an int or a pair"),
    ],
)
def test_bad_inputs_name_the_argument(call, error, message):
    with pytest.raises(error, match=message):
        call()
