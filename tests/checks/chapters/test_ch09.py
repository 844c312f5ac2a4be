"""Chapter 9's exercises: the right answers pass, each typical mistake gets its diagnosis, nothing leaks."""

import numpy as np
import pytest

from course_lib import checks

HEATMAP = [[0.5, 0.0], [0.0, 1.0]]


def test_value_exercises_diagnose_their_mistakes(assert_value_exercise, assert_no_leak):
    assert_value_exercise("9.1", HEATMAP, {"no_relu": [[0.5, -3.0], [-1.0, 1.0]], "sign": [[1 / 6, 1.0], [1 / 3, 1 / 3]]})
    assert_no_leak("9.1", HEATMAP)
    assert checks.check("9.1", [0.5, 0.0, 0.0, 1.0]).message == "Expected an array of shape (2, 2), got 4 values."
    assert_value_exercise("9.3", "a", {"smoothness": "b", "training": "c"})
    assert_no_leak("9.3", "a")


@pytest.fixture(scope="module")
def gap_model():
    """A tiny untrained network with the chapter's layer names: conv3 -> gap -> scores (softmax)."""
    import keras

    keras.utils.set_random_seed(9)
    inputs = keras.Input((16, 16, 1))
    x = keras.layers.Conv2D(4, 3, padding="same", activation="relu", name="conv3")(inputs)
    pooled = keras.layers.GlobalAveragePooling2D(name="gap")(x)
    outputs = keras.layers.Dense(3, activation="softmax", name="scores")(pooled)
    return keras.Model(inputs, outputs)


def test_grad_cam_mistakes_are_recognised(gap_model):
    from course_lib.checks.chapters import ch09

    images = np.random.default_rng(9).random((2, 16, 16, 1)).astype("float32")
    context = {"model": gap_model, "images": images}
    assert checks.check("9.2", lambda x: ch09._grad_cam(x, gap_model), **context).passed
    for name, options in [("no_relu", {"relu": False}), ("unnormalised", {"normalise": False}),
                          ("probability", {"probability": True})]:
        feedback = checks.check("9.2", lambda x, options=options: ch09._grad_cam(x, gap_model, **options), **context)
        assert not feedback.passed and feedback.message.endswith(ch09.FunctionExercise and
                                                                 checks.get_exercise("9.2").mistakes[name][1]), name
    with pytest.raises(ValueError, match="needs the context value"):
        checks.check("9.2", lambda x: x, model=gap_model)
