"""Checking a cached file: published hashes, structure, pins, and removing a bad file."""

import hashlib

import pytest

from course_lib.data import resources, verify


def test_a_file_without_a_published_hash_is_valid_only_with_its_pin(tmp_path):
    resource = resources.RESOURCES["cats_and_dogs_filtered.zip"]
    path = tmp_path / resource.name
    path.write_bytes(b"first good download")
    assert not verify.is_valid(path, resource)  # no pin yet
    verify.pin_path(path).write_text(hashlib.sha256(b"first good download").hexdigest() + "\n")
    assert verify.is_valid(path, resource)
    path.write_bytes(b"changed on disk")
    assert not verify.is_valid(path, resource)


def test_a_file_with_a_published_hash_must_match_it(tmp_path, monkeypatch):
    payload = b"published payload"
    resource = resources.Resource("x.npz", "https://example.invalid/x.npz", sha256=hashlib.sha256(payload).hexdigest())
    path = tmp_path / "x.npz"
    path.write_bytes(payload)
    assert verify.is_valid(path, resource)
    verify.pin_path(path).write_text(hashlib.sha256(b"other").hexdigest() + "\n")
    assert verify.is_valid(path, resource)  # the published hash wins over a stray pin
    path.write_bytes(payload[:-1])
    assert not verify.is_valid(path, resource)


def test_discard_removes_the_file_its_pin_and_its_unpacked_folder(tmp_path, capsys):
    path = tmp_path / "cats_and_dogs_filtered.zip"
    path.write_bytes(b"?")
    verify.pin_path(path).write_text("0" * 64 + "\n")
    (tmp_path / "cats_and_dogs_filtered" / "train").mkdir(parents=True)
    verify.discard(path, "cannot be unpacked")
    assert sorted(tmp_path.iterdir()) == []
    assert capsys.readouterr().out == ("Removed the cached cats_and_dogs_filtered.zip (cannot be unpacked); "
                                       "it will be downloaded again.\n")


def test_zip_structure_check(tmp_path):
    import io
    import zipfile

    resource = resources.RESOURCES["cats_and_dogs_filtered.zip"]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as bundle:
        for folder in resource.members[:-1]:
            bundle.writestr(folder + "a.jpg", b"jpeg")
    path = tmp_path / resource.name
    path.write_bytes(buffer.getvalue())
    assert verify.check_structure(path, resource) == f"missing folders {resource.members[-1]}"


def test_h5_structure_check(tmp_path):
    h5py = pytest.importorskip("h5py")
    resource = resources.RESOURCES["mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_224_no_top.h5"]
    path = tmp_path / resource.name
    path.write_bytes(b"<html>not found</html>")
    assert verify.check_structure(path, resource) == "not an HDF5 file"
    with h5py.File(path, "w") as weights:
        weights.attrs["backend"] = "tensorflow"
    assert verify.check_structure(path, resource) == "an HDF5 file without Keras layer weights"
    with h5py.File(path, "w") as weights:
        weights.attrs["layer_names"] = [b"conv1"]
    assert verify.check_structure(path, resource) is None


def test_md5_resources_are_checked():
    resource = resources.RESOURCES["vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5"]
    assert resource.md5 == "6d6bbae143d832006294945121d1f1fc" and resource.sha256 is None


def test_cache_helpers_name_a_wrong_resource_or_path():
    """Found by the fuzz pass over every public function (issue 22)."""
    resource = resources.RESOURCES["mnist.npz"]
    with pytest.raises(ValueError, match=r"^resource must be one of .*; got 'abc'\."):
        resources.resource_url("abc")
    with pytest.raises(TypeError, match=r"^resource must be a resource name such as 'mnist.npz' or a Resource; got NoneType"):
        verify.expected_hash(None)
    with pytest.raises(TypeError, match=r"^resource must be a resource name"):
        verify.is_valid("x.npz", None)
    with pytest.raises(TypeError, match=r"^path must be a path \(str or pathlib\.Path\); got NoneType"):
        verify.file_digest(None)
    with pytest.raises(TypeError, match=r"^path must be a path"):
        verify.check_structure(None, resource)
    with pytest.raises(TypeError, match=r"^path must be a path"):
        verify.discard(None, "reason")
    assert resources.resource_url("mnist.npz") == resources.resource_url(resource)  # a name works as the Resource
