"""Label-map figures refuse classes they cannot colour: beyond class_names, or negative."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from course_lib import plotting  # noqa: E402

NAMES = ["background", "object"]
MASK = np.array([[0, 1], [2, 1]])


@pytest.mark.parametrize("draw", [
    lambda mask: plotting.segmentation.show_labels(mask, NAMES),
    lambda mask: plotting.segmentation.show_overlay(np.zeros((2, 2)), mask, NAMES),
])
def test_a_class_beyond_class_names_is_refused_not_drawn_in_another_colour(draw):
    with pytest.raises(ValueError, match=r"^mask holds class 2 but class_names names 2 classes \(0\.\.1\); a class "
                                         r"without a name would be drawn in another's colour\."):
        draw(MASK)
    with pytest.raises(ValueError, match=r"^mask must be >= 0 \(class numbers\); got -1\.$"):
        draw(MASK - 1)
    plt.close("all")


def test_show_segmentation_names_the_map_with_the_unnamed_class():
    images, masks = np.zeros((1, 2, 2)), np.zeros((1, 2, 2), dtype=int)
    with pytest.raises(ValueError, match=r"^predictions holds class 2 but class_names names 2 classes"):
        plotting.segmentation.show_segmentation(images, masks, MASK[None], NAMES, n=1)
    with pytest.raises(ValueError, match=r"^masks must be a 3-D integer label map \(N, H, W\); got shape \(1, 2, 2\), "
                                         r"dtype float64\.$"):
        plotting.segmentation.show_segmentation(images, masks * 1.0, masks, NAMES, n=1)
    plt.close("all")


def test_every_named_class_is_drawn_in_its_own_colour():
    ax = plotting.segmentation.show_labels(np.array([[0, 1], [1, 0]]), NAMES)
    colours = ax.images[0].to_rgba(ax.images[0].get_array())[..., :3]
    assert not np.allclose(colours[0, 0], colours[0, 1])
    plt.close("all")
