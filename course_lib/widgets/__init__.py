"""Interactive demos: each widget wraps exactly one plotting function with ipywidgets sliders.

Topic submodules load on first use: ``widgets.conv.step_through(...)``. Every widget in a
chapter is preceded by the same figure drawn with fixed values, so the static book shows it.
"""

from __future__ import annotations

import importlib


def __getattr__(name: str):
    # Topic submodules (widgets.conv, widgets.gabor, ...) load on first access.
    if name.startswith("_"):
        raise AttributeError(name)
    try:
        return importlib.import_module(f"{__name__}.{name}")
    except ModuleNotFoundError as error:
        if error.name == f"{__name__}.{name}":
            raise AttributeError(f"course_lib.widgets has no topic {name!r}") from None
        raise
