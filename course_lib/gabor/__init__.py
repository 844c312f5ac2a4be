"""Gabor filters and filter banks: kernels, response magnitudes, texture features.

A Gabor filter is a Gaussian envelope times a complex sinusoid. ``frequency`` is in cycles
per pixel (at most 0.5, the Nyquist limit), ``theta`` is the direction in which the wave
travels (radians, 0 = along the columns, so the stripes are vertical) and ``sigma`` is the
width of the isotropic envelope in pixels. Kernels come from ``skimage.filters.gabor_kernel``,
on a square support of ``2 * ceil(n_stds * sigma) + 1`` pixels for every orientation, rescaled
so that ``sum |g| = 1``. Filtering is periodic (the image wraps around at its borders), either
in the spatial domain (``scipy.ndimage.convolve``) or as a product of Fourier transforms.

``kernels`` makes the filters (and test gratings); ``filtering`` applies them and turns the
responses into texture features. Everything public is importable from ``course_lib.gabor``.
"""

from course_lib.gabor.filtering import (
    FFT_FROM_SIDE,
    METHODS,
    bank_features,
    gabor_features,
    response_magnitude,
    texture_classifier,
)
from course_lib.gabor.kernels import GaborFilter, gabor_bank, gabor_kernel, grating

__all__ = [
    "FFT_FROM_SIDE",
    "METHODS",
    "GaborFilter",
    "bank_features",
    "gabor_bank",
    "gabor_features",
    "gabor_kernel",
    "grating",
    "response_magnitude",
    "texture_classifier",
]
