"""course_lib.restoration.models, restoration_train and the shipped weights (Keras)."""

import json
from importlib import resources

import keras
import numpy as np
import pytest
import tensorflow as tf
from scipy import ndimage

from course_lib import metrics, restoration
from course_lib.restoration import models as restoration_models
from course_lib.restoration import train as restoration_train
from course_lib.restoration import baselines
from course_lib.restoration.data import WIENER_CONTEXT, PatchDataset, steps_for
from course_lib.restoration.models import build_model, downscale_factor, receptive_field, residual_block

RNG = np.random.default_rng(0)
PICTURES = [ndimage.gaussian_filter(RNG.random((80, 90)), 2) for _ in range(2)]
PICTURES = [(p - p.min()) / (p.max() - p.min()) for p in PICTURES]
#: Stated tolerance: the two whole-image methods agree to within this PSNR of each other
#: (patch averaging vs fully convolutional, shipped denoiser, 40x40 patches, stride 10).
AGREEMENT_DB = 40.0


def test_untrained_model_is_the_identity():
    # the last convolution starts at zero, so the predicted corruption is 0
    model = build_model(blocks=1, channels=4)
    batch = RNG.random((2, 12, 10, 1)).astype("float32")
    np.testing.assert_allclose(model.predict(batch, verbose=0), batch, atol=1e-7)


def test_model_predicts_the_corruption_and_subtracts_it():
    model = build_model(blocks=1, channels=4)
    corruption_layer = model.get_layer("corruption")
    kernel, bias = corruption_layer.get_weights()
    corruption_layer.set_weights([kernel, np.full_like(bias, 0.25)])  # "the noise is 0.25 everywhere"
    np.testing.assert_allclose(model.predict(np.ones((1, 5, 5, 1)), verbose=0), 0.75, atol=1e-6)


def test_model_has_the_configured_blocks_and_receptive_field():
    model = build_model(blocks=3, channels=8)
    assert sum(isinstance(layer, keras.layers.Add) for layer in model.layers) == 3
    assert receptive_field(model) == 4 * 3 + 5
    # one-pixel impulse: the response of a random model spreads exactly over the receptive field
    model.get_layer("corruption").set_weights([RNG.standard_normal((3, 3, 8, 1)).astype("float32"), np.zeros(1, "float32")])
    impulse = np.zeros((1, 41, 41, 1), "float32")
    impulse[0, 20, 20, 0] = 1.0
    response = np.abs(model.predict(impulse, verbose=0) - impulse)[0, :, :, 0] > 0
    rows = np.flatnonzero(response.any(axis=1))
    assert rows.max() - rows.min() + 1 <= receptive_field(model)


def test_same_seed_same_weights():
    first, second = build_model(blocks=1, channels=4, seed=3), build_model(blocks=1, channels=4, seed=3)
    for a, b in zip(first.get_weights(), second.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_residual_block_adds_its_input():
    inputs = keras.Input(shape=(None, None, 2))
    model = keras.Model(inputs, residual_block(inputs, 2, name="b", seed=0))
    model.get_layer("b_conv2").set_weights([np.zeros((3, 3, 2, 2), "float32"), np.zeros(2, "float32")])
    batch = RNG.standard_normal((1, 4, 4, 2)).astype("float32")
    np.testing.assert_allclose(model.predict(batch, verbose=0), np.maximum(batch, 0), atol=1e-6)


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: build_model(blocks=-1), ValueError, "blocks must be >= 0"),
        (lambda: build_model(channels=2.0), TypeError, "channels must be an integer"),
        (lambda: residual_block(keras.Input(shape=(None, None, 3)), 4, name="b"), ValueError, "must have 4 channels"),
        (lambda: receptive_field("model"), TypeError, "model must be a keras.Model"),
        (lambda: PatchDataset(PICTURES, "inpaint"), ValueError, "task must be one of"),
        (lambda: PatchDataset([], "denoise"), ValueError, "images must hold at least one image"),
        (lambda: PatchDataset([np.zeros((60, 60))], "deblur", patch_size=20), ValueError, "at least 72 pixels"),
        (lambda: build_model(downscale=0), ValueError, "downscale must be >= 1"),
        (lambda: build_model(levels=0), ValueError, "levels must be >= 1"),
        (lambda: build_model(levels=1.5), TypeError, "levels must be an integer"),
        (lambda: build_model(dtype="float16"), ValueError, "dtype must be one of"),
        (lambda: downscale_factor(np.zeros(3)), TypeError, "model must be a keras.Model"),
        (lambda: PatchDataset([np.zeros((3, 30, 30))], "denoise"), ValueError, r"images\[0\] must be 2-D"),
        (lambda: PatchDataset(PICTURES, "denoise", scales=(1.0, 0.0)), ValueError, r"scales must be .* in \(0, 1\]"),
        (lambda: PatchDataset(PICTURES, "denoise", scales=(1.5,)), ValueError, "scales must be <= 1.0; got 1.5"),
        (lambda: PatchDataset(PICTURES, "denoise", scales=()), ValueError, "non-empty"),
        (lambda: PatchDataset(PICTURES, "denoise", scales=0.5), TypeError, "scales must be a sequence"),
        (lambda: PatchDataset(PICTURES, "denoise", scales=("big",)), TypeError, "scales must be a real number"),
        (lambda: PatchDataset(PICTURES, "denoise", weighting="pixels"), ValueError, "weighting must be one of"),
        (lambda: PatchDataset(PICTURES, "denoise", weighting=None), ValueError, "weighting must be one of .*; got None"),
        (lambda: steps_for(PICTURES, patch_size=0, batch_size=1), ValueError, "patch_size must be >= 1"),
        (lambda: restoration_train.recipe_settings("huge"), ValueError, "recipe must be one of"),
        (lambda: restoration_train.recipe_settings("quick", depth=3), ValueError, "unknown setting 'depth'"),
        (lambda: restoration_train.train(PICTURES, "denoise", precision="float16"), ValueError, "precision must be one of"),
    ],
)
def test_bad_input_is_rejected(call, error, match):
    with pytest.raises(error, match=match):
        call()


@pytest.mark.parametrize("task", restoration.TASKS)
def test_patch_dataset_pairs_corrupted_and_clean_patches(task):
    data = PatchDataset(PICTURES, task, patch_size=16, batch_size=8, steps=3, seed=1)
    corrupted, clean = data[0]
    assert corrupted.shape == clean.shape == (8, 16, 16, 1)
    assert clean.min() >= 0.0 and clean.max() <= 1.0
    assert not np.allclose(corrupted, clean)  # something was corrupted
    # clean patches are real crops of a training picture (up to rotation / flip)
    assert any(np.isclose(clean[0, 0, 0, 0], picture).any() for picture in PICTURES)


def test_patch_dataset_scale_augmentation_adds_shrunk_copies_big_enough_for_a_patch():
    images = [np.tile(np.linspace(0, 1, 40), (40, 1)), np.full((100, 100), 0.25)]
    assert len(PatchDataset(images, "denoise", patch_size=32).images) == 2  # default: as they are
    data = PatchDataset(images, "denoise", patch_size=32, batch_size=4, scales=(1.0, 0.5))
    # the 40 px ramp shrunk to 20 px is too small for a 32 px patch and left out
    assert [image.shape for image in data.images] == [(40, 40), (100, 100), (50, 50)]
    np.testing.assert_allclose(data.images[2], 0.25)  # anti-aliased shrinking keeps a flat image flat
    np.testing.assert_allclose(data.weights, np.array([1600, 10000, 2500]) / 14100)
    only_shrunk = PatchDataset(images, "denoise", patch_size=16, scales=(0.5,))
    assert [image.shape for image in only_shrunk.images] == [(20, 20), (50, 50)]
    ramp = only_shrunk.images[0]
    assert np.all(np.diff(ramp[0]) > 0) and np.ptp(ramp[:, 7]) < 1e-12  # still a horizontal ramp


def test_patch_dataset_weighting_picks_images_by_area_or_equally_often():
    small, large = np.full((40, 40), 0.25), np.full((120, 120), 0.75)
    assert PatchDataset([small, large], "denoise", patch_size=16).weights.tolist() == [0.1, 0.9]  # 1600 : 14400
    equal = PatchDataset([small, large], "denoise", patch_size=16, scales=(1.0, 0.5), weighting="image")
    assert [image.shape for image in equal.images] == [(40, 40), (120, 120), (20, 20), (60, 60)]
    assert equal.weights.tolist() == [0.25] * 4
    # the weights are what the crops follow: a flat image gives its value to every clean patch
    counts = {0.25: 0, 0.75: 0}
    data = PatchDataset([small, large], "denoise", patch_size=16, batch_size=50, steps=8, weighting="image")
    for index in range(len(data)):
        for value in data[index][1][:, 0, 0, 0]:
            counts[round(float(value), 2)] += 1
    assert 160 <= counts[0.25] <= 240 and counts[0.25] + counts[0.75] == 400  # about half of 400 (area: 10 %)


def test_patch_dataset_is_reproducible_and_changes_between_epochs():
    first = PatchDataset(PICTURES, "denoise", patch_size=16, batch_size=4, steps=2, seed=7)
    second = PatchDataset(PICTURES, "denoise", patch_size=16, batch_size=4, steps=2, seed=7)
    np.testing.assert_array_equal(first[1][0], second[1][0])
    before = first[1][0].copy()
    first.on_epoch_end()
    assert not np.array_equal(before, first[1][0])
    fixed = PatchDataset(PICTURES, "denoise", patch_size=16, batch_size=4, steps=2, seed=7, fixed=True)
    fixed.on_epoch_end()
    np.testing.assert_array_equal(fixed[1][0], before)


def test_deblur_patches_are_the_wiener_deconvolution_of_a_blurred_crop(monkeypatch):
    calls = []

    def fake_wiener(blurred, kernel):
        calls.append((blurred.shape, kernel))
        return np.full(blurred.shape, 7.0)

    monkeypatch.setattr(baselines, "wiener_deblur", fake_wiener)
    corrupted, _ = PatchDataset(PICTURES, "deblur", patch_size=16, batch_size=3, steps=1, seed=0)[0]
    context = WIENER_CONTEXT
    assert len(calls) == 3
    # each patch is deconvolved with real context around it, with its own true kernel
    assert all(shape == (16 + 2 * context, 16 + 2 * context) for shape, _ in calls)
    assert all(np.isclose(kernel.sum(), 1.0) for _, kernel in calls)
    np.testing.assert_array_equal(corrupted, 7.0)


def test_deblur_patches_are_sharper_than_blurred_ones_and_centred_on_the_clean_patch(monkeypatch):
    def batch():
        corrupted, clean = PatchDataset(PICTURES, "deblur", patch_size=16, batch_size=32, steps=1, seed=0)[0]
        return corrupted[..., 0].reshape(-1, 16), clean[..., 0].reshape(-1, 16)  # (N * 16, 16)

    deconvolved, clean = batch()
    monkeypatch.setattr(baselines, "wiener_deblur", lambda blurred, kernel: blurred)
    blurred, same_clean = batch()  # the same crops and corruptions, not deconvolved
    np.testing.assert_array_equal(clean, same_clean)
    # deconvolution brings back the high frequencies the blur removed (and some noise with them)
    assert np.abs(np.diff(deconvolved, axis=1)).mean() > 1.1 * np.abs(np.diff(blurred, axis=1)).mean()
    # aligned with the clean patch: a 2-pixel shift is much worse
    assert metrics.psnr(clean[:, 2:], deconvolved[:, 2:]) > metrics.psnr(clean[:, 2:], deconvolved[:, :-2]) + 1


def test_downscaled_model_shapes_factor_and_receptive_field():
    model = build_model(blocks=2, channels=4, downscale=2, seed=1)
    assert downscale_factor(model) == 2
    assert model.predict(np.zeros((1, 10, 14, 1), "float32"), verbose=0).shape == (1, 10, 14, 1)
    # an untrained network returns its input (the transposed convolution starts at zero)
    batch = RNG.random((1, 8, 8, 1)).astype("float32")
    np.testing.assert_allclose(model.predict(batch, verbose=0), batch, atol=1e-7)
    # measure the receptive field: perturb one input pixel and count the outputs that move
    last = model.get_layer("corruption")
    last.set_weights([RNG.standard_normal(w.shape).astype("float32") for w in last.get_weights()])
    first = model.get_layer("head")
    first.set_weights([w + 0.5 for w in first.get_weights()])  # keep the ReLUs open
    base = np.full((1, 64, 64, 1), 0.5, "float32")
    poked = base.copy()
    poked[0, 32, 32, 0] = 1.0
    changed = np.abs(model.predict(poked, verbose=0) - model.predict(base, verbose=0))[0, :, :, 0] > 1e-6
    rows = np.flatnonzero(changed.any(axis=1))
    assert rows.max() - rows.min() + 1 == receptive_field(model) == 2 * (4 * 2 + 3)


def test_unet_model_grids_identity_and_receptive_field():
    model = build_model(blocks=1, channels=4, downscale=2, levels=3, seed=2)
    assert downscale_factor(model) == 8
    # channels double on every coarser grid: 4 on 1/2, 8 on 1/4, 16 on 1/8
    assert [model.get_layer(name).output.shape[-1] for name in ("enc1_block1_relu", "enc2_block1_relu", "mid_block1_relu")] == [4, 8, 16]
    assert sum(isinstance(layer, keras.layers.Add) for layer in model.layers) == 5 + 2  # 5 blocks, 2 skips
    batch = RNG.random((1, 16, 24, 1)).astype("float32")
    np.testing.assert_allclose(model.predict(batch, verbose=0), batch, atol=1e-7)  # untrained: identity
    np.testing.assert_allclose(restoration.restore_image(model, batch[0, :13, :19, 0]), batch[0, :13, :19, 0], atol=1e-6)
    # the receptive field, measured: the input pixels one output pixel depends on (non-zero
    # gradient), widest over the output's 8 positions relative to the coarsest grid
    last = model.get_layer("corruption")
    last.set_weights([RNG.standard_normal(w.shape).astype("float32") for w in last.get_weights()])
    image = tf.Variable(RNG.random((1, 128, 128, 1)).astype("float32"))
    spans = []
    for offset in range(8):
        with tf.GradientTape() as tape:
            pixel = model(image)[0, 60 + offset, 64, 0]
        depends = tape.gradient(pixel, image).numpy()[0, :, :, 0] != 0
        rows = np.flatnonzero(depends.any(axis=1))
        spans.append(rows.max() - rows.min() + 1)
    assert max(spans) == receptive_field(model) == 1 + 1 + 4 + 8 + 2 + 16 + 4 + 32 + 16 + 8


def test_unet_keeps_the_plain_chain_names_and_seeds():
    # levels=1 is the chain the deblurrer was trained as: same layer names, same initial weights
    chain = build_model(blocks=2, channels=4, downscale=2, seed=1)
    assert [layer.name for layer in chain.layers][2:5] == ["head", "block1_conv1", "block1_conv2"]
    first = chain.get_layer("block2_conv1").get_weights()[0]
    expected = keras.initializers.HeNormal(seed=1000 + 3)((3, 3, 4, 4))
    np.testing.assert_allclose(first, np.asarray(expected), rtol=1e-6)


def test_restore_image_pads_odd_sizes_for_a_downscaled_model():
    model = build_model(blocks=1, channels=4, downscale=2)
    image = RNG.random((13, 11))
    np.testing.assert_allclose(restoration.restore_image(model, image), image, atol=1e-6)  # untrained: identity
    patched = restoration.restore_image(model, image, method="patches", patch_size=6, stride=2)
    np.testing.assert_allclose(patched, image, atol=1e-6)
    with pytest.raises(ValueError, match="patch_size must be a multiple of 2"):
        restoration.restore_image(model, image, method="patches", patch_size=5, stride=2)


def test_quick_training_lowers_the_loss():
    model, history, settings = restoration_train.train(PICTURES, "denoise", verbose=False, blocks=1, channels=8,
                                                      epochs=2, steps=8, batch_size=8)
    assert settings["seconds"] > 0
    assert history["loss"][-1] < history["loss"][0]


def test_mixed_precision_model_computes_in_bfloat16_and_returns_float32():
    mixed = build_model(blocks=1, channels=8, downscale=2, seed=3, dtype="mixed_bfloat16")
    assert mixed.get_layer("block1_conv1").compute_dtype == "bfloat16"
    assert mixed.get_layer("block1_conv1").variable_dtype == "float32"
    # train the last layer away from zero so the output depends on every layer
    weights = [w + 0.05 if i == len(mixed.weights) - 2 else w for i, w in enumerate(mixed.get_weights())]
    mixed.set_weights(weights)
    single = build_model(blocks=1, channels=8, downscale=2, seed=3, dtype="float32")
    single.set_weights(weights)
    batch = RNG.random((1, 16, 16, 1)).astype("float32")
    low, high = mixed.predict(batch, verbose=0), single.predict(batch, verbose=0)
    assert low.dtype == np.float32 and not np.array_equal(low, batch)
    np.testing.assert_allclose(low, high, atol=0.02 * np.abs(high - batch).max())  # bfloat16 keeps ~3 digits


def test_mixed_precision_training_returns_a_float32_model():
    model, history, settings = restoration_train.train(PICTURES, "denoise", verbose=False, blocks=1, channels=8,
                                                      epochs=1, steps=4, batch_size=8, precision="mixed_bfloat16")
    assert settings["precision"] == "mixed_bfloat16"
    assert {layer.compute_dtype for layer in model.layers if layer.weights} == {"float32"}
    assert np.isfinite(history["loss"]).all()


def test_training_images_never_include_a_test_image():
    from course_lib import data

    images = restoration_train.training_images()
    assert set(images).isdisjoint(data.natural_images(split="test"))
    assert {"brick", "china", "grace_hopper", "astronaut", "ascent", "aero"} <= set(images)
    assert all(image.ndim == 2 for image in images.values())


def test_interrupted_training_resumes_from_its_backup(tmp_path):
    class Interrupt(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            if epoch == 0:
                raise KeyboardInterrupt  # after the backup of epoch 1 was written

    settings = {"verbose": False, "blocks": 1, "channels": 4, "epochs": 3, "steps": 2, "batch_size": 4}
    with pytest.raises(KeyboardInterrupt):
        restoration_train.train(PICTURES, "denoise", backup_dir=tmp_path / "backup", callbacks=[Interrupt()], **settings)
    assert (tmp_path / "backup").is_dir()
    _, history, _ = restoration_train.train(PICTURES, "denoise", backup_dir=tmp_path / "backup", **settings)
    assert len(history["loss"]) == 2  # epochs 2 and 3 only
    assert not (tmp_path / "backup").exists()  # removed once training finished


# --- the shipped weights ----------------------------------------------------------------------

@pytest.mark.parametrize("task", restoration.TASKS)
def test_shipped_weights_load_and_come_with_their_record(task):
    model = restoration.load_pretrained(task)
    assert model.input_shape == (None, None, None, 1)
    record = json.loads(resources.files("course_lib").joinpath(f"assets/restoration/{task}.json").read_text())
    assert record["task"] == task and record["recipe"] == "shipped"
    assert set(record["train_images"]).isdisjoint({"camera", "chelsea", "coins"})  # never the test split


def test_shipped_denoiser_was_trained_by_the_shipped_recipe_on_the_training_images():
    record = restoration.pretrained_record("denoise")
    settings = {name: value for name, value in record["settings"].items() if name != "seconds"}
    expected = restoration_train.recipe_settings("shipped")
    assert settings == {**expected, "scales": list(expected["scales"])}  # JSON keeps tuples as lists
    assert record["train_images"] == sorted(restoration_train.training_images())


def test_shipped_denoiser_removes_noise_on_a_test_crop():
    from course_lib import data

    clean = data.natural_images(split="test")["camera"][200:296, 200:296]
    noisy, _ = restoration.corrupt(clean, "denoise", rng=0, sigma=25 / 255)
    restored = restoration.restore_image(restoration.load_pretrained("denoise"), noisy)
    assert metrics.psnr(clean, restored) > metrics.psnr(clean, noisy) + 4


def test_shipped_deblurrer_improves_on_wiener_with_the_true_kernel_on_a_test_crop():
    from course_lib import data
    from course_lib.restoration import evaluation as restoration_eval

    clean = data.natural_images(split="test")["chelsea"][60:220, 120:280]
    blurred, params = restoration.corrupt(clean, "deblur", rng=5, length=15, noise=0.01)
    wiener = baselines.wiener_deblur(blurred, params["kernel"])
    refined = restoration.deblur_image(restoration.load_pretrained("deblur"), blurred, params["kernel"])
    border = restoration_eval.EVAL_BORDER["deblur"]
    assert metrics.psnr(clean, refined, border=border) > metrics.psnr(clean, wiener, border=border) + 0.5


class PredictOnly:
    """A Keras model seen only through ``predict``, as a duck-typed model would be."""

    def __init__(self, model):
        self.model = model

    def predict(self, batch, verbose=0):
        return self.model.predict(batch, verbose=verbose)


@pytest.mark.parametrize("method", ["fully_convolutional", "patches"])
def test_restore_image_gives_a_keras_model_the_numbers_of_predict(method):
    # restore_image calls predict_on_batch where a model has it: same numbers as predict
    model = build_model(blocks=1, channels=8, downscale=2, seed=3)
    model.set_weights([RNG.normal(0, 0.1, w.shape) for w in model.get_weights()])  # not the identity
    image = PICTURES[0][:30, :42]
    fast = restoration.restore_image(model, image, method=method, patch_size=16, stride=8, batch_size=5)
    slow = restoration.restore_image(PredictOnly(model), image, method=method, patch_size=16, stride=8, batch_size=5)
    assert not np.allclose(fast, image, atol=1e-3)
    np.testing.assert_allclose(fast, slow, rtol=0, atol=1e-6)


class BothMethods:
    """``predict`` halves, ``predict_on_batch`` quarters: shows which one restore_image called."""

    def predict(self, batch, verbose=0):
        return batch / 2

    def predict_on_batch(self, batch):
        return batch / 4


@pytest.mark.parametrize("method", ["fully_convolutional", "patches"])
def test_restore_image_prefers_predict_on_batch(method):
    image = PICTURES[1][:24, :20]
    restored = restoration.restore_image(BothMethods(), image, method=method, patch_size=8, stride=4)
    np.testing.assert_allclose(restored, image / 4, atol=1e-6)


def test_two_whole_image_methods_agree_within_the_stated_tolerance():
    from course_lib import data

    clean = data.natural_images(split="test")["coins"][100:196, 100:196]
    noisy, _ = restoration.corrupt(clean, "denoise", rng=1, sigma=25 / 255)
    model = restoration.load_pretrained("denoise")
    whole = restoration.restore_image(model, noisy)
    patched = restoration.restore_image(model, noisy, method="patches", patch_size=40, stride=10)
    assert metrics.psnr(whole, patched) > AGREEMENT_DB


def test_command_line_trains_and_writes_model_and_record(tmp_path, monkeypatch):
    monkeypatch.setattr(restoration_train, "training_images", lambda: {"a": PICTURES[0], "b": PICTURES[1]})
    pools, weights = [], []  # what each PatchDataset cuts from: the options reach the training data only

    class Spy(PatchDataset):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            pools.append([image.shape for image in self.images])
            weights.append(self.weights.tolist())

    monkeypatch.setattr(restoration_train, "PatchDataset", Spy)
    code = restoration_train.main(["train", "--task", "denoise", "--recipe", "quick", "--epochs", "1", "--steps", "1",
                                   "--blocks", "1", "--channels", "4", "--downscale", "2", "--levels", "2",
                                   "--patch-size", "32", "--batch-size", "4", "--scales", "1", "0.5",
                                   "--weighting", "image", "--precision", "mixed_bfloat16", "--out", str(tmp_path)])
    assert code == 0
    assert pools == [[(80, 90), (80, 90), (40, 45), (40, 45)], [(80, 90), (80, 90)]]  # training, validation
    assert weights == [[0.25] * 4, [0.5, 0.5]]  # by area the shrunk copies would get 0.1 each
    record = json.loads((tmp_path / "denoise.json").read_text())
    assert record["settings"]["blocks"] == 1 and record["settings"]["epochs"] == 1
    assert record["settings"]["downscale"] == 2 and record["threads"] is None
    assert record["settings"]["levels"] == 2 and record["settings"]["patch_size"] == 32
    assert record["settings"]["batch_size"] == 4 and record["settings"]["scales"] == [1.0, 0.5]
    assert record["settings"]["weighting"] == "image"
    assert record["settings"]["precision"] == "mixed_bfloat16" and record["train_images"] == ["a", "b"]
    assert record["command"].endswith(f"--out {tmp_path}")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["denoise.json", "denoise.weights.h5"]  # no leftovers
    # weights only: they go into the architecture built from the record's settings, in float32
    model = build_model(blocks=1, channels=4, downscale=2, levels=2, dtype="float32")
    model.load_weights(tmp_path / "denoise.weights.h5")
    untrained = build_model(blocks=1, channels=4, downscale=2, levels=2, seed=0)  # the run's initial weights
    # the last layer starts at zero and is the first to move (the others get no gradient at step 1)
    assert not np.array_equal(model.get_layer("corruption").get_weights()[0],
                              untrained.get_layer("corruption").get_weights()[0])


def test_residual_block_and_steps_for_name_a_wrong_type():
    with pytest.raises(TypeError, match=r"^x must be a Keras tensor \(N, H, W, C\), e\.g\. keras\.Input\(\.\.\.\) or a layer's output; got str"):
        restoration.residual_block("abc", 4, name="block")
    with pytest.raises(TypeError, match=r"^images must be a list of images; got str"):
        restoration.steps_for("abc", patch_size=8, batch_size=2)
    with pytest.raises(ValueError, match=r"^images\[0\] must be a rectangular array"):
        restoration.steps_for([[[0.1, 0.2], [0.3]]], patch_size=8, batch_size=2)
