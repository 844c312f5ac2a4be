"""Gabor benchmark: texture accuracy against raw pixels, and spatial against FFT filtering time.

    .venv/bin/python benchmarks/bench_gabor.py

Prints (1) the held-out accuracy of a logistic regression on Gabor features and on raw pixels
for 32x32 patches of the three bundled textures (target: Gabor >= 95 %; the script exits with
status 1 below it) and (2) the time to filter a 512x512 image with a bank of 16 filters in the
spatial domain and with the FFT, as a ratio measured in this process (never asserted).
"""

from __future__ import annotations

import sys
import time

import numpy as np

from course_lib import data, gabor
from recorder import record

TARGET = 0.95
THETAS = np.arange(4) * np.pi / 4


def best_time(function, repeats: int = 2) -> float:
    """Best wall time of ``repeats`` calls, in seconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def texture_accuracy() -> tuple[float, float]:
    train, train_labels, names = data.texture_patches(32, 100, split="train", rng=0)
    test, test_labels, _ = data.texture_patches(32, 100, split="test", rng=1)
    bank = gabor.gabor_bank([0.1, 0.2, 0.3, 0.4], THETAS, 2.0)
    gabor_accuracy = gabor.texture_classifier(bank).fit(train, train_labels).score(test, test_labels)
    pixel_accuracy = gabor.texture_classifier(features="pixels").fit(train, train_labels).score(test, test_labels)
    print(f"textures {', '.join(names)}: {len(train)} train / {len(test)} test patches of 32x32")
    print(f"  held-out accuracy, Gabor features ({2 * len(bank)}): {gabor_accuracy:.3f} (target >= {TARGET})")
    print(f"  held-out accuracy, raw pixels (1024):   {pixel_accuracy:.3f}")
    return gabor_accuracy, pixel_accuracy


def filtering_speed() -> None:
    image = data.natural_images(split="test")["camera"]  # 512x512
    print(f"bank filtering of a {image.shape[0]}x{image.shape[1]} image with 16 filters (best of 2):")
    for sigma in (1.0, 2.0, 4.0):
        bank = gabor.gabor_bank([0.1, 0.2, 0.3, 0.4], THETAS, sigma)
        side = bank[0].kernel.shape[0]
        seconds = {
            method: best_time(lambda m=method: [gabor.response_magnitude(image, f, method=m) for f in bank])
            for method in ("spatial", "fft")
        }
        ratio = seconds["spatial"] / seconds["fft"]
        print(f"  sigma {sigma:g} (kernels {side}x{side}): spatial {seconds['spatial']:.3f} s, "
              f"FFT {seconds['fft']:.3f} s, spatial / FFT = {ratio:.1f}x")


def main() -> int:
    gabor_accuracy, _ = texture_accuracy()
    filtering_speed()
    if gabor_accuracy < TARGET:
        print(f"FAIL: Gabor accuracy {gabor_accuracy:.3f} is below the target {TARGET}")
        return 1
    print("Gabor accuracy target met")
    return 0


if __name__ == "__main__":
    sys.exit(record(main))
