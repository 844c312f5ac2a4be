"""Training data of the autoencoder chapter: the four noises, mixed noise, and a Keras dataset of noisy digits.

The chapter (``lessons/06_autoencoders.ipynb``) writes these out in its cells; this module holds
the same code so that ``scripts/train_autoencoders.py`` trains the shipped models on exactly the
data the chapter's quick run uses (the chapter checks that both give the same batches).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping

import keras
import numpy as np

from course_lib import corruption
from course_lib._validation import as_image, as_int, as_rng, as_seed


def _gaussian(images, rng):
    return corruption.add_gaussian_noise(images, 0.3, rng=rng, clip=True)


def _salt_and_pepper(images, rng):
    return corruption.salt_and_pepper(images, 0.2, rng=rng)


def _poisson(images, rng):
    return np.clip(corruption.poisson_noise(images, 5.0, rng=rng), 0.0, 1.0)


def _blocks(images, rng):
    return corruption.block_dropout(images, 4, 0.25, rng=rng)


#: The chapter's four corruptions, name -> ``corrupt(images, rng)``; all results lie in [0, 1].
NOISES: Mapping[str, Callable] = {
    "Gaussian": _gaussian,  # sigma 0.3, clipped
    "salt & pepper": _salt_and_pepper,  # 20 % of the pixels
    "Poisson": _poisson,  # peak 5 photons, clipped
    "blocks": _blocks,  # 25 % of the 4x4 blocks
}


def corrupt_mixed(images, rng: np.random.Generator) -> np.ndarray:
    """Give each image of a batch one of the four :data:`NOISES`, chosen at random.

    Parameters
    ----------
    images : array_like, shape (N, H, W, C)
        Clean images in [0, 1].
    rng : numpy.random.Generator
        Draws the choice of noise, then the noise itself (in the order of :data:`NOISES`).

    Returns
    -------
    corrupted : ndarray, shape (N, H, W, C), float64 in [0, 1]

    Raises
    ------
    ValueError
        If ``images`` is not 4-D or has values outside [0, 1].

    See Also
    --------
    NoisyDigits : serves such batches to Keras.

    Examples
    --------
    >>> corrupted = corrupt_mixed(np.full((3, 8, 8, 1), 0.5), np.random.default_rng(0))
    >>> corrupted.shape, bool(corrupted.min() >= 0.0 and corrupted.max() <= 1.0)
    ((3, 8, 8, 1), True)
    """
    images = as_image("images", images, ndim=4, hint="Pass a batch (N, H, W, C).")
    rng = as_rng(rng)  # a Generator is used as it is (NoisyDigits passes its own)
    which = rng.integers(len(NOISES), size=len(images))
    corrupted = np.empty(images.shape)
    for index, corrupt in enumerate(NOISES.values()):
        if np.any(which == index):
            corrupted[which == index] = corrupt(images[which == index], rng)
    return corrupted


class NoisyDigits(keras.utils.PyDataset):
    """Batches of (corrupted, clean) images, shuffled and corrupted afresh in every epoch.

    The random numbers depend only on ``seed``, the epoch and the batch number, so a run can
    be repeated exactly.

    Parameters
    ----------
    clean : array_like, shape (N, H, W, C)
        Clean float images in [0, 1] (the targets); a list becomes a float32 array, a ``uint8``
        array is refused (convert it with ``skimage.img_as_float``).
    corrupt : callable
        ``corrupt(images, rng) -> corrupted`` such as :func:`corrupt_mixed`.
    batch_size : int, keyword-only
    seed : int, keyword-only

    Raises
    ------
    ValueError
        If ``clean`` is not 4-D or not in [0, 1], or ``batch_size`` or ``seed`` is out of range.
    TypeError
        If ``corrupt`` is not callable.

    Examples
    --------
    >>> dataset = NoisyDigits(np.full((5, 8, 8, 1), 0.5, dtype="float32"), corrupt_mixed, batch_size=2)
    >>> inputs, targets = dataset[2]  # the last batch is smaller
    >>> len(dataset), inputs.shape, inputs.dtype, targets.shape
    (3, (1, 8, 8, 1), dtype('float32'), (1, 8, 8, 1))
    """

    def __init__(self, clean, corrupt: Callable, *, batch_size: int = 32, seed: int = 0):
        super().__init__()
        # checked and made an array here, not at the first batch: float images in [0, 1]
        checked = as_image("clean", clean, ndim=4, hint="Pass a batch (N, H, W, C).")
        if not callable(corrupt):
            raise TypeError(f"corrupt must be callable as corrupt(images, rng); got {type(corrupt).__name__}.")
        is_float_array = isinstance(clean, np.ndarray) and clean.dtype.kind == "f"
        self.clean = clean if is_float_array else checked.astype(np.float32)  # lists become float32
        self.corrupt = corrupt
        self.batch_size = as_int("batch_size", batch_size, minimum=1)
        self.seed = as_seed("seed", seed)
        self.epoch = 0

    def __len__(self):
        return math.ceil(len(self.clean) / self.batch_size)

    def __getitem__(self, index):
        order = np.random.default_rng([self.seed, self.epoch]).permutation(len(self.clean))
        targets = self.clean[order[index * self.batch_size : (index + 1) * self.batch_size]]
        rng = np.random.default_rng([self.seed, self.epoch, index])
        return self.corrupt(targets, rng).astype("float32"), targets  # (B, H, W, C) each

    def on_epoch_end(self):
        self.epoch += 1
