"""grad_cam names the user's arguments when the model's class evidence overflows (issue 22)."""

import keras
import numpy as np
import pytest

from course_lib import cam


def _model():
    inputs = keras.Input((8, 8, 1))
    features = keras.layers.Conv2D(2, 3, padding="same", name="conv",
                                   kernel_initializer=keras.initializers.Constant(1.0))(inputs)
    pooled = keras.layers.GlobalAveragePooling2D()(features)
    outputs = keras.layers.Dense(2, kernel_initializer=keras.initializers.Constant(1.0))(pooled)
    return keras.Model(inputs, outputs)


@pytest.mark.parametrize("method", [cam.grad_cam, cam.class_activation_map])
def test_overflowing_evidence_names_images(method):
    images = np.full((1, 8, 8, 1), 1e38)
    with pytest.raises(ValueError, match=r"^images \[0\] gave NaN or infinite class evidence; got images in \[1e\+38, 1e\+38\]"):
        method(_model(), images)
