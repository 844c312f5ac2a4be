"""Classical restoration methods the network is measured against, and the comparison table.

Denoising: total variation (Chambolle, run until the relative change falls below ``1e-6``),
wavelet shrinkage (BayesShrink), non-local means, each with the noise level estimated from
the image itself (the network is blind too); BM3D when the optional ``bm3d`` package is
installed. Deblurring: Wiener and Richardson-Lucy, both given the *true* blur kernel (an
advantage the network does not have).

FFT deconvolution assumes the image is periodic (circular convolution), which a photograph
is not: the jump between opposite borders rings across the whole result. Wiener
deconvolution therefore first mirrors the image by half its size on every side, which makes
it (nearly) periodic with no jumps, and crops the result back. Richardson-Lucy convolves
with zero padding instead (no wrap-around, but dark borders), so a mirror margin of
``RL_MARGIN`` pixels, more than the blur length, is enough there.
All tuning constants were chosen once on the training split (astronaut, coffee), never on
the test images.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable

import numpy as np
from skimage import restoration as skrestoration

from course_lib._validation import NOISY_TOLERANCE, as_float, as_image, as_int, as_kernel

TV_WEIGHT_PER_SIGMA = 1.0  # TV weight = this x estimated noise sigma
NLM_H_PER_SIGMA = 0.8  # NL-means filter strength h = this x estimated sigma (scikit-image's advice)
WIENER_BALANCE = 0.1  # regularisation of the Wiener filter (skimage's Laplacian regulariser)
RL_ITERATIONS = 30
RL_MAX_ITERATIONS = 1000  # cap: each iteration is two FFT convolutions of the whole image
RL_MARGIN = 32  # mirror margin for Richardson-Lucy, in pixels


def _image(image) -> np.ndarray:
    # a noisy float image near [0, 1]; uint8 and 0..255 images are refused (the weights assume [0, 1])
    return as_image("image", image, ndim=2, hint="Pass one grayscale (H, W) image.", tolerance=NOISY_TOLERANCE)


def estimate_sigma(image) -> float:
    """Noise standard deviation estimated from the image (wavelet median absolute deviation).

    Parameters
    ----------
    image : array_like, shape (H, W)

    Returns
    -------
    float

    Raises
    ------
    TypeError, ValueError
        If ``image`` is not a 2-D numeric array.

    See Also
    --------
    skimage.restoration.estimate_sigma : what computes it.

    References
    ----------
    D. L. Donoho and I. M. Johnstone, "Ideal spatial adaptation by wavelet shrinkage",
    Biometrika 1994.

    Examples
    --------
    >>> noisy = 0.5 + 0.1 * np.random.default_rng(0).standard_normal((128, 128))
    >>> round(estimate_sigma(noisy), 2)
    0.1
    """
    return float(skrestoration.estimate_sigma(_image(image)))


def tv_denoise(image, *, weight: float | None = None) -> np.ndarray:
    """Total-variation denoising (Chambolle's algorithm) run to convergence.

    Parameters
    ----------
    image : array_like, shape (H, W)
    weight : float, optional, keyword-only
        Strength of the TV penalty; default ``TV_WEIGHT_PER_SIGMA * estimate_sigma(image)``.

    Returns
    -------
    ndarray, shape (H, W)

    Raises
    ------
    TypeError, ValueError
        If ``image`` is not 2-D or ``weight`` is negative.

    See Also
    --------
    wavelet_denoise, nlmeans_denoise

    References
    ----------
    L. I. Rudin, S. Osher and E. Fatemi, "Nonlinear total variation based noise removal
    algorithms", Physica D 1992.

    Examples
    --------
    >>> step = np.repeat([[0.0] * 8 + [1.0] * 8], 16, axis=0)
    >>> noisy = step + 0.1 * np.random.default_rng(0).standard_normal(step.shape)
    >>> bool(np.abs(tv_denoise(noisy) - step).mean() < np.abs(noisy - step).mean())
    True
    """
    image = _image(image)
    weight = TV_WEIGHT_PER_SIGMA * estimate_sigma(image) if weight is None else as_float("weight", weight, minimum=0.0)
    return skrestoration.denoise_tv_chambolle(image, weight=weight, eps=1e-6, max_num_iter=5000)


def wavelet_denoise(image) -> np.ndarray:
    """Wavelet shrinkage with BayesShrink thresholds (soft, per sub-band; noise level estimated).

    Parameters
    ----------
    image : array_like, shape (H, W)

    Returns
    -------
    ndarray, shape (H, W)

    Raises
    ------
    TypeError, ValueError
        If ``image`` is not a 2-D numeric array.

    See Also
    --------
    skimage.restoration.denoise_wavelet : what computes it (needs PyWavelets).

    References
    ----------
    S. G. Chang, B. Yu and M. Vetterli, "Adaptive wavelet thresholding for image denoising
    and compression", IEEE TIP 2000.

    Examples
    --------
    >>> clean = np.tile(np.linspace(0, 1, 32), (32, 1))
    >>> noisy = clean + 0.1 * np.random.default_rng(0).standard_normal(clean.shape)
    >>> bool(np.abs(wavelet_denoise(noisy) - clean).mean() < np.abs(noisy - clean).mean())
    True
    """
    return skrestoration.denoise_wavelet(_image(image), method="BayesShrink", mode="soft", rescale_sigma=True)


def nlmeans_denoise(image) -> np.ndarray:
    """Non-local means with the noise level estimated from the image.

    Patches 5x5, searched within 6 pixels, ``h = NLM_H_PER_SIGMA * sigma``.

    Parameters
    ----------
    image : array_like, shape (H, W)

    Returns
    -------
    ndarray, shape (H, W)

    Raises
    ------
    TypeError, ValueError
        If ``image`` is not a 2-D numeric array.

    See Also
    --------
    skimage.restoration.denoise_nl_means

    References
    ----------
    A. Buades, B. Coll and J.-M. Morel, "A non-local algorithm for image denoising", CVPR 2005.

    Examples
    --------
    >>> clean = np.tile(np.linspace(0, 1, 32), (32, 1))
    >>> noisy = clean + 0.1 * np.random.default_rng(0).standard_normal(clean.shape)
    >>> bool(np.abs(nlmeans_denoise(noisy) - clean).mean() < np.abs(noisy - clean).mean())
    True
    """
    image = _image(image)
    sigma = estimate_sigma(image)
    return skrestoration.denoise_nl_means(image, h=NLM_H_PER_SIGMA * sigma, sigma=sigma, fast_mode=True,
                                          patch_size=5, patch_distance=6)


def bm3d_available() -> bool:
    """True when the optional ``bm3d`` package can be imported.

    Examples
    --------
    >>> isinstance(bm3d_available(), bool)
    True
    """
    return importlib.util.find_spec("bm3d") is not None


def denoisers() -> dict[str, Callable[[np.ndarray], np.ndarray]]:
    """The classical denoisers by name: TV, wavelet, NL-means, and BM3D if ``bm3d`` is installed.

    Returns
    -------
    dict of str to callable
        Each takes a noisy (H, W) image and returns the denoised one.

    Examples
    --------
    >>> list(denoisers())[:3]
    ['TV', 'wavelet', 'NL-means']
    """
    methods = {"TV": tv_denoise, "wavelet": wavelet_denoise, "NL-means": nlmeans_denoise}
    if bm3d_available():
        import bm3d

        methods["BM3D"] = lambda image: np.asarray(bm3d.bm3d(image, sigma_psd=estimate_sigma(image)))
    return methods


def _padded(image: np.ndarray, method: Callable[[np.ndarray], np.ndarray], margin: int | None = None) -> np.ndarray:
    """Mirror by ``margin`` (default: half the size) on each side, restore, crop back."""
    height, width = image.shape
    top, left = (height // 2, width // 2) if margin is None else (margin, margin)
    # (H, W) -> (2H, 2W): a mirrored tile whose opposite borders match
    bottom, right = (height - top, width - left) if margin is None else (margin, margin)
    mirrored = np.pad(image, ((top, bottom), (left, right)), mode="symmetric")
    return method(mirrored)[top:top + height, left:left + width]


def wiener_deblur(image, kernel, *, balance: float = WIENER_BALANCE) -> np.ndarray:
    """Wiener deconvolution with a known blur kernel (mirror-extended against wrap-around).

    Parameters
    ----------
    image : array_like, shape (H, W)
        Blurred (and noisy) image.
    kernel : array_like, shape (KH, KW)
        The true point-spread function, centred; its sum must not be zero.
    balance : float, keyword-only
        Regularisation: larger is smoother, smaller sharper but noisier.

    Returns
    -------
    ndarray, shape (H, W)

    Raises
    ------
    TypeError, ValueError
        If an array has the wrong ndim, ``image`` is not a float image near [0, 1], the
        kernel sums to zero, or ``balance`` is not positive.

    See Also
    --------
    richardson_lucy_deblur
    skimage.restoration.wiener : what computes it.

    Examples
    --------
    >>> from course_lib import corruption
    >>> clean = np.zeros((48, 48)); clean[20:28, 20:28] = 1.0
    >>> kernel = corruption.motion_blur_kernel(7, 0)
    >>> blurred = corruption.blur(clean, kernel, mode="reflect")
    >>> bool(np.abs(wiener_deblur(blurred, kernel, balance=0.01) - clean).mean() < np.abs(blurred - clean).mean())
    True
    """
    image = _image(image)
    kernel = as_kernel("kernel", kernel, nonzero_sum=True, method="Wiener deconvolution")
    balance = as_float("balance", balance, minimum=0.0)
    if balance == 0.0:
        raise ValueError("balance must be > 0; a Wiener filter without regularisation divides by ~0.")
    return _padded(image, lambda padded: skrestoration.wiener(padded, kernel, balance, clip=False))


def richardson_lucy_deblur(image, kernel, *, iterations: int = RL_ITERATIONS) -> np.ndarray:
    """Richardson-Lucy deconvolution with a known blur kernel (mirror margin ``RL_MARGIN``).

    The image is clipped at 0 first (the algorithm assumes non-negative photon counts).

    Parameters
    ----------
    image : array_like, shape (H, W)
    kernel : array_like, shape (KH, KW)
    iterations : int, keyword-only
        More iterations: sharper, then noisier. At most ``RL_MAX_ITERATIONS``.

    Returns
    -------
    ndarray, shape (H, W)

    Raises
    ------
    TypeError, ValueError
        If an array has the wrong ndim, ``image`` is not a float image near [0, 1], ``kernel``
        has a negative weight or a zero sum, or ``iterations`` is outside 1..RL_MAX_ITERATIONS.

    See Also
    --------
    wiener_deblur

    References
    ----------
    W. H. Richardson, "Bayesian-based iterative method of image restoration", JOSA 1972;
    L. B. Lucy, "An iterative technique for the rectification of observed distributions", AJ 1974.

    Examples
    --------
    >>> from course_lib import corruption
    >>> clean = np.zeros((48, 48)); clean[20:28, 20:28] = 1.0
    >>> kernel = corruption.motion_blur_kernel(7, 0)
    >>> blurred = corruption.blur(clean, kernel, mode="reflect")
    >>> bool(np.abs(richardson_lucy_deblur(blurred, kernel) - clean).mean() < np.abs(blurred - clean).mean())
    True
    """
    image = np.clip(_image(image), 0.0, None)
    kernel = as_kernel("kernel", kernel, nonzero_sum=True, nonnegative=True, method="Richardson-Lucy")
    iterations = as_int("iterations", iterations, minimum=1, maximum=RL_MAX_ITERATIONS,
                        why="Past a few hundred iterations Richardson-Lucy only amplifies noise.")
    return _padded(image, lambda padded: skrestoration.richardson_lucy(padded, kernel, num_iter=iterations, clip=False),
                   margin=RL_MARGIN)
