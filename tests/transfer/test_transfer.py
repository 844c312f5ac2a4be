"""course_lib.transfer and plotting.transfer: source model, features, heads, freezing, figures."""

import matplotlib

matplotlib.use("Agg")

import keras  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from keras import layers  # noqa: E402

from course_lib import plotting, transfer  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def tiny():
    """A tiny source architecture (12x12 images, blocks of 4 and 8 filters) and its base."""
    model = transfer.build_source_model((12, 12, 1), num_classes=3, filters=(4, 8), seed=0)
    return model, transfer.feature_extractor(model)


# ---- the shipped source model ---------------------------------------------------------------


def test_shipped_source_model_is_small_and_classifies_held_out_digits_0_to_4():
    from course_lib import data

    assert transfer.SOURCE_MODEL_PATH.stat().st_size < 3 * 2**20
    model = transfer.load_source_model()
    images, labels = data.mnist_subset(split="test", rng=0)
    keep = labels < 5
    predicted = model.predict(images[keep], verbose=0).argmax(axis=1)
    assert np.mean(predicted == labels[keep]) > 0.95


def test_load_source_model_says_how_to_rebuild_a_missing_file(monkeypatch, tmp_path):
    monkeypatch.setattr(transfer.source, "SOURCE_MODEL_PATH", tmp_path / "missing.weights.h5")
    with pytest.raises(FileNotFoundError, match="train_source_model.py"):
        transfer.load_source_model()


# ---- architecture and base ------------------------------------------------------------------


def test_source_architecture_layers_and_feature_size(tiny):
    model, base = tiny
    names = [layer.name for layer in model.layers]
    assert names[1:5] == ["block1_conv", "block1_bn", "block1_relu", "block1_pool"]
    assert "block2_pool" not in names  # no pooling after the last block
    assert base.output_shape == (None, 8)
    # the base shares the classifier's weights: same objects, not copies
    assert base.get_layer("block1_conv").kernel is model.get_layer("block1_conv").kernel


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"input_shape": (12, 12)}, ValueError, "input_shape must be"),
        ({"input_shape": (12, 12, 1), "filters": ()}, ValueError, "filters must hold"),
        ({"input_shape": (12, 12, 1), "num_classes": 1}, ValueError, "num_classes must be >= 2"),
        ({"input_shape": (12, 12, 1), "seed": 1.5}, TypeError, "seed must be an integer"),
    ],
)
def test_build_source_model_rejects_bad_arguments(kwargs, error, match):
    shape = kwargs.pop("input_shape")
    with pytest.raises(error, match=match):
        transfer.build_source_model(shape, **kwargs)


def test_feature_extractor_rejects_unknown_layers_and_non_models(tiny):
    model, _ = tiny
    with pytest.raises(ValueError, match="layer_name 'fc7' is not a layer"):
        transfer.feature_extractor(model, layer_name="fc7")
    with pytest.raises(TypeError, match="model must be a keras.Model"):
        transfer.feature_extractor("vgg16")


# ---- feature extraction ---------------------------------------------------------------------


def test_extract_features_equals_the_base_in_inference_mode(tiny):
    _, base = tiny
    images = np.random.default_rng(0).random((5, 12, 12, 1)).astype("float32")
    features = transfer.extract_features(base, images, batch_size=2)
    expected = keras.ops.convert_to_numpy(base(images, training=False))
    np.testing.assert_allclose(features, expected, rtol=1e-5, atol=1e-6)
    assert features.dtype == np.float32


def test_extract_features_averages_feature_maps_by_hand():
    # A base that returns its input: the feature of a (2, 2, 1) map is the mean of its pixels.
    inputs = keras.Input((2, 2, 1))
    identity = keras.Model(inputs, layers.Identity()(inputs))
    images = np.array([[[1.0], [2.0]], [[3.0], [6.0]]])[None]
    np.testing.assert_allclose(transfer.extract_features(identity, images), [[3.0]])


def test_flattened_features_keep_every_position_and_match_the_classifier(tiny):
    model, _ = tiny
    maps = transfer.feature_extractor(model, layer_name="block2_relu")  # (N, 6, 6, 8)
    images = np.random.default_rng(5).random((2, 12, 12, 1)).astype("float32")
    flat = transfer.extract_features(maps, images, pooling="flatten")
    np.testing.assert_allclose(flat, maps.predict(images, verbose=0).reshape(2, -1), rtol=1e-6)
    head = transfer.build_head(flat.shape[1], 3, hidden_units=0, dropout=0.0)
    classifier = transfer.build_classifier(maps, 3, head=head, pooling="flatten")
    np.testing.assert_allclose(classifier.predict(images, verbose=0), head.predict(flat, verbose=0), rtol=1e-5, atol=1e-6)
    with pytest.raises(ValueError, match="pooling must be one of"):
        transfer.build_classifier(maps, 3, pooling="max")


def test_extract_features_rejects_bad_input(tiny):
    _, base = tiny
    with pytest.raises(ValueError, match="images must be 4-D"):
        transfer.extract_features(base, np.zeros((12, 12, 1)))
    with pytest.raises(ValueError, match="pooling must be one of"):
        transfer.extract_features(base, np.zeros((1, 12, 12, 1)), pooling="max")
    with pytest.raises(ValueError, match="batch_size must be >= 1"):
        transfer.extract_features(base, np.zeros((1, 12, 12, 1)), batch_size=0)
    with pytest.raises(TypeError, match="base must be a keras.Model"):
        transfer.extract_features(np.zeros(3), np.zeros((1, 12, 12, 1)))


# ---- heads and classifiers ------------------------------------------------------------------


def test_linear_head_is_a_softmax_of_an_affine_map():
    head = transfer.build_head(4, 3, hidden_units=0, dropout=0.0, seed=0)
    kernel, bias = head.layers[-1].get_weights()
    features = np.random.default_rng(1).normal(size=(6, 4)).astype("float32")
    logits = features @ kernel + bias
    expected = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(head.predict(features, verbose=0), expected, rtol=1e-5)


def test_build_head_rejects_bad_sizes():
    with pytest.raises(ValueError, match="dropout must be <= 0.99"):
        transfer.build_head(4, 3, dropout=1.0)
    with pytest.raises(ValueError, match="num_classes must be >= 2"):
        transfer.build_head(4, 1)
    with pytest.raises(TypeError, match="feature_dim must be an integer"):
        transfer.build_head(4.0, 3)


def test_fit_leaves_batchnorm_statistics_alone_but_trains_the_unfrozen_block():
    """fit calls the model with training=True; the base's batch norm must still run in inference mode."""
    keras.utils.set_random_seed(0)
    base = transfer.feature_extractor(transfer.build_source_model((12, 12, 1), num_classes=3, filters=(4, 8)))
    model = transfer.build_classifier(base, 3, hidden_units=0, dropout=0.0)
    transfer.unfreeze_top(base, first_layer="block2_conv")
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="sparse_categorical_crossentropy")
    bn = base.get_layer("block2_bn")
    before = [keras.ops.convert_to_numpy(w).copy() for w in bn.weights]
    kernel_before = keras.ops.convert_to_numpy(base.get_layer("block2_conv").kernel).copy()
    images = np.random.default_rng(2).random((8, 12, 12, 1)).astype("float32") * 5
    model.fit(images, np.arange(8) % 3, epochs=1, batch_size=4, verbose=0)
    for old, new in zip(before, bn.weights):
        np.testing.assert_array_equal(keras.ops.convert_to_numpy(new), old)
    assert not np.allclose(keras.ops.convert_to_numpy(base.get_layer("block2_conv").kernel), kernel_before)


def test_batchnorm_in_training_mode_updates_its_statistics():
    base = transfer.feature_extractor(transfer.build_source_model((12, 12, 1), num_classes=3, filters=(4, 8)))
    model = transfer.build_classifier(base, 3, hidden_units=0, batchnorm_inference=False)
    bn = base.get_layer("block1_bn")
    assert bn.trainable
    model(np.full((4, 12, 12, 1), 5.0, dtype="float32"), training=True)
    assert not np.allclose(keras.ops.convert_to_numpy(bn.moving_mean), 0.0)


def test_classifier_reuses_a_trained_head_and_equals_features_then_head(tiny):
    _, base = tiny
    head = transfer.build_head(8, 3, hidden_units=4, seed=1)
    model = transfer.build_classifier(base, 3, head=head)
    images = np.random.default_rng(3).random((3, 12, 12, 1)).astype("float32")
    two_step = head.predict(transfer.extract_features(base, images), verbose=0)
    np.testing.assert_allclose(model.predict(images, verbose=0), two_step, rtol=1e-5, atol=1e-6)


def test_classifier_pools_feature_maps_and_checks_the_head(tiny):
    model, _ = tiny
    maps = transfer.feature_extractor(model, layer_name="block2_relu")  # (N, 6, 6, 8)
    assert transfer.build_classifier(maps, 3).get_layer("average_pool") is not None
    with pytest.raises(ValueError, match="head must map 8 features to 3 classes"):
        transfer.build_classifier(maps, 3, head=transfer.build_head(5, 3))
    with pytest.raises(TypeError, match="head must be a keras.Model"):
        transfer.build_classifier(maps, 3, head=lambda x: x)


def test_augmentation_changes_images_only_in_training():
    augment = transfer.augmentation(rotation=0.2, shift=0.2, zoom=0.2, flip=True, seed=0)
    assert [layer.__class__.__name__ for layer in augment.layers] == [
        "RandomFlip", "RandomRotation", "RandomTranslation", "RandomZoom"]
    images = np.zeros((2, 16, 16, 1), dtype="float32")
    images[:, 2:6, 2:9] = 1.0
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(augment(images, training=False)), images)
    assert not np.allclose(keras.ops.convert_to_numpy(augment(images, training=True)), images)
    with pytest.raises(ValueError, match="zoom must be <= 0.99"):
        transfer.augmentation(zoom=1.5)


# ---- freezing -------------------------------------------------------------------------------


def test_unfreeze_top_freezes_below_and_keeps_batchnorm_frozen(tiny):
    model, _ = tiny
    base = transfer.feature_extractor(model)
    assert transfer.unfreeze_top(base, first_layer="block2_conv") == ["block2_conv"]
    assert not base.get_layer("block1_conv").trainable
    assert not base.get_layer("block2_bn").trainable
    counts = transfer.count_parameters(base)
    assert counts["trainable"] == 3 * 3 * 4 * 8  # only block2_conv's kernel (no bias)
    assert counts["trainable"] + counts["frozen"] == base.count_params()
    everything = transfer.unfreeze_top(base, first_layer="block1_conv", train_batchnorm=True)
    assert everything == ["block1_conv", "block1_bn", "block2_conv", "block2_bn"]
    with pytest.raises(ValueError, match="first_layer 'block9_conv' is not a layer"):
        transfer.unfreeze_top(base, first_layer="block9_conv")
    with pytest.raises(TypeError, match="base must be a keras.Model"):
        transfer.unfreeze_top(None, first_layer="block1_conv")


def test_unfreeze_top_finds_layers_inside_nested_models(tiny):
    _, base = tiny
    inputs = keras.Input((12, 12, 1))
    wrapper = keras.Model(inputs, base(layers.Rescaling(2.0)(inputs)))
    assert transfer.unfreeze_top(wrapper, first_layer="block2_conv") == ["block2_conv"]


def test_count_parameters_by_hand_and_after_freezing():
    head = transfer.build_head(8, 3, hidden_units=4)
    assert transfer.count_parameters(head) == {"trainable": 8 * 4 + 4 + 4 * 3 + 3, "frozen": 0}
    head.trainable = False
    assert transfer.count_parameters(head) == {"trainable": 0, "frozen": 51}
    with pytest.raises(TypeError, match="model must be a keras.Model"):
        transfer.count_parameters({"weights": 3})


# ---- ImageNet bases (offline: random weights) -----------------------------------------------


def test_imagenet_base_preprocessing_matches_keras(capsys):
    base = transfer.imagenet_base("vgg16", image_size=32)
    assert "random weights" in capsys.readouterr().out
    images = np.random.default_rng(4).random((2, 32, 32, 3)).astype("float32")
    backbone = base.layers[-1]
    expected = backbone(keras.applications.vgg16.preprocess_input(images * 255.0))
    np.testing.assert_allclose(base(images), keras.ops.convert_to_numpy(expected), rtol=1e-4, atol=1e-3)
    with pytest.raises(ValueError, match="name must be one of"):
        transfer.imagenet_base("resnet50")
    with pytest.raises(ValueError, match="image_size must be >= 32"):
        transfer.imagenet_base("vgg16", image_size=16)


# ---- few-shot target sets -------------------------------------------------------------------


def test_few_shot_by_hand_and_properties():
    labels = np.array([5, 6, 7, 5, 6, 7, 5, 6])
    images = np.arange(8) * 10
    picked, new = transfer.few_shot(images, labels, classes=[6, 5], n_per_class=2, rng=0)
    assert np.bincount(new).tolist() == [2, 2]
    np.testing.assert_array_equal(labels[picked // 10], np.where(new == 0, 6, 5))  # 6 -> 0, 5 -> 1
    again, _ = transfer.few_shot(images, labels, classes=[6, 5], n_per_class=2, rng=0)
    np.testing.assert_array_equal(picked, again)
    assert len(set(picked.tolist())) == 4  # no example twice


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"classes": [5], "n_per_class": 4}, ValueError, "class 5 has 3 examples"),
        ({"classes": [], "n_per_class": 1}, ValueError, "classes must be a non-empty"),
        ({"classes": [5, 5], "n_per_class": 1}, ValueError, "distinct labels"),
        ({"classes": [5], "n_per_class": 0}, ValueError, "n_per_class must be >= 1"),
        ({"classes": [5], "n_per_class": 1, "rng": "seed"}, TypeError, "rng must be an int seed"),
    ],
)
def test_few_shot_rejects_bad_requests(kwargs, error, match):
    labels = np.array([5, 6, 5, 6, 5])
    with pytest.raises(error, match=match):
        transfer.few_shot(np.zeros((5, 2)), labels, **kwargs)


def test_few_shot_rejects_mismatched_lengths():
    with pytest.raises(ValueError, match="same length"):
        transfer.few_shot(np.zeros((4, 2)), np.array([1, 2, 3]), classes=[1], n_per_class=1)


# ---- figures and table ----------------------------------------------------------------------


def test_plot_curves_draws_one_smoothed_line_per_run_and_shifts_fine_tuning():
    histories = {"frozen": {"val_accuracy": [0.5, 0.6, 0.7]}, "fine-tuned": {"val_accuracy": [0.7, 0.9]}}
    ax = plotting.transfer.plot_curves(histories, smoothing=0.5, start_epochs={"fine-tuned": 3})
    labelled = [line for line in ax.get_lines() if not line.get_label().startswith("_")]
    assert [line.get_label() for line in labelled] == ["frozen", "fine-tuned"]
    assert len(ax.get_lines()) == 4  # a faint raw curve under each smoothed one
    np.testing.assert_array_equal(labelled[1].get_xdata(), [4, 5])
    np.testing.assert_allclose(labelled[0].get_ydata(), [0.5, 0.55, 0.625])  # EMA by hand
    assert "smoothed" in ax.get_title() and ax.get_xlabel() == "epoch"


def test_plot_curves_rejects_bad_input():
    with pytest.raises(ValueError, match="histories must hold"):
        plotting.transfer.plot_curves({})
    with pytest.raises(ValueError, match="has no metric 'val_accuracy'"):
        plotting.transfer.plot_curves({"a": {"loss": [1.0]}})
    with pytest.raises(TypeError, match="must be a keras History"):
        plotting.transfer.plot_curves({"a": [0.5]})
    with pytest.raises(ValueError, match="smoothing must be <= 0.999"):
        plotting.transfer.plot_curves({"a": {"val_accuracy": [0.5]}}, smoothing=1.0)


def test_plot_results_bars_labels_and_chance_line():
    ax = plotting.transfer.plot_results({"scratch": 0.5, "features": 0.8}, chance=0.2)
    assert [bar.get_width() for bar in ax.patches] == [0.5, 0.8]
    assert [text.get_text() for text in ax.texts] == ["50.0%", "80.0%"]
    assert ax.get_lines()[0].get_xdata()[0] == 0.2
    with pytest.raises(ValueError, match=r"results\['x'\] must be <= 1.0"):
        plotting.transfer.plot_results({"x": 80.0})
    with pytest.raises(ValueError, match="results must hold"):
        plotting.transfer.plot_results({})


def test_results_table_formats_and_checks_columns():
    table = plotting.transfer.results_table(
        {"a": {"accuracy": 0.5, "trainable": 1234567, "note": "frozen"}}, digits=1)
    assert table.splitlines()[2] == "| a | 0.5 | 1,234,567 | frozen |"
    with pytest.raises(ValueError, match="rows must hold"):
        plotting.transfer.results_table({})
    with pytest.raises(ValueError, match=r"rows\['b'\] has columns \['loss'\]"):
        plotting.transfer.results_table({"a": {"accuracy": 1.0}, "b": {"loss": 1.0}})


def test_few_shot_and_build_source_model_name_a_wrong_type():
    labels = np.array([0, 1, 0, 1])
    with pytest.raises(TypeError, match=r"^images must be an array of images \(N, \.\.\.\); got str"):
        transfer.few_shot("abc", labels, classes=[0, 1], n_per_class=1)
    with pytest.raises(ValueError, match=r"^images must be a rectangular array"):
        transfer.few_shot([[0.1, 0.2], [0.3]], labels[:2], classes=[0, 1], n_per_class=1)
    with pytest.raises(TypeError, match=r"^classes must be a list of class numbers; got NoneType"):
        transfer.few_shot(np.zeros((4, 2)), labels, classes=None, n_per_class=1)
    with pytest.raises(TypeError, match=r"^filters must be a list of ints; got NoneType"):
        transfer.build_source_model((12, 12, 1), filters=None)
