"""Gabor filters and filter banks: kernels, response magnitudes, texture features.

A Gabor filter is a Gaussian envelope times a complex sinusoid. ``frequency`` is in cycles
per pixel (at most 0.5, the Nyquist limit), ``theta`` is the direction in which the wave
travels (radians, 0 = along the columns, so the stripes are vertical) and ``sigma`` is the
width of the isotropic envelope in pixels. Kernels come from ``skimage.filters.gabor_kernel``,
on a square support of ``2 * ceil(n_stds * sigma) + 1`` pixels for every orientation, rescaled
so that ``sum |g| = 1``. Filtering is periodic (the image wraps around at its borders), either
in the spatial domain (``scipy.ndimage.convolve``) or as a product of Fourier transforms.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
from scipy import ndimage as ndi
from skimage.filters import gabor_kernel as _skimage_gabor_kernel

from course_lib._validation import as_array, as_choice, as_float, as_pair

METHODS = ("auto", "spatial", "fft")
FFT_FROM_SIDE = 9  # "auto" uses the FFT from this kernel width on: benchmarks/bench_gabor.py puts the crossover near 9


def _positive(name: str, value) -> float:
    value = as_float(name, value)
    if value <= 0:
        raise ValueError(f"{name} must be > 0; got {value}.")
    return value


def gabor_kernel(frequency: float, *, theta: float = 0.0, sigma: float | None = None, n_stds: float = 3.0) -> np.ndarray:
    """A complex Gabor kernel on a square support, normalised so that ``sum |g| = 1``.

    ``g[r, c] ∝ exp(-(r² + c²) / (2 sigma²)) * exp(2πi * frequency * (c cos θ + r sin θ))``
    with ``(r, c)`` measured from the centre pixel.

    Parameters
    ----------
    frequency : float
        Spatial frequency of the sinusoid in cycles per pixel, in (0, 0.5].
    theta : float, keyword-only
        Direction of the wave in radians (0: the wave runs along the columns).
    sigma : float, optional, keyword-only
        Width of the Gaussian envelope in pixels. Default: scikit-image's choice for a
        bandwidth of one octave, ``0.56 / frequency``.
    n_stds : float, keyword-only
        Half-width of the support in envelope widths.

    Returns
    -------
    kernel : ndarray, shape (K, K), complex128
        ``K = 2 * ceil(n_stds * sigma) + 1``; the real part is the even (cosine) filter,
        the imaginary part the odd (sine) one.

    Raises
    ------
    TypeError
        If a parameter is not a real number.
    ValueError
        If ``frequency`` is not in (0, 0.5] or ``sigma`` or ``n_stds`` is not positive.

    See Also
    --------
    gabor_bank : many kernels at once, with their parameters.
    skimage.filters.gabor_kernel : the function wrapped here (and the test reference).
    Chapter "Gabor filter banks".

    References
    ----------
    J. G. Daugman, "Uncertainty relation for resolution in space, spatial frequency, and
    orientation optimized by two-dimensional visual cortical filters", JOSA A, 1985.

    Examples
    --------
    >>> kernel = gabor_kernel(0.5, sigma=1.0)
    >>> kernel.shape, kernel.dtype
    ((7, 7), dtype('complex128'))
    >>> round(float(np.abs(kernel).sum()), 12)
    1.0
    >>> np.round(kernel.real[3] / kernel.real[3, 3], 3)  # centre row: cosine times exp(-c²/2)
    array([-0.011,  0.135, -0.607,  1.   , -0.607,  0.135, -0.011])
    """
    frequency = _positive("frequency", frequency)
    if frequency > 0.5:
        raise ValueError(
            f"frequency must be <= 0.5 cycles per pixel (the Nyquist limit); got {frequency}. "
            "Higher frequencies alias to lower ones."
        )
    theta = as_float("theta", theta)
    n_stds = _positive("n_stds", n_stds)
    sigma = 0.56 / frequency if sigma is None else _positive("sigma", sigma)
    half = max(math.ceil(n_stds * sigma - 1e-9), 1)
    # scikit-image sizes the box by n_stds * sigma * max(|cos|, |sin|), which crops diagonal
    # kernels; scaling n_stds gives the same square support for every orientation.
    stretch = max(abs(math.cos(theta)), abs(math.sin(theta)))
    kernel = _skimage_gabor_kernel(
        frequency, theta=theta, sigma_x=sigma, sigma_y=sigma, n_stds=half * (1 - 1e-12) / (sigma * stretch)
    )
    return kernel / np.abs(kernel).sum()


class GaborFilter(NamedTuple):
    """One filter of a bank: the complex kernel and the parameters that made it."""

    kernel: np.ndarray
    frequency: float
    theta: float
    sigma: float

    @property
    def label(self) -> str:
        """Short description, e.g. ``'f=0.10, θ=45°, σ=2'``."""
        return f"f={self.frequency:.2f}, θ={math.degrees(self.theta):.0f}°, σ={self.sigma:g}"


def _as_values(name: str, values) -> list[float]:
    values = np.atleast_1d(as_array(name, values, ndim=(0, 1)))
    return [float(v) for v in values]


def gabor_bank(frequencies, thetas, sigmas, *, n_stds: float = 3.0) -> list[GaborFilter]:
    """Every combination of frequencies, orientations and envelope widths.

    Parameters
    ----------
    frequencies : float or sequence of float
        Cycles per pixel, each in (0, 0.5].
    thetas : float or sequence of float
        Orientations in radians, e.g. ``np.arange(4) * np.pi / 4``.
    sigmas : float or sequence of float
        Envelope widths in pixels, each > 0.
    n_stds : float, keyword-only
        Support half-width in envelope widths (see :func:`gabor_kernel`).

    Returns
    -------
    list of GaborFilter
        ``len(frequencies) * len(thetas) * len(sigmas)`` filters; frequency varies slowest,
        sigma fastest.

    Raises
    ------
    TypeError
        If a parameter is not numeric.
    ValueError
        If a list is empty or 2-D, or a value is out of range (see :func:`gabor_kernel`).

    See Also
    --------
    gabor_kernel, bank_features

    References
    ----------
    A. K. Jain and F. Farrokhnia, "Unsupervised texture segmentation using Gabor filters",
    Pattern Recognition, 1991.

    Examples
    --------
    >>> bank = gabor_bank([0.1, 0.3], [0, np.pi / 2], 2.0)
    >>> len(bank)
    4
    >>> [f.label for f in bank[:2]]
    ['f=0.10, θ=0°, σ=2', 'f=0.10, θ=90°, σ=2']
    >>> bank[0].kernel.shape
    (13, 13)
    """
    frequencies = _as_values("frequencies", frequencies)
    thetas = _as_values("thetas", thetas)
    sigmas = _as_values("sigmas", sigmas)
    return [
        GaborFilter(gabor_kernel(f, theta=t, sigma=s, n_stds=n_stds), f, t, s)
        for f in frequencies for t in thetas for s in sigmas
    ]


def _check_kernel(kernel) -> np.ndarray:
    if isinstance(kernel, GaborFilter):
        kernel = kernel.kernel
    kernel = np.asarray(kernel)
    if np.iscomplexobj(kernel):
        parts = as_array("kernel", kernel.real, ndim=2), as_array("kernel", kernel.imag, ndim=2)
        return parts[0] + 1j * parts[1]
    return as_array("kernel", kernel, ndim=2, hint="Pass one complex (K, K) Gabor kernel.").astype(complex)


def _standardize(images: np.ndarray) -> np.ndarray:
    """Zero mean, unit standard deviation per image over the last two axes (flat images -> 0)."""
    centred = images - images.mean(axis=(-2, -1), keepdims=True)
    spread = centred.std(axis=(-2, -1), keepdims=True)
    return np.divide(centred, spread, out=np.zeros_like(centred), where=spread > 0)


def _fft_transfer(kernel: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """Fourier transform of ``kernel`` folded onto a periodic grid of ``shape`` (centre at 0, 0)."""
    folded = np.zeros(shape, dtype=complex)
    rows = (np.arange(kernel.shape[0]) - kernel.shape[0] // 2) % shape[0]
    cols = (np.arange(kernel.shape[1]) - kernel.shape[1] // 2) % shape[1]
    np.add.at(folded, (rows[:, None], cols[None, :]), kernel)
    return np.fft.fft2(folded)


def response_magnitude(image, kernel, *, method: str = "auto", normalize: bool = True) -> np.ndarray:
    """Quadrature energy ``sqrt(real² + imag²)`` of a Gabor filter's response.

    The image is first standardised (zero mean, unit standard deviation) so that the result
    depends on its structure, not its brightness; filtering wraps around the borders.

    Parameters
    ----------
    image : array_like, shape (H, W)
        Grayscale image.
    kernel : array_like, shape (K, K), complex, or GaborFilter
        The real part is applied as the even filter, the imaginary part as the odd one. K may
        exceed H or W: the periodic image is then filtered as it repeats.
    method : {"auto", "spatial", "fft"}, keyword-only
        ``"spatial"``: two ``scipy.ndimage.convolve`` calls; ``"fft"``: one product of Fourier
        transforms; ``"auto"``: the FFT for kernels at least ``FFT_FROM_SIDE`` pixels wide.
        Both give the same result up to rounding.
    normalize : bool, keyword-only
        Standardise the image first. A constant image then gives all zeros.

    Returns
    -------
    magnitude : ndarray, shape (H, W), float64, >= 0

    Raises
    ------
    TypeError
        If ``image`` or ``kernel`` is not numeric.
    ValueError
        If they are not 2-D, hold NaN, or ``method`` is unknown.

    See Also
    --------
    bank_features : the mean and variance of these magnitudes for a whole bank.

    Examples
    --------
    >>> stripes = np.tile([0.0, 1.0], (4, 2))  # 4x4, columns alternate: frequency 0.5
    >>> kernel = gabor_kernel(0.5, sigma=1.0)
    >>> magnitude = response_magnitude(stripes, kernel)
    >>> magnitude.shape, bool(np.allclose(magnitude, magnitude[0, 0]))
    ((4, 4), True)
    >>> bool(np.allclose(response_magnitude(stripes, kernel, method="spatial"), magnitude))
    True
    """
    image = as_array("image", image, ndim=2, hint="Use bank_features for a batch of images.")
    kernel = _check_kernel(kernel)
    method = as_choice("method", method, METHODS)
    if normalize:
        image = _standardize(image)
    if method == "auto":
        method = "fft" if max(kernel.shape) >= FFT_FROM_SIDE else "spatial"
    if method == "fft":
        return np.abs(np.fft.ifft2(np.fft.fft2(image) * _fft_transfer(kernel, image.shape)))
    even = ndi.convolve(image, kernel.real, mode="wrap")
    odd = ndi.convolve(image, kernel.imag, mode="wrap")
    return np.hypot(even, odd)


def _as_bank(bank) -> list[np.ndarray]:
    if isinstance(bank, (GaborFilter, np.ndarray)) or not isinstance(bank, Sequence) or len(bank) == 0:
        raise TypeError(
            f"bank must be a non-empty list of GaborFilter or complex kernels; got {type(bank).__name__}. "
            "Build one with gabor_bank(...)."
        )
    return [_check_kernel(item) for item in bank]


def bank_features(images, bank: Sequence[GaborFilter | np.ndarray]) -> np.ndarray:
    """Texture features of a batch: mean and variance of each filter's response magnitude.

    Parameters
    ----------
    images : array_like, shape (N, H, W) or (N, H, W, 1)
        Grayscale images (e.g. texture patches), each standardised before filtering.
    bank : sequence of GaborFilter or complex ndarray, length F
        The filters, e.g. from :func:`gabor_bank`.

    Returns
    -------
    features : ndarray, shape (N, 2 * F), float64
        ``features[:, 2 * k]`` is the mean and ``features[:, 2 * k + 1]`` the variance of the
        magnitude of filter ``k``.

    Raises
    ------
    TypeError
        If ``bank`` is not a non-empty list of kernels, or an input is not numeric.
    ValueError
        If ``images`` has the wrong shape or holds NaN.

    See Also
    --------
    gabor_features : the same for one image.
    texture_classifier : these features followed by a linear classifier.

    References
    ----------
    A. K. Jain and F. Farrokhnia, "Unsupervised texture segmentation using Gabor filters",
    Pattern Recognition, 1991.

    Examples
    --------
    >>> stripes = np.tile([0.0, 1.0], (8, 4))[None]  # one 8x8 image of vertical stripes
    >>> bank = gabor_bank(0.5, [0, np.pi / 2], 1.0)
    >>> features = bank_features(stripes, bank)
    >>> features.shape
    (1, 4)
    >>> bool(features[0, 0] > 10 * features[0, 2])  # theta=0 answers, theta=90° does not
    True
    """
    images = as_array("images", images, ndim=(3, 4), hint="Use gabor_features for a single (H, W) image.")
    if images.ndim == 4:
        if images.shape[3] != 1:
            raise ValueError(f"images must have one channel; got shape {images.shape}. Convert to grayscale first.")
        images = images[..., 0]
    kernels = _as_bank(bank)
    spectra = np.fft.fft2(_standardize(images))  # (N, H, W), every image at once
    features = np.empty((images.shape[0], 2 * len(kernels)))
    for k, kernel in enumerate(kernels):
        magnitude = np.abs(np.fft.ifft2(spectra * _fft_transfer(kernel, images.shape[1:])))
        features[:, 2 * k] = magnitude.mean(axis=(1, 2))
        features[:, 2 * k + 1] = magnitude.var(axis=(1, 2))
    return features


def gabor_features(image, bank: Sequence[GaborFilter | np.ndarray]) -> np.ndarray:
    """Mean and variance of each filter's response magnitude on one (H, W) image.

    Parameters
    ----------
    image : array_like, shape (H, W)
    bank : sequence of GaborFilter or complex ndarray, length F

    Returns
    -------
    features : ndarray, shape (2 * F,)
        Mean and variance per filter, as one row of :func:`bank_features`.

    Raises
    ------
    TypeError, ValueError
        As :func:`bank_features`, and if ``image`` is not 2-D.

    See Also
    --------
    bank_features

    Examples
    --------
    >>> gabor_features(np.eye(6), gabor_bank(0.25, [0, np.pi / 4], 1.0)).shape
    (4,)
    """
    image = as_array("image", image, ndim=2, hint="Use bank_features for a batch of images.")
    return bank_features(image[None], bank)[0]


def grating(shape: tuple[int, int], frequency: float, *, theta: float = 0.0, phase: float = 0.0) -> np.ndarray:
    """A sinusoidal grating ``0.5 + 0.5 cos(2π f (c cos θ + r sin θ) + phase)`` in [0, 1].

    Parameters
    ----------
    shape : (int, int)
        ``(H, W)``.
    frequency : float
        Cycles per pixel, >= 0.
    theta : float, keyword-only
        Direction of the wave in radians, as in :func:`gabor_kernel`.
    phase : float, keyword-only
        Phase offset in radians.

    Returns
    -------
    image : ndarray, shape (H, W), float64

    Raises
    ------
    TypeError, ValueError
        For a bad shape or a non-finite or negative frequency.

    Examples
    --------
    >>> np.round(grating((2, 4), 0.25), 3)  # a period of 4 pixels along the columns
    array([[1. , 0.5, 0. , 0.5],
           [1. , 0.5, 0. , 0.5]])
    """
    rows, cols = as_pair("shape", shape)
    frequency = as_float("frequency", frequency, minimum=0.0)
    theta, phase = as_float("theta", theta), as_float("phase", phase)
    r, c = np.mgrid[:rows, :cols]
    wave = 0.5 + 0.5 * np.cos(2 * np.pi * frequency * (c * math.cos(theta) + r * math.sin(theta)) + phase)
    return wave


def texture_classifier(bank: Sequence[GaborFilter | np.ndarray] | None = None, *, features: str = "gabor", C: float = 1.0):
    """A scikit-learn pipeline: features -> standardisation -> logistic regression.

    Parameters
    ----------
    bank : sequence of GaborFilter, optional
        Required for ``features="gabor"``.
    features : {"gabor", "pixels"}, keyword-only
        ``"gabor"``: :func:`bank_features`; ``"pixels"``: the raw pixels, flattened (the baseline).
    C : float, keyword-only
        Inverse regularisation strength of the logistic regression, > 0.

    Returns
    -------
    sklearn.pipeline.Pipeline
        Unfitted; ``fit(patches, labels)`` takes patches of shape (N, P, P) or (N, P, P, 1).

    Raises
    ------
    ValueError
        If ``features`` is unknown, ``C <= 0`` or a bank is missing for Gabor features.

    See Also
    --------
    bank_features

    Examples
    --------
    >>> stripes = [grating((8, 8), 0.25, theta=t) for t in (0, 0, np.pi / 2, np.pi / 2)]
    >>> model = texture_classifier(gabor_bank(0.25, [0, np.pi / 2], 1.0))
    >>> model.fit(np.stack(stripes), [0, 0, 1, 1]).predict(np.stack(stripes)).tolist()
    [0, 0, 1, 1]
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import FunctionTransformer, StandardScaler

    features = as_choice("features", features, ("gabor", "pixels"))
    C = _positive("C", C)
    if features == "gabor":
        if bank is None:
            raise ValueError("bank is required for features='gabor'; build one with gabor_bank(...).")
        extract = FunctionTransformer(bank_features, kw_args={"bank": _as_bank(bank)})
    else:
        extract = FunctionTransformer(_flatten)
    return make_pipeline(extract, StandardScaler(), LogisticRegression(C=C, max_iter=5000))


def _flatten(images) -> np.ndarray:
    images = np.asarray(images, dtype=np.float64)
    return images.reshape(len(images), -1)
