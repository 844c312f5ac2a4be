"""Chapter 6 (autoencoders): the exercises' keys and typical mistakes."""

from __future__ import annotations

from course_lib import autoencoders
from course_lib.checks.registry import ContextExercise, register
from course_lib.checks.values import ValueExercise

# BEGIN KEYS (written by `python -m course_lib.checks write-key`; do not edit by hand)
KEYS = {
    "6.2": {
        "answer": {"hash": "bd6a288e9ae4a7cb3790b9c38ff5d69198fa46d6d0c201ee429ee8c87eede0ea", "shape": []},
        "mistakes": {
            "next_size": {"hash": "f0af2b7a6964d0829fbcf5d50b36622faca83f71d6cbf922a2fde2bdfdd640bc", "shape": []},
            "square": {"hash": "f42fe3ebd9d16f93bfbeec4c1c78e0cd4f7872453ac8e4c696ce0c8570a0bc21", "shape": []},
        },
    },
    "6.3": {
        "answer": {"hash": "9aeb95d64138c5a755540c0bfebf60df66f1a873f02fdac89839030b22a4570c", "offset": [-0.103], "shape": []},
        "mistakes": {
            "sigma_not_variance": {"hash": "30598b309a81d4ee6f9894569221b756aee33cbfcb187d7561cc483a0d7fb104", "offset": [-0.0515], "shape": []},
            "twenty_log": {"hash": "55edd0a24d9f89926cb30e1a8224f3132df88337a4afc0568fcb763bdf8d18f3", "offset": [-0.205999], "shape": []},
            "inverted": {"hash": "af35d3e33fc9790669e05888919d74ba44a062ae512734ff2b6f47ad55215f23", "offset": [0.103], "shape": []},
        },
    },
    "6.4": {
        "answer": {"hash": "5931fe729a56125e248e291427c3dca84d272968dde6660ecb2a29351b38ff68", "offset": [0.333333, 0.0], "shape": [2]},
        "mistakes": {
            "swapped": {"hash": "13a8ed6c1903998666b60407b0f9bcac607d587ea34b7ecc6d14d619e0a73733", "offset": [0.0, 0.333333], "shape": [2]},
            "both_mean": {"hash": "b8d4616b50e5068f4a743bf1752485f3084d8b305a0dc2c70d60e774ce0f42cd", "offset": [0.333333, 0.333333], "shape": [2]},
        },
    },
}
# END KEYS

ALLOWED = ("transpose", "upsample")


def decoder_rule(layers) -> str | None:
    """``None`` when ``layers`` bring a 4×4 map to 28×28 with the allowed layers, else a diagnosis.

    Examples
    --------
    >>> decoder_rule([("upsample", 2), ("transpose", 7), ("upsample", 2)]) is None
    True
    >>> decoder_rule([("upsample", 2), ("transpose", 8), ("upsample", 2)])
    'Your decoder ends at 30×30. Work backwards from 28: which size doubles to 28, and how do you reach that size from 4?'
    """
    if not isinstance(layers, (list, tuple)) or not layers:
        return "Answer a list of layer tuples, e.g. [(\"transpose\", 3), (\"upsample\", 2), ...]."
    for layer in layers:
        if not isinstance(layer, tuple) or not layer or layer[0] not in ALLOWED:
            return f"{layer!r} is not allowed here: use only (\"transpose\", k) and (\"upsample\", 2) layers."
        if len(layer) > 2:
            return f"{layer!r}: keep the transposed convolutions at stride 1 with valid padding, i.e. (\"transpose\", k)."
    try:
        size = autoencoders.trace_sizes(4, list(layers))[-1]
    except (TypeError, ValueError) as error:
        return f"trace_sizes cannot follow your layers: {error}"
    if size == 28:
        return None
    if size in (27, 29):
        return (f"Your decoder ends at {size}×{size}, one pixel off: a valid transposed convolution of kernel k "
                "adds k - 1 pixels, not k.")
    if size in (14, 56):
        return (f"Your decoder ends at {size}×{size}: a factor of two away, so one (\"upsample\", 2) too "
                f"{'few' if size == 14 else 'many'}.")
    return (f"Your decoder ends at {size}×{size}. Work backwards from 28: which size doubles to 28, and how do you "
            "reach that size from 4?")


register(ContextExercise(
    exercise_id="6.1",
    hint="Work backwards from 28: which size doubles to 28, and how do you reach it?",
    explanation="Mirroring the encoder layer by layer is the safest way to get the sizes right.",
    rule=decoder_rule,
))

register(ValueExercise(
    exercise_id="6.2",
    kind="integers",
    hint="The copies of the kernel overlap evenly when the stride divides the kernel size.",
    explanation="With a kernel size divisible by the stride every output pixel gets the same number of copies.",
    mistakes={
        "next_size": "The next size up still overlaps unevenly: some output pixels get one copy of the kernel, "
                     "others two. Which kernel sizes does the stride divide?",
        "square": "That one is uniform too, but it is not the smallest: the stride must divide the kernel size, "
                  "not its square root.",
    },
    key=KEYS.get("6.2"),
))

register(ValueExercise(
    exercise_id="6.3",
    kind="numbers",
    tolerance=0.1,
    hint="The MSE of unclipped noise is its variance, σ²; PSNR = 10 log10(1 / MSE) for images in [0, 1].",
    explanation="The MSE of unclipped noise is its variance.",
    mistakes={
        "sigma_not_variance": "That uses σ as the MSE; the MSE of the noise is its variance, σ².",
        "twenty_log": "With the MSE in the formula the factor is 10, not 20 (20 goes with the root of the MSE).",
        "inverted": "The PSNR of a noisy image is positive: 10 log10(peak² / MSE), not MSE / peak².",
    },
    key=KEYS.get("6.3"),
))

register(ValueExercise(
    exercise_id="6.4",
    kind="numbers",
    tolerance=1e-3,
    hint="The squared error is minimised by the mean of the targets, the absolute error by their median.",
    explanation="The mean is a grey value (blur); the median is one of the targets (sharp).",
    mistakes={
        "swapped": "Those two are the wrong way round: which statistic minimises the squared error, "
                   "which the absolute error?",
        "both_mean": "The mean minimises the squared error, but not the absolute error: moving the prediction "
                     "towards the majority lowers the total absolute error.",
    },
    key=KEYS.get("6.4"),
))
