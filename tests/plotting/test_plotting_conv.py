"""Smoke tests of the convolution figures and widget: each runs and draws what it should."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from course_lib import conv, plotting, widgets

SQUARE = np.zeros((8, 8))
SQUARE[2:6, 2:6] = 1.0
SOBEL = np.array([[1.0, 2.0, 1.0], [0.0, 0.0, 0.0], [-1.0, -2.0, -1.0]])


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_show_correlation_step_draws_partial_output():
    fig = plotting.conv.show_correlation_step(SQUARE, SOBEL, 7)
    axes = fig.axes
    assert [ax.get_title() for ax in axes[:3]] == ["input and window", "kernel", "window x kernel (sum = -3)"]  # bright rows below: negative
    partial = axes[3].images[0].get_array()
    assert np.count_nonzero(~np.isnan(np.ma.filled(partial, np.nan))) == 8  # positions 0..7 filled
    assert axes[3].get_title() == "output[1, 1] = -3"


def test_show_correlation_step_rejects_out_of_range_position():
    with pytest.raises(ValueError, match=r"position must be in \[0, 35\]"):
        plotting.conv.show_correlation_step(SQUARE, SOBEL, 36)


def test_show_step_strip_one_column_per_frame():
    fig = plotting.conv.show_step_strip(SQUARE, SOBEL, [0, 10, 35], padding="valid")
    assert len(fig.axes) == 6
    assert [ax.get_title() for ax in fig.axes[:3]] == ["step 0", "step 10", "step 35"]
    with pytest.raises(ValueError, match="at least one output pixel"):
        plotting.conv.show_step_strip(SQUARE, SOBEL, [])


def test_show_responses_draws_each_response():
    fig = plotting.conv.show_responses(SQUARE, {"sobel": SOBEL, "identity": np.eye(1)})
    titles = [ax.get_title() for ax in fig.axes]
    assert "sobel response" in titles and "identity response" in titles
    response = fig.axes[4].images[0].get_array()  # row 2, column 2: the sobel response
    np.testing.assert_allclose(response, conv.correlate2d(SQUARE, SOBEL, padding="same"))
    fig_relu = plotting.conv.show_responses(SQUARE, {"sobel": SOBEL}, relu=True)
    assert float(fig_relu.axes[3].images[0].get_array().min()) == 0.0
    with pytest.raises(ValueError, match="at least one name"):
        plotting.conv.show_responses(SQUARE, {})


def test_show_pooling_titles_give_sizes():
    fig = plotting.conv.show_pooling(SQUARE, 2)
    assert [ax.get_title() for ax in fig.axes] == ["input 8x8", "max pooling 2x2 -> 4x4", "average pooling 2x2 -> 4x4"]


def test_show_conv_matrix_and_receptive_fields():
    matrix = conv.conv_matrix((4, 4), np.ones((3, 3)))
    ax = plotting.conv.show_conv_matrix(matrix, input_shape=(4, 4))
    assert ax.images[0].get_array().shape == (4, 16)
    ax = plotting.conv.plot_receptive_fields({"3x3 convs": ([3, 3, 3], [1, 1, 1])})
    np.testing.assert_array_equal(ax.lines[0].get_ydata(), [3, 5, 7])
    with pytest.raises(ValueError, match="at least one named stack"):
        plotting.conv.plot_receptive_fields({})


def test_generic_helpers():
    ax = plotting.show_image(SQUARE, title="square", colorbar=True)
    assert ax.get_title() == "square" and len(ax.figure.axes) == 2
    fig = plotting.show_images(np.stack([SQUARE] * 3), titles=["a", "b", "c"], columns=2)
    assert [ax.get_title() for ax in fig.axes if ax.get_title()] == ["a", "b", "c"]
    ax = plotting.show_kernel(SOBEL, title="sobel")
    assert len(ax.texts) == 9
    axes = plotting.plot_history({"loss": [1.0, 0.5], "val_loss": [1.1, 0.7]}, smoothing=0.5)
    assert len(axes[0].lines) == 2
    with pytest.raises(ValueError, match="history has no metric 'accuracy'"):
        plotting.plot_history({"loss": [1.0]}, metrics=("accuracy",))
    with pytest.raises(ValueError, match="titles must have one entry per image"):
        plotting.show_images(np.stack([SQUARE] * 3), titles=["a"])
    with pytest.raises(AttributeError, match="no function or topic 'nonexistent'"):
        plotting.nonexistent  # noqa: B018


def test_step_through_widget_wraps_the_step_figure():
    widget = widgets.conv.step_through(SQUARE, SOBEL)
    slider = widget.children[0]
    assert (slider.min, slider.max) == (0, 35)
    slider.value = 5
    assert slider.value == 5
