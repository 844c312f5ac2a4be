"""Chapter 3's exercises: the right answers pass, each typical mistake gets its diagnosis, nothing leaks."""

from course_lib import checks


def test_shape_and_parameter_mistakes(assert_value_exercise, assert_no_leak):
    mistakes = {"valid": [14, 14, 16, 1216], "no_bias": [16, 16, 16, 1200], "no_input_channels": [16, 16, 16, 416],
                "no_stride": [32, 32, 16, 1216]}
    assert_value_exercise("3.1", [16, 16, 16, 1216], mistakes)
    assert_no_leak("3.1", [16, 16, 16, 1216])
    assert checks.check("3.1", [16, 16, 16]).message == "Expected 4 values, got 3 values."


def test_the_pooling_choice(assert_value_exercise, assert_no_leak):
    assert_value_exercise("3.3", "b", {"larger_kernels": "a", "pooling_weights": "c"})
    assert_no_leak("3.3", "b")
    assert checks.check("3.3", "e").message == "Answer with the letter of one of the 3 choices listed above."


def test_residual_block_diagnoses():
    from keras import layers

    def block(x, filters, *, skip=True, final_relu=True, bias=True, kernel=3):
        y = layers.Conv2D(filters, kernel, padding="same", activation="relu", use_bias=bias)(x)
        y = layers.Conv2D(filters, kernel, padding="same", use_bias=bias)(y)
        y = layers.Add()([x, y]) if skip else y
        return layers.Activation("relu")(y) if final_relu else y

    assert checks.check("3.2", block).passed
    assert "added back" in checks.check("3.2", lambda x, f: block(x, f, skip=False)).message
    assert "ReLU after the Add is missing" in checks.check("3.2", lambda x, f: block(x, f, final_relu=False)).message
    assert "biases" in checks.check("3.2", lambda x, f: block(x, f, bias=False)).message
    assert "another kernel size" in checks.check("3.2", lambda x, f: block(x, f, kernel=5)).message
    assert "keep the shape" in checks.check("3.2", lambda x, f: layers.Conv2D(2, 3)(x)).message
    assert checks.check("3.2", lambda x, f: 1 / 0).message.startswith("Building your block on an (8, 8, 4) input raised ZeroDivisionError")
    assert checks.check("3.2", 3).message.startswith("Expected a function")


def test_a_stub_block_is_not_answered_yet():
    def stub(x, filters):
        raise NotImplementedError

    assert checks.check("3.2", stub).message == checks.NOT_ANSWERED
