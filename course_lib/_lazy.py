"""Lazy re-exports: a topic package names its Keras functions without importing Keras.

A package's ``__init__`` maps each Keras-side public name to the submodule that defines it;
the submodule (and so TensorFlow) is imported the first time the name is used. The NumPy
parts of a topic can then be taught, imported and tested without TensorFlow.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping


def lazy_exports(package: str, names: Mapping[str, str]) -> tuple[Callable, Callable]:
    """Return ``(__getattr__, __dir__)`` for ``package`` serving ``names`` from submodules.

    Parameters
    ----------
    package : str
        The package's ``__name__``.
    names : mapping of str to str
        Public name -> submodule (relative to ``package``) that defines it.

    Returns
    -------
    tuple of callables
        Module-level ``__getattr__`` and ``__dir__``.

    Examples
    --------
    >>> getattr_, dir_ = lazy_exports("json", {"JSONDecoder": "decoder"})
    >>> getattr_("JSONDecoder").__name__
    'JSONDecoder'
    >>> getattr_("missing")
    Traceback (most recent call last):
    ...
    AttributeError: module 'json' has no attribute 'missing'
    """

    def __getattr__(name: str):
        if name in names:
            module = importlib.import_module(f"{package}.{names[name]}")
            return getattr(module, name)
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    def __dir__() -> list[str]:
        module = importlib.import_module(package)
        return sorted(set(vars(module)) | set(names))

    return __getattr__, __dir__
