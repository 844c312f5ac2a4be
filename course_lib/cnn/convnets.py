"""A LeNet-style convnet for the digit chapter, with and without pooling."""

from __future__ import annotations

from collections.abc import Sequence

import keras
from keras import layers

from course_lib import _limits
from course_lib._validation import as_int, as_ints, as_seed


def _check_input_shape(input_shape) -> tuple[int, int, int]:
    if not isinstance(input_shape, (tuple, list)) or len(input_shape) != 3:
        raise ValueError(
            f"input_shape must be (H, W, C), channels last; got {input_shape!r}. "
            "Leave out the batch axis, e.g. (28, 28, 1)."
        )
    return tuple(as_int("input_shape", n, minimum=1, maximum=_limits.MAX_SIDE) for n in input_shape)  # type: ignore[return-value]


def small_convnet(
    input_shape: Sequence[int] = (28, 28, 1),
    *,
    num_classes: int = 10,
    filters: Sequence[int] = (32, 64, 64),
    dense_units: int = 64,
    pooling: bool = True,
    seed: int = 0,
    name: str | None = None,
) -> keras.Model:
    """A LeNet-style classifier: 3x3 ReLU convolutions, optional 2x2 max pooling, two dense layers.

    Parameters
    ----------
    input_shape : (H, W, C)
        Shape of one image, without the batch axis.
    num_classes : int, keyword-only
        Outputs of the softmax layer.
    filters : sequence of int, keyword-only
        Filters of each 3x3 ``valid`` convolution.
    dense_units : int, keyword-only
        Width of the hidden dense layer.
    pooling : bool, keyword-only
        Put a 2x2 ``MaxPooling2D`` after every convolution except the last.
    seed : int, keyword-only
        Seed of the weight initialisers.
    name : str, optional, keyword-only
        Model name (default ``"convnet"`` or ``"convnet_no_pooling"``).

    Returns
    -------
    keras.Model
        Maps (N, H, W, C) images to (N, num_classes) class probabilities.

    Raises
    ------
    TypeError, ValueError
        If a size is not a positive integer, ``filters`` is empty, or the image is too
        small for the convolutions.

    See Also
    --------
    layer_table : output shapes and parameter counts.

    References
    ----------
    Y. LeCun, L. Bottou, Y. Bengio and P. Haffner, "Gradient-based learning applied to
    document recognition", Proc. IEEE, 1998.

    Examples
    --------
    >>> model = small_convnet()
    >>> model.count_params()
    93322
    >>> small_convnet(pooling=False).output_shape
    (None, 10)
    """
    input_shape = _check_input_shape(input_shape)
    num_classes = as_int("num_classes", num_classes, minimum=2, maximum=_limits.MAX_EXAMPLES)
    dense_units = as_int("dense_units", dense_units, minimum=1, maximum=_limits.MAX_CHANNELS, why="Wider layers do not fit a lesson's time budget.")
    filters = as_ints("filters", filters, minimum=1, maximum=_limits.MAX_CHANNELS, why="Wider layers do not fit a lesson's time budget.")
    if not filters:
        raise ValueError("filters must list at least one convolution; got an empty sequence.")
    seed = as_seed("seed", seed)
    rows, cols = input_shape[:2]
    for index, _ in enumerate(filters):  # check the image is big enough before Keras does
        rows, cols = rows - 2, cols - 2
        if pooling and index < len(filters) - 1:
            rows, cols = rows // 2, cols // 2
        if min(rows, cols) < 1:
            raise ValueError(
                f"input_shape {input_shape} is too small for {len(filters)} 3x3 convolutions"
                f"{' with pooling' if pooling else ''}; use fewer filters or larger images."
            )
    inputs = keras.Input(shape=input_shape, name="image")
    x = inputs
    for index, count in enumerate(filters):
        x = layers.Conv2D(count, 3, activation="relu", name=f"conv{index + 1}",
                          kernel_initializer=keras.initializers.GlorotUniform(seed + index))(x)
        if pooling and index < len(filters) - 1:
            x = layers.MaxPooling2D(2, name=f"pool{index + 1}")(x)
    x = layers.Flatten(name="flatten")(x)
    x = layers.Dense(dense_units, activation="relu", name="dense",
                     kernel_initializer=keras.initializers.GlorotUniform(seed + 100))(x)
    outputs = layers.Dense(num_classes, activation="softmax", name="probabilities",
                           kernel_initializer=keras.initializers.GlorotUniform(seed + 101))(x)
    default = "convnet" if pooling else "convnet_no_pooling"
    return keras.Model(inputs, outputs, name=name or default)
