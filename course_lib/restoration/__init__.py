"""Patch-based image restoration: corruptions, patches, classical baselines, networks, training, evaluation.

The workflow of the restoration chapter:

1. cut a corrupted image into densely overlapping patches (:func:`extract_patches`),
2. restore every patch with a network trained on simulated corruptions (:func:`corrupt`),
3. put the restored patches back, averaging where they overlap (:func:`average_patches`).

A fully convolutional network does steps 1-3 approximately in one call on the whole image
(:func:`restore_image` with ``method="fully_convolutional"``).

- ``tasks``: the two tasks and :func:`corrupt` (NumPy).
- ``patches``: :func:`extract_patches`, :func:`average_patches` (NumPy).
- ``baselines``: the classical methods (TV, wavelets, NL-means, BM3D, Wiener, Richardson-Lucy).
- ``inference``: :func:`restore_image`, :func:`load_pretrained`, :func:`pretrained_record`.
- ``evaluation``: :func:`evaluate`, :func:`compare`, :func:`format_table` (PSNR/SSIM tables).
- ``data``: :class:`PatchDataset` (Keras); ``models``: :func:`build_model` and its geometry (Keras);
  ``train``: the recipes and the training command (Keras). These import TensorFlow on first use::

    python -m course_lib.restoration train --task denoise --recipe shipped
"""

from course_lib._lazy import lazy_exports
from course_lib.restoration.evaluation import EVAL_BORDER, benchmark_scores, compare, evaluate, format_table
from course_lib.restoration.inference import deblur_image, load_pretrained, pretrained_record, restore_image
from course_lib.restoration.patches import average_patches, extract_patches
from course_lib.restoration.tasks import (ASSETS, DEBLUR_NOISE_MAX, ENSEMBLE_TRANSFORMS, MAX_BLUR_LENGTH, METHODS,
                                          SIGMA_MAX, TASKS, corrupt)

_KERAS_NAMES = {
    **dict.fromkeys(("WIENER_CONTEXT", "WEIGHTINGS", "PatchDataset", "steps_for"), "data"),
    **dict.fromkeys(("DTYPES", "build_model", "downscale_factor", "receptive_field", "residual_block"), "models"),
    # the training function itself is restoration.train.train: the module train.py holds the name
    **dict.fromkeys(("RECIPES", "recipe_settings", "training_images"), "train"),
}
__getattr__, __dir__ = lazy_exports(__name__, _KERAS_NAMES)

__all__ = [
    "ASSETS", "DEBLUR_NOISE_MAX", "ENSEMBLE_TRANSFORMS", "EVAL_BORDER", "MAX_BLUR_LENGTH", "METHODS", "SIGMA_MAX",
    "TASKS", "average_patches", "benchmark_scores", "compare", "corrupt", "deblur_image", "evaluate", "extract_patches",
    "format_table", "load_pretrained", "pretrained_record", "restore_image", *_KERAS_NAMES,
]
