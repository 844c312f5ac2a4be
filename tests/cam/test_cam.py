"""Tests of course_lib.cam (Grad-CAM, CAM, pointing game, box IoU, baselines) and its figures."""

import matplotlib

matplotlib.use("Agg")

import keras
import matplotlib.pyplot as plt
import numpy as np
import pytest
from keras import layers

from course_lib import cam, plotting

RNG = np.random.default_rng(0)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def hand_model(*, sequential: bool = False, softmax: bool = False) -> keras.Model:
    """4x4x1 input -> 1x1 conv with two filters (+1, -1), no bias -> GAP -> identity dense.

    Score 0 is mean(image), score 1 is -mean(image): Grad-CAM of class 0 is image / max(image),
    of class 1 is ReLU(-image), all zeros for a positive image.
    """
    conv = layers.Conv2D(2, 1, use_bias=False, name="conv")
    dense = layers.Dense(2, use_bias=False, activation="softmax" if softmax else None, name="dense")
    stack = [conv, layers.GlobalAveragePooling2D(name="gap"), dense]
    if sequential:
        model = keras.Sequential([keras.Input((4, 4, 1)), *stack])
    else:
        inputs = keras.Input((4, 4, 1))
        x = inputs
        for layer in stack:
            x = layer(x)
        model = keras.Model(inputs, x)
    conv.set_weights([np.array([1.0, -1.0]).reshape(1, 1, 1, 2)])
    dense.set_weights([np.eye(2)])
    return model


def random_gap_model(seed: int = 1, *, softmax: bool = False) -> keras.Model:
    """A small random convnet ending in GAP + dense (3 classes)."""
    keras.utils.set_random_seed(seed)
    inputs = keras.Input((12, 12, 3))
    x = layers.Conv2D(4, 3, padding="same", activation="relu")(inputs)
    x = layers.MaxPooling2D()(x)
    x = layers.Conv2D(6, 3, padding="same", activation="relu", name="last_conv")(x)
    x = layers.GlobalAveragePooling2D()(x)
    return keras.Model(inputs, layers.Dense(3, activation="softmax" if softmax else None)(x))


POSITIVE = RNG.uniform(0.1, 1.0, size=(2, 4, 4, 1))


# --- grad_cam: known answers ------------------------------------------------------------

def test_grad_cam_of_hand_model_is_the_image_scaled():
    heatmaps = cam.grad_cam(hand_model(), POSITIVE, class_index=0)
    expected = POSITIVE[..., 0] / POSITIVE.max(axis=(1, 2, 3))[:, None, None]
    np.testing.assert_allclose(heatmaps, expected, rtol=1e-5)
    assert heatmaps.shape == (2, 4, 4) and heatmaps.dtype == np.float64


def test_grad_cam_all_negative_evidence_gives_zeros_and_warns():
    with pytest.warns(UserWarning, match="2 of 2 heatmaps had no positive value"):
        heatmaps = cam.grad_cam(hand_model(), POSITIVE, class_index=1)
    np.testing.assert_array_equal(heatmaps, 0.0)


def test_grad_cam_defaults_to_predicted_class_per_image():
    images = np.stack([POSITIVE[0], -POSITIVE[1]])  # predicted classes: 0, then 1
    default = cam.grad_cam(hand_model(), images)
    explicit = cam.grad_cam(hand_model(), images, class_index=np.array([0, 1]))
    np.testing.assert_allclose(default, explicit)
    assert np.all(default.max(axis=(1, 2)) == pytest.approx(1.0))


def test_grad_cam_sequential_and_functional_agree():
    functional = cam.grad_cam(hand_model(), POSITIVE, class_index=0)
    sequential = cam.grad_cam(hand_model(sequential=True), POSITIVE, class_index=0)
    np.testing.assert_allclose(functional, sequential)


def test_grad_cam_skips_the_softmax():
    # with 3 classes, d p_c / d A mixes the other classes' weights; Grad-CAM uses the logit
    logits = random_gap_model()
    images = RNG.uniform(size=(4, 12, 12, 3))
    expected = cam.grad_cam(logits, images, class_index=1)
    fused = random_gap_model(softmax=True)
    fused.set_weights(logits.get_weights())
    np.testing.assert_allclose(cam.grad_cam(fused, images, class_index=1), expected, atol=1e-5)
    separate = keras.Model(logits.inputs[0], layers.Softmax()(logits.outputs[0]))
    np.testing.assert_allclose(cam.grad_cam(separate, images, class_index=1), expected, atol=1e-5)


def test_grad_cam_equals_cam_on_gap_models():
    # Selvaraju et al.: for GAP + dense, alpha_k = w_k / (h w), so the normalised maps coincide
    model = random_gap_model()
    images = RNG.uniform(size=(3, 12, 12, 3))
    np.testing.assert_allclose(cam.grad_cam(model, images), cam.class_activation_map(model, images), atol=1e-5)


def test_grad_cam_matches_a_reference_written_out():
    model = random_gap_model(seed=2)
    images = RNG.uniform(size=(2, 12, 12, 3))
    import tensorflow as tf

    sub = keras.Model(model.inputs[0], [model.get_layer("last_conv").output, model.outputs[0]])
    with tf.GradientTape() as tape:
        features, scores = sub(images.astype("float32"))
        score = tf.reduce_sum(scores[:, 2])
    grads = tape.gradient(score, features).numpy()
    raw = np.maximum((features.numpy() * grads.mean(axis=(1, 2), keepdims=True)).sum(-1), 0)
    expected = raw / raw.max(axis=(1, 2), keepdims=True)
    got = cam.grad_cam(model, images, layer_name="last_conv", class_index=2, resize_to_input=False)
    np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-6)


def test_grad_cam_resizes_to_input_and_stays_in_unit_range():
    model = random_gap_model()
    images = RNG.uniform(size=(2, 12, 12, 3))
    coarse = cam.grad_cam(model, images, resize_to_input=False)
    fine = cam.grad_cam(model, images)
    assert coarse.shape == (2, 6, 6) and fine.shape == (2, 12, 12)
    assert fine.min() >= 0.0 and fine.max() <= 1.0
    early = cam.grad_cam(model, images, layer_name=model.layers[1].name, resize_to_input=False)
    assert early.shape == (2, 12, 12)


def test_grad_cam_with_residual_block():
    inputs = keras.Input((8, 8, 2))
    x = layers.Conv2D(2, 3, padding="same", activation="relu")(inputs)
    x = layers.Add(name="add")([x, inputs])
    model = keras.Model(inputs, layers.Dense(2)(layers.GlobalAveragePooling2D()(x)))
    assert cam.last_conv_layer_name(model) == "add"
    assert cam.grad_cam(model, RNG.uniform(size=(1, 8, 8, 2))).shape == (1, 8, 8)


# --- grad_cam: bad input --------------------------------------------------------------

def test_grad_cam_rejects_bad_input():
    model = hand_model()
    with pytest.raises(TypeError, match="model must be a keras.Model"):
        cam.grad_cam("model", POSITIVE)
    with pytest.raises(ValueError, match="images must be 4-D"):
        cam.grad_cam(model, POSITIVE[0])
    with pytest.raises(ValueError, match=r"the model expects \(4, 4, 1\)"):
        cam.grad_cam(model, np.ones((1, 5, 5, 1)))
    with pytest.raises(ValueError, match="layer_name 'nope' is not a layer"):
        cam.grad_cam(model, POSITIVE, layer_name="nope")
    with pytest.raises(TypeError, match="layer_name must be a str"):
        cam.grad_cam(model, POSITIVE, layer_name=3)
    with pytest.raises(ValueError, match="Grad-CAM needs a 4-D feature map"):
        cam.grad_cam(model, POSITIVE, layer_name="gap")
    with pytest.raises(ValueError, match=r"class_index must be in \[0, 1\]"):
        cam.grad_cam(model, POSITIVE, class_index=2)
    with pytest.raises(ValueError, match="class_index must be an int or 2 ints"):
        cam.grad_cam(model, POSITIVE, class_index=np.array([0]))
    with pytest.raises(TypeError, match="class_index must be an integer"):
        cam.grad_cam(model, POSITIVE, class_index=0.5)


def test_grad_cam_rejects_models_without_class_scores_or_inputs():
    inputs = keras.Input((4, 4, 1))
    segmenter = keras.Model(inputs, layers.Conv2D(2, 1)(inputs))
    with pytest.raises(ValueError, match=r"model output must be \(N, classes\)"):
        cam.grad_cam(segmenter, POSITIVE)
    with pytest.raises(ValueError, match="is not built"):
        cam.grad_cam(keras.Sequential([layers.Conv2D(2, 1)]), POSITIVE)
    first, second = keras.Input((4, 4, 1)), keras.Input((4, 4, 1))
    two = keras.Model([first, second], layers.Add()([first, second]))
    with pytest.raises(ValueError, match="exactly one input"):
        cam.grad_cam(two, POSITIVE)


def test_last_conv_layer_name_finds_last_4d_output_or_raises():
    assert cam.last_conv_layer_name(hand_model(sequential=True)) == "conv"
    assert cam.last_conv_layer_name(random_gap_model()) == "last_conv"
    dense_only = keras.Sequential([keras.Input((3,)), layers.Dense(2)])
    with pytest.raises(ValueError, match="no layer with a 4-D"):
        cam.last_conv_layer_name(dense_only)


# --- class_activation_map ---------------------------------------------------------------

def test_class_activation_map_known_answer_and_flat_maps():
    heatmaps = cam.class_activation_map(hand_model(), POSITIVE, class_index=0)
    np.testing.assert_allclose(heatmaps, POSITIVE[..., 0] / POSITIVE.max(axis=(1, 2, 3))[:, None, None], rtol=1e-6)
    with pytest.warns(UserWarning, match="no positive value"):
        assert cam.class_activation_map(hand_model(softmax=True), POSITIVE, class_index=1).max() == 0.0


def test_class_activation_map_needs_gap_and_one_dense():
    inputs = keras.Input((4, 4, 1))
    flat = keras.Model(inputs, layers.Dense(2)(layers.Flatten()(layers.Conv2D(2, 1)(inputs))))
    with pytest.raises(ValueError, match="ends in GlobalAveragePooling2D and one Dense"):
        cam.class_activation_map(flat, POSITIVE)
    x = layers.GlobalAveragePooling2D()(layers.Conv2D(2, 1)(inputs))
    two_dense = keras.Model(inputs, layers.Dense(2)(layers.Dense(3)(x)))
    with pytest.raises(ValueError, match="Use grad_cam"):
        cam.class_activation_map(two_dense, POSITIVE)


# --- normalize and upsample -------------------------------------------------------------

def test_normalize_properties_and_errors():
    maps = RNG.normal(size=(5, 3, 3)) + 0.5
    maps[2] = -1.0
    with pytest.warns(UserWarning, match="1 of 5 heatmaps"):
        heatmaps = cam.normalize(maps)
    np.testing.assert_array_equal(heatmaps[2], 0.0)
    np.testing.assert_allclose(np.delete(heatmaps, 2, axis=0).max(axis=(1, 2)), 1.0)
    assert heatmaps.min() == 0.0
    with pytest.raises(ValueError, match="maps must be 3-D"):
        cam.normalize(np.ones((3, 3)))
    with pytest.raises(ValueError, match="NaN"):
        cam.normalize(np.full((1, 2, 2), np.nan))


def test_upsample_keeps_constants_and_range():
    np.testing.assert_allclose(cam.upsample(np.full((1, 2, 3), 0.7), (8, 12)), 0.7)
    maps = RNG.uniform(size=(2, 3, 3))
    out = cam.upsample(maps, 9)
    assert out.shape == (2, 9, 9)
    assert out.min() >= maps.min() - 1e-12 and out.max() <= maps.max() + 1e-12
    with pytest.raises(ValueError, match="size must be >= 1"):
        cam.upsample(maps, 0)
    with pytest.raises(ValueError, match="heatmaps must be 3-D"):
        cam.upsample(maps[0], 4)


# --- pointing game ----------------------------------------------------------------------

def test_pointing_game_known_answers_and_tolerance():
    heatmaps = np.zeros((3, 5, 5))
    heatmaps[:, 4, 4] = 1.0
    masks = np.zeros((3, 5, 5), dtype=bool)
    masks[0, 4, 4] = True  # hit
    masks[1, 4, 1] = True  # 3 pixels away
    masks[2, 0, 0] = True  # 5.66 pixels away
    np.testing.assert_array_equal(cam.pointing_game(heatmaps, masks), [True, False, False])
    np.testing.assert_array_equal(cam.pointing_game(heatmaps, masks, tolerance=3), [True, True, False])
    np.testing.assert_array_equal(cam.pointing_game(heatmaps, masks, tolerance=6), [True, True, True])


def test_pointing_game_mask_as_heatmap_always_hits():
    masks = RNG.uniform(size=(10, 8, 8)) > 0.7
    masks[:, 0, 0] = True
    assert cam.pointing_game(masks.astype(float), masks).all()


def test_pointing_game_rejects_bad_input():
    heatmaps = np.ones((2, 4, 4))
    with pytest.raises(ValueError, match="masks must have the shape of heatmaps"):
        cam.pointing_game(heatmaps, np.ones((2, 4, 5), dtype=bool))
    with pytest.raises(ValueError, match="mask 1 is empty"):
        cam.pointing_game(heatmaps, np.stack([np.ones((4, 4), bool), np.zeros((4, 4), bool)]))
    with pytest.raises(ValueError, match="tolerance must be >= 0"):
        cam.pointing_game(heatmaps, np.ones((2, 4, 4), dtype=bool), tolerance=-1)
    with pytest.raises(ValueError, match="heatmaps must be 3-D"):
        cam.pointing_game(heatmaps[0], np.ones((4, 4), dtype=bool))


# --- boxes ------------------------------------------------------------------------------

def test_heatmap_box_of_a_rectangle_is_the_rectangle_at_any_threshold():
    heatmap = np.zeros((10, 12))
    heatmap[2:7, 3:11] = RNG.uniform(0.6, 1.0, size=(5, 8))
    for threshold in (0.1, 0.3, 0.5):
        np.testing.assert_array_equal(cam.heatmap_box(heatmap, threshold=threshold), [2, 3, 7, 11])
    np.testing.assert_array_equal(cam.heatmap_box(np.zeros((4, 6))), [0, 0, 4, 6])
    with pytest.raises(ValueError, match="threshold must be <= 1"):
        cam.heatmap_box(heatmap, threshold=1.5)
    with pytest.raises(ValueError, match="heatmap must be 2-D"):
        cam.heatmap_box(heatmap[None])


def random_boxes(n: int) -> np.ndarray:
    rows = np.sort(RNG.integers(0, 20, size=(n, 2)), axis=1)
    cols = np.sort(RNG.integers(0, 20, size=(n, 2)), axis=1)
    return np.column_stack([rows[:, 0], cols[:, 0], rows[:, 1] + 1, cols[:, 1] + 1])


def test_box_iou_known_answers_and_properties():
    assert cam.box_iou([0, 0, 4, 4], [0, 0, 4, 4]) == 1.0
    assert cam.box_iou([0, 0, 2, 2], [2, 2, 4, 4]) == 0.0
    assert cam.box_iou([0, 0, 2, 4], [0, 2, 2, 6]) == pytest.approx(4 / 12)
    a, b = (random_boxes(50) for _ in range(2))
    np.testing.assert_allclose(cam.box_iou(a, b), cam.box_iou(b, a))
    # reference: count pixels of the two boxes drawn as masks
    for box_a, box_b in zip(a[:10], b[:10]):
        mask_a = np.zeros((21, 21), bool)
        mask_b = np.zeros((21, 21), bool)
        mask_a[box_a[0]:box_a[2], box_a[1]:box_a[3]] = True
        mask_b[box_b[0]:box_b[2], box_b[1]:box_b[3]] = True
        expected = (mask_a & mask_b).sum() / (mask_a | mask_b).sum()
        assert cam.box_iou(box_a, box_b) == pytest.approx(expected)


def test_box_iou_rejects_bad_boxes():
    with pytest.raises(ValueError, match="boxes_a must have 4 coordinates"):
        cam.box_iou([0, 0, 1], [0, 0, 1, 1])
    with pytest.raises(ValueError, match="boxes_b has a box whose maximum is not above"):
        cam.box_iou([0, 0, 1, 1], [2, 0, 2, 1])


def test_box_iou_at_thresholds_shape_and_errors():
    heatmaps = np.zeros((2, 6, 6))
    heatmaps[:, 1:4, 1:4] = 1.0
    iou = cam.box_iou_at_thresholds(heatmaps, [[1, 1, 4, 4], [0, 0, 6, 6]], thresholds=(0.2, 0.5))
    np.testing.assert_allclose(iou, [[1.0, 1.0], [0.25, 0.25]])
    with pytest.raises(ValueError, match=r"boxes must have shape \(2, 4\)"):
        cam.box_iou_at_thresholds(heatmaps, [[1, 1, 4, 4]])
    with pytest.raises(ValueError, match="at least one value"):
        cam.box_iou_at_thresholds(heatmaps, [[1, 1, 4, 4]] * 2, thresholds=())


# --- baselines --------------------------------------------------------------------------

def test_center_heatmaps_peak_in_centre_and_symmetric():
    maps = cam.center_heatmaps(3, (7, 9), sigma=0.2)
    assert maps.shape == (3, 7, 9)
    assert np.unravel_index(np.argmax(maps[0]), (7, 9)) == (3, 4)
    np.testing.assert_allclose(maps[0], maps[0][::-1, ::-1])
    with pytest.raises(ValueError, match="sigma must be >= 1e-06"):
        cam.center_heatmaps(1, 4, sigma=0.0)
    with pytest.raises(ValueError, match="n must be >= 1"):
        cam.center_heatmaps(0, 4)


def test_random_heatmaps_seeded_and_spread():
    a = cam.random_heatmaps(200, 16, rng=3)
    np.testing.assert_array_equal(a, cam.random_heatmaps(200, 16, rng=3))
    assert not np.array_equal(a, cam.random_heatmaps(200, 16, rng=4))
    assert a.min() == 0.0 and a.max() == 1.0
    peaks = np.array([np.unravel_index(np.argmax(m), m.shape) for m in a])
    assert peaks[:, 0].std() > 3 and peaks[:, 1].std() > 3  # peaks spread over the image
    np.testing.assert_array_equal(cam.random_heatmaps(1, 4, sigma=0.0, rng=0).shape, (1, 4, 4))
    with pytest.raises(TypeError, match="rng must be an int seed"):
        cam.random_heatmaps(1, 4, rng="zero")
    with pytest.raises(ValueError, match="sigma must be >= 0"):
        cam.random_heatmaps(1, 4, sigma=-0.1)


# --- figures ----------------------------------------------------------------------------

IMAGE = RNG.uniform(size=(8, 8, 3))
HEATMAP = np.zeros((8, 8))
HEATMAP[2, 5] = 1.0


def test_overlay_draws_image_heatmap_box_and_peak():
    ax = plotting.cam.overlay(IMAGE, HEATMAP, title="Grad-CAM", box=[1, 4, 4, 7])
    assert len(ax.images) == 2
    np.testing.assert_allclose(ax.images[1].get_array(), HEATMAP)
    assert ax.get_title() == "Grad-CAM"
    assert len(ax.patches) == 1 and ax.patches[0].get_width() == 3
    assert list(ax.lines[0].get_xdata()) == [5] and list(ax.lines[0].get_ydata()) == [2]
    assert len(ax.figure.axes) == 2  # the colour bar
    ax = plotting.cam.overlay(IMAGE, HEATMAP, box=[1, 4, 4, 7], found_box=[2, 5, 3, 6], peak=False, colorbar=False)
    assert [p.get_linestyle() for p in ax.patches] == ["-", "--"] and not ax.lines
    with pytest.raises(ValueError, match="Upsample it with cam.upsample"):
        plotting.cam.overlay(IMAGE, np.zeros((4, 4)))


def test_show_cams_grid_and_errors():
    fig = plotting.cam.show_cams(np.stack([IMAGE] * 3), np.stack([HEATMAP] * 3), titles=["a", "b", "c"],
                                 boxes=[[0, 0, 2, 2]] * 3, columns=2, suptitle="maps")
    assert len(fig.axes) == 5  # 2x2 grid + colour bar
    assert [ax.get_title() for ax in fig.axes[:3]] == ["a", "b", "c"]
    assert fig.get_suptitle() == "maps"
    with pytest.raises(ValueError, match="one map per image"):
        plotting.cam.show_cams(np.stack([IMAGE] * 2), HEATMAP[None])
    with pytest.raises(ValueError, match=r"boxes must have shape \(1, 4\)"):
        plotting.cam.show_cams(IMAGE[None], HEATMAP[None], boxes=[[0, 0, 1, 1]] * 2)


def test_compare_maps_one_panel_per_method():
    fig = plotting.cam.compare_maps(IMAGE, {"CAM": HEATMAP, "centre": HEATMAP.T}, box=[1, 1, 3, 3])
    assert [ax.get_title() for ax in fig.axes[:3]] == ["image", "CAM", "centre"]
    np.testing.assert_allclose(fig.axes[2].images[1].get_array(), HEATMAP.T)
    with pytest.raises(ValueError, match="at least one method"):
        plotting.cam.compare_maps(IMAGE, {})


def test_plot_pointing_game_and_box_iou():
    ax = plotting.cam.plot_pointing_game({"Grad-CAM": 0.95, "random": 0.2})
    assert [p.get_height() for p in ax.patches] == [0.95, 0.2]
    assert [t.get_text() for t in ax.texts] == ["95%", "20%"]
    with pytest.raises(ValueError, match="accuracies must be <= 1"):
        plotting.cam.plot_pointing_game({"x": 95})
    ax = plotting.cam.plot_box_iou({"CAM": [0.5, 0.6], "centre": [0.2, 0.1]}, [0.2, 0.5])
    assert [line.get_label() for line in ax.lines] == ["CAM", "centre"]
    np.testing.assert_allclose(ax.lines[0].get_ydata(), [0.5, 0.6])
    with pytest.raises(ValueError, match="one value per threshold"):
        plotting.cam.plot_box_iou({"CAM": [0.5]}, [0.2, 0.5])


def test_energy_inside_by_hand_and_properties():
    heatmaps = np.array([[[1.0, 1.0], [0.0, 2.0]], [[1.0, 1.0], [1.0, 1.0]]])
    masks = np.array([[[True, False], [False, True]], [[True, False], [False, False]]])
    np.testing.assert_allclose(cam.energy_inside(heatmaps, masks), [0.75, 0.25])
    # a flat map scores the object's share of the area; a map zero outside the object scores 1
    rng = np.random.default_rng(0)
    masks = rng.random((5, 8, 8)) < 0.3
    np.testing.assert_allclose(cam.energy_inside(np.ones((5, 8, 8)), masks), masks.mean(axis=(1, 2)))
    np.testing.assert_allclose(cam.energy_inside(masks * rng.random((5, 8, 8)) + masks, masks), 1.0)
    assert np.isnan(cam.energy_inside(np.zeros((1, 2, 2)), np.ones((1, 2, 2), dtype=bool))[0])


@pytest.mark.parametrize(
    ("heatmaps", "masks", "match"),
    [
        (np.ones((2, 4, 4)), np.ones((2, 4, 3), dtype=bool), "masks must have the shape of heatmaps"),
        (-np.ones((1, 4, 4)), np.ones((1, 4, 4), dtype=bool), "heatmaps must be non-negative"),
        (np.ones((4, 4)), np.ones((4, 4), dtype=bool), "heatmaps must be 3-D"),
    ],
)
def test_energy_inside_rejects_bad_input(heatmaps, masks, match):
    with pytest.raises(ValueError, match=match):
        cam.energy_inside(heatmaps, masks)
