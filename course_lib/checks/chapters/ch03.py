"""Chapter 3 (Keras CNNs): the exercises' keys and typical mistakes.

Exercise 3.2 builds the student's block with Keras, imported when the exercise is checked.
"""

from __future__ import annotations

import numpy as np

from course_lib.checks.registry import ContextExercise, register
from course_lib.checks.values import ValueExercise

# BEGIN KEYS (written by `python -m course_lib.checks write-key`; do not edit by hand)
KEYS = {
    "3.1": {
        "answer": {"hash": "7f4d59f77ca12e8eb329911474a90ed355f6d75adacfb982fa381757cde389ce", "shape": [4]},
        "mistakes": {
            "valid": {"hash": "5b265f124ef0b56bf86825083ba55e79d656eac3216756c5b57d97635eccd306", "shape": [4]},
            "no_bias": {"hash": "5f2f78254098eb837a44cf42937433a0a26d8b0c0f70313267ebac0919454bd3", "shape": [4]},
            "no_input_channels": {"hash": "1e1f05924e4179bc590f225540dd1f2b09f7c0814bbeab79afeb5e698611a1d0", "shape": [4]},
            "no_stride": {"hash": "0894ce3021c724070cf8ab34134212dc3f1e258eddf69e473e0a041d2f926a7c", "shape": [4]},
        },
    },
    "3.3": {
        "answer": {"hash": "67d75794bb18d59c719e36a49bda2bcb4b09ef1bf582f1d34b8fb355b84025e8", "shape": []},
        "mistakes": {
            "larger_kernels": {"hash": "2c6c2f16255c3f9d93bcc8c7e090468d7f0f56bc16916805addf0c01d4a0eb6a", "shape": []},
            "pooling_weights": {"hash": "ffac4aba4a0522c2c3dd698859e390a1fe4079e3baae918f6170bccf42c274d3", "shape": []},
        },
    },
}
# END KEYS

register(ValueExercise(
    exercise_id="3.1",
    kind="integers",
    hint="'same' padding with stride 2 divides the size by 2, rounding up; each filter has kh * kw * C_in weights "
         "and a bias.",
    explanation="The parameter count depends on the kernel and the channels, not on the image size.",
    mistakes={
        "valid": "Those rows and columns are what 'valid' padding gives; with 'same' padding the output size is "
                 "ceil(32 / stride).",
        "no_bias": "Each filter also has a bias: add one parameter per filter.",
        "no_input_channels": "Each filter spans all 3 input channels: a 5×5 kernel per input channel.",
        "no_stride": "The stride of 2 halves the rows and columns as well.",
    },
    key=KEYS.get("3.1"),
))

BLOCK_INPUT = (8, 8, 4)  # (H, W, C) of the input the check builds the block on
BLOCK_PARAMETERS = 2 * (3 * 3 * 4 * 4 + 4)  # two 3×3 convolutions of 4 filters on 4 channels, with biases


def _residual_rule(block_function) -> str | None:
    if not callable(block_function):
        return f"Expected a function (def my_residual_block(x, filters): ...); got {type(block_function).__name__}."
    import keras  # only this exercise needs Keras

    block_input = keras.Input(shape=BLOCK_INPUT)
    try:
        model = keras.Model(block_input, block_function(block_input, BLOCK_INPUT[-1]))
    except NotImplementedError:
        raise
    except Exception as error:  # a student's bug is feedback, not a crash
        return f"Building your block on an {BLOCK_INPUT} input raised {type(error).__name__}: {error}"
    if tuple(model.output_shape[1:]) != BLOCK_INPUT:
        return (f"Your block turns an {BLOCK_INPUT} input into {tuple(model.output_shape[1:])}: keep the shape, with "
                "'same' padding and `filters` filters in both convolutions.")
    parameters = model.count_params()
    model.set_weights([np.zeros_like(weight) for weight in model.get_weights()])
    x = np.random.default_rng(3).normal(size=(2, *BLOCK_INPUT)).astype("float32")
    output = np.asarray(model(x))
    if parameters == BLOCK_PARAMETERS - 2 * BLOCK_INPUT[-1]:
        return "Both convolutions need their biases (Conv2D's default use_bias=True)."
    if parameters != BLOCK_PARAMETERS:
        return (f"Your block has {parameters} parameters, not what two 3×3 convolutions with `filters` filters "
                "(and their biases) hold: are there extra layers with weights, or another kernel size?")
    if np.allclose(output, x, atol=1e-6):
        return "With all weights at zero your block returns x itself: the ReLU after the Add is missing."
    if not np.allclose(output, np.maximum(x, 0), atol=1e-6):
        return ("With all weights at zero your block should return relu(x); that holds only if the block's input "
                "is added back (layers.Add()([x, y])) before the last ReLU.")
    return None


register(ContextExercise(
    exercise_id="3.2",
    hint="",
    explanation="The skip connection carries x past both convolutions.",
    rule=_residual_rule,
))

register(ValueExercise(
    exercise_id="3.3",
    kind="choice",
    choices=("a", "b", "c"),
    hint="Compare the model summaries with and without pooling: which layer's count grows?",
    explanation="Convolution kernels have the same size with or without pooling; the dense layer connects every "
                "value of the last feature map to every unit.",
    mistakes={
        "larger_kernels": "The kernels keep their size with or without pooling: a Conv2D's parameters do not depend "
                          "on the size of its input.",
        "pooling_weights": "Pooling layers have no parameters at all: they take the maximum (or mean) of each window.",
    },
    key=KEYS.get("3.3"),
))
