"""Speed of course_lib.conv.correlate2d against scipy.signal.correlate2d and the naive loop.

    .venv/bin/python benchmarks/bench_conv.py

A 512x512 image with 3x3, 5x5 and 7x7 kernels ('valid' padding). Times are the best of
several repeats, measured in this process; the table prints ratios (course_lib / scipy and
naive loop / course_lib). Target: course_lib within 5x of scipy. The naive loop is timed on a
128x128 crop and scaled by the number of output pixels, since a full run takes minutes.
"""

from __future__ import annotations

import timeit

import numpy as np
from scipy import signal

from course_lib import conv
from recorder import record

TARGET = 5.0


def naive_loop(image: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """The chapter's readable loop: one Python iteration per output pixel."""
    kh, kw = kernel.shape
    out = np.zeros((image.shape[0] - kh + 1, image.shape[1] - kw + 1))
    for r in range(out.shape[0]):
        for c in range(out.shape[1]):
            out[r, c] = np.sum(image[r : r + kh, c : c + kw] * kernel)
    return out


def best_time(function, repeat: int = 5, number: int = 3) -> float:
    """Best time per call, in seconds."""
    return min(timeit.repeat(function, repeat=repeat, number=number)) / number


def main() -> int:
    rng = np.random.default_rng(0)
    image = rng.random((512, 512))
    crop = image[:128, :128]
    print(f"{'kernel':>7} {'course_lib ms':>14} {'scipy ms':>9} {'course_lib/scipy':>17} {'naive/course_lib':>17}")
    worst = 0.0
    for size in (3, 5, 7):
        kernel = rng.random((size, size))
        ours = best_time(lambda: conv.correlate2d(image, kernel))
        reference = best_time(lambda: signal.correlate2d(image, kernel, mode="valid"))
        naive_crop = best_time(lambda: naive_loop(crop, kernel), repeat=2, number=1)
        scale = ((512 - size + 1) / (128 - size + 1)) ** 2
        naive = naive_crop * scale
        np.testing.assert_allclose(conv.correlate2d(image, kernel), signal.correlate2d(image, kernel, mode="valid"), atol=1e-10)
        ratio = ours / reference
        worst = max(worst, ratio)
        print(f"{size}x{size:<5} {ours * 1e3:14.2f} {reference * 1e3:9.2f} {ratio:17.2f} {naive / ours:17.0f}")
    verdict = "meets" if worst <= TARGET else "MISSES"
    print(f"worst course_lib/scipy ratio {worst:.2f}: {verdict} the target of {TARGET:.0f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(record(main))
