"""Graded exercise ``decoder``: the diagnoses its public tests share with the student's ``grader.check``."""

from __future__ import annotations

from course_lib.checks.functions import FunctionExercise
from course_lib.checks.registry import register


def transpose_output_size(size, kernel_size, stride, padding):
    """The reference: Keras' ``Conv2DTranspose`` output length along one axis.

    Examples
    --------
    >>> transpose_output_size(7, 3, 2, "same"), transpose_output_size(7, 3, 2, "valid")
    (14, 15)
    """
    return size * stride if padding == "same" else (size - 1) * stride + kernel_size


def transpose_cases() -> list[tuple]:
    """The worked example with both paddings, then kernels smaller than, equal to and larger than the stride."""
    return [(7, 3, 2, "same"), (7, 3, 2, "valid"), (4, 4, 2, "valid"), (3, 5, 3, "same"), (1, 7, 1, "valid"),
            (6, 2, 3, "valid")]


register(FunctionExercise(
    exercise_id="decoder.q1",
    hint="A valid transposed convolution places one kernel copy per input pixel, stride apart; 'same' just "
         "multiplies the size by the stride.",
    reference=transpose_output_size,
    cases=transpose_cases,
    mistakes={
        "forward_formula": (lambda n, k, s, padding: (n - k) // s + 1 if padding == "valid" else -(-n // s),
                            "That is the size after an ordinary (forward) convolution; the transposed one goes the "
                            "other way and makes the map larger."),
        "padding_ignored": (lambda n, k, s, padding: (n - 1) * s + k,
                            "'same' padding has its own rule: the output is the input size times the stride, "
                            "whatever the kernel."),
        "n_strides": (lambda n, k, s, padding: n * s if padding == "same" else n * s + k,
                      "One stride too many: n kernel copies start (n - 1) strides apart, then the last copy adds "
                      "its kernel size."),
    },
))
