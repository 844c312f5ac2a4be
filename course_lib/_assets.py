"""Files shipped inside course_lib (trained weights and their training records).

Both readers raise a ``FileNotFoundError`` that names what is missing, rather than Keras's
or importlib's own error about a path the reader never chose.
"""

from __future__ import annotations

import json
from importlib import resources


def _path(relative: str, what: str):
    path = resources.files("course_lib").joinpath(relative)
    if not path.is_file():
        raise FileNotFoundError(f"no {what} at {path}; reinstall course_lib.")
    return path


def load_weights(build, relative: str, what: str):
    """Build a model with ``build()``, load the weights file ``course_lib/<relative>`` into it, return it.

    The shipped networks are weights only (``.weights.h5``), put into an architecture that
    course_lib code builds: a saved model's configuration names arguments that older Keras 3
    releases do not know, but the weights file reads the same in every Keras 3.

    Parameters
    ----------
    build : callable
        Returns the untrained architecture (the topic's builder with the recorded settings);
        called only once the file is known to exist.
    relative : str
        Path inside the package, e.g. ``"assets/restoration/denoise.weights.h5"``.
    what : str
        How the error message names the file, e.g. ``"shipped weights for 'denoise'"``.

    Returns
    -------
    keras.Model
        The built model, holding the shipped weights.

    Raises
    ------
    FileNotFoundError
        If the file is not part of the installation.

    Examples
    --------
    >>> load_weights(lambda: None, "assets/none.weights.h5", "test weights")
    Traceback (most recent call last):
    ...
    FileNotFoundError: no test weights at .../assets/none.weights.h5; reinstall course_lib.
    """
    path = _path(relative, what)
    model = build()
    with resources.as_file(path) as file:
        model.load_weights(file)
    return model


def read_json(relative: str, what: str) -> dict:
    """Read the JSON file ``course_lib/<relative>``.

    Parameters
    ----------
    relative : str
        Path inside the package, e.g. ``"assets/restoration/denoise.json"``.
    what : str
        How the error message names the file.

    Returns
    -------
    dict

    Raises
    ------
    FileNotFoundError
        If the file is not part of the installation.

    Examples
    --------
    >>> read_json("assets/restoration/denoise.json", "record")["task"]
    'denoise'
    """
    return json.loads(_path(relative, what).read_text())
