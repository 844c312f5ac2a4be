"""Image quality: PSNR and SSIM, single images and batches.

**Image quality.** Thin wrappers over :mod:`skimage.metrics` that state the two choices that change the numbers:

``data_range``
    The span of possible values, 1.0 for the book's [0, 1] images (255 for 8-bit ones). It is
    always passed explicitly, never guessed from the data type or the values.
``border``
    Pixels dropped on every side before comparing (default 0). Use it when the borders are
    unreliable, e.g. after deconvolution with an assumed boundary; report it with the number.

Images may be (H, W) or (H, W, C); the batch versions take (N, H, W[, C]) and return one value
per image (average them yourself, so the table says what was averaged). Values outside the
range (unclipped noise) are compared as they are, but an image whose values do not fit
``data_range`` at all is refused: the 1st and 99th percentiles of each image must lie in
``[-1, 2] * data_range`` (room for strong noise), an 8-bit image needs ``data_range=255``, and
[0, 1] images with ``data_range=255`` are refused too. Otherwise the numbers would be silently
wrong by tens of decibels.
"""

from __future__ import annotations

import numpy as np
from skimage import metrics as _skmetrics

from course_lib._validation import IMAGE_INTEGER_MAX, _asarray, as_array, as_float, as_int

SSIM_WINDOW = 7  # skimage's default window side; images must be at least this large
#: Noise room: the 1st/99th percentiles of an image may lie this far (times data_range) outside it.
RANGE_TOLERANCE = 1.0


def _in_range(name: str, raw, array: np.ndarray, data_range: float) -> None:
    """Refuse images whose values do not fit ``data_range`` (the silent -40 dB of a uint8 image)."""
    white = IMAGE_INTEGER_MAX.get(np.asarray(raw).dtype)
    if white is not None and data_range != white:
        raise ValueError(
            f"{name} is {np.asarray(raw).dtype} (values 0..{white}) but data_range is {data_range:g}; "
            f"pass data_range={white}, or convert both images with skimage.img_as_float."
        )
    low, high = np.percentile(array, [1, 99])
    if low < -RANGE_TOLERANCE * data_range or high > (1 + RANGE_TOLERANCE) * data_range:
        fix = "divide the images by 255 or pass data_range=255" if high > 2 * data_range else "rescale the images"
        raise ValueError(
            f"{name} does not fit data_range={data_range:g}: its values run from about {low:.3g} to {high:.3g} "
            f"(1st-99th percentile), expected within [0, {data_range:g}] plus noise; {fix}."
        )


def _pair(reference, image, border: int, *, batch: bool, data_range: float = 1.0) -> tuple[np.ndarray, np.ndarray, int]:
    ndim = (3, 4) if batch else (2, 3)
    hint = "Expected (N, H, W) or (N, H, W, C)." if batch else "Expected (H, W) or (H, W, C); use the _batch version for batches."
    names = ("references", "images") if batch else ("reference", "image")
    raw_reference, raw_image = _asarray(names[0], reference), _asarray(names[1], image)
    reference = as_array(names[0], raw_reference, ndim=ndim, hint=hint)
    image = as_array(names[1], raw_image, ndim=ndim, hint=hint)
    _in_range(names[0], raw_reference, reference, data_range)
    _in_range(names[1], raw_image, image, data_range)
    largest = max(np.abs(reference).max(), np.abs(image).max())
    if data_range >= 10 and 0 < largest <= 1 + RANGE_TOLERANCE:
        raise ValueError(
            f"{names[0]} and {names[1]} hold values in [0, 1] but data_range is {data_range:g}; "
            "pass data_range=1.0 for [0, 1] images."
        )
    if reference.shape != image.shape:
        raise ValueError(
            f"{names[0]} and {names[1]} must have the same shape; got {reference.shape} and {image.shape}."
        )
    border = as_int("border", border, minimum=0)
    rows, cols = reference.shape[int(batch)], reference.shape[int(batch) + 1]
    if 2 * border >= min(rows, cols):
        raise ValueError(f"border {border} leaves no pixels of a {rows}x{cols} image; use a smaller border.")
    if border:
        crop = (slice(border, -border),) * 2
        index = (slice(None),) + crop if batch else crop
        reference, image = reference[index], image[index]
    return reference, image, border


def _psnr(reference: np.ndarray, image: np.ndarray, data_range: float) -> float:
    if np.array_equal(reference, image):
        return float("inf")
    with np.errstate(divide="ignore"):  # images a few ulp apart: the mean squared error underflows to 0
        return float(_skmetrics.peak_signal_noise_ratio(reference, image, data_range=data_range))


def _ssim(reference: np.ndarray, image: np.ndarray, data_range: float, channels: bool) -> float:
    if min(reference.shape[:2]) < SSIM_WINDOW:
        raise ValueError(
            f"SSIM needs images of at least {SSIM_WINDOW}x{SSIM_WINDOW} pixels after the border is "
            f"removed; got {reference.shape[0]}x{reference.shape[1]}. Use a smaller border or PSNR."
        )
    return float(_skmetrics.structural_similarity(
        reference, image, data_range=data_range, channel_axis=-1 if channels else None
    ))


def psnr(reference, image, *, data_range: float = 1.0, border: int = 0) -> float:
    """Peak signal-to-noise ratio in decibels: ``10 log10(data_range**2 / MSE)``.

    Parameters
    ----------
    reference : array_like, shape (H, W) or (H, W, C)
        The clean image.
    image : array_like, same shape
        The noisy or restored image.
    data_range : float, keyword-only
        Span of possible values: 1.0 for [0, 1] images.
    border : int, keyword-only
        Pixels dropped on every side before comparing.

    Returns
    -------
    float
        Higher is better; +6 dB halves the error's standard deviation. ``inf`` for identical
        images.

    Raises
    ------
    TypeError
        If an input is not numeric.
    ValueError
        If the shapes differ or are not 2-D/3-D, ``data_range <= 0``, or ``border`` leaves
        no pixels.

    See Also
    --------
    psnr_batch, ssim
    skimage.metrics.peak_signal_noise_ratio : what computes it.

    Examples
    --------
    >>> clean = np.zeros((4, 4))
    >>> round(psnr(clean, clean + 0.1), 6)  # MSE 0.01 -> 10 log10(1 / 0.01)
    20.0
    >>> psnr(clean, clean)
    inf
    >>> noisy = clean.copy(); noisy[0, :] = 1.0  # only the first row is wrong
    >>> psnr(clean, noisy, border=1)
    inf
    """
    data_range = _check_range(data_range)
    reference, image, _ = _pair(reference, image, border, batch=False, data_range=data_range)
    return _psnr(reference, image, data_range)


def ssim(reference, image, *, data_range: float = 1.0, border: int = 0) -> float:
    """Structural similarity (SSIM) of two images, averaged over the image (and channels).

    Computed by ``skimage.metrics.structural_similarity`` with its defaults: a 7x7 uniform
    window, ``K1 = 0.01``, ``K2 = 0.03``, and each colour channel separately then averaged.

    Parameters
    ----------
    reference : array_like, shape (H, W) or (H, W, C)
        The clean image; at least 7x7 after the border is removed.
    image : array_like, same shape
    data_range : float, keyword-only
        Span of possible values: 1.0 for [0, 1] images.
    border : int, keyword-only
        Pixels dropped on every side before comparing.

    Returns
    -------
    float
        At most 1 (identical images); about 0 for unrelated ones.

    Raises
    ------
    TypeError
        If an input is not numeric.
    ValueError
        If the shapes differ or are not 2-D/3-D, ``data_range <= 0``, or the image (after
        the border is removed) is smaller than 7x7.

    See Also
    --------
    ssim_batch, psnr

    References
    ----------
    Z. Wang, A. C. Bovik, H. R. Sheikh and E. P. Simoncelli, "Image quality assessment: from
    error visibility to structural similarity", IEEE Trans. Image Processing, 2004.

    Examples
    --------
    >>> image = np.tile(np.linspace(0, 1, 8), (8, 1))
    >>> ssim(image, image)
    1.0
    >>> bool(ssim(image, 1.0 - image) < 0)  # inverted contrast
    True
    """
    data_range = _check_range(data_range)
    reference, image, _ = _pair(reference, image, border, batch=False, data_range=data_range)
    return _ssim(reference, image, data_range, channels=reference.ndim == 3)


def psnr_batch(references, images, *, data_range: float = 1.0, border: int = 0) -> np.ndarray:
    """PSNR of each image of a batch against its reference.

    Parameters
    ----------
    references : array_like, shape (N, H, W) or (N, H, W, C)
    images : array_like, same shape
    data_range : float, keyword-only
    border : int, keyword-only

    Returns
    -------
    ndarray, shape (N,), float64
        One PSNR per image (``inf`` where an image equals its reference).

    Raises
    ------
    TypeError, ValueError
        As :func:`psnr`.

    See Also
    --------
    psnr

    Examples
    --------
    >>> clean = np.zeros((2, 4, 4, 1))
    >>> noisy = clean + np.array([0.1, 0.01])[:, None, None, None]
    >>> psnr_batch(clean, noisy).round(6)
    array([20., 40.])
    """
    data_range = _check_range(data_range)
    references, images, _ = _pair(references, images, border, batch=True, data_range=data_range)
    return np.array([_psnr(r, i, data_range) for r, i in zip(references, images)])


def ssim_batch(references, images, *, data_range: float = 1.0, border: int = 0) -> np.ndarray:
    """SSIM of each image of a batch against its reference.

    A trailing channel axis of size 1, as in (N, 28, 28, 1), is treated as grayscale.

    Parameters
    ----------
    references : array_like, shape (N, H, W) or (N, H, W, C)
    images : array_like, same shape
    data_range : float, keyword-only
    border : int, keyword-only

    Returns
    -------
    ndarray, shape (N,), float64

    Raises
    ------
    TypeError, ValueError
        As :func:`ssim`.

    See Also
    --------
    ssim

    Examples
    --------
    >>> images = np.tile(np.linspace(0, 1, 8), (2, 8, 1))[..., None]  # (2, 8, 8, 1)
    >>> ssim_batch(images, images)
    array([1., 1.])
    """
    data_range = _check_range(data_range)
    references, images, _ = _pair(references, images, border, batch=True, data_range=data_range)
    if references.ndim == 4 and references.shape[-1] == 1:
        references, images = references[..., 0], images[..., 0]
    channels = references.ndim == 4
    return np.array([_ssim(r, i, data_range, channels) for r, i in zip(references, images)])


def _check_range(data_range) -> float:
    data_range = as_float("data_range", data_range, minimum=0.0)
    if data_range == 0.0:
        raise ValueError("data_range must be > 0 (1.0 for [0, 1] images, 255 for 8-bit); got 0.0.")
    return data_range
