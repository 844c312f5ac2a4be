"""Chapter 10 (image restoration): the exercises' keys and typical mistakes."""

from __future__ import annotations

import numpy as np

from course_lib import restoration
from course_lib.checks.functions import FunctionExercise
from course_lib.checks.registry import register
from course_lib.checks.values import ValueExercise

# BEGIN KEYS (written by `python -m course_lib.checks write-key`; do not edit by hand)
KEYS = {
    "10.1": {
        "answer": {"hash": "ca5013aa48cfc97a87ce6032db64a06c05cd6c3c782e226d84703644608c4895", "shape": []},
        "mistakes": {
            "no_last": {"hash": "5ddd9f76607530bab771675a2719bf18ffdc8a7ba7acdf1f6d33adc75cfad126", "shape": []},
            "image_over_stride": {"hash": "4f728a77f59cc4285fa0d81684f0aad25c1dccbb61cbf2b6c160f008ee0fb75d", "shape": []},
            "one_axis": {"hash": "bb2e96a2bea375fae8d9ff93dadd325c95401d6527dccea428a29f96818d78b3", "shape": []},
        },
    },
    "10.3": {
        "answer": {"hash": "b788f04bb93ad1e36c6cb5de81588d6057217ad48b56e56d7e0e16ceec1c9830", "shape": []},
        "mistakes": {
            "as_good": {"hash": "0274624a4d043ef385613e1a7c55e95b78f7be16a21d6fbc690405146b9f5306", "shape": []},
            "refuses": {"hash": "8e36e69e898586327b4047f34af58ad09894c40958383f9d9519f56a0ad6cb68", "shape": []},
        },
    },
}
# END KEYS

register(ValueExercise(
    exercise_id="10.1",
    kind="integers",
    hint="Count the start positions along one axis (0, 10, ..., and the last one moved in), then square.",
    explanation="The last row and column of patches are moved in so that every pixel is covered.",
    mistakes={
        "no_last": "That misses the last row and column of patches, moved in to end at the border: one more "
                   "start position per axis.",
        "image_over_stride": "A patch cannot start closer to the border than its size: the last start is "
                             "512 - 40, not 512 - 10.",
        "one_axis": "That is the count along one axis; the patches form a grid, so square it.",
    },
    key=KEYS.get("10.1"),
))


def averaging_cases() -> list[tuple]:
    """Random 4×4 patches (fixed rng) of 6×6, 7×9 and 10×8 images at strides 2, 3 and 4, with their corners."""
    rng = np.random.default_rng(10)
    cases = []
    for size, stride in [((6, 6), 2), ((7, 9), 3), ((10, 8), 4)]:
        _, corners = restoration.extract_patches(np.zeros(size), 4, stride=stride)
        cases.append((rng.random((len(corners), 4, 4)), corners, size))
    return cases


def _summed(patches, corners, shape, *, divide_by=None, overwrite=False):
    total, count = np.zeros(shape), np.zeros(shape)
    size = patches.shape[1]
    for patch, (row, col) in zip(patches, corners):
        if overwrite:
            total[row:row + size, col:col + size] = patch
        else:
            total[row:row + size, col:col + size] += patch
        count[row:row + size, col:col + size] += 1
    if overwrite:
        return total
    return total / (count if divide_by is None else divide_by)


register(FunctionExercise(
    exercise_id="10.2",
    hint="Keep two arrays of the image's shape: the sum of the patch values and the number of patches covering "
         "each pixel; divide at the end.",
    reference=restoration.average_patches,
    cases=averaging_cases,
    mistakes={
        "sum_only": (lambda patches, corners, shape: _summed(patches, corners, shape, divide_by=1.0),
                     "Your image holds the sums of the overlapping patches: divide each pixel by the number of "
                     "patches covering it."),
        "by_patch_count": (lambda patches, corners, shape: _summed(patches, corners, shape, divide_by=len(patches)),
                           "You divided by the total number of patches; each pixel is covered by its own number "
                           "of patches (fewer near the border)."),
        "overwrite": (lambda patches, corners, shape: _summed(patches, corners, shape, overwrite=True),
                      "Each patch overwrites the ones before it: add the patches up (+=) and divide by the "
                      "coverage count."),
    },
))

register(ValueExercise(
    exercise_id="10.3",
    kind="choice",
    choices=("a", "b", "c"),
    hint="What has a network fitted to one noise level learned to subtract?",
    explanation="A network fitted to one noise level subtracts that much; drawing the level at random for every "
                "training patch teaches it to estimate the level first.",
    mistakes={
        "as_good": "A network trained at one level learns to remove that much noise; it does not measure the "
                   "level of a new image.",
        "refuses": "A network runs on any input of the right shape: it cannot notice that the statistics differ.",
    },
    key=KEYS.get("10.3"),
))
