"""Keras models for the chapter "CNNs in Keras", and a layer table to check their shapes.

Every builder uses the functional API (``keras.Input`` -> layers -> ``keras.Model``) and
takes ``seed`` for its weight initialisers, so the same call always gives the same weights.
:func:`layer_table` lists each layer's output shape and parameter count next to the shape
predicted by :func:`course_lib.conv.output_size`; the tests and the chapter use it to check
every model the chapter builds.

- ``convnets``: :func:`small_convnet` (with or without pooling).
- ``residual``: :func:`residual_block`, :func:`small_resnet`, :func:`deep_net` (plain or residual).
- ``shapes``: :func:`conv2d_param_count`, :func:`layer_table`, :func:`format_layer_table`.
- ``inspection``: what a trained network sees: :func:`feature_layer_names`,
  :func:`intermediate_activations`, :func:`filter_patterns` (gradient ascent).
"""

from course_lib.cnn.convnets import small_convnet
from course_lib.cnn.inspection import FEATURE_LAYERS, feature_layer_names, filter_patterns, intermediate_activations
from course_lib.cnn.residual import deep_net, residual_block, small_resnet
from course_lib.cnn.shapes import conv2d_param_count, format_layer_table, layer_table

__all__ = [
    "FEATURE_LAYERS",
    "feature_layer_names",
    "filter_patterns",
    "intermediate_activations",
    "conv2d_param_count",
    "deep_net",
    "format_layer_table",
    "layer_table",
    "residual_block",
    "small_convnet",
    "small_resnet",
]
