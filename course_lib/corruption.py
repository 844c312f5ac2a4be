"""Image corruptions for denoising and restoration: noise, knocked-out blocks and blur.

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

from course_lib import conv
from course_lib._validation import as_array, as_choice, as_float, as_int, as_rng

BLUR_MODES = ("reflect", "nearest", "wrap", "constant", "valid")
# blur mode -> np.pad mode (scipy.ndimage's "reflect" is NumPy's "symmetric")
_PAD_MODES = {"reflect": "symmetric", "nearest": "edge", "wrap": "wrap", "constant": "constant"}


def _as_image(image, *, check_range: bool = True) -> np.ndarray:
    image = as_array(
        "image", image, ndim=(2, 3, 4),
        hint="Expected (H, W), (H, W, C) or a batch (N, H, W, C).",
    )
    if check_range and (image.min() < 0.0 or image.max() > 1.0):
        raise ValueError(
            f"image values must lie in [0, 1]; got values in [{image.min():g}, {image.max():g}]. "
            "Divide 8-bit images by 255 first."
        )
    return image


def _as_batch(image: np.ndarray) -> np.ndarray:
    """(H, W), (H, W, C) or (N, H, W, C) -> (N, H, W, C), as a view."""
    if image.ndim == 2:
        return image[None, :, :, None]
    return image[None] if image.ndim == 3 else image


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
        Side of a block in pixels, at least 1.
    fraction : float
        Fraction of the cells knocked out, in [0, 1].
    rng : int, numpy.random.Generator or None, keyword-only

    Returns
    -------
    corrupted : ndarray, same shape as ``image``, float64 in [0, 1]

    Raises
    ------
    TypeError
        If ``image`` is not numeric or ``block_size`` is not an int.
    ValueError
        If ``image`` has the wrong ndim or values outside [0, 1], ``block_size < 1``, or
        ``fraction`` is outside [0, 1].

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
    """
    image = _as_image(image)
    block_size = as_int("block_size", block_size, minimum=1)
    fraction = as_float("fraction", fraction, minimum=0.0, maximum=1.0)
    generator = as_rng(rng)
    batch = _as_batch(image)
    height, width = batch.shape[1:3]
    grid_rows, grid_cols = math.ceil(height / block_size), math.ceil(width / block_size)
    cells = grid_rows * grid_cols
    knocked = int(round(fraction * cells))
    corrupted = batch.copy()
    for index in range(batch.shape[0]):
        keep = np.ones(cells, dtype=bool)
        keep[generator.choice(cells, size=knocked, replace=False)] = False
        # (grid_rows, grid_cols) -> pixel mask (H, W)
        mask = np.kron(keep.reshape(grid_rows, grid_cols), np.ones((block_size, block_size), dtype=bool))
        corrupted[index] *= mask[:height, :width, None]
    return corrupted.reshape(image.shape)


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
        If ``length < 1`` or ``angle`` is not finite.

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
