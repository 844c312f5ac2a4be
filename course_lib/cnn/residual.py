"""Residual blocks, a small ResNet, and a deep network with or without skip connections."""

from __future__ import annotations

from collections.abc import Sequence

import keras
from keras import layers

from course_lib import _limits
from course_lib._validation import as_choice, as_int, as_ints, as_seed
from course_lib.cnn.convnets import _check_input_shape

ACTIVATIONS = ("relu", "tanh", "sigmoid")


def residual_block(x, filters: int, *, kernel_size: int = 3, activation: str = "relu",
                   seed: int = 0, name: str = "block"):
    """Apply a residual block ``relu(x + F(x))`` to a Keras tensor, ``F`` = two convolutions.

    ``F`` is conv -> activation -> conv, both ``same``-padded so ``F(x)`` has the shape of
    ``x``. When ``x`` has a different number of channels than ``filters``, the shortcut is a
    1x1 convolution (a projection) so the two can be added.

    Parameters
    ----------
    x : keras tensor, shape (N, H, W, C)
        Output of a previous layer (or ``keras.Input``).
    filters : int
        Channels of the block's output.
    kernel_size : int, keyword-only
        Size of both convolutions (odd).
    activation : {"relu", "tanh", "sigmoid"}, keyword-only
    seed : int, keyword-only
        Seed of the weight initialisers.
    name : str, keyword-only
        Prefix of the layer names.

    Returns
    -------
    keras tensor, shape (N, H, W, filters)

    Raises
    ------
    TypeError
        If ``x`` is not a 4-D Keras tensor or a size is not an integer.
    ValueError
        If ``kernel_size`` is even, or ``activation`` unknown.

    See Also
    --------
    small_resnet, deep_net

    References
    ----------
    K. He, X. Zhang, S. Ren and J. Sun, "Deep residual learning for image recognition",
    CVPR 2016.

    Examples
    --------
    >>> inputs = keras.Input((8, 8, 4))
    >>> outputs = residual_block(inputs, 4)
    >>> tuple(outputs.shape), keras.Model(inputs, outputs).count_params()
    ((None, 8, 8, 4), 296)
    >>> tuple(residual_block(inputs, 6, name="wider").shape)  # 1x1 projection on the shortcut
    (None, 8, 8, 6)
    """
    if not (hasattr(x, "shape") and len(x.shape) == 4 and keras.backend.is_keras_tensor(x)):
        raise TypeError(
            f"x must be a 4-D Keras tensor (N, H, W, C), e.g. keras.Input((28, 28, 1)); "
            f"got {type(x).__name__}."
        )
    filters = as_int("filters", filters, minimum=1, maximum=_limits.MAX_CHANNELS, why="Wider layers do not fit a lesson's time budget.")
    kernel_size = as_int("kernel_size", kernel_size, minimum=1, maximum=_limits.MAX_SIDE)
    if kernel_size % 2 == 0:
        raise ValueError(f"kernel_size must be odd so 'same' padding is centred; got {kernel_size}.")
    activation = as_choice("activation", activation, ACTIVATIONS)
    seed = as_seed("seed", seed)
    shortcut = x
    if x.shape[-1] != filters:
        shortcut = layers.Conv2D(filters, 1, name=f"{name}_projection",
                                 kernel_initializer=keras.initializers.GlorotUniform(seed + 2))(x)
    y = layers.Conv2D(filters, kernel_size, padding="same", activation=activation, name=f"{name}_conv1",
                      kernel_initializer=keras.initializers.GlorotUniform(seed))(x)
    y = layers.Conv2D(filters, kernel_size, padding="same", name=f"{name}_conv2",
                      kernel_initializer=keras.initializers.GlorotUniform(seed + 1))(y)
    y = layers.Add(name=f"{name}_add")([shortcut, y])
    return layers.Activation(activation, name=f"{name}_out")(y)


def small_resnet(
    input_shape: Sequence[int] = (28, 28, 1),
    *,
    num_classes: int = 10,
    filters: Sequence[int] = (16, 32),
    blocks_per_stage: int = 1,
    seed: int = 0,
    name: str = "small_resnet",
) -> keras.Model:
    """A small ResNet: a stem convolution, stages of residual blocks separated by 2x2 pooling,
    global average pooling and a softmax.

    Parameters
    ----------
    input_shape : (H, W, C)
    num_classes : int, keyword-only
    filters : sequence of int, keyword-only
        Channels of each stage; the stem has ``filters[0]``.
    blocks_per_stage : int, keyword-only
    seed : int, keyword-only
    name : str, keyword-only

    Returns
    -------
    keras.Model
        Maps (N, H, W, C) images to (N, num_classes) class probabilities.

    Raises
    ------
    TypeError, ValueError
        If a size is not a positive integer or ``filters`` is empty.

    See Also
    --------
    residual_block

    References
    ----------
    K. He, X. Zhang, S. Ren and J. Sun, "Deep residual learning for image recognition",
    CVPR 2016.

    Examples
    --------
    >>> model = small_resnet((16, 16, 1), filters=(4, 8))
    >>> model.output_shape, model.count_params()
    ((None, 10), 1346)
    """
    input_shape = _check_input_shape(input_shape)
    num_classes = as_int("num_classes", num_classes, minimum=2, maximum=_limits.MAX_EXAMPLES)
    blocks_per_stage = as_int("blocks_per_stage", blocks_per_stage, minimum=1, maximum=_limits.MAX_DEPTH, why="Deeper networks do not fit a lesson's time budget.")
    filters = as_ints("filters", filters, minimum=1, maximum=_limits.MAX_CHANNELS, why="Wider layers do not fit a lesson's time budget.")
    if not filters:
        raise ValueError("filters must list at least one stage; got an empty sequence.")
    seed = as_seed("seed", seed)
    inputs = keras.Input(shape=input_shape, name="image")
    x = layers.Conv2D(filters[0], 3, padding="same", activation="relu", name="stem",
                      kernel_initializer=keras.initializers.GlorotUniform(seed))(inputs)
    for stage, count in enumerate(filters):
        if stage > 0:
            x = layers.MaxPooling2D(2, name=f"pool{stage}")(x)
        for block in range(blocks_per_stage):
            x = residual_block(x, count, seed=seed + 10 * (stage * blocks_per_stage + block + 1),
                               name=f"stage{stage + 1}_block{block + 1}")
    x = layers.GlobalAveragePooling2D(name="global_pool")(x)
    outputs = layers.Dense(num_classes, activation="softmax", name="probabilities",
                           kernel_initializer=keras.initializers.GlorotUniform(seed + 1))(x)
    return keras.Model(inputs, outputs, name=name)


def deep_net(
    input_shape: Sequence[int] = (28, 28, 1),
    *,
    depth: int = 20,
    width: int = 16,
    skip: bool = False,
    downsample: int = 2,
    num_classes: int = 10,
    seed: int = 0,
) -> keras.Model:
    """A deep stack of 3x3 convolutions, plain or with a skip connection around every pair.

    Both variants have the same layers and the same number of parameters; the only
    difference is the ``Add`` of each block's input to its output. The images are first
    reduced by a ``downsample`` x ``downsample`` average pooling (to keep the network cheap),
    a stem convolution sets ``width`` channels, then ``depth // 2`` blocks of two
    convolutions follow.

    Parameters
    ----------
    input_shape : (H, W, C)
    depth : int, keyword-only
        Number of convolutions in the blocks (even, at least 2).
    width : int, keyword-only
        Channels of every convolution.
    skip : bool, keyword-only
        Add the skip connections (a residual network) or not (a plain network).
    downsample : int, keyword-only
        Average-pooling factor applied to the images first (1 keeps them as they are).
    num_classes : int, keyword-only
    seed : int, keyword-only

    Returns
    -------
    keras.Model
        Named ``"residual_<depth>"`` or ``"plain_<depth>"``.

    Raises
    ------
    TypeError, ValueError
        If a size is not a positive integer, ``depth`` is odd, or ``downsample`` leaves no pixel.

    See Also
    --------
    residual_block : the same block as a reusable function.

    References
    ----------
    K. He, X. Zhang, S. Ren and J. Sun, "Deep residual learning for image recognition",
    CVPR 2016.

    Examples
    --------
    >>> plain = deep_net((8, 8, 1), depth=4, width=4)
    >>> residual = deep_net((8, 8, 1), depth=4, width=4, skip=True)
    >>> plain.count_params() == residual.count_params()
    True
    >>> residual.name, len(residual.layers) - len(plain.layers)  # one Add per block
    ('residual_4', 2)
    """
    input_shape = _check_input_shape(input_shape)
    depth = as_int("depth", depth, minimum=2, maximum=_limits.MAX_DEPTH, why="Deeper networks do not fit a lesson's time budget.")
    if depth % 2:
        raise ValueError(f"depth must be even (blocks hold two convolutions); got {depth}.")
    width = as_int("width", width, minimum=1, maximum=_limits.MAX_CHANNELS, why="Wider layers do not fit a lesson's time budget.")
    downsample = as_int("downsample", downsample, minimum=1)
    if downsample > min(input_shape[:2]):
        raise ValueError(
            f"downsample {downsample} is larger than the image {input_shape[:2]}; use a smaller factor."
        )
    num_classes = as_int("num_classes", num_classes, minimum=2, maximum=_limits.MAX_EXAMPLES)
    seed = as_seed("seed", seed)
    inputs = keras.Input(shape=input_shape, name="image")
    x = layers.AveragePooling2D(downsample, name="downsample")(inputs) if downsample > 1 else inputs
    x = layers.Conv2D(width, 3, padding="same", activation="relu", name="stem",
                      kernel_initializer=keras.initializers.GlorotUniform(seed))(x)
    for block in range(depth // 2):
        y = x
        for half in (1, 2):
            y = layers.Conv2D(width, 3, padding="same", activation="relu", name=f"block{block + 1}_conv{half}",
                              kernel_initializer=keras.initializers.GlorotUniform(seed + 2 * block + half))(y)
        x = layers.Add(name=f"block{block + 1}_add")([x, y]) if skip else y
    x = layers.GlobalAveragePooling2D(name="global_pool")(x)
    outputs = layers.Dense(num_classes, activation="softmax", name="probabilities",
                           kernel_initializer=keras.initializers.GlorotUniform(seed + 1000))(x)
    return keras.Model(inputs, outputs, name=f"{'residual' if skip else 'plain'}_{depth}")
