"""Graded exercise ``gabor``: the diagnoses its public tests share with the student's ``grader.check``."""

from __future__ import annotations

import numpy as np

from course_lib.checks.functions import FunctionExercise
from course_lib.checks.registry import register


def _gabor_reference(size, sigma, theta, wavelength, *, sign=1.0, transpose=False, frequency=False, sigma_power=2):
    """The real Gabor kernel of the exercise's formula, with switches for the typical slips."""
    half = size // 2
    y, x = np.mgrid[-half:half + 1, -half:half + 1].astype(float)
    if transpose:
        x, y = y, x
    x_rot = x * np.cos(theta) + sign * y * np.sin(theta)
    y_rot = -sign * x * np.sin(theta) + y * np.cos(theta)
    carrier = np.cos(2 * np.pi * x_rot * wavelength) if frequency else np.cos(2 * np.pi * x_rot / wavelength)
    return np.exp(-(x_rot**2 + y_rot**2) / (2 * sigma**sigma_power)) * carrier


def kernel_cases() -> list[tuple]:
    """(size, sigma, theta, wavelength): one axis-aligned kernel and two oblique ones."""
    return [(7, 2.0, 0.0, 4.0), (7, 1.5, 0.5, 5.0), (9, 2.5, 2.0, 3.0)]


register(FunctionExercise(
    exercise_id="gabor.q1",
    title="gabor, question 1",
    hint="x runs along the columns and y along the rows, both from -size // 2 to size // 2; rotate, then apply "
         "the envelope and the cosine.",
    reference=_gabor_reference,
    cases=kernel_cases,
    mistakes={
        "transposed": (lambda *args: _gabor_reference(*args, transpose=True),
                       "Your kernel is the transpose: x is the column offset and y the row offset (np.mgrid gives "
                       "rows first)."),
        "rotation_sign": (lambda *args: _gabor_reference(*args, sign=-1.0),
                          "The rotation turns the wrong way: x' = x cos(theta) + y sin(theta)."),
        "frequency": (lambda *args: _gabor_reference(*args, frequency=True),
                      "wavelength is the period in pixels: the cosine is cos(2 pi x' / wavelength)."),
        "sigma_unsquared": (lambda *args: _gabor_reference(*args, sigma_power=1),
                            "The envelope divides by 2 sigma squared."),
    },
))


def _bank(size, sigma, wavelength, n_orientations, *, thetas=None):
    thetas = [k * np.pi / n_orientations for k in range(n_orientations)] if thetas is None else thetas
    return np.stack([_gabor_reference(size, sigma, theta, wavelength) for theta in thetas])


register(FunctionExercise(
    exercise_id="gabor.q2",
    title="gabor, question 2",
    hint="Kernel k has theta = k * pi / n_orientations, for k = 0 ... n_orientations - 1, stacked on axis 0.",
    reference=_bank,
    cases=lambda: [(5, 1.0, 3.0, 4), (7, 1.5, 4.0, 3)],
    mistakes={
        "full_circle": (lambda s, sg, w, n: _bank(s, sg, w, n, thetas=[2 * k * np.pi / n for k in range(n)]),
                        "Orientations repeat after pi (a stripe turned by 180° is the same stripe): spread them "
                        "over [0, pi), not [0, 2 pi)."),
        "endpoint": (lambda s, sg, w, n: _bank(s, sg, w, n, thetas=np.linspace(0, np.pi, n)),
                     "The last orientation must stop short of pi (which repeats 0): theta_k = k pi / n."),
        "degrees": (lambda s, sg, w, n: _bank(s, sg, w, n, thetas=[k * 180 / n for k in range(n)]),
                    "The angles go to np.cos and np.sin in radians, not degrees."),
    },
))
