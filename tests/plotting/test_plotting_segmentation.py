"""Smoke tests: plotting.segmentation and widgets.segmentation draw what they say."""

import contextlib
import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from course_lib import plotting, widgets  # noqa: E402

NAMES = ["background", "a", "b"]


def masks():
    truth = np.zeros((2, 6, 6), dtype=int)
    truth[:, 1:4, 1:4] = 1
    truth[1, 4:, 4:] = 2
    return truth


def test_show_segmentation_counts_errors():
    truth = masks()
    prediction = truth.copy()
    prediction[0, 0, :3] = 2
    fig = plotting.segmentation.show_segmentation(np.zeros((2, 6, 6, 1)), truth, prediction, NAMES, suptitle="run")
    titles = [ax.get_title() for ax in fig.axes]
    assert titles[:4] == ["image", "truth", "prediction", "errors: 3 px"] and "errors: 0 px" in titles
    assert fig.get_suptitle() == "run"
    # the class colours are named once, below the grid, not beside a panel (which pushed the columns apart)
    assert [t.get_text() for t in fig.legends[0].get_texts()] == NAMES
    assert all(ax.get_legend() is None for ax in fig.axes)
    plt.close(fig)
    with pytest.raises(ValueError, match="must match"):
        plotting.segmentation.show_segmentation(np.zeros((2, 6, 6)), truth, prediction[:1], NAMES)


def test_show_labels_and_overlay():
    ax = plotting.segmentation.show_labels(masks()[1], NAMES, legend=True)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == NAMES
    overlay = plotting.segmentation.show_overlay(np.ones((6, 6)), masks()[0], NAMES, opacity=0.7)
    assert overlay.images[1].get_alpha() == 0.7 and overlay.get_title() == "opacity 0.70"
    plt.close("all")
    with pytest.raises(ValueError, match="mask must be a 2-D integer label map"):
        plotting.segmentation.show_labels(np.zeros((6, 6)), NAMES)
    with pytest.raises(ValueError, match="mask must have the image's size"):
        plotting.segmentation.show_overlay(np.ones((5, 5)), masks()[0], NAMES)
    with pytest.raises(ValueError, match="at most 8 can be coloured"):
        plotting.segmentation.show_labels(masks()[0], [str(i) for i in range(9)])


def test_show_colourisations():
    fig = plotting.segmentation.show_colourisations(
        {"input": np.zeros((3, 4, 4, 1)), "L2": np.full((3, 4, 4, 3), 0.5), "truth": np.ones((3, 4, 4, 3))}, n=2)
    assert [ax.get_title() for ax in fig.axes[:3]] == ["input", "L2", "truth"] and len(fig.axes) == 6
    plt.close(fig)
    with pytest.raises(ValueError, match="same number of images"):
        plotting.segmentation.show_colourisations({"a": np.zeros((2, 4, 4)), "b": np.zeros((3, 4, 4))})
    with pytest.raises(ValueError, match="at least one set"):
        plotting.segmentation.show_colourisations({})


def test_overlay_widget_slider():
    with contextlib.redirect_stdout(io.StringIO()):
        widget = widgets.segmentation.overlay(np.zeros((6, 6)), masks()[0], NAMES, opacity=0.4)
    slider = widget.children[0]
    assert (slider.value, slider.min, slider.max) == (0.4, 0.0, 1.0)
    plt.close("all")
    with pytest.raises(ValueError, match="mask must have the image's size"):
        widgets.segmentation.overlay(np.zeros((5, 5)), masks()[0], NAMES)
