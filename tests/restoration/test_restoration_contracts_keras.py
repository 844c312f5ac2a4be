"""Contracts of the restoration training (Keras): recipes refuse bad settings, PatchDataset checks at construction."""

import numpy as np
import pytest

from course_lib import restoration
from course_lib.restoration.train import train  # restoration.train is also the submodule's name

CLEAN = np.linspace(0, 1, 64 * 64).reshape(64, 64)


@pytest.mark.parametrize("overrides, match", [
    ({"learning_rate": -1.0}, r"^learning_rate must be > 0 \(Adam steps downhill by it\); got -1\.0\. Try 1e-3\."),
    ({"learning_rate": 0.0}, r"^learning_rate must be > 0"),
    ({"epochs": -5}, r"^epochs must be >= 1; got -5\."),
    ({"epochs": 0}, r"^epochs must be >= 1; got 0\."),
    ({"blocks": 10**6}, r"^blocks must be <= 200; got 1000000\. Larger values"),
    ({"channels": 10**9}, r"^channels must be <= 4096; got 1000000000\."),
])
def test_recipe_settings_refuses_bad_values(overrides, match):
    with pytest.raises(ValueError, match=match):
        restoration.recipe_settings("quick", **overrides)


def test_recipe_settings_refuses_wrong_types():
    with pytest.raises(TypeError, match=r"^epochs must be an integer; got '3'"):
        restoration.recipe_settings("quick", epochs="3")


def test_train_refuses_a_negative_learning_rate_before_training():
    with pytest.raises(ValueError, match=r"^learning_rate must be > 0"):
        train([CLEAN], "denoise", verbose=False, learning_rate=-1.0)


def test_patch_dataset_refuses_uint8_at_construction():
    with pytest.raises(ValueError, match=r"^images\[1\] must be a float image in \[0, 1\]; got dtype uint8"):
        restoration.PatchDataset([CLEAN, (CLEAN * 255).astype(np.uint8)], "denoise", patch_size=16)


def test_build_model_caps_blocks_and_channels():
    with pytest.raises(ValueError, match=r"^blocks must be <= 200; got 100000\. Deeper networks"):
        restoration.build_model(blocks=100_000)
    with pytest.raises(ValueError, match=r"^channels must be <= 4096; got 100000\. Wider layers"):
        restoration.build_model(channels=100_000)
    with pytest.raises(ValueError, match=r"^seed must be an int in 0\.\.4294967295; got -1"):
        restoration.build_model(seed=-1)
