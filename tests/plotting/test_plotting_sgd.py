"""Smoke tests of the figures of the chapter "Training a CNN well"."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from course_lib import plotting


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_plot_curves_draws_one_line_per_label():
    ax = plotting.sgd.plot_curves({"a": ([0, 1, 2], [3.0, 2.0, 1.0]), "b": ([0, 2], [3.0, 0.5])}, logy=True)
    assert [line.get_label() for line in ax.lines] == ["a", "b"]
    np.testing.assert_allclose(ax.lines[1].get_ydata(), [3.0, 0.5])
    assert ax.get_yscale() == "log"


def test_plot_curves_refuses_bad_input():
    with pytest.raises(TypeError, match="curves must be a non-empty dict"):
        plotting.sgd.plot_curves({})
    with pytest.raises(TypeError, match=r"curves\['a'\] must be a pair"):
        plotting.sgd.plot_curves({"a": [1.0]})
    with pytest.raises(ValueError, match="steps and values must have the same length"):
        plotting.sgd.plot_curves({"a": ([0, 1], [1.0])})


def test_plot_gradient_spread_draws_the_reference_line():
    table = pd.DataFrame({"batch_size": [1, 4, 16], "relative_error": [4.0, 2.0, 1.0], "spread": [0.1] * 3})
    ax = plotting.sgd.plot_gradient_spread(table)
    reference = [line for line in ax.lines if line.get_linestyle() == "--"][0]
    np.testing.assert_allclose(reference.get_ydata(), [4.0, 2.0, 1.0])
    with pytest.raises(ValueError, match="table is missing the columns"):
        plotting.sgd.plot_gradient_spread(table.drop(columns="spread"))
    with pytest.raises(TypeError, match="table must be a pandas DataFrame"):
        plotting.sgd.plot_gradient_spread({"batch_size": [1]})


def test_plot_sweep_marks_the_best_setting():
    table = pd.DataFrame({"decay": [0.0, 0.01, 0.1], "accuracy": [0.7, 0.8, 0.6]})
    ax = plotting.sgd.plot_sweep(table, "decay", "accuracy", best="max")
    star = ax.lines[1]
    assert star.get_ydata()[0] == 0.8 and ax.get_title().endswith("decay = 0.01)")
    assert ax.lines[0].get_xdata()[0] == pytest.approx(0.001)  # 0 drawn a decade below 0.01
    with pytest.raises(ValueError, match="y must be a column of table"):
        plotting.sgd.plot_sweep(table, "decay", "loss")
    with pytest.raises(ValueError, match="best must be 'min' or 'max'"):
        plotting.sgd.plot_sweep(table, "decay", "accuracy", best="median")
    with pytest.raises(TypeError, match="table must be a pandas DataFrame"):
        plotting.sgd.plot_sweep([1], "decay", "accuracy")
