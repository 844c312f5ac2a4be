"""Overlay a predicted label map on its image at an adjustable opacity (wraps plotting.segmentation.show_overlay)."""

from __future__ import annotations

from collections.abc import Sequence

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np

from course_lib._validation import _asarray
from course_lib.plotting.segmentation import show_overlay


def overlay(image, mask, class_names: Sequence[str], *, opacity: float = 0.5) -> widgets.interactive:
    """A slider for the opacity of ``mask`` drawn over ``image``.

    Returns the ``ipywidgets.interactive`` object; display it as the last expression of a cell.

    Examples
    --------
    >>> import contextlib, io
    >>> with contextlib.redirect_stdout(io.StringIO()):  # outside Jupyter the widget prints terminal codes
    ...     widget = overlay(np.zeros((4, 4)), np.eye(4, dtype=int), ["background", "object"], opacity=0.25)
    >>> widget.children[0].value, widget.children[0].max
    (0.25, 1.0)
    >>> plt.gca().get_title()
    'opacity 0.25'
    >>> plt.close("all")
    """
    image = _asarray("image", image)
    mask = _asarray("mask", mask)
    show_overlay(image, mask, class_names, opacity=opacity)  # check the inputs once, before any slider exists
    plt.close("all")

    def draw(opacity: float) -> None:
        show_overlay(image, mask, class_names, opacity=opacity)
        plt.show()

    return widgets.interactive(
        draw, opacity=widgets.FloatSlider(value=opacity, min=0.0, max=1.0, step=0.05, description="opacity",
                                          continuous_update=False),
    )
