"""Interactive Gabor explorer (wraps plotting.gabor.show_explorer)."""

from __future__ import annotations

import math

import ipywidgets as widgets
import matplotlib.pyplot as plt

from course_lib._validation import as_array, as_float
from course_lib.plotting.gabor import show_explorer


def explore(image, *, frequency: float = 0.15, theta: float = 0.0, sigma: float = 3.0) -> widgets.interactive:
    """Sliders for frequency, orientation (degrees) and sigma: the kernel and its response on ``image``.

    Returns the ``ipywidgets.interactive`` object; display it as the last expression of a cell.
    The sliders start at the values given.

    Examples
    --------
    >>> import contextlib, io
    >>> import numpy as np
    >>> with contextlib.redirect_stdout(io.StringIO()):  # outside Jupyter the widget prints terminal codes
    ...     widget = explore(np.zeros((16, 16)), frequency=0.2, theta=np.pi / 4)
    >>> type(widget).__name__, [slider.value for slider in widget.children[:3]]
    ('interactive', [0.2, 45.0, 3.0])
    >>> plt.gcf().get_suptitle()
    'frequency 0.2 cycles/px, theta 45°, sigma 3 px'
    >>> plt.close("all")
    """
    image = as_array("image", image, ndim=2)
    # the sliders' ranges: a value outside would be clamped by the slider without a word
    frequency = as_float("frequency", frequency, minimum=0.02, maximum=0.5)
    theta = as_float("theta", theta, minimum=0.0, maximum=math.pi)
    sigma = as_float("sigma", sigma, minimum=0.5, maximum=8.0)

    def draw(frequency: float, theta_degrees: float, sigma: float) -> None:
        show_explorer(image, frequency=frequency, theta=math.radians(theta_degrees), sigma=sigma)
        plt.show()

    return widgets.interactive(
        draw,
        frequency=widgets.FloatSlider(value=frequency, min=0.02, max=0.5, step=0.01, description="frequency",
                                      continuous_update=False),
        theta_degrees=widgets.FloatSlider(value=math.degrees(theta), min=0.0, max=180.0, step=7.5,
                                          description="theta (°)", continuous_update=False),
        sigma=widgets.FloatSlider(value=sigma, min=0.5, max=8.0, step=0.25, description="sigma",
                                  continuous_update=False),
    )
