"""Keras side of the restoration chapter: the residual network and the on-the-fly patch dataset.

The network learns the *corruption*, not the clean image (residual learning, as DnCNN):
``clean_estimate = corrupted - network(corrupted)``. It is fully convolutional with
``"same"`` padding, so it accepts 40 x 40 training patches and whole photographs alike.

The dataset draws random crops of clean training photographs and corrupts each one with
freshly sampled parameters (:func:`course_lib.restoration.corrupt`), so the network never
sees the same noisy patch twice and cannot memorise one noise level or blur direction.

TensorFlow/Keras is imported here and in :mod:`course_lib.restoration_train` only.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import keras
import numpy as np
from keras import layers

#: Deblurring patches are deconvolved with this many pixels of context on every side.
WIENER_CONTEXT = 16

from course_lib import restoration
from course_lib import restoration_baselines as baselines
from course_lib._validation import as_array, as_choice, as_int


def residual_block(x, channels: int, *, name: str, seed: int | None = None):
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
    channels = as_int("channels", channels, minimum=1)
    if x.shape[-1] != channels:
        raise ValueError(
            f"x must have {channels} channels to add the skip connection; got shape {tuple(x.shape)}. "
            "Project it with a 1x1 convolution first."
        )
    # (N, H, W, C) -> (N, H, W, C): the block learns a correction added to its input
    first, second = (None, None) if seed is None else (seed, seed + 1)
    y = layers.Conv2D(channels, 3, padding="same", activation="relu", name=f"{name}_conv1",
                      kernel_initializer=keras.initializers.HeNormal(seed=first))(x)
    y = layers.Conv2D(channels, 3, padding="same", name=f"{name}_conv2",
                      kernel_initializer=keras.initializers.HeNormal(seed=second))(y)
    y = layers.Add(name=f"{name}_add")([x, y])
    return layers.Activation("relu", name=f"{name}_relu")(y)


def build_model(*, blocks: int = 4, channels: int = 32, image_channels: int = 1, downscale: int = 1,
                seed: int = 0) -> keras.Model:
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
    seed : int, keyword-only
        Seed of the weight initialisers (the same seed gives the same initial weights).

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
    """
    blocks = as_int("blocks", blocks, minimum=0)
    channels = as_int("channels", channels, minimum=1)
    image_channels = as_int("image_channels", image_channels, minimum=1)
    downscale = as_int("downscale", downscale, minimum=1)
    seed = as_int("seed", seed, minimum=0)
    corrupted = keras.Input(shape=(None, None, image_channels), name="corrupted")
    x = corrupted
    if downscale > 1:
        # (N, H, W, image_channels) -> (N, H/s, W/s, channels): one s x s block per position
        x = layers.Conv2D(channels, downscale, strides=downscale, activation="relu", name="fold",
                          kernel_initializer=keras.initializers.HeNormal(seed=seed * 1000 + 999))(x)
    # (N, h, w, .) -> (N, h, w, channels)
    x = layers.Conv2D(channels, 3, padding="same", activation="relu", name="head",
                      kernel_initializer=keras.initializers.HeNormal(seed=seed * 1000))(x)
    for index in range(blocks):
        x = residual_block(x, channels, name=f"block{index + 1}", seed=seed * 1000 + 2 * index + 1)
    # the last layer starts at zero: the untrained model returns its input unchanged
    if downscale > 1:
        # (N, H/s, W/s, channels) -> (N, H, W, image_channels)
        corruption = layers.Conv2DTranspose(image_channels, downscale, strides=downscale, name="corruption",
                                            kernel_initializer="zeros")(x)
    else:
        corruption = layers.Conv2D(image_channels, 3, padding="same", name="corruption",
                                   kernel_initializer="zeros")(x)
    restored = layers.Subtract(name="restored")([corrupted, corruption])
    suffix = f"_down{downscale}" if downscale > 1 else ""
    return keras.Model(corrupted, restored, name=f"resnet_restorer_{blocks}x{channels}{suffix}")


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


class PatchDataset(keras.utils.PyDataset):
    """Batches of (corrupted, clean) patches cut from clean images and corrupted on the fly.

    Each batch ``index`` of epoch ``e`` uses its own generator seeded by ``(seed, e, index)``,
    so a dataset is reproducible, yet every epoch shows new crops and new corruptions.
    Crops are drawn from an image with probability proportional to its area, then flipped
    and rotated by a random multiple of 90 degrees.

    Parameters
    ----------
    images : mapping of str to ndarray, or sequence of ndarray, each (H, W) in [0, 1]
        Clean grayscale training images, each at least ``patch_size`` (plus the blur margin) wide.
    task : {"denoise", "deblur"}
        Corruption sampled for each patch (see :func:`course_lib.restoration.corrupt`).
        ``"deblur"`` is *non-blind*: the input patch is the Wiener deconvolution of the blurred
        one with its true kernel (:func:`course_lib.restoration_baselines.wiener_deblur`,
        computed with ``WIENER_CONTEXT`` pixels of real context around the patch), so the
        network learns to remove what Wiener leaves behind: ringing, amplified noise and the
        blur its regulariser keeps.
    patch_size : int, keyword-only
        Side of the square patches (40 by default).
    batch_size : int, keyword-only
    steps : int, keyword-only
        Batches per epoch.
    seed : int, keyword-only
    fixed : bool, keyword-only
        If True, every epoch repeats the same batches (use it for a validation set).

    Raises
    ------
    TypeError, ValueError
        If an argument has the wrong type or value, or an image is smaller than a patch.

    See Also
    --------
    course_lib.restoration.corrupt : the corruption of each patch.

    Examples
    --------
    >>> data = PatchDataset([np.full((50, 50), 0.5)], "denoise", patch_size=8, batch_size=4, steps=2)
    >>> corrupted, clean = data[0]
    >>> corrupted.shape, clean.shape, corrupted.dtype.name, len(data)
    ((4, 8, 8, 1), (4, 8, 8, 1), 'float32', 2)
    >>> bool(np.all(clean == 0.5))
    True
    """

    def __init__(self, images, task: str, *, patch_size: int = 40, batch_size: int = 32,
                 steps: int = 100, seed: int = 0, fixed: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.task = as_choice("task", task, restoration.TASKS)
        self.patch_size = as_int("patch_size", patch_size, minimum=1)
        self.batch_size = as_int("batch_size", batch_size, minimum=1)
        self.steps = as_int("steps", steps, minimum=1)
        self.seed = as_int("seed", seed, minimum=0)
        self.fixed = bool(fixed)
        values = list(images.values()) if isinstance(images, Mapping) else list(images)
        if not values:
            raise ValueError("images must hold at least one image; got none.")
        self.images = [as_array("images", image, ndim=2, hint="Pass grayscale (H, W) images.") for image in values]
        # a blurred patch is cut from a larger crop so its border is real image, not padding,
        # and deconvolved with context around it (the border of a deconvolution is unreliable)
        self.margin = restoration.MAX_BLUR_LENGTH - 1 + 2 * WIENER_CONTEXT if self.task == "deblur" else 0
        side = self.patch_size + self.margin
        small = [image.shape for image in self.images if min(image.shape) < side]
        if small:
            raise ValueError(f"every image must be at least {side} pixels on each side; got shape {small[0]}.")
        areas = np.array([image.size for image in self.images], dtype=float)
        self.weights = areas / areas.sum()
        self.epoch = 0

    def __len__(self) -> int:
        return self.steps

    def on_epoch_end(self) -> None:
        if not self.fixed:
            self.epoch += 1

    def __getitem__(self, index):
        generator = np.random.default_rng([self.seed, self.epoch, index])
        side = self.patch_size + self.margin
        corrupted = np.empty((self.batch_size, self.patch_size, self.patch_size, 1), dtype=np.float32)
        clean = np.empty_like(corrupted)
        for item in range(self.batch_size):
            image = self.images[generator.choice(len(self.images), p=self.weights)]
            top = generator.integers(0, image.shape[0] - side + 1)
            left = generator.integers(0, image.shape[1] - side + 1)
            crop = np.rot90(image[top:top + side, left:left + side], k=generator.integers(4))
            crop = crop[:, ::-1] if generator.random() < 0.5 else crop
            # (side, side) -> (patch, patch): "valid" blurring eats the blur margin
            bad, params = restoration.corrupt(crop, self.task, rng=generator, valid=True)
            if self.task == "deblur":
                # non-blind: the network refines the Wiener deconvolution with the true kernel
                # (patch + 2 * context)^2 -> patch^2, the centre away from the deconvolution's border
                bad = baselines.wiener_deblur(bad, params["kernel"])[WIENER_CONTEXT:-WIENER_CONTEXT,
                                                                     WIENER_CONTEXT:-WIENER_CONTEXT]
            offset = self.margin // 2
            corrupted[item, ..., 0] = bad
            clean[item, ..., 0] = crop[offset:offset + self.patch_size, offset:offset + self.patch_size]
        return corrupted, clean


def steps_for(images, *, patch_size: int, batch_size: int, coverage: float = 1.0) -> int:
    """Batches needed to cut ``coverage`` times as many pixels as the images hold.

    Parameters
    ----------
    images : sequence of ndarray
    patch_size, batch_size : int, keyword-only
    coverage : float, keyword-only

    Returns
    -------
    int, at least 1

    Raises
    ------
    TypeError, ValueError
        If a size is not a positive int.

    Examples
    --------
    >>> steps_for([np.zeros((80, 80))], patch_size=40, batch_size=2)
    2
    """
    patch_size = as_int("patch_size", patch_size, minimum=1)
    batch_size = as_int("batch_size", batch_size, minimum=1)
    pixels = sum(np.asarray(image).size for image in images)
    return max(1, math.ceil(coverage * pixels / (patch_size**2 * batch_size)))
