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


# --- the wider fuzz pass (every public function, issue 22) ------------------------------------------

def test_add_colorbar_names_a_wrong_axes_or_mappable():
    fig, ax = plt.subplots()
    with pytest.raises(TypeError, match=r"^ax must be a matplotlib Axes; got str\."):
        plotting.add_colorbar("abc", ax.imshow(np.eye(2)))
    with pytest.raises(TypeError, match=r"^mappable must be what imshow \(or another plot call\) returned; got NoneType\."):
        plotting.add_colorbar(ax, None)
    plt.close("all")


def test_show_restorations_refuses_8_bit_and_0_255_images_it_would_draw_white():
    clean = np.linspace(0, 1, 64).reshape(8, 8)
    with pytest.raises(ValueError, match=r"^clean must be a float image in \[0, 1\]; got dtype uint8"):
        plotting.restoration.show_restorations((clean * 255).astype(np.uint8), {"noisy": clean})
    with pytest.raises(ValueError, match=r"^images\['noisy'\] must lie in \[0, 1\] \(give or take 2\)"):
        plotting.restoration.show_restorations(clean, {"noisy": clean * 255})
    with pytest.raises(TypeError, match=r"^images must be a dict \(method -> restored image\); got list\."):
        plotting.restoration.show_restorations(clean, [clean])
    with pytest.raises(TypeError, match=r"^scores must be a dict"):
        plotting.restoration.show_restorations(clean, {"noisy": clean}, scores="abc")
    plt.close("all")


@pytest.mark.parametrize(("call", "error", "match"), [
    (lambda: plotting.autoencoders.plot_profiles("abc"), TypeError, r"^profiles must be a dict \(label -> values\)"),
    (lambda: plotting.autoencoders.plot_quality("abc"), TypeError, r"^results must be a dict"),
    (lambda: plotting.autoencoders.show_denoising("abc"), TypeError, r"^rows must be a dict"),
    (lambda: plotting.autoencoders.show_residuals("abc"), TypeError, r"^residuals must be a dict"),
    (lambda: plotting.cam.compare_maps(RGB, "abc"), TypeError, r"^heatmaps must be a dict"),
    (lambda: plotting.cam.plot_pointing_game("abc"), TypeError, r"^accuracies must be a dict"),
    (lambda: plotting.cam.plot_box_iou("abc", [0.5]), TypeError, r"^scores must be a dict"),
    (lambda: plotting.cnn.show_activations("abc"), TypeError, r"^activations must be a dict"),
    (lambda: plotting.conv.show_responses(RGB[..., 0], "abc"), TypeError, r"^kernels must be a dict"),
    (lambda: plotting.conv.plot_receptive_fields("abc"), TypeError, r"^stacks must be a dict"),
    (lambda: plotting.restoration.plot_scores("abc"), TypeError, r"^table must be a dict"),
    (lambda: plotting.segmentation.show_colourisations("abc"), TypeError, r"^columns must be a dict"),
    (lambda: plotting.sgd.plot_curves("abc"), TypeError, r"^curves must be a dict"),
    (lambda: plotting.transfer.plot_curves("abc"), TypeError, r"^histories must be a dict"),
    (lambda: plotting.transfer.plot_results("abc"), TypeError, r"^results must be a dict"),
    (lambda: plotting.transfer.results_table("abc"), TypeError, r"^rows must be a dict"),
])
def test_plots_of_named_results_refuse_a_non_dict_naming_it(call, error, match):
    with pytest.raises(error, match=match):
        call()
    plt.close("all")


def test_segmentation_plots_name_class_names_n_and_ragged_masks():
    mask = np.array([[0, 1], [1, 0]])
    with pytest.raises(TypeError, match=r"^class_names must be a list of strings; got str 'ab'"):
        plotting.segmentation.show_labels(mask, "ab")
    with pytest.raises(ValueError, match=r"^mask must be a rectangular array; got a ragged sequence"):
        plotting.segmentation.show_labels([[0, 1], [1]], ["a", "b"])
    with pytest.raises(TypeError, match=r"^class_names must be a list of strings"):
        plotting.segmentation.show_overlay(mask * 0.5, mask, "ab")
    images, masks = np.zeros((2, 2, 2)), np.zeros((2, 2, 2), int)
    with pytest.raises(TypeError, match=r"^n must be an int"):
        plotting.segmentation.show_segmentation(images, masks, masks, ["a", "b"], n="3")
    with pytest.raises(ValueError, match=r"^masks must be a rectangular array"):
        plotting.segmentation.show_segmentation(images, [[[0, 1], [0]]], masks, ["a", "b"])
    with pytest.raises(ValueError, match=r"^images must be a float image in \[0, 1\]|^images must lie in \[0, 1\]"):
        plotting.segmentation.show_segmentation(images + 200, masks, masks, ["a", "b"])
    with pytest.raises(TypeError, match=r"^n must be an int"):
        plotting.segmentation.show_colourisations({"a": np.zeros((2, 4, 4, 3))}, n=1.5)
    plt.close("all")


def test_conv_plots_name_positions_input_shape_and_corners():
    image, kernel = np.zeros((6, 6)), np.ones((3, 3))
    with pytest.raises(TypeError, match=r"^positions must be a list of output pixel indices; got NoneType\."):
        plotting.conv.show_step_strip(image, kernel, None)
    with pytest.raises(TypeError, match=r"^input_shape must be an int or a pair of ints; got 'abc'"):
        plotting.conv.show_conv_matrix(np.ones((4, 9)), input_shape="abc")
    with pytest.raises(ValueError, match=r"^input_shape \(2, 2\) has 4 pixels but matrix has 9 columns"):
        plotting.conv.show_conv_matrix(np.ones((4, 9)), input_shape=(2, 2))
    with pytest.raises(ValueError, match=r"^corners must be a rectangular array"):
        plotting.restoration.show_patch_grid(image, [[0, 0], [1]], 2)
    with pytest.raises(ValueError, match=r"^corners must be whole \(row, col\) pairs, shape \(N, 2\); got shape \(1, 3\)"):
        plotting.restoration.show_patch_grid(image, [[0, 0, 0]], 2)
    plt.close("all")


def test_show_cams_refuses_a_string_of_titles():
    with pytest.raises(TypeError, match=r"^titles must be a list of strings; got str 'ab'"):
        plotting.cam.show_cams(np.zeros((2, 4, 4)), np.zeros((2, 4, 4)), titles="ab")
    plt.close("all")


def test_widgets_check_their_values_before_any_slider_exists():
    from course_lib import widgets

    with pytest.raises(ValueError, match=r"^frequency must be finite"):
        widgets.gabor.explore(np.zeros((8, 8)), frequency=float("nan"))
    with pytest.raises(ValueError, match=r"^sigma must be <= 8\.0"):
        widgets.gabor.explore(np.zeros((8, 8)), sigma=20.0)
    with pytest.raises(TypeError, match=r"^theta must be a real number"):
        widgets.gabor.explore(np.zeros((8, 8)), theta="x")
    with pytest.raises(ValueError, match=r"^mask must be a rectangular array"):
        widgets.segmentation.overlay(np.zeros((2, 2)), [[0, 1], [1]], ["a", "b"])
    plt.close("all")
