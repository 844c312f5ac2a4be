"""Write the reference outputs of every shipped network (tests/compat/shipped_outputs.npz).

    .venv/bin/python tools/compat_reference.py

Run it in the main environment (the newest supported TensorFlow/Keras) whenever a shipped
network changes. ``make test-compat`` then loads every shipped network in the oldest
supported TensorFlow/Keras (.venv-compat) and checks that it gives the same outputs on the
same fixed inputs (tests/compat/test_shipped_models.py; the main test run checks them too).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "tests" / "compat" / "shipped_outputs.npz"


def fixed_inputs() -> dict[str, np.ndarray]:
    """The inputs: four 28x28 digits-like images, one 32x40 photo-like image, two 48x48 scenes, in [0, 1]."""
    rng = np.random.default_rng(27)
    return {"digits": rng.uniform(size=(4, 28, 28, 1)).astype("float32"),
            "photo": rng.uniform(size=(1, 32, 40, 1)).astype("float32"),
            "scene": rng.uniform(size=(2, 48, 48, 1)).astype("float32")}


def shipped_networks() -> dict[str, tuple[str, object]]:
    """Name -> (which fixed input it takes, a function that loads it)."""
    from course_lib import autoencoders, restoration, segmentation, transfer

    networks = {f"autoencoders/{name}": ("digits", lambda name=name: autoencoders.load_pretrained(name))
                for name in autoencoders.PRETRAINED}
    networks |= {f"restoration/{task}": ("photo", lambda task=task: restoration.load_pretrained(task))
                 for task in restoration.TASKS}
    networks["transfer/source_model"] = ("digits", transfer.load_source_model)
    networks["segmentation/encoder"] = ("scene", _deepest_features(segmentation.load_encoder))
    return networks


def _deepest_features(load):
    """The encoder has one output per scale; compare its deepest one."""
    def loader():
        import keras

        encoder = load()
        return keras.Model(encoder.inputs, encoder.outputs[-1])
    return loader


def main() -> None:
    import keras

    inputs = fixed_inputs()
    arrays = dict(inputs)
    for name, (which, load) in shipped_networks().items():
        arrays[name] = load().predict(inputs[which], verbose=0)
        print(f"{name}: {arrays[name].shape}")
    arrays["keras_version"] = np.array(keras.__version__)
    np.savez_compressed(OUTPUT, **arrays)
    print(f"wrote {OUTPUT.relative_to(ROOT)} ({OUTPUT.stat().st_size / 1000:.0f} KB, Keras {keras.__version__})")


if __name__ == "__main__":
    main()
