"""Whole-image restoration with a patch network, and the networks shipped with course_lib.

:func:`restore_image` runs a network fully convolutionally or patch by patch (with an optional
geometric self-ensemble); :func:`load_pretrained` and :func:`pretrained_record` give the shipped
networks and their training records. NumPy only: Keras is touched only through the model given.
"""

from __future__ import annotations

import sys

import numpy as np

from course_lib import _assets
from course_lib.restoration.patches import average_patches, extract_patches
from course_lib.restoration.tasks import ASSETS, ENSEMBLE_TRANSFORMS, METHODS, TASKS
from course_lib._validation import NOISY_TOLERANCE, as_choice, as_image, as_int


def restore_image(model, image, *, method: str = "fully_convolutional", patch_size: int = 40,
                  stride: int = 10, batch_size: int = 64, ensemble: int = 1) -> np.ndarray:
    """Restore a whole grayscale image with a patch network, in one of two ways.

    ``"fully_convolutional"`` feeds the whole image at once (valid for a network made of
    convolutions only). ``"patches"`` cuts overlapping ``patch_size`` patches ``stride``
    apart, restores them as a batch and averages them back (:func:`average_patches`). A
    restored pixel depends on the input inside its receptive field
    (:func:`course_lib.restoration.models.receptive_field`); wherever that window reaches past
    a patch's border, the patch sees zero padding where the whole-image pass sees real
    neighbours. So the two agree exactly only for patches larger than the receptive field
    (away from their borders); with smaller patches they are close but differ everywhere.

    Parameters
    ----------
    model : keras.Model or any object with ``predict(batch, verbose=0)``
        Maps (N, h, w, 1) corrupted patches to restored ones. Its ``predict_on_batch(batch)``
        is called instead where it has one (a Keras model: the same numbers, without the
        data pipeline ``predict`` sets up on every call).
    image : array_like, shape (H, W)
        Corrupted image.
    method : {"fully_convolutional", "patches"}, keyword-only
    patch_size, stride : int, keyword-only
        Patch geometry for ``method="patches"``.
    batch_size : int, keyword-only
        Patches per call of the model.
    ensemble : int, keyword-only
        Geometric self-ensemble: restore this many flipped or rotated copies of the image
        (1 to 8, in the order of ``ENSEMBLE_TRANSFORMS``: the image itself, its transpose,
        then the other six), undo each transform on the result and average. A network trained
        on randomly flipped and rotated patches gives slightly different errors on each copy,
        so the average is a little better, for ``ensemble`` times the work.

    Returns
    -------
    restored : ndarray, shape (H, W), float64 (not clipped)

    Raises
    ------
    TypeError
        If ``model`` has no ``predict`` method or an argument has the wrong type.
    ValueError
        If ``image`` is not 2-D, ``method`` is unknown, or the patch geometry does not fit
        (``patch_size`` must be divisible by the network's downscale factor).

    See Also
    --------
    course_lib.restoration.models.build_model : a network to pass.

    References
    ----------
    R. Timofte, R. Rothe and L. Van Gool, "Seven ways to improve example-based single image
    super resolution", CVPR 2016 (the geometric self-ensemble of ``ensemble``).

    Examples
    --------
    >>> class Halve:  # a "network" that halves every pixel
    ...     def predict(self, batch, verbose=0):
    ...         return batch / 2
    >>> image = np.ones((6, 6))
    >>> restore_image(Halve(), image)[0, :3]
    array([0.5, 0.5, 0.5])
    >>> bool(np.allclose(restore_image(Halve(), image, method="patches", patch_size=4, stride=2), 0.5))
    True
    >>> restore_image(Halve(), np.arange(6.0).reshape(2, 3) / 5, ensemble=8).round(6)  # every transform undone
    array([[0. , 0.1, 0.2],
           [0.3, 0.4, 0.5]])
    """
    if not callable(getattr(model, "predict", None)):
        raise TypeError(f"model must have a predict method (a keras.Model); got {type(model).__name__}.")
    # a noisy or blurred float image near [0, 1]: the networks were trained on that range
    image = as_image("image", image, ndim=2, hint="Pass one grayscale (H, W) image.", tolerance=NOISY_TOLERANCE)
    method = as_choice("method", method, METHODS)
    batch_size = as_int("batch_size", batch_size, minimum=1)
    ensemble = as_int("ensemble", ensemble, minimum=1)
    if ensemble > len(ENSEMBLE_TRANSFORMS):
        raise ValueError(f"ensemble must be at most {len(ENSEMBLE_TRANSFORMS)} (the flips and rotations of a "
                         f"square); got {ensemble}.")
    if ensemble > 1:
        options = {"method": method, "patch_size": patch_size, "stride": stride, "batch_size": batch_size}
        return np.mean([_undo(restore_image(model, _transform(image, k, transpose), **options), k, transpose)
                        for k, transpose in ENSEMBLE_TRANSFORMS[:ensemble]], axis=0)
    factor = _downscale_factor(model)
    if method == "fully_convolutional":
        # (H, W) -> mirrored to multiples of the network's downscale factor -> (1, H', W', 1)
        pad = [(0, -size % factor) for size in image.shape]
        batch = np.pad(image, pad, mode="symmetric")[None, :, :, None].astype(np.float32)
        restored = np.asarray(_predict(model, batch), dtype=np.float64)[0, :, :, 0]
        return restored[:image.shape[0], :image.shape[1]]
    if as_int("patch_size", patch_size, minimum=1) % factor:
        raise ValueError(f"patch_size must be a multiple of {factor}, the model's downscale factor; got {patch_size}.")
    patches, corners = extract_patches(image, patch_size, stride=stride)
    restored = np.concatenate([
        np.asarray(_predict(model, patches[start:start + batch_size, :, :, None].astype(np.float32)))
        for start in range(0, len(patches), batch_size)
    ])[..., 0]
    return average_patches(restored, corners, image.shape)


def deblur_image(model, image, kernel, **kwargs) -> np.ndarray:
    """Non-blind deblurring: Wiener deconvolution with the known kernel, refined by ``model``.

    The shipped deblurring network (``load_pretrained("deblur")``) was trained on exactly this
    input: :func:`course_lib.restoration.baselines.wiener_deblur` of a blurred, noisy patch with
    its true kernel. It removes what the Wiener filter leaves: ringing, amplified noise and
    the detail its regulariser keeps blurred.

    Parameters
    ----------
    model : keras.Model or any object with ``predict(batch, verbose=0)``
    image : array_like, shape (H, W)
        Blurred (and noisy) image.
    kernel : array_like, shape (k, k)
        The blur kernel.
    **kwargs
        Passed to :func:`restore_image` (``method``, ``patch_size``, ...).

    Returns
    -------
    restored : ndarray, shape (H, W), float64

    Raises
    ------
    TypeError, ValueError
        As :func:`restore_image` and ``wiener_deblur`` do for bad input.

    See Also
    --------
    restore_image, course_lib.restoration.baselines.wiener_deblur

    References
    ----------
    C. J. Schuler, H. C. Burger, S. Harmeling and B. Schölkopf, "A machine learning approach
    for non-blind image deconvolution", CVPR 2013.

    Examples
    --------
    >>> class Identity:
    ...     def predict(self, batch, verbose=0):
    ...         return batch
    >>> from course_lib.restoration import baselines
    >>> from course_lib.restoration.tasks import corrupt
    >>> blurred, params = corrupt(np.eye(32), "deblur", rng=0, length=5)
    >>> bool(np.allclose(deblur_image(Identity(), blurred, params["kernel"]),
    ...                  baselines.wiener_deblur(blurred, params["kernel"])))
    True
    """
    from course_lib.restoration.baselines import wiener_deblur

    return restore_image(model, wiener_deblur(image, kernel), **kwargs)


def _transform(image: np.ndarray, k: int, transpose: bool) -> np.ndarray:
    """Rotate by ``k`` quarter turns, then transpose if asked (one of the 8 symmetries of a square)."""
    image = np.rot90(image, k)
    return image.T if transpose else image


def _undo(image: np.ndarray, k: int, transpose: bool) -> np.ndarray:
    """The inverse of :func:`_transform`."""
    return np.rot90(image.T if transpose else image, -k)


def _predict(model, batch: np.ndarray) -> np.ndarray:
    """The model's output for one batch: ``predict_on_batch`` where the model has it, else ``predict``.

    For a Keras model both give the same numbers, but ``predict`` sets up a data pipeline on
    every call; on the shipped denoiser and one whole test image that set-up took longer
    than the network itself (0.177 s against 0.069 s a call, median, measured in one process).
    """
    run = getattr(model, "predict_on_batch", None)
    return run(batch) if callable(run) else model.predict(batch, verbose=0)


def _downscale_factor(model) -> int:
    """1, or for a Keras network, how much smaller its coarsest grid is (input sides must divide)."""
    keras = sys.modules.get("keras")
    if keras is None or not isinstance(model, keras.Model):
        return 1
    from course_lib.restoration.models import downscale_factor

    return downscale_factor(model)


def load_pretrained(task: str):
    """Load the network shipped with course_lib for ``"denoise"`` or ``"deblur"``.

    The weights were trained on the training split of ``course_lib.data.natural_images``
    by ``python -m course_lib.restoration train --task TASK --recipe shipped``; recipe, seed
    and measured training time are in ``course_lib/assets/restoration/README.md``.

    Parameters
    ----------
    task : {"denoise", "deblur"}

    Returns
    -------
    keras.Model
        Fully convolutional, input and output (N, H, W, 1), not compiled.

    Raises
    ------
    ValueError
        If ``task`` is unknown.
    FileNotFoundError
        If the weights file is missing from the installation.

    See Also
    --------
    restore_image : applies it to a whole image.

    Examples
    --------
    >>> model = load_pretrained("denoise")
    >>> model.predict(np.zeros((1, 8, 8, 1), dtype="float32"), verbose=0).shape
    (1, 8, 8, 1)
    """
    from course_lib.restoration import models  # Keras only when a network is loaded

    task = as_choice("task", task, TASKS)

    def build():  # weights only: the architecture comes from build_model, so any Keras 3 reads the file
        settings = pretrained_record(task)["settings"]
        return models.build_model(blocks=settings["blocks"], channels=settings["channels"],
                                  downscale=settings["downscale"], levels=settings.get("levels", 1), dtype="float32")

    return _assets.load_weights(build, f"{ASSETS}/{task}.weights.h5", f"shipped weights for {task!r}")


def pretrained_record(task: str) -> dict:
    """The training record of a shipped network: command, settings, losses per epoch, time.

    Parameters
    ----------
    task : {"denoise", "deblur"}

    Returns
    -------
    dict
        The contents of ``course_lib/assets/restoration/<task>.json`` as written by
        ``python -m course_lib.restoration train``: ``"command"``, ``"settings"`` (with
        ``"seconds"``, the measured training time), ``"train_images"`` and ``"history"``.

    Raises
    ------
    ValueError
        If ``task`` is unknown.
    FileNotFoundError
        If the record is missing from the installation.

    Examples
    --------
    >>> record = pretrained_record("denoise")
    >>> record["task"], "camera" in record["train_images"]  # the test images were never used
    ('denoise', False)
    """
    task = as_choice("task", task, TASKS)
    return _assets.read_json(f"{ASSETS}/{task}.json", f"training record for {task!r}")
