"""Chapter 7 (transfer learning): the exercises' keys and typical mistakes."""

from __future__ import annotations

import numpy as np

from course_lib.checks.functions import FunctionExercise
from course_lib.checks.registry import register
from course_lib.checks.values import ValueExercise

# BEGIN KEYS (written by `python -m course_lib.checks write-key`; do not edit by hand)
KEYS = {
    "7.1": {
        "answer": {"hash": "a22296f4adf7fdea3f9a2acf1cf2d4d4e2b0afd7f253104902938f9c2bac8593", "shape": []},
        "mistakes": {
            "one_block": {"hash": "a96fca8e932ee8d87ff94c23256056ffbc427d572e3ed3ee9d7743aea170f978", "shape": []},
            "with_bias": {"hash": "4172850701be1b2fa5337eb5c7d6536734ebc5f7d689eb4afbb3522c75e79993", "shape": []},
            "no_input_channels": {"hash": "74c6200280189cf47fd8f388c6b4a596c4ddd167ca6bc03c4ff93ba934526282", "shape": []},
        },
    },
    "7.2": {
        "answer": {"hash": "4b2b89a0146e044ea74abb32640ce6041638d71a1d9cd1b7a368be985cbd350c", "shape": []},
        "mistakes": {
            "training": {"hash": "308a14d245d11673054d707e256fd4e3d83ae13a908430ad09663ac133ddbf83", "shape": []},
        },
    },
}
# END KEYS

register(ValueExercise(
    exercise_id="7.1",
    kind="integers",
    hint="Count kernel weights: rows × cols × input channels × filters, for each of the two blocks, then add.",
    explanation="Fine-tuning deeper blocks multiplies the weights to train: keep it for when data allow it.",
    mistakes={
        "one_block": "That is one block's kernel; first_layer=\"block2_conv\" unfreezes block 2 and everything "
                     "above it, so add both blocks.",
        "with_bias": "The convolutions have no bias (batch norm follows them): count the kernel weights only.",
        "no_input_channels": "Each filter spans all input channels: multiply by the number of input channels too.",
    },
    key=KEYS.get("7.1"),
))

register(ValueExercise(
    exercise_id="7.2",
    kind="choice",
    choices=("training", "inference"),
    hint="Think about what the layers above the batch norm were trained on.",
    explanation="The layers above were trained on inputs normalised with the stored statistics; batch "
                "statistics of 16 new images would change those inputs.",
    mistakes={
        "training": "Batch statistics of 16 new images are noisy and differ from the stored ones the layers "
                    "above were trained with: the pretrained features would shift under them.",
    },
    key=KEYS.get("7.2"),
))


def smooth(values, factor):
    """The exponential moving average ``s_1 = v_1``, ``s_t = f s_{t-1} + (1 - f) v_t`` (the reference).

    Examples
    --------
    >>> smooth([1, 0], 0.5)
    array([1. , 0.5])
    """
    values = np.asarray(values, dtype=float)
    averaged = np.empty(len(values))
    averaged[0] = values[0]
    for t in range(1, len(values)):
        averaged[t] = factor * averaged[t - 1] + (1 - factor) * values[t]
    return averaged


def smoothing_cases() -> list[tuple]:
    """The hand example, a noisy accuracy curve (fixed rng), a ramp with factor 0, a constant curve."""
    rng = np.random.default_rng(7)
    curve = np.clip(np.linspace(0.4, 0.9, 20) + rng.normal(scale=0.05, size=20), 0, 1)
    return [(np.array([1.0, 0.0]), 0.5), (curve, 0.8), (np.linspace(0, 1, 7), 0.0), (np.full(5, 0.3), 0.9)]


def _weights_swapped(values, factor):
    return smooth(values, 1 - factor)


def _from_zero(values, factor):
    values = np.asarray(values, dtype=float)
    return smooth(np.concatenate([[0.0], values]), factor)[1:]


register(FunctionExercise(
    exercise_id="7.3",
    hint="Start from the first value, then each step keeps the fraction factor of the previous average.",
    reference=smooth,
    cases=smoothing_cases,
    mistakes={
        "weights_swapped": (_weights_swapped, "The weights are swapped: the previous average gets factor, the new "
                                              "value 1 - factor (a larger factor smooths more)."),
        "from_zero": (_from_zero, "The average starts from 0 instead of the first value, which pulls the start of "
                                  "the curve down: set s_1 = v_1."),
    },
))
