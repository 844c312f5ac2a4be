"""Smoke tests of the Gabor figures and widget: each runs and draws what it should."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from course_lib import gabor, plotting, widgets

IMAGE = gabor.grating((24, 24), 0.25, theta=np.pi / 2)
BANK = gabor.gabor_bank([0.1, 0.25], [0.0, np.pi / 2], 1.5)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_show_gabor_kernel_draws_real_imaginary_and_envelope():
    fig = plotting.gabor.show_gabor_kernel(BANK[1])
    titles = [ax.get_title() for ax in fig.axes if ax.images]
    assert titles == ["real part (cosine, even)", "imaginary part (sine, odd)", "magnitude (envelope)"]
    assert fig.get_suptitle() == "f=0.10, θ=90°, σ=1.5"
    np.testing.assert_allclose(fig.axes[0].images[0].get_array(), BANK[1].kernel.real)
    assert len(fig.axes) == 6  # three panels and three colour bars


def test_show_parameter_sweep_pads_to_a_common_size():
    fig = plotting.gabor.show_parameter_sweep("sigma", [1.0, 2.0, 4.0], frequency=0.2)
    shapes = {ax.images[0].get_array().shape for ax in fig.axes}
    assert shapes == {(25, 25)}  # 2 * ceil(3 * 4) + 1
    assert [ax.get_title() for ax in fig.axes] == ["sigma = 1", "sigma = 2", "sigma = 4"]
    fig = plotting.gabor.show_parameter_sweep("theta", [0.0, np.pi / 4])
    assert fig.axes[1].get_title() == "theta = 45°"
    with pytest.raises(ValueError, match="parameter must be one of"):
        plotting.gabor.show_parameter_sweep("phase", [0.0])


def test_show_explorer_shows_the_response_magnitude():
    fig = plotting.gabor.show_explorer(IMAGE, frequency=0.25, theta=np.pi / 2, sigma=1.5)
    titles = [ax.get_title() for ax in fig.axes]
    assert titles[:3] == ["image", "kernel (real part), 11x11", "response magnitude"]
    expected = gabor.response_magnitude(IMAGE, gabor.gabor_kernel(0.25, theta=np.pi / 2, sigma=1.5))
    np.testing.assert_allclose(fig.axes[2].images[0].get_array(), expected)


def test_show_bank_responses_has_one_row_per_filter():
    fig = plotting.gabor.show_bank_responses([IMAGE, IMAGE.T], BANK, names=["rows", "columns"])
    image_axes = [ax for ax in fig.axes if ax.images]
    assert len(image_axes) == 2 + 4 * 3  # the images, then per filter: kernel + two responses
    assert [ax.get_title() for ax in image_axes[:2]] == ["rows", "columns"]
    assert image_axes[2].get_ylabel() == "f=0.10\nθ=0°\nσ=1.5"
    row = image_axes[3:5]  # filter 0 on both images: one colour scale per filter
    assert row[0].images[0].get_clim() == row[1].images[0].get_clim()
    with pytest.raises(ValueError, match="names must have one entry per image"):
        plotting.gabor.show_bank_responses([IMAGE], BANK, names=["a", "b"])
    with pytest.raises(ValueError, match="at least one image"):
        plotting.gabor.show_bank_responses([], BANK)


def test_show_bank_and_learned_filters():
    fig = plotting.gabor.show_bank(BANK, columns=3)
    drawn = [ax for ax in fig.axes if ax.images]
    assert len(drawn) == 4 and drawn[0].get_title() == "f=0.10, θ=0°\nσ=1.5"
    weights = np.random.default_rng(0).normal(size=(5, 5, 1, 6))
    fig = plotting.gabor.show_learned_filters(weights, columns=4, title="CNN")
    drawn = [ax for ax in fig.axes if ax.images]
    assert len(drawn) == 6 and fig.get_suptitle() == "CNN"
    np.testing.assert_allclose(drawn[5].images[0].get_array(), weights[:, :, 0, 5])
    with pytest.raises(ValueError, match="kernels must have one input channel"):
        plotting.gabor.show_learned_filters(np.zeros((3, 3, 3, 4)))


def test_plot_tuning_peaks_at_the_grating():
    ax = plotting.gabor.plot_tuning(IMAGE, "frequency", [0.1, 0.25, 0.4], theta=np.pi / 2, sigma=2.0)
    assert int(np.argmax(ax.lines[0].get_ydata())) == 1
    assert ax.get_xlabel() == "filter frequency (cycles per pixel)"
    ax = plotting.gabor.plot_tuning(IMAGE, "theta", [0.0, np.pi / 2], frequency=0.25, sigma=2.0)
    np.testing.assert_allclose(ax.lines[0].get_xdata(), [0.0, 90.0])


def test_explore_widget_wraps_the_explorer():
    widget = widgets.gabor.explore(IMAGE, frequency=0.2, theta=np.pi / 4)
    frequency, theta, sigma = widget.children[:3]
    assert (frequency.value, theta.value, sigma.value) == (0.2, 45.0, 3.0)
    assert (frequency.min, frequency.max) == (0.02, 0.5)
    theta.value = 90.0
    assert theta.value == 90.0
