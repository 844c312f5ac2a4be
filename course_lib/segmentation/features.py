"""The classical baseline: per-pixel Gabor energy features for a linear classifier (NumPy)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import ndimage

from course_lib import gabor
from course_lib._validation import as_array, as_float, as_image, as_int, as_labels, as_rng


def pixel_features(images, bank: Sequence, *, smooth: float = 2.0) -> np.ndarray:
    """Gabor energy around every pixel, plus the local brightness: one feature vector per pixel.

    Each image is filtered with every kernel of ``bank`` (:func:`course_lib.gabor.response_magnitude`,
    which standardises the image first), and each magnitude map is averaged over a Gaussian
    window of width ``smooth`` so that it measures the texture energy *around* the pixel rather
    than the phase of one stripe. The last feature is the image itself, blurred the same way.

    Parameters
    ----------
    images : array_like, shape (N, H, W) or (N, H, W, 1)
    bank : sequence of GaborFilter or complex ndarray, length F
        E.g. ``gabor.gabor_bank(frequencies, thetas, sigmas)``.
    smooth : float, keyword-only
        Standard deviation of the Gaussian window in pixels (0: no smoothing).

    Returns
    -------
    features : ndarray, shape (N, H, W, F + 1), float32

    Raises
    ------
    TypeError, ValueError
        If ``images`` is not (N, H, W[, 1]) numeric, ``bank`` is not a list of kernels, or
        ``smooth`` < 0.

    See Also
    --------
    course_lib.gabor.bank_features : the same filters summarised over a whole patch (chapter 2).

    References
    ----------
    A. K. Jain and F. Farrokhnia, "Unsupervised texture segmentation using Gabor filters",
    Pattern Recognition, 1991.

    Examples
    --------
    >>> stripes = np.tile([0.0, 1.0], (8, 4))[None]  # vertical stripes, frequency 0.5
    >>> bank = gabor.gabor_bank(0.5, [0, np.pi / 2], 1.0)
    >>> features = pixel_features(stripes, bank)
    >>> features.shape
    (1, 8, 8, 3)
    >>> bool(features[0, ..., 0].mean() > 10 * features[0, ..., 1].mean())  # theta=0 answers
    True
    """
    # the intensity channel keeps the image's scale: 8-bit images are converted, 0..255 floats refused
    images = as_image("images", images, ndim=(3, 4), hint="Add a batch axis with image[None].", convert=True, tolerance=0.5)
    if images.ndim == 4:
        if images.shape[-1] != 1:
            raise ValueError(f"images must have one channel; got shape {images.shape}. Convert to grayscale first.")
        images = images[..., 0]
    smooth = as_float("smooth", smooth, minimum=0.0)
    if not isinstance(bank, Sequence) or isinstance(bank, (np.ndarray, str)) or len(bank) == 0:
        raise TypeError(f"bank must be a non-empty list of Gabor kernels; got {type(bank).__name__}. Build one with gabor.gabor_bank(...).")
    features = np.empty((*images.shape, len(bank) + 1), dtype=np.float32)
    for i, image in enumerate(images):
        maps = [gabor.response_magnitude(image, kernel) for kernel in bank] + [image]
        for k, values in enumerate(maps):
            features[i, ..., k] = ndimage.gaussian_filter(values, smooth, mode="reflect") if smooth else values
    return features


def sample_pixels(features, masks, n: int, *, rng: int | np.random.Generator | None = 0) -> tuple[np.ndarray, np.ndarray]:
    """Draw ``n`` random pixels (feature vector, label) from a batch, for fitting a classifier.

    Parameters
    ----------
    features : array_like, shape (N, H, W, F)
    masks : array_like of int, shape (N, H, W)
    n : int
        Pixels drawn (without replacement; all of them if there are fewer).
    rng : int, numpy.random.Generator or None, keyword-only

    Returns
    -------
    x : ndarray, shape (n, F)
    y : ndarray, shape (n,), int64

    Raises
    ------
    ValueError
        If the shapes do not match or ``n`` < 1.

    Examples
    --------
    >>> x, y = sample_pixels(np.zeros((2, 4, 4, 3)), np.ones((2, 4, 4), dtype=int), 5)
    >>> x.shape, y.tolist()
    ((5, 3), [1, 1, 1, 1, 1])
    """
    features = as_array("features", features, ndim=4, hint="Pass the (N, H, W, F) array of pixel_features.")
    masks = as_labels("masks", masks, ndim=3)
    if features.ndim != 4 or masks.shape != features.shape[:3]:
        raise ValueError(f"features (N, H, W, F) and masks (N, H, W) must match; got {features.shape} and {masks.shape}.")
    n = as_int("n", n, minimum=1)
    flat_x, flat_y = features.reshape(-1, features.shape[-1]), masks.reshape(-1)
    chosen = as_rng(rng).permutation(len(flat_y))[:n]
    return flat_x[chosen], flat_y[chosen].astype(np.int64)
