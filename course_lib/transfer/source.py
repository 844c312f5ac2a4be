"""The source model (pretrained offline on digits 0-4), ImageNet bases and the target task."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import keras
import numpy as np
from keras import layers

from course_lib import _limits
from course_lib._validation import _asarray, as_choice, as_int, as_ints, as_labels, as_rng, as_seed
from course_lib.transfer._common import SOURCE_MODEL_PATH, _check_model

SOURCE_CLASSES = (0, 1, 2, 3, 4)


def build_source_model(
    input_shape: Sequence[int] = (28, 28, 1),
    *,
    num_classes: int = 5,
    filters: Sequence[int] = (32, 64, 128),
    seed: int = 0,
) -> keras.Model:
    """The source architecture: blocks of conv 3x3 -> batch norm -> ReLU, then average pooling.

    Block ``i`` has layers ``block{i}_conv``, ``block{i}_bn``, ``block{i}_relu`` and, except
    the last, ``block{i}_pool`` (2x2 max pooling). ``features`` (global average pooling)
    gives one vector per image; ``predictions`` is the softmax classifier on top.

    Parameters
    ----------
    input_shape : (H, W, C)
        Shape of one image, channels last.
    num_classes : int, keyword-only
        Classes of the softmax.
    filters : sequence of int, keyword-only
        Filters of each block (one block per entry).
    seed : int, keyword-only
        Seed of the weight initialisers.

    Returns
    -------
    keras.Model
        Maps (N, H, W, C) images to (N, num_classes) probabilities.

    Raises
    ------
    TypeError, ValueError
        If a size is not a positive integer or ``filters`` is empty.

    See Also
    --------
    load_source_model : this architecture trained on digits 0-4.

    References
    ----------
    S. Ioffe and C. Szegedy, "Batch normalization", ICML 2015.

    Examples
    --------
    >>> model = build_source_model((12, 12, 1), num_classes=3, filters=(4, 8))
    >>> model.output_shape, model.get_layer("features").output.shape
    ((None, 3), (None, 8))
    """
    if not isinstance(input_shape, (tuple, list)) or len(input_shape) != 3:
        raise ValueError(f"input_shape must be (H, W, C); got {input_shape!r}.")
    input_shape = tuple(as_int("input_shape", n, minimum=1, maximum=_limits.MAX_SIDE) for n in input_shape)
    num_classes = as_int("num_classes", num_classes, minimum=2, maximum=_limits.MAX_EXAMPLES)
    filters = as_ints("filters", filters, minimum=1, maximum=_limits.MAX_CHANNELS, why="Wider layers do not fit a lesson's time budget.")
    if not filters:
        raise ValueError("filters must hold at least one block; got an empty sequence.")
    seed = as_seed("seed", seed)
    inputs = keras.Input(input_shape, name="image")
    x = inputs
    for block, width in enumerate(filters, start=1):
        init = keras.initializers.HeNormal(seed=seed + block)
        x = layers.Conv2D(width, 3, padding="same", use_bias=False, kernel_initializer=init, name=f"block{block}_conv")(x)
        x = layers.BatchNormalization(momentum=0.9, name=f"block{block}_bn")(x)
        x = layers.ReLU(name=f"block{block}_relu")(x)
        if block < len(filters):
            x = layers.MaxPooling2D(2, name=f"block{block}_pool")(x)
    x = layers.GlobalAveragePooling2D(name="features")(x)
    init = keras.initializers.GlorotUniform(seed=seed)
    outputs = layers.Dense(num_classes, activation="softmax", kernel_initializer=init, name="predictions")(x)
    return keras.Model(inputs, outputs, name="source_convnet")


def load_source_model() -> keras.Model:
    """The course's pretrained source model: :func:`build_source_model` trained on digits 0-4.

    Trained by ``scripts/train_source_model.py`` on the 2,000 MNIST training digits 0-4 of
    ``data.mnist_subset`` (seed 0); its command, time and test accuracy are recorded in the
    script's docstring and in ``course_lib/assets/transfer/source_model.md``. The file ships with the
    package, so loading needs no network.

    Returns
    -------
    keras.Model
        (N, 28, 28, 1) images in [0, 1] -> (N, 5) probabilities of digits 0-4.

    Raises
    ------
    FileNotFoundError
        If the weights file is missing (re-create it with the training script).

    See Also
    --------
    feature_extractor : cut the model below its classifier.

    Examples
    --------
    >>> model = load_source_model()
    >>> model.input_shape, model.output_shape
    ((None, 28, 28, 1), (None, 5))
    """
    if not SOURCE_MODEL_PATH.exists():
        raise FileNotFoundError(
            f"{SOURCE_MODEL_PATH} is missing; run python scripts/train_source_model.py to create it."
        )
    model = build_source_model((28, 28, 1))  # weights only: any Keras 3 reads the file
    model.load_weights(SOURCE_MODEL_PATH)
    return model


def feature_extractor(model: keras.Model, *, layer_name: str = "features") -> keras.Model:
    """The part of ``model`` from its input to ``layer_name``: the convolutional base.

    The returned model shares its layers (and weights) with ``model``.

    Parameters
    ----------
    model : keras.Model
        A functional model, e.g. :func:`load_source_model`.
    layer_name : str, keyword-only
        Last layer kept.

    Returns
    -------
    keras.Model
        Images -> that layer's output.

    Raises
    ------
    TypeError
        If ``model`` is not a keras.Model.
    ValueError
        If it has no layer ``layer_name`` (the message lists the names).

    See Also
    --------
    extract_features : runs the base once over a set of images.

    Examples
    --------
    >>> base = feature_extractor(build_source_model((12, 12, 1), filters=(4, 8)))
    >>> base.output_shape
    (None, 8)
    """
    model = _check_model("model", model)
    names = [layer.name for layer in model.layers]
    if layer_name not in names:
        raise ValueError(f"layer_name {layer_name!r} is not a layer of {model.name}; its layers are {names}.")
    inputs = model.inputs[0] if len(model.inputs) == 1 else model.inputs  # a list would change the call structure
    return keras.Model(inputs, model.get_layer(layer_name).output, name=f"{model.name}_base")


def imagenet_base(name: str = "mobilenet_v2", *, image_size: int = 160, seed: int = 0,
                  required: bool = False) -> keras.Model | None:
    """An ImageNet backbone (``data.pretrained_backbone``) that takes images in [0, 1].

    The backbone's own preprocessing is built in: MobileNetV2 expects [-1, 1], VGG16
    expects BGR pixels in [0, 255] minus the ImageNet mean. Offline the backbone has random
    weights (``data.pretrained_backbone`` prints which it used).

    Parameters
    ----------
    name : {"mobilenet_v2", "vgg16"}
    image_size : int, keyword-only
        Rows = columns of the (image_size, image_size, 3) input.
    seed : int, keyword-only
        Seed of the offline stand-in's random weights.
    required : bool, keyword-only
        Return None (``data.pretrained_backbone`` prints why) instead of a base with random
        weights when the ImageNet weights cannot be had.

    Returns
    -------
    keras.Model or None
        (N, S, S, 3) images in [0, 1] -> (N, s, s, channels) feature maps; None only with
        ``required=True``.

    Raises
    ------
    ValueError
        If ``name`` or ``image_size`` is not supported by ``data.pretrained_backbone``.

    See Also
    --------
    feature_extractor : the offline base cut from the source model.
    lessons/07_transfer_learning.ipynb : uses it in the full profile.

    References
    ----------
    M. Sandler et al., "MobileNetV2", CVPR 2018; K. Simonyan and A. Zisserman, ICLR 2015.

    Examples
    --------
    >>> base = imagenet_base("mobilenet_v2", image_size=96)
    Backbone: mobilenet_v2 with random weights (offline stand-in; ImageNet weights need the full profile).
    >>> base.output_shape
    (None, 3, 3, 1280)
    >>> imagenet_base("mobilenet_v2", image_size=96, required=True) is None
    Skipped: this needs mobilenet_v2's ImageNet weights, which the full profile downloads.
    True
    """
    from course_lib import data

    name = as_choice("name", name, ("mobilenet_v2", "vgg16"))
    size = as_int("image_size", image_size, minimum=32)
    backbone = data.pretrained_backbone(name, input_shape=(size, size, 3), seed=seed, required=required)
    if backbone is None:
        return None
    inputs = keras.Input((size, size, 3), name="image")
    if name == "mobilenet_v2":
        x = layers.Rescaling(2.0, offset=-1.0, name="to_minus1_plus1")(inputs)
    else:  # caffe-style: RGB -> BGR, [0, 255], minus the ImageNet channel means
        x = layers.Rescaling(255.0, name="to_0_255")(inputs[..., ::-1])
        x = layers.Normalization(mean=[103.939, 116.779, 123.68], variance=[1.0, 1.0, 1.0], name="minus_mean")(x)
    return keras.Model(inputs, backbone(x), name=f"{name}_base")


def few_shot(images, labels, *, classes: Sequence[int], n_per_class: int, rng=0) -> tuple[np.ndarray, np.ndarray]:
    """Keep ``n_per_class`` examples of each of ``classes`` and relabel them 0, 1, ...

    Parameters
    ----------
    images : array_like, shape (N, ...)
    labels : array_like of int, shape (N,)
    classes : sequence of int, keyword-only
        Original labels to keep; ``classes[k]`` becomes label ``k``.
    n_per_class : int, keyword-only
    rng : int, numpy.random.Generator or None, keyword-only
        Which examples are picked, and their (shuffled) order.

    Returns
    -------
    images : np.ndarray, shape (len(classes) * n_per_class, ...), same dtype as given
    labels : np.ndarray of int64, shape (len(classes) * n_per_class,)

    Raises
    ------
    TypeError, ValueError
        If the shapes disagree, ``classes`` is empty or repeats a label, or a class has
        fewer than ``n_per_class`` examples.

    See Also
    --------
    lessons/07_transfer_learning.ipynb : builds the digits 5-9 target task with it.

    Examples
    --------
    >>> x, y = few_shot(np.arange(6), np.array([5, 6, 5, 6, 5, 7]), classes=[5, 6], n_per_class=2, rng=0)
    >>> sorted(zip(y.tolist(), x.tolist()))[0][0], np.bincount(y).tolist()
    (0, [2, 2])
    """
    if isinstance(images, (str, bytes)) or images is None:
        raise TypeError(f"images must be an array of images (N, ...); got {type(images).__name__}.")
    images = _asarray("images", images)
    if images.ndim == 0:
        raise ValueError(f"images must be an array of images (N, ...); got a scalar {images!r}.")
    labels = as_labels("labels", labels)  # fractional labels refused, never truncated
    if len(images) != len(labels):
        raise ValueError(f"images and labels must have the same length; got {len(images)} and {len(labels)}.")
    if isinstance(classes, (str, bytes)) or not isinstance(classes, Iterable):
        raise TypeError(f"classes must be a list of class numbers; got {type(classes).__name__}.")
    classes = [as_int("classes", c) for c in classes]
    if not classes or len(set(classes)) != len(classes):
        raise ValueError(f"classes must be a non-empty list of distinct labels; got {classes}.")
    n_per_class = as_int("n_per_class", n_per_class, minimum=1)
    generator = as_rng(rng)
    picked = []
    for new_label, label in enumerate(classes):
        where = np.flatnonzero(labels == label)
        if len(where) < n_per_class:
            raise ValueError(f"class {label} has {len(where)} examples; n_per_class asks for {n_per_class}.")
        picked += [(index, new_label) for index in generator.choice(where, n_per_class, replace=False)]
    order = generator.permutation(len(picked))
    indices = np.array([picked[i][0] for i in order])
    return images[indices], np.array([picked[i][1] for i in order], dtype=np.int64)
