"""Checksummed, atomic, resumable-by-retry downloads into a cache directory.

``COURSE_DATA_CACHE``
    Where files are kept (default ``~/.cache/course_lib``). Created on the first download,
    never on import.

A file is fetched from :func:`~course_lib.data.resources.resource_url` (its real address, or
``$COURSE_DATA_BASE_URL``) to a temporary ``.part`` file in the cache directory, checked by
:mod:`course_lib.data.verify` (its published hash, or its structure and then a pin), and only then
renamed into place with ``os.replace``; so a file under its final name is always complete. A cached
file that fails its check (an interrupted copy, a corrupted disk) is removed, reported in one line
and fetched again.
"""

from __future__ import annotations

import http.client
import os
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

from course_lib._validation import as_float
from course_lib.data.resources import RESOURCES, Resource, as_resource, resource_url
from course_lib.data.verify import check_structure, discard, expected_hash, file_digest, is_valid, pin_path

CACHE_VARIABLE = "COURSE_DATA_CACHE"
PREFETCH_COMMAND = "python -m course_lib.data prefetch"


class DownloadError(RuntimeError):
    """A file could not be downloaded or failed its checksum; the message says what to do."""


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
    resource = as_resource(resource)
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
            pin_path(target).write_text(file_digest(part) + "\n")
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
