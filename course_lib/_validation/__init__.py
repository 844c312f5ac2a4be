"""Shared input checks: every public function validates its arguments here.

Each check raises ``TypeError`` or ``ValueError`` with a message that names the
argument, says what was expected and what was given, and how to fix it.
Two modules: ``scalars`` (counts, sizes, choices, paths, names, seeds) and ``arrays``
(arrays, images with their dtype and value range, labels, kernels).
"""

from .arrays import IMAGE_INTEGER_MAX, NOISY_TOLERANCE, _asarray, as_array, as_image, as_kernel, as_labels
from .scalars import (
    SEED_LIMIT,
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
    "IMAGE_INTEGER_MAX", "NOISY_TOLERANCE", "SEED_LIMIT", "as_array", "as_choice", "as_float", "as_image",
    "as_int", "as_ints", "as_kernel", "as_labels", "as_mapping", "as_names", "as_pair", "as_path", "as_rng",
    "as_seed",
]
