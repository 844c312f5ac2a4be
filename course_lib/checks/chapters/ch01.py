"""Chapter 1 (convolution): the exercises' keys and typical mistakes."""

from __future__ import annotations

import numpy as np

from course_lib import conv
from course_lib.checks.functions import FunctionExercise
from course_lib.checks.registry import ContextExercise, register
from course_lib.checks.values import ValueExercise

# BEGIN KEYS (written by `python -m course_lib.checks write-key`; do not edit by hand)
KEYS = {
    "1.1": {
        "answer": {"hash": "5a716b3f8706ec7e4669eb5240db2d2cda0f33535e676b859e850d6535df3771", "shape": []},
        "mistakes": {
            "conv_only": {"hash": "64144ba76aa591fc93a99c2f272981c3afdeae78f7554e155bc8b8d31d048747", "shape": []},
            "no_padding_or_plus_one": {"hash": "c441ba5b8b65ba34984eb9e3e3e9bd650292dacba3766fbbaa12d6e5072211be", "shape": []},
            "rounded_up": {"hash": "18ab03fbd955948a056123ed705e97395ae8f1e40753b7d1fcaa1f3745826ddb", "shape": []},
            "pool_stride": {"hash": "6cc8de774bdd12375a26c1d867b33076cb80274207de7460e320c78a37d98a56", "shape": []},
        },
    },
}
# END KEYS

register(ValueExercise(
    exercise_id="1.1",
    kind="integers",
    hint="Apply the output-size formula twice, (n + 2p - k) // s + 1, rounding down each time.",
    explanation="The formula, applied once per layer, rounds down because a window may not hang over the edge.",
    mistakes={
        "conv_only": "That is the height after the convolution; the 3×3 max pooling with stride 2 follows it.",
        "no_padding_or_plus_one": "One short: did you leave out the padding (3 zeros on each side), or the + 1 "
                                  "of the formula (the first window position counts too)?",
        "rounded_up": "Round down: a window that would hang over the edge is not computed.",
        "pool_stride": "The pooling moves 2 pixels at a time too: divide by its stride as well.",
    },
    key=KEYS.get("1.1"),
))


def correlation_cases() -> list[tuple]:
    """Random images and kernels with every padding 0-2 and stride 1-3 (fixed rng)."""
    rng = np.random.default_rng(1)
    return [(rng.normal(size=(7, 9)), rng.normal(size=(3, 2)), padding, stride)
            for padding in (0, 1, 2) for stride in (1, 2, 3)]


def _one_sided(image, kernel, padding, stride):
    return conv.correlate2d(np.pad(image, ((padding, 0), (padding, 0))), kernel, stride=stride)


register(FunctionExercise(
    exercise_id="1.2",
    hint="Pad with np.pad(image, padding), then take the window at rows r * stride and columns c * stride.",
    reference=lambda image, kernel, padding, stride: conv.correlate2d(image, kernel, padding=padding, stride=stride),
    cases=correlation_cases,
    mistakes={
        "flipped": (lambda image, kernel, padding, stride: conv.correlate2d(image, kernel[::-1, ::-1], padding=padding,
                                                                            stride=stride),
                    "Your output is the convolution, with the kernel flipped; cross-correlation slides the kernel "
                    "as it is."),
        "stride_ignored": (lambda image, kernel, padding, stride: conv.correlate2d(image, kernel, padding=padding),
                           "That is the stride-1 result: move the window `stride` pixels at a time."),
        "no_padding": (lambda image, kernel, padding, stride: conv.correlate2d(image, kernel, stride=stride),
                       "That is the unpadded result: pad the image with `padding` zeros on each side first."),
        "one_sided": (_one_sided, "The zeros went on one side only: np.pad(image, padding) pads both sides of "
                                  "each axis."),
    },
))


def line_images() -> tuple[np.ndarray, np.ndarray]:
    """The (12, 12) images of exercise 1.3: vertical lines one pixel wide, and their transpose."""
    vertical = np.zeros((12, 12))
    vertical[:, [3, 8]] = 1.0
    return vertical, vertical.T.copy()


def _detector_rule(kernel) -> str | None:
    try:
        kernel = np.asarray(kernel, dtype=float)
    except (TypeError, ValueError):
        return f"Expected a (3, 3) array of numbers; got {type(kernel).__name__}."
    if kernel.shape != (3, 3):
        return f"Expected a (3, 3) kernel; got shape {kernel.shape}."
    vertical, horizontal = line_images()
    on_vertical = float(np.maximum(conv.correlate2d(vertical, kernel), 0).max())
    on_horizontal = float(np.maximum(conv.correlate2d(horizontal, kernel), 0).max())
    if on_vertical <= 1e-9 and on_horizontal > 1e-9:
        return "Your kernel fires on horizontal lines and never on vertical ones: it is the transpose of a detector " \
               "for vertical lines."
    if on_vertical <= 1e-9:
        return "Your kernel never fires on the vertical lines (its ReLU output is 0 everywhere): give the column " \
               "under the line positive weights."
    if on_horizontal > 1e-9:
        return "It fires on the vertical lines but also on the horizontal ones: make each row of the kernel sum " \
               "to zero, so that a horizontal line crossing the window cancels out."
    return None


register(ContextExercise(
    exercise_id="1.3",
    hint="",
    explanation="It fires on the vertical lines and stays at zero on the horizontal ones.",
    rule=_detector_rule,
))
