"""One-off: turn the shipped ``.keras`` models into ``.weights.h5`` files (issue 27).

    .venv/bin/python scripts/convert_to_weights.py

A ``.keras`` file stores the model's configuration as the saving Keras wrote it, and
Keras 3.15 writes arguments (``input_axes`` of the initialisers, among others) that Keras
3.3-3.14 reject. The weights alone read the same in every Keras 3, so each network now ships
as ``<name>.weights.h5`` and course_lib's loader builds the architecture with the topic's
builder from the recorded settings. This script copies the trained weights over (no
retraining), checks that the new loader's predictions equal the old file's bit for bit on
fixed inputs, and then deletes the ``.keras`` file. It was run once, on Keras 3.15.1.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
ASSETS = ROOT / "course_lib" / "assets"


def _convert(old: Path, load_new, inputs: np.ndarray) -> None:
    import keras

    from course_lib import _assets  # noqa: F401  (the loaders below read through it)

    trained = keras.saving.load_model(old, compile=False)
    expected = trained.predict(inputs, verbose=0)
    new_path = old.with_name(old.name.removesuffix(".keras") + ".weights.h5")
    architecture = load_new(build_only=True)
    architecture.set_weights(trained.get_weights())
    architecture.save_weights(new_path)
    reloaded = load_new(build_only=False)
    got = reloaded.predict(inputs, verbose=0)
    if not np.array_equal(expected, got):
        new_path.unlink()
        raise SystemExit(f"{old.name}: predictions differ by up to {np.abs(expected - got).max():.3g}; kept the .keras")
    old.unlink()
    print(f"{old.relative_to(ROOT)} -> {new_path.name}: identical predictions on {inputs.shape}, "
          f"{new_path.stat().st_size / 1000:.0f} KB")


def main() -> None:
    from course_lib import autoencoders, restoration, transfer
    from course_lib.autoencoders import models as autoencoder_models
    from course_lib.restoration import models as restoration_models

    rng = np.random.default_rng(0)
    digits = rng.uniform(size=(8, 28, 28, 1)).astype("float32")
    photo = rng.uniform(size=(2, 48, 40, 1)).astype("float32")

    for name in autoencoders.PRETRAINED:
        def load(build_only, name=name):
            if not build_only:
                return autoencoders.load_pretrained(name)
            record = autoencoders.pretrained_record(name)
            return autoencoder_models.build_autoencoder((28, 28, 1), filters=tuple(record["filters"]),
                                                       upsampling=record["upsampling"])
        _convert(ASSETS / "autoencoders" / f"{name}.keras", load, digits)

    for task in restoration.TASKS:
        def load(build_only, task=task):
            if not build_only:
                return restoration.load_pretrained(task)
            s = restoration.pretrained_record(task)["settings"]
            return restoration_models.build_model(blocks=s["blocks"], channels=s["channels"], downscale=s["downscale"],
                                                  levels=s.get("levels", 1), dtype="float32")
        _convert(ASSETS / "restoration" / f"{task}.keras", load, photo)

    def load(build_only):
        return transfer.build_source_model((28, 28, 1)) if build_only else transfer.load_source_model()
    _convert(ASSETS / "transfer" / "source_model.keras", load, digits)


if __name__ == "__main__":
    sys.exit(main())
