"""Convolution as a matrix, and its transpose: the transposed convolution that upsamples.

Re-exported by ``course_lib.conv`` (``conv.conv_matrix``, ``conv.conv_transpose2d``).
"""

from __future__ import annotations

import numpy as np

from course_lib._limits import check_memory
from course_lib._validation import as_array, as_int, as_pair
from course_lib.conv.correlation import output_size

def conv_matrix(input_shape: tuple[int, int], kernel, *, stride: int = 1) -> np.ndarray:
    """The valid cross-correlation with ``kernel`` as a matrix acting on the flattened image.

    ``correlate2d(image, kernel, stride=stride).ravel() == conv_matrix(image.shape, kernel) @ image.ravel()``.
    Its transpose maps an output-sized map back to the input size: that is the transposed
    convolution used to upsample in decoders.

    Parameters
    ----------
    input_shape : (int, int)
        ``(H, W)`` of the image.
    kernel : array_like, shape (KH, KW)
    stride : int, keyword-only

    Returns
    -------
    matrix : ndarray, shape (H_out * W_out, H * W)

    Raises
    ------
    TypeError, ValueError
        For a bad shape, a kernel larger than the input, or ``stride < 1``.

    See Also
    --------
    conv_transpose2d : applies the transpose without building the matrix.

    References
    ----------
    V. Dumoulin and F. Visin, "A guide to convolution arithmetic for deep learning", 2016.

    Examples
    --------
    >>> conv_matrix((3, 3), [[1.0, 2.0], [3.0, 4.0]]).astype(int)
    array([[1, 2, 0, 3, 4, 0, 0, 0, 0],
           [0, 1, 2, 0, 3, 4, 0, 0, 0],
           [0, 0, 0, 1, 2, 0, 3, 4, 0],
           [0, 0, 0, 0, 1, 2, 0, 3, 4]])
    """
    height, width = as_pair("input_shape", input_shape)
    kernel = as_array("kernel", kernel, ndim=2)
    stride = as_int("stride", stride, minimum=1)
    kh, kw = kernel.shape
    rows = output_size(height, kh, stride=stride)
    cols = output_size(width, kw, stride=stride)
    check_memory(float(rows * cols) * height * width, argument="input_shape",
                 what=f"a ({rows * cols}, {height * width}) matrix",
                 fix="the matrix grows with the fourth power of the side: use inputs of a few dozen pixels")
    matrix = np.zeros((rows * cols, height * width))
    for r in range(rows):
        for c in range(cols):
            patch = np.zeros((height, width))
            patch[r * stride : r * stride + kh, c * stride : c * stride + kw] = kernel
            matrix[r * cols + c] = patch.ravel()
    return matrix


def conv_transpose2d(feature_map, kernel, *, stride: int = 1) -> np.ndarray:
    """Transposed convolution: scatter each output value back through the kernel.

    Equal to ``(conv_matrix(input_shape, kernel, stride=stride).T @ feature_map.ravel())``
    reshaped to ``input_shape``, where ``input_shape = ((H - 1) * stride + KH, (W - 1) * stride + KW)``.

    Parameters
    ----------
    feature_map : array_like, shape (H, W)
    kernel : array_like, shape (KH, KW)
    stride : int, keyword-only

    Returns
    -------
    upsampled : ndarray, shape ((H - 1) * stride + KH, (W - 1) * stride + KW)

    Raises
    ------
    TypeError, ValueError
        For non-numeric or non-2-D input, or ``stride < 1``.

    See Also
    --------
    conv_matrix

    Examples
    --------
    >>> conv_transpose2d(np.ones((2, 2)), np.ones((3, 3)), stride=2)
    array([[1., 1., 2., 1., 1.],
           [1., 1., 2., 1., 1.],
           [2., 2., 4., 2., 2.],
           [1., 1., 2., 1., 1.],
           [1., 1., 2., 1., 1.]])
    """
    feature_map = as_array("feature_map", feature_map, ndim=2)
    kernel = as_array("kernel", kernel, ndim=2)
    stride = as_int("stride", stride, minimum=1)
    rows, cols = feature_map.shape
    kh, kw = kernel.shape
    check_memory(float((rows - 1) * stride + kh) * ((cols - 1) * stride + kw), argument="stride",
                 what="the upsampled output", fix="use a stride of a few pixels")
    out = np.zeros(((rows - 1) * stride + kh, (cols - 1) * stride + kw))
    for i in range(kh):
        for j in range(kw):
            out[i : i + (rows - 1) * stride + 1 : stride, j : j + (cols - 1) * stride + 1 : stride] += (
                kernel[i, j] * feature_map
            )
    return out
