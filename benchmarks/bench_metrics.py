"""Label-map metrics benchmark: course_lib.metrics against scikit-learn on a 512x512, 21-class map.

    .venv/bin/python benchmarks/bench_metrics.py

Times each label-map score of ``course_lib.metrics`` and its scikit-learn counterpart on the same
random 512x512 label maps with 21 classes (the PASCAL VOC count) in this process, and prints the
ratio ours / scikit-learn (target: at most 3, i.e. at most 3x slower; the script exits with
status 1 above it). The values are checked to agree first. Ratios, never wall times, are the result.
"""

from __future__ import annotations

import sys
import time
import warnings

import numpy as np
from sklearn import metrics as skmetrics

from course_lib import metrics
from recorder import record

TARGET = 3.0
SIZE, CLASSES = 512, 21


def best_time(function, repeats: int = 5) -> float:
    """Best wall time of ``repeats`` calls, in seconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    rng = np.random.default_rng(0)
    y_true = rng.integers(0, CLASSES, size=(SIZE, SIZE))
    y_pred = np.where(rng.random(y_true.shape) < 0.7, y_true, rng.integers(0, CLASSES, size=y_true.shape))
    flat_true, flat_pred = y_true.ravel(), y_pred.ravel()
    labels = list(range(CLASSES))
    pairs = {
        "confusion_matrix": (lambda: metrics.confusion_matrix(y_true, y_pred, num_classes=CLASSES),
                             lambda: skmetrics.confusion_matrix(flat_true, flat_pred, labels=labels)),
        "iou_per_class": (lambda: metrics.iou_per_class(y_true, y_pred, num_classes=CLASSES),
                          lambda: skmetrics.jaccard_score(flat_true, flat_pred, labels=labels, average=None)),
        "mean_iou": (lambda: metrics.mean_iou(y_true, y_pred),
                     lambda: skmetrics.jaccard_score(flat_true, flat_pred, average="macro")),
        "dice": (lambda: metrics.dice(y_true, y_pred),
                 lambda: skmetrics.f1_score(flat_true, flat_pred, average=None)),
        "balanced_error_rate": (lambda: metrics.balanced_error_rate(y_true, y_pred),
                                lambda: 1 - skmetrics.balanced_accuracy_score(flat_true, flat_pred)),
        "pixel_accuracy": (lambda: metrics.pixel_accuracy(y_true, y_pred),
                           lambda: skmetrics.accuracy_score(flat_true, flat_pred)),
    }
    failed = False
    print(f"{SIZE}x{SIZE} label maps, {CLASSES} classes; ratio = course_lib time / scikit-learn time (target <= {TARGET:g})")
    for name, (ours, theirs) in pairs.items():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if not np.allclose(ours(), theirs()):
                print(f"{name}: values differ from scikit-learn")
                failed = True
                continue
            ratio = best_time(ours) / best_time(theirs)
        verdict = "ok" if ratio <= TARGET else "TOO SLOW"
        failed |= ratio > TARGET
        print(f"{name:20s} {ratio:6.3f}x  {verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(record(main))
