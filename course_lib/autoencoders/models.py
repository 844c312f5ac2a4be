"""Keras autoencoders for the autoencoder chapter: encoder, decoder and autoencoder builders, shipped models.

TensorFlow is imported here; :mod:`course_lib.autoencoders` (the shape arithmetic and the
checkerboard measurements, NumPy only) re-exports these names and imports this module only
when one of them is first used.
"""

from __future__ import annotations

from collections.abc import Sequence

import keras
from keras import layers

from course_lib import _assets
from course_lib import _limits
from course_lib._validation import as_choice, as_int, as_seed
from course_lib.autoencoders.shapes import UPSAMPLING

ASSETS = "assets/autoencoders"

PRETRAINED = ("denoiser", "transposed", "denoiser_l2", "denoiser_l1")


def _initializer(seed: int, index: int):
    return keras.initializers.GlorotUniform(seed=seed * 1000 + index)


def build_encoder(input_shape: tuple[int, int, int], *, filters: Sequence[int] = (16, 32), kernel_size: int = 3,
                  seed: int = 0):
    """A convolutional encoder: per entry of ``filters``, Conv2D (same padding, ReLU) then 2x2 max pooling.

    Parameters
    ----------
    input_shape : (int, int, int)
        ``(H, W, C)`` of the images, e.g. ``(28, 28, 1)``; H and W divisible by ``2**len(filters)``.
    filters : sequence of int, keyword-only
        Number of filters of each block; each block halves the height and width.
    kernel_size : int, keyword-only
        Side of every convolution kernel.
    seed : int, keyword-only
        Seed of the weight initialisers (the same seed gives the same weights).

    Returns
    -------
    keras.Model
        Maps (N, H, W, C) to the encoding (N, H / 2**B, W / 2**B, filters[-1]) with B blocks.

    Raises
    ------
    TypeError, ValueError
        If a size is not a positive int, or H or W cannot be halved ``len(filters)`` times.

    See Also
    --------
    build_decoder, build_autoencoder

    Examples
    --------
    >>> build_encoder((28, 28, 1), filters=(8, 4)).output_shape
    (None, 7, 7, 4)
    """
    height, width, channels = _check_shape("input_shape", input_shape)
    filters = _check_filters(filters)
    kernel_size = as_int("kernel_size", kernel_size, minimum=1, maximum=_limits.MAX_SIDE)
    seed = as_seed("seed", seed)
    factor = 2 ** len(filters)
    if height % factor or width % factor:
        raise ValueError(
            f"input_shape {height}x{width} cannot be halved {len(filters)} times; use sides divisible by {factor}."
        )
    inputs = keras.Input((height, width, channels))
    x = inputs
    for index, count in enumerate(filters):
        x = layers.Conv2D(count, kernel_size, padding="same", activation="relu",
                          kernel_initializer=_initializer(seed, index))(x)
        x = layers.MaxPooling2D(2)(x)  # (H, W) -> (H / 2, W / 2)
    return keras.Model(inputs, x, name="encoder")


def build_decoder(encoding_shape: tuple[int, int, int], *, filters: Sequence[int] = (32, 16), kernel_size: int = 3,
                  upsampling: str = "upsample", output_channels: int = 1, output_activation: str | None = None,
                  seed: int = 0):
    """A convolutional decoder that doubles height and width once per entry of ``filters``.

    Each block is either ``Conv2DTranspose(f, kernel_size, strides=2)`` (``upsampling="transpose"``)
    or ``UpSampling2D(2)`` followed by ``Conv2D(f, kernel_size)`` (``"upsample"``), with same
    padding and ReLU. A final 3x3 Conv2D gives ``output_channels`` values; it is linear by default
    (a sigmoid output starts near 0.5 and, trained with an L2 loss on mostly black digits, can get
    stuck predicting black, where its gradient vanishes); clip the output to [0, 1] to show it.

    Parameters
    ----------
    encoding_shape : (int, int, int)
        ``(h, w, c)`` of the encoding.
    filters : sequence of int, keyword-only
        Filters of each upsampling block.
    kernel_size : int, keyword-only
        Kernel side of the upsampling blocks. With ``"transpose"``, a size that is not a
        multiple of 2 (such as 3) overlaps unevenly and invites checkerboard artifacts.
    upsampling : {"upsample", "transpose"}, keyword-only
    output_channels : int, keyword-only
    output_activation : str or None, keyword-only
        Activation of the last layer, e.g. ``"sigmoid"``; None (default) is linear.
    seed : int, keyword-only

    Returns
    -------
    keras.Model
        Maps (N, h, w, c) to (N, h * 2**B, w * 2**B, output_channels).

    Raises
    ------
    TypeError, ValueError
        If a size is not a positive int or ``upsampling`` is unknown.

    See Also
    --------
    trace_sizes : the same arithmetic by hand.
    transposed_overlap : why ``"transpose"`` with kernel 3 makes checkerboards.

    References
    ----------
    A. Odena, V. Dumoulin and C. Olah, "Deconvolution and checkerboard artifacts", Distill, 2016.

    Examples
    --------
    >>> build_decoder((7, 7, 4), filters=(8, 8), upsampling="transpose").output_shape
    (None, 28, 28, 1)
    """
    shape = _check_shape("encoding_shape", encoding_shape)
    filters = _check_filters(filters)
    kernel_size = as_int("kernel_size", kernel_size, minimum=1, maximum=_limits.MAX_SIDE)
    upsampling = as_choice("upsampling", upsampling, UPSAMPLING)
    output_channels = as_int("output_channels", output_channels, minimum=1)
    seed = as_seed("seed", seed)
    inputs = keras.Input(shape)
    x = inputs
    for index, count in enumerate(filters):
        init = _initializer(seed, 100 + index)
        if upsampling == "transpose":
            x = layers.Conv2DTranspose(count, kernel_size, strides=2, padding="same", activation="relu",
                                       kernel_initializer=init)(x)
        else:
            x = layers.UpSampling2D(2)(x)  # (h, w) -> (2h, 2w), each pixel repeated
            x = layers.Conv2D(count, kernel_size, padding="same", activation="relu", kernel_initializer=init)(x)
    outputs = layers.Conv2D(output_channels, 3, padding="same", activation=output_activation,
                            kernel_initializer=_initializer(seed, 199))(x)
    return keras.Model(inputs, outputs, name="decoder")


def build_autoencoder(input_shape: tuple[int, int, int], *, filters: Sequence[int] = (16, 32), kernel_size: int = 3,
                      upsampling: str = "upsample", seed: int = 0):
    """Encoder and decoder in one (uncompiled) model whose output has the input's shape.

    The decoder mirrors the encoder: its filters are ``filters`` reversed.

    Parameters
    ----------
    input_shape : (int, int, int)
    filters : sequence of int, keyword-only
    kernel_size : int, keyword-only
    upsampling : {"upsample", "transpose"}, keyword-only
    seed : int, keyword-only

    Returns
    -------
    keras.Model
        Layers ``encoder`` and ``decoder`` reachable with ``model.get_layer(name)``.

    Raises
    ------
    TypeError, ValueError
        As :func:`build_encoder` and :func:`build_decoder`.

    See Also
    --------
    build_encoder, build_decoder

    References
    ----------
    P. Vincent, H. Larochelle, Y. Bengio and P.-A. Manzagol, "Extracting and composing
    robust features with denoising autoencoders", ICML 2008.

    Examples
    --------
    >>> model = build_autoencoder((16, 16, 1), filters=(4, 8))
    >>> model.output_shape, model.get_layer("encoder").output_shape
    ((None, 16, 16, 1), (None, 4, 4, 8))
    """
    encoder = build_encoder(input_shape, filters=filters, kernel_size=kernel_size, seed=seed)
    decoder = build_decoder(encoder.output_shape[1:], filters=tuple(filters)[::-1], kernel_size=kernel_size,
                            upsampling=upsampling, output_channels=input_shape[2], seed=seed)
    inputs = keras.Input(encoder.input_shape[1:])
    return keras.Model(inputs, decoder(encoder(inputs)), name=f"autoencoder_{upsampling}")


def load_pretrained(name: str) -> keras.Model:
    """Load an autoencoder trained by ``scripts/train_autoencoders.py`` and shipped with course_lib.

    The recipe, seed, data, measured training time and test PSNR of every model are in
    ``course_lib/assets/autoencoders/README.md`` (and, per model, in ``<name>.json``).

    Parameters
    ----------
    name : {"denoiser", "transposed", "denoiser_l2", "denoiser_l1"}
        ``"denoiser"``: the blind mixed-noise denoiser (UpSampling2D + Conv2D decoder);
        ``"transposed"``: the same with a Conv2DTranspose (kernel 3, stride 2) decoder;
        ``"denoiser_l2"`` and ``"denoiser_l1"``: the denoiser fine-tuned with the squared and
        the absolute error.

    Returns
    -------
    keras.Model
        Input and output (N, 28, 28, 1); the output is linear (clip it to [0, 1] to show it).
        Not compiled.

    Raises
    ------
    ValueError
        If ``name`` is unknown.
    FileNotFoundError
        If the weights file is missing from the installation.

    See Also
    --------
    build_autoencoder : builds the untrained architecture.

    Examples
    --------
    >>> import numpy as np
    >>> model = load_pretrained("denoiser")
    >>> model.predict(np.zeros((2, 28, 28, 1), dtype="float32"), verbose=0).shape
    (2, 28, 28, 1)
    """
    name = as_choice("name", name, PRETRAINED)

    def build():  # weights only: the architecture comes from this module, so any Keras 3 reads the file
        record = pretrained_record(name)
        return build_autoencoder((28, 28, 1), filters=tuple(record["filters"]), upsampling=record["upsampling"])

    return _assets.load_weights(build, f"{ASSETS}/{name}.weights.h5", f"shipped weights for {name!r}")


def pretrained_record(name: str) -> dict:
    """The training record of a shipped model: settings, command, losses, training time, test scores.

    Parameters
    ----------
    name : {"denoiser", "transposed", "denoiser_l2", "denoiser_l1"}

    Returns
    -------
    dict
        The contents of ``course_lib/assets/autoencoders/<name>.json`` as written by
        ``scripts/train_autoencoders.py``: among others ``"epochs"``, ``"training_seconds"``
        and ``"test"`` (per noise, ``{"PSNR": dB, "SSIM": value}`` on the chapter's 500 test digits).

    Raises
    ------
    ValueError
        If ``name`` is unknown.
    FileNotFoundError
        If the record is missing from the installation.

    Examples
    --------
    >>> record = pretrained_record("denoiser")
    >>> record["upsampling"], sorted(record["test"])
    ('upsample', ['Gaussian', 'Poisson', 'blocks', 'salt & pepper'])
    """
    name = as_choice("name", name, PRETRAINED)
    return _assets.read_json(f"{ASSETS}/{name}.json", f"training record for {name!r}")


def _check_shape(name: str, shape) -> tuple[int, int, int]:
    if not isinstance(shape, (tuple, list)) or len(shape) != 3:
        raise TypeError(f"{name} must be a (height, width, channels) tuple; got {shape!r}.")
    return tuple(as_int(name, value, minimum=1, maximum=_limits.MAX_SIDE) for value in shape)  # type: ignore[return-value]


def _check_filters(filters) -> tuple[int, ...]:
    if isinstance(filters, (str, bytes)) or not isinstance(filters, Sequence) or not filters:
        raise ValueError(f"filters must be a non-empty sequence of ints; got {filters!r}.")
    return tuple(as_int("filters", count, minimum=1, maximum=_limits.MAX_CHANNELS, why="Wider layers do not fit a lesson's time budget.") for count in filters)
