"""Run profiles: how big each chapter's data and training are, and where data comes from.

Two settings, both read from environment variables each time they are asked for:

``COURSE_PROFILE``
    ``"quick"`` (few epochs, small data: what tests and the default book build run) or
    ``"full"`` (real teaching runs). Default: ``"quick"`` everywhere, also in Google Colab, so a
    student reproduces the page; the setup cell's form field switches to ``"full"``.
``COURSE_DATA``
    ``"offline"`` (only data that ships inside installed packages; never the network) or
    ``"auto"`` (download the real datasets when the profile is full). Default: ``"auto"`` in
    Colab, ``"offline"`` elsewhere.

``COURSE_SMOKE``
    ``"1"`` in the full-profile smoke test (``make test-full-smoke``): the full profile's code
    paths run (real-data loaders against a local server), but :func:`pick` cuts numbers down
    below the quick values, so that every chapter's full branches run in seconds.
``COURSE_MEMORY_LIMIT_GIB``
    The most memory (GiB) one call of a course_lib function may plan to allocate before it
    refuses with a message naming the argument to change. Default :data:`MEMORY_LIMIT_GIB`
    (1 GiB); set ``config.MEMORY_LIMIT_GIB = 4`` or the variable to allow more.

Chapters ask for sizes through :func:`pick`, e.g. ``epochs = config.pick(quick=2, full=30)``.
"""

from __future__ import annotations

import os
import sys
import warnings
from importlib import metadata
from typing import TypeVar

from course_lib._validation import as_choice, as_mapping

PROFILES = ("quick", "full")
DATA_MODES = ("offline", "auto")
PROFILE_VARIABLE = "COURSE_PROFILE"
DATA_VARIABLE = "COURSE_DATA"
SMOKE_VARIABLE = "COURSE_SMOKE"
SMOKE_FRACTION = 4  # in the smoke test a number is the quick value divided by this (at least 1)

# The TensorFlow / Keras releases course_lib is tested on (make test-compat: the oldest, make
# test: the newest); pyproject.toml's "tf" extra declares the same range (a test checks).
SUPPORTED = {"tensorflow": ("2.16", "2.22"), "keras": ("3.3", "3.16")}  # lowest, first unsupported
MEMORY_VARIABLE = "COURSE_MEMORY_LIMIT_GIB"
#: Default memory limit of one call, in GiB (see :func:`memory_limit_gib`).
MEMORY_LIMIT_GIB = 1.0

T = TypeVar("T")
_warned_versions = False


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
    default = "quick"
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


def smoke() -> bool:
    """Return True in the full-profile smoke test (``COURSE_SMOKE=1``).

    Examples
    --------
    >>> smoke()
    False
    """
    return os.environ.get(SMOKE_VARIABLE, "").strip() not in ("", "0")


def _cut(quick, full):
    """The smoke test's value: the full one, with numbers cut below the quick ones."""
    number = (int, float)
    if isinstance(quick, bool) or isinstance(full, bool):
        return full
    if isinstance(quick, int) and isinstance(full, int):
        return max(1, min(quick, full) // SMOKE_FRACTION)
    if isinstance(quick, number) and isinstance(full, number):
        return min(quick, full)
    if isinstance(quick, tuple) and isinstance(full, tuple) and len(quick) == len(full) \
            and all(isinstance(v, number) for v in quick + full):
        return quick  # filters and sizes: the quick network
    return full
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
    The ``quick`` value in the quick profile, the ``full`` value otherwise. In the smoke test
    (:func:`smoke`, full profile) an int is ``min(quick, full) // 4`` (at least 1), a tuple of
    numbers the quick one, anything else (a loader, None) the full one.

    Examples
    --------
    >>> import os
    >>> os.environ["COURSE_PROFILE"] = "quick"
    >>> pick(quick=2, full=30)
    2
    >>> os.environ["COURSE_PROFILE"] = "full"
    >>> pick(quick=2, full=30)
    30
    >>> os.environ["COURSE_SMOKE"] = "1"
    >>> pick(quick=3000, full=60000), pick(quick=(16, 32), full=(32, 64)), pick(quick=192, full=None)
    (750, (16, 32), None)
    >>> del os.environ["COURSE_SMOKE"]
    >>> os.environ["COURSE_PROFILE"] = "quick"
    """
    if profile() == "quick":
        return quick
    return _cut(quick, full) if smoke() else full


def describe() -> str:
    """Return a one-line description of the active settings (the setup cell prints it).

    At most 72 characters, so that the built book shows it whole.

    Examples
    --------
    >>> import os
    >>> os.environ["COURSE_PROFILE"] = "quick"
    >>> os.environ["COURSE_DATA"] = "offline"
    >>> print(describe())
    course_lib: quick profile (small data, few epochs), bundled data only
    >>> os.environ["COURSE_PROFILE"] = "full"
    >>> os.environ["COURSE_DATA"] = "auto"
    >>> print(describe())
    course_lib: full profile (more data, long training), real datasets
    >>> os.environ["COURSE_PROFILE"], os.environ["COURSE_DATA"] = "quick", "offline"
    """
    profile_text = {
        "quick": "quick profile (small data, few epochs)",
        "full": "full profile (more data, long training)",
    }[profile()]
    if smoke() and profile() == "full":
        profile_text = "full profile, smoke test (cut-down sizes)"
    data_text = "real datasets" if use_real_data() else "bundled data only"
    return f"course_lib: {profile_text}, {data_text}"


def _release(version: str) -> tuple[int, ...]:
    """``"2.16.2rc0"`` -> ``(2, 16, 2)``: the leading numbers of a version string."""
    numbers = []
    for part in version.split("."):
        digits = ""
        for char in part:
            if not char.isdigit():
                break
            digits += char
        if not digits:
            break
        numbers.append(int(digits))
    return tuple(numbers)


def _installed(names: tuple[str, ...]) -> str | None:
    for name in names:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return None


def version_problem(versions: dict[str, str | None] | None = None) -> str | None:
    """Return a one-line instruction if TensorFlow or Keras is outside the supported range, else None.

    Reads the installed versions from package metadata (nothing is imported); a package that
    is not installed is no problem here (the NumPy chapters need neither).

    Parameters
    ----------
    versions : dict, optional
        ``{"tensorflow": "2.15.0", "keras": "2.15.0"}`` to check instead of the installed ones.

    Returns
    -------
    str or None

    Raises
    ------
    TypeError
        If ``versions`` is not a dict of package name to version string (or None).

    Examples
    --------
    >>> version_problem({"tensorflow": "2.21.0", "keras": "3.15.1"}) is None
    True
    >>> print(version_problem({"tensorflow": "2.15.0", "keras": "2.15.0"}))
    course_lib supports TensorFlow 2.16-2.21 with Keras 3.3-3.15, not TensorFlow 2.15.0 / Keras 2.15.0: \
run  pip install "tensorflow>=2.16,<2.22" "keras>=3.3,<3.16"  and restart the runtime.
    """
    if versions is None:
        versions = {"tensorflow": _installed(("tensorflow", "tensorflow-cpu", "tf-nightly")),
                    "keras": _installed(("keras",))}
    versions = as_mapping("versions", versions, what="package name -> version string or None")
    for name, version in versions.items():
        if version is not None and not isinstance(version, str):
            raise TypeError(f"versions[{name!r}] must be a version string such as \"2.16.1\" or None; "
                            f"got {version!r} ({type(version).__name__}).")
    outside = [name for name, version in versions.items() if version is not None and name in SUPPORTED
               and not _release(SUPPORTED[name][0]) <= _release(version) < _release(SUPPORTED[name][1])]
    if not outside:
        return None
    (tf_low, tf_end), (keras_low, keras_end) = SUPPORTED["tensorflow"], SUPPORTED["keras"]

    def last(end: str) -> str:
        major, minor = _release(end)[:2]
        return f"{major}.{minor - 1}"

    running = " / ".join(f"{'TensorFlow' if name == 'tensorflow' else 'Keras'} {versions[name]}"
                         for name in ("tensorflow", "keras") if versions.get(name))
    return (f"course_lib supports TensorFlow {tf_low}-{last(tf_end)} with Keras {keras_low}-{last(keras_end)}, "
            f"not {running}: run  pip install \"tensorflow>={tf_low},<{tf_end}\" \"keras>={keras_low},<{keras_end}\"  "
            "and restart the runtime.")


def warn_unsupported_versions() -> None:
    """Warn once (a ``RuntimeWarning``, one line) if TensorFlow / Keras is outside the supported range.

    Importing this module (every chapter's setup cell does) calls it; see :func:`version_problem`.

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     warn_unsupported_versions()  # importing config already checked: a second call says nothing
    >>> caught
    []
    """
    global _warned_versions
    if _warned_versions:
        return
    _warned_versions = True
    problem = version_problem()
    if problem is not None:
        warnings.warn(problem, RuntimeWarning, stacklevel=2)


# one line if the runtime's TensorFlow / Keras is outside the tested range (package metadata
# only: nothing is imported)
warn_unsupported_versions()
