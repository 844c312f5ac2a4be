"""Chapter 2 (Gabor filter banks): the exercises' keys and typical mistakes."""

from __future__ import annotations

import numpy as np

from course_lib.checks.functions import FunctionExercise
from course_lib.checks.registry import register
from course_lib.checks.values import ValueExercise

# BEGIN KEYS (written by `python -m course_lib.checks write-key`; do not edit by hand)
KEYS = {
    "2.1": {
        "answer": {"hash": "8e9fa2cdebda88e2906e635b2f79ca4e20c4ed826d0cb7adb8807cf9dfe2d4de", "offset": [0.0], "shape": []},
        "mistakes": {
            "period": {"hash": "cf4dfd4cd63b9d7e65963e9553e273e319b63529c604737a52572b46860a465a", "offset": [0.0], "shape": []},
            "radians": {"hash": "2c829c866c33e4e75d9baba058d1e2f37d9e797a2564f5825d71bf1f5c4606cf", "offset": [0.459151], "shape": []},
            "half_period": {"hash": "e5976214343bc892272a132a6fd2763ac7f1c287951a0e95b612851df4898dae", "offset": [0.0], "shape": []},
        },
    },
    "2.2": {
        "answer": {"hash": "7110e9dc4119582577804a76ec681a0e75637f485fec7eb78ad824b34b3c7300", "offset": [0.0], "shape": []},
        "mistakes": {
            "along_stripes": {"hash": "70e68d447412a589c5fd65b8641b7fbfec5687251dd239af4bc7e8773723c902", "offset": [0.0], "shape": []},
            "radians": {"hash": "797789df030dfb87c1512f02060608807d896b1dc8ad3d2365551496a10495a4", "offset": [-0.356194], "shape": []},
        },
    },
}
# END KEYS

register(ValueExercise(
    exercise_id="2.1",
    kind="numbers",
    tolerance=1e-6,
    hint="The frequency is the number of periods per pixel.",
    explanation="A filter tuned to the wall's period answers most strongly to its mortar lines.",
    mistakes={
        "period": "That is the period, in pixels per cycle; the frequency is the number of cycles per pixel.",
        "radians": "That is an angular frequency, in radians per pixel; the Gabor filters here take cycles per pixel.",
        "half_period": "One period is the distance from one mortar line to the next, not half of it.",
    },
    key=KEYS.get("2.1"),
))

register(ValueExercise(
    exercise_id="2.2",
    kind="numbers",
    tolerance=0.5,
    hint="Compute the mean of gabor.response_magnitude(mystery, kernel) for each orientation and take the largest.",
    explanation="A Gabor filter answers most strongly to stripes whose wave runs in its own direction theta.",
    mistakes={
        "along_stripes": "At that orientation the filter's wave runs along the stripes; theta is the direction in "
                         "which the wave varies, across the stripes. Compare the mean response magnitudes again.",
        "radians": "That looks like radians; give the orientation in degrees.",
    },
    key=KEYS.get("2.2"),
))


def magnitude_cases() -> list[tuple]:
    """Stacks of 1, 3 and 16 random response magnitudes of 8×9 pixels (fixed rng)."""
    rng = np.random.default_rng(2)
    return [(rng.random((filters, 8, 9)),) for filters in (1, 3, 16)]


def _interleaved(magnitudes, ddof=0):
    return np.ravel(np.stack([magnitudes.mean(axis=(1, 2)), magnitudes.var(axis=(1, 2), ddof=ddof)], axis=1))


register(FunctionExercise(
    exercise_id="2.3",
    hint="For each filter's map: its mean, then its variance, one filter after the other.",
    reference=_interleaved,
    cases=magnitude_cases,
    mistakes={
        "sample_variance": (lambda magnitudes: _interleaved(magnitudes, ddof=1),
                            "The variances are a little too large: np.var divides by N (the population variance), "
                            "as bank_features does; you divided by N - 1."),
        "grouped": (lambda magnitudes: np.concatenate([magnitudes.mean(axis=(1, 2)), magnitudes.var(axis=(1, 2))]),
                    "All the means come first, then all the variances: alternate them, the mean and variance of "
                    "filter 0, then of filter 1, and so on."),
        "std": (lambda magnitudes: np.ravel(np.stack([magnitudes.mean(axis=(1, 2)), magnitudes.std(axis=(1, 2))],
                                                     axis=1)),
                "That is the standard deviation; the feature is the variance."),
    },
))
