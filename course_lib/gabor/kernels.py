"""Gabor kernels and banks, and test gratings (see the package docstring for conventions)."""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from skimage.filters import gabor_kernel as _skimage_gabor_kernel

from course_lib._limits import check_memory
from course_lib._validation import as_array, as_float, as_pair


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
        If ``frequency`` is not in (0, 0.5], ``sigma`` or ``n_stds`` is not positive, or the
        kernel would exceed the memory limit (``course_lib.config.MEMORY_LIMIT_GIB``).

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
    size_argument = "frequency" if sigma is None else "sigma"  # what sets the support, for the message
    sigma = 0.56 / frequency if sigma is None else _positive("sigma", sigma)
    half = max(math.ceil(n_stds * sigma - 1e-9), 1)
    # complex128 kernel plus scikit-image's coordinate grids: about 6 arrays of 8 bytes per pixel
    check_memory(6.0 * (2 * half + 1) ** 2, argument=size_argument,
                 what=f"a {2 * half + 1} x {2 * half + 1} kernel",
                 fix="use sigma of a few pixels (the default is 0.56 / frequency) or a larger frequency")
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
    for name, values, high in (("frequencies", frequencies, 0.5), ("sigmas", sigmas, float("inf"))):
        bad = [value for value in values if value is not None and not 0 < value <= high]
        if bad:  # named here: gabor_kernel's message would say "frequency", not the argument given
            limit = "(0, 0.5] cycles per pixel" if high == 0.5 else "> 0"
            raise ValueError(f"{name} must each be {limit}; got {bad[0]}.")
    return [
        GaborFilter(gabor_kernel(f, theta=t, sigma=s, n_stds=n_stds), f, t, s)
        for f in frequencies for t in thetas for s in sigmas
    ]

def grating(shape: tuple[int, int], frequency: float, *, theta: float = 0.0, phase: float = 0.0) -> np.ndarray:
    """A sinusoidal grating ``0.5 + 0.5 cos(2π f (c cos θ + r sin θ) + phase)`` in [0, 1].

    Parameters
    ----------
    shape : (int, int)
        ``(H, W)``.
    frequency : float
        Cycles per pixel, in [0, 0.5] (above the Nyquist limit a sampled grating aliases).
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
        For a bad shape, a frequency outside [0, 0.5], or a grating above the memory limit.

    Examples
    --------
    >>> np.round(grating((2, 4), 0.25), 3)  # a period of 4 pixels along the columns
    array([[1. , 0.5, 0. , 0.5],
           [1. , 0.5, 0. , 0.5]])
    """
    rows, cols = as_pair("shape", shape)
    frequency = as_float("frequency", frequency, minimum=0.0)
    if frequency > 0.5:  # sampled once per pixel, f and 1 - f look the same: f = 1 is a flat image
        raise ValueError(
            f"frequency must be <= 0.5 cycles per pixel (the Nyquist limit); got {frequency}. "
            f"Sampled at whole pixels it would alias to {abs(frequency - round(frequency)):g}."
        )
    check_memory(3.0 * rows * cols, argument="shape", what=f"a {rows} x {cols} grating",
                 fix="use an image of a few hundred pixels")
    theta, phase = as_float("theta", theta), as_float("phase", phase)
    r, c = np.mgrid[:rows, :cols]
    wave = 0.5 + 0.5 * np.cos(2 * np.pi * frequency * (c * math.cos(theta) + r * math.sin(theta)) + phase)
    return wave
