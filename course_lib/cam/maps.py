"""Grad-CAM and CAM heatmaps for Keras models (TensorFlow is imported here).

Both return one heatmap per image, (N, H, W) float64 in [0, 1]: ReLU of the class-weighted
sum of a convolutional feature map, divided by its maximum, upsampled to the image size.
A map with no positive value is returned as zeros, with a warning.
"""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf

from course_lib._validation import as_array, as_int
from course_lib.cam.heatmaps import normalize, upsample


def last_conv_layer_name(model: keras.Model) -> str:
    """Name of the last layer whose output is 4-D (N, h, w, C): where Grad-CAM looks by default.

    Parameters
    ----------
    model : keras.Model
        A built functional or Sequential model with one input.

    Returns
    -------
    str

    Raises
    ------
    TypeError
        If ``model`` is not a Keras model.
    ValueError
        If no layer after the input has a 4-D output.

    Examples
    --------
    >>> from keras import layers
    >>> model = keras.Sequential([keras.Input((8, 8, 1)), layers.Conv2D(2, 3, name="conv"),
    ...                           layers.GlobalAveragePooling2D(), layers.Dense(3)])
    >>> last_conv_layer_name(model)
    'conv'
    """
    _check_model(model)
    for layer in reversed(model.layers):
        if isinstance(layer, keras.layers.InputLayer):
            continue
        if len(layer.output.shape) == 4:
            return layer.name
    raise ValueError(
        f"model {model.name!r} has no layer with a 4-D (N, h, w, C) output; Grad-CAM needs a "
        "convolutional feature map."
    )


def _check_model(model) -> None:
    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a keras.Model; got {type(model).__name__}.")
    try:
        model.inputs
    except (AttributeError, ValueError) as error:  # a Sequential model never built (ValueError: Keras < 3.4)
        raise ValueError(
            f"model {model.name!r} is not built; start it with keras.Input(shape) or call it once."
        ) from error
    if len(model.inputs) != 1:
        raise ValueError(f"model must have exactly one input; it has {len(model.inputs)}.")


def _check_images(model: keras.Model, images) -> np.ndarray:
    images = as_array("images", images, ndim=4, hint="Expected (N, H, W, C); add a batch axis with image[None].")
    expected = tuple(model.inputs[0].shape[1:])
    if any(e is not None and e != g for e, g in zip(expected, images.shape[1:])):
        raise ValueError(f"images have shape {images.shape[1:]} per image but the model expects {expected}.")
    return images.astype(np.float32)


def _check_finite(maps: np.ndarray, images: np.ndarray) -> None:
    """Name the user's arguments (not the internal ``maps``) when the model's evidence overflowed."""
    if not np.all(np.isfinite(maps)):
        bad = sorted({int(i) for i in np.nonzero(~np.isfinite(maps))[0]})
        raise ValueError(
            f"images {bad[:5]} gave NaN or infinite class evidence; got images in "
            f"[{images.min():.3g}, {images.max():.3g}]. Scale images as the model was trained "
            "(e.g. [0, 1]) and check that model's weights are finite."
        )


def _class_indices(class_index, scores: np.ndarray) -> np.ndarray:
    """(N,) class per image: argmax of the scores, one int for all, or one per image."""
    n, classes = scores.shape
    if class_index is None:
        return np.argmax(scores, axis=1)
    if np.ndim(class_index) == 0:
        index = np.full(n, as_int("class_index", class_index, minimum=0))
    else:
        index = np.asarray(class_index)
        if index.shape != (n,) or not np.issubdtype(index.dtype, np.integer):
            raise ValueError(f"class_index must be an int or {n} ints (one per image); got {index.shape} {index.dtype}.")
    if index.min() < 0 or index.max() >= classes:
        raise ValueError(f"class_index must be in [0, {classes - 1}]; got {index.min()}..{index.max()}.")
    return index


def _score_tensor(model: keras.Model):
    """The pre-softmax scores: Grad-CAM differentiates the logit, not the probability."""
    last = model.layers[-1]
    if isinstance(last, keras.layers.Softmax) or (
        isinstance(last, keras.layers.Activation) and last.activation is keras.activations.softmax
    ):
        return last.input, None
    if isinstance(last, keras.layers.Dense) and last.activation is keras.activations.softmax:
        return last.input, last  # logits are recomputed from the dense layer's input
    return model.outputs[0], None


def grad_cam(
    model: keras.Model,
    images,
    *,
    layer_name: str | None = None,
    class_index: int | np.ndarray | None = None,
    resize_to_input: bool = True,
) -> np.ndarray:
    """Grad-CAM heatmaps: feature maps weighted by the average gradient of the class score.

    For class ``c`` and feature map ``A`` (h, w, K) of layer ``layer_name``:
    ``alpha_k = mean_{i,j} d y_c / d A[i, j, k]`` and ``heatmap = ReLU(sum_k alpha_k A[..., k])``,
    divided by its maximum. ``y_c`` is the logit: a final softmax is skipped.

    Parameters
    ----------
    model : keras.Model
        A built functional or Sequential classifier with one input and (N, classes) output.
    images : array_like, shape (N, H, W, C)
        Preprocessed as the model expects.
    layer_name : str, optional, keyword-only
        Layer whose output is ``A``; default: the last layer with a 4-D output.
    class_index : int or array of int, shape (N,), optional, keyword-only
        Class to explain; default: each image's predicted class (argmax).
    resize_to_input : bool, keyword-only
        Upsample to (H, W) (default) or keep the feature-map size (h, w).

    Returns
    -------
    heatmaps : ndarray, shape (N, H, W) or (N, h, w), float64 in [0, 1]

    Raises
    ------
    TypeError
        If ``model`` is not a Keras model or ``images`` is not numeric.
    ValueError
        If ``images`` is not 4-D or does not fit the model, ``layer_name`` is unknown or not
        4-D, the output is not (N, classes), or ``class_index`` is out of range.

    Warns
    -----
    UserWarning
        If a map has no positive value (it is returned as zeros).

    See Also
    --------
    class_activation_map : the special case of global-average-pooling models.
    Chapter "Class activation maps".

    References
    ----------
    R. R. Selvaraju et al., "Grad-CAM: Visual explanations from deep networks via
    gradient-based localization", ICCV 2017.

    Examples
    --------
    >>> from keras import layers
    >>> inputs = keras.Input((4, 4, 1))
    >>> features = layers.Conv2D(1, 1, use_bias=False, kernel_initializer="ones", name="conv")(inputs)
    >>> scores = layers.Dense(1, use_bias=False, kernel_initializer="ones")(layers.GlobalAveragePooling2D()(features))
    >>> model = keras.Model(inputs, scores)
    >>> image = np.zeros((1, 4, 4, 1)); image[0, 1, 2, 0] = 2.0; image[0, 3, 3, 0] = 1.0
    >>> grad_cam(model, image)[0]  # the feature map itself, scaled to a maximum of 1
    array([[0. , 0. , 0. , 0. ],
           [0. , 0. , 1. , 0. ],
           [0. , 0. , 0. , 0. ],
           [0. , 0. , 0. , 0.5]])
    """
    _check_model(model)
    images = _check_images(model, images)
    layer_name = last_conv_layer_name(model) if layer_name is None else layer_name
    if not isinstance(layer_name, str):
        raise TypeError(f"layer_name must be a str or None; got {type(layer_name).__name__}.")
    names = [layer.name for layer in model.layers]
    if layer_name not in names:
        raise ValueError(f"layer_name {layer_name!r} is not a layer of the model; its layers are {names}.")
    feature_tensor = model.get_layer(layer_name).output
    if len(feature_tensor.shape) != 4:
        raise ValueError(f"layer {layer_name!r} has output shape {feature_tensor.shape}; Grad-CAM needs a 4-D feature map.")
    score_tensor, dense = _score_tensor(model)
    grad_model = keras.Model(model.inputs[0], [feature_tensor, score_tensor])
    with tf.GradientTape() as tape:
        features, scores = grad_model(images, training=False)  # (N, h, w, K), (N, classes) or dense input
        if dense is not None:
            scores = tf.matmul(scores, dense.kernel) + (dense.bias if dense.use_bias else 0.0)
        if len(scores.shape) != 2:
            raise ValueError(f"model output must be (N, classes); got shape {tuple(scores.shape)}.")
        classes = _class_indices(class_index, scores.numpy())
        selected = tf.gather(scores, classes, axis=1, batch_dims=1)  # (N,): y_c of each image
    gradients = tape.gradient(selected, features)  # (N, h, w, K); images are independent
    weights = tf.reduce_mean(gradients, axis=(1, 2))  # (N, K): alpha_k
    maps = tf.einsum("nhwk,nk->nhw", features, weights).numpy()
    _check_finite(maps, images)
    heatmaps = normalize(maps)
    return upsample(heatmaps, images.shape[1:3]) if resize_to_input else heatmaps


def class_activation_map(
    model: keras.Model,
    images,
    *,
    class_index: int | np.ndarray | None = None,
    resize_to_input: bool = True,
) -> np.ndarray:
    """CAM for a model ending in global average pooling and one dense layer.

    ``heatmap = ReLU(sum_k w[k, c] A[..., k])`` divided by its maximum, where ``A`` is the
    feature map fed to the pooling and ``w`` the dense kernel: the class score, before
    averaging, at every position. (Grad-CAM gives the same map on such models.)

    Parameters
    ----------
    model : keras.Model
        Built, one input, with a ``GlobalAveragePooling2D`` followed only by one ``Dense``
        (and optionally ``Dropout``, ``Activation`` or ``Softmax``) layers.
    images : array_like, shape (N, H, W, C)
    class_index : int or array of int, shape (N,), optional, keyword-only
        Default: each image's predicted class.
    resize_to_input : bool, keyword-only
        Upsample to (H, W) (default) or keep the feature-map size.

    Returns
    -------
    heatmaps : ndarray, shape (N, H, W) or (N, h, w), float64 in [0, 1]

    Raises
    ------
    TypeError
        If ``model`` is not a Keras model or ``images`` is not numeric.
    ValueError
        If the model does not end in global average pooling and one dense layer, or
        ``images``/``class_index`` do not fit it.

    See Also
    --------
    grad_cam : works for any architecture.

    References
    ----------
    B. Zhou, A. Khosla, A. Lapedriza, A. Oliva and A. Torralba, "Learning deep features for
    discriminative localization", CVPR 2016.

    Examples
    --------
    >>> from keras import layers
    >>> inputs = keras.Input((2, 2, 1))
    >>> features = layers.Conv2D(2, 1, use_bias=False, kernel_initializer="ones")(inputs)
    >>> pooled = layers.GlobalAveragePooling2D()(features)
    >>> model = keras.Model(inputs, layers.Dense(2, kernel_initializer="identity")(pooled))
    >>> class_activation_map(model, [[[[1.0], [3.0]], [[0.0], [2.0]]]], class_index=1)[0]
    array([[0.33333333, 1.        ],
           [0.        , 0.66666667]])
    """
    _check_model(model)
    images = _check_images(model, images)
    pools = [i for i, layer in enumerate(model.layers) if isinstance(layer, keras.layers.GlobalAveragePooling2D)]
    tail = model.layers[pools[-1] + 1 :] if pools else []
    dense = [layer for layer in tail if isinstance(layer, keras.layers.Dense)]
    allowed = (keras.layers.Dense, keras.layers.Dropout, keras.layers.Activation, keras.layers.Softmax)
    if not pools or len(dense) != 1 or not all(isinstance(layer, allowed) for layer in tail):
        raise ValueError(
            f"class_activation_map needs a model that ends in GlobalAveragePooling2D and one Dense "
            f"layer; {model.name!r} ends in {[layer.__class__.__name__ for layer in model.layers[-3:]]}. "
            "Use grad_cam for other architectures."
        )
    feature_model = keras.Model(model.inputs[0], [model.layers[pools[-1]].input, model.outputs[0]])
    features, scores = (np.asarray(t) for t in feature_model(images, training=False))  # (N, h, w, K), (N, classes)
    classes = _class_indices(class_index, scores)
    class_weights = np.asarray(dense[0].kernel)[:, classes].T  # (N, K)
    maps = np.einsum("nhwk,nk->nhw", features.astype(np.float64), class_weights)
    _check_finite(maps, images)
    heatmaps = normalize(maps)
    return upsample(heatmaps, images.shape[1:3]) if resize_to_input else heatmaps
