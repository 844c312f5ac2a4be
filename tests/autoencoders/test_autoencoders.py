"""course_lib.autoencoders: shape arithmetic against Keras, checkerboard measurements, tiny models."""

import keras
import numpy as np
import pytest

from course_lib import autoencoders, conv
from course_lib.autoencoders import data as autoencoder_data
from course_lib.autoencoders import models as autoencoder_models


# --- decoder shape calculator -----------------------------------------------------------------

def test_trace_sizes_hand_worked_encoder_and_decoder():
    # 28 -3+1-> 26 -pool-> 13 -2+1-> 12 -pool-> 6 -3+1-> 4
    encoder = [("conv", 3), ("pool", 2), ("conv", 2), ("pool", 2), ("conv", 3)]
    assert autoencoders.trace_sizes(28, encoder) == [28, 26, 13, 12, 6, 4]
    # 4 -> (4-1)+3 = 6 -> 12 -> (12-1)+2 = 13 -> 26 -> 28
    decoder = [("transpose", 3), ("upsample", 2), ("transpose", 2), ("upsample", 2), ("transpose", 3)]
    assert autoencoders.trace_sizes(4, decoder) == [4, 6, 12, 13, 26, 28]
    assert autoencoders.trace_sizes(5, []) == [5]


@pytest.mark.parametrize(
    "layer",
    [("conv", 3), ("conv", 3, 2), ("conv", 3, 2, "same"), ("conv", 4, 1, "same"), ("pool", 2), ("pool", 3),
     ("upsample", 2), ("transpose", 3), ("transpose", 3, 2), ("transpose", 3, 2, "same"), ("transpose", 4, 2, "same"),
     ("transpose", 2, 3, "valid")],
)
@pytest.mark.parametrize("size", [7, 10])
def test_trace_sizes_matches_keras_layers(layer, size):
    kind, *numbers = layer
    kernel_size, stride, padding = (numbers + [1, "valid"][len(numbers) - 1:]) if kind in ("conv", "transpose") else (0, 0, 0)
    keras_layer = {
        "conv": lambda: keras.layers.Conv2D(1, kernel_size, strides=stride, padding=padding),
        "transpose": lambda: keras.layers.Conv2DTranspose(1, kernel_size, strides=stride, padding=padding),
        "pool": lambda: keras.layers.MaxPooling2D(numbers[0]),
        "upsample": lambda: keras.layers.UpSampling2D(numbers[0]),
    }[kind]()
    expected = keras_layer.compute_output_shape((None, size, size, 1))[1]
    assert autoencoders.trace_sizes(size, [layer])[-1] == expected


# --- checkerboards ----------------------------------------------------------------------------

def test_transposed_overlap_is_conv_transpose_of_ones():
    overlap = autoencoders.transposed_overlap(3, 2, input_size=4)
    assert overlap.shape == (9, 9)
    np.testing.assert_array_equal(overlap, conv.conv_transpose2d(np.ones((4, 4)), np.ones((3, 3)), stride=2))
    assert overlap.sum() == 4 * 4 * 9  # every input pixel paints one 3x3 copy


@pytest.mark.parametrize(("kernel_size", "stride", "uniform"), [(3, 2, False), (4, 2, True), (2, 2, True),
                                                                (5, 2, False), (6, 3, True), (3, 1, True)])
def test_interior_is_uniform_exactly_when_stride_divides_kernel(kernel_size, stride, uniform):
    border = kernel_size - stride
    overlap = autoencoders.transposed_overlap(kernel_size, stride, input_size=6)
    interior = overlap[border: overlap.shape[0] - border, border: overlap.shape[1] - border]
    assert bool(interior.min() == interior.max()) is uniform
    if uniform:
        assert interior[0, 0] == (kernel_size // stride) ** 2


def test_checkerboard_strength_known_answers():
    rows, cols = np.indices((8, 8))
    pattern = 0.3 + 0.2 * (-1.0) ** (rows + cols)
    assert autoencoders.checkerboard_strength(pattern) == pytest.approx(0.2)
    stripes = np.where(rows % 2 == 0, 1.0, 0.0)  # class means 1, 1, 0, 0 -> RMS deviation 0.5
    assert autoencoders.checkerboard_strength(stripes) == pytest.approx(0.5)
    assert autoencoders.checkerboard_strength(np.full((5, 5), 0.7)) == pytest.approx(0.0, abs=1e-12)
    ramp = np.tile(np.linspace(0, 1, 64), (64, 1))
    assert autoencoders.checkerboard_strength(ramp) < 0.01  # smooth images score near zero


def test_checkerboard_strength_batches_and_channels():
    rows, cols = np.indices((6, 6))
    pattern = (-1.0) ** (rows + cols)
    batch = np.stack([0.1 * pattern, 0.4 * pattern])[..., None]  # (2, 6, 6, 1)
    np.testing.assert_allclose(autoencoders.checkerboard_strength(batch), [0.1, 0.4])
    np.testing.assert_allclose(autoencoders.checkerboard_strength(batch[..., 0]), [0.1, 0.4])  # (N, H, W)
    assert autoencoders.checkerboard_strength(batch[1]) == pytest.approx(0.4)  # (H, W, 1)
    assert autoencoders.checkerboard_strength(np.ones((6, 6, 3)) * pattern[..., None]) == pytest.approx(1.0)


def test_checkerboard_strength_border():
    image = np.zeros((6, 6))
    image[0, :] = 1.0
    assert autoencoders.checkerboard_strength(image) > 0
    assert autoencoders.checkerboard_strength(image, border=1) == 0.0


# --- Keras builders (tiny models) -------------------------------------------------------------

def test_builders_give_the_expected_shapes():
    encoder = autoencoders.build_encoder((16, 16, 1), filters=(4, 8))
    assert encoder.output_shape == (None, 4, 4, 8)
    for upsampling in ("upsample", "transpose"):
        decoder = autoencoders.build_decoder((4, 4, 8), filters=(8, 4), upsampling=upsampling, output_channels=3)
        assert decoder.output_shape == (None, 16, 16, 3)
    model = autoencoders.build_autoencoder((8, 12, 2), filters=(4,), upsampling="transpose")
    assert model.output_shape == (None, 8, 12, 2)
    kinds = {type(layer).__name__ for layer in model.get_layer("decoder").layers}
    assert "Conv2DTranspose" in kinds and "UpSampling2D" not in kinds


def test_builders_are_reproducible_with_seed_and_use_the_requested_activation():
    a = autoencoders.build_autoencoder((8, 8, 1), filters=(2,), seed=3)
    b = autoencoders.build_autoencoder((8, 8, 1), filters=(2,), seed=3)
    c = autoencoders.build_autoencoder((8, 8, 1), filters=(2,), seed=4)
    images = np.random.default_rng(0).random((2, 8, 8, 1)).astype("float32")
    np.testing.assert_array_equal(a.predict(images, verbose=0), b.predict(images, verbose=0))
    assert not np.array_equal(a.predict(images, verbose=0), c.predict(images, verbose=0))
    decoder = autoencoders.build_decoder((2, 2, 1), filters=(2,), output_activation="sigmoid")
    out = decoder.predict(np.full((1, 2, 2, 1), 50.0, dtype="float32"), verbose=0)
    assert out.min() >= 0.0 and out.max() <= 1.0


def test_untrained_transposed_decoder_paints_a_checkerboard_upsampling_does_not():
    # all-ones weights, no bias: the constant-input experiment of the chapter, in Keras
    encoding = np.ones((1, 4, 4, 1), dtype="float32")
    strengths = {}
    for kernel_size, upsampling in ((3, "transpose"), (4, "transpose"), (3, "upsample")):
        decoder = autoencoders.build_decoder((4, 4, 1), filters=(1,), kernel_size=kernel_size, upsampling=upsampling)
        for layer in decoder.layers:
            if layer.weights:
                layer.set_weights([np.ones_like(w) if w.ndim == 4 else np.zeros_like(w) for w in layer.get_weights()])
        hidden = keras.Model(decoder.inputs, decoder.layers[-2].output)  # before the final conv
        strengths[kernel_size, upsampling] = autoencoders.checkerboard_strength(
            hidden.predict(encoding, verbose=0)[0], border=2)
    assert strengths[3, "transpose"] > 0.1
    assert strengths[4, "transpose"] == 0.0
    assert strengths[3, "upsample"] == 0.0


# --- the Keras names are re-exported lazily ---------------------------------------------------

def test_keras_names_are_re_exported_and_importing_needs_no_tensorflow():
    import subprocess
    import sys

    for name in ("build_encoder", "build_decoder", "build_autoencoder", "load_pretrained", "pretrained_record"):
        assert getattr(autoencoders, name) is getattr(autoencoder_models, name)
        assert name in dir(autoencoders)
    with pytest.raises(AttributeError, match="has no attribute 'build_vae'"):
        autoencoders.build_vae  # noqa: B018
    code = "import sys, course_lib.autoencoders as a; a.trace_sizes(28, [('pool', 2)]); print('keras' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


# --- the chapter's training data --------------------------------------------------------------

def test_noisy_digits_is_seeded_fresh_every_epoch_and_uses_corrupt_mixed():
    clean = np.random.default_rng(0).random((10, 8, 8, 1)).astype("float32")
    dataset = autoencoder_data.NoisyDigits(clean, autoencoder_data.corrupt_mixed, batch_size=4, seed=3)
    assert len(dataset) == 3
    inputs, targets = dataset[1]
    again_inputs, again_targets = autoencoder_data.NoisyDigits(clean, autoencoder_data.corrupt_mixed,
                                                               batch_size=4, seed=3)[1]
    np.testing.assert_array_equal(inputs, again_inputs)
    np.testing.assert_array_equal(targets, again_targets)
    # batch 1 of epoch 0: digits order[4:8], corrupted with the generator seeded [seed, epoch, batch]
    order = np.random.default_rng([3, 0]).permutation(10)
    np.testing.assert_array_equal(targets, clean[order[4:8]])
    expected = autoencoder_data.corrupt_mixed(clean[order[4:8]], np.random.default_rng([3, 0, 1]))
    np.testing.assert_array_equal(inputs, expected.astype("float32"))
    dataset.on_epoch_end()
    assert not np.array_equal(dataset[1][0], inputs)  # new epoch: new order and new noise


def test_corrupt_mixed_uses_each_of_the_four_noises():
    clean = np.full((200, 8, 8, 1), 0.5)
    corrupted = autoencoder_data.corrupt_mixed(clean, np.random.default_rng(0))
    values = corrupted.reshape(200, -1)
    salt_pepper = np.all(np.isin(values, [0.0, 0.5, 1.0]), axis=1) & np.any(values == 1.0, axis=1)
    blocks = np.all(np.isin(values, [0.0, 0.5]), axis=1)
    poisson = np.all(np.isclose(values * 5, np.round(values * 5)), axis=1) & ~salt_pepper & ~blocks
    assert salt_pepper.sum() > 20 and blocks.sum() > 20 and poisson.sum() > 20
    assert (~(salt_pepper | blocks | poisson)).sum() > 20  # Gaussian: any value
    assert corrupted.min() >= 0.0 and corrupted.max() <= 1.0


# --- shipped models ---------------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("name", autoencoder_models.PRETRAINED)
def test_shipped_models_load_and_denoise(name):
    model = autoencoders.load_pretrained(name)
    assert model.input_shape == (None, 28, 28, 1) and model.output_shape == (None, 28, 28, 1)
    clean = np.zeros((16, 28, 28, 1), dtype="float32")
    clean[:, 6:22, 12:16] = 1.0  # a bar, roughly a "1"
    noisy = autoencoder_data.NOISES["salt & pepper"](clean, np.random.default_rng(0)).astype("float32")
    output = np.clip(model.predict(noisy, verbose=0), 0.0, 1.0)
    assert np.mean((output - clean) ** 2) < 0.5 * np.mean((noisy - clean) ** 2)


@pytest.mark.parametrize("name", autoencoder_models.PRETRAINED)
def test_training_records_describe_the_shipped_models(name):
    record = autoencoders.pretrained_record(name)
    assert record["name"] == name and record["seed"] == 0
    assert len(record["losses"]) == record["epochs"] and record["training_seconds"] > 0
    assert set(record["test"]) == set(autoencoder_data.NOISES)
    assert record["upsampling"] == ("transpose" if name == "transposed" else "upsample")
    if name != "denoiser_l1":  # trained on the squared error: the loss falls
        assert record["losses"][-1] < record["losses"][0]


def test_load_pretrained_errors(monkeypatch):
    with pytest.raises(ValueError, match="name must be one of"):
        autoencoders.load_pretrained("vae")
    with pytest.raises(ValueError, match="name must be one of"):
        autoencoders.pretrained_record("vae")
    monkeypatch.setattr(autoencoder_models, "ASSETS", "assets/missing")
    with pytest.raises(FileNotFoundError, match="no shipped weights for 'denoiser'"):
        autoencoders.load_pretrained("denoiser")
    with pytest.raises(FileNotFoundError, match="no training record for 'denoiser'"):
        autoencoders.pretrained_record("denoiser")


# --- bad inputs -------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: autoencoders.trace_sizes(28, [("dense", 3)]), ValueError, "layer kind must be one of"),
        (lambda: autoencoders.trace_sizes(28, ["conv"]), TypeError, "each layer must be a tuple"),
        (lambda: autoencoders.trace_sizes(28, "conv"), TypeError, "layers must be a list"),
        (lambda: autoencoders.trace_sizes(28, [("pool", 2, 2)]), ValueError, "takes one number"),
        (lambda: autoencoders.trace_sizes(28, [("conv",)]), ValueError, "kernel_size\\[, stride"),
        (lambda: autoencoders.trace_sizes(28, [("conv", 3, 1, "full")]), ValueError, "padding must be one of"),
        (lambda: autoencoders.trace_sizes(3, [("conv", 5)]), ValueError, "layer 1 .* needs at least 5 pixels"),
        (lambda: autoencoders.trace_sizes(0, []), ValueError, "size must be >= 1"),
        (lambda: autoencoders.trace_sizes(28, [("conv", 2.5)]), TypeError, "kernel_size must be an integer"),
        (lambda: autoencoders.transposed_overlap(0, 2), ValueError, "kernel_size must be >= 1"),
        (lambda: autoencoders.checkerboard_strength(np.ones(5)), ValueError, "images must be 2-D"),
        (lambda: autoencoders.checkerboard_strength(np.ones((4, 4)), border=2), ValueError, "at least 2x2"),
        (lambda: autoencoders.build_encoder((28, 28), filters=(4,)), TypeError, "input_shape must be a"),
        (lambda: autoencoders.build_encoder((28, 28, 1), filters=(4, 4, 4)), ValueError, "cannot be halved 3 times"),
        (lambda: autoencoders.build_encoder((28, 28, 1), filters=()), ValueError, "filters must be a non-empty"),
        (lambda: autoencoders.build_decoder((7, 7, 1), upsampling="deconv"), ValueError, "upsampling must be one of"),
        (lambda: autoencoders.build_decoder((7, 7, 1), seed=-1), ValueError, r"seed must be an int in 0\.\.4294967295"),
        (lambda: autoencoder_data.corrupt_mixed(np.ones((8, 8)), np.random.default_rng(0)), ValueError,
         "images must be 4-D"),
        (lambda: autoencoder_data.NoisyDigits(np.ones((2, 8, 8, 1)), autoencoder_data.corrupt_mixed, batch_size=0),
         ValueError, "batch_size must be >= 1"),
    ],
)
def test_bad_inputs_raise_clear_errors(call, error, match):
    with pytest.raises(error, match=match):
        call()


# --- figures (course_lib.plotting.autoencoders): each runs and draws what it should -----------

def test_show_overlap_draws_values_and_colorbar():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from course_lib import plotting

    overlap = autoencoders.transposed_overlap(3, 2, input_size=3)
    ax = plotting.autoencoders.show_overlap(overlap, title="k3 s2")
    np.testing.assert_array_equal(ax.images[0].get_array(), overlap)
    assert ax.get_title() == "k3 s2" and len(ax.texts) == overlap.size
    assert len(ax.figure.axes) == 2  # the map and its colour bar
    plt.close("all")


def test_show_denoising_grid_and_quality_bars_and_profiles_and_residuals():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from course_lib import plotting

    rng = np.random.default_rng(0)
    clean = rng.random((4, 8, 8, 1))
    fig = plotting.autoencoders.show_denoising({"clean": clean, "noisy": clean + 0.5}, n=3, suptitle="demo")
    assert len(fig.axes) == 6 and fig.axes[3].get_ylabel() == "noisy"
    assert fig.axes[4].images[0].get_array().max() <= 1.0  # clipped for display
    np.testing.assert_allclose(fig.axes[1].images[0].get_array(), clean[1, ..., 0])
    with pytest.raises(ValueError, match="needs at least 5"):
        plotting.autoencoders.show_denoising({"clean": clean}, n=5)

    results = {"gaussian": {"noisy": 20.0, "model": 25.0}, "blocks": {"noisy": 12.0, "model": 18.5}}
    ax = plotting.autoencoders.plot_quality(results)
    assert len(ax.patches) == 4 and [t.get_text() for t in ax.get_xticklabels()] == ["gaussian", "blocks"]
    assert sorted(p.get_height() for p in ax.patches) == [12.0, 18.5, 20.0, 25.0]
    with pytest.raises(ValueError, match="expected \\['noisy', 'model'\\]"):
        plotting.autoencoders.plot_quality({"a": {"noisy": 1.0, "model": 2.0}, "b": {"noisy": 1.0}})

    ax = plotting.autoencoders.plot_profiles({"L2": [0, 0.5, 1], "L1": [0, 0, 1]}, title="edge")
    assert len(ax.lines) == 2 and ax.get_title() == "edge"
    np.testing.assert_array_equal(ax.lines[1].get_ydata(), [0, 0, 1])

    fig = plotting.autoencoders.show_residuals({"a": rng.random((6, 6)) - 0.5, "b": 2 * rng.random((6, 6, 1))})
    assert [ax.get_title() for ax in fig.axes[:2]] == ["a", "b"]
    assert len(fig.axes) == 4  # two panels, two colour bars
    limits = fig.axes[0].images[0].get_clim()
    assert limits == fig.axes[1].images[0].get_clim() and limits[0] == -limits[1]
    with pytest.raises(ValueError, match="scale must be one of"):
        plotting.autoencoders.show_residuals({"a": np.ones((3, 3))}, scale="log")
    plt.close("all")


def test_corrupt_mixed_refuses_8_bit_images_and_bad_seeds_naming_them():
    images = np.full((3, 8, 8, 1), 0.5)
    with pytest.raises(ValueError, match=r"^images must be a float image in \[0, 1\]; got dtype uint8"):
        autoencoders.corrupt_mixed((images * 255).astype(np.uint8), np.random.default_rng(0))
    with pytest.raises(ValueError, match=r"^images must lie in \[0, 1\]; got values in \[127, 127\]\. It looks like 0\.\.255"):
        autoencoders.corrupt_mixed(images * 255 - 0.5, np.random.default_rng(0))
    with pytest.raises(ValueError, match=r"^rng must be an int in 0\.\.4294967295; got -1"):
        autoencoders.corrupt_mixed(images, -1)
    np.testing.assert_array_equal(autoencoders.corrupt_mixed(images, 0),  # an int seed works as its Generator
                                  autoencoders.corrupt_mixed(images, np.random.default_rng(0)))
