"""Downloads against a local http.server on 127.0.0.1: checksums, truncation, no server."""

import dataclasses
import hashlib
import http.server
import io
import socket
import threading
import time
import zipfile
from pathlib import Path

import numpy as np
import pytest

from course_lib.data import __main__ as cli
from course_lib.data import downloads, verify
from course_lib.data.downloads import DownloadError


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves a folder; under /cut/ it promises the whole file but sends half of it."""

    requests: list = []

    def log_message(self, *args):  # keep the test output clean
        pass

    def do_GET(self):
        type(self).requests.append(self.path)
        if self.path.startswith("/cut/"):
            body = (Path(self.directory) / self.path[len("/cut/"):]).read_bytes()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        super().do_GET()


@pytest.fixture
def server(tmp_path):
    """(folder served, base URL); bound to 127.0.0.1 only."""
    folder = tmp_path / "served"
    folder.mkdir()
    handler = type("Handler", (_Handler,), {"requests": []})
    httpd = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), lambda *a, **k: handler(*a, directory=str(folder), **k)
    )
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield folder, f"http://127.0.0.1:{httpd.server_address[1]}", handler
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("COURSE_DATA_CACHE", str(folder))
    return folder


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # closed again when the block ends


def _publish(folder: Path, name: str, payload: bytes, monkeypatch, *, pin: bool = True) -> None:
    """Serve ``payload`` as ``name`` and make the registry expect its SHA-256."""
    (folder / name).write_bytes(payload)
    if pin:
        resource = dataclasses.replace(
            downloads.RESOURCES[name], sha256=hashlib.sha256(payload).hexdigest(), md5=None
        )
        monkeypatch.setitem(downloads.RESOURCES, name, resource)


def _mnist_npz(n_train=6, n_test=4) -> bytes:
    rng = np.random.default_rng(0)
    buffer = io.BytesIO()
    np.savez(
        buffer,
        x_train=rng.integers(0, 256, (n_train, 28, 28), dtype=np.uint8),
        y_train=np.arange(n_train, dtype=np.uint8) % 10,
        x_test=rng.integers(0, 256, (n_test, 28, 28), dtype=np.uint8),
        y_test=np.arange(n_test, dtype=np.uint8) % 10,
    )
    return buffer.getvalue()


# --- the downloader -------------------------------------------------------------------
def test_download_verifies_and_writes_atomically(server, cache, monkeypatch):
    folder, base, handler = server
    payload = _mnist_npz()
    _publish(folder, "mnist.npz", payload, monkeypatch)
    monkeypatch.setenv("COURSE_DATA_BASE_URL", base)
    path = downloads.download("mnist.npz", progress=False)
    assert path == cache / "mnist.npz" and path.read_bytes() == payload
    assert sorted(p.name for p in cache.iterdir()) == ["mnist.npz"]  # no .part left over
    downloads.download("mnist.npz", progress=False)
    assert handler.requests == ["/mnist.npz"]  # the second call used the cache


def test_checksum_mismatch_is_refused_and_leaves_nothing(server, cache, monkeypatch):
    folder, base, _ = server
    _publish(folder, "mnist.npz", b"the real file", monkeypatch)
    (folder / "mnist.npz").write_bytes(b"a tampered file")
    monkeypatch.setenv("COURSE_DATA_BASE_URL", base)
    with pytest.raises(DownloadError, match="failed its checksum"):
        downloads.download("mnist.npz", progress=False)
    assert list(cache.iterdir()) == []


def test_truncated_cached_file_is_fetched_again(server, cache, monkeypatch, capsys):
    folder, base, handler = server
    payload = _mnist_npz()
    _publish(folder, "mnist.npz", payload, monkeypatch)
    cache.mkdir()
    (cache / "mnist.npz").write_bytes(payload[: len(payload) // 3])  # an interrupted copy
    monkeypatch.setenv("COURSE_DATA_BASE_URL", base)
    path = downloads.download("mnist.npz", progress=False)
    assert path.read_bytes() == payload
    assert capsys.readouterr().out == "Removed the cached mnist.npz (incomplete or corrupt); it will be downloaded again.\n"
    assert handler.requests == ["/mnist.npz"]


def test_interrupted_transfer_is_an_error_and_leaves_nothing(server, cache, monkeypatch):
    folder, base, _ = server
    _publish(folder, "mnist.npz", _mnist_npz(), monkeypatch)
    monkeypatch.setenv("COURSE_DATA_BASE_URL", base + "/cut")
    with pytest.raises(DownloadError, match="interrupted"):
        downloads.download("mnist.npz", progress=False)
    assert list(cache.iterdir()) == []


def test_no_server_fails_fast_with_the_standin_and_prefetch_command(cache, monkeypatch):
    monkeypatch.setenv("COURSE_DATA_BASE_URL", f"http://127.0.0.1:{_closed_port()}")
    start = time.perf_counter()
    with pytest.raises(DownloadError, match=r"mnist_subset\(\).*python -m course_lib.data prefetch"):
        downloads.download("mnist.npz", timeout=2, progress=False)
    assert time.perf_counter() - start < 5
    assert not (cache / "mnist.npz").exists()


def test_http_error(server, cache, monkeypatch):
    _, base, _ = server
    monkeypatch.setenv("COURSE_DATA_BASE_URL", base)
    with pytest.raises(DownloadError, match="HTTP 404"):
        downloads.download("mnist.npz", progress=False)


def test_file_without_published_hash_is_pinned_on_first_use(server, cache, monkeypatch):
    folder, base, handler = server
    name = "cats_and_dogs_filtered.zip"
    assert downloads.RESOURCES[name].sha256 is None
    payload = _cats_and_dogs_zip()
    (folder / name).write_bytes(payload)
    monkeypatch.setenv("COURSE_DATA_BASE_URL", base)
    path = downloads.download(name, progress=False)
    pin = cache / (name + ".sha256")
    assert pin.read_text().strip() == hashlib.sha256(payload).hexdigest()
    path.write_bytes(payload[:100])  # corrupt it: detected through the pin, fetched again
    assert downloads.cached()[[row[0] for row in downloads.cached()].index(name)][2] == "corrupt"
    downloads.download(name, progress=False)
    assert path.read_bytes() == payload and len(handler.requests) == 2


def _cats_and_dogs_zip(folders=("train", "validation")) -> bytes:
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w") as bundle:
        for split in folders:
            for kind in ("cats", "dogs"):
                bundle.writestr(f"cats_and_dogs_filtered/{split}/{kind}/{kind}.1.jpg", b"jpeg bytes")
    return stream.getvalue()


@pytest.mark.parametrize("payload, problem", [
    (b"<html>Service unavailable</html>", "not a zip archive"),
    (_cats_and_dogs_zip(folders=("train",)), "missing folders cats_and_dogs_filtered/validation/cats/"),
])
def test_file_without_published_hash_is_checked_before_it_is_pinned(server, cache, monkeypatch, payload, problem):
    folder, base, _ = server
    name = "cats_and_dogs_filtered.zip"
    (folder / name).write_bytes(payload)
    monkeypatch.setenv("COURSE_DATA_BASE_URL", base)
    with pytest.raises(DownloadError, match=f"is not what it should be \\({problem}"):
        downloads.download(name, progress=False)
    assert list(cache.iterdir()) == []  # neither the file nor a pin


def test_a_mirrors_checksums_replace_the_published_ones(server, cache, monkeypatch, tmp_path):
    folder, base, _ = server
    payload = _mnist_npz()
    (folder / "mnist.npz").write_bytes(payload)
    listing = tmp_path / "SHA256SUMS"
    listing.write_text(f"{hashlib.sha256(payload).hexdigest()}  mnist.npz\n")
    monkeypatch.setenv("COURSE_DATA_CHECKSUMS", str(listing))
    with pytest.raises(DownloadError, match="HTTP 404|Could not download"):  # no mirror: the real address
        monkeypatch.setenv("COURSE_DATA_BASE_URL", base + "/elsewhere")
        downloads.download("mnist.npz", progress=False)
    monkeypatch.setenv("COURSE_DATA_BASE_URL", base)
    assert downloads.download("mnist.npz", progress=False).read_bytes() == payload
    monkeypatch.delenv("COURSE_DATA_BASE_URL")
    assert verify.expected_hash(downloads.RESOURCES["mnist.npz"])[1] == downloads.RESOURCES["mnist.npz"].sha256


def test_download_argument_errors(cache):
    with pytest.raises(ValueError, match="resource must be one of"):
        downloads.download("imagenet.tar")
    with pytest.raises(ValueError, match="timeout must be >= 0.1"):
        downloads.download("mnist.npz", timeout=0)
    with pytest.raises(TypeError, match="timeout must be a real number"):
        downloads.download("mnist.npz", timeout="10")


def test_cache_dir_default(monkeypatch, tmp_path):
    monkeypatch.delenv("COURSE_DATA_CACHE", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert downloads.cache_dir() == tmp_path / ".cache" / "course_lib"
    assert not downloads.cache_dir().exists()


# --- the command line -----------------------------------------------------------------
def test_cli_list_and_prefetch(server, cache, monkeypatch, capsys):
    folder, base, _ = server
    _publish(folder, "mnist.npz", _mnist_npz(), monkeypatch)
    monkeypatch.setenv("COURSE_DATA_BASE_URL", base)
    assert cli.main(["prefetch", "mnist.npz"]) == 0
    assert cli.main(["list"]) == 0
    out = capsys.readouterr().out
    assert "ok" in out and "missing" in out
    assert cli.main(["prefetch", "t10k-labels-idx1-ubyte.gz"]) == 1  # not served: 404
    assert "FAILED" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli.main(["prefetch", "imagenet.tar"])
    assert "unknown file name(s) imagenet.tar" in capsys.readouterr().err
