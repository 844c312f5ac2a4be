"""Dense prediction: semantic segmentation and colourisation with encoders and decoders.

- :mod:`course_lib.segmentation.data` (NumPy): generated texture scenes with per-pixel labels,
  and the boundary band of a label map.
- :mod:`course_lib.segmentation.pets` (NumPy): the Oxford-IIIT Pet trimaps of the full profile,
  and ``segmentation_set``, the chapter's choice between them and the texture scenes.
- :mod:`course_lib.segmentation.features` (NumPy): the classical baseline, per-pixel Gabor
  features for a linear classifier.
- :mod:`course_lib.segmentation.colour` (NumPy): CIE Lab helpers for colourisation: (a, b)
  bins, class rebalancing, decoding a distribution over bins, chroma.
- :mod:`course_lib.segmentation.models` (Keras, loaded on first use): FCN, U-Net, the
  pretrained encoder, colourisation networks.

The label metrics themselves live in :mod:`course_lib.metrics`.
"""

from course_lib._lazy import lazy_exports
from course_lib.segmentation.data import BACKGROUNDS, CLASSES, Scenes, boundary_band, texture_scenes
from course_lib.segmentation.pets import PET_CLASSES, oxford_pets, segmentation_set
from course_lib.segmentation.features import pixel_features, sample_pixels

_KERAS_NAMES = dict.fromkeys(
    ("ACTIVATIONS", "ENCODER_PATH", "build_encoder", "build_fcn", "build_tagger", "build_unet", "encoder_record",
     "load_encoder"), "models")
__getattr__, __dir__ = lazy_exports(__name__, _KERAS_NAMES)

__all__ = ["BACKGROUNDS", "CLASSES", "PET_CLASSES", "Scenes", "boundary_band", "oxford_pets", "pixel_features",
           "sample_pixels", "segmentation_set", "texture_scenes", *_KERAS_NAMES]
