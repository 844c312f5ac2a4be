"""Transfer learning: a pretrained source model, feature extraction, new heads and fine-tuning.

The offline source model is a small convnet trained on MNIST digits 0-4
(``scripts/train_source_model.py``, record in ``course_lib/assets/transfer/source_model.md``); the
transfer-learning chapter reuses it for digits 5-9, and in the full profile uses an ImageNet
backbone instead (:func:`imagenet_base`). TensorFlow is imported here, so only the chapters
that train models pay for it.
"""

from course_lib.transfer._common import SOURCE_MODEL_PATH
from course_lib.transfer.freezing import count_parameters, unfreeze_top
from course_lib.transfer.heads import augmentation, build_classifier, build_head, extract_features
from course_lib.transfer.source import (
    SOURCE_CLASSES,
    build_source_model,
    feature_extractor,
    few_shot,
    imagenet_base,
    load_source_model,
)

__all__ = [
    "SOURCE_CLASSES",
    "SOURCE_MODEL_PATH",
    "augmentation",
    "build_classifier",
    "build_head",
    "build_source_model",
    "count_parameters",
    "extract_features",
    "feature_extractor",
    "few_shot",
    "imagenet_base",
    "load_source_model",
    "unfreeze_top",
]
