"""Smoke tests of the restoration figures: each runs and draws what it should."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from course_lib import plotting, restoration

IMAGE = np.linspace(0, 1, 24 * 30).reshape(24, 30)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_show_patch_grid_draws_one_rectangle_per_patch():
    _, corners = restoration.extract_patches(IMAGE, 8, stride=8)
    ax = plotting.restoration.show_patch_grid(IMAGE, corners, 8, highlight=2)
    assert len(ax.patches) == len(corners) == 12
    widths = [patch.get_linewidth() for patch in ax.patches]
    assert widths.count(2.5) == 2 and widths[-1] == 2.5  # highlighted ones drawn last
    assert ax.patches[-1].get_xy() == (8 - 0.5, 8 - 0.5)  # second on the diagonal: corner (8, 8)
    assert ax.get_title() == "12 overlapping 8x8 patches"
    np.testing.assert_array_equal(ax.images[0].get_array(), IMAGE)


def test_show_restorations_one_panel_per_image_with_scores_and_crop():
    images = {"noisy": IMAGE + 0.1, "restored": IMAGE}
    scores = {"noisy": {"psnr": 20.0, "ssim": 0.91}, "restored": {"psnr": float("inf"), "ssim": 1.0}}
    fig = plotting.restoration.show_restorations(IMAGE, images, scores=scores, crop=(slice(0, 10), slice(5, 15)),
                                                 suptitle="test")
    titles = [ax.get_title() for ax in fig.axes]
    assert titles == ["clean", "noisy\n20.00 dB, SSIM 0.910", "restored\ninf dB, SSIM 1.000"]
    assert fig.axes[1].images[0].get_array().shape == (10, 10)
    assert fig.axes[1].images[0].get_array().max() <= 1.0  # shown clipped
    assert fig._suptitle.get_text() == "test"


def test_show_restorations_wraps_into_rows():
    fig = plotting.restoration.show_restorations(IMAGE, {str(i): IMAGE for i in range(4)}, columns=2)
    assert sum(ax.get_visible() and bool(ax.images) for ax in fig.axes) == 5
    assert len(fig.axes) == 6


def test_show_difference_is_symmetric_with_a_colorbar():
    ax = plotting.restoration.show_difference(IMAGE, IMAGE * 0.5, label="gap")
    low, high = ax.images[0].get_clim()
    assert low == -high == pytest.approx(-0.5)
    assert len(ax.figure.axes) == 2  # image + colour bar
    assert ax.figure.axes[1].get_ylabel() == "gap"


def test_show_difference_rejects_different_shapes():
    with pytest.raises(ValueError, match="first and second must have the same shape"):
        plotting.restoration.show_difference(IMAGE, IMAGE[:5])


def test_plot_scores_bars_per_method_and_setting():
    table = {"sigma 15": {"noisy": 24.6, "TV": 29.0, "net": 30.0}, "blur": {"noisy": 22.0, "net": 26.0}}
    ax = plotting.restoration.plot_scores(table)
    assert len(ax.patches) == 6  # 3 methods x 2 settings (missing TV drawn as NaN)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["noisy", "TV", "net"]
    assert ax.get_ylabel() == "PSNR (dB)"
    assert ax.get_ylim()[0] == pytest.approx(20.0)


def test_plot_scores_picks_the_metric_from_score_dicts():
    table = {"s": {"noisy": {"psnr": 20.0, "ssim": 0.4}, "net": {"psnr": 30.0, "ssim": 0.9}}}
    ax = plotting.restoration.plot_scores(table, metric="ssim")
    assert [bar.get_height() for bar in ax.patches] == [0.4, 0.9]
    assert ax.get_ylabel() == "SSIM"


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: plotting.restoration.plot_scores({}), "table must hold at least one setting"),
        (lambda: plotting.restoration.plot_scores({"a": {"b": 1.0}}, metric="mse"), "metric must be one of"),
    ],
)
def test_plot_scores_rejects_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()
