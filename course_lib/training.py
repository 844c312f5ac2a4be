"""Small Keras helpers shared by the training chapters: seeding and a quiet epoch log.

TensorFlow is imported here, so NumPy-only chapters never pay for it.
"""

from __future__ import annotations

import keras

from course_lib._validation import as_int, as_seed


def set_seed(seed: int) -> None:
    """Seed Python, NumPy and TensorFlow and make TensorFlow ops deterministic.

    Parameters
    ----------
    seed : int
        Non-negative seed passed to ``keras.utils.set_random_seed``.

    Raises
    ------
    TypeError, ValueError
        If ``seed`` is not a non-negative int.

    Examples
    --------
    >>> set_seed(0)
    >>> a = keras.random.uniform((2,), seed=keras.random.SeedGenerator(1))
    >>> set_seed(0)
    >>> b = keras.random.uniform((2,), seed=keras.random.SeedGenerator(1))
    >>> bool((a == b).numpy().all())
    True
    """
    import tensorflow as tf

    seed = as_seed("seed", seed)
    keras.utils.set_random_seed(seed)
    tf.config.experimental.enable_op_determinism()


class EpochLog(keras.callbacks.Callback):
    """Print one short line per epoch (``every`` epochs), metrics rounded to ``digits``.

    Use with ``fit(..., verbose=0, callbacks=[EpochLog()])`` for output that reads well in the
    book: no progress-bar redraws and no timings.

    Examples
    --------
    >>> log = EpochLog(every=1, digits=2)
    >>> log.params = {"epochs": 3}
    >>> log.on_epoch_end(0, {"loss": 0.6931, "val_accuracy": 0.5})
    epoch 1/3: loss 0.69, val_accuracy 0.5
    """

    def __init__(self, *, every: int = 1, digits: int = 3):
        super().__init__()
        self.every = as_int("every", every, minimum=1)
        self.digits = as_int("digits", digits, minimum=0)

    def on_epoch_end(self, epoch, logs=None):
        epochs = self.params.get("epochs", "?") if self.params else "?"
        last = epoch + 1 == epochs
        if (epoch + 1) % self.every and not last:
            return
        metrics = ", ".join(f"{name} {round(float(value), self.digits):g}" for name, value in (logs or {}).items())
        print(f"epoch {epoch + 1}/{epochs}: {metrics}")
