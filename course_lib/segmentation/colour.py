"""Colourisation in CIE Lab (NumPy): lightness in, (a, b) out; bins, rebalancing, decoding, chroma.

In Lab, ``L`` (0 to 100) is the lightness a grey image already holds and ``(a, b)`` (about
-110 to 110) the colour: ``a`` green to red, ``b`` blue to yellow; ``(0, 0)`` is grey. A network
that sees ``L`` and must output ``(a, b)`` is a colouriser. Its *chroma*
``sqrt(a**2 + b**2)`` says how colourful a pixel is: 0 for grey.
"""

from __future__ import annotations

import functools
import warnings

import numpy as np
from scipy import spatial
from skimage import color, transform

from course_lib import data
from course_lib._limits import check_memory
from course_lib._validation import (
    as_ab, as_array, as_choice, as_float, as_int, as_labels, as_lightness, as_probabilities, as_rng,
)

#: Colour photographs for colourisation, by split (held-out photographs are never trained on).
COLOUR_PHOTOS = {
    "train": ("astronaut", "coffee", "rocket", "motorcycle", "immunohistochemistry", "china"),
    "test": ("chelsea", "flower", "grace_hopper"),
}
AB_LIMIT = 110.0


@functools.lru_cache(maxsize=None)
def _photos(split: str, scale: float) -> tuple[np.ndarray, ...]:
    photos = data.natural_images(split="all", grayscale=False) | data.more_photographs(grayscale=False)
    return tuple(transform.rescale(photos[name], scale, channel_axis=-1, anti_aliasing=True)
                 for name in COLOUR_PHOTOS[split])


@functools.lru_cache(maxsize=None)
def _shortest_side(split: str) -> int:
    """Shortest side of the split's photographs at full size (read once; no rescaling)."""
    photos = data.natural_images(split="all", grayscale=False) | data.more_photographs(grayscale=False)
    return min(min(photos[name].shape[:2]) for name in COLOUR_PHOTOS[split])


def colour_patches(n: int, *, size: int = 32, split: str = "train", scale: float = 0.25,
                   rng: int | np.random.Generator | None = 0) -> np.ndarray:
    """Random RGB crops of the colour photographs of one split.

    Parameters
    ----------
    n : int
        Number of patches.
    size : int, keyword-only
        Side in pixels (at least 8).
    split : {"train", "test"}, keyword-only
        Which photographs (``COLOUR_PHOTOS``); no photograph is in both.
    scale : float, keyword-only
        The photographs are downscaled by this factor first (in (0, 1]).
    rng : int, numpy.random.Generator or None, keyword-only

    Returns
    -------
    patches : ndarray, shape (n, size, size, 3), float32 in [0, 1]

    Raises
    ------
    TypeError, ValueError
        If ``n`` or ``size`` is not a positive int, ``split`` is unknown, ``scale`` is outside
        [0.01, 1], a patch of ``size`` does not fit the smallest photograph at ``scale``, or the
        patches would exceed the memory limit.

    Examples
    --------
    >>> colour_patches(2, size=16, split="test").shape
    (2, 16, 16, 3)
    """
    n = as_int("n", n, minimum=1)
    size = as_int("size", size, minimum=8)
    split = as_choice("split", split, ("train", "test"))
    scale = as_float("scale", scale, minimum=0.01, maximum=1.0)
    generator = as_rng(rng)
    check_memory(float(n) * size * size * 3, itemsize=4, what="the patches", argument=f"n={n} with size={size}",
                 fix="draw fewer or smaller patches")
    fits = max(int(np.round(_shortest_side(split) * scale)), 1)  # the side rescale gives it, before rescaling
    if size > fits:
        raise ValueError(
            f"size must fit the smallest {split} photograph, {fits} pixels at scale={scale:g}; got size={size}. "
            "Use a smaller size or a larger scale."
        )
    photos = _photos(split, scale)
    patches = np.empty((n, size, size, 3), dtype=np.float32)
    for i in range(n):
        photo = photos[generator.integers(len(photos))]
        row = generator.integers(0, photo.shape[0] - size + 1)
        col = generator.integers(0, photo.shape[1] - size + 1)
        patches[i] = photo[row : row + size, col : col + size]
    return patches


def split_lab(images) -> tuple[np.ndarray, np.ndarray]:
    """RGB images -> lightness ``L / 100`` in [0, 1] and colour ``(a, b)`` in Lab units.

    Parameters
    ----------
    images : array_like, shape (..., H, W, 3), values in [0, 1]

    Returns
    -------
    lightness : ndarray, shape (..., H, W, 1), float32 in [0, 1]
    ab : ndarray, shape (..., H, W, 2), float32

    Raises
    ------
    ValueError
        If the last axis is not 3 or values are outside [0, 1].

    Examples
    --------
    >>> lightness, ab = split_lab(np.ones((1, 2, 2, 3)))  # white
    >>> float(lightness.max().round(3)), bool(np.abs(ab).max() < 0.01)  # grey: a = b = 0
    (1.0, True)
    """
    images = as_array("images", images)
    if images.ndim < 3 or images.shape[-1] != 3:  # ndim first: a 0-d value has no last axis
        raise ValueError(f"images must be RGB, shape (..., H, W, 3); got {images.shape}.")
    if images.min() < 0 or images.max() > 1:
        raise ValueError(f"images must hold values in [0, 1]; got values in [{images.min():.3g}, {images.max():.3g}]. "
                         "Divide 8-bit images by 255.")
    lab = color.rgb2lab(images)
    return (lab[..., :1] / 100.0).astype(np.float32), lab[..., 1:].astype(np.float32)


def join_lab(lightness, ab) -> np.ndarray:
    """Inverse of :func:`split_lab`: ``L / 100`` and ``(a, b)`` -> RGB in [0, 1].

    Parameters
    ----------
    lightness : array_like, shape (..., H, W, 1), float in [0, 1]
        ``L / 100``, as :func:`split_lab` returns it (not Lab units 0..100, not 8-bit).
    ab : array_like, shape (..., H, W, 2), float
        ``(a, b)`` in Lab units, within -128..128 (not 8-bit Lab's ``a + 128``).

    Returns
    -------
    rgb : ndarray, shape (..., H, W, 3), float64 in [0, 1]
        Colours outside the sRGB gamut are clipped to it, without a warning.

    Raises
    ------
    TypeError, ValueError
        If an argument is 0-d, not floats, outside its range, or the shapes do not match.

    Examples
    --------
    >>> rgb = np.random.default_rng(0).random((2, 3, 3))
    >>> bool(np.allclose(join_lab(*split_lab(rgb)), rgb, atol=1e-4))
    True
    """
    lightness = as_lightness("lightness", lightness)
    ab = as_ab("ab", ab)
    if lightness.shape[-1] != 1 or ab.shape[-1] != 2 or lightness.shape[:-1] != ab.shape[:-1]:
        raise ValueError(f"lightness (..., 1) and ab (..., 2) must match; got {lightness.shape} and {ab.shape}.")
    lab = np.concatenate([lightness * 100.0, ab], axis=-1)
    with warnings.catch_warnings():  # a predicted (L, a, b) outside sRGB: clipped here, as documented
        warnings.filterwarnings("ignore", message="Conversion from CIE-LAB", category=UserWarning)
        rgb = color.lab2rgb(lab)
    return np.clip(rgb, 0.0, 1.0)


def chroma(ab) -> np.ndarray:
    """Colourfulness ``sqrt(a**2 + b**2)`` of every pixel (0 = grey).

    Parameters
    ----------
    ab : array_like, shape (..., 2)
        ``(a, b)`` in Lab units, within -128..128.

    Returns
    -------
    ndarray, shape (...)

    Raises
    ------
    TypeError, ValueError
        If ``ab`` is 0-d, 8-bit, has no 2 channels last or lies outside -128..128.

    Examples
    --------
    >>> chroma([[3.0, 4.0], [0.0, 0.0]])
    array([5., 0.])
    """
    ab = as_ab("ab", ab)
    return np.hypot(ab[..., 0], ab[..., 1])


def ab_bins(step: float = 10.0) -> np.ndarray:
    """Centres of a square grid of (a, b) bins covering [-110, 110]^2.

    Parameters
    ----------
    step : float
        Bin side in Lab units (Zhang et al. use 10).

    Returns
    -------
    centres : ndarray, shape (Q, 2)

    Examples
    --------
    >>> ab_bins(110.0)
    array([[-55., -55.],
           [-55.,  55.],
           [ 55., -55.],
           [ 55.,  55.]])
    """
    step = as_float("step", step, minimum=1.0, maximum=AB_LIMIT)
    edges = np.arange(-AB_LIMIT, AB_LIMIT, step)
    centres = edges + step / 2
    a, b = np.meshgrid(centres, centres, indexing="ij")
    return np.stack([a.ravel(), b.ravel()], axis=1)


def quantize_ab(ab, centres) -> np.ndarray:
    """Index of the nearest bin centre for every pixel.

    Parameters
    ----------
    ab : array_like, shape (..., 2)
    centres : array_like, shape (Q, 2)

    Returns
    -------
    bins : ndarray of int64, shape (...)

    Examples
    --------
    >>> quantize_ab([[50.0, -60.0], [-1.0, -1.0]], ab_bins(110.0))
    array([2, 0])
    """
    ab = as_ab("ab", ab)
    centres = as_array("centres", centres, ndim=2)
    if ab.shape[-1] != 2 or centres.shape[1] != 2:
        raise ValueError(f"ab (..., 2) and centres (Q, 2) must hold (a, b) pairs; got {ab.shape} and {centres.shape}.")
    _, bins = spatial.cKDTree(centres).query(ab.reshape(-1, 2))  # nearest centre of every pixel
    return bins.astype(np.int64).reshape(ab.shape[:-1])


def rebalance_weights(bins, num_bins: int, *, mix: float = 0.5) -> np.ndarray:
    """Per-bin loss weights that make rare (often vivid) colours count: ``1 / ((1 - mix) p + mix / Q)``.

    ``p`` is the frequency of each bin in ``bins``; the weights are scaled so that their mean
    under ``p`` is 1. ``mix=0`` weights by the inverse frequency, ``mix=1`` not at all.

    Parameters
    ----------
    bins : array_like of int
        Bin index of every training pixel.
    num_bins : int
        Q.
    mix : float in [0, 1], keyword-only
        Share of the uniform distribution (Zhang et al. use 0.5).

    Returns
    -------
    weights : ndarray, shape (Q,), float32

    References
    ----------
    R. Zhang, P. Isola and A. A. Efros, "Colorful image colorization", ECCV 2016.

    Examples
    --------
    >>> rebalance_weights([0, 0, 0, 1], 2, mix=0.0)  # the rare bin weighs 3 times more
    array([0.6666667, 2.       ], dtype=float32)
    """
    num_bins = as_int("num_bins", num_bins, minimum=1)
    check_memory(num_bins, what="the per-bin weights", argument="num_bins", fix="pass the number of bins, len(centres)")
    bins = as_labels("bins", bins, ndim=None).ravel()
    mix = as_float("mix", mix, minimum=0.0, maximum=1.0)
    if bins.size == 0 or bins.min() < 0 or bins.max() >= num_bins:
        raise ValueError(f"bins must hold indices 0 .. num_bins - 1 = {num_bins - 1}; got values from {bins.min()} to "
                         f"{bins.max()}. Pass num_bins=len(centres).")
    frequency = np.bincount(bins, minlength=num_bins) / bins.size
    with np.errstate(divide="ignore"):
        weights = 1.0 / ((1 - mix) * frequency + mix / num_bins)
    weights[~np.isfinite(weights)] = 0.0  # a bin never seen (only possible with mix = 0)
    return (weights / np.sum(frequency * weights)).astype(np.float32)


def decode_ab(probabilities, centres, *, temperature: float = 0.38) -> np.ndarray:
    """(a, b) of every pixel from a distribution over bins: the annealed mean.

    The distribution is sharpened, ``p ** (1 / T)`` renormalised, before its mean is taken:
    ``T = 1`` is the plain mean (greyish, like an L2 regression), ``T -> 0`` the most likely
    bin (vivid but patchy).

    Parameters
    ----------
    probabilities : array_like, shape (..., Q)
        A distribution over the Q bins at every pixel: floats in [0, 1] summing to 1 (a softmax
        output, not its logits).
    centres : array_like, shape (Q, 2)
        ``(a, b)`` of each bin in Lab units (:func:`ab_bins`).
    temperature : float, keyword-only
        In (0, 1].

    Returns
    -------
    ab : ndarray, shape (..., 2), float32

    Raises
    ------
    TypeError, ValueError
        If ``probabilities`` is 0-d, 8-bit, negative, above 1 or does not sum to 1, if
        ``centres`` is not (Q, 2) in Lab units, or ``temperature`` is outside [0.001, 1].

    References
    ----------
    R. Zhang, P. Isola and A. A. Efros, "Colorful image colorization", ECCV 2016.

    Examples
    --------
    >>> centres = np.array([[0.0, 0.0], [60.0, 0.0]])
    >>> decode_ab([0.4, 0.6], centres, temperature=1.0)
    array([36.,  0.], dtype=float32)
    >>> bool(decode_ab([0.4, 0.6], centres, temperature=0.2)[0] > 50)
    True
    """
    probabilities = as_probabilities("probabilities", probabilities)
    centres = as_ab("centres", centres)
    if centres.ndim != 2:
        raise ValueError(f"centres must be 2-D, one (a, b) row per bin, shape (Q, 2); got shape {centres.shape}.")
    if probabilities.shape[-1] != centres.shape[0]:
        raise ValueError(f"probabilities has {probabilities.shape[-1]} bins but centres {centres.shape[0]}.")
    temperature = as_float("temperature", temperature, minimum=1e-3, maximum=1.0)
    logits = np.log(np.clip(probabilities, 1e-12, None)) / temperature
    logits -= logits.max(axis=-1, keepdims=True)
    sharpened = np.exp(logits)
    sharpened /= sharpened.sum(axis=-1, keepdims=True)
    return (sharpened @ centres).astype(np.float32)
