"""Is a cached file what it should be: its published hash, or its structure and then a pin.

A file with a published SHA-256 (or the MD5 Keras publishes, where that is all there is) must
match it. A file without one is checked by its structure on first use (a zip opens and holds the
expected folders; an HDF5 weights file opens and lists its layers, which
``data.pretrained_backbone`` then matches against the architecture) and pinned: the SHA-256 of
that first good download is stored next to it (``<name>.sha256``) and checked from then on. A
file that fails is removed with one line that says so (:func:`discard`).

``COURSE_DATA_CHECKSUMS``
    Only with ``COURSE_DATA_BASE_URL``: a file of ``<sha256>  <file name>`` lines (the
    format of ``sha256sum``) that replaces the published hashes, for a mirror that serves
    files of its own (the full-profile smoke test's synthetic datasets).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from course_lib._validation import as_path
from course_lib.data.resources import BASE_URL_VARIABLE, RESOURCES, Resource, as_resource

CHECKSUMS_VARIABLE = "COURSE_DATA_CHECKSUMS"


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


def pin_path(path: str | os.PathLike) -> Path:
    """Where the SHA-256 of a file without a published hash is kept: next to it, ``<name>.sha256``.

    Examples
    --------
    >>> pin_path("/cache/cats_and_dogs_filtered.zip")
    PosixPath('/cache/cats_and_dogs_filtered.zip.sha256')
    """
    path = as_path("path", path)
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
    resource = as_resource(resource)
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

    path, resource = as_path("path", path), as_resource(resource)
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
    pin_path(path).unlink(missing_ok=True)
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
    path, resource = as_path("path", path), as_resource(resource)
    if not path.is_file():
        return False
    expected = expected_hash(resource)
    if expected:
        return file_digest(path, expected[0]) == expected[1]
    pin = pin_path(path)
    return pin.is_file() and file_digest(path) == pin.read_text().strip()
