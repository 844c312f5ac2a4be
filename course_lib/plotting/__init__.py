"""Figures for the chapters: functions take arrays and ``ax=None`` and return the Axes or Figure.

Generic helpers live here (``show_image``, ``show_images``, ``show_kernel``, ``plot_history``);
each topic has its own submodule, loaded on first use: ``plotting.conv.show_step(...)``,
``plotting.gabor...``. Nothing here calls ``plt.show()``, writes files or changes global settings.
"""

from __future__ import annotations

import importlib

from course_lib.plotting._core import (
    add_colorbar,
    plot_history,
    show_image,
    show_images,
    show_kernel,
    symmetric_limits,
)

__all__ = ["add_colorbar", "plot_history", "show_image", "show_images", "show_kernel", "symmetric_limits"]


def __getattr__(name: str):
    # Topic submodules (plotting.conv, plotting.gabor, ...) load on first access.
    if name.startswith("_"):
        raise AttributeError(name)
    try:
        return importlib.import_module(f"{__name__}.{name}")
    except ModuleNotFoundError as error:
        if error.name == f"{__name__}.{name}":
            raise AttributeError(f"course_lib.plotting has no function or topic {name!r}") from None
        raise
