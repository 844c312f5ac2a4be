"""Contracts of the Keras builders (issue 22): depth, blocks, channels and steps have documented caps."""

import numpy as np
import pytest

from course_lib import cnn


@pytest.mark.parametrize("call, match", [
    (lambda: cnn.deep_net(depth=10**9), r"^depth must be <= 200; got 1000000000\. Deeper networks"),
    (lambda: cnn.deep_net(depth=4, width=10**5), r"^width must be <= 4096; got 100000\. Wider layers"),
    (lambda: cnn.small_resnet(blocks_per_stage=10**5), r"^blocks_per_stage must be <= 200"),
    (lambda: cnn.small_convnet((16, 16, 1), filters=(10**9,)), r"^filters must be <= 4096"),
    (lambda: cnn.small_convnet((10**6, 16, 1)), r"^input_shape must be <= 8192; got 1000000"),
    (lambda: cnn.small_convnet((16, 16, 1), seed=-1), r"^seed must be an int in 0\.\.4294967295; got -1"),
])
def test_builders_refuse_sizes_beyond_their_caps(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_filter_patterns_caps_the_steps():
    model = cnn.small_convnet((16, 16, 1), filters=(2,), seed=0)
    layer = cnn.feature_layer_names(model)[0]
    with pytest.raises(ValueError, match=r"^steps must be <= 10000; got 1000000\. A few hundred steps"):
        cnn.filter_patterns(model, layer, [0], steps=10**6)
    assert np.isfinite(cnn.filter_patterns(model, layer, [0], steps=2)[0]).all()
    with pytest.raises(TypeError, match=r"^filter_indices must be a list of ints; got NoneType"):
        cnn.filter_patterns(model, layer, None, steps=2)


def test_filter_lists_must_be_lists():
    with pytest.raises(TypeError, match=r"^filters must be a list of ints; got NoneType"):
        cnn.small_resnet(filters=None)
    with pytest.raises(TypeError, match=r"^filters must be a list of ints; got str"):
        cnn.small_convnet((16, 16, 1), filters="8")
