"""Contracts of cam (issue 22): box counts, upsampling sizes, overlays of 8-bit images."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from course_lib import cam, plotting  # noqa: E402

PROFILE = settings(derandomize=True, max_examples=25, deadline=None, database=None)
HEATMAP = np.linspace(0, 1, 64).reshape(8, 8)


def test_box_iou_refuses_different_box_counts():
    with pytest.raises(ValueError, match=r"^boxes_a and boxes_b must hold the same number of boxes .* got 3 and 2"):
        cam.box_iou(np.tile([0, 0, 2, 2], (3, 1)), np.tile([0, 0, 2, 2], (2, 1)))


def test_upsample_refuses_a_huge_size():
    with pytest.raises(ValueError, match=r"^size asks for .* GiB for 1 heatmaps of 100000 x 100000"):
        cam.upsample(HEATMAP[None], 100_000)


def test_overlay_converts_uint8_images():
    image = np.full((8, 8, 3), 255, dtype=np.uint8)
    ax = plotting.cam.overlay(image, HEATMAP, colorbar=False)
    assert ax.images[0].get_array().max() == 1.0
    plt.close("all")


def test_overlay_refuses_0_255_floats_and_5_channels():
    with pytest.raises(ValueError, match=r"^image must lie in \[0, 1\] \(give or take 0\.5\).*divide it by 255"):
        plotting.cam.overlay(np.full((8, 8), 200.0), HEATMAP)
    with pytest.raises(ValueError, match=r"^image must have 1 or 3 or 4 channels in its last axis; got shape \(8, 8, 5\)"):
        plotting.cam.overlay(np.zeros((8, 8, 5)), HEATMAP)
    plt.close("all")


def test_random_heatmaps_refuse_a_negative_seed():
    with pytest.raises(ValueError, match=r"^rng must be an int in 0\.\.4294967295; got -1"):
        cam.random_heatmaps(2, (8, 8), rng=-1)


@PROFILE
@given(st.lists(st.tuples(st.integers(0, 9), st.integers(0, 9), st.integers(1, 6), st.integers(1, 6)), min_size=1, max_size=4))
def test_box_iou_of_a_box_with_itself_is_one(boxes):
    boxes = np.array([(r, c, r + h, c + w) for r, c, h, w in boxes])
    np.testing.assert_allclose(cam.box_iou(boxes, boxes), 1.0)
    assert np.all(cam.box_iou(boxes, boxes[:1]) <= 1.0)
