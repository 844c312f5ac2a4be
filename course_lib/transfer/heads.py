"""New heads on a pretrained base: extracted features, augmentation, end-to-end classifiers."""

from __future__ import annotations

import keras
import numpy as np
from keras import layers

from course_lib import _limits
from course_lib._validation import as_array, as_choice, as_float, as_int, as_seed
from course_lib.transfer._common import _check_model, _leaf_layers

POOLINGS = ("avg", "flatten")


def extract_features(base: keras.Model, images, *, pooling: str = "avg", batch_size: int = 64) -> np.ndarray:
    """Run ``base`` once over ``images`` (inference mode) and return one vector per image.

    Feature maps (N, h, w, C) become vectors by ``pooling``: ``"avg"`` averages over rows
    and columns, (N, C), and discards where a pattern was; ``"flatten"`` keeps every
    position, (N, h * w * C).

    Parameters
    ----------
    base : keras.Model
        The frozen convolutional base.
    images : array_like, shape (N, H, W, C)
    pooling : {"avg", "flatten"}, keyword-only
    batch_size : int, keyword-only

    Returns
    -------
    np.ndarray, shape (N, D), float32

    Raises
    ------
    TypeError, ValueError
        If ``base`` is not a model, ``images`` is not 4-D, ``pooling`` is unknown or
        ``batch_size`` < 1.

    See Also
    --------
    build_head : the classifier trained on these features.
    lessons/07_transfer_learning.ipynb : "fast feature extraction".

    Examples
    --------
    >>> from course_lib.transfer import build_source_model, feature_extractor
    >>> base = feature_extractor(build_source_model((12, 12, 1), filters=(4, 8)))
    >>> extract_features(base, np.zeros((3, 12, 12, 1))).shape
    (3, 8)
    >>> maps = feature_extractor(build_source_model((12, 12, 1), filters=(4, 8)), layer_name="block2_relu")
    >>> extract_features(maps, np.zeros((3, 12, 12, 1)), pooling="flatten").shape
    (3, 288)
    """
    base = _check_model("base", base)
    images = as_array("images", images, ndim=4, hint="Give a batch (N, H, W, C); add axes with x[None] or x[..., None].")
    pooling = as_choice("pooling", pooling, POOLINGS)
    batch_size = as_int("batch_size", batch_size, minimum=1)
    features = base.predict(images.astype(np.float32), batch_size=batch_size, verbose=0)
    if features.ndim == 4 and pooling == "avg":
        features = features.mean(axis=(1, 2))  # (N, h, w, C) -> (N, C)
    return features.reshape(len(features), -1).astype(np.float32)


def build_head(
    feature_dim: int, num_classes: int, *, hidden_units: int = 64, dropout: float = 0.5, seed: int = 0
) -> keras.Model:
    """A small classifier on feature vectors: dropout -> dense ReLU -> dropout -> softmax.

    Parameters
    ----------
    feature_dim : int
        Length D of one feature vector.
    num_classes : int
    hidden_units : int, keyword-only
        Width of the hidden layer (0: no hidden layer, a linear softmax classifier).
    dropout : float, keyword-only
        Dropout rate in [0, 1).
    seed : int, keyword-only

    Returns
    -------
    keras.Model
        (N, D) -> (N, num_classes) probabilities, named ``"head"``.

    Raises
    ------
    TypeError, ValueError
        If a size is not a positive integer or ``dropout`` is outside [0, 1).

    See Also
    --------
    build_classifier : puts a head on a base, end to end.

    Examples
    --------
    >>> build_head(8, 3, hidden_units=4).output_shape
    (None, 3)
    """
    feature_dim = as_int("feature_dim", feature_dim, minimum=1)
    num_classes = as_int("num_classes", num_classes, minimum=2, maximum=_limits.MAX_EXAMPLES)
    hidden_units = as_int("hidden_units", hidden_units, minimum=0)
    dropout = as_float("dropout", dropout, minimum=0.0, maximum=0.99)
    seed = as_seed("seed", seed)
    inputs = keras.Input((feature_dim,), name="features")
    x = layers.Dropout(dropout, seed=seed)(inputs)
    if hidden_units:
        x = layers.Dense(hidden_units, activation="relu", kernel_initializer=keras.initializers.HeNormal(seed))(x)
        x = layers.Dropout(dropout, seed=seed + 1)(x)
    outputs = layers.Dense(num_classes, activation="softmax", kernel_initializer=keras.initializers.GlorotUniform(seed))(x)
    return keras.Model(inputs, outputs, name="head")


def augmentation(*, rotation: float = 0.05, shift: float = 0.1, zoom: float = 0.1, flip: bool = False, seed: int = 0) -> keras.Sequential:
    """Random rotation, shift, zoom (and optional left-right flip) as Keras preprocessing layers.

    Active only in training; at inference the layers pass images through unchanged.

    Parameters
    ----------
    rotation : float, keyword-only
        Largest rotation as a fraction of a full turn (0.05 = 18 degrees).
    shift, zoom : float, keyword-only
        Largest shift and zoom as fractions of the image size.
    flip : bool, keyword-only
        Add random left-right flips (right for photos, wrong for digits).
    seed : int, keyword-only

    Returns
    -------
    keras.Sequential

    Raises
    ------
    TypeError, ValueError
        If a fraction is outside [0, 1) or ``seed`` is not a non-negative int.

    See Also
    --------
    build_classifier : takes it as ``augment``.

    Examples
    --------
    >>> augment = augmentation(seed=0)
    >>> images = np.ones((2, 8, 8, 1), dtype="float32")
    >>> bool(np.all(augment(images, training=False) == images))
    True
    """
    rotation, shift, zoom = (as_float(n, v, minimum=0.0, maximum=0.99) for n, v in
                             (("rotation", rotation), ("shift", shift), ("zoom", zoom)))
    seed = as_seed("seed", seed)
    steps = [layers.RandomFlip("horizontal", seed=seed)] if flip else []
    steps += [
        layers.RandomRotation(rotation, fill_mode="constant", seed=seed + 1),
        layers.RandomTranslation(shift, shift, fill_mode="constant", seed=seed + 2),
        layers.RandomZoom(zoom, fill_mode="constant", seed=seed + 3),
    ]
    return keras.Sequential(steps, name="augmentation")


def build_classifier(
    base: keras.Model,
    num_classes: int,
    *,
    head: keras.Model | None = None,
    augment: keras.Layer | None = None,
    pooling: str = "avg",
    batchnorm_inference: bool = True,
    hidden_units: int = 64,
    dropout: float = 0.5,
    seed: int = 0,
) -> keras.Model:
    """Images -> (augmentation) -> ``base`` -> (pooling) -> head: one model, end to end.

    With ``batchnorm_inference=True`` the base's batch-norm layers stay in inference mode,
    even while the base is being fine-tuned: they normalise with their stored mean and
    variance, never with statistics of small, new batches, and never update them. Two things
    make sure of it: the base is called with ``training=False`` (the classic recipe), and its
    batch-norm layers are set ``trainable = False``, because in Keras 3 ``fit`` passes
    ``training=True`` down through nested functional models and overrides the first
    (keras-team/keras#20285), while a non-trainable ``BatchNormalization`` always runs in
    inference mode.

    Parameters
    ----------
    base : keras.Model
        The convolutional base (frozen or not: set ``base.trainable`` before compiling).
    num_classes : int
    head : keras.Model, optional, keyword-only
        A head to reuse (e.g. trained on extracted features); default a new :func:`build_head`.
    augment : keras.Layer, optional, keyword-only
        Applied to the images first, e.g. :func:`augmentation`.
    pooling : {"avg", "flatten"}, keyword-only
        How (N, h, w, C) feature maps become vectors, as in :func:`extract_features`.
    batchnorm_inference : bool, keyword-only
        Keep the base's batch norm in inference mode (this sets its batch-norm layers
        ``trainable = False``). Set False to train a base from scratch.
    hidden_units, dropout, seed : keyword-only
        Passed to :func:`build_head`.

    Returns
    -------
    keras.Model
        (N, H, W, C) images -> (N, num_classes) probabilities.

    Raises
    ------
    TypeError
        If ``base`` or ``head`` is not a keras.Model.
    ValueError
        If ``head`` does not take the base's features or give ``num_classes`` outputs, or
        ``pooling`` is unknown.

    See Also
    --------
    unfreeze_top : the next step, fine-tuning.
    lessons/07_transfer_learning.ipynb : ways 2 and 3 and the from-scratch baseline.

    References
    ----------
    J. Yosinski et al., "How transferable are features in deep neural networks?", NeurIPS 2014.

    Examples
    --------
    >>> from course_lib.transfer import build_source_model, feature_extractor
    >>> base = feature_extractor(build_source_model((12, 12, 1), filters=(4, 8)))
    >>> model = build_classifier(base, 3, hidden_units=0)
    >>> model.output_shape, [layer.name for layer in model.layers][1:]
    ((None, 3), ['source_convnet_base', 'head'])
    """
    base = _check_model("base", base)
    num_classes = as_int("num_classes", num_classes, minimum=2, maximum=_limits.MAX_EXAMPLES)
    pooling = as_choice("pooling", pooling, POOLINGS)
    inputs = keras.Input(base.input_shape[1:], name="image")
    x = augment(inputs) if augment is not None else inputs
    if batchnorm_inference:
        for layer in _leaf_layers(base):
            if isinstance(layer, layers.BatchNormalization):
                layer.trainable = False
        x = base(x, training=False)
    else:
        x = base(x)
    if len(x.shape) == 4:
        x = layers.GlobalAveragePooling2D(name="average_pool")(x) if pooling == "avg" else layers.Flatten(name="flatten")(x)
    if head is None:
        head = build_head(x.shape[-1], num_classes, hidden_units=hidden_units, dropout=dropout, seed=seed)
    head = _check_model("head", head)
    if head.input_shape[-1] != x.shape[-1] or head.output_shape[-1] != num_classes:
        raise ValueError(
            f"head must map {x.shape[-1]} features to {num_classes} classes; "
            f"got {head.input_shape} -> {head.output_shape}."
        )
    return keras.Model(inputs, head(x), name="transfer_classifier")
