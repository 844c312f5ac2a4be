"""Photo classification data and ImageNet backbones for the transfer-learning chapters.

Both build Keras objects, so TensorFlow is imported inside the functions, never on import.
"""

from __future__ import annotations

import os

import zipfile

import numpy as np

from course_lib import config
from course_lib._validation import as_choice, as_int, as_pair, as_rng, as_seed
from course_lib.data import downloads, resources, verify
from course_lib.data.offline import SPLITS, faces
from course_lib.data.real import _real, extract

CATS_VS_DOGS_CLASSES = ("cats", "dogs")
FACES_CLASSES = ("non-face", "face")
BACKBONES = ("vgg16", "mobilenet_v2")
_FACES_TEST_PER_CLASS = 20


def _faces_split(split: str, rng) -> tuple[np.ndarray, np.ndarray]:
    """Fixed split of the 200 lfw crops (the last 20 of each class are test), then shuffled."""
    images, labels = faces()
    in_test = np.zeros(len(labels), dtype=bool)
    in_test[100 - _FACES_TEST_PER_CLASS : 100] = True
    in_test[200 - _FACES_TEST_PER_CLASS :] = True
    keep = np.flatnonzero(in_test if split == "test" else ~in_test)
    keep = keep[as_rng(rng).permutation(len(keep))]
    return images[keep], 1 - labels[keep]  # index into FACES_CLASSES: 1 = face


def cats_vs_dogs(
    *, split: str = "train", image_size: int | tuple[int, int] = 160, batch_size: int = 32, seed: int = 0
):
    """Cats vs dogs photos (full profile) or face / non-face crops (offline) as a tf.data pipeline.

    Real: Google's ``cats_and_dogs_filtered.zip`` (2,000 train and 1,000 validation JPEGs
    in ``cats/`` and ``dogs/`` folders) read with ``keras.utils.image_dataset_from_directory``.
    Offline: the 200 crops of :func:`faces` (160 train, 40 test), resized and repeated to RGB.

    Parameters
    ----------
    split : {"train", "test"}, keyword-only
        ``"test"`` is the validation folder of the real dataset.
    image_size : int or (int, int), keyword-only
        Output (rows, cols) of every image.
    batch_size : int, keyword-only
        Images per batch.
    seed : int, keyword-only
        Seed for the shuffling order.

    Returns
    -------
    dataset : tf.data.Dataset
        Batches ``(images (B, rows, cols, 3) float32 in [0, 1], labels (B,) int64)``.
    class_names : tuple of str
        ``("cats", "dogs")`` or, offline, ``("non-face", "face")``.

    Raises
    ------
    ValueError, TypeError
        If ``split``, ``image_size``, ``batch_size`` or ``seed`` is invalid.

    See Also
    --------
    pretrained_backbone : the ImageNet models these images are fed to.

    Examples
    --------
    >>> dataset, names = cats_vs_dogs(split="test", image_size=32, batch_size=8)
    Dataset: face / non-face crops from scikit-image (40 test images; offline stand-in for cats vs dogs).
    >>> images, labels = next(iter(dataset))
    >>> tuple(images.shape), labels.dtype.name, names
    ((8, 32, 32, 3), 'int64', ('non-face', 'face'))
    """
    import tensorflow as tf

    split = as_choice("split", split, SPLITS)
    rows, cols = as_pair("image_size", image_size)
    batch_size = as_int("batch_size", batch_size, minimum=1)
    seed = as_seed("seed", seed)
    archive = _real("cats_and_dogs_filtered.zip") if config.use_real_data() else None
    folder = None
    if archive is not None:
        try:  # a file cached (and pinned) by an older course_lib may not unpack
            folder = extract(archive) / "cats_and_dogs_filtered" / ("train" if split == "train" else "validation")
            problem = None if folder.is_dir() else f"no folder {folder.name}"
        except (zipfile.BadZipFile, OSError, ValueError) as error:
            problem = f"cannot be unpacked: {error}"
        if problem:
            verify.discard(archive, problem)
            folder = None
    if folder is None:
        images, labels = _faces_split(split, seed)
        pixels = tf.image.resize(images[..., None].astype(np.float32), (rows, cols))
        pixels = tf.clip_by_value(tf.repeat(pixels, 3, axis=-1), 0.0, 1.0)
        dataset = tf.data.Dataset.from_tensor_slices((pixels, labels.astype(np.int64)))
        print(f"Dataset: face / non-face crops from scikit-image ({len(labels)} {split} images; "
              "offline stand-in for cats vs dogs).")
        return dataset.batch(batch_size), FACES_CLASSES
    import keras

    dataset = keras.utils.image_dataset_from_directory(
        folder, label_mode="int", class_names=list(CATS_VS_DOGS_CLASSES), image_size=(rows, cols),
        batch_size=batch_size, shuffle=split == "train", seed=seed, verbose=False,
    )
    print(f"Dataset: cats vs dogs ({split} folder of cats_and_dogs_filtered).")
    return dataset.map(lambda x, y: (x / 255.0, tf.cast(y, tf.int64))), CATS_VS_DOGS_CLASSES


def _backbone_resource(name: str, rows: int, top: bool = False) -> downloads.Resource:
    if name == "vgg16":
        file_name = "vgg16_weights_tf_dim_ordering_tf_kernels" + ("" if top else "_notop") + ".h5"
        return downloads.RESOURCES[file_name]
    file_name = f"mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_{rows}{'' if top else '_no_top'}.h5"
    if file_name in downloads.RESOURCES:
        return downloads.RESOURCES[file_name]
    return downloads.Resource(
        file_name, resources.KERAS_APPLICATIONS + "mobilenet_v2/" + file_name,
        standin="the same architecture with random weights",
    )


def weights_mismatch(model, path) -> str | None:
    """What keeps a Keras-applications ``.h5`` weights file from fitting ``model`` (None if it fits).

    The file must list, in order, the model's layers that have weights, under the same
    names and with the same weight shapes.

    Parameters
    ----------
    model : keras.Model
    path : str or path-like
        A weights file in the format of ``keras.applications`` (HDF5, ``layer_names``).

    Returns
    -------
    str or None
        One line naming the first difference.

    Examples
    --------
    >>> import pathlib, tempfile, h5py, keras
    >>> model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2, name="dense")], name="tiny")
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "tiny.h5"
    >>> with h5py.File(path, "w") as weights:  # the keras.applications layout: layer_names, weight_names
    ...     weights.attrs["layer_names"] = [b"dense"]
    ...     group = weights.create_group("dense")
    ...     group.attrs["weight_names"] = [b"kernel", b"bias"]
    ...     _ = group.create_dataset("kernel", data=np.zeros((4, 2)))
    ...     _ = group.create_dataset("bias", data=np.zeros(2))
    >>> weights_mismatch(model, path) is None
    True
    >>> wider = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, name="dense")], name="wider")
    >>> weights_mismatch(wider, path)
    'layer dense [(4, 2), (2,)] in the file, dense [(4, 3), (3,)] in wider'
    >>> _ = path.write_bytes(b"not HDF5")
    >>> weights_mismatch(model, path)[:24]
    'unreadable weights file '
    """
    import h5py

    if not hasattr(model, "layers"):
        raise TypeError(f"model must be a Keras model; got {type(model).__name__}.")
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a weights file path (str or pathlib.Path); got {type(path).__name__}.")
    layers = [layer for layer in model.layers if layer.weights]
    try:
        with h5py.File(path, "r") as weights:
            names = [n.decode() if isinstance(n, bytes) else str(n) for n in weights.attrs.get("layer_names", [])]
            stored = []
            for layer_name in names:
                group = weights[layer_name]
                weight_names = [n.decode() if isinstance(n, bytes) else str(n)
                                for n in group.attrs.get("weight_names", [])]
                if weight_names:
                    stored.append((layer_name, [tuple(group[w].shape) for w in weight_names]))
    except (OSError, KeyError) as error:
        return f"unreadable weights file ({error})"
    if len(stored) != len(layers):
        return f"{len(stored)} layers with weights in the file, {len(layers)} in {model.name}"
    for (layer_name, shapes), layer in zip(stored, layers):
        expected = [tuple(weight.shape) for weight in layer.weights]
        if layer_name != layer.name or shapes != expected:
            return f"layer {layer_name} {shapes} in the file, {layer.name} {expected} in {model.name}"
    return None


def pretrained_backbone(name: str, *, input_shape: tuple[int, int, int] = (224, 224, 3), seed: int = 0,
                        top: bool = False, required: bool = False):
    """An ImageNet-trained convolutional base (no classifier head) from ``keras.applications``.

    In the full profile the weights file is fetched with the checksummed downloader, checked
    against the architecture (:func:`weights_mismatch`; a file that does not fit is removed
    and reported in one line) and loaded. Offline (or if the download fails) the same
    architecture is built with random weights, seeded, and a line says so: the code runs,
    but the features are not ImageNet features. A cell that is meaningless without the
    ImageNet weights passes ``required=True`` and skips when it gets None.

    Parameters
    ----------
    name : {"vgg16", "mobilenet_v2"}
        Which backbone.
    input_shape : (int, int, int), keyword-only
        (rows, cols, 3). MobileNetV2 weights exist for square inputs of 96, 128, 160,
        192 or 224 pixels.
    seed : int, keyword-only
        Seed for the random weights of the offline stand-in.
    top : bool, keyword-only
        Keep the ImageNet classifier (1000 classes; VGG16 then needs 224 x 224 inputs).
    required : bool, keyword-only
        Return None, with one line saying why, instead of random weights when the ImageNet
        weights cannot be had (quick profile, offline data or a failed download).

    Returns
    -------
    keras.Model or None
        The convolutional base (with ``top``, the classifier); its input is expected in the
        backbone's own preprocessing (``keras.applications.<name>.preprocess_input``). None
        only with ``required=True``.

    Raises
    ------
    ValueError
        If ``name`` is unknown, ``input_shape`` is not (rows, cols, 3), or MobileNetV2 is
        asked for a size it has no weights for.

    References
    ----------
    K. Simonyan and A. Zisserman, "Very deep convolutional networks", ICLR 2015;
    M. Sandler et al., "MobileNetV2", CVPR 2018.

    Examples
    --------
    >>> model = pretrained_backbone("mobilenet_v2", input_shape=(96, 96, 3))
    Backbone: mobilenet_v2 with random weights (offline stand-in; ImageNet weights need the full profile).
    >>> model.output_shape
    (None, 3, 3, 1280)
    >>> pretrained_backbone("vgg16", input_shape=(64, 64, 3), required=True) is None
    Skipped: this needs vgg16's ImageNet weights, which the full profile downloads.
    True
    """
    name = as_choice("name", name, BACKBONES)
    if not (isinstance(input_shape, tuple) and len(input_shape) == 3 and input_shape[2] == 3):
        raise ValueError(f"input_shape must be (rows, cols, 3); got {input_shape!r}.")
    rows, cols = as_pair("input_shape", input_shape[:2], minimum=32)
    if name == "mobilenet_v2" and (rows != cols or rows not in (96, 128, 160, 192, 224)):
        raise ValueError(
            f"input_shape for mobilenet_v2 must be square with 96, 128, 160, 192 or 224 pixels; "
            f"got {input_shape!r}. Resize the images first."
        )
    if not isinstance(top, bool) or not isinstance(required, bool):
        raise TypeError(f"top and required must be True or False; got {top!r} and {required!r}.")
    if top and name == "vgg16" and (rows, cols) != (224, 224):
        raise ValueError(f"input_shape for vgg16 with top=True must be (224, 224, 3); got {input_shape!r}.")
    seed = as_seed("seed", seed)
    import keras

    build = {"vgg16": keras.applications.VGG16, "mobilenet_v2": keras.applications.MobileNetV2}[name]
    resource = _backbone_resource(name, rows, top)
    path = _real(resource) if config.use_real_data() else None
    keras.utils.set_random_seed(seed)
    model = build(include_top=top, weights=None, input_shape=(rows, cols, 3))
    if path is not None:
        problem = weights_mismatch(model, path)
        if problem:
            verify.discard(path, f"does not fit {name}: {problem}")
            path = None
    if path is None and required:
        if config.use_real_data():
            print(f"Skipped: {name}'s ImageNet weights could not be had (see above); this needs them.")
        else:
            print(f"Skipped: this needs {name}'s ImageNet weights, which the full profile downloads.")
        return None
    if path is None:
        print(f"Backbone: {name} with random weights (offline stand-in; "
              "ImageNet weights need the full profile).")
        return model
    model.load_weights(str(path))
    print(f"Backbone: {name} with ImageNet weights ({path.name}).")
    return model


def imagenet_class_names() -> tuple[str, ...] | None:
    """The 1000 ImageNet class names in the order of the classifiers' outputs (full profile).

    Read from the class index Keras publishes (checked by its MD5). None, with one line
    saying why, when it cannot be had (quick profile, offline data or a failed download).

    Returns
    -------
    tuple of str or None

    Examples
    --------
    >>> imagenet_class_names() is None
    Skipped: the ImageNet class names come with the full profile's downloads.
    True
    """
    import json

    path = _real("imagenet_class_index.json") if config.use_real_data() else None
    if path is None:
        print("Skipped: the ImageNet class names come with the full profile's downloads.")
        return None
    index = json.loads(path.read_text())
    return tuple(index[str(number)][1] for number in range(len(index)))
