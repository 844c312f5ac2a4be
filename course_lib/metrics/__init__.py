"""Image quality (PSNR, SSIM) and label-map scores (accuracy, IoU, Dice, balanced error, box IoU).

- ``image``: :func:`psnr`, :func:`ssim`, :func:`psnr_batch`, :func:`ssim_batch` (scikit-image
  with the two choices that change the numbers, ``data_range`` and ``border``, always explicit).
- ``labels``: :func:`confusion_matrix`, :func:`pixel_accuracy`, :func:`segmentation_accuracy`,
  :func:`iou_per_class`, :func:`mean_iou`, :func:`dice`, :func:`balanced_error_rate` on label
  maps.
- ``boxes``: :func:`box_iou` (object detection boxes).

Every public name is importable as ``course_lib.metrics.<name>``. NumPy and scikit-image only.
"""

from course_lib.metrics.boxes import box_iou
from course_lib.metrics.image import RANGE_TOLERANCE, SSIM_WINDOW, psnr, psnr_batch, ssim, ssim_batch
from course_lib.metrics.labels import (
    balanced_error_rate,
    confusion_matrix,
    dice,
    iou_per_class,
    mean_iou,
    pixel_accuracy,
    segmentation_accuracy,
)

__all__ = ["RANGE_TOLERANCE", "SSIM_WINDOW", "balanced_error_rate", "box_iou", "confusion_matrix", "dice",
           "iou_per_class", "mean_iou", "pixel_accuracy", "psnr", "psnr_batch", "segmentation_accuracy", "ssim",
           "ssim_batch"]
