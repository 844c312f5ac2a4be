"""Filtering with Gabor kernels: response magnitudes, texture features, a texture classifier."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import ndimage as ndi

from course_lib._validation import _asarray, as_array, as_choice
from course_lib.gabor.kernels import GaborFilter, _positive, gabor_bank, gabor_kernel, grating  # noqa: F401 (doctests)

METHODS = ("auto", "spatial", "fft")
FFT_FROM_SIDE = 9  # "auto" uses the FFT from this kernel width on: benchmarks/bench_gabor.py puts the crossover near 9


def _check_kernel(kernel) -> np.ndarray:
    if isinstance(kernel, GaborFilter):
        kernel = kernel.kernel
    kernel = _asarray("kernel", kernel)  # a ragged list is named, not left to NumPy
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
    if isinstance(bank, (GaborFilter, np.ndarray, str)) or not isinstance(bank, Sequence) or len(bank) == 0:
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
