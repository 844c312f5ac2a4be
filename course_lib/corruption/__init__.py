"""Simulated corruptions of clean images: noise, dropped blocks and blur (NumPy only).

- ``noise``: :func:`add_gaussian_noise`, :func:`salt_and_pepper`, :func:`poisson_noise`,
  :func:`block_dropout`.
- ``blur``: :func:`motion_blur_kernel`, :func:`blur`.

Used by the autoencoder, restoration and class-activation chapters through these public names.
"""

from course_lib.corruption.blurring import BLUR_MODES, blur, motion_blur_kernel
from course_lib.corruption.noise import add_gaussian_noise, block_dropout, poisson_noise, salt_and_pepper

__all__ = ["BLUR_MODES", "add_gaussian_noise", "block_dropout", "blur", "motion_blur_kernel", "poisson_noise",
           "salt_and_pepper"]
