"""Graded exercise ``conv``: the diagnoses its public tests share with the student's ``grader.check``."""

from __future__ import annotations

import numpy as np

from course_lib import conv
from course_lib.checks.functions import FunctionExercise
from course_lib.checks.registry import register
from course_lib.checks.values import ValueExercise

# BEGIN KEYS (written by `python -m course_lib.checks write-key`; do not edit by hand)
KEYS = {
    "conv.q3": {
        "answer": {"hash": "7ecce8ea26660618455c8f916166bf6327542a1d2e6102b2ae1a32e7fc584492", "shape": []},
        "mistakes": {
            "no_bias": {"hash": "19b6e26442456bbb6cc9d7af24e6d1d0ab27b51d4f1a67610bfb8c2417311b33", "shape": []},
            "no_input_channels": {"hash": "068146ee1cd44362259919fb18c994ace02bd4fc2f8d97d771906b81d576c9f8", "shape": []},
            "bias_per_input": {"hash": "e8adea747c04f91e476b651bce5d2b21b29472a03b1ff063464a75977128a4d0", "shape": []},
        },
    },
}
# END KEYS


def correlation_cases() -> list[tuple]:
    """The 3×3 worked example, an impulse, and a random 5×7 image with a 3×2 kernel."""
    impulse = np.zeros((3, 3))
    impulse[1, 1] = 1.0
    rng = np.random.default_rng(10)
    return [(np.array([[1.0, 2.0, 0.0], [0.0, 1.0, 3.0], [2.0, 0.0, 1.0]]), np.array([[1.0, 0.0], [0.0, -1.0]])),
            (impulse, np.array([[1.0, 2.0], [3.0, 4.0]])),
            (rng.uniform(-1, 1, size=(5, 7)), rng.uniform(-1, 1, size=(3, 2)))]


register(FunctionExercise(
    exercise_id="conv.q1",
    title="conv, question 1",
    hint="out[i, j] is the sum of image[i:i + KH, j:j + KW] * kernel, for every valid position.",
    reference=lambda image, kernel: conv.correlate2d(np.asarray(image, float), np.asarray(kernel, float)),
    cases=correlation_cases,
    mistakes={
        "flipped": (lambda image, kernel: conv.correlate2d(image, np.asarray(kernel)[::-1, ::-1]),
                    "Your output is the convolution, with the kernel flipped; correlation slides the kernel as it is."),
        "same": (lambda image, kernel: conv.correlate2d(image, kernel, padding="same"),
                 "Your output keeps the image's size: only the valid positions, where the kernel fits inside the "
                 "image, are computed."),
    },
))


def size_cases() -> list[tuple]:
    """(size, kernel_size, padding, stride) with and without padding and stride."""
    return [(5, 3, 0, 1), (5, 3, 2, 1), (11, 3, 0, 2), (8, 3, 1, 3), (20, 5, 1, 2)]


register(FunctionExercise(
    exercise_id="conv.q2",
    title="conv, question 2",
    hint="Count the positions of the kernel: (size + 2 * padding - kernel_size) // stride, plus the first one.",
    reference=lambda size, kernel_size, padding, stride: (size + 2 * padding - kernel_size) // stride + 1,
    cases=size_cases,
    mistakes={
        "no_plus_one": (lambda size, kernel_size, padding, stride: (size + 2 * padding - kernel_size) // stride,
                        "One short: the first position of the kernel counts too (+ 1)."),
        "one_side": (lambda size, kernel_size, padding, stride: (size + padding - kernel_size) // stride + 1,
                     "`padding` zeros go on each side: the padded length is size + 2 * padding."),
        "true_division": (lambda size, kernel_size, padding, stride: (size + 2 * padding - kernel_size) / stride + 1,
                          "Use integer division (//): a position where the kernel would hang over the edge does "
                          "not count."),
    },
))

register(ValueExercise(
    exercise_id="conv.q3",
    title="conv, question 3",
    kind="integers",
    hint="Each output channel has a 3×3 kernel per input channel, and one bias.",
    mistakes={
        "no_bias": "Each output channel also has a bias: add one parameter per output channel.",
        "no_input_channels": "Each output channel's kernel spans all 16 input channels: 3 * 3 weights per input "
                             "channel.",
        "bias_per_input": "There is one bias per output channel, not per input channel.",
    },
    key=KEYS.get("conv.q3"),
))
