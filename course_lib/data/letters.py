"""Generated handwriting stand-in: capital letters rendered from the fonts that ship with matplotlib.

A small, offline target task for transfer learning from digits: strokes like MNIST's (white on
black, 28 x 28, centred in a 20-pixel box), but shapes the digit network has never seen. Each
image is one letter in one of matplotlib's bundled fonts (DejaVu, STIX and Computer Modern, in
upright, bold and slanted cuts), rotated, sheared, scaled, shifted and thickened or thinned at
random. Everything is drawn from a seed, so the set is identical on every machine.
"""

from __future__ import annotations

from collections.abc import Iterable

import functools
from pathlib import Path

import numpy as np
from scipy import ndimage

from course_lib._validation import as_int, as_rng

#: The letters :func:`letters` draws by default: ten capitals with few digit look-alikes.
LETTER_CLASSES = ("A", "C", "E", "F", "H", "K", "N", "R", "X", "Y")
_FONT_FILES = (
    "DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf", "DejaVuSans-BoldOblique.ttf",
    "DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf", "DejaVuSerif-Italic.ttf", "DejaVuSerif-BoldItalic.ttf",
    "DejaVuSansMono.ttf", "DejaVuSansMono-Bold.ttf", "DejaVuSansMono-Oblique.ttf",
    "STIXGeneral.ttf", "STIXGeneralBol.ttf", "STIXGeneralItalic.ttf", "STIXGeneralBolIta.ttf",
    "cmr10.ttf", "cmss10.ttf", "cmtt10.ttf", "cmb10.ttf", "cmti10.ttf",
)
_CANVAS = 64  # letters are drawn large, distorted, then reduced to 28 x 28 as MNIST was


@functools.lru_cache(maxsize=None)
def _fonts() -> tuple:
    """The bundled fonts as PIL font objects at the canvas size (read once)."""
    from importlib import util

    from PIL import ImageFont

    # the font files ship inside matplotlib's package folder; find it without importing matplotlib
    folder = Path(util.find_spec("matplotlib").origin).parent / "mpl-data" / "fonts" / "ttf"
    return tuple(ImageFont.truetype(str(folder / name), size=44) for name in _FONT_FILES if (folder / name).exists())


def _render(letter: str, font, generator: np.random.Generator) -> np.ndarray:
    """(28, 28) float32 image in [0, 1] of one distorted letter, white on black."""
    from PIL import Image, ImageDraw

    canvas = Image.new("L", (_CANVAS, _CANVAS), 0)
    ImageDraw.Draw(canvas).text((_CANVAS / 2, _CANVAS / 2), letter, fill=255, font=font, anchor="mm")
    image = np.asarray(canvas, dtype=np.float64) / 255.0
    # stroke width: thicken or thin a little, as pens differ
    width = generator.integers(-1, 3)
    if width > 0:
        image = ndimage.grey_dilation(image, size=(width + 1, width + 1))
    elif width < 0:
        image = ndimage.grey_erosion(image, size=(2, 2))
    # rotation, shear and anisotropic scale about the centre
    angle = np.deg2rad(generator.uniform(-15, 15))
    shear = generator.uniform(-0.3, 0.3)
    scale = generator.uniform(0.8, 1.2, size=2)
    rotation = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    matrix = rotation @ np.array([[1.0, shear], [0.0, 1.0]]) @ np.diag(scale)
    inverse = np.linalg.inv(matrix)
    centre = np.array([_CANVAS / 2, _CANVAS / 2])
    image = ndimage.affine_transform(image, inverse, offset=centre - inverse @ centre, order=1)
    # MNIST's recipe: fit the ink into a 20 x 20 box, centre its mass in 28 x 28
    rows, cols = np.nonzero(image > 0.1)
    if len(rows) == 0:  # cannot happen for the bundled fonts; keep the function total anyway
        return np.zeros((28, 28), dtype=np.float32)
    crop = image[rows.min():rows.max() + 1, cols.min():cols.max() + 1]
    zoom = 20.0 / max(crop.shape)
    small = np.clip(ndimage.zoom(crop, zoom, order=1, prefilter=False), 0.0, 1.0)
    out = np.zeros((28, 28))
    top, left = (28 - small.shape[0]) // 2, (28 - small.shape[1]) // 2
    out[top:top + small.shape[0], left:left + small.shape[1]] = small
    mass_row, mass_col = ndimage.center_of_mass(out)
    out = ndimage.shift(out, (13.5 - mass_row + generator.uniform(-1, 1), 13.5 - mass_col + generator.uniform(-1, 1)), order=1)
    return np.clip(out, 0.0, 1.0).astype(np.float32)


def letters(n_per_class: int, *, classes: str | tuple[str, ...] = LETTER_CLASSES,
            rng: int | np.random.Generator | None = 0) -> tuple[np.ndarray, np.ndarray]:
    """MNIST-like images of capital letters in many fonts and distortions, drawn offline.

    Parameters
    ----------
    n_per_class : int
        Images per letter, at least 1.
    classes : str or tuple of str, keyword-only
        The letters (one character each, distinct); ``classes[k]`` gets label ``k``.
    rng : int, numpy.random.Generator or None, keyword-only
        Seed of the fonts, distortions and order. Different seeds give different images
        of the same letters (use one seed for training and another for testing).

    Returns
    -------
    images : np.ndarray, shape (len(classes) * n_per_class, 28, 28, 1), float32 in [0, 1]
        White letters on black, as MNIST's digits.
    labels : np.ndarray of int64, shape (len(classes) * n_per_class,)
        Shuffled; every class appears ``n_per_class`` times.

    Raises
    ------
    TypeError, ValueError
        If ``n_per_class`` is not a positive integer, or ``classes`` is empty, repeats a
        letter or holds something other than single characters.

    See Also
    --------
    lessons/07_transfer_learning.ipynb : the target task of transfer from digits.

    Examples
    --------
    >>> images, labels = letters(2, classes="AB", rng=0)
    >>> images.shape, images.dtype, sorted(labels.tolist())
    ((4, 28, 28, 1), dtype('float32'), [0, 0, 1, 1])
    >>> bool(images.max() > 0.9 and images.min() == 0.0)
    True
    """
    n_per_class = as_int("n_per_class", n_per_class, minimum=1)
    if isinstance(classes, str):
        classes = tuple(classes)
    if not isinstance(classes, Iterable):
        raise TypeError(f"classes must be a string of letters such as 'ABC' or a tuple of them; got {type(classes).__name__}.")
    classes = tuple(classes)
    if not classes or len(set(classes)) != len(classes):
        raise ValueError(f"classes must be a non-empty sequence of distinct letters; got {classes!r}.")
    for letter in classes:
        if not isinstance(letter, str) or len(letter) != 1 or not letter.strip():
            raise ValueError(f"classes must hold single visible characters such as 'A'; got {letter!r}.")
    generator = as_rng(rng)
    fonts = _fonts()
    labels = np.repeat(np.arange(len(classes), dtype=np.int64), n_per_class)
    labels = labels[generator.permutation(len(labels))]
    images = np.stack([_render(classes[k], fonts[generator.integers(len(fonts))], generator) for k in labels])
    return images[..., None], labels
