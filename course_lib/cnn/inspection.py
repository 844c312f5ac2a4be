"""What a trained convnet sees: intermediate activations and filter patterns (arrays only).

:func:`intermediate_activations` runs one image through a model and returns the output of
each convolution and pooling layer. :func:`filter_patterns` finds, by gradient ascent in
input space, the image that makes a chosen filter respond most strongly. Display lives in
``course_lib.plotting.cnn``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import keras
import numpy as np
import tensorflow as tf
from keras import layers

from course_lib import _limits
from course_lib._validation import as_array, as_float, as_int, as_ints, as_seed

FEATURE_LAYERS = (layers.Conv2D, layers.MaxPooling2D, layers.AveragePooling2D, layers.Add, layers.Activation)


def _check_model(model) -> keras.Model:
    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a keras.Model; got {type(model).__name__}.")
    return model


def _layer(model: keras.Model, name: str):
    names = [layer.name for layer in model.layers]
    if name not in names:
        raise ValueError(f"layer_name {name!r} is not a layer of {model.name!r}; its layers are {names}.")
    return model.get_layer(name)


def feature_layer_names(model: keras.Model) -> list[str]:
    """Names of the layers whose outputs are feature maps (4-D: convolution, pooling, add).

    Parameters
    ----------
    model : keras.Model

    Returns
    -------
    list of str
        In the order of ``model.layers``.

    Raises
    ------
    TypeError
        If ``model`` is not a ``keras.Model``.

    See Also
    --------
    intermediate_activations

    Examples
    --------
    >>> from course_lib.cnn import small_convnet
    >>> feature_layer_names(small_convnet())
    ['conv1', 'pool1', 'conv2', 'pool2', 'conv3']
    """
    model = _check_model(model)
    return [layer.name for layer in model.layers
            if isinstance(layer, FEATURE_LAYERS) and len(layer.output.shape) == 4]


def intermediate_activations(model: keras.Model, image, *, layer_names: Sequence[str] | None = None) -> dict[str, np.ndarray]:
    """Outputs of the given layers (default: every feature-map layer) for one image.

    Parameters
    ----------
    model : keras.Model
        A functional model whose input is (N, H, W, C) images.
    image : array_like, shape (H, W, C) or (H, W)
        One image, scaled as the model was trained; a 2-D image gets a channel axis.
    layer_names : sequence of str, optional, keyword-only
        Layers to read; default :func:`feature_layer_names`.

    Returns
    -------
    dict of str to ndarray
        For each layer, its activation for this image, shape (H_l, W_l, C_l), float32.

    Raises
    ------
    TypeError
        If ``model`` is not a ``keras.Model`` or ``image`` is not numeric.
    ValueError
        If ``image`` is not 2-D or 3-D, or a layer name is unknown.

    See Also
    --------
    course_lib.plotting.cnn.show_activations : draws the result.

    References
    ----------
    M. D. Zeiler and R. Fergus, "Visualizing and understanding convolutional networks",
    ECCV 2014.

    Examples
    --------
    >>> from course_lib.cnn import small_convnet
    >>> maps = intermediate_activations(small_convnet(), np.zeros((28, 28)))
    >>> {name: value.shape for name, value in maps.items()}["pool2"]
    (5, 5, 64)
    """
    model = _check_model(model)
    image = as_array("image", image, ndim=(2, 3), hint="Pass one image, (H, W) or (H, W, C).")
    if image.ndim == 2:
        image = image[:, :, None]
    names = feature_layer_names(model) if layer_names is None else list(layer_names)
    if not names:
        raise ValueError("layer_names must hold at least one layer name; got none.")
    outputs = [_layer(model, name).output for name in names]
    reader = keras.Model(model.input, outputs)
    values = reader(image[None].astype(np.float32), training=False)  # one (1, H_l, W_l, C_l) per layer
    if not isinstance(values, (list, tuple)):
        values = [values]
    return {name: np.asarray(value)[0] for name, value in zip(names, values)}


def filter_patterns(
    model: keras.Model,
    layer_name: str,
    filter_indices: Sequence[int],
    *,
    steps: int = 40,
    step_size: float = 0.05,
    image_size: tuple[int, int] | None = None,
    preprocess: Callable | None = None,
    value_range: tuple[float, float] | None = (0.0, 1.0),
    seed: int = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """Images that maximise the mean response of filters, by gradient ascent in input space.

    All filters are optimised together as one batch: image ``k`` climbs the mean activation
    of filter ``filter_indices[k]``. Each step adds ``step_size`` times the gradient divided
    by its root mean square, so the step length does not depend on the gradient's scale.
A filter that does not respond at all to the starting image (a "dead" ReLU) gets no
gradient: its history stays at 0 and its pattern is the normalised starting noise.

    Parameters
    ----------
    model : keras.Model
    layer_name : str
        A layer with 4-D output (N, H_l, W_l, C_l).
    filter_indices : sequence of int
        Channels of that layer, each in [0, C_l).
    steps : int, keyword-only
        Gradient-ascent steps, 1..10,000 (``_limits.MAX_ITERATIONS``).
    step_size : float, keyword-only
        Step length in input units (images live in [0, 1]).
    image_size : (int, int), optional, keyword-only
        Needed when the model accepts any size (input shape ``(None, None, C)``).
    preprocess : callable, optional, keyword-only
        Maps the [0, 1] image batch to what the model expects, e.g. for VGG16
        ``lambda x: keras.applications.vgg16.preprocess_input(255 * x)``.
    value_range : (float, float) or None, keyword-only
        Pixels are clipped to this range after every step, so the pattern stays a valid
        image. ``None`` lets them grow freely; the result is then rescaled for display.
    seed : int, keyword-only
        Seed of the starting images: grey 0.5 plus uniform noise of +-0.05.

    Returns
    -------
    patterns : ndarray, shape (K, H, W, C), float32 in [0, 1]
        The optimised images; with ``value_range=None``, rescaled for display (mean 0.5,
        standard deviation 0.15, clipped to [0, 1]).
    history : ndarray, shape (K, steps + 1)
        Mean activation of each filter before each step and after the last one.

    Raises
    ------
    TypeError
        If ``model`` is not a ``keras.Model`` or a number has the wrong type.
    ValueError
        If the layer is unknown or not 4-D, an index is out of range, ``image_size`` is
        missing for a size-free model, ``steps``/``step_size`` are not positive, or
        ``value_range`` is not an increasing pair.

    See Also
    --------
    intermediate_activations

    References
    ----------
    M. D. Zeiler and R. Fergus, "Visualizing and understanding convolutional networks",
    ECCV 2014.

    Examples
    --------
    >>> from course_lib.cnn import small_convnet
    >>> patterns, history = filter_patterns(small_convnet(), "conv1", [0, 1], steps=5)
    >>> patterns.shape, history.shape
    ((2, 28, 28, 1), (2, 6))
    >>> bool(np.all(history[:, -1] > history[:, 0]))  # the responses went up
    True
    """
    model = _check_model(model)
    layer = _layer(model, layer_name)
    if len(layer.output.shape) != 4:
        raise ValueError(
            f"layer_name {layer_name!r} has output shape {tuple(layer.output.shape)}; choose a layer "
            "with feature maps (N, H, W, C), e.g. a Conv2D."
        )
    channels = layer.output.shape[-1]
    indices = as_ints("filter_indices", filter_indices, minimum=0)
    if not indices:
        raise ValueError("filter_indices must hold at least one filter index; got none.")
    if max(indices) >= channels:
        raise ValueError(f"filter_indices must be in [0, {channels}) for layer {layer_name!r}; got {max(indices)}.")
    steps = as_int("steps", steps, minimum=1, maximum=_limits.MAX_ITERATIONS,
                   why="A few hundred steps of gradient ascent are plenty.")
    step_size = as_float("step_size", step_size, minimum=0.0)
    if step_size == 0:
        raise ValueError("step_size must be > 0; got 0.0.")
    seed = as_seed("seed", seed)
    if value_range is not None:
        low, high = (as_float("value_range", v) for v in value_range)
        if not low < high:
            raise ValueError(f"value_range must be (low, high) with low < high; got {value_range!r}.")
    rows, cols, in_channels = model.input_shape[1:4]
    if image_size is not None:
        rows, cols = (as_int("image_size", n, minimum=1, maximum=_limits.MAX_SIDE) for n in image_size)
    if rows is None or cols is None:
        raise ValueError(
            f"model {model.name!r} accepts any image size; pass image_size=(rows, cols)."
        )
    extractor = keras.Model(model.input, layer.output)
    prepare = preprocess or (lambda batch: batch)
    one_hot = tf.one_hot(indices, channels)  # (K, C_l): picks each image's own filter
    start = np.random.default_rng(seed).uniform(0.45, 0.55, size=(len(indices), rows, cols, in_channels))
    images = tf.constant(start, dtype=tf.float32)

    def responses(batch):
        maps = extractor(prepare(batch), training=False)  # (K, H_l, W_l, C_l)
        return tf.reduce_sum(tf.reduce_mean(maps, axis=(1, 2)) * one_hot, axis=1)  # (K,)

    history = []
    for _ in range(steps):
        with tf.GradientTape() as tape:
            tape.watch(images)
            response = responses(images)
            total = tf.reduce_sum(response)  # images are independent: d total / d image_k = d response_k / d image_k
        history.append(response.numpy())
        gradient = tape.gradient(total, images)
        rms = tf.sqrt(tf.reduce_mean(gradient**2, axis=(1, 2, 3), keepdims=True)) + 1e-8
        images = images + step_size * gradient / rms
        if value_range is not None:
            images = tf.clip_by_value(images, low, high)
    history.append(responses(images).numpy())
    patterns = images.numpy()
    if value_range is not None:
        return patterns.astype(np.float32), np.stack(history, axis=1)
    patterns = patterns - patterns.mean(axis=(1, 2, 3), keepdims=True)
    patterns = patterns / (patterns.std(axis=(1, 2, 3), keepdims=True) + 1e-8) * 0.15 + 0.5
    return np.clip(patterns, 0.0, 1.0).astype(np.float32), np.stack(history, axis=1)
