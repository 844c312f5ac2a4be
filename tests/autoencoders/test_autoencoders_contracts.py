"""Contracts of the autoencoder topic (issue 22): NoisyDigits checks its images at construction."""

import numpy as np
import pytest

from course_lib import autoencoders

CLEAN = np.full((4, 8, 8, 1), 0.5, dtype="float32")


def test_noisy_digits_refuses_uint8_at_construction():
    with pytest.raises(ValueError, match=r"^clean must be a float image in \[0, 1\]; got dtype uint8"):
        autoencoders.NoisyDigits((CLEAN * 255).astype(np.uint8), autoencoders.corrupt_mixed)


def test_noisy_digits_turns_a_list_into_float32():
    dataset = autoencoders.NoisyDigits(CLEAN.tolist(), autoencoders.corrupt_mixed, batch_size=2)
    inputs, targets = dataset[0]
    assert targets.dtype == np.float32 and targets.shape == (2, 8, 8, 1) and inputs.shape == (2, 8, 8, 1)


def test_noisy_digits_refuses_a_non_callable_corruption():
    with pytest.raises(TypeError, match=r"^corrupt must be callable as corrupt\(images, rng\); got str"):
        autoencoders.NoisyDigits(CLEAN, "gaussian")


def test_transposed_overlap_caps_the_input_size():
    with pytest.raises(ValueError, match=r"^input_size must be <= 64; got 1000000\. The overlap pattern repeats"):
        autoencoders.transposed_overlap(3, 2, input_size=10**6)


@pytest.mark.parametrize("layers, error, match", [
    ([("conv", 3), ("nope", 3)], ValueError, r"^layers\[1\] = \('nope', 3\): layer kind must be one of"),
    ([("conv", -1, 1, "same")], ValueError, r"^layers\[0\] = \('conv', -1, 1, 'same'\): kernel_size must be >= 1"),
])
def test_trace_sizes_names_the_bad_layer(layers, error, match):
    with pytest.raises(error, match=match):
        autoencoders.trace_sizes(28, layers)
