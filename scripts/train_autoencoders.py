"""Train the autoencoders shipped in course_lib/assets/autoencoders/ (the chapter's full profile).

Usage (from the repository root; about 10 minutes on 2 busy CPU cores)::

    nice python scripts/train_autoencoders.py --out course_lib/assets/autoencoders

Trains, with seed 0 and deterministic TensorFlow ops:

- ``denoiser``: the chapter's blind denoiser (UpSampling2D + Conv2D decoder) on mixed noise;
- ``transposed``: the same with a Conv2DTranspose decoder (kernel 3, stride 2);
- ``denoiser_l2`` / ``denoiser_l1``: ``denoiser`` fine-tuned with the squared / absolute error.

Data: ``course_lib.data.mnist`` (the 4,000 bundled training digits offline, all 60,000 when
real data is available), corrupted on the fly by ``course_lib.autoencoders.data.NoisyDigits``
with ``corrupt_mixed``, the dataset the chapter trains its quick version on. Each model is
saved as ``<name>.weights.h5`` (weights only) next to ``<name>.json`` (settings, command, per-epoch losses,
measured training time and test PSNR/SSIM per noise on the chapter's 500 test digits).
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from pathlib import Path

import keras
import numpy as np

from course_lib import autoencoders, data, metrics, training
from course_lib.autoencoders import data as autoencoder_data

SEED = 0
TEST_DIGITS = 500  # the chapter's quick-profile test set


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("course_lib/assets/autoencoders"))
    parser.add_argument("--filters", type=int, nargs="+", default=[32, 64])
    parser.add_argument("--epochs", type=int, default=20, help="epochs of denoiser and transposed")
    parser.add_argument("--fine-tune-epochs", type=int, default=3, help="epochs of the L2 / L1 fine-tuning")
    parser.add_argument("--learning-rate", type=float, default=3e-3)
    parser.add_argument("--only", nargs="+", default=None, help="train only these models")
    return parser.parse_args(argv)


def evaluate(model, clean, noisy_sets) -> dict:
    """PSNR of the mean squared error and mean SSIM per noise, as in the chapter."""
    scores = {}
    for name, noisy in noisy_sets.items():
        output = np.clip(model.predict(noisy, batch_size=250, verbose=0), 0.0, 1.0)
        psnr = 10 * np.log10(1.0 / np.mean((output - clean) ** 2))
        ssim = metrics.ssim_batch(clean, output, data_range=1.0).mean()
        scores[name] = {"PSNR": round(float(psnr), 2), "SSIM": round(float(ssim), 3)}
    return scores


def fit(model, train_images, *, loss, epochs, learning_rate, seed) -> tuple[list[float], float]:
    steps = epochs * len(autoencoder_data.NoisyDigits(train_images, autoencoder_data.corrupt_mixed))
    schedule = keras.optimizers.schedules.CosineDecay(learning_rate, steps, alpha=0.05)
    model.compile(optimizer=keras.optimizers.Adam(schedule), loss=loss)
    dataset = autoencoder_data.NoisyDigits(train_images, autoencoder_data.corrupt_mixed, seed=seed)
    start = time.perf_counter()
    history = model.fit(dataset, epochs=epochs, verbose=0, callbacks=[training.EpochLog()])
    return [round(float(value), 5) for value in history.history["loss"]], time.perf_counter() - start


def save(model, path: Path, *, filters, upsampling) -> None:
    """Save the weights only (no optimizer state, no configuration: any Keras 3 reads them into the builder's model)."""
    fresh = autoencoders.build_autoencoder((28, 28, 1), filters=filters, upsampling=upsampling, seed=SEED)
    fresh.set_weights(model.get_weights())
    fresh.save_weights(path)


def main(argv=None) -> int:
    args = parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    train_images, _ = data.mnist(split="train", rng=SEED)
    test_images, _ = data.mnist(split="test", rng=SEED)
    test_images = test_images[:TEST_DIGITS]
    # the chapter's test corruptions: noise number i drawn with seed i
    noisy_sets = {name: corrupt(test_images, np.random.default_rng(index)).astype("float32")
                  for index, (name, corrupt) in enumerate(autoencoder_data.NOISES.items())}
    filters = tuple(args.filters)
    recipes = {  # name -> (upsampling, loss, start from, epochs, learning rate, data seed)
        "denoiser": ("upsample", "mse", None, args.epochs, args.learning_rate, SEED),
        "transposed": ("transpose", "mse", None, args.epochs, args.learning_rate, SEED),
        "denoiser_l2": ("upsample", "mse", "denoiser", args.fine_tune_epochs, 1e-3, SEED + 1),
        "denoiser_l1": ("upsample", "mae", "denoiser", args.fine_tune_epochs, 1e-3, SEED + 1),
    }
    command = "python scripts/train_autoencoders.py " + " ".join(argv if argv is not None else sys.argv[1:])
    for name, (upsampling, loss, base, epochs, learning_rate, data_seed) in recipes.items():
        if args.only and name not in args.only:
            continue
        print(f"--- {name}: {upsampling} decoder, loss {loss}, {epochs} epochs", flush=True)
        training.set_seed(SEED)
        model = autoencoders.build_autoencoder((28, 28, 1), filters=filters, upsampling=upsampling, seed=SEED)
        if base is not None:
            # start from the model just trained (or shipped) in --out
            model.load_weights(args.out / f"{base}.weights.h5")
        losses, seconds = fit(model, train_images, loss=loss, epochs=epochs, learning_rate=learning_rate,
                              seed=data_seed)
        scores = evaluate(model, test_images, noisy_sets)
        print(f"{name}: {seconds:.0f} s; test {scores}", flush=True)
        save(model, args.out / f"{name}.weights.h5", filters=filters, upsampling=upsampling)
        record = {
            "name": name, "command": command, "seed": SEED, "data_seed": data_seed,
            "training_images": int(len(train_images)), "test_images": TEST_DIGITS,
            "filters": list(filters), "upsampling": upsampling, "loss": loss, "fine_tuned_from": base,
            "epochs": epochs, "batch_size": 32, "optimizer": f"Adam, cosine decay from {learning_rate} to 5 %",
            "losses": losses, "training_seconds": round(seconds, 1), "test": scores,
            "machine": f"{platform.machine()}, {platform.system()}, keras {keras.__version__}",
        }
        (args.out / f"{name}.json").write_text(json.dumps(record, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
