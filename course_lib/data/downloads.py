"""Checksummed, atomic, resumable-by-retry downloads into a cache directory.

``COURSE_DATA_CACHE``
    Where files are kept (default ``~/.cache/course_lib``). Created on the first download,
    never on import.
``COURSE_DATA_BASE_URL``
    If set, every file is fetched from ``<base>/<file name>`` instead of its real address
    (a mirror, or a local ``http.server`` in the tests).

A file is downloaded to a temporary ``.part`` file in the cache directory, checked
against its published SHA-256 (or the MD5 Keras publishes, where that is all there is),
and only then renamed into place with ``os.replace``; so a file under its final name is
always complete. A cached file that fails its check (an interrupted copy, a corrupted
disk) is removed, reported in one line and fetched again. Files without any published hash
are checked by their structure on first use (a zip opens and holds the expected folders; an
HDF5 weights file opens and lists its layers, which ``data.pretrained_backbone`` then matches
against the architecture) and pinned: the SHA-256 of that first good download is stored
next to it and checked from then on.

``COURSE_DATA_CHECKSUMS``
    Only with ``COURSE_DATA_BASE_URL``: a file of ``<sha256>  <file name>`` lines (the
    format of ``sha256sum``) that replaces the published hashes, for a mirror that serves
    files of its own (the full-profile smoke test's synthetic datasets).
"""

from __future__ import annotations

import hashlib
import http.client
import os
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

from course_lib._validation import as_float, as_path
from course_lib.data.resources import RESOURCES, Resource

CACHE_VARIABLE = "COURSE_DATA_CACHE"
BASE_URL_VARIABLE = "COURSE_DATA_BASE_URL"
CHECKSUMS_VARIABLE = "COURSE_DATA_CHECKSUMS"
PREFETCH_COMMAND = "python -m course_lib.data prefetch"


class DownloadError(RuntimeError):
    """A file could not be downloaded or failed its checksum; the message says what to do."""


def _as_resource(resource) -> Resource:
    """A Resource, from itself or its name in RESOURCES; anything else is refused naming ``resource``."""
    if isinstance(resource, str):
        if resource not in RESOURCES:
            raise ValueError(f"resource must be one of {', '.join(sorted(RESOURCES))}; got {resource!r}.")
        return RESOURCES[resource]
    if not isinstance(resource, Resource):
        raise TypeError(f"resource must be a resource name such as 'mnist.npz' or a Resource; got {type(resource).__name__}.")
    return resource


def cache_dir() -> Path:
    """The cache directory (``$COURSE_DATA_CACHE`` or ``~/.cache/course_lib``); not created.

    Examples
    --------
    >>> import os
    >>> os.environ["COURSE_DATA_CACHE"] = "/tmp/course-cache"
    >>> cache_dir()
    PosixPath('/tmp/course-cache')
    >>> del os.environ["COURSE_DATA_CACHE"]
    """
    configured = os.environ.get(CACHE_VARIABLE, "").strip()
    return Path(configured).expanduser() if configured else Path.home() / ".cache" / "course_lib"


def resource_url(resource: Resource) -> str:
    """The address to fetch ``resource`` from, honouring ``$COURSE_DATA_BASE_URL``.

    Examples
    --------
    >>> import os
    >>> os.environ["COURSE_DATA_BASE_URL"] = "http://127.0.0.1:8000/"
    >>> resource_url(RESOURCES["mnist.npz"])
    'http://127.0.0.1:8000/mnist.npz'
    >>> del os.environ["COURSE_DATA_BASE_URL"]
    >>> resource_url(RESOURCES["mnist.npz"])
    'https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz'
    """
    resource = _as_resource(resource)
    base = os.environ.get(BASE_URL_VARIABLE, "").strip()
    return f"{base.rstrip('/')}/{resource.name}" if base else resource.url


def file_digest(path: str | os.PathLike, algorithm: str = "sha256") -> str:
    """Hex digest of a file, read in 1 MiB blocks.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "abc.txt"
    >>> _ = path.write_bytes(b"abc")
    >>> file_digest(path)[:16]
    'ba7816bf8f01cfea'
    """
    digest = hashlib.new(algorithm)
    with open(as_path("path", path), "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _pin_path(path: Path) -> Path:
    return path.with_name(path.name + ".sha256")


def expected_hash(resource: Resource) -> tuple[str, str] | None:
    """``(algorithm, hex digest)`` a download must match, or None (checked by structure, then pinned).

    A mirror's own checksums (``$COURSE_DATA_CHECKSUMS`` with ``$COURSE_DATA_BASE_URL``)
    replace the published ones.

    Examples
    --------
    >>> expected_hash(RESOURCES["vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5"])
    ('md5', '6d6bbae143d832006294945121d1f1fc')
    >>> expected_hash(RESOURCES["cats_and_dogs_filtered.zip"]) is None
    True
    """
    resource = _as_resource(resource)
    listing = os.environ.get(CHECKSUMS_VARIABLE, "").strip()
    if listing and os.environ.get(BASE_URL_VARIABLE, "").strip():
        for line in Path(listing).read_text().splitlines():
            digest, _, name = line.strip().partition("  ")
            if name == resource.name:
                return "sha256", digest
    if resource.sha256:
        return "sha256", resource.sha256
    if resource.md5:
        return "md5", resource.md5
    return None


def check_structure(path: str | os.PathLike, resource: Resource) -> str | None:
    """What is wrong with the file's structure (None if nothing): a zip must open and hold
    ``resource.members``; an ``.h5`` must open as HDF5 and list its layers.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "cats_and_dogs_filtered.zip"
    >>> _ = path.write_bytes(b"not a zip")
    >>> check_structure(path, RESOURCES["cats_and_dogs_filtered.zip"])
    'not a zip archive'
    """
    import zipfile

    path, resource = as_path("path", path), _as_resource(resource)
    if resource.name.endswith(".zip"):
        try:
            with zipfile.ZipFile(path) as bundle:
                names = bundle.namelist()
                broken = bundle.testzip()
        except (zipfile.BadZipFile, OSError):
            return "not a zip archive"
        if broken is not None:
            return f"damaged member {broken}"
        missing = [folder for folder in resource.members if not any(n.startswith(folder) for n in names)]
        return f"missing folders {', '.join(missing)}" if missing else None
    if resource.name.endswith(".h5"):
        import h5py  # comes with TensorFlow, the only user of weights files

        try:
            with h5py.File(path, "r") as weights:
                layers = weights.attrs.get("layer_names")
        except OSError:
            return "not an HDF5 file"
        return None if layers is not None and len(layers) else "an HDF5 file without Keras layer weights"
    return None


def discard(path: str | os.PathLike, reason: str) -> None:
    """Remove a cached file (its pin and its unpacked folder too) and say so in one line.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "x.zip"
    >>> _ = path.write_bytes(b"?")
    >>> discard(path, "not a zip archive")
    Removed the cached x.zip (not a zip archive); it will be downloaded again.
    >>> path.exists()
    False
    """
    import shutil

    path = as_path("path", path)
    path.unlink(missing_ok=True)
    _pin_path(path).unlink(missing_ok=True)
    for suffix in (".zip", ".tar.gz"):
        if path.name.endswith(suffix):
            shutil.rmtree(path.with_name(path.name[: -len(suffix)]), ignore_errors=True)
    print(f"Removed the cached {path.name} ({reason}); it will be downloaded again.")


def is_valid(path: str | os.PathLike, resource: Resource) -> bool:
    """True if ``path`` exists and matches the resource's hash (or its pinned hash).

    Examples
    --------
    >>> is_valid("/nonexistent/mnist.npz", RESOURCES["mnist.npz"])
    False
    """
    path, resource = as_path("path", path), _as_resource(resource)
    if not path.is_file():
        return False
    expected = expected_hash(resource)
    if expected:
        return file_digest(path, expected[0]) == expected[1]
    pin = _pin_path(path)
    return pin.is_file() and file_digest(path) == pin.read_text().strip()


def _offline_message(resource: Resource, url: str, reason: str) -> str:
    return (
        f"Could not download {resource.name} from {url} ({reason}). "
        f"Offline stand-in: {resource.standin or 'none'}. To get the real file, run "
        f"`{PREFETCH_COMMAND}` on a machine with internet access (cache: {cache_dir()}), "
        "or set COURSE_DATA=offline to use the stand-in without trying."
    )


def download(
    resource: str | Resource, *, timeout: float = 10.0, progress: bool = True
) -> Path:
    """Return the path of a verified copy of ``resource`` in the cache, downloading if needed.

    Parameters
    ----------
    resource : str or Resource
        A key of ``RESOURCES`` (the file name) or a :class:`Resource`.
    timeout : float, keyword-only
        Seconds to wait for the server to connect or answer, at least 0.1.
    progress : bool, keyword-only
        Show a tqdm progress bar.

    Returns
    -------
    pathlib.Path
        ``cache_dir() / resource.name``, complete and verified.

    Raises
    ------
    ValueError
        If ``resource`` is an unknown name or ``timeout`` is too small.
    DownloadError
        If the server cannot be reached, the transfer stops early, or the file does not
        match its checksum. The message names the offline stand-in and the prefetch
        command; no partial file is left behind.

    See Also
    --------
    prefetch : downloads every resource for later offline use.

    Examples
    --------
    >>> import os, tempfile
    >>> os.environ["COURSE_DATA_CACHE"] = tempfile.mkdtemp()
    >>> os.environ["COURSE_DATA_BASE_URL"] = "http://127.0.0.1:9"  # nothing listens here
    >>> try:
    ...     download("mnist.npz", timeout=1, progress=False)
    ... except DownloadError as error:
    ...     print(str(error)[:40])
    Could not download mnist.npz from http:/
    >>> del os.environ["COURSE_DATA_BASE_URL"], os.environ["COURSE_DATA_CACHE"]
    """
    resource = _as_resource(resource)
    timeout = as_float("timeout", timeout, minimum=0.1)
    target = cache_dir() / resource.name
    if is_valid(target, resource):
        return target
    if target.exists():
        discard(target, "incomplete or corrupt")
    url = resource_url(resource)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, part_name = tempfile.mkstemp(dir=target.parent, prefix=resource.name + ".", suffix=".part")
    part = Path(part_name)
    try:
        with os.fdopen(handle, "wb") as stream:
            _fetch(url, stream, timeout=timeout, progress=progress, resource=resource)
        expected = expected_hash(resource)
        if expected:
            actual = file_digest(part, expected[0])
            if actual != expected[1]:
                raise DownloadError(
                    f"{resource.name} from {url} failed its checksum (expected {expected[1]}, "
                    f"got {actual}); the file was discarded. Try again later, or use the "
                    f"offline stand-in: {resource.standin or 'none'}."
                )
        else:  # no published hash: check what it holds, then pin it
            problem = check_structure(part, resource)
            if problem:
                raise DownloadError(
                    f"{resource.name} from {url} is not what it should be ({problem}); the file was "
                    f"discarded. Try again later, or use the offline stand-in: {resource.standin or 'none'}."
                )
            _pin_path(target).write_text(file_digest(part) + "\n")
        os.replace(part, target)
    finally:
        part.unlink(missing_ok=True)
    return target


def _fetch(url: str, stream, *, timeout: float, progress: bool, resource: Resource) -> None:
    """Copy ``url`` into ``stream``; raise DownloadError naming the stand-in on failure."""
    from tqdm.auto import tqdm

    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            total = response.headers.get("Content-Length")
            total = int(total) if total and total.isdigit() else None
            received = 0
            with tqdm(total=total, unit="B", unit_scale=True, desc=resource.name,
                      disable=not progress, leave=False) as bar:
                for block in iter(lambda: response.read(1 << 16), b""):
                    stream.write(block)
                    received += len(block)
                    bar.update(len(block))
    except http.client.IncompleteRead as error:
        raise DownloadError(
            _offline_message(resource, url, f"transfer interrupted after {len(error.partial)} bytes")
        ) from error
    except urllib.error.HTTPError as error:
        raise DownloadError(_offline_message(resource, url, f"HTTP {error.code}")) from error
    except (urllib.error.URLError, OSError, http.client.HTTPException) as error:
        reason = getattr(error, "reason", None) or error
        raise DownloadError(_offline_message(resource, url, str(reason))) from error
    if total is not None and received != total:
        raise DownloadError(
            _offline_message(resource, url, f"transfer interrupted: {received} of {total} bytes")
        )


def cached() -> list[tuple[str, float, str]]:
    """What the cache holds: ``(file name, size in MB, status)`` for every resource.

    Status is ``"ok"``, ``"corrupt"`` (present but failing its check) or ``"missing"``.

    Examples
    --------
    >>> import os, tempfile
    >>> os.environ["COURSE_DATA_CACHE"] = tempfile.mkdtemp()
    >>> cached()[0]
    ('mnist.npz', 0.0, 'missing')
    >>> del os.environ["COURSE_DATA_CACHE"]
    """
    rows = []
    for resource in RESOURCES.values():
        path = cache_dir() / resource.name
        if not path.exists():
            rows.append((resource.name, 0.0, "missing"))
            continue
        status = "ok" if is_valid(path, resource) else "corrupt"
        rows.append((resource.name, round(path.stat().st_size / 1e6, 1), status))
    return rows
