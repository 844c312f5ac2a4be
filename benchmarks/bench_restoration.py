"""Restoration benchmark: the shipped networks against classical methods on the held-out test images.

    python benchmarks/bench_restoration.py [--crop 256]

Denoising at sigma = 25/255 (blind network; TV, wavelet BayesShrink, NL-means with the
noise level estimated from the image; BM3D when the optional ``bm3d`` package is installed),
and motion blur of length 15 px at a random angle plus noise sigma = 0.01 (Wiener and
Richardson-Lucy given the true kernel, and the shipped network refining that Wiener result,
also with the true kernel). Prints mean PSNR / SSIM / seconds per
image over the test split (camera, chelsea, coins; grayscale) and the ratios the targets are
stated in. Each method runs ``--repeat`` times on each image: "1st run" is the first (for a
network, the first call on that image size, which includes TensorFlow's one-time set-up for
the size) and "median" the median, which the speed target uses. The networks get one warm-up
call on another image size first (Keras compiles its predict function once); ``make bench``
runs TensorFlow with its default oneDNN kernels. Targets are printed with pass/fail, never asserted: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import os

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from course_lib import data, restoration
from course_lib.restoration import evaluation as restoration_eval  # noqa: E402
from course_lib.restoration import baselines  # noqa: E402
from recorder import record  # noqa: E402


def table(title: str, scores: dict) -> None:
    print(f"\n{title}")
    print(f"{'method':<18}{'PSNR (dB)':>10}{'SSIM':>8}{'s, 1st run':>12}{'s, median':>11}")
    for name, row in scores.items():
        print(f"{name:<18}{row['psnr']:>10.2f}{row['ssim']:>8.3f}{row['first_seconds']:>12.3f}{row['seconds']:>11.3f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--crop", type=int, default=0, help="centre crop side (0: whole images)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per method and image (the median counts)")
    args = parser.parse_args()
    images = data.natural_images(split="test")
    if args.crop:
        images = {name: image[(image.shape[0] - args.crop) // 2:][:args.crop, (image.shape[1] - args.crop) // 2:][:, :args.crop]
                  for name, image in images.items()}
    print("test images:", ", ".join(f"{name} {image.shape}" for name, image in images.items()))

    denoiser = restoration.load_pretrained("denoise")
    deblurrer = restoration.load_pretrained("deblur")
    for network in (denoiser, deblurrer):  # Keras compiles its predict function once: not timed
        restoration.restore_image(network, np.zeros((64, 96)))
    methods = {name: (lambda image, params, f=f: f(image)) for name, f in baselines.denoisers().items()}
    methods["network (ours)"] = lambda image, params: restoration.restore_image(denoiser, image)
    # geometric self-ensemble: the image and its transpose, averaged (twice the work)
    methods["network x2 (ours)"] = lambda image, params: restoration.restore_image(denoiser, image, ensemble=2)
    denoise = restoration_eval.evaluate(images, "denoise", methods, rng=0, repeat=args.repeat, sigma=25 / 255)
    table("Denoising, sigma = 25/255 (border 0)", denoise)

    methods = {
        "Wiener (true PSF)": lambda image, params: baselines.wiener_deblur(image, params["kernel"]),
        "R-L (true PSF)": lambda image, params: baselines.richardson_lucy_deblur(image, params["kernel"]),
        "Wiener + network": lambda image, params: restoration.deblur_image(deblurrer, image, params["kernel"]),
    }
    deblur = restoration_eval.evaluate(images, "deblur", methods, rng=100, repeat=args.repeat, length=15, noise=0.01)
    table(f"Motion blur, length 15, random angle, noise 0.01 (border {restoration_eval.EVAL_BORDER['deblur']})", deblur)

    print("\nTargets")
    for name in ("network (ours)", "network x2 (ours)"):
        net = denoise[name]
        gain = net["psnr"] - denoise["NL-means"]["psnr"]
        print(f"  {name}")
        print(f"    - NL-means: {gain:+.3f} dB (target >= +1.0): {'PASS' if gain >= 1.0 else 'FAIL'}")
        if "BM3D" in denoise:
            gap = net["psnr"] - denoise["BM3D"]["psnr"]
            speed = denoise["BM3D"]["seconds"] / net["seconds"]
            print(f"    - BM3D: {gap:+.3f} dB (target >= -0.3): {'PASS' if gap >= -0.3 else 'FAIL'}")
            print(f"    BM3D time / its time (medians): {speed:.1f}x (target >= 20x): {'PASS' if speed >= 20 else 'FAIL'}")
        else:
            print("    BM3D: not installed (pip install bm3d), its targets were not measured")
        print(f"    NL-means time / its time (medians): {denoise['NL-means']['seconds'] / net['seconds']:.1f}x")
    gain = deblur["Wiener + network"]["psnr"] - deblur["Wiener (true PSF)"]["psnr"]
    print(f"  deblur network - Wiener: {gain:+.2f} dB (target > 0): {'PASS' if gain > 0 else 'FAIL'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(record(main))
