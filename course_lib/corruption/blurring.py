"""Blur for the restoration chapters: straight-line motion-blur kernels and per-channel convolution.

Re-exported by :mod:`course_lib.corruption` (``corruption.blur``, ``corruption.motion_blur_kernel``),
whose module docstring states the book's conventions: images (H, W), (H, W, C) or a batch
(N, H, W, C) in [0, 1], results float64 of the same shape, nothing clipped unless asked
(blurring with a non-negative kernel that sums to 1 stays in [0, 1] by construction).
"""

from __future__ import annotations

import math

import numpy as np

from course_lib import conv
from course_lib._limits import check_memory
from course_lib._validation import as_array, as_choice, as_float, as_image, as_int

BLUR_MODES = ("reflect", "nearest", "wrap", "constant", "valid")
# blur mode -> np.pad mode (scipy.ndimage's "reflect" is NumPy's "symmetric")
_PAD_MODES = {"reflect": "symmetric", "nearest": "edge", "wrap": "wrap", "constant": "constant"}


# shared with course_lib.corruption (which imports it from here): one image check for both
def _as_image(image, *, check_range: bool = True) -> np.ndarray:
    hint = "Expected (H, W), (H, W, C) or a batch (N, H, W, C)."
    if check_range:  # a float image in [0, 1]; uint8 and 0..255 images are refused with the fix
        return as_image("image", image, ndim=(2, 3, 4), hint=hint)
    return as_array("image", image, ndim=(2, 3, 4), hint=hint)


def _as_batch(image: np.ndarray) -> np.ndarray:
    """(H, W), (H, W, C) or (N, H, W, C) -> (N, H, W, C), as a view."""
    if image.ndim == 2:
        return image[None, :, :, None]
    return image[None] if image.ndim == 3 else image


def motion_blur_kernel(length: int, angle: float) -> np.ndarray:
    """A straight-line motion-blur kernel: ``length`` samples along a line at ``angle`` degrees.

    The line passes through the kernel centre; samples are one pixel apart and spread onto
    the four nearest pixels (bilinear weights). ``angle`` is counter-clockwise from the
    horizontal as the kernel is displayed (0: along a row, 90: along a column).

    Parameters
    ----------
    length : int
        Length of the motion in pixels, at least 1 (1 gives the identity kernel ``[[1.]]``).
    angle : float
        Direction in degrees.

    Returns
    -------
    kernel : ndarray, shape (K, K), float64
        ``K = length`` if it is odd, ``length + 1`` if even (an odd size has a centre).
        Non-negative and sums to 1, so blurring keeps mean brightness and the [0, 1] range.

    Raises
    ------
    TypeError
        If ``length`` is not an int or ``angle`` not a number.
    ValueError
        If ``length < 1``, ``angle`` is not finite, or the kernel would exceed the memory
        limit (``course_lib.config.MEMORY_LIMIT_GIB``).

    See Also
    --------
    blur : applies it.

    Examples
    --------
    >>> motion_blur_kernel(3, 0)
    array([[0.        , 0.        , 0.        ],
           [0.33333333, 0.33333333, 0.33333333],
           [0.        , 0.        , 0.        ]])
    >>> kernel = motion_blur_kernel(5, 45)
    >>> kernel.shape, round(float(kernel.sum()), 12), bool(np.allclose(kernel, kernel.T[::-1, ::-1]))
    ((5, 5), 1.0, True)
    """
    length = as_int("length", length, minimum=1)
    angle = as_float("angle", angle)
    size = length if length % 2 else length + 1
    check_memory(float(size) ** 2, what=f"a {size} x {size} kernel", argument="length",
                 fix="motion blurs are a few to a few dozen pixels long")
    centre = size // 2
    radians = np.deg2rad(angle)
    steps = np.arange(length) - (length - 1) / 2  # one pixel apart, centred
    rows = centre - steps * np.sin(radians)  # rows grow downwards
    cols = centre + steps * np.cos(radians)
    kernel = np.zeros((size, size))
    for row, col in zip(rows, cols):
        top, left = math.floor(round(row, 9)), math.floor(round(col, 9))
        down, right = row - top, col - left
        for r, c, weight in ((top, left, (1 - down) * (1 - right)), (top, left + 1, (1 - down) * right),
                             (top + 1, left, down * (1 - right)), (top + 1, left + 1, down * right)):
            if weight > 1e-12:
                kernel[r, c] += weight
    return kernel / kernel.sum()


def blur(image, kernel, *, mode: str) -> np.ndarray:
    """Convolve each channel of an image (or a batch) with a 2-D kernel.

    This is true convolution (the kernel is flipped), as ``scipy.ndimage.convolve``;
    the kernel's centre is at ``(KH // 2, KW // 2)``.

    Parameters
    ----------
    image : array_like, shape (H, W), (H, W, C) or (N, H, W, C)
        Any real values (noisy images are fine).
    kernel : array_like, shape (KH, KW)
        Point-spread function, e.g. :func:`motion_blur_kernel`.
    mode : {"reflect", "nearest", "wrap", "constant", "valid"}, keyword-only
        How the border is handled: mirror the image (``"reflect"``, edge pixel repeated,
        as ``scipy.ndimage``), repeat the edge pixel (``"nearest"``), wrap around
        (``"wrap"``: circular convolution, what FFT deconvolution assumes), pad with zeros
        (``"constant"``), or keep only pixels whose window lies inside the image
        (``"valid"``: the output shrinks by ``KH - 1`` rows and ``KW - 1`` columns).

    Returns
    -------
    blurred : ndarray, float64
        Same shape as ``image`` (smaller spatially for ``mode="valid"``).

    Raises
    ------
    TypeError
        If an input is not numeric.
    ValueError
        If ``image`` or ``kernel`` has the wrong ndim or holds NaN, ``mode`` is unknown, or
        the kernel is larger than the image with ``mode="valid"``.

    See Also
    --------
    motion_blur_kernel
    scipy.ndimage.convolve : the reference it is tested against.
    course_lib.conv.convolve2d : the convolution it uses.

    Examples
    --------
    >>> image = np.zeros((5, 5)); image[2, 2] = 1.0
    >>> blur(image, motion_blur_kernel(3, 0), mode="constant")[2]  # an impulse becomes a streak
    array([0.        , 0.33333333, 0.33333333, 0.33333333, 0.        ])
    >>> blur(np.ones((6, 6, 2)), np.ones((3, 3)) / 9, mode="valid").shape
    (4, 4, 2)
    """
    image = _as_image(image, check_range=False)
    kernel = as_array("kernel", kernel, ndim=2, hint="Pass one (KH, KW) kernel; it is applied to every channel.")
    mode = as_choice("mode", mode, BLUR_MODES)
    kh, kw = kernel.shape
    batch = _as_batch(image)
    if mode == "valid" and (kh > batch.shape[1] or kw > batch.shape[2]):
        raise ValueError(
            f"kernel is {kh}x{kw} but image is {batch.shape[1]}x{batch.shape[2]}; "
            "with mode='valid' the kernel must fit inside the image. Use another mode."
        )
    if mode != "valid":
        # flipped-kernel centre at (KH // 2, KW // 2) -> pad KH - 1 - KH // 2 before, KH // 2 after
        widths = ((0, 0), (kh - 1 - kh // 2, kh // 2), (kw - 1 - kw // 2, kw // 2), (0, 0))
        batch = np.pad(batch, widths, mode=_PAD_MODES[mode])
    out = np.stack(
        [np.stack([conv.convolve2d(picture[..., c], kernel) for c in range(picture.shape[-1])], axis=-1)
         for picture in batch]
    )
    if image.ndim == 2:
        return out[0, :, :, 0]
    return out[0] if image.ndim == 3 else out
