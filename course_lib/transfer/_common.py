"""Shared pieces of the transfer package."""

from __future__ import annotations

from pathlib import Path

import keras

SOURCE_MODEL_PATH = Path(__file__).resolve().parents[1] / "assets" / "transfer" / "source_model.weights.h5"


def _check_model(name: str, model) -> keras.Model:
    if not isinstance(model, keras.Model):
        raise TypeError(f"{name} must be a keras.Model; got {type(model).__name__}.")
    return model


def _leaf_layers(model: keras.Model) -> list:
    """Layers in order, with nested models replaced by their own layers."""
    leaves = []
    for layer in model.layers:
        leaves += _leaf_layers(layer) if isinstance(layer, keras.Model) else [layer]
    return leaves
