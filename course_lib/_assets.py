"""Files shipped inside course_lib (trained weights and their training records).

Both loaders raise a ``FileNotFoundError`` that names what is missing, rather than Keras's
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


def load_model(relative: str, what: str):
    """Load the Keras model ``course_lib/<relative>`` (not compiled).

    Parameters
    ----------
    relative : str
        Path inside the package, e.g. ``"assets/restoration/denoise.keras"``.
    what : str
        How the error message names the file, e.g. ``"shipped weights for 'denoise'"``.

    Returns
    -------
    keras.Model

    Raises
    ------
    FileNotFoundError
        If the file is not part of the installation.

    Examples
    --------
    >>> load_model("assets/none.keras", "test weights")
    Traceback (most recent call last):
    ...
    FileNotFoundError: no test weights at .../assets/none.keras; reinstall course_lib.
    """
    import keras  # only when a model is loaded

    path = _path(relative, what)
    with resources.as_file(path) as file:
        return keras.saving.load_model(file, compile=False)


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
