"""Parameter counts and a layer table that checks output shapes against ``conv.output_size``."""

from __future__ import annotations

import keras
from keras import layers

from course_lib import conv
from course_lib import _limits
from course_lib._validation import as_int, as_pair


def conv2d_param_count(kernel_size: int | tuple[int, int], in_channels: int, filters: int, *, use_bias: bool = True) -> int:
    """Number of learned parameters of a ``Conv2D`` layer.

    Parameters
    ----------
    kernel_size : int or (int, int)
        Kernel height and width (KH, KW).
    in_channels : int
        Channels of the input tensor, C_in.
    filters : int
        Output channels, C_out.
    use_bias : bool, keyword-only
        Whether each output channel has a bias.

    Returns
    -------
    int
        ``KH * KW * C_in * C_out (+ C_out)``.

    Raises
    ------
    TypeError, ValueError
        If a size is not an integer >= 1.

    See Also
    --------
    layer_table : the counts Keras reports, layer by layer.

    Examples
    --------
    >>> conv2d_param_count(3, 1, 32)  # first layer of the digit convnet
    320
    >>> conv2d_param_count((3, 3), 32, 64)
    18496
    >>> conv2d_param_count(1, 16, 32, use_bias=False)
    512
    """
    kh, kw = as_pair("kernel_size", kernel_size)
    in_channels = as_int("in_channels", in_channels, minimum=1)
    filters = as_int("filters", filters, minimum=1, maximum=_limits.MAX_CHANNELS, why="Wider layers do not fit a lesson's time budget.")
    return kh * kw * in_channels * filters + (filters if use_bias else 0)


def _predicted_shape(layer, input_shape):
    """Output shape from course_lib.conv arithmetic for conv/pool layers, else None."""
    if isinstance(layer, (layers.Conv2D, layers.MaxPooling2D, layers.AveragePooling2D)):
        is_conv = isinstance(layer, layers.Conv2D)
        window = layer.kernel_size if is_conv else layer.pool_size
        rows, cols = (
            conv.output_size(size, k, padding=layer.padding, stride=s)
            for size, k, s in zip(input_shape[1:3], window, layer.strides)
        )
        channels = layer.filters if is_conv else input_shape[3]
        return (None, rows, cols, channels)
    return None


def layer_table(model: keras.Model) -> list[dict]:
    """One row per layer: name, type, output shape, parameters, and the shape predicted by
    :func:`course_lib.conv.output_size` for convolution and pooling layers.

    Parameters
    ----------
    model : keras.Model
        A built functional model.

    Returns
    -------
    list of dict
        Keys ``"name"``, ``"type"``, ``"output_shape"`` (tuple with ``None`` for the batch),
        ``"params"`` (int) and ``"predicted_shape"`` (tuple, or ``None`` for other layers).

    Raises
    ------
    TypeError
        If ``model`` is not a ``keras.Model``.

    See Also
    --------
    course_lib.conv.output_size, conv2d_param_count

    References
    ----------
    V. Dumoulin and F. Visin, "A guide to convolution arithmetic for deep learning", 2016.

    Examples
    --------
    >>> from course_lib.cnn import small_convnet
    >>> rows = layer_table(small_convnet())
    >>> rows[1]["name"], rows[1]["output_shape"], rows[1]["predicted_shape"], rows[1]["params"]
    ('conv1', (None, 26, 26, 32), (None, 26, 26, 32), 320)
    >>> all(r["output_shape"] == r["predicted_shape"] for r in rows if r["predicted_shape"])
    True
    """
    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a keras.Model; got {type(model).__name__}.")
    rows = []
    for layer in model.layers:
        inputs = layer.input if not isinstance(layer, layers.InputLayer) else None
        input_shape = tuple(inputs.shape) if inputs is not None and hasattr(inputs, "shape") else None
        rows.append({
            "name": layer.name,
            "type": type(layer).__name__,
            "output_shape": tuple(layer.output.shape),
            "params": int(layer.count_params()),
            "predicted_shape": None if input_shape is None else _predicted_shape(layer, input_shape),
        })
    return rows


def format_layer_table(model: keras.Model) -> str:
    """The :func:`layer_table` as aligned text (a compact ``model.summary()`` with a check column).

    Parameters
    ----------
    model : keras.Model

    Returns
    -------
    str
        One line per layer; the last column says ``ok`` when the shape matches
        :func:`course_lib.conv.output_size` and ``MISMATCH`` when it does not.

    Raises
    ------
    TypeError
        If ``model`` is not a ``keras.Model``.

    See Also
    --------
    layer_table

    Examples
    --------
    >>> from course_lib.cnn import small_convnet
    >>> print(format_layer_table(small_convnet(filters=(4,), dense_units=8)))
    layer          type           output shape        params  conv.output_size
    image          InputLayer     (None, 28, 28, 1)        0
    conv1          Conv2D         (None, 26, 26, 4)       40  ok
    flatten        Flatten        (None, 2704)             0
    dense          Dense          (None, 8)            21640
    probabilities  Dense          (None, 10)              90
    total parameters: 21770
    """
    rows = layer_table(model)
    lines = [f"{'layer':<14} {'type':<14} {'output shape':<18} {'params':>7}  conv.output_size"]
    for row in rows:
        check = ""
        if row["predicted_shape"] is not None:
            check = "ok" if row["predicted_shape"] == row["output_shape"] else f"MISMATCH {row['predicted_shape']}"
        line = f"{row['name']:<14} {row['type']:<14} {str(row['output_shape']):<18} {row['params']:>7}  {check}"
        lines.append(line.rstrip())
    lines.append(f"total parameters: {sum(row['params'] for row in rows)}")
    return "\n".join(lines)
