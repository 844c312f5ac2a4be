"""Encoder-decoder networks for dense prediction (Keras): FCN, U-Net, the pretrained encoder.

Every network here is an ``encoder`` sub-model (blocks of two 3x3 convolutions + ReLU, 2x2 max
pooling between blocks) followed by a decoder of 3x3 transposed convolutions with stride 2
that returns to the input size, and a 1x1 convolution that gives one prediction per pixel.
The U-Net's decoder also concatenates the encoder's feature map of the same size after every
upsampling step (the skip connections); the FCN's does not, so everything it knows about
where an edge is must pass through the coarsest feature map.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import keras
from keras import layers

from course_lib import _assets
from course_lib._validation import as_choice, as_int, as_ints

ACTIVATIONS = ("softmax", "linear")
ENCODER_PATH = Path(__file__).resolve().parents[1] / "assets" / "segmentation" / "encoder.weights.h5"


def _shape(input_shape) -> tuple[int, int, int]:
    if not isinstance(input_shape, (tuple, list)) or len(input_shape) != 3:
        raise ValueError(f"input_shape must be (H, W, C); got {input_shape!r}.")
    return tuple(as_int("input_shape", n, minimum=1) for n in input_shape)


def build_encoder(input_shape: Sequence[int] = (48, 48, 1), *, filters: Sequence[int] = (16, 32, 64), seed: int = 0) -> keras.Model:
    """The encoder: ``len(filters)`` blocks of two 3x3 convolutions + ReLU, 2x2 max pooling between.

    Parameters
    ----------
    input_shape : (H, W, C)
        H and W must be divisible by ``2 ** (len(filters) - 1)``.
    filters : sequence of int, keyword-only
        Filters of each block.
    seed : int, keyword-only
        Seed of the initialisers.

    Returns
    -------
    keras.Model named ``"encoder"``
        One output per block, finest first: ``(N, H, W, filters[0])``, ``(N, H/2, W/2,
        filters[1])``, ... The last is the coarse code; the others feed a U-Net's skips.

    Raises
    ------
    TypeError, ValueError
        If a size is not a positive int or H, W are not divisible.

    Examples
    --------
    >>> encoder = build_encoder((16, 16, 1), filters=(4, 8))
    >>> [tuple(output.shape) for output in encoder.outputs]
    [(None, 16, 16, 4), (None, 8, 8, 8)]
    """
    input_shape = _shape(input_shape)
    filters = as_ints("filters", filters, minimum=1)
    if not filters:
        raise ValueError("filters must hold at least one block; got an empty sequence.")
    factor = 2 ** (len(filters) - 1)
    if input_shape[0] % factor or input_shape[1] % factor:
        raise ValueError(
            f"input_shape {input_shape[:2]} must be divisible by {factor} (2 ** (blocks - 1)); "
            "crop or pad the images, or use fewer blocks."
        )
    seed = as_int("seed", seed, minimum=0)
    inputs = keras.Input(input_shape, name="image")
    x, outputs = inputs, []
    for block, width in enumerate(filters, start=1):
        if block > 1:
            x = layers.MaxPooling2D(2, name=f"enc{block}_pool")(x)
        for step in (1, 2):
            x = layers.Conv2D(width, 3, padding="same", activation="relu", name=f"enc{block}_conv{step}",
                              kernel_initializer=keras.initializers.HeNormal(seed=seed + 10 * block + step))(x)
        outputs.append(x)
    return keras.Model(inputs, outputs, name="encoder")


def _decoder(features: list, encoder_filters: list[int], outputs: int, activation: str, skips: bool, seed: int):
    x = features[-1]
    for level in range(len(features) - 2, -1, -1):  # coarse -> fine
        width = encoder_filters[level]
        init = keras.initializers.HeNormal(seed=seed + 100 + level)
        # (N, h, w, c) -> (N, 2h, 2w, width): a learned upsampling
        x = layers.Conv2DTranspose(width, 3, strides=2, padding="same", activation="relu",
                                   kernel_initializer=init, name=f"dec{level + 1}_up")(x)
        if skips:
            x = layers.Concatenate(name=f"dec{level + 1}_skip")([x, features[level]])
        x = layers.Conv2D(width, 3, padding="same", activation="relu", name=f"dec{level + 1}_conv",
                          kernel_initializer=keras.initializers.HeNormal(seed=seed + 200 + level))(x)
    return layers.Conv2D(outputs, 1, activation=activation, name="pixels",
                         kernel_initializer=keras.initializers.GlorotUniform(seed=seed))(x)


def _build(input_shape, outputs, *, filters, encoder, activation, seed, skips, name) -> keras.Model:
    outputs = as_int("outputs", outputs, minimum=1)
    activation = as_choice("activation", activation, ACTIVATIONS)
    seed = as_int("seed", seed, minimum=0)
    if encoder is None:
        encoder = build_encoder(input_shape, filters=filters, seed=seed)
    elif not isinstance(encoder, keras.Model) or not isinstance(encoder.output, list):
        raise TypeError("encoder must be a keras.Model with one output per block, e.g. from build_encoder or load_encoder.")
    inputs = keras.Input(encoder.input_shape[1:], name="image")
    features = encoder(inputs)
    widths = [int(f.shape[-1]) for f in features]
    return keras.Model(inputs, _decoder(features, widths, outputs, activation, skips, seed), name=name)


def build_fcn(
    input_shape: Sequence[int] = (48, 48, 1),
    outputs: int = 4,
    *,
    filters: Sequence[int] = (16, 32, 64),
    encoder: keras.Model | None = None,
    activation: str = "softmax",
    seed: int = 0,
) -> keras.Model:
    """A fully convolutional network: encoder, then transposed convolutions back to full size.

    Parameters
    ----------
    input_shape : (H, W, C)
        Ignored when ``encoder`` is given (its input shape is used).
    outputs : int
        Values per pixel: the number of classes (``activation="softmax"``) or of regressed
        channels (``"linear"``).
    filters : sequence of int, keyword-only
        Encoder widths; the decoder mirrors them.
    encoder : keras.Model, keyword-only
        A ready encoder (e.g. :func:`load_encoder`); a new one by default.
    activation : {"softmax", "linear"}, keyword-only
    seed : int, keyword-only

    Returns
    -------
    keras.Model
        (N, H, W, C) -> (N, H, W, outputs). ``model.get_layer("encoder")`` is the encoder.

    Raises
    ------
    TypeError, ValueError
        If a size is not a positive int, ``activation`` is unknown, or ``encoder`` is not an
        encoder.

    See Also
    --------
    build_unet : the same with skip connections.

    References
    ----------
    J. Long, E. Shelhamer and T. Darrell, "Fully convolutional networks for semantic
    segmentation", CVPR 2015.

    Examples
    --------
    >>> build_fcn((16, 16, 1), 3, filters=(4, 8)).output_shape
    (None, 16, 16, 3)
    """
    return _build(input_shape, outputs, filters=filters, encoder=encoder, activation=activation, seed=seed,
                  skips=False, name="fcn")


def build_unet(
    input_shape: Sequence[int] = (48, 48, 1),
    outputs: int = 4,
    *,
    filters: Sequence[int] = (16, 32, 64),
    encoder: keras.Model | None = None,
    activation: str = "softmax",
    seed: int = 0,
) -> keras.Model:
    """A U-Net: :func:`build_fcn` whose decoder concatenates the encoder's map of the same size.

    Parameters and result as :func:`build_fcn`.

    References
    ----------
    O. Ronneberger, P. Fischer and T. Brox, "U-Net: convolutional networks for biomedical
    image segmentation", MICCAI 2015.

    Examples
    --------
    >>> model = build_unet((16, 16, 1), 3, filters=(4, 8))
    >>> model.output_shape, model.get_layer("dec1_skip").output.shape
    ((None, 16, 16, 3), (None, 16, 16, 8))
    """
    return _build(input_shape, outputs, filters=filters, encoder=encoder, activation=activation, seed=seed,
                  skips=True, name="unet")


def build_tagger(encoder: keras.Model, tags: int, *, seed: int = 0) -> keras.Model:
    """Encoder -> global average pooling -> one sigmoid per tag: which classes does the image hold?

    Image-level tags are far cheaper to collect than per-pixel labels; training this network
    on many tagged images pretrains the encoder (``scripts/train_segmentation_encoder.py``).

    Examples
    --------
    >>> build_tagger(build_encoder((16, 16, 1), filters=(4, 8)), 3).output_shape
    (None, 3)
    """
    if not isinstance(encoder, keras.Model):
        raise TypeError(f"encoder must be a Keras model (build_encoder or load_encoder); got {type(encoder).__name__}.")
    tags = as_int("tags", tags, minimum=1)
    inputs = keras.Input(encoder.input_shape[1:], name="image")
    code = layers.GlobalAveragePooling2D(name="pool")(encoder(inputs)[-1])
    outputs = layers.Dense(tags, activation="sigmoid", name="tags",
                           kernel_initializer=keras.initializers.GlorotUniform(seed=seed))(code)
    return keras.Model(inputs, outputs, name="tagger")


def load_encoder() -> keras.Model:
    """The course's pretrained encoder (tags of texture scenes; see its record).

    Trained by ``scripts/train_segmentation_encoder.py`` inside :func:`build_tagger` on
    generated, tagged texture scenes of the train split; its record is
    ``course_lib/assets/segmentation/encoder.json``. Every call returns a fresh copy.

    Returns
    -------
    keras.Model
        :func:`build_encoder` ``((48, 48, 1), filters=(8, 16, 32))`` with trained weights.

    Raises
    ------
    FileNotFoundError
        If the file is missing (re-create it with the script).

    Examples
    --------
    >>> [tuple(o.shape) for o in load_encoder().outputs]
    [(None, 48, 48, 8), (None, 24, 24, 16), (None, 12, 12, 32)]
    """
    # weights only, put into the architecture built here: loads on every supported Keras 3 (issue 27)
    return _assets.load_weights(lambda: build_encoder((48, 48, 1), filters=(8, 16, 32)),
                                "assets/segmentation/encoder.weights.h5",
                                "pretrained encoder (python scripts/train_segmentation_encoder.py makes it)")


def encoder_record() -> dict:
    """The training record of :func:`load_encoder` (command, data, time, tag accuracy).

    Examples
    --------
    >>> encoder_record()["filters"]
    [8, 16, 32]
    """
    return _assets.read_json("assets/segmentation/encoder.json", "encoder record")
