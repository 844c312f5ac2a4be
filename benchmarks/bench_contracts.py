"""Fuzz every public course_lib function with the inputs students have, one bad argument per call (issue 22).

Each case is a function, a valid call, and for each argument the kinds of bad value a careless
student passes (an 8-bit image, a 0..255 float image, a ragged list, a negative seed, a huge
count, ...). Every call must end in a ``ValueError``/``TypeError`` whose message names the
argument. The script prints four counts (targets: 0, 0, 0, under 1%):

- silent: the call returned a result (a silently wrong answer);
- memory: the call allocated more than the memory limit (``tracemalloc`` peak), or hit the
  address-space cap this script sets (``MemoryError``);
- slow: the call ran past 20 s;
- leaked: the error was another type, or its message did not name the argument.

Deterministic: the inputs are fixed arrays, every seed is fixed. ``--numpy-only`` skips the Keras
cases (what ``tests/project/test_fuzz_contracts.py`` runs); ``--json`` prints the counts as JSON.

    python benchmarks/bench_contracts.py [--numpy-only] [--json] [--verbose]
"""

from __future__ import annotations

import argparse
import contextlib
import inspect
import io
import json
import os
import resource
import shutil
import signal
import sys
import tempfile
import time
import tracemalloc
import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from course_lib import config  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import contract_auto  # noqa: E402
from recorder import record  # noqa: E402

TIME_LIMIT_S = 20
GIB = 2**30

# --- valid inputs ---------------------------------------------------------------------------------
IMG = np.linspace(0.0, 1.0, 32 * 32).reshape(32, 32)
RGB = np.stack([IMG, IMG[::-1], IMG.T], axis=-1)
BATCH = np.stack([IMG] * 2)[..., None]  # (2, 32, 32, 1)
KERNEL = np.full((3, 3), 1 / 9)
HEATMAPS = np.stack([IMG, IMG[::-1]])  # (2, 32, 32)
MASKS = HEATMAPS > 0.5
BOXES = np.array([[2, 2, 10, 10], [4, 4, 20, 20]])

# --- bad values by kind ---------------------------------------------------------------------------
U8 = (IMG * 255).astype(np.uint8)
RAGGED = [[0.1, 0.2], [0.3]]
BAD = {
    # a 2-D image expected as float in [0, 1]
    "image": [U8, IMG * 255, RAGGED, "image.png", None, np.full((32, 32), np.nan)],
    "rgb": [RGB * 255, np.zeros((32, 32, 5)), RAGGED, None],  # uint8 is converted (documented), not refused
    # any numeric array
    "array": [RAGGED, "abc", None, [["a", "b"]]],
    "count": [-1, 0, 1.5, "3", 10**12],
    "count0": [-1, 1.5, "3", 10**12],  # counts where 0 is valid
    "seed": [-1, 2**40, 1.5, "0"],
    "positive": [-1.0, float("nan"), "x", float("inf")],
    "fraction": [-0.1, 1.5, float("nan"), "x"],
    "choice": ["nope", 3, None],
    "axis": [5, -5, 1.5, "x", None],
}
ZERO_D = np.array(0.5)  # a 0-d value where an array is expected (a scalar, or x[i, j] for x[i])

# label maps, logits and Lab colour (dense prediction and SGD)
LABEL_MAP = np.arange(64).reshape(8, 8) // 22  # classes 0..2
NAMES = ["background", "object", "edge"]
LOGITS = np.array([[2.0, 0.5, -1.0], [0.1, 0.2, 3.0], [1.0, 1.0, 1.0], [-2.0, 0.0, 2.0]])
CLASSES = np.array([0, 2, 1, 2])  # one label per row of LOGITS
FEATURES = np.column_stack([np.linspace(0.0, 1.0, 4), np.ones(4)])  # (4, 2), with a bias column
RGB_BATCH = RGB[None, :8, :8]  # (1, 8, 8, 3)


def _bad_labels(valid: np.ndarray) -> list:
    """Copies of a label array with one huge, non-integral or negative class, and the wrong kinds."""
    return contract_auto.bad_labels(valid, (1e300, 2.0**70, 2.5, -1)) + [ZERO_D, RAGGED, "abc", None]


def _bad_lab():
    """Bad lightness, (a, b) and probabilities: the classic Lab mistakes, 0-d values, wrong channels."""
    from course_lib import sgd
    from course_lib.segmentation import colour

    lightness, ab = colour.split_lab(RGB_BATCH)
    probabilities = sgd.softmax(np.arange(32.0).reshape(1, 4, 2, 4) / 10)  # over Q = 4 bins at 4 x 2 pixels
    return {
        "lightness": [lightness * 100, (lightness * 255).astype(np.uint8), ZERO_D, lightness[..., 0], RAGGED, None],
        "ab": [(ab + 128).astype(np.uint8), ab + 128, ab * 3, ZERO_D, ab[..., :1], RAGGED, None],
        "probabilities": [np.log(probabilities), (probabilities * 255).astype(np.uint8), probabilities * 0.5,
                          ZERO_D, RAGGED, None],
    }, lightness, ab, probabilities


def _cases():
    """(name, function, positional args, keyword args, {argument: [bad values]}), NumPy first."""
    from course_lib import autoencoders, batchnorm, cam, checks, conv, corruption, data, gabor, metrics, plotting, restoration
    from course_lib.restoration import baselines

    b = BAD
    cases = [
        ("conv.correlate2d", conv.correlate2d, ("image", "kernel"), {"image": IMG, "kernel": KERNEL, "padding": "same", "stride": 1},
         {"image": b["array"], "kernel": b["array"] + [np.ones((3, 3, 2))], "padding": ["nope", None, 1.5, -1, 10**6],
          "stride": b["count"][:4]}),
        ("conv.convolve2d", conv.convolve2d, ("image", "kernel"), {"image": IMG, "kernel": KERNEL},
         {"image": b["array"], "kernel": b["array"], "padding": ["nope", -1, 10**6], "stride": b["count"][:4]}),
        ("conv.conv2d", conv.conv2d, ("images", "kernels"), {"images": BATCH, "kernels": np.ones((3, 3, 1, 2))},
         {"images": b["array"] + [IMG], "kernels": b["array"] + [KERNEL], "padding": ["nope", -1, 10**6], "stride": b["count"][:4]}),
        ("conv.output_size", conv.output_size, ("size", "kernel_size"), {"size": 32, "kernel_size": 3},
         {"size": b["count"][:4], "kernel_size": b["count"][:4], "padding": ["nope", -1], "stride": b["count"][:4]}),
        ("conv.max_pool2d", conv.max_pool2d, ("image", "size"), {"image": IMG, "size": 2},
         {"image": b["array"], "size": b["count"], "stride": b["count"][:4]}),
        ("conv.avg_pool2d", conv.avg_pool2d, ("image", "size"), {"image": IMG, "size": 2},
         {"image": b["array"], "size": b["count"], "stride": b["count"][:4]}),
        ("conv.receptive_field", conv.receptive_field, ("kernel_sizes",), {"kernel_sizes": [3, 3]},
         {"kernel_sizes": [[-1], [1.5], "33", None, []], "strides": [[0, 1], [1.5, 1], [1]]}),
        ("conv.conv_matrix", conv.conv_matrix, ("input_shape", "kernel"), {"input_shape": (6, 6), "kernel": KERNEL},
         {"input_shape": [(1000, 1000), (-1, 4), "6x6", (1.5, 2)], "kernel": b["array"], "stride": b["count"][:4]}),
        ("conv.conv_transpose2d", conv.conv_transpose2d, ("feature_map", "kernel"), {"feature_map": np.ones((4, 4)), "kernel": KERNEL},
         {"feature_map": b["array"], "kernel": b["array"], "stride": b["count"]}),
        ("gabor.gabor_kernel", gabor.gabor_kernel, ("frequency",), {"frequency": 0.2},
         {"frequency": [0.0, -0.1, 0.75, 1e-9, "x", float("nan")], "sigma": [-1.0, 0.0, 1e9, "x"], "n_stds": b["positive"],
          "theta": ["x", float("nan")]}),
        ("gabor.grating", gabor.grating, ("shape", "frequency"), {"shape": (16, 16), "frequency": 0.1},
         {"shape": [(-1, 4), (10**6, 10**6), "16", (1.5, 2)], "frequency": [-0.1, 1.0, "x", float("nan")]}),
        ("gabor.gabor_bank", gabor.gabor_bank, ("frequencies", "thetas", "sigmas"), {"frequencies": [0.2], "thetas": [0.0], "sigmas": [2.0]},
         {"frequencies": [[0.9], [-1.0], "x"], "sigmas": [[-1.0], ["x"]]}),
        ("gabor.response_magnitude", gabor.response_magnitude, ("image", "kernel"), {"image": IMG, "kernel": KERNEL},
         {"image": b["array"], "kernel": b["array"], "method": b["choice"]}),
        ("corruption.add_gaussian_noise", corruption.add_gaussian_noise, ("image", "sigma"), {"image": IMG, "sigma": 0.1, "rng": 0},
         {"image": b["image"], "sigma": b["positive"], "rng": b["seed"]}),
        ("corruption.salt_and_pepper", corruption.salt_and_pepper, ("image", "amount"), {"image": IMG, "amount": 0.1, "rng": 0},
         {"image": b["image"], "amount": b["fraction"], "rng": b["seed"]}),
        ("corruption.poisson_noise", corruption.poisson_noise, ("image", "peak"), {"image": IMG, "peak": 5.0, "rng": 0},
         {"image": b["image"], "peak": b["positive"] + [0.0], "rng": b["seed"]}),
        ("corruption.block_dropout", corruption.block_dropout, ("image", "block_size", "fraction"),
         {"image": IMG, "block_size": 4, "fraction": 0.3, "rng": 0},
         {"image": b["image"], "block_size": b["count"][:4], "fraction": b["fraction"], "rng": b["seed"]}),
        ("corruption.motion_blur_kernel", corruption.motion_blur_kernel, ("length", "angle"), {"length": 5, "angle": 30.0},
         {"length": b["count"], "angle": ["x", float("nan"), None]}),
        ("corruption.blur", corruption.blur, ("image", "kernel"), {"image": IMG, "kernel": KERNEL, "mode": "reflect"},
         {"image": b["array"], "kernel": b["array"], "mode": b["choice"]}),
        ("restoration.corrupt", restoration.corrupt, ("image", "task"), {"image": IMG, "task": "deblur", "rng": 0},
         {"image": b["image"], "task": b["choice"], "rng": b["seed"], "length": [-1, "abc", 10**6], "noise": b["positive"]}),
        ("restoration.corrupt[denoise]", restoration.corrupt, ("image", "task"), {"image": IMG, "task": "denoise", "rng": 0},
         {"image": b["image"], "sigma": b["positive"], "length": ["abc", 5]}),
        ("restoration.extract_patches", restoration.extract_patches, ("image", "patch_size"), {"image": IMG, "patch_size": 8, "stride": 4},
         {"image": b["array"], "patch_size": b["count"], "stride": b["count"]}),
        ("restoration.average_patches", restoration.average_patches, ("patches", "corners", "shape"),
         {"patches": np.ones((1, 4, 4)), "corners": [(0, 0)], "shape": (4, 4)},
         {"patches": b["array"], "corners": [[(0.5, 0)], [(9, 9)], RAGGED], "shape": [(10**6, 10**6), (-1, 4), "4x4"]}),
        ("restoration.compare", restoration.compare, ("clean", "corrupted", "methods"), {"clean": IMG, "corrupted": IMG, "methods": {}},
         {"clean": b["image"], "corrupted": [U8, IMG * 255, RAGGED, None], "repeat": b["count"][:4]}),
        ("restoration.evaluate", restoration.evaluate, ("images", "task", "methods"),
         {"images": {"a": IMG}, "task": "denoise", "methods": {}, "sigma": 0.1},
         {"images": [{"a": U8}, {"a": IMG * 255}, [IMG], {}], "task": b["choice"], "rng": [-1, 1.5]}),
        ("baselines.wiener_deblur", baselines.wiener_deblur, ("image", "kernel"), {"image": IMG, "kernel": KERNEL},
         {"image": b["image"], "kernel": b["array"] + [np.zeros((3, 3))], "balance": b["positive"] + [0.0]}),
        ("baselines.richardson_lucy_deblur", baselines.richardson_lucy_deblur, ("image", "kernel"), {"image": IMG, "kernel": KERNEL},
         {"image": b["image"], "kernel": b["array"] + [KERNEL - 0.2, np.zeros((3, 3))], "iterations": b["count"]}),
        ("baselines.tv_denoise", baselines.tv_denoise, ("image",), {"image": IMG},
         {"image": b["image"], "weight": [-1.0, "x", float("nan")]}),
        ("baselines.estimate_sigma", baselines.estimate_sigma, ("image",), {"image": IMG}, {"image": b["image"]}),
        ("metrics.psnr", metrics.psnr, ("reference", "image"), {"reference": IMG, "image": IMG * 0.9},
         {"reference": b["image"], "image": b["image"], "data_range": [0.0, -1.0, "1", 255.0], "border": b["count0"]}),
        ("metrics.ssim", metrics.ssim, ("reference", "image"), {"reference": IMG, "image": IMG * 0.9},
         {"reference": b["image"], "image": b["image"], "data_range": [0.0, -1.0, "1", 255.0], "border": b["count0"]}),
        ("metrics.psnr_batch", metrics.psnr_batch, ("references", "images"), {"references": BATCH, "images": BATCH * 0.9},
         {"references": [(BATCH * 255).astype(np.uint8), BATCH * 255, RAGGED], "images": [BATCH * 255, None]}),
        ("metrics.ssim_batch", metrics.ssim_batch, ("references", "images"), {"references": BATCH, "images": BATCH * 0.9},
         {"references": [(BATCH * 255).astype(np.uint8), BATCH * 255, RAGGED], "images": [BATCH * 255, None]}),
        ("cam.normalize", cam.normalize, ("maps",), {"maps": HEATMAPS}, {"maps": b["array"] + [IMG]}),
        ("cam.upsample", cam.upsample, ("heatmaps", "size"), {"heatmaps": HEATMAPS, "size": 64},
         {"heatmaps": b["array"] + [IMG], "size": b["count"] + [(10**5, 10**5)]}),
        ("cam.box_iou", cam.box_iou, ("boxes_a", "boxes_b"), {"boxes_a": BOXES, "boxes_b": BOXES},
         {"boxes_a": b["array"] + [np.tile([0, 0, 2, 2], (3, 1)), [0, 0, 2]], "boxes_b": [[1, 1, 0, 0]]}),
        ("cam.heatmap_box", cam.heatmap_box, ("heatmap",), {"heatmap": IMG},
         {"heatmap": b["array"], "threshold": b["fraction"]}),
        ("cam.pointing_game", cam.pointing_game, ("heatmaps", "masks"), {"heatmaps": HEATMAPS, "masks": MASKS},
         {"heatmaps": b["array"], "masks": b["array"] + [MASKS[:1]], "tolerance": [-1.0, "x"]}),
        ("cam.box_iou_at_thresholds", cam.box_iou_at_thresholds, ("heatmaps", "boxes"), {"heatmaps": HEATMAPS, "boxes": BOXES},
         {"heatmaps": b["array"], "boxes": b["array"] + [BOXES[:1]], "thresholds": [[], [1.5], ["x"]]}),
        ("cam.center_heatmaps", cam.center_heatmaps, ("n", "size"), {"n": 2, "size": 16},
         {"n": b["count"], "size": b["count"] + [(10**5, 10**5)], "sigma": b["positive"]}),
        ("cam.random_heatmaps", cam.random_heatmaps, ("n", "size"), {"n": 2, "size": 16, "rng": 0},
         {"n": b["count"], "size": b["count"], "rng": b["seed"]}),
        ("batchnorm.batchnorm_forward", batchnorm.batchnorm_forward, ("x", "gamma", "beta"),
         {"x": np.ones((4, 3)), "gamma": np.ones(3), "beta": np.zeros(3)},
         {"x": b["array"], "gamma": b["array"] + [np.ones(2)], "beta": b["array"] + [np.ones(2)], "mode": b["choice"]}),
        ("batchnorm.numerical_gradient", batchnorm.numerical_gradient, ("function", "x"), {"function": np.sum, "x": np.ones(3)},
         {"function": [None, "sum"], "x": b["array"] + [np.ones((1000, 1000))], "step": b["positive"]}),
        ("batchnorm.relative_error", batchnorm.relative_error, ("a", "b"), {"a": np.ones(3), "b": np.ones(3)},
         {"a": b["array"] + [np.ones(2)], "b": b["array"]}),
        ("autoencoders.transposed_overlap", autoencoders.transposed_overlap, ("kernel_size", "stride"), {"kernel_size": 3, "stride": 2},
         {"kernel_size": b["count"], "stride": b["count"], "input_size": b["count"]}),
        ("autoencoders.checkerboard_strength", autoencoders.checkerboard_strength, ("images",), {"images": BATCH[..., 0]},
         {"images": b["array"], "border": b["count0"]}),
        ("data.shapes", data.shapes, ("n",), {"n": 4, "rng": 0},
         {"n": b["count"], "size": b["count"], "rng": b["seed"]}),
        ("data.texture_patches", data.texture_patches, (), {"patch_size": 16, "n_per_class": 2},
         {"patch_size": b["count"], "n_per_class": b["count"], "split": b["choice"], "rng": b["seed"]}),
        ("data.mnist_subset", data.mnist_subset, (), {}, {"split": b["choice"], "rng": b["seed"]}),
        ("data.offline_cifar10", data.offline_cifar10, (), {}, {"split": b["choice"], "rng": b["seed"]}),
        ("data.natural_images", data.natural_images, (), {}, {"split": b["choice"]}),
        ("batchnorm.epochs_to_target", batchnorm.epochs_to_target, ("values", "target"), {"values": [0.5, 0.9], "target": 0.8},
         {"values": b["array"], "target": b["positive"][1:]}),
        ("autoencoders.trace_sizes", autoencoders.trace_sizes, ("size", "layers"), {"size": 28, "layers": [("conv", 3, 2, "same")]},
         {"size": b["count"][:4], "layers": [None, "conv", [("nope", 3)], [("conv", -1, 1, "same")]]}),
        ("plotting.symmetric_limits", plotting.symmetric_limits, ("values",), {"values": IMG},
         {"values": b["array"], "percentile": [0.0, 101.0, "x"]}),
        ("plotting.show_kernel", plotting.show_kernel, ("kernel",), {"kernel": KERNEL}, {"kernel": b["array"] + [np.ones((3, 3, 2))]}),
        ("plotting.show_images", plotting.show_images, ("images",), {"images": BATCH},
         {"images": [BATCH * 255 * np.ones((1, 1, 1, 3)), [], [RAGGED]], "columns": b["count"][:4]}),
        ("plotting.cnn.show_feature_maps", plotting.cnn.show_feature_maps, ("feature_map",), {"feature_map": BATCH[0]},
         {"feature_map": b["array"], "max_maps": b["count"][:4], "columns": b["count"][:4]}),
        ("plotting.cnn.plot_confusion_matrix", plotting.cnn.plot_confusion_matrix, ("labels", "predictions"),
         {"labels": [0, 1, 1], "predictions": [0, 1, 0]},
         {"labels": [[0, 5.7, 1], [0, -1, 1], [0, 10**9, 1], RAGGED], "predictions": [[0, 1.5, 1], [0, 1]]}),
        ("plotting.restoration.show_difference", plotting.restoration.show_difference, ("first", "second"),
         {"first": IMG, "second": IMG}, {"first": b["array"], "second": b["array"] + [IMG[:4]]}),
        ("plotting.conv.show_correlation_step", plotting.conv.show_correlation_step, ("image", "kernel", "position"),
         {"image": IMG[:6, :6], "kernel": KERNEL, "position": 0},
         {"image": b["array"], "kernel": b["array"], "position": [-1, 10**6, 1.5], "padding": ["nope", -1]}),
        ("plotting.conv.show_pooling", plotting.conv.show_pooling, ("image",), {"image": IMG[:6, :6]},
         {"image": b["array"], "size": b["count"]}),
        ("plotting.show_image", plotting.show_image, ("image",), {"image": RGB}, {"image": b["rgb"]}),
        ("plotting.cam.overlay", plotting.cam.overlay, ("image", "heatmap"), {"image": RGB, "heatmap": IMG, "colorbar": False},
         {"image": b["rgb"] + [IMG * 255], "heatmap": b["array"] + [np.ones((4, 4))], "alpha": b["fraction"]}),
    ]
    return cases


def _dense_cases():
    """Label metrics, SGD, segmentation and colourisation: huge and non-integral labels, Lab ranges, 0-d inputs."""
    from course_lib import gabor, metrics, plotting, segmentation, sgd
    from course_lib.segmentation import colour

    b = BAD
    lab, lightness, ab, probabilities = _bad_lab()
    centres = colour.ab_bins(110.0)
    maps = {"y_true": LABEL_MAP, "y_pred": LABEL_MAP.T.copy()}
    bad_maps = {name: _bad_labels(value) + [value[:4]] for name, value in maps.items()}
    cases = [(f"metrics.{function.__name__}", function, ("y_true", "y_pred"), {**maps, "num_classes": 3},
              {**bad_maps, "num_classes": [0, -1, 1.5, "3", 10**6, 2]})
             for function in (metrics.confusion_matrix, metrics.iou_per_class, metrics.mean_iou, metrics.dice,
                              metrics.segmentation_accuracy, metrics.balanced_error_rate)]
    bad_logits = b["array"] + [ZERO_D]
    problem = {"weights": np.zeros((2, 3)), "features": FEATURES, "labels": CLASSES}
    bad_problem = {"weights": b["array"] + [ZERO_D, np.zeros((3, 3))], "features": b["array"] + [ZERO_D, FEATURES[0]],
                   "labels": _bad_labels(CLASSES) + [np.eye(3)[CLASSES], [0, 1, 2, 3]]}
    masks = LABEL_MAP[None]
    cases += [
        ("metrics.pixel_accuracy", metrics.pixel_accuracy, ("y_true", "y_pred"), maps, bad_maps),
        ("sgd.logsumexp", sgd.logsumexp, ("logits",), {"logits": LOGITS, "axis": -1}, {"logits": bad_logits, "axis": b["axis"]}),
        ("sgd.softmax", sgd.softmax, ("logits",), {"logits": LOGITS, "axis": 0}, {"logits": bad_logits, "axis": b["axis"]}),
        ("sgd.softmax_cross_entropy", sgd.softmax_cross_entropy, ("logits", "labels"), {"logits": LOGITS, "labels": CLASSES},
         {"logits": bad_logits + [LOGITS[0]], "labels": bad_problem["labels"]}),
        ("sgd.zero_one_loss", sgd.zero_one_loss, ("logits", "labels"), {"logits": LOGITS, "labels": CLASSES},
         {"logits": bad_logits + [LOGITS[0]], "labels": bad_problem["labels"]}),
        ("sgd.with_bias", sgd.with_bias, ("features",), {"features": FEATURES}, {"features": b["array"] + [ZERO_D, np.ones(3)]}),
        ("sgd.softmax_regression_loss", sgd.softmax_regression_loss, ("weights", "features", "labels"), problem,
         {**bad_problem, "weight_decay": [-1.0, float("nan"), "x"]}),
        ("sgd.sgd_step", sgd.sgd_step, ("weights", "gradient"), {"weights": np.ones(3), "gradient": np.ones(3), "learning_rate": 0.1},
         {"weights": b["array"] + [ZERO_D], "gradient": b["array"] + [np.ones(2)], "learning_rate": b["positive"],
          "weight_decay": [-1.0, float("nan"), "x"]}),
        ("sgd.batch_indices", sgd.batch_indices, ("n", "batch_size"), {"n": 10, "batch_size": 4, "rng": 0},
         {"n": b["count"][:4], "batch_size": b["count"] + [11], "rng": b["seed"]}),  # n=10**12 is a valid population
        ("sgd.predict", sgd.predict, ("weights", "features"), {"weights": np.zeros((2, 3)), "features": FEATURES},
         {"weights": bad_problem["weights"], "features": bad_problem["features"]}),
        ("sgd.run_sgd", sgd.run_sgd, ("features", "labels"),
         {"features": FEATURES, "labels": CLASSES, "learning_rates": np.full(5, 0.1), "batch_size": 2},
         {"features": bad_problem["features"], "labels": bad_problem["labels"][:-2],
          "learning_rates": [[-0.1], RAGGED, "abc", None, ZERO_D], "batch_size": b["count"] + [5],
          "weight_decay": [-1.0, float("nan")], "momentum": [-0.1, 1.0, float("nan"), "x"],
          "weights": ["abc", ZERO_D, np.zeros((3, 3))], "rng": b["seed"], "record_every": b["count"][:4]}),
        ("sgd.gradient_spread", sgd.gradient_spread, ("features", "labels", "weights"),
         {**problem, "batch_sizes": [1, 4], "repeats": 2, "rng": 0},
         {**bad_problem, "batch_sizes": [[0], [5], "abc", [1.5], None, []], "repeats": b["count"] + [1], "rng": b["seed"]}),
        ("sgd.learning_rates", sgd.learning_rates, ("base_rate", "steps"), {"base_rate": 0.1, "steps": 10},
         {"base_rate": b["positive"] + [0.0], "steps": b["count"], "schedule": b["choice"], "drop": [0.0, 1.5, "x"],
          "drop_every": b["count"][:4], "final_rate": [-0.1, 1.0, "x"]}),
        ("segmentation.texture_scenes", segmentation.texture_scenes, ("n",), {"n": 2, "size": 16, "rng": 0},
         {"n": b["count"], "size": b["count"] + [200], "split": b["choice"], "max_objects": b["count"],
          "object_radius": [(0.3, 0.1), (0, 0.2), "ab", (0.1,), (0.1, 0.9)], "rng": b["seed"]}),
        ("segmentation.boundary_band", segmentation.boundary_band, ("masks",), {"masks": LABEL_MAP, "width": 1},
         {"masks": _bad_labels(LABEL_MAP), "width": b["count"][:4]}),
        ("segmentation.pixel_features", segmentation.pixel_features, ("images", "bank"),
         {"images": IMG[None, :8, :8], "bank": gabor.gabor_bank(0.25, [0.0], 2.0), "smooth": 1.0},
         {"images": [IMG[None] * 255, RAGGED, None, ZERO_D], "bank": [None, [], "abc"], "smooth": [-1.0, float("nan"), "x"]}),
        ("segmentation.sample_pixels", segmentation.sample_pixels, ("features", "masks", "n"),
         {"features": np.zeros((1, 8, 8, 3)), "masks": masks, "n": 5, "rng": 0},
         {"features": b["array"] + [ZERO_D], "masks": _bad_labels(masks), "n": b["count"][:4], "rng": b["seed"]}),  # more: all
        ("segmentation.oxford_pets", segmentation.oxford_pets, ("n",), {"n": 2, "size": 16, "rng": 0},  # offline: checked before I/O
         {"n": b["count"], "size": b["count"] + [10**6], "split": b["choice"], "rng": b["seed"] + ["abc"]}),
        ("segmentation.segmentation_set", segmentation.segmentation_set, ("n",), {"n": 2, "size": 16, "rng": 0},
         {"n": b["count"], "size": b["count"], "split": b["choice"], "rng": b["seed"] + ["abc"]}),
        ("segmentation.colour.colour_patches", colour.colour_patches, ("n",), {"n": 2, "size": 16, "split": "test", "rng": 0},
         {"n": b["count"], "size": b["count"] + [1000], "split": b["choice"], "scale": [0.0, 0.01, 1.5, float("nan"), "x"],
          "rng": b["seed"]}),
        ("segmentation.colour.split_lab", colour.split_lab, ("images",), {"images": RGB_BATCH},
         {"images": [RGB_BATCH * 255, (RGB_BATCH * 255).astype(np.uint8), RAGGED, None, ZERO_D, RGB_BATCH[..., :2]]}),
        ("segmentation.colour.join_lab", colour.join_lab, ("lightness", "ab"), {"lightness": lightness, "ab": ab},
         {"lightness": lab["lightness"], "ab": lab["ab"]}),
        ("segmentation.colour.chroma", colour.chroma, ("ab",), {"ab": ab}, {"ab": lab["ab"]}),
        ("segmentation.colour.ab_bins", colour.ab_bins, (), {"step": 10.0}, {"step": [0.5, 200.0, float("nan"), "x", None]}),
        ("segmentation.colour.quantize_ab", colour.quantize_ab, ("ab", "centres"), {"ab": ab, "centres": centres},
         {"ab": lab["ab"], "centres": b["array"] + [ZERO_D, np.ones((4, 3))]}),
        ("segmentation.colour.rebalance_weights", colour.rebalance_weights, ("bins", "num_bins"),
         {"bins": [0, 1, 2, 3, 3], "num_bins": 4, "mix": 0.5},
         {"bins": _bad_labels(np.array([0, 1, 2, 3])) + [np.array(5)], "num_bins": b["count"] + [2], "mix": b["fraction"]}),
        ("segmentation.colour.decode_ab", colour.decode_ab, ("probabilities", "centres"),
         {"probabilities": probabilities, "centres": centres},
         {"probabilities": lab["probabilities"], "centres": [np.ones((4, 3)), ZERO_D, RAGGED, centres * 3],
          "temperature": [0.0, 2.0, float("nan"), "x"]}),
        ("plotting.segmentation.show_labels", plotting.segmentation.show_labels, ("mask", "class_names"),
         {"mask": LABEL_MAP, "class_names": NAMES},
         {"mask": [LABEL_MAP + 3, LABEL_MAP - 1, LABEL_MAP * 1.0, ZERO_D, RAGGED], "class_names": ["abc", None, NAMES[:2]]}),
        ("plotting.segmentation.show_overlay", plotting.segmentation.show_overlay, ("image", "mask", "class_names"),
         {"image": IMG[:8, :8], "mask": LABEL_MAP, "class_names": NAMES},
         {"image": [RAGGED, None, ZERO_D, IMG], "mask": [LABEL_MAP + 3, LABEL_MAP - 1, LABEL_MAP * 1.0, ZERO_D],
          "class_names": ["abc", None, NAMES[:2]], "opacity": b["fraction"]}),
        ("plotting.segmentation.show_segmentation", plotting.segmentation.show_segmentation,
         ("images", "masks", "predictions", "class_names"),
         {"images": IMG[None, :8, :8], "masks": masks, "predictions": masks, "class_names": NAMES, "n": 1},
         {"images": [IMG[None, :8, :8] * 255, RAGGED, None, ZERO_D], "masks": [masks + 3, masks - 1, masks * 1.0, ZERO_D],
          "predictions": [masks + 3, masks * 1.0, LABEL_MAP], "class_names": [NAMES[:2], "abc"], "n": b["count"][:4]}),
    ]
    return cases


def _keras_cases():
    from course_lib import autoencoders, cnn, restoration

    b = BAD
    return [
        ("cnn.conv2d_param_count", cnn.conv2d_param_count, ("kernel_size", "in_channels", "filters"),
         {"kernel_size": 3, "in_channels": 1, "filters": 8},
         {"kernel_size": b["count"][:4], "in_channels": b["count"][:4], "filters": b["count"][:4]}),
        ("cnn.small_convnet", cnn.small_convnet, ("input_shape",), {"input_shape": (16, 16, 1)},
         {"input_shape": [(0, 16, 1), (10**6, 10**6, 1), "16"], "filters": [[10**9], [-1], ["8"]], "seed": b["seed"],
          "num_classes": [1, 1.5, 10**12]}),
        ("cnn.deep_net", cnn.deep_net, (), {"depth": 4},
         {"depth": [1, 1.5, 10**9], "width": [0, 10**9, "8"], "seed": b["seed"]}),
        ("cnn.small_resnet", cnn.small_resnet, (), {},
         {"blocks_per_stage": [0, 10**9, "2"], "filters": [[10**9], [0]], "seed": b["seed"]}),
        ("autoencoders.build_autoencoder", autoencoders.build_autoencoder, ("input_shape",), {"input_shape": (16, 16, 1)},
         {"input_shape": [(0, 16, 1), (10**6, 16, 1)], "filters": [[10**9], [0]], "seed": b["seed"]}),
        ("autoencoders.NoisyDigits", autoencoders.NoisyDigits, ("clean", "corrupt"), {"clean": BATCH, "corrupt": autoencoders.corrupt_mixed},
         {"clean": [(BATCH * 255).astype(np.uint8), BATCH * 255, [[1.0]], RAGGED], "corrupt": [None, "gauss"],
          "batch_size": b["count"][:4], "seed": b["seed"]}),
        ("restoration.build_model", restoration.build_model, (), {"blocks": 1, "channels": 4},
         {"blocks": [-1, 10**9, "2"], "channels": [0, 10**9], "seed": b["seed"]}),
        ("restoration.recipe_settings", restoration.recipe_settings, ("recipe",), {"recipe": "quick"},
         {"recipe": b["choice"], "epochs": [-5, 0, "3", 10**9], "learning_rate": [-1.0, 0.0, "x", float("nan")],
          "channels": [10**9], "blocks": [10**9]}),
        ("autoencoders.load_pretrained", autoencoders.load_pretrained, ("name",), {"name": "denoiser"},
         {"name": ["nope", 3, None]}),
        ("autoencoders.pretrained_record", autoencoders.pretrained_record, ("name",), {"name": "denoiser"},
         {"name": ["nope", 3, None]}),
        ("restoration.PatchDataset", restoration.PatchDataset, ("images", "task"), {"images": [IMG], "task": "denoise", "patch_size": 8},
         {"images": [[U8], [IMG * 255], [], [RAGGED]], "task": b["choice"], "patch_size": b["count"][:4], "seed": b["seed"]}),
    ]


class _Timeout(Exception):
    pass


def _alarm(signum, frame):
    raise _Timeout()


def _outcome(function, args, kwargs, argument) -> str:
    limit = config.memory_limit_gib() * GIB
    signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(TIME_LIMIT_S)
    tracemalloc.start()
    try:
        with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
            warnings.simplefilter("ignore")
            function(*args, **kwargs)
        result = "silent"
    except _Timeout:
        result = "slow"
    except MemoryError:
        result = "memory"
    except FileNotFoundError:  # names the missing file itself: a clear message
        result = "clear"
    except (ValueError, TypeError) as error:
        result = "clear" if argument in str(error) else "leaked"
    except Exception:  # anything else leaks a third-party message
        result = "leaked"
    finally:
        signal.alarm(0)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        plt.close("all")
    if peak > limit and result != "slow":
        result = "memory"
    return result


def run(cases, *, verbose: bool = False) -> dict:
    """Call every case once per bad value; return the counts and the offending calls."""
    counts = {"calls": 0, "clear": 0, "accepted": 0, "silent": 0, "memory": 0, "slow": 0, "leaked": 0}
    problems, tracked = [], []
    for name, function, positional, valid, bad in cases:
        for argument, values in bad.items():
            for value in values:
                kwargs = {**valid, argument: value}
                if isinstance(positional, inspect.Signature):  # a case made from the function's Examples
                    bound = inspect.BoundArguments(positional, kwargs)
                    args, kwargs = bound.args, bound.kwargs
                else:
                    args = [kwargs.pop(p) for p in positional]
                result = _outcome(function, args, kwargs, argument)
                counts["calls"] += 1
                if result != "clear":
                    problem = f"{result}: {name}({argument}={_short(value)})"
                    verdict = contract_auto.classify(problem)
                    if verdict == "accepted":
                        result = "accepted"
                    elif verdict == "tracked":
                        tracked.append(problem)
                    else:
                        problems.append(problem)
                    if verbose:
                        print(problem, verdict, flush=True)
                counts[result] += 1
    counts["problems"] = problems
    counts["tracked"] = tracked
    return counts


def _short(value) -> str:
    if isinstance(value, np.ndarray):
        return f"<{value.dtype} array {value.shape}>"
    text = repr(value)
    return text if len(text) < 40 else text[:37] + "..."


def _cap_address_space(extra_gib: float) -> None:
    """Cap the address space so that an unguarded giant allocation fails fast (MemoryError)."""
    with open("/proc/self/status") as status:
        size_kib = next(int(line.split()[1]) for line in status if line.startswith("VmSize"))
    cap = size_kib * 1024 + int(extra_gib * GIB)
    resource.setrlimit(resource.RLIMIT_AS, (cap, resource.RLIM_INFINITY))


def _coverage(options) -> int:
    """Every public function (Keras ones included) has a hand case, a call in its Examples, or a reason."""
    public = contract_auto.public_functions()
    hand = {f"{case[1].__module__}.{case[1].__qualname__}" for case in _cases() + _dense_cases() + _keras_cases()}
    uncovered = {key: why for key, (_, value) in public.items()
                 if key not in hand and key not in contract_auto.EXCLUDED and contract_auto.takes_arguments(value)
                 and (why := contract_auto.why_not_fuzzable(value))}
    counts = {"public": len(public), "hand": len(hand & set(public)), "uncovered": uncovered}
    print(json.dumps(counts) if options.json else "\n".join(f"{k}: {v}" for k, v in uncovered.items()) or "all covered")
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--numpy-only", action="store_true", help="skip the Keras cases")
    parser.add_argument("--json", action="store_true", help="print the counts as JSON")
    parser.add_argument("--verbose", action="store_true", help="print every call that did not end in a clear error")
    parser.add_argument("--coverage", action="store_true",
                        help="only list the public functions (Keras included) that are neither fuzzed nor excluded")
    options = parser.parse_args(argv)
    if options.coverage:
        return _coverage(options)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    # Nothing may touch the network, the user's cache or the working tree: the file functions are
    # fuzzed too (a path "abc"), so everything runs in a temporary folder with its own cache.
    workdir = tempfile.mkdtemp(prefix="bench-contracts-")
    os.chdir(workdir)
    os.environ["COURSE_DATA_CACHE"] = os.path.join(workdir, "cache")
    os.environ["COURSE_DATA_BASE_URL"] = "http://127.0.0.1:9/"  # the discard port: a download fails at once
    os.environ["COURSE_DATA"] = "offline"
    setup_start = time.perf_counter()
    cases = _cases() + _dense_cases()
    if not options.numpy_only:
        cases += _keras_cases()
    public = contract_auto.public_functions(numpy_only=options.numpy_only)
    hand = {f"{case[1].__module__}.{case[1].__qualname__}" for case in cases}
    automatic, uncovered = contract_auto.doctest_cases(public, hand)
    cases += automatic
    setup_seconds = time.perf_counter() - setup_start
    _cap_address_space(extra_gib=3 * config.memory_limit_gib() + (0 if options.numpy_only else 4))
    start = time.perf_counter()
    counts = run(cases, verbose=options.verbose)
    counts["functions"] = len({f"{case[1].__module__}.{case[1].__qualname__}" for case in cases})
    counts["public"] = len(public)
    counts["excluded"] = len(set(public) & set(contract_auto.EXCLUDED))
    counts["no_arguments"] = sum(not contract_auto.takes_arguments(value) for key, (_, value) in public.items()
                                 if key not in contract_auto.EXCLUDED)
    counts["uncovered"] = uncovered
    counts["seconds"] = round(time.perf_counter() - start, 1)
    counts["setup_seconds"] = round(setup_seconds, 1)
    shutil.rmtree(workdir, ignore_errors=True)
    counts["leaked_percent"] = round(100 * counts["leaked"] / max(counts["calls"], 1), 2)
    if options.json:
        print(json.dumps(counts))
        return 0
    print(f"{counts['public']} public functions: {counts['functions']} fuzzed, {counts['no_arguments']} take no arguments, "
          f"{counts['excluded']} excluded with a reason, {len(uncovered)} neither")
    for key, why in uncovered.items():
        print("   not fuzzed:", key, "-", why)
    print(f"{counts['calls']} calls with one bad argument, {counts['seconds']} s")
    print(f"silent wrong results:        {counts['silent']}  (target 0)")
    print(f"allocations above the limit: {counts['memory']}  (target 0)")
    print(f"runs past {TIME_LIMIT_S} s:              {counts['slow']}  (target 0)")
    print(f"third-party messages leaked: {counts['leaked']} = {counts['leaked_percent']}%  (target < 1%)")
    print(f"accepted on purpose (contract_auto.ACCEPTED): {counts['accepted']}")
    print(f"of the problems above, in the instructors' tools (contract_auto.TRACKED_PREFIXES): {len(counts['tracked'])}")
    for problem in counts["problems"]:
        print("  ", problem)
    for problem in counts["tracked"]:
        print("   tracked", problem)
    return 0


if __name__ == "__main__":
    sys.exit(record(main))
