"""Train the pretrained encoder shipped as ``course_lib/assets/segmentation/encoder.weights.h5``.

The segmentation chapter compares a U-Net whose encoder starts from pretrained weights with
the same U-Net trained from scratch, both on a few images with per-pixel labels. Per-pixel
labels are expensive; image-level tags ("this image holds brick and gravel") are cheap. This
script pretrains :func:`course_lib.segmentation.build_encoder` on tags alone: it trains
:func:`course_lib.segmentation.build_tagger` (encoder -> global average pooling -> one sigmoid
per texture) on generated texture scenes of the *train* split whose seeds (1000 and up) the
chapter never uses, then saves the encoder. No test scene or test photograph is seen.

Command (from the repository root, a few minutes on 2 CPU cores)::

    COURSE_DATA=offline TF_ENABLE_ONEDNN_OPTS=0 .venv/bin/python scripts/train_segmentation_encoder.py

Writes ``encoder.weights.h5`` and its record ``encoder.json`` (settings, time, tag accuracy on
test-split scenes).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import keras
import numpy as np

from course_lib import segmentation, training

SEED = 1000
FILTERS = (8, 16, 32)
SIZE = 48


def tags(masks: np.ndarray) -> np.ndarray:
    """(N, H, W) label maps -> (N, 3) float32: does the scene hold brick, grass, gravel?"""
    return np.stack([(masks == c).any(axis=(1, 2)) for c in range(1, len(segmentation.CLASSES))], axis=1).astype(np.float32)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenes", type=int, default=3000)
    parser.add_argument("--epochs", type=int, default=12)
    parser.add_argument("--out", type=Path, default=Path(segmentation.ENCODER_PATH))
    args = parser.parse_args(argv)
    start = time.perf_counter()
    train = segmentation.texture_scenes(args.scenes, size=SIZE, split="train", max_objects=3, rng=SEED)
    test = segmentation.texture_scenes(300, size=SIZE, split="test", max_objects=3, rng=SEED + 1)
    training.set_seed(SEED)
    encoder = segmentation.build_encoder((SIZE, SIZE, 1), filters=FILTERS, seed=SEED)
    tagger = segmentation.build_tagger(encoder, len(segmentation.CLASSES) - 1, seed=SEED)
    tagger.compile(keras.optimizers.Adam(3e-3), "binary_crossentropy", metrics=["binary_accuracy"])
    tagger.fit(train.images, tags(train.masks), epochs=args.epochs, batch_size=32, verbose=0,
               validation_data=(test.images, tags(test.masks)), callbacks=[training.EpochLog()])
    accuracy = float(np.mean((tagger.predict(test.images, verbose=0) > 0.5) == tags(test.masks)))
    seconds = time.perf_counter() - start
    args.out.parent.mkdir(parents=True, exist_ok=True)
    encoder.save_weights(args.out)
    record = {
        "command": "COURSE_DATA=offline TF_ENABLE_ONEDNN_OPTS=0 .venv/bin/python scripts/train_segmentation_encoder.py",
        "data": f"{args.scenes} texture scenes, train split, {SIZE}x{SIZE}, max_objects=3, rng={SEED}; tags only",
        "epochs": args.epochs,
        "filters": list(FILTERS),
        "optimizer": "Adam 3e-3, batch 32, binary cross-entropy on 3 tags",
        "seconds": round(seconds),
        "tag_accuracy_test": round(accuracy, 4),
        "test_data": f"300 texture scenes, test split, rng={SEED + 1}",
        "environment": f"Keras {keras.__version__}, CPU (2 cores shared with other jobs)",
    }
    (args.out.parent / "encoder.json").write_text(json.dumps(record, indent=2) + "\n")
    print(f"tag accuracy on test scenes {accuracy:.4f}; {seconds:.0f} s; saved {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
