"""Alternative text of figures: made from what the helpers write, attached at display time, put on the page."""

import base64
import hashlib
import json
import sys
from pathlib import Path
from types import SimpleNamespace

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from docutils import nodes
from IPython.core.formatters import DisplayFormatter
from matplotlib.figure import Figure

from course_lib import plotting
from course_lib.plotting._alt import MAX_PANELS, alt_metadata, describe_figure

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT / "book" / "_ext"))

import execute_notebooks  # noqa: E402
import figure_alt  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_single_image_is_described_by_its_title_and_colour_bar():
    ax = plotting.show_image(np.eye(3), title="identity kernel", colorbar=True, colorbar_label="weight")
    assert describe_figure(ax.figure) == "Identity kernel (image). Colour scale: weight."


def test_learning_curves_name_the_axes_and_the_lines():
    axes = plotting.plot_history({"loss": [1.0, 0.5], "val_loss": [1.2, 0.8]}, title="L2 loss")
    assert describe_figure(axes[0].figure) == "L2 loss (plot of loss against epoch; lines: training, validation)."


def test_grid_lists_the_panel_titles_under_the_figure_title():
    fig = plotting.show_images(np.zeros((3, 4, 4)), titles=["noisy", "denoised", "clean"], suptitle="Denoising")
    assert describe_figure(fig) == "Denoising. 3 panels: noisy (image); denoised (image); clean (image)."


def test_a_figure_legend_names_its_entries():
    masks = np.zeros((2, 4, 4), dtype=int)
    masks[:, 1:3, 1:3] = 1
    fig = plotting.segmentation.show_segmentation(np.zeros((2, 4, 4)), masks, masks, ["background", "pet"], n=1,
                                                  suptitle="Pets")
    assert describe_figure(fig) == ("Pets. 4 panels: image (image); truth (image); prediction (image); "
                                    "errors: 0 px (image). Legend: background, pet.")


def test_untitled_panels_are_counted_and_empty_cells_skipped():
    fig = plotting.show_images(np.zeros((5, 4, 4)), columns=3, suptitle="Feature maps")
    assert describe_figure(fig) == "Feature maps. 5 panels: image, 5 times."


def test_many_different_panels_are_cut_after_max_panels():
    titles = [f"filter {index}" for index in range(MAX_PANELS + 3)]
    fig = plotting.show_images(np.zeros((len(titles), 2, 2)), titles=titles)
    text = describe_figure(fig)
    assert f"filter {MAX_PANELS - 1} (image); and 3 more." in text
    assert f"filter {MAX_PANELS} " not in text


def test_a_figure_without_text_is_still_described():
    assert describe_figure(plt.figure()) == "An empty figure."
    fig, ax = plt.subplots()
    ax.plot([0, 1])
    assert describe_figure(fig) == "Plot."


def test_the_kernel_start_up_code_adds_alt_to_the_png_output():
    formatter = DisplayFormatter()
    # as the inline backend does: the PNG formatter draws every Figure
    formatter.formatters["image/png"].for_type(Figure, lambda figure: "PNG DATA")
    exec(execute_notebooks.KERNEL_STARTUP, {"get_ipython": lambda: SimpleNamespace(display_formatter=formatter)})
    ax = plotting.show_image(np.eye(2), title="eye")
    data, metadata = formatter.format(ax.figure)
    assert data["image/png"] == "PNG DATA"
    assert metadata == {"image/png": {"alt": "Eye (image)."}}
    assert alt_metadata(ax.figure) == ({}, metadata)


def test_kernel_environment_points_ipython_at_the_start_up_profile(tmp_path):
    environment = execute_notebooks.kernel_environment(tmp_path / "ipython")
    assert environment["IPYTHONDIR"] == str(tmp_path / "ipython")
    startup = tmp_path / "ipython" / "profile_default" / "startup" / "00-course-book.py"
    assert startup.read_text() == execute_notebooks.KERNEL_STARTUP


def _png_output(payload: bytes, alt: str | None) -> dict:
    output = {"output_type": "display_data", "data": {"image/png": base64.b64encode(payload).decode()}, "metadata": {}}
    if alt is not None:
        output["metadata"] = {"image/png": {"alt": alt}}
    return output


def test_sphinx_extension_sets_alt_of_images_by_their_hash(tmp_path):
    executed = tmp_path / "jupyter_execute" / "lessons"
    executed.mkdir(parents=True)
    cells = [{"cell_type": "code", "outputs": [_png_output(b"one", "First (image)."), _png_output(b"two", None)]}]
    (executed / "01_x.ipynb").write_text(json.dumps({"cells": cells}))
    one, two = (hashlib.sha256(payload).hexdigest() for payload in (b"one", b"two"))
    assert figure_alt.descriptions(tmp_path / "jupyter_execute") == {one: "First (image)."}

    doctree = nodes.document(None, None)
    images = [nodes.image(uri=f"../_images/{one}.png"), nodes.image(uri=f"{two}.png"),
              nodes.image(uri=f"{one}.png", alt="typed")]
    for image in images:
        doctree += image
    app = SimpleNamespace(outdir=str(tmp_path / "html"),
                          config=SimpleNamespace(nb_execution_mode="off", nb_execution_cache_path=""))
    figure_alt._set_alt(app, doctree, "lessons/01_x")
    assert [image.get("alt") for image in images] == ["First (image).", None, "typed"]


def test_sphinx_extension_reads_the_execution_cache(tmp_path):
    # on a cache hit MyST-NB renders the cached outputs but writes the source notebook to
    # jupyter_execute/, so the descriptions must come from the cache itself
    import nbformat
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("fig")])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.cells[0].outputs = [nbformat.from_dict(_png_output(b"cached", "Cached (image)."))]
    cache = get_cache(str(tmp_path / "cache"))
    cache.cache_notebook_bundle(CacheBundleIn(notebook, "lessons/01_x.ipynb"), check_validity=False)
    digest = hashlib.sha256(b"cached").hexdigest()
    assert figure_alt.descriptions(tmp_path / "jupyter_execute", str(tmp_path / "cache")) == {digest: "Cached (image)."}
    assert figure_alt.descriptions(tmp_path / "jupyter_execute") == {}
