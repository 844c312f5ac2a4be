"""Real loaders: full profile against a local server with files in the real formats,
fallback to the stand-in when the download fails, and the offline stand-ins."""

import gzip
import io
import pickle
import tarfile
import zipfile

import numpy as np
import pytest
from PIL import Image

from course_lib import data
from course_lib.data import real
from test_downloads import _closed_port, _mnist_npz, _publish, cache, server  # noqa: F401


@pytest.fixture(autouse=True)
def no_remembered_failures(monkeypatch):
    """Each test starts as a fresh session: no download remembered as failed."""
    monkeypatch.setattr(real, "_failed", set())


@pytest.fixture
def full(monkeypatch):
    monkeypatch.setenv("COURSE_PROFILE", "full")
    monkeypatch.setenv("COURSE_DATA", "auto")


@pytest.fixture
def offline(monkeypatch):
    monkeypatch.setenv("COURSE_PROFILE", "quick")
    monkeypatch.setenv("COURSE_DATA", "offline")


def _cifar_tar(n_per_batch=4) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as bundle:
        for index, name in enumerate([f"data_batch_{i}" for i in range(1, 6)] + ["test_batch"]):
            pixels = np.full((n_per_batch, 3072), index, dtype=np.uint8)
            pixels[:, 1024:2048] = 100  # the green plane
            batch = {b"data": pixels, b"labels": [index] * n_per_batch}
            payload = pickle.dumps(batch)
            info = tarfile.TarInfo(f"cifar-10-batches-py/{name}")
            info.size = len(payload)
            bundle.addfile(info, io.BytesIO(payload))
    return buffer.getvalue()


def _idx(array: np.ndarray, header: int) -> bytes:
    return gzip.compress(bytes(header) + array.astype(np.uint8).tobytes())


def _photos_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as bundle:
        for split, count in (("train", 3), ("validation", 2)):
            for label, animal in enumerate(("cats", "dogs")):
                for i in range(count):
                    image = Image.fromarray(np.full((20, 30, 3), 60 + 120 * label, dtype=np.uint8))
                    jpeg = io.BytesIO()
                    image.save(jpeg, format="JPEG")
                    bundle.writestr(f"cats_and_dogs_filtered/{split}/{animal}/{animal}.{i}.jpg", jpeg.getvalue())
    return buffer.getvalue()


# --- full profile, local server -------------------------------------------------------
def test_mnist_real(server, cache, full, monkeypatch, capsys):
    folder, base, _ = server
    payload = _mnist_npz(n_train=6, n_test=4)
    _publish(folder, "mnist.npz", payload, monkeypatch)
    monkeypatch.setenv("COURSE_DATA_BASE_URL", base)
    images, labels = data.mnist(split="test", rng=0)
    assert "Dataset: MNIST (4 test digits)." in capsys.readouterr().out
    assert images.shape == (4, 28, 28, 1) and images.dtype == np.float32 and labels.dtype == np.int64
    with np.load(io.BytesIO(payload)) as reference:
        expected = {x.tobytes(): y for x, y in zip(reference["x_test"], reference["y_test"])}
    for image, label in zip(images, labels):  # shuffled, but each image keeps its label
        assert expected[np.round(image[..., 0] * 255).astype(np.uint8).tobytes()] == label


def test_fashion_mnist_real(server, cache, full, monkeypatch, capsys):
    folder, base, _ = server
    images = np.arange(3 * 28 * 28).reshape(3, 28, 28) % 256
    _publish(folder, "t10k-images-idx3-ubyte.gz", _idx(images, 16), monkeypatch)
    _publish(folder, "t10k-labels-idx1-ubyte.gz", _idx(np.array([7, 8, 9]), 8), monkeypatch)
    monkeypatch.setenv("COURSE_DATA_BASE_URL", base)
    loaded, labels = data.fashion_mnist(split="test", rng=1)
    assert "Fashion-MNIST (3 test images)" in capsys.readouterr().out
    assert loaded.shape == (3, 28, 28, 1) and sorted(labels.tolist()) == [7, 8, 9]
    for image, label in zip(loaded, labels):
        np.testing.assert_allclose(image[..., 0] * 255, images[label - 7], atol=1e-3)


def test_cifar10_real(server, cache, full, monkeypatch):
    folder, base, _ = server
    _publish(folder, "cifar-10-python.tar.gz", _cifar_tar(), monkeypatch)
    monkeypatch.setenv("COURSE_DATA_BASE_URL", base)
    train, train_labels = data.cifar10(split="train")
    test, test_labels = data.cifar10(split="test")
    assert train.shape == (20, 32, 32, 3) and test.shape == (4, 32, 32, 3)
    assert sorted(set(train_labels.tolist())) == [0, 1, 2, 3, 4] and set(test_labels) == {5}
    # channels last: red plane = batch index, green plane = 100
    np.testing.assert_allclose(test[..., 1] * 255, 100, atol=1e-3)
    np.testing.assert_allclose(test[..., 0] * 255, 5, atol=1e-3)
    assert (cache / "cifar-10-python").is_dir()  # extracted once, next to the archive


def test_download_failure_warns_and_falls_back(cache, full, monkeypatch, capsys):
    monkeypatch.setenv("COURSE_DATA_BASE_URL", f"http://127.0.0.1:{_closed_port()}")
    with pytest.warns(RuntimeWarning, match=r"prefetch.*Using the offline stand-in"):
        images, labels = data.mnist(split="test")
    assert images.shape == (1000, 28, 28, 1)
    assert "offline stand-in for MNIST" in capsys.readouterr().out


@pytest.mark.slow
def test_cats_vs_dogs_real(server, cache, full, monkeypatch):
    folder, base, _ = server
    (folder / "cats_and_dogs_filtered.zip").write_bytes(_photos_zip())  # no published hash: pinned
    monkeypatch.setenv("COURSE_DATA_BASE_URL", base)
    dataset, names = data.cats_vs_dogs(split="test", image_size=(16, 24), batch_size=8)
    images, labels = next(iter(dataset))
    assert names == ("cats", "dogs") and tuple(images.shape) == (4, 16, 24, 3)
    assert labels.dtype.name == "int64" and sorted(labels.numpy().tolist()) == [0, 0, 1, 1]
    brightness = images.numpy().mean(axis=(1, 2, 3))
    assert all((b > 0.5) == bool(label) for b, label in zip(brightness, labels.numpy()))


# --- offline stand-ins ----------------------------------------------------------------
def test_offline_loaders_match_their_standins(offline, capsys):
    np.testing.assert_array_equal(data.mnist(split="test", rng=3)[0], data.mnist_subset(split="test", rng=3)[0])
    np.testing.assert_array_equal(data.fashion_mnist(split="test")[1], data.mnist_subset(split="test")[1])
    np.testing.assert_array_equal(data.cifar10(split="test")[0], data.offline_cifar10(split="test")[0])
    out = capsys.readouterr().out
    assert "offline stand-in for MNIST" in out and "not clothing" in out and "CIFAR-10 stand-in" in out


@pytest.mark.slow
def test_cats_vs_dogs_offline_split(offline):
    train, names = data.cats_vs_dogs(split="train", image_size=8, batch_size=200)
    test, _ = data.cats_vs_dogs(split="test", image_size=8, batch_size=200)
    train_images, train_labels = next(iter(train))
    test_images, test_labels = next(iter(test))
    assert names == ("non-face", "face") and train_images.shape[0] == 160 and test_images.shape[0] == 40
    assert np.bincount(test_labels.numpy()).tolist() == [20, 20]
    assert float(train_images.numpy().min()) >= 0 and float(train_images.numpy().max()) <= 1


def test_photo_and_backbone_argument_errors(offline):
    with pytest.raises(ValueError, match="split must be one of"):
        data.cats_vs_dogs(split="validation")
    with pytest.raises(ValueError, match="name must be one of"):
        data.pretrained_backbone("resnet50")
    with pytest.raises(ValueError, match=r"input_shape must be \(rows, cols, 3\)"):
        data.pretrained_backbone("vgg16", input_shape=(224, 224))
    with pytest.raises(ValueError, match="must be square with 96, 128"):
        data.pretrained_backbone("mobilenet_v2", input_shape=(100, 100, 3))


def test_extract_refuses_bad_archives(tmp_path):
    with pytest.raises(ValueError, match="archive must end in .tar.gz or .zip"):
        real.extract(tmp_path / "weights.h5")
    evil = tmp_path / "evil.zip"
    with zipfile.ZipFile(evil, "w") as bundle:
        bundle.writestr("../outside.txt", "no")
    with pytest.raises(ValueError, match="would escape the folder"):
        real.extract(evil)
    assert not (tmp_path / "outside.txt").exists() and not (tmp_path / "evil").exists()


def test_real_loader_split_errors():
    for loader in (data.mnist, data.fashion_mnist, data.cifar10):
        with pytest.raises(ValueError, match="split must be one of"):
            loader(split="all")


@pytest.mark.slow
def test_pretrained_backbone_loads_the_downloaded_weights(server, cache, full, monkeypatch, tmp_path, capsys):
    import h5py
    import keras
    from keras.src.legacy.saving import legacy_h5_format  # the .h5 layout keras.applications reads

    folder, base, _ = server
    name = "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_96_no_top.h5"
    keras.utils.set_random_seed(5)
    source = keras.applications.MobileNetV2(include_top=False, weights=None, input_shape=(96, 96, 3))
    with h5py.File(folder / name, "w") as stream:
        legacy_h5_format.save_weights_to_hdf5_group(stream, source)
    monkeypatch.setenv("COURSE_DATA_BASE_URL", base)
    model = data.pretrained_backbone("mobilenet_v2", input_shape=(96, 96, 3), seed=0)
    assert f"ImageNet weights ({name})" in capsys.readouterr().out
    assert (cache / name).is_file() and (cache / (name + ".sha256")).is_file()
    for loaded, saved in zip(model.weights, source.weights):
        np.testing.assert_array_equal(loaded.numpy(), saved.numpy())


# --- fail soft: one warning per file, skips instead of meaningless results ---------------
def test_a_failed_download_warns_once_and_is_not_retried(cache, full, monkeypatch, capsys):
    monkeypatch.setenv("COURSE_DATA_BASE_URL", f"http://127.0.0.1:{_closed_port()}")
    with pytest.warns(RuntimeWarning) as caught:
        data.mnist(split="train")
        data.mnist(split="test")
    assert len(caught) == 1, [str(w.message) for w in caught]
    assert capsys.readouterr().out.count("offline stand-in for MNIST") == 2


@pytest.mark.slow
def test_required_backbone_is_none_with_one_line_when_the_weights_cannot_be_had(cache, full, monkeypatch, capsys):
    monkeypatch.setenv("COURSE_DATA_BASE_URL", f"http://127.0.0.1:{_closed_port()}")
    with pytest.warns(RuntimeWarning, match="vgg16_weights"):
        assert data.pretrained_backbone("vgg16", input_shape=(32, 32, 3), required=True) is None
    assert capsys.readouterr().out == "Skipped: vgg16's ImageNet weights could not be had (see above); this needs them.\n"


def test_required_backbone_in_the_quick_profile(offline, capsys):
    assert data.pretrained_backbone("vgg16", input_shape=(32, 32, 3), required=True) is None
    assert capsys.readouterr().out == "Skipped: this needs vgg16's ImageNet weights, which the full profile downloads.\n"


def test_backbone_argument_errors():
    with pytest.raises(TypeError, match="top and required must be True or False"):
        data.pretrained_backbone("vgg16", input_shape=(32, 32, 3), required="yes")
    with pytest.raises(ValueError, match=r"vgg16 with top=True must be \(224, 224, 3\)"):
        data.pretrained_backbone("vgg16", input_shape=(32, 32, 3), top=True)


@pytest.mark.slow
def test_weights_file_that_does_not_fit_the_architecture_is_removed_and_reported(server, cache, full, monkeypatch,
                                                                                 capsys, tmp_path):
    import h5py
    import keras

    folder, base, _ = server
    name = "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_96_no_top.h5"
    with h5py.File(folder / name, "w") as weights:  # a Keras weights file, but of another network
        weights.attrs["layer_names"] = [b"conv1"]
        group = weights.create_group("conv1")
        group.attrs["weight_names"] = [b"conv1/kernel:0"]
        group.create_dataset("conv1/kernel:0", data=np.zeros((3, 3, 3, 8), np.float32))
    monkeypatch.setenv("COURSE_DATA_BASE_URL", base)
    model = data.pretrained_backbone("mobilenet_v2", input_shape=(96, 96, 3))
    out = capsys.readouterr().out
    assert f"Removed the cached {name} (does not fit mobilenet_v2: 1 layers with weights in the file" in out
    assert "random weights" in out and isinstance(model, keras.Model)
    assert not (cache / name).exists() and not (cache / (name + ".sha256")).exists()


@pytest.mark.slow
def test_a_cached_zip_that_does_not_unpack_is_removed_and_the_standin_used(cache, full, monkeypatch, capsys):
    from course_lib.data import verify

    cache.mkdir()
    name = "cats_and_dogs_filtered.zip"
    (cache / name).write_bytes(b"an old, wrongly pinned file")
    (cache / (name + ".sha256")).write_text(verify.file_digest(cache / name) + "\n")
    _, names = data.cats_vs_dogs(split="test", image_size=8)
    out = capsys.readouterr().out
    assert f"Removed the cached {name} (cannot be unpacked" in out and names == data.FACES_CLASSES
    assert not (cache / name).exists()


def test_imagenet_class_names_offline(offline, capsys):
    assert data.imagenet_class_names() is None
    assert "Skipped: the ImageNet class names" in capsys.readouterr().out
