"""Segmentation data generated offline: texture scenes with per-pixel labels, and boundary bands.

A *texture scene* is a crop of a natural photograph with a few objects pasted on it. An
object's class is the texture it is cut from (brick, grass or gravel, bundled with
scikit-image); its brightness is matched to the photograph it covers and its contrast is the
same for every class, so no threshold on intensity or contrast can label it: the texture itself
must be recognised. Train and test scenes come from different source images (photographs and
texture halves), so the test split measures generalisation to unseen images. The full profile's
real data, the Oxford-IIIT Pet trimaps, is in :mod:`course_lib.segmentation.pets`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
from scipy import ndimage
from skimage import draw, transform

from course_lib import data
from course_lib._limits import check_memory
from course_lib._validation import _asarray, as_choice, as_float, as_int, as_rng

CLASSES = ("background", "brick", "grass", "gravel")
SPLITS = ("train", "test")
#: Source photographs of the backgrounds, by split (never shared between splits).
BACKGROUNDS = {
    "train": ("astronaut", "coffee", "rocket", "motorcycle", "immunohistochemistry", "china", "flower", "aero"),
    "test": ("camera", "chelsea", "coins", "grace_hopper"),
}
#: Which half of each 512x512 texture feeds which split (rows, before downscaling).
TEXTURE_ROWS = {"train": slice(0, 256), "test": slice(256, 512)}
PHOTO_SCALE = 0.5  # photographs are downscaled by this factor before cropping
TEXTURE_SCALE = 0.35  # textures too, more: a few bricks or stones fit in one object
CONTRAST = 0.2  # standard deviation of every pasted texture
MAX_OBJECTS = 64  # objects per scene: more only cover each other


@dataclass(frozen=True)
class Scenes:
    """Images and their per-pixel labels.

    Attributes
    ----------
    images : ndarray, shape (N, S, S, 1), float32 in [0, 1]
    masks : ndarray, shape (N, S, S), int64
        Index into ``class_names`` for every pixel.
    class_names : tuple of str
    sources : tuple of str, length N
        The photograph each background was cut from.
    """

    images: np.ndarray
    masks: np.ndarray
    class_names: tuple[str, ...]
    sources: tuple[str, ...]


@functools.lru_cache(maxsize=None)
def _sources(split: str) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Downscaled grayscale backgrounds and texture halves of one split (read once)."""
    photos = data.natural_images(split="all") | data.more_photographs()
    backgrounds = {name: transform.rescale(photos[name], PHOTO_SCALE, anti_aliasing=True) for name in BACKGROUNDS[split]}
    textures = {
        name: transform.rescale(image[TEXTURE_ROWS[split]], TEXTURE_SCALE, anti_aliasing=True)
        for name, image in data.textures().items()
    }
    return backgrounds, textures


def _crop(image: np.ndarray, size: int, generator: np.random.Generator) -> np.ndarray:
    row = generator.integers(0, image.shape[0] - size + 1)
    col = generator.integers(0, image.shape[1] - size + 1)
    return image[row : row + size, col : col + size]


def _object_mask(size: int, generator: np.random.Generator, min_radius: float, max_radius: float) -> np.ndarray:
    """A random ellipse or polygon, fully inside the image."""
    radius = generator.uniform(min_radius, max_radius)
    centre = generator.uniform(radius, size - radius, size=2)
    mask = np.zeros((size, size), dtype=bool)
    if generator.random() < 0.5:
        rows, cols = draw.ellipse(*centre, radius, radius * generator.uniform(0.5, 1.0), shape=mask.shape,
                                  rotation=generator.uniform(0, np.pi))
    else:
        corners = generator.integers(3, 7)
        angles = np.sort(generator.uniform(0, 2 * np.pi, corners))
        radii = radius * generator.uniform(0.6, 1.0, corners)
        rows, cols = draw.polygon(centre[0] + radii * np.sin(angles), centre[1] + radii * np.cos(angles),
                                  shape=mask.shape)
    mask[rows, cols] = True
    if mask.sum() < 0.5 * radius**2:  # a sliver of a polygon: draw a disc instead
        mask[draw.disk(centre, radius, shape=mask.shape)] = True
    return mask


def texture_scenes(
    n: int,
    *,
    size: int = 48,
    split: str = "train",
    max_objects: int = 2,
    object_radius: tuple[float, float] = (0.2, 0.35),
    rng: int | np.random.Generator | None = 0,
) -> Scenes:
    """Scenes of texture objects on photographs, with per-pixel labels (offline, from a seed).

    Each scene is a ``size x size`` crop of a grayscale photograph (downscaled by 2) with 1 to
    ``max_objects`` objects, each an ellipse or polygon cut from one of the bundled textures.
    The texture is standardised to a fixed contrast and shifted to the mean brightness of the
    background it covers, so that an object differs from its surroundings by its texture only.
    Later objects cover earlier ones.

    Parameters
    ----------
    n : int
        Number of scenes.
    size : int, keyword-only
        Side S in pixels, 16 to 128.
    split : {"train", "test"}, keyword-only
        ``"train"``: backgrounds from ``BACKGROUNDS["train"]`` and the top half of each texture;
        ``"test"``: the other photographs and the bottom halves.
    max_objects : int, keyword-only
        Most objects per scene, 1 to ``MAX_OBJECTS``.
    object_radius : (float, float), keyword-only
        Range of object radii as fractions of ``size``.
    rng : int, numpy.random.Generator or None, keyword-only
        Seed: the same seed gives the same scenes.

    Returns
    -------
    Scenes
        ``images`` (N, S, S, 1) float32 in [0, 1], ``masks`` (N, S, S) int64 indexing
        ``CLASSES`` (0 = background), ``sources``.

    Raises
    ------
    TypeError, ValueError
        If ``n``, ``size`` or ``max_objects`` are not positive ints in range, ``split`` is
        unknown, ``object_radius`` is not an increasing pair in (0, 0.5], or the scenes would
        exceed the memory limit.

    See Also
    --------
    oxford_pets : the real data of the full profile.
    Chapter 8, "Dense prediction", trains on these.

    Examples
    --------
    >>> scenes = texture_scenes(3, size=32, rng=0)
    >>> scenes.images.shape, scenes.masks.shape, scenes.class_names
    ((3, 32, 32, 1), (3, 32, 32), ('background', 'brick', 'grass', 'gravel'))
    >>> bool((scenes.masks > 0).any(axis=(1, 2)).all())  # every scene holds an object
    True
    >>> np.array_equal(texture_scenes(3, size=32, rng=0).images, scenes.images)
    True
    """
    n = as_int("n", n, minimum=1)
    size = as_int("size", size, minimum=16)
    if size > 128:
        raise ValueError(f"size must be at most 128 pixels; got {size}. Larger scenes need larger sources.")
    split = as_choice("split", split, SPLITS)
    max_objects = as_int("max_objects", max_objects, minimum=1, maximum=MAX_OBJECTS,
                         why="More objects only cover each other.")
    check_memory(float(n) * size * size * 2, what="the images and masks", argument="n", fix="generate fewer scenes")
    if not isinstance(object_radius, (tuple, list)) or len(object_radius) != 2:
        raise ValueError(f"object_radius must be a pair (smallest, largest); got {object_radius!r}.")
    low, high = (as_float("object_radius", r, minimum=0.0, maximum=0.5) for r in object_radius)
    if not 0 < low <= high:
        raise ValueError(f"object_radius must satisfy 0 < smallest <= largest; got {object_radius!r}.")
    generator = as_rng(rng)
    backgrounds, textures = _sources(split)
    names = list(backgrounds)
    images = np.empty((n, size, size), dtype=np.float64)
    masks = np.zeros((n, size, size), dtype=np.int64)
    sources = []
    for i in range(n):
        source = names[generator.integers(len(names))]
        image = _crop(backgrounds[source], size, generator).copy()
        for _ in range(generator.integers(1, max_objects + 1)):
            label = int(generator.integers(1, len(CLASSES)))
            region = _object_mask(size, generator, low * size, high * size)
            patch = _crop(textures[CLASSES[label]], size, generator)
            patch = (patch - patch.mean()) / (patch.std() + 1e-8)
            image[region] = image[region].mean() + CONTRAST * patch[region]
            masks[i][region] = label
        images[i] = np.clip(image, 0.0, 1.0)
        sources.append(source)
    return Scenes(images[..., None].astype(np.float32), masks, CLASSES, tuple(sources))


def boundary_band(masks, *, width: int = 2) -> np.ndarray:
    """Pixels within ``width`` pixels of a boundary between two classes.

    Parameters
    ----------
    masks : array_like of int, shape (H, W) or (N, H, W)
    width : int, keyword-only
        Half-width of the band in pixels (city-block distance), at least 1.

    Returns
    -------
    band : ndarray of bool, same shape
        Scores computed on ``y_true[band], y_pred[band]`` measure the boundaries only.

    Raises
    ------
    TypeError, ValueError
        If ``masks`` is not 2-D or 3-D or ``width`` < 1.

    Examples
    --------
    >>> mask = np.zeros((1, 6), dtype=int); mask[0, 3:] = 1
    >>> boundary_band(mask, width=1).astype(int)
    array([[0, 0, 1, 1, 0, 0]])
    """
    masks = _asarray("masks", masks)
    if masks.ndim not in (2, 3) or not np.issubdtype(masks.dtype, np.integer):
        raise ValueError(f"masks must be a 2-D or 3-D integer label map; got shape {masks.shape}, dtype {masks.dtype}.")
    width = as_int("width", width, minimum=1)
    batch = masks if masks.ndim == 3 else masks[None]
    band = np.zeros(batch.shape, dtype=bool)
    # a pixel is on an edge if a 4-neighbour has another class
    band[:, 1:, :] |= batch[:, 1:, :] != batch[:, :-1, :]
    band[:, :-1, :] |= batch[:, 1:, :] != batch[:, :-1, :]
    band[:, :, 1:] |= batch[:, :, 1:] != batch[:, :, :-1]
    band[:, :, :-1] |= batch[:, :, 1:] != batch[:, :, :-1]
    if width > 1:
        cross = np.array([[[0, 1, 0], [1, 1, 1], [0, 1, 0]]], dtype=bool)  # within each image only
        band = ndimage.binary_dilation(band, structure=cross, iterations=width - 1)
    return band if masks.ndim == 3 else band[0]
