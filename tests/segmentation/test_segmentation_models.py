"""course_lib.segmentation.models: shapes, skips, the encoder inside, errors; the shipped encoder."""

import numpy as np
import pytest

from course_lib import segmentation, training


def test_fcn_and_unet_shapes_and_skips():
    fcn = segmentation.build_fcn((16, 16, 1), 3, filters=(4, 8, 8))
    unet = segmentation.build_unet((16, 16, 1), 3, filters=(4, 8, 8))
    assert fcn.output_shape == unet.output_shape == (None, 16, 16, 3)
    names = {layer.name for layer in unet.layers}
    assert {"dec1_skip", "dec2_skip"} <= names and not {"dec1_skip"} & {layer.name for layer in fcn.layers}
    probabilities = unet.predict(np.zeros((2, 16, 16, 1)), verbose=0)
    np.testing.assert_allclose(probabilities.sum(axis=-1), 1.0, rtol=1e-5)
    regression = segmentation.build_unet((16, 16, 1), 2, filters=(4, 8), activation="linear")
    assert regression.get_layer("pixels").activation.__name__ == "linear"


def test_given_encoder_is_used_and_can_be_frozen():
    training.set_seed(0)
    encoder = segmentation.build_encoder((16, 16, 1), filters=(4, 8))
    model = segmentation.build_unet(outputs=2, encoder=encoder)
    assert model.get_layer("encoder") is encoder
    encoder.trainable = False
    assert not any(w is v for w in encoder.weights for v in model.trainable_weights)
    assert model.trainable_weights  # the decoder still trains


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: segmentation.build_encoder((18, 18, 1), filters=(4, 8, 8)), ValueError, "must be divisible by 4"),
        (lambda: segmentation.build_encoder((16, 16)), ValueError, "input_shape must be"),
        (lambda: segmentation.build_encoder((16, 16, 1), filters=()), ValueError, "at least one block"),
        (lambda: segmentation.build_fcn((16, 16, 1), 2, activation="relu"), ValueError, "activation must be one of"),
        (lambda: segmentation.build_unet(outputs=2, encoder="vgg"), TypeError, "encoder must be a keras.Model"),
        (lambda: segmentation.build_tagger(segmentation.build_encoder((8, 8, 1), filters=(2,)), 0), ValueError,
         "tags must be >= 1"),
    ],
)
def test_errors(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_shipped_encoder_and_record():
    encoder = segmentation.load_encoder()
    assert [tuple(o.shape) for o in encoder.outputs][-1][1:3] == (12, 12)
    record = segmentation.encoder_record()
    assert record["tag_accuracy_test"] > 0.8
    assert segmentation.load_encoder() is not encoder  # a fresh copy every call


def test_build_tagger_names_a_wrong_encoder():
    with pytest.raises(TypeError, match=r"^encoder must be a Keras model \(build_encoder or load_encoder\); got str"):
        segmentation.build_tagger("abc", 3)
