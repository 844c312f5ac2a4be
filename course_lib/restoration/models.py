"""Keras side of the restoration chapter: the residual network and its geometry.

The network learns the *corruption*, not the clean image (residual learning, as DnCNN):
``clean_estimate = corrupted - network(corrupted)``. It is fully convolutional, so it accepts
training patches and whole photographs alike.

The dataset that draws random crops of clean training photographs and corrupts each one with
freshly sampled parameters is :class:`PatchDataset`, in :mod:`course_lib.restoration.data`.
Both are reached as ``restoration.<name>``. TensorFlow/Keras is imported by these modules and by
:mod:`course_lib.restoration.train` only.
"""

from __future__ import annotations

import itertools
import math

import keras
import numpy as np
from keras import layers

from course_lib import _limits
from course_lib._validation import as_choice, as_int, as_seed

#: Dtype policies :func:`build_model` accepts (mixed float16 would also need loss scaling).
DTYPES = ("float32", "mixed_bfloat16")


def residual_block(x, channels: int, *, name: str, seed: int | None = None, dtype=None):
    """Two 3x3 convolutions with a skip connection: ``relu(x + conv(relu(conv(x))))``.

    Parameters
    ----------
    x : KerasTensor, shape (N, H, W, channels)
        Input feature maps; must already have ``channels`` channels so the skip can be added.
    channels : int
        Feature maps of each convolution, at least 1.
    name : str, keyword-only
        Prefix of the layer names (``"<name>_conv1"``, ...).
    seed : int or None, keyword-only
        Seed of the He-normal initialisers (``seed`` and ``seed + 1``); None: unseeded.
    dtype : str or None, keyword-only
        Keras dtype policy of the block's layers (``"mixed_bfloat16"``: compute in bfloat16,
        keep float32 weights); None: the global policy.

    Returns
    -------
    KerasTensor, shape (N, H, W, channels)

    Raises
    ------
    TypeError
        If ``channels`` is not an int.
    ValueError
        If ``channels < 1`` or ``x`` does not have ``channels`` channels.

    See Also
    --------
    build_model : stacks these blocks.

    References
    ----------
    K. He, X. Zhang, S. Ren and J. Sun, "Deep residual learning for image recognition",
    CVPR 2016.

    Examples
    --------
    >>> inputs = keras.Input(shape=(None, None, 8))
    >>> outputs = residual_block(inputs, 8, name="block")
    >>> keras.Model(inputs, outputs).count_params()  # two convs of 3*3*8*8 weights + 8 biases
    1168
    """
    if not hasattr(x, "shape"):
        raise TypeError(f"x must be a Keras tensor (N, H, W, C), e.g. keras.Input(...) or a layer's output; got {type(x).__name__}.")
    channels = as_int("channels", channels, minimum=1, maximum=_limits.MAX_CHANNELS, why="Wider layers do not fit a lesson's time budget.")
    if x.shape[-1] != channels:
        raise ValueError(
            f"x must have {channels} channels to add the skip connection; got shape {tuple(x.shape)}. "
            "Project it with a 1x1 convolution first."
        )
    # (N, H, W, C) -> (N, H, W, C): the block learns a correction added to its input
    first, second = (None, None) if seed is None else (seed, seed + 1)
    y = layers.Conv2D(channels, 3, padding="same", activation="relu", name=f"{name}_conv1",
                      kernel_initializer=keras.initializers.HeNormal(seed=first), dtype=dtype)(x)
    y = layers.Conv2D(channels, 3, padding="same", name=f"{name}_conv2",
                      kernel_initializer=keras.initializers.HeNormal(seed=second), dtype=dtype)(y)
    y = layers.Add(name=f"{name}_add", dtype=dtype)([x, y])
    return layers.Activation("relu", name=f"{name}_relu", dtype=dtype)(y)


def build_model(*, blocks: int = 4, channels: int = 32, image_channels: int = 1, downscale: int = 1,
                levels: int = 1, seed: int = 0, dtype: str | None = None) -> keras.Model:
    """A fully convolutional ResNet that predicts the corruption and subtracts it.

    ``conv 3x3 + ReLU -> blocks x residual_block -> conv 3x3 (image_channels)`` gives the
    estimated corruption ``r``; the output is ``input - r``. The receptive field is
    ``4 * blocks + 5`` pixels (``2 * blocks + 2`` convolutions of 3x3).

    With ``downscale=s > 1`` the network works at 1/s of the resolution, as FFDNet does: a
    convolution of s x s with stride s first folds each s x s block of pixels into
    ``channels`` feature maps, the residual blocks run on that s-times smaller grid, and a
    transposed convolution of s x s with stride s unfolds the estimated corruption back to
    full resolution. Each layer then costs s**2 times less and the receptive field grows s
    times (``s * (4 * blocks + 3)`` pixels), which is what a CPU budget needs. Inputs must then
    have a height and width divisible by s (:func:`course_lib.restoration.restore_image` pads).

    With ``levels=L > 1`` the residual blocks form a U-Net of L grids, as DRUNet does: after
    ``blocks`` residual blocks, a 2x2 convolution of stride 2 halves the grid and doubles the
    channels, down to the coarsest grid; there ``blocks`` more blocks run, and on the way back
    up a 2x2 transposed convolution of stride 2 doubles the grid, the features of the same grid
    on the way down are added (a skip connection) and ``blocks`` blocks follow. A block costs
    the same on every grid (4 times fewer positions, 4 times the weights) but reaches twice as
    far on the next coarser one, so the receptive field grows much faster than the cost.
    Inputs must then have sides divisible by ``s * 2 ** (L - 1)``.

    Parameters
    ----------
    blocks : int, keyword-only
        Number of residual blocks, at least 0.
    channels : int, keyword-only
        Feature maps in every hidden layer, at least 1.
    image_channels : int, keyword-only
        1 for grayscale, 3 for RGB.
    downscale : int, keyword-only
        1 (full resolution) or the factor s described above, at least 1.
    levels : int, keyword-only
        Grids of the U-Net described above, at least 1 (1: a plain chain of ``blocks`` blocks).
        With L > 1, ``blocks`` is the number of blocks on each of the ``2 * L - 1`` stages.
    seed : int, keyword-only
        Seed of the weight initialisers (the same seed gives the same initial weights).
    dtype : {None, "float32", "mixed_bfloat16"}, keyword-only
        Dtype policy of the hidden layers. ``"mixed_bfloat16"`` computes them in bfloat16 with
        float32 weights (about twice as fast to train on a CPU with AVX-512 BF16); the input and
        the final subtraction stay float32. Weights copy between the policies
        (``model.set_weights``). None: the global Keras policy.

    Returns
    -------
    keras.Model
        Input ``(None, None, image_channels)``, output of the same shape, not compiled.

    Raises
    ------
    TypeError, ValueError
        If a size is not an int or is too small.

    See Also
    --------
    residual_block
    receptive_field : the receptive field of a model built here.
    course_lib.restoration.restore_image : applies it to a whole image.

    References
    ----------
    K. Zhang, W. Zuo, Y. Chen, D. Meng and L. Zhang, "Beyond a Gaussian denoiser: residual
    learning of deep CNN for image denoising", IEEE TIP 2017.
    K. Zhang, W. Zuo and L. Zhang, "FFDNet: toward a fast and flexible solution for CNN-based
    image denoising", IEEE TIP 2018.
    K. Zhang, Y. Li, W. Zuo, L. Zhang, L. Van Gool and R. Timofte, "Plug-and-play image
    restoration with deep denoiser prior", IEEE TPAMI 2022 (DRUNet).

    Examples
    --------
    >>> model = build_model(blocks=1, channels=4)
    >>> model.output_shape
    (None, None, None, 1)
    >>> model.predict(np.zeros((1, 9, 7, 1)), verbose=0).shape  # any size goes in
    (1, 9, 7, 1)
    >>> half = build_model(blocks=1, channels=4, downscale=2)
    >>> half.predict(np.zeros((1, 8, 6, 1)), verbose=0).shape  # sizes divisible by 2
    (1, 8, 6, 1)
    >>> downscale_factor(half), receptive_field(half)
    (2, 14)
    >>> unet = build_model(blocks=1, channels=4, downscale=2, levels=2)
    >>> downscale_factor(unet), receptive_field(unet), unet.get_layer("down1").output.shape
    (4, 40, (None, None, None, 8))
    """
    blocks = as_int("blocks", blocks, minimum=0, maximum=_limits.MAX_DEPTH, why="Deeper networks do not fit a lesson's time budget.")
    channels = as_int("channels", channels, minimum=1, maximum=_limits.MAX_CHANNELS, why="Wider layers do not fit a lesson's time budget.")
    image_channels = as_int("image_channels", image_channels, minimum=1)
    downscale = as_int("downscale", downscale, minimum=1)
    levels = as_int("levels", levels, minimum=1, maximum=8, why="Each level halves the image; 8 levels shrink 256 pixels to 1.")
    seed = as_seed("seed", seed)
    if dtype is not None:
        dtype = as_choice("dtype", dtype, DTYPES)
    corrupted = keras.Input(shape=(None, None, image_channels), name="corrupted")
    x = corrupted
    if downscale > 1:
        # (N, H, W, image_channels) -> (N, H/s, W/s, channels): one s x s block per position
        x = layers.Conv2D(channels, downscale, strides=downscale, activation="relu", name="fold",
                          kernel_initializer=keras.initializers.HeNormal(seed=seed * 1000 + 999), dtype=dtype)(x)
    # (N, h, w, .) -> (N, h, w, channels)
    x = layers.Conv2D(channels, 3, padding="same", activation="relu", name="head",
                      kernel_initializer=keras.initializers.HeNormal(seed=seed * 1000), dtype=dtype)(x)
    seeds = itertools.count(seed * 1000 + 1)  # one initialiser seed per convolution, in order
    skips, width = [], channels
    for level in range(1, levels):
        x = _stage(x, blocks, width, f"enc{level}_", seeds, dtype)
        skips.append(x)
        width *= 2
        # (N, h, w, c) -> (N, h/2, w/2, 2c)
        x = layers.Conv2D(width, 2, strides=2, name=f"down{level}", dtype=dtype,
                          kernel_initializer=keras.initializers.HeNormal(seed=next(seeds)))(x)
    x = _stage(x, blocks, width, "" if levels == 1 else "mid_", seeds, dtype)
    for level in range(levels - 1, 0, -1):
        width //= 2
        # (N, h/2, w/2, 2c) -> (N, h, w, c), plus the features of this grid on the way down
        x = layers.Conv2DTranspose(width, 2, strides=2, name=f"up{level}", dtype=dtype,
                                   kernel_initializer=keras.initializers.HeNormal(seed=next(seeds)))(x)
        x = layers.Add(name=f"skip{level}", dtype=dtype)([x, skips[level - 1]])
        x = _stage(x, blocks, width, f"dec{level}_", seeds, dtype)
    # the last layer starts at zero: the untrained model returns its input unchanged
    if downscale > 1:
        # (N, H/s, W/s, channels) -> (N, H, W, image_channels)
        corruption = layers.Conv2DTranspose(image_channels, downscale, strides=downscale, name="corruption",
                                            kernel_initializer="zeros", dtype=dtype)(x)
    else:
        corruption = layers.Conv2D(image_channels, 3, padding="same", name="corruption",
                                   kernel_initializer="zeros", dtype=dtype)(x)
    # float32 whatever the hidden layers compute in: the output is an image, not a feature map
    restored = layers.Subtract(name="restored", dtype="float32")([corrupted, corruption])
    suffix = (f"_down{downscale}" if downscale > 1 else "") + (f"_unet{levels}" if levels > 1 else "")
    return keras.Model(corrupted, restored, name=f"resnet_restorer_{blocks}x{channels}{suffix}")


def _stage(x, blocks: int, channels: int, prefix: str, seeds, dtype):
    """``blocks`` residual blocks named ``<prefix>block<n>``, each taking two seeds from ``seeds``."""
    for index in range(blocks):
        seed = next(seeds)
        next(seeds)  # residual_block seeds its second convolution with seed + 1
        x = residual_block(x, channels, name=f"{prefix}block{index + 1}", seed=seed, dtype=dtype)
    return x


def _convolutions(model: keras.Model) -> list:
    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a keras.Model; got {type(model).__name__}.")
    return [layer for layer in model.layers if isinstance(layer, (layers.Conv2D, layers.Conv2DTranspose))]


def downscale_factor(model: keras.Model) -> int:
    """How many times smaller than the input the network's coarsest grid is.

    Parameters
    ----------
    model : keras.Model
        Built from convolutions (as by :func:`build_model`).

    Returns
    -------
    int
        The product of the strides of its (non-transposed) convolutions; 1 for a network
        that stays at full resolution. Inputs must have sides divisible by it.

    Raises
    ------
    TypeError
        If ``model`` is not a Keras model.

    Examples
    --------
    >>> [downscale_factor(build_model(blocks=1, channels=4, downscale=s)) for s in (1, 2, 4)]
    [1, 2, 4]
    """
    return math.prod(layer.strides[0] for layer in _convolutions(model) if isinstance(layer, layers.Conv2D))


def receptive_field(model: keras.Model) -> int:
    """Side of the square of input pixels that can influence one output pixel.

    Parameters
    ----------
    model : keras.Model
        Built from ``Conv2D`` and ``Conv2DTranspose`` layers in a chain (as by :func:`build_model`).

    Returns
    -------
    int
        ``1 + sum((kernel_size - 1) * step)`` over the convolutions on the longest path, where
        ``step`` is the product of the strides before each layer (the skip connections add no
        extra reach). A transposed convolution whose kernel equals its stride, as in
        :func:`build_model`, maps each coarse position to its own block and adds none.

    Raises
    ------
    TypeError
        If ``model`` is not a Keras model.

    Examples
    --------
    >>> receptive_field(build_model(blocks=2, channels=4))  # 6 convolutions of 3x3
    13
    """
    field, step = 1, 1
    for layer in _convolutions(model):
        if isinstance(layer, layers.Conv2D):
            field += (layer.kernel_size[0] - 1) * step
            step *= layer.strides[0]
        else:  # transposed: back to a finer grid
            field += (layer.kernel_size[0] - layer.strides[0]) * step
            step //= layer.strides[0]
    return field
