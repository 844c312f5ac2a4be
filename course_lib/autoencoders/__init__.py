"""Convolutional autoencoders: shape arithmetic, Keras builders, shipped denoisers, noisy data.

- ``shapes``: :func:`trace_sizes`, :func:`transposed_overlap`, :func:`checkerboard_strength` (NumPy).
- ``models``: :func:`build_encoder`, :func:`build_decoder`, :func:`build_autoencoder`,
  :func:`load_pretrained`, :func:`pretrained_record` (Keras, imported on first use).
- ``data``: :class:`NoisyDigits`, :func:`corrupt_mixed`, ``NOISES`` (Keras, imported on first use).
"""

from course_lib._lazy import lazy_exports
from course_lib.autoencoders.shapes import (LAYER_KINDS, UPSAMPLING, checkerboard_strength, trace_sizes,
                                            transposed_overlap)

_KERAS_NAMES = {
    **dict.fromkeys(("PRETRAINED", "build_encoder", "build_decoder", "build_autoencoder", "load_pretrained",
                     "pretrained_record"), "models"),
    **dict.fromkeys(("NOISES", "NoisyDigits", "corrupt_mixed"), "data"),
}
__getattr__, __dir__ = lazy_exports(__name__, _KERAS_NAMES)

__all__ = ["LAYER_KINDS", "UPSAMPLING", "checkerboard_strength", "trace_sizes", "transposed_overlap",
           *_KERAS_NAMES]
