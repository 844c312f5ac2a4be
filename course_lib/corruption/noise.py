"""Image corruptions for denoising and restoration: noise, knocked-out blocks and blur.

Blur (:func:`motion_blur_kernel`, :func:`blur`) lives in :mod:`course_lib.corruption.blurring`;
both are reached as ``corruption.blur`` and ``corruption.motion_blur_kernel``.

Conventions (the same in every chapter of the book)
---------------------------------------------------
Shapes
    ``image`` may be one image, (H, W) or (H, W, C), or a batch (N, H, W, C); the result has
    the same shape and is float64. Noise is drawn independently for every value (every
    channel of every pixel).
Value range
    Clean images are floats in [0, 1]; the noise functions check this (a 0-255 image is
    the usual mistake) and raise ``ValueError`` otherwise.
Clipping
    **Nothing is clipped unless you ask.** Salt-and-pepper and knocked-out blocks only
    write 0 or 1, and blurring with a non-negative kernel that sums to 1 averages values,
    so these stay in [0, 1] by construction. Gaussian and Poisson noise can leave [0, 1];
    they are returned as drawn, so the noise keeps its textbook statistics (zero mean,
    known variance), which restoration methods rely on. To model a camera that saturates,
    call ``add_gaussian_noise(..., clip=True)`` or ``np.clip(noisy, 0, 1)`` at the point
    where the image is stored or shown.
Randomness
    Functions that draw numbers take a keyword ``rng`` (an int seed, a
    ``numpy.random.Generator`` or None) and call ``np.random.default_rng(rng)`` once.
"""

from __future__ import annotations

import math

import numpy as np

from course_lib._validation import as_float, as_int, as_rng

from course_lib.corruption.blurring import _as_batch, _as_image

__all__ = ["add_gaussian_noise", "salt_and_pepper", "poisson_noise", "block_dropout"]


def add_gaussian_noise(image, sigma: float, *, rng: int | np.random.Generator | None, clip: bool = False) -> np.ndarray:
    """Add independent zero-mean Gaussian noise of standard deviation ``sigma``.

    Parameters
    ----------
    image : array_like, shape (H, W), (H, W, C) or (N, H, W, C)
        Clean image(s) with values in [0, 1].
    sigma : float
        Standard deviation of the noise, in units of the [0, 1] range (0.1 is a tenth of
        the range); at least 0.
    rng : int, numpy.random.Generator or None, keyword-only
        Seed or generator for the noise.
    clip : bool, keyword-only
        If True, clip the result to [0, 1] (a saturating sensor). Default False: the noise
        is returned as drawn (see the module docstring).

    Returns
    -------
    noisy : ndarray, same shape as ``image``, float64
        ``image + sigma * z`` with ``z`` standard normal, clipped if ``clip``.

    Raises
    ------
    TypeError
        If ``image`` is not numeric, ``sigma`` is not a number or ``rng`` is not a seed.
    ValueError
        If ``image`` has the wrong ndim, values outside [0, 1], or ``sigma < 0``.

    See Also
    --------
    salt_and_pepper, poisson_noise : the other noise models of the autoencoder chapter.

    References
    ----------
    P. Vincent, H. Larochelle, Y. Bengio and P.-A. Manzagol, "Extracting and composing
    robust features with denoising autoencoders", ICML 2008.

    Examples
    --------
    >>> noisy = add_gaussian_noise(np.full((100, 100), 0.5), 0.1, rng=0)
    >>> round(float(noisy.mean()), 2), round(float(noisy.std()), 2)
    (0.5, 0.1)
    >>> add_gaussian_noise(np.zeros((2, 2)), 0.0, rng=0)
    array([[0., 0.],
           [0., 0.]])
    >>> bool(add_gaussian_noise(np.ones((4, 4)), 0.5, rng=0, clip=True).max() <= 1.0)
    True
    """
    image = _as_image(image)
    sigma = as_float("sigma", sigma, minimum=0.0)
    generator = as_rng(rng)
    noisy = image + sigma * generator.standard_normal(image.shape)
    return np.clip(noisy, 0.0, 1.0) if clip else noisy


def salt_and_pepper(image, amount: float, *, rng: int | np.random.Generator | None) -> np.ndarray:
    """Replace a fraction ``amount`` of the values by 0 (pepper) or 1 (salt), half each.

    Each value is hit independently with probability ``amount``; a hit value becomes 0 or
    1 with equal probability.

    Parameters
    ----------
    image : array_like, shape (H, W), (H, W, C) or (N, H, W, C)
        Clean image(s) with values in [0, 1].
    amount : float
        Probability that a value is replaced, in [0, 1].
    rng : int, numpy.random.Generator or None, keyword-only

    Returns
    -------
    noisy : ndarray, same shape as ``image``, float64 in [0, 1]

    Raises
    ------
    TypeError
        If ``image`` is not numeric or ``amount`` is not a number.
    ValueError
        If ``image`` has the wrong ndim or values outside [0, 1], or ``amount`` is outside [0, 1].

    See Also
    --------
    add_gaussian_noise
    scipy.ndimage.median_filter : the classical remedy for this noise.

    Examples
    --------
    >>> noisy = salt_and_pepper(np.full((200, 200), 0.5), 0.2, rng=0)
    >>> round(float(np.mean(noisy != 0.5)), 2)  # about 20% of the values were replaced
    0.2
    >>> sorted(np.unique(noisy).tolist())
    [0.0, 0.5, 1.0]
    """
    image = _as_image(image)
    amount = as_float("amount", amount, minimum=0.0, maximum=1.0)
    generator = as_rng(rng)
    draw = generator.random(image.shape)
    noisy = image.copy()
    noisy[draw < amount / 2] = 0.0
    noisy[(draw >= amount / 2) & (draw < amount)] = 1.0
    return noisy


def poisson_noise(image, peak: float, *, rng: int | np.random.Generator | None) -> np.ndarray:
    """Photon (shot) noise: count Poisson photons with mean ``image * peak``, divide by ``peak``.

    ``peak`` is the expected photon count of a pixel of value 1: a small ``peak`` is a dark,
    noisy exposure; the noise variance at value ``v`` is ``v / peak``, so bright regions are
    noisier in absolute terms and black stays exactly black.

    Parameters
    ----------
    image : array_like, shape (H, W), (H, W, C) or (N, H, W, C)
        Clean image(s) with values in [0, 1].
    peak : float
        Photons for a value of 1; greater than 0.
    rng : int, numpy.random.Generator or None, keyword-only

    Returns
    -------
    noisy : ndarray, same shape as ``image``, float64 >= 0
        Multiples of ``1 / peak``; values can exceed 1 (not clipped, see the module docstring).

    Raises
    ------
    TypeError
        If ``image`` is not numeric or ``peak`` is not a number.
    ValueError
        If ``image`` has the wrong ndim or values outside [0, 1], or ``peak <= 0``.

    See Also
    --------
    add_gaussian_noise : the same variance everywhere instead.

    Examples
    --------
    >>> noisy = poisson_noise(np.full((200, 200), 0.5), 20.0, rng=0)
    >>> round(float(noisy.mean()), 2), round(float(noisy.var()), 3)  # mean 0.5, variance 0.5 / 20
    (0.5, 0.025)
    >>> poisson_noise(np.zeros((2, 2)), 5.0, rng=0)
    array([[0., 0.],
           [0., 0.]])
    """
    image = _as_image(image)
    peak = as_float("peak", peak, minimum=0.0)
    if peak == 0.0:
        raise ValueError("peak must be > 0 (photons for a value of 1); got 0.0.")
    generator = as_rng(rng)
    return generator.poisson(image * peak) / peak


def block_dropout(image, block_size: int, fraction: float, *, rng: int | np.random.Generator | None) -> np.ndarray:
    """Knock out square blocks: set a random ``fraction`` of the grid cells to 0.

    The image is cut into a grid of ``block_size`` x ``block_size`` cells (the last row and
    column of cells may be smaller); ``round(fraction * cells)`` cells of each image, chosen
    at random without replacement, are set to 0 in every channel.

    Parameters
    ----------
    image : array_like, shape (H, W), (H, W, C) or (N, H, W, C)
        Clean image(s) with values in [0, 1]; each image of a batch gets its own blocks.
    block_size : int
        Side of a block in pixels, from 1 to the image's longer side (one block covers the image).
    fraction : float
        Fraction of the cells knocked out, in [0, 1]; a positive fraction must knock out at
        least one cell (``round(fraction * cells) >= 1``).
    rng : int, numpy.random.Generator or None, keyword-only

    Returns
    -------
    corrupted : ndarray, same shape as ``image``, float64 in [0, 1]

    Raises
    ------
    TypeError
        If ``image`` is not numeric or ``block_size`` is not an int.
    ValueError
        If ``image`` has the wrong ndim or values outside [0, 1], ``block_size`` is outside 1 ..
        the image's longer side, ``fraction`` is outside [0, 1], or a positive ``fraction`` of the
        cells rounds to no cell (the image would come back unchanged).

    See Also
    --------
    salt_and_pepper : single knocked-out values instead of blocks.

    Examples
    --------
    >>> corrupted = block_dropout(np.ones((4, 4)), 2, 0.25, rng=0)  # one of four 2x2 cells
    >>> int((corrupted == 0).sum())
    4
    >>> block_dropout(np.ones((3, 3)), 2, 1.0, rng=0).max()  # cells at the edge are smaller
    np.float64(0.0)
    >>> block_dropout(np.ones((4, 4)), 2, 0.1, rng=0)  # 0.1 of 4 cells is no cell
    Traceback (most recent call last):
    ...
    ValueError: fraction=0.1 of the 4 cells of block_size=2 rounds to 0 cells: nothing would be dropped. Use a fraction above 0.125 or a smaller block_size.
    """
    image = _as_image(image)
    batch = _as_batch(image)
    height, width = batch.shape[1:3]
    block_size = as_int("block_size", block_size, minimum=1, maximum=max(height, width),
                        why="A block of the image's longer side already covers the image.")
    fraction = as_float("fraction", fraction, minimum=0.0, maximum=1.0)
    generator = as_rng(rng)
    grid_rows, grid_cols = math.ceil(height / block_size), math.ceil(width / block_size)
    cells = grid_rows * grid_cols
    knocked = int(round(fraction * cells))
    if fraction > 0 and knocked == 0:
        raise ValueError(
            f"fraction={fraction:g} of the {cells} cell{'s' if cells > 1 else ''} of block_size={block_size} rounds to "
            f"0 cells: nothing would be dropped. Use a fraction above {0.5 / cells:.3g} or a smaller block_size."
        )
    corrupted = batch.copy()
    for index in range(batch.shape[0]):
        keep = np.ones(cells, dtype=bool)
        keep[generator.choice(cells, size=knocked, replace=False)] = False
        # (grid_rows, grid_cols) -> pixel mask (H, W)
        mask = np.kron(keep.reshape(grid_rows, grid_cols), np.ones((block_size, block_size), dtype=bool))
        corrupted[index] *= mask[:height, :width, None]
    return corrupted.reshape(image.shape)
