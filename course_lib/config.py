"""Run profiles: how big each chapter's data and training are, and where data comes from.

Two settings, both read from environment variables each time they are asked for:

``COURSE_PROFILE``
    ``"quick"`` (few epochs, small data: what tests and the default book build run) or
    ``"full"`` (real teaching runs). Default: ``"full"`` in Google Colab, ``"quick"`` elsewhere.
``COURSE_DATA``
    ``"offline"`` (only data that ships inside installed packages; never the network) or
    ``"auto"`` (download the real datasets when the profile is full). Default: ``"auto"`` in
    Colab, ``"offline"`` elsewhere.

``COURSE_MEMORY_LIMIT_GIB``
    The most memory (GiB) one call of a course_lib function may plan to allocate before it
    refuses with a message naming the argument to change. Default :data:`MEMORY_LIMIT_GIB`
    (1 GiB); set ``config.MEMORY_LIMIT_GIB = 4`` or the variable to allow more.

Chapters ask for sizes through :func:`pick`, e.g. ``epochs = config.pick(quick=2, full=30)``.
"""

from __future__ import annotations

import os
import sys
from typing import TypeVar

from course_lib._validation import as_choice

PROFILES = ("quick", "full")
DATA_MODES = ("offline", "auto")
PROFILE_VARIABLE = "COURSE_PROFILE"
DATA_VARIABLE = "COURSE_DATA"
MEMORY_VARIABLE = "COURSE_MEMORY_LIMIT_GIB"
#: Default memory limit of one call, in GiB (see :func:`memory_limit_gib`).
MEMORY_LIMIT_GIB = 1.0

T = TypeVar("T")


def in_colab() -> bool:
    """Return True when running inside Google Colab.

    Examples
    --------
    >>> in_colab()
    False
    """
    return "google.colab" in sys.modules or "COLAB_RELEASE_TAG" in os.environ


def profile() -> str:
    """Return the active profile, ``"quick"`` or ``"full"``.

    Raises
    ------
    ValueError
        If ``COURSE_PROFILE`` is set to anything else.

    Examples
    --------
    >>> import os
    >>> os.environ["COURSE_PROFILE"] = "quick"
    >>> profile()
    'quick'
    """
    default = "full" if in_colab() else "quick"
    value = os.environ.get(PROFILE_VARIABLE, default).strip().lower() or default
    return as_choice(f"environment variable {PROFILE_VARIABLE}", value, PROFILES)


def data_mode() -> str:
    """Return the active data mode, ``"offline"`` or ``"auto"``.

    Raises
    ------
    ValueError
        If ``COURSE_DATA`` is set to anything else.

    Examples
    --------
    >>> import os
    >>> os.environ["COURSE_DATA"] = "offline"
    >>> data_mode()
    'offline'
    """
    default = "auto" if in_colab() else "offline"
    value = os.environ.get(DATA_VARIABLE, default).strip().lower() or default
    return as_choice(f"environment variable {DATA_VARIABLE}", value, DATA_MODES)


def use_real_data() -> bool:
    """Return True when chapters should download the real datasets (full profile, auto data).

    Examples
    --------
    >>> import os
    >>> os.environ["COURSE_DATA"] = "offline"
    >>> use_real_data()
    False
    """
    return data_mode() == "auto" and profile() == "full"


def memory_limit_gib() -> float:
    """Return the memory limit of one call in GiB: ``COURSE_MEMORY_LIMIT_GIB``, else ``MEMORY_LIMIT_GIB``.

    Raises
    ------
    ValueError
        If the variable is not a positive number.

    Examples
    --------
    >>> memory_limit_gib()
    1.0
    """
    text = os.environ.get(MEMORY_VARIABLE, "").strip()
    if not text:
        return float(MEMORY_LIMIT_GIB)
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not value > 0:
        raise ValueError(f"environment variable {MEMORY_VARIABLE} must be a positive number of GiB; got {text!r}.")
    return value


def pick(*, quick: T, full: T) -> T:
    """Return the value for the active profile.

    Parameters
    ----------
    quick, full
        The value to use in each profile (epochs, number of images, ...).

    Returns
    -------
    The ``quick`` value in the quick profile, the ``full`` value otherwise.

    Examples
    --------
    >>> import os
    >>> os.environ["COURSE_PROFILE"] = "quick"
    >>> pick(quick=2, full=30)
    2
    >>> os.environ["COURSE_PROFILE"] = "full"
    >>> pick(quick=2, full=30)
    30
    >>> os.environ["COURSE_PROFILE"] = "quick"
    """
    return quick if profile() == "quick" else full


def describe() -> str:
    """Return a one-line description of the active settings (the setup cell prints it).

    Examples
    --------
    >>> import os
    >>> os.environ["COURSE_PROFILE"] = "quick"
    >>> os.environ["COURSE_DATA"] = "offline"
    >>> print(describe())
    course_lib profile: quick (small data, few epochs) | data: offline (bundled datasets only)
    """
    profile_text = {
        "quick": "quick (small data, few epochs)",
        "full": "full (real datasets, full training)",
    }[profile()]
    data_text = {
        "offline": "offline (bundled datasets only)",
        "auto": "auto (downloads real datasets in the full profile)",
    }[data_mode()]
    return f"course_lib profile: {profile_text} | data: {data_text}"
