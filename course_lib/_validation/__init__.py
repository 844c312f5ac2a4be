"""Shared input checks: every public function validates its arguments here.

Each check raises ``TypeError`` or ``ValueError`` with a message that names the
argument, says what was expected and what was given, and how to fix it.
Three modules: ``scalars`` (counts, sizes, choices, paths, names, seeds, axes), ``arrays``
(arrays, images with their dtype and value range, labels, kernels, channels) and ``lab``
(CIE Lab lightness and colour, probabilities).
"""

from .arrays import (
    IMAGE_INTEGER_MAX,
    LABEL_LIMIT,
    NOISY_TOLERANCE,
    _asarray,
    as_array,
    as_channels,
    as_image,
    as_kernel,
    as_labels,
)
from .lab import AB_RANGE, as_ab, as_lightness, as_probabilities
from .scalars import (
    SEED_LIMIT,
    as_axis,
    as_choice,
    as_float,
    as_int,
    as_ints,
    as_mapping,
    as_names,
    as_pair,
    as_path,
    as_rng,
    as_seed,
)

__all__ = [
    "AB_RANGE", "IMAGE_INTEGER_MAX", "LABEL_LIMIT", "NOISY_TOLERANCE", "SEED_LIMIT", "as_ab", "as_array", "as_axis",
    "as_channels", "as_choice", "as_float", "as_image", "as_int", "as_ints", "as_kernel", "as_labels",
    "as_lightness", "as_mapping", "as_names", "as_pair", "as_path", "as_probabilities", "as_rng", "as_seed",
]
