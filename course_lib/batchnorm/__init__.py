"""Batch normalization: the NumPy layer, its gradient check, and (lazily) the Keras layer.

- ``core``: :func:`batchnorm_forward`, :func:`batchnorm_backward`, :class:`BatchNormCache`,
  :func:`epochs_to_target` (NumPy).
- ``gradcheck``: :func:`numerical_gradient`, :func:`relative_error` (NumPy).
- ``layers``: :class:`BatchNormalized`, a Keras layer (TensorFlow is imported on first use).
"""

from course_lib._lazy import lazy_exports
from course_lib.batchnorm.core import MODES, BatchNormCache, batchnorm_backward, batchnorm_forward, epochs_to_target
from course_lib.batchnorm.gradcheck import numerical_gradient, relative_error

__getattr__, __dir__ = lazy_exports(__name__, {"BatchNormalized": "layers"})

__all__ = [
    "MODES", "BatchNormCache", "BatchNormalized", "batchnorm_backward", "batchnorm_forward", "epochs_to_target",
    "numerical_gradient", "relative_error",
]
