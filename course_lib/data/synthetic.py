"""Generated datasets: shapes with boxes and masks, and a small CIFAR-like stand-in.

Everything here is drawn from a seed, so it is identical on every machine.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from scipy import ndimage
from skimage import draw

from course_lib import _limits
from course_lib._validation import as_choice, as_int, as_rng
from course_lib.data.offline import SPLITS, TEXTURES, texture_patches

SHAPE_CLASSES = ("circle", "rectangle", "triangle")
#: Classes of the offline stand-in for CIFAR-10: three shapes and three textures.
OFFLINE_CIFAR10_CLASSES = SHAPE_CLASSES + TEXTURES
OFFLINE_CIFAR10_PER_CLASS = {"train": 500, "test": 100}


class Shapes(NamedTuple):
    """Images of shapes with their labels, bounding boxes and pixel masks (see :func:`shapes`)."""

    images: np.ndarray
    labels: np.ndarray
    class_names: tuple[str, ...]
    boxes: np.ndarray
    masks: np.ndarray


def _background(size: int, generator: np.random.Generator) -> np.ndarray:
    """(size, size, 3) smooth random texture plus fine noise, values roughly 0.1-0.5."""
    blobs = ndimage.gaussian_filter(generator.normal(size=(size, size)), sigma=size / 16)
    blobs = (blobs - blobs.min()) / (np.ptp(blobs) + 1e-12)  # [0, 1]
    tint = generator.uniform(0.6, 1.0, size=3)
    level = generator.uniform(0.1, 0.3)
    image = (level + 0.2 * blobs)[:, :, None] * tint
    return image + generator.normal(0.0, 0.04, size=(size, size, 3))


def _shape_mask(label: int, size: int, generator: np.random.Generator) -> np.ndarray:
    """(size, size) bool mask of one circle, rectangle or triangle, fully inside the image."""
    mask = np.zeros((size, size), dtype=bool)
    extent = int(generator.integers(max(size // 4, 4), size // 2 + 1))  # bounding-box side
    row = int(generator.integers(1, size - extent))
    col = int(generator.integers(1, size - extent))
    if label == 0:
        radius = extent / 2
        rr, cc = draw.disk((row + radius, col + radius), radius, shape=mask.shape)
    elif label == 1:
        height = int(generator.integers(max(extent // 2, 3), extent + 1))
        rr, cc = draw.rectangle((row, col), extent=(height, extent), shape=mask.shape)
    else:
        apex = col + generator.uniform(0, extent)
        vertices_r = np.array([row, row + extent, row + extent])
        vertices_c = np.array([apex, col, col + extent])
        rr, cc = draw.polygon(vertices_r, vertices_c, shape=mask.shape)
    mask[rr, cc] = True
    if label == 2:
        # point the triangle in one of four directions
        mask = np.rot90(mask, k=int(generator.integers(4))).copy()
    return mask


def shapes(
    n: int, *, size: int = 64, rng: int | np.random.Generator | None = 0
) -> Shapes:
    """Colour images of one circle, rectangle or triangle on a textured, noisy background.

    For classification, segmentation (``masks``) and for checking where class activation
    maps point (``boxes``). Classes are balanced (they differ by at most one image).

    Parameters
    ----------
    n : int
        Number of images, 1..1,000,000 (``_limits.MAX_EXAMPLES``), within the memory limit.
    size : int, keyword-only
        Side of the square images in pixels, at least 16.
    rng : int, numpy.random.Generator or None, keyword-only
        Seed for everything drawn.

    Returns
    -------
    Shapes
        A named tuple with

        - ``images``: (n, size, size, 3) float32 in [0, 1];
        - ``labels``: (n,) int64, index into ``class_names``;
        - ``class_names``: ``("circle", "rectangle", "triangle")``;
        - ``boxes``: (n, 4) int64 ``(row_min, col_min, row_max, col_max)``, maxima
          exclusive, so ``masks[i, r0:r1, c0:c1]`` holds the whole shape;
        - ``masks``: (n, size, size) bool, True on the shape.

    Raises
    ------
    TypeError
        If ``n`` or ``size`` is not an int, or ``rng`` is not a seed.
    ValueError
        If ``n`` < 1 or ``size`` < 16.

    See Also
    --------
    Chapter "Class activation maps" compares heatmaps with ``boxes`` and ``masks``.

    Examples
    --------
    >>> sample = shapes(4, size=16, rng=0)
    >>> sample.images.shape, sample.images.dtype, sample.boxes.shape, sample.masks.dtype
    ((4, 16, 16, 3), dtype('float32'), (4, 4), dtype('bool'))
    >>> sample.class_names[sample.labels[0]] in ("circle", "rectangle", "triangle")
    True
    """
    n = as_int("n", n, minimum=1, maximum=_limits.MAX_EXAMPLES, why="Draw the images in several calls.")
    size = as_int("size", size, minimum=16, maximum=_limits.MAX_SIDE)
    _limits.check_memory(float(n) * size * size * 4, itemsize=1, argument="n",
                         what=f"{n} images of {size} x {size} (float32 RGB and masks)", fix="draw fewer or smaller images")
    generator = as_rng(rng)
    labels = generator.permutation(np.arange(n) % len(SHAPE_CLASSES)).astype(np.int64)
    images = np.empty((n, size, size, 3), dtype=np.float32)
    masks = np.empty((n, size, size), dtype=bool)
    boxes = np.empty((n, 4), dtype=np.int64)
    for i, label in enumerate(labels):
        image = _background(size, generator)
        mask = _shape_mask(int(label), size, generator)
        colour = generator.uniform(0.65, 1.0) * generator.uniform(0.5, 1.0, size=3)
        colour /= colour.max() / generator.uniform(0.7, 1.0)  # brightest channel 0.7-1
        image[mask] = colour + generator.normal(0.0, 0.04, size=(int(mask.sum()), 3))
        rows, cols = np.nonzero(mask)
        boxes[i] = rows.min(), cols.min(), rows.max() + 1, cols.max() + 1
        images[i] = np.clip(image, 0.0, 1.0)
        masks[i] = mask
    return Shapes(images, labels, SHAPE_CLASSES, boxes, masks)


def offline_cifar10(
    *, split: str = "train", rng: int | np.random.Generator | None = 0
) -> tuple[np.ndarray, np.ndarray]:
    """A small CIFAR-like dataset built offline: 32 x 32 RGB images of six classes.

    Classes (``OFFLINE_CIFAR10_CLASSES``): circle, rectangle, triangle (from
    :func:`shapes`) and brick, grass, gravel (texture patches from
    :func:`texture_patches`, tinted with a random colour). 500 images per class for
    train, 100 for test; the textures come from disjoint image regions and the shapes
    from different seeds, so train and test never share an image.

    Parameters
    ----------
    split : {"train", "test"}, keyword-only
        Which part to return.
    rng : int, numpy.random.Generator or None, keyword-only
        Seed for everything drawn.

    Returns
    -------
    images : ndarray, shape (N, 32, 32, 3), float32 in [0, 1]
        N = 3000 for train, 600 for test, in shuffled order.
    labels : ndarray, shape (N,), int64 in 0..5

    Raises
    ------
    ValueError
        If ``split`` is unknown.
    TypeError
        If ``rng`` is not a seed or Generator.

    See Also
    --------
    cifar10 : the real CIFAR-10 in the full profile, this stand-in otherwise.

    Examples
    --------
    >>> images, labels = offline_cifar10(split="test")
    >>> images.shape, images.dtype, np.bincount(labels).tolist()
    ((600, 32, 32, 3), dtype('float32'), [100, 100, 100, 100, 100, 100])
    """
    split = as_choice("split", split, SPLITS)
    per_class = OFFLINE_CIFAR10_PER_CLASS[split]
    # one child stream per split, so train and test draws never coincide
    generator = np.random.default_rng(as_rng(rng).spawn(2)[SPLITS.index(split)])
    drawn = shapes(3 * per_class, size=32, rng=generator)
    patches, texture_labels, _ = texture_patches(32, per_class, split=split, rng=generator)
    tints = generator.uniform(0.4, 1.0, size=(len(patches), 1, 1, 3)).astype(np.float32)
    tints /= tints.max(axis=-1, keepdims=True)
    images = np.concatenate([drawn.images, patches * tints])
    labels = np.concatenate([drawn.labels, texture_labels + len(SHAPE_CLASSES)])
    order = generator.permutation(len(labels))
    return np.clip(images[order], 0.0, 1.0), labels[order]
