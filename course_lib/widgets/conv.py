"""Interactive step-through of cross-correlation (wraps plotting.conv.show_correlation_step)."""

from __future__ import annotations

import ipywidgets as widgets
import matplotlib.pyplot as plt

from course_lib import conv
from course_lib._validation import as_array
from course_lib.plotting.conv import show_correlation_step


def step_through(image, kernel, *, padding: str | int = "valid") -> widgets.interactive:
    """A slider over output positions: the window, the kernel, the products and the output filling in.

    Returns the ``ipywidgets.interactive`` object; display it as the last expression of a cell.

    Examples
    --------
    >>> import contextlib, io
    >>> import numpy as np
    >>> with contextlib.redirect_stdout(io.StringIO()):  # outside Jupyter the widget prints terminal codes
    ...     widget = step_through(np.zeros((4, 4)), np.ones((3, 3)))
    >>> type(widget).__name__, widget.children[0].max, plt.gcf().axes[1].get_title()
    ('interactive', 3, 'kernel')
    >>> plt.close("all")
    """
    image = as_array("image", image, ndim=2)
    kernel = as_array("kernel", kernel, ndim=2)
    rows = conv.output_size(image.shape[0], kernel.shape[0], padding=padding)
    cols = conv.output_size(image.shape[1], kernel.shape[1], padding=padding)

    def draw(position: int) -> None:
        show_correlation_step(image, kernel, position, padding=padding)
        plt.show()

    slider = widgets.IntSlider(value=0, min=0, max=rows * cols - 1, step=1, description="position",
                               continuous_update=False)
    return widgets.interactive(draw, position=slider)
