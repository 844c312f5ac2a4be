"""Plot contracts (issue 22): 8-bit colour images are converted, 0..255 floats and 5 channels refused, labels whole."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from course_lib import plotting  # noqa: E402

RGB = np.linspace(0, 1, 4 * 4 * 3).reshape(4, 4, 3)


def test_show_image_converts_uint8_colour_images():
    ax = plotting.show_image((RGB * 255).astype(np.uint8))
    np.testing.assert_allclose(ax.images[0].get_array(), (RGB * 255).astype(np.uint8) / 255)
    plt.close("all")


def test_show_image_refuses_0_255_floats_instead_of_showing_white():
    with pytest.raises(ValueError, match=r"^image must lie in \[0, 1\] \(give or take 0\.5\); got values in \[0, 255\]\. It looks like 0\.\.255"):
        plotting.show_image(RGB * 255)


def test_show_image_refuses_5_channels():
    with pytest.raises(ValueError, match=r"^image must have 1 or 3 or 4 channels in its last axis; got shape \(4, 4, 5\)"):
        plotting.show_image(np.zeros((4, 4, 5)))


def test_show_image_names_a_ragged_image():
    with pytest.raises(ValueError, match=r"^image must be a rectangular array"):
        plotting.show_image([[0.1, 0.2], [0.3]])


def test_grayscale_images_keep_any_range():
    ax = plotting.show_image(np.arange(16.0).reshape(4, 4) * 100)
    assert ax.images[0].get_clim() == (0.0, 1500.0)
    plt.close("all")


def test_confusion_matrix_refuses_fractional_labels():
    with pytest.raises(ValueError, match=r"^labels must be whole class numbers; got 5\.7 at index \(1,\)"):
        plotting.cnn.plot_confusion_matrix([0, 5.7], [0, 5])
    with pytest.raises(ValueError, match=r"^labels asks for .* GiB for a 1000000001 x 1000000001 confusion matrix"):
        plotting.cnn.plot_confusion_matrix([0, 10**9], [0, 1])


def test_show_images_names_the_image_in_0_255():
    images = [RGB, RGB * 255]
    with pytest.raises(ValueError, match=r"^images\[1\] must lie in \[0, 1\] \(give or take 0\.5\)"):
        plotting.show_images(images)
    with pytest.raises(ValueError, match=r"^images\[0\] must be a rectangular array"):
        plotting.show_images([[[0.1, 0.2], [0.3]]])


def test_show_images_converts_uint8_colour_images():
    fig = plotting.show_images([(RGB * 255).astype(np.uint8)])
    assert fig.axes[0].images[0].get_array().max() <= 1.0
    plt.close("all")


def test_symmetric_limits_names_a_bad_percentile():
    with pytest.raises(TypeError, match=r"^percentile must be a real number; got 'x'"):
        plotting.symmetric_limits([1.0], percentile="x")
