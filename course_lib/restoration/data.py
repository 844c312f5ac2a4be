"""The restoration networks' training data: patches of clean images, corrupted on the fly (Keras).

Reached as ``restoration.PatchDataset`` (imports Keras on first use).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import keras
import numpy as np
from skimage.transform import rescale

from course_lib.restoration import tasks as restoration
from course_lib.restoration import baselines
from course_lib._validation import as_array, as_choice, as_float, as_image, as_int, as_seed

#: Deblurring patches are deconvolved with this many pixels of context on every side.
WIENER_CONTEXT = 16

#: How ``PatchDataset`` picks the image of each crop: by its area, or each image equally often.
WEIGHTINGS = ("area", "image")


class PatchDataset(keras.utils.PyDataset):
    """Batches of (corrupted, clean) patches cut from clean images and corrupted on the fly.

    Each batch ``index`` of epoch ``e`` uses its own generator seeded by ``(seed, e, index)``,
    so a dataset is reproducible, yet every epoch shows new crops and new corruptions.
    Crops are drawn from an image chosen as ``weighting`` says, then flipped and rotated by
    a random multiple of 90 degrees.

    Parameters
    ----------
    images : mapping of str to ndarray, or sequence of ndarray, each (H, W) in [0, 1]
        Clean grayscale training images, each at least ``patch_size`` (plus the blur margin) wide.
    task : {"denoise", "deblur"}
        Corruption sampled for each patch (see :func:`course_lib.restoration.corrupt`).
        ``"deblur"`` is *non-blind*: the input patch is the Wiener deconvolution of the blurred
        one with its true kernel (:func:`course_lib.restoration.baselines.wiener_deblur`,
        computed with ``WIENER_CONTEXT`` pixels of real context around the patch), so the
        network learns to remove what Wiener leaves behind: ringing, amplified noise and the
        blur its regulariser keeps.
    patch_size : int, keyword-only
        Side of the square patches (40 by default).
    batch_size : int, keyword-only
    steps : int, keyword-only
        Batches per epoch.
    seed : int, keyword-only
    fixed : bool, keyword-only
        If True, every epoch repeats the same batches (use it for a validation set).
    scales : sequence of float in (0, 1], keyword-only
        Scale augmentation (as in DnCNN): every image also joins the pool shrunk by each of
        these factors (anti-aliased, ``skimage.transform.rescale``), so the network sees the
        same scenes with finer detail per pixel. ``(1.0,)``, the default, uses the images as
        they are; copies too small for a patch are left out.
    weighting : {"area", "image"}, keyword-only
        How the image of each crop is chosen: ``"area"`` (the default) with probability
        proportional to its pixels, so every pixel is equally likely to be seen; ``"image"``
        every image (and every shrunk copy) equally often, so that one large image (the
        1411 x 1411 retina) does not give a third of the patches.

    Raises
    ------
    TypeError, ValueError
        If an argument has the wrong type or value, or an image is smaller than a patch.

    See Also
    --------
    course_lib.restoration.corrupt : the corruption of each patch.

    Examples
    --------
    >>> data = PatchDataset([np.full((50, 50), 0.5)], "denoise", patch_size=8, batch_size=4, steps=2)
    >>> corrupted, clean = data[0]
    >>> corrupted.shape, clean.shape, corrupted.dtype.name, len(data)
    ((4, 8, 8, 1), (4, 8, 8, 1), 'float32', 2)
    >>> bool(np.all(clean == 0.5))
    True
    """

    def __init__(self, images, task: str, *, patch_size: int = 40, batch_size: int = 32,
                 steps: int = 100, seed: int = 0, fixed: bool = False, scales=(1.0,), weighting: str = "area",
                 **kwargs):
        super().__init__(**kwargs)
        self.task = as_choice("task", task, restoration.TASKS)
        self.patch_size = as_int("patch_size", patch_size, minimum=1)
        self.batch_size = as_int("batch_size", batch_size, minimum=1)
        self.steps = as_int("steps", steps, minimum=1)
        self.seed = as_seed("seed", seed)
        self.fixed = bool(fixed)
        values = list(images.values()) if isinstance(images, Mapping) else list(images)
        if not values:
            raise ValueError("images must hold at least one image; got none.")
        # checked here, not at the first batch: float (H, W) images in [0, 1], uint8 refused with the fix
        self.images = [as_image(f"images[{index}]", image, ndim=2, hint="Pass grayscale (H, W) images.",
                                tolerance=restoration.IMAGE_TOLERANCE) for index, image in enumerate(values)]
        self.scales = _scales(scales)
        self.weighting = as_choice("weighting", weighting, WEIGHTINGS)
        # a blurred patch is cut from a larger crop so its border is real image, not padding,
        # and deconvolved with context around it (the border of a deconvolution is unreliable)
        self.margin = restoration.MAX_BLUR_LENGTH - 1 + 2 * WIENER_CONTEXT if self.task == "deblur" else 0
        side = self.patch_size + self.margin
        small = [image.shape for image in self.images if min(image.shape) < side]
        if small:
            raise ValueError(f"every image must be at least {side} pixels on each side; got shape {small[0]}.")
        # originals first pass the size check above; a shrunk copy too small for a patch is left out
        pool = [image if scale == 1 else rescale(image, scale, anti_aliasing=True)
                for scale in self.scales for image in self.images]
        self.images = [image for image in pool if min(image.shape) >= side]
        sizes = np.array([image.size if self.weighting == "area" else 1 for image in self.images], dtype=float)
        self.weights = sizes / sizes.sum()
        self.epoch = 0

    def __len__(self) -> int:
        return self.steps

    def on_epoch_end(self) -> None:
        if not self.fixed:
            self.epoch += 1

    def __getitem__(self, index):
        generator = np.random.default_rng([self.seed, self.epoch, index])
        side = self.patch_size + self.margin
        corrupted = np.empty((self.batch_size, self.patch_size, self.patch_size, 1), dtype=np.float32)
        clean = np.empty_like(corrupted)
        for item in range(self.batch_size):
            image = self.images[generator.choice(len(self.images), p=self.weights)]
            top = generator.integers(0, image.shape[0] - side + 1)
            left = generator.integers(0, image.shape[1] - side + 1)
            crop = np.rot90(image[top:top + side, left:left + side], k=generator.integers(4))
            crop = crop[:, ::-1] if generator.random() < 0.5 else crop
            # (side, side) -> (patch, patch): "valid" blurring eats the blur margin
            bad, params = restoration.corrupt(crop, self.task, rng=generator, valid=True)
            if self.task == "deblur":
                # non-blind: the network refines the Wiener deconvolution with the true kernel
                # (patch + 2 * context)^2 -> patch^2, the centre away from the deconvolution's border
                bad = baselines.wiener_deblur(bad, params["kernel"])[WIENER_CONTEXT:-WIENER_CONTEXT,
                                                                     WIENER_CONTEXT:-WIENER_CONTEXT]
            offset = self.margin // 2
            corrupted[item, ..., 0] = bad
            clean[item, ..., 0] = crop[offset:offset + self.patch_size, offset:offset + self.patch_size]
        return corrupted, clean


def _scales(scales) -> tuple[float, ...]:
    """Validate ``scales``: a non-empty sequence of numbers in (0, 1]."""
    if isinstance(scales, (str, bytes)) or not isinstance(scales, Iterable):
        raise TypeError(f"scales must be a sequence of numbers in (0, 1]; got {scales!r}.")
    values = tuple(as_float("scales", scale, maximum=1.0) for scale in scales)
    if not values or min(values) <= 0:
        raise ValueError(f"scales must be a non-empty sequence of numbers in (0, 1]; got {scales!r}.")
    return values


def steps_for(images, *, patch_size: int, batch_size: int, coverage: float = 1.0) -> int:
    """Batches needed to cut ``coverage`` times as many pixels as the images hold.

    Parameters
    ----------
    images : sequence of ndarray
    patch_size, batch_size : int, keyword-only
    coverage : float, keyword-only

    Returns
    -------
    int, at least 1

    Raises
    ------
    TypeError, ValueError
        If a size is not a positive int.

    Examples
    --------
    >>> steps_for([np.zeros((80, 80))], patch_size=40, batch_size=2)
    2
    """
    patch_size = as_int("patch_size", patch_size, minimum=1)
    batch_size = as_int("batch_size", batch_size, minimum=1)
    if isinstance(images, (str, bytes)) or not isinstance(images, Iterable):
        raise TypeError(f"images must be a list of images; got {type(images).__name__}.")
    pixels = sum(as_array(f"images[{index}]", image).size for index, image in enumerate(images))
    return max(1, math.ceil(coverage * pixels / (patch_size**2 * batch_size)))
