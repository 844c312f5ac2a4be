"""Class activation maps: where a convnet looks, and how well that matches the object.

Three parts, one topic:

- :mod:`course_lib.cam.maps` (TensorFlow): :func:`grad_cam` for any Keras model with a
  convolutional feature map, :func:`class_activation_map` for models that end in global
  average pooling and one dense layer, and :func:`last_conv_layer_name`.
- :mod:`course_lib.cam.heatmaps` (NumPy): :func:`normalize` (ReLU, scale to [0, 1]) and
  :func:`upsample` to the image size.
- :mod:`course_lib.cam.energy` (NumPy): :func:`energy_inside`, the share of a heatmap on the object.
- :mod:`course_lib.cam.evaluation` (NumPy): the pointing game, boxes from thresholded
  heatmaps and their IoU with the true boxes, and the centre and random baselines that give
  those numbers a meaning.

Every heatmap here is (N, H, W) float64 in [0, 1], rows and columns, one per image.
"""

from course_lib.cam.energy import energy_inside
from course_lib.cam.evaluation import (
    box_iou,
    box_iou_at_thresholds,
    center_heatmaps,
    heatmap_box,
    pointing_game,
    random_heatmaps,
)
from course_lib.cam.heatmaps import normalize, upsample
from course_lib.cam.maps import class_activation_map, grad_cam, last_conv_layer_name

__all__ = [
    "box_iou",
    "energy_inside",
    "box_iou_at_thresholds",
    "center_heatmaps",
    "class_activation_map",
    "grad_cam",
    "heatmap_box",
    "last_conv_layer_name",
    "normalize",
    "pointing_game",
    "random_heatmaps",
    "upsample",
]
