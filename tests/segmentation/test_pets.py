"""The full-profile path: Oxford-IIIT Pet trimaps served in their real format by a local http.server."""

import dataclasses
import functools
import hashlib
import http.server
import io
import socket
import tarfile
import threading
import warnings

import numpy as np
import pytest
from PIL import Image

from course_lib import segmentation
from course_lib.data import downloads


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def served(tmp_path, monkeypatch):
    """A folder served on 127.0.0.1, the cache in tmp_path, the full profile."""
    folder = tmp_path / "served"
    folder.mkdir()
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    monkeypatch.setenv("COURSE_DATA_BASE_URL", f"http://127.0.0.1:{httpd.server_address[1]}")
    monkeypatch.setenv("COURSE_DATA_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("COURSE_PROFILE", "full")
    monkeypatch.setenv("COURSE_DATA", "auto")
    yield folder
    httpd.shutdown()
    httpd.server_close()


def _add(bundle: tarfile.TarFile, name: str, payload: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(payload)
    bundle.addfile(info, io.BytesIO(payload))


def _png(array: np.ndarray, fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(array).save(buffer, format=fmt)
    return buffer.getvalue()


def _pet_archives(names):
    """images.tar.gz (JPEGs) and annotations.tar.gz (trimaps, trainval.txt, test.txt) as in the real set."""
    images, annotations = io.BytesIO(), io.BytesIO()
    with tarfile.open(fileobj=images, mode="w:gz") as bundle:
        for i, name in enumerate(names):
            _add(bundle, f"images/{name}.jpg", _png(np.full((30, 40, 3), 40 * i, dtype=np.uint8), "JPEG"))
    with tarfile.open(fileobj=annotations, mode="w:gz") as bundle:
        for name in names:
            trimap = np.full((30, 40), 2, dtype=np.uint8)  # background
            trimap[5:25, 10:30] = 3  # outline
            trimap[8:22, 13:27] = 1  # pet
            _add(bundle, f"annotations/trimaps/{name}.png", _png(trimap, "PNG"))
        _add(bundle, "annotations/trainval.txt", "".join(f"{n} 1 1 1\n" for n in names[:3]).encode())
        _add(bundle, "annotations/test.txt", "".join(f"{n} 1 1 1\n" for n in names[3:]).encode())
    return images.getvalue(), annotations.getvalue()


def _publish(folder, monkeypatch, name, payload):
    (folder / name).write_bytes(payload)
    resource = dataclasses.replace(downloads.RESOURCES[name], sha256=hashlib.sha256(payload).hexdigest())
    monkeypatch.setitem(downloads.RESOURCES, name, resource)


def test_real_entries_have_published_sha256():
    for name in segmentation.pets.PET_FILES:
        assert len(downloads.RESOURCES[name].sha256) == 64


def test_oxford_pets_from_a_local_server(served, monkeypatch, capsys):
    monkeypatch.setattr(segmentation.pets, "_PETS_FAILED", [])
    names = ["Abyssinian_1", "beagle_2", "pug_3", "Persian_4", "boxer_5"]
    images, annotations = _pet_archives(names)
    _publish(served, monkeypatch, "images.tar.gz", images)
    _publish(served, monkeypatch, "annotations.tar.gz", annotations)
    train = segmentation.segmentation_set(10, size=16, split="train", rng=0)
    assert "Oxford-IIIT Pet trimaps (3 train images, 16x16)" in capsys.readouterr().out
    assert train.images.shape == (3, 16, 16, 1) and train.class_names == segmentation.PET_CLASSES
    assert set(train.sources) == set(names[:3])
    mask = train.masks[0]
    assert mask[8, 8] == 1 and mask[0, 0] == 0 and 2 in mask  # pet, background, outline
    test = segmentation.oxford_pets(5, size=16, split="test")
    assert set(test.sources) == {"Persian_4", "boxer_5"}


def test_oxford_pets_falls_back_with_a_warning(served, monkeypatch, capsys):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("COURSE_DATA_BASE_URL", f"http://127.0.0.1:{port}")
    monkeypatch.setattr(segmentation.pets, "_PETS_FAILED", [])
    with pytest.warns(RuntimeWarning) as caught:
        scenes = segmentation.segmentation_set(2, size=32, split="train", rng=0)
    # one line: what failed, what is used instead, how to get the files
    (message,) = [str(warning.message) for warning in caught]
    assert message.startswith("Could not download images.tar.gz from http://127.0.0.1:")
    assert "using the offline texture scenes instead of the Oxford-IIIT Pet trimaps" in message
    assert "\n" not in message
    assert scenes.class_names == segmentation.CLASSES
    assert "generated offline; offline stand-in for the Oxford-IIIT Pet trimaps" in capsys.readouterr().out
    # the test split does not ask (and wait) again, and does not warn again
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert segmentation.oxford_pets(2, size=32, split="test") is None
        test = segmentation.segmentation_set(2, size=32, split="test", rng=1)
    assert test.class_names == segmentation.CLASSES
