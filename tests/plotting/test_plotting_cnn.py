"""Smoke tests of the CNN figures: each runs and draws what it should."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from course_lib import plotting


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_show_feature_maps_draws_first_channels():
    feature_map = np.random.default_rng(0).random((5, 5, 20))
    fig = plotting.cnn.show_feature_maps(feature_map, max_maps=6, columns=3)
    drawn = [ax for ax in fig.axes if ax.images]
    assert len(drawn) == 6
    np.testing.assert_array_equal(drawn[2].images[0].get_array(), feature_map[:, :, 2])
    assert fig._suptitle.get_text() == "feature maps 5x5, first 6 of 20 channels"
    with pytest.raises(ValueError, match="feature_map must be 3-D"):
        plotting.cnn.show_feature_maps(np.ones((5, 5)))


def test_show_activations_one_row_per_layer_with_input():
    maps = {"conv1": np.ones((6, 6, 4)), "pool1": np.full((3, 3, 4), 2.0)}
    fig = plotting.cnn.show_activations(maps, maps_per_layer=3, image=np.zeros((8, 8)))
    assert len(fig.axes) == 2 * 4
    titles = [ax.get_title() for ax in fig.axes]
    assert titles[:4] == ["input", "conv1 6x6x4", "ch 1", "ch 2"]
    assert titles[4:6] == ["", "pool1 3x3x4"] and not fig.axes[4].images  # input drawn once
    np.testing.assert_array_equal(fig.axes[5].images[0].get_array(), np.full((3, 3), 2.0))
    with pytest.raises(ValueError, match="activations must hold at least one layer"):
        plotting.cnn.show_activations({})


def test_plot_confusion_matrix_counts_and_normalises():
    labels, predictions = [0, 0, 1, 1, 2, 2], [0, 1, 1, 1, 2, 0]
    ax = plotting.cnn.plot_confusion_matrix(labels, predictions, class_names=["a", "b", "c"])
    np.testing.assert_array_equal(ax.images[0].get_array(), [[1, 1, 0], [0, 2, 0], [1, 0, 1]])
    assert ax.get_xlabel() == "predicted class" and ax.get_ylabel() == "true class"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["a", "b", "c"]
    assert len(ax.figure.axes) == 2  # the colour bar
    normalised = plotting.cnn.plot_confusion_matrix(labels, predictions, normalize=True)
    np.testing.assert_allclose(normalised.images[0].get_array().sum(axis=1), 1.0)
    with pytest.raises(ValueError, match="same length"):
        plotting.cnn.plot_confusion_matrix([0, 1], [0])
    with pytest.raises(ValueError, match="class_names must name at least 3"):
        plotting.cnn.plot_confusion_matrix(labels, predictions, class_names=["a"])


def test_show_misclassified_titles_and_empty_case():
    images = np.arange(4 * 3 * 3, dtype=float).reshape(4, 3, 3, 1)
    probabilities = np.full((4, 3), 0.25)
    probabilities[2, 0] = 0.5
    fig = plotting.cnn.show_misclassified(images, [0, 1, 2, 1], [0, 1, 0, 2], probabilities=probabilities)
    drawn = [ax for ax in fig.axes if ax.images]
    assert [ax.get_title() for ax in drawn] == ["true 2 -> 0 (0.50)", "true 1 -> 2 (0.25)"]
    np.testing.assert_array_equal(drawn[0].images[0].get_array(), images[2, :, :, 0])
    none = plotting.cnn.show_misclassified(images, [0, 1, 2, 1], [0, 1, 2, 1])
    assert none.axes[0].get_title() == "no misclassified images"
    with pytest.raises(ValueError, match="same length"):
        plotting.cnn.show_misclassified(images, [0, 1], [0, 1])
