"""Chapter 9 (class activation maps): the exercises' keys and typical mistakes."""

from __future__ import annotations

import numpy as np

from course_lib.checks.functions import FunctionExercise
from course_lib.checks.registry import register
from course_lib.checks.values import ValueExercise

# BEGIN KEYS (written by `python -m course_lib.checks write-key`; do not edit by hand)
KEYS = {
    "9.1": {
        "answer": {"hash": "719ae29cdca4e329b3530fdb1276580f9a1456855dbdd36778ec41b51fda6217", "offset": [0.0, 0.0, 0.0, 0.0], "shape": [2, 2]},
        "mistakes": {
            "no_relu": {"hash": "48455a227f8db60f920295990ee29a21239353803142d87619e8ac29db0f0e29", "offset": [0.0, 0.0, 0.0, 0.0], "shape": [2, 2]},
            "sign": {"hash": "4e2b18bae835c8b45d0148abdefba540fb5bffff0d186415e97f53430ca9fd47", "offset": [-0.333333, 0.0, 0.333333, 0.333333], "shape": [2, 2]},
        },
    },
    "9.3": {
        "answer": {"hash": "81aae41fe7b8f6810b923b8f9d227cdadfe56106f593f357c7a4d000ced2f3dc", "shape": []},
        "mistakes": {
            "smoothness": {"hash": "41486251f1cd4c6c438c83b34ae88abb52c6e772565da8200b896e2cc50ab427", "shape": []},
            "training": {"hash": "2f8a53f23cbc3f9245adec8e2ddd170525bb639cff10325cfdffc9544991901a", "shape": []},
        },
    },
}
# END KEYS

register(ValueExercise(
    exercise_id="9.1",
    kind="numbers",
    tolerance=1e-3,
    hint="Weight each channel by its averaged gradient and add them up first, then the ReLU, then divide by the "
         "largest value.",
    explanation="Negative evidence is cut by the ReLU before the map is scaled to a maximum of 1.",
    mistakes={
        "no_relu": "Your map has negative values: the ReLU after the weighted sum is missing.",
        "sign": "Check the sign of the second channel's weight: it is negative, so that channel is subtracted, not "
                "added.",
    },
    key=KEYS.get("9.1"),
))


def _grad_cam(images, model, *, relu=True, normalise=True, probability=False):
    """Grad-CAM at ``conv3`` for each image's predicted class, with the typical mistakes as options."""
    import keras
    import tensorflow as tf

    outputs = [model.get_layer("conv3").output, model.output if probability else model.get_layer("gap").output]
    grad_model = keras.Model(model.inputs[0], outputs)
    dense = model.get_layer("scores")
    with tf.GradientTape() as tape:
        feature_maps, second = grad_model(np.asarray(images, dtype="float32"))
        scores = second if probability else tf.matmul(second, dense.kernel) + dense.bias
        chosen = tf.reduce_max(scores, axis=1)
    alpha = tf.reduce_mean(tape.gradient(chosen, feature_maps), axis=(1, 2), keepdims=True)
    maps = tf.reduce_sum(alpha * feature_maps, axis=-1).numpy()
    maps = np.maximum(maps, 0) if relu else maps
    if normalise:
        maps = maps / np.maximum(np.abs(maps).max(axis=(1, 2), keepdims=True), 1e-12)
    return maps


def _reference(batch, *, model, **_):
    from course_lib import cam

    return cam.grad_cam(model, batch, resize_to_input=False)


register(FunctionExercise(
    exercise_id="9.2",
    hint="The logits come before the softmax; α is the gradient averaged over the 16×16 positions of each channel; "
         "then the weighted sum over channels, a ReLU, and a division by each map's maximum.",
    reference=_reference,
    cases=lambda model, images: [(images,)],
    context=("model", "images"),
    atol=1e-4,
    mistakes={
        "no_relu": (lambda batch, *, model, **_: _grad_cam(batch, model, relu=False),
                    "Your maps have negative values: apply a ReLU to the weighted sum before dividing."),
        "unnormalised": (lambda batch, *, model, **_: _grad_cam(batch, model, normalise=False),
                         "The maps are right up to scale: divide each by its own maximum."),
        "probability": (lambda batch, *, model, **_: _grad_cam(batch, model, probability=True),
                        "That differentiates the softmax probability; Grad-CAM uses the logit before the softmax, "
                        "pooled @ kernel + bias."),
    },
))

register(ValueExercise(
    exercise_id="9.3",
    kind="choice",
    choices=("a", "b", "c"),
    hint="A baseline ignores the image: what can it still exploit?",
    explanation="A baseline that ignores the image still exploits where objects tend to be.",
    mistakes={
        "smoothness": "Smoothness alone does not point anywhere: a smooth map centred elsewhere would score low.",
        "training": "The baselines never look at the network: what they exploit is where the shapes lie.",
    },
    key=KEYS.get("9.3"),
))
