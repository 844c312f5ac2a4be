"""Cluttered digits: real MNIST digits at random positions on a larger canvas with clutter.

A classifier of these images must find the digit before it can name it, so a class
activation map that points at the digit shows something a fixed guess cannot. The recipe
follows the cluttered, translated MNIST of Mnih et al. (2014): pieces cut from other digits
are scattered over the canvas as distractors.
"""

from __future__ import annotations

import numpy as np

from course_lib import _limits
from course_lib._validation import as_choice, as_int, as_rng
from course_lib.data.bundled_mnist import mnist_subset
from course_lib.data.offline import SPLITS
from course_lib.data.synthetic import Shapes

DIGIT_CLASSES = tuple(str(digit) for digit in range(10))
_DIGIT_SIDE = 28
_INK = 0.5  # a digit pixel above this is ink: the mask
_TRIES = 100  # positions tried for a clutter piece before it is left out


def cluttered_digits(
    n: int, *, size: int = 56, clutter: int = 6, piece: int = 8, split: str = "train",
    rng: int | np.random.Generator | None = 0,
) -> Shapes:
    """MNIST digits at random positions on a ``size`` x ``size`` canvas, among pieces of other digits.

    Each image holds one whole digit from :func:`mnist_subset` (``split``), pasted where its
    box falls fully inside the canvas, and ``clutter`` square pieces of ``piece`` x ``piece``
    pixels cut at random from other digits of the same split, pasted at random positions
    outside the digit's box, so that no piece changes the digit (pieces may overlap each other,
    keeping the brighter pixel; a piece that finds no room in 100 tries is left out). Digits are reused when ``n`` exceeds the split's
    4,000 (train) or 1,000 (test) digits, each time at a new position among new clutter.

    Parameters
    ----------
    n : int
        Number of images, 1..1,000,000 (``_limits.MAX_EXAMPLES``), within the memory limit.
    size : int, keyword-only
        Side of the canvas in pixels, 28 (no room to move) to 512.
    clutter : int, keyword-only
        Number of pieces of other digits per image, 0..100.
    piece : int, keyword-only
        Side of a clutter piece in pixels, 2..28.
    split : {"train", "test"}, keyword-only
        Which digits of :func:`mnist_subset` to use, so that train and test never share a digit.
    rng : int, numpy.random.Generator or None, keyword-only
        Seed for the choice of digits, positions and clutter.

    Returns
    -------
    Shapes
        A named tuple with

        - ``images``: (n, size, size, 1) float32 in [0, 1];
        - ``labels``: (n,) int64, the digit;
        - ``class_names``: ``("0", "1", ..., "9")``;
        - ``boxes``: (n, 4) int64 ``(row_min, col_min, row_max, col_max)`` of the digit's ink
          (pixels above 0.5), maxima exclusive;
        - ``masks``: (n, size, size) bool, the digit's ink (clutter never counts).

    Raises
    ------
    TypeError
        If ``n``, ``size``, ``clutter`` or ``piece`` is not an int, or ``rng`` is not a seed.
    ValueError
        If a count or size is outside its range, or ``split`` is unknown.

    See Also
    --------
    Chapter "Class activation maps": the pointing game on digits that are not centred.

    References
    ----------
    V. Mnih, N. Heess, A. Graves and K. Kavukcuoglu, "Recurrent models of visual attention",
    NeurIPS, 2014.

    Examples
    --------
    >>> sample = cluttered_digits(3, size=40, clutter=2, rng=0)
    >>> sample.images.shape, sample.images.dtype, sample.masks.shape
    ((3, 40, 40, 1), dtype('float32'), (3, 40, 40))
    >>> r0, c0, r1, c1 = sample.boxes[0]
    >>> bool(sample.masks[0, r0:r1, c0:c1].sum() == sample.masks[0].sum())  # the box holds all the ink
    True
    >>> bool(np.all(sample.images[0][sample.masks[0]] > 0.5))
    True
    >>> outside = np.ones((40, 40), dtype=bool)
    >>> outside[r0:r1, c0:c1] = False
    >>> bool(np.any(sample.images[0, ..., 0][outside] > 0.5))  # clutter, outside the box
    True
    """
    n = as_int("n", n, minimum=1, maximum=_limits.MAX_EXAMPLES, why="Draw the images in several calls.")
    size = as_int("size", size, minimum=_DIGIT_SIDE, maximum=512)
    clutter = as_int("clutter", clutter, minimum=0, maximum=100)
    piece = as_int("piece", piece, minimum=2, maximum=_DIGIT_SIDE)
    split = as_choice("split", split, SPLITS)
    _limits.check_memory(float(n) * size * size * 5, itemsize=1, argument="n",
                         what=f"{n} images of {size} x {size} (float32 and masks)", fix="draw fewer or smaller images")
    generator = as_rng(rng)
    digits, digit_labels = mnist_subset(split=split, rng=generator)
    digits = digits[..., 0]  # (D, 28, 28)
    chosen = generator.permutation(np.arange(n) % len(digits))
    images = np.zeros((n, size, size), dtype=np.float32)
    masks = np.zeros((n, size, size), dtype=bool)
    boxes = np.empty((n, 4), dtype=np.int64)
    for i, index in enumerate(chosen):
        canvas = images[i]
        digit = digits[index]
        ink_rows, ink_cols = np.nonzero(digit > _INK)
        # place the digit's ink box anywhere on the canvas (the empty margin of the 28 x 28 frame may leave it)
        r0, r1, c0, c1 = ink_rows.min(), ink_rows.max() + 1, ink_cols.min(), ink_cols.max() + 1
        top = int(generator.integers(0, size - (r1 - r0) + 1))
        left = int(generator.integers(0, size - (c1 - c0) + 1))
        canvas[top : top + r1 - r0, left : left + c1 - c0] = digit[r0:r1, c0:c1]
        masks[i, top : top + r1 - r0, left : left + c1 - c0] = digit[r0:r1, c0:c1] > _INK
        boxes[i] = top, left, top + r1 - r0, left + c1 - c0
        for _ in range(clutter):
            source = digits[generator.integers(len(digits))]
            r, c = generator.integers(0, _DIGIT_SIDE - piece + 1, size=2)
            for _attempt in range(_TRIES):  # a piece never overlaps the digit's box: it could change the digit
                row, col = generator.integers(0, size - piece + 1, size=2)
                if row >= boxes[i, 2] or row + piece <= boxes[i, 0] or col >= boxes[i, 3] or col + piece <= boxes[i, 1]:
                    window = canvas[row : row + piece, col : col + piece]
                    np.maximum(window, source[r : r + piece, c : c + piece], out=window)
                    break
    return Shapes(images[..., None], digit_labels[chosen].astype(np.int64), DIGIT_CLASSES, boxes, masks)
