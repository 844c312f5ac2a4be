"""Convolution, cross-correlation, pooling, transposed convolution and output sizes, in NumPy.

- ``correlation``: :func:`correlate2d`, :func:`convolve2d`, :func:`conv2d`, :func:`output_size`.
- ``pooling``: :func:`max_pool2d`, :func:`avg_pool2d`, :func:`receptive_field`.
- ``transposed``: :func:`conv_matrix`, :func:`conv_transpose2d`.

NumPy only: importing this package imports neither TensorFlow nor matplotlib.
"""

from course_lib.conv.correlation import PADDINGS, conv2d, convolve2d, correlate2d, output_size
from course_lib.conv.pooling import avg_pool2d, max_pool2d, receptive_field
from course_lib.conv.transposed import conv_matrix, conv_transpose2d

__all__ = [
    "PADDINGS", "avg_pool2d", "conv2d", "conv_matrix", "conv_transpose2d", "convolve2d", "correlate2d",
    "max_pool2d", "output_size", "receptive_field",
]
