"""The full profile's segmentation data: the Oxford-IIIT Pet trimaps, and the chapter's choice.

:func:`oxford_pets` downloads and reads the trimaps (only when ``config.use_real_data()``);
:func:`segmentation_set` gives the chapter its data: the trimaps in the full profile, the generated
texture scenes of :mod:`course_lib.segmentation.data` otherwise or when a download fails.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np

from course_lib import config, data
from course_lib._limits import check_memory
from course_lib._validation import as_choice, as_int, as_rng
from course_lib.data.real import extract
from course_lib.segmentation.data import SPLITS, Scenes, texture_scenes

PET_CLASSES = ("background", "pet", "outline")
PET_FILES = ("images.tar.gz", "annotations.tar.gz")
# set when the Pet files could not be had in this session: the test split does not ask (and wait) again
_PETS_FAILED: list[str] = []


def _pet_images(images_folder: Path, trimaps_folder: Path, names: list[str], size: int) -> tuple[np.ndarray, np.ndarray]:
    from PIL import Image

    images = np.empty((len(names), size, size, 1), dtype=np.float32)
    masks = np.empty((len(names), size, size), dtype=np.int64)
    for i, name in enumerate(names):
        with Image.open(images_folder / f"{name}.jpg") as file:
            images[i, ..., 0] = np.asarray(file.convert("L").resize((size, size), Image.BILINEAR)) / 255.0
        with Image.open(trimaps_folder / f"{name}.png") as file:
            trimap = np.asarray(file.resize((size, size), Image.NEAREST)).astype(np.int64)
        # trimap: 1 pet, 2 background, 3 outline -> 0 background, 1 pet, 2 outline
        masks[i] = np.select([trimap == 1, trimap == 3], [1, 2], 0)
    return images, masks


def oxford_pets(n: int, *, size: int = 64, split: str = "train", rng: int | np.random.Generator | None = 0) -> Scenes | None:
    """The Oxford-IIIT Pet trimaps (grayscale, resized), or None where they cannot be had.

    Downloads ``images.tar.gz`` (792 MB) and ``annotations.tar.gz`` (19 MB), checked against
    their SHA-256, through :func:`course_lib.data.download`; the splits are the dataset's
    ``trainval.txt`` and ``test.txt``. Only called when ``config.use_real_data()`` is True.

    Parameters
    ----------
    n : int
        Images wanted (fewer if the split has fewer).
    size : int, keyword-only
        Every image and trimap is resized to ``size x size`` (bilinear / nearest).
    split : {"train", "test"}, keyword-only
    rng : int, numpy.random.Generator or None, keyword-only
        Seed for which images are taken.

    Returns
    -------
    Scenes or None
        Masks index ``PET_CLASSES`` (background, pet, outline); ``sources`` are the file
        names. None if a download failed: one warning, and later calls in the same session
        return None at once (no second wait).

    Raises
    ------
    TypeError, ValueError
        If ``n`` or ``size`` is not a positive int, ``split`` is unknown, ``rng`` is not a
        seed or Generator, or the images would exceed the memory limit: all checked before any
        download.

    References
    ----------
    O. M. Parkhi, A. Vedaldi, A. Zisserman and C. V. Jawahar, "Cats and dogs", CVPR 2012.

    Examples
    --------
    Offline (here: no server at the address, an empty cache) it warns and returns None, and the
    chapter falls back to the texture scenes:

    >>> import os, tempfile, warnings
    >>> saved = dict(os.environ)
    >>> os.environ["COURSE_DATA_CACHE"] = tempfile.mkdtemp()
    >>> os.environ["COURSE_DATA_BASE_URL"] = "http://127.0.0.1:9"  # nothing listens here
    >>> _PETS_FAILED.clear()  # as in a new session: it warns once per session
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     pets = oxford_pets(4, size=32)
    >>> pets is None, [str(w.message).split("; ")[1][:36] for w in caught]
    (True, ['using the offline texture scenes ins'])
    >>> os.environ.clear(); os.environ.update(saved)
    """
    n = as_int("n", n, minimum=1)
    size = as_int("size", size, minimum=8)
    split = as_choice("split", split, SPLITS)
    generator = as_rng(rng)  # every argument is checked before any download
    check_memory(float(n) * size * size * 2, what="the images and trimaps", argument=f"n={n} with size={size}",
                 fix="ask for fewer or smaller images")
    if _PETS_FAILED:  # warned once already
        return None
    folders = []
    for name in PET_FILES:
        try:
            folders.append(extract(data.download(name)))
        except data.DownloadError as error:
            _PETS_FAILED.append(name)
            reason = str(error).split(". ")[0]  # "Could not download NAME from URL (why)"
            warnings.warn(f"{reason}; using the offline texture scenes instead of the Oxford-IIIT Pet trimaps "
                          "(`python -m course_lib.data prefetch` fetches them for later).", RuntimeWarning,
                          stacklevel=2)
            return None
    images_folder, annotations_folder = folders
    listing = (annotations_folder / "annotations" / ("trainval.txt" if split == "train" else "test.txt")).read_text()
    names = [line.split()[0] for line in listing.splitlines() if line.strip() and not line.startswith("#")]
    chosen = sorted(generator.permutation(len(names))[:n])
    images, masks = _pet_images(images_folder / "images", annotations_folder / "annotations" / "trimaps",
                                [names[i] for i in chosen], size)
    return Scenes(images, masks, PET_CLASSES, tuple(names[i] for i in chosen))


def segmentation_set(n: int, *, size: int = 48, split: str = "train", rng: int | np.random.Generator | None = 0) -> Scenes:
    """The chapter's data: Oxford-IIIT Pet trimaps in the full profile, else :func:`texture_scenes`.

    Prints which one it used. See :func:`texture_scenes` and :func:`oxford_pets`.

    Examples
    --------
    >>> scenes = segmentation_set(2, size=32)  # doctest: +ELLIPSIS
    Dataset: texture scenes...
    >>> scenes.images.shape
    (2, 32, 32, 1)
    """
    if config.use_real_data():
        pets = oxford_pets(n, size=size, split=split, rng=rng)
        if pets is not None:
            print(f"Dataset: Oxford-IIIT Pet trimaps ({len(pets.masks)} {split} images, {size}x{size}).")
            return pets
    scenes = texture_scenes(n, size=size, split=split, rng=rng)
    instead = "; offline stand-in for the Oxford-IIIT Pet trimaps" if config.use_real_data() else ""
    print(f"Dataset: texture scenes ({n} {split} scenes, {size}x{size}, generated offline{instead}).")
    return scenes
