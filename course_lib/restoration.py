"""Patch-based image restoration: simulated corruptions, patches in and out, whole-image restoration.

The workflow of the restoration chapter:

1. cut a corrupted image into densely overlapping patches (:func:`extract_patches`),
2. restore every patch with a network trained on simulated corruptions (:func:`corrupt`),
3. put the restored patches back, averaging where they overlap (:func:`average_patches`).

A fully convolutional network does steps 1-3 approximately in one call on the whole image
(:func:`restore_image` with ``method="fully_convolutional"``).

This module is NumPy only; the network lives in :mod:`course_lib.restoration_models`
(Keras), the classical methods in :mod:`course_lib.restoration_baselines`, and the training
command in :mod:`course_lib.restoration_train`::

    python -m course_lib.restoration train --task denoise --recipe shipped
"""

from __future__ import annotations

import sys

import numpy as np

from course_lib import _assets, corruption
from course_lib.restoration_patches import average_patches, extract_patches
from course_lib._validation import as_array, as_choice, as_float, as_int, as_rng

TASKS = ("denoise", "deblur")
METHODS = ("fully_convolutional", "patches")
#: The geometric self-ensemble of :func:`restore_image`: (quarter turns, then transpose?), in the
#: order used; the first two are the image and its transpose.
ENSEMBLE_TRANSFORMS = ((0, False), (0, True), (2, False), (2, True), (1, False), (1, True), (3, False), (3, True))
#: Blind denoising: the noise level of each training patch is drawn from [0, SIGMA_MAX].
SIGMA_MAX = 50 / 255
#: Deblurring: motion length drawn from 1..MAX_BLUR_LENGTH pixels, angle from [0, 180) degrees,
#: plus a little Gaussian noise of level in [0, DEBLUR_NOISE_MAX] (a real camera is never noise-free).
MAX_BLUR_LENGTH = 21
DEBLUR_NOISE_MAX = 0.02
ASSETS = "assets/restoration"


def corrupt(image, task: str, *, rng: int | np.random.Generator | None, sigma: float | None = None,
            length: int | None = None, angle: float | None = None, noise: float | None = None,
            valid: bool = False) -> tuple[np.ndarray, dict]:
    """Corrupt a clean image with randomly sampled (or given) parameters.

    ``"denoise"``: add Gaussian noise of level ``sigma`` (drawn uniformly from
    ``[0, SIGMA_MAX]`` if not given). ``"deblur"``: convolve with a motion-blur kernel of
    ``length`` pixels (uniform in ``1..MAX_BLUR_LENGTH``) at ``angle`` degrees (uniform in
    ``[0, 180)``), border mirrored, then add Gaussian noise of level ``noise`` (uniform in
    ``[0, DEBLUR_NOISE_MAX]``). Nothing is clipped (see :mod:`course_lib.corruption`).

    Parameters
    ----------
    image : array_like, shape (H, W)
        Clean grayscale image in [0, 1].
    task : {"denoise", "deblur"}
    rng : int, numpy.random.Generator or None, keyword-only
        Draws the missing parameters and the noise.
    sigma, length, angle, noise : optional, keyword-only
        Fix a parameter instead of drawing it.
    valid : bool, keyword-only
        Deblur only: blur without padding, so every output pixel sees only real image. The
        kernel is first centred in a ``MAX_BLUR_LENGTH`` square, so the output is always
        ``MAX_BLUR_LENGTH - 1`` pixels smaller on each axis (centred on the input).

    Returns
    -------
    corrupted : ndarray, float64
        Shape (H, W), or (H - MAX_BLUR_LENGTH + 1, W - MAX_BLUR_LENGTH + 1) with ``valid``.
    params : dict
        The parameters used: ``{"sigma": ...}`` or ``{"length", "angle", "noise", "kernel"}``.

    Raises
    ------
    TypeError, ValueError
        If ``image`` is not a 2-D array in [0, 1], ``task`` is unknown, or a parameter is
        out of range (``sigma``, ``noise`` >= 0; ``length`` in 1..MAX_BLUR_LENGTH).

    See Also
    --------
    course_lib.corruption.add_gaussian_noise, course_lib.corruption.motion_blur_kernel
    course_lib.restoration_models.PatchDataset : corrupts training patches with it.

    Examples
    --------
    >>> noisy, params = corrupt(np.full((64, 64), 0.5), "denoise", rng=0, sigma=0.1)
    >>> params, round(float(noisy.std()), 2)
    ({'sigma': 0.1}, 0.1)
    >>> blurred, params = corrupt(np.full((30, 30), 0.5), "deblur", rng=0, length=5, angle=0, noise=0.0)
    >>> bool(np.allclose(blurred, 0.5)), params["kernel"].shape
    (True, (5, 5))
    >>> corrupt(np.zeros((30, 30)), "deblur", rng=0, valid=True)[0].shape
    (10, 10)
    """
    image = as_array("image", image, ndim=2, hint="Pass one grayscale (H, W) image.")
    task = as_choice("task", task, TASKS)
    generator = as_rng(rng)
    if task == "denoise":
        sigma = generator.uniform(0.0, SIGMA_MAX) if sigma is None else as_float("sigma", sigma, minimum=0.0)
        return corruption.add_gaussian_noise(image, sigma, rng=generator), {"sigma": float(sigma)}
    length = int(generator.integers(1, MAX_BLUR_LENGTH + 1)) if length is None else length
    length = as_int("length", length, minimum=1)
    if length > MAX_BLUR_LENGTH:
        raise ValueError(f"length must be <= MAX_BLUR_LENGTH ({MAX_BLUR_LENGTH}); got {length}.")
    angle = generator.uniform(0.0, 180.0) if angle is None else as_float("angle", angle)
    noise = generator.uniform(0.0, DEBLUR_NOISE_MAX) if noise is None else as_float("noise", noise, minimum=0.0)
    kernel = corruption.motion_blur_kernel(length, angle)
    if valid:
        pad = (MAX_BLUR_LENGTH - kernel.shape[0]) // 2  # both sizes odd: centred exactly
        blurred = corruption.blur(image, np.pad(kernel, pad), mode="valid")
    else:
        blurred = corruption.blur(image, kernel, mode="reflect")
    noisy = blurred + noise * generator.standard_normal(blurred.shape)
    return noisy, {"length": length, "angle": float(angle), "noise": float(noise), "kernel": kernel}


def restore_image(model, image, *, method: str = "fully_convolutional", patch_size: int = 40,
                  stride: int = 10, batch_size: int = 64, ensemble: int = 1) -> np.ndarray:
    """Restore a whole grayscale image with a patch network, in one of two ways.

    ``"fully_convolutional"`` feeds the whole image at once (valid for a network made of
    convolutions only). ``"patches"`` cuts overlapping ``patch_size`` patches ``stride``
    apart, restores them as a batch and averages them back (:func:`average_patches`). The
    two differ only near patch borders, where the zero padding inside a patch replaces the
    real neighbours the whole-image pass sees.

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
    course_lib.restoration_models.build_model : a network to pass.

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
    >>> restore_image(Halve(), np.arange(6.0).reshape(2, 3), ensemble=8)  # every transform undone
    array([[0. , 0.5, 1. ],
           [1.5, 2. , 2.5]])
    """
    if not callable(getattr(model, "predict", None)):
        raise TypeError(f"model must have a predict method (a keras.Model); got {type(model).__name__}.")
    image = as_array("image", image, ndim=2, hint="Pass one grayscale (H, W) image.")
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
    input: :func:`course_lib.restoration_baselines.wiener_deblur` of a blurred, noisy patch with
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
    restore_image, course_lib.restoration_baselines.wiener_deblur

    References
    ----------
    C. J. Schuler, H. C. Burger, S. Harmeling and B. Schölkopf, "A machine learning approach
    for non-blind image deconvolution", CVPR 2013.

    Examples
    --------
    >>> class Identity:
    ...     def predict(self, batch, verbose=0):
    ...         return batch
    >>> from course_lib import restoration_baselines
    >>> blurred, params = corrupt(np.eye(32), "deblur", rng=0, length=5)
    >>> bool(np.allclose(deblur_image(Identity(), blurred, params["kernel"]),
    ...                  restoration_baselines.wiener_deblur(blurred, params["kernel"])))
    True
    """
    from course_lib.restoration_baselines import wiener_deblur

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
    from course_lib.restoration_models import downscale_factor

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
    task = as_choice("task", task, TASKS)
    return _assets.load_model(f"{ASSETS}/{task}.keras", f"shipped weights for {task!r}")


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


if __name__ == "__main__":  # python -m course_lib.restoration train ...
    from course_lib.restoration_train import main

    sys.exit(main())
