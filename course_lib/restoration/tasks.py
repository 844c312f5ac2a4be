"""The two restoration tasks and their simulated corruptions (NumPy only).

``"denoise"``: Gaussian noise of a random level; ``"deblur"``: a random motion blur plus a
little noise. :func:`corrupt` draws the parameters of one corruption and applies it; the
training data (:mod:`course_lib.restoration.data`) and the evaluation
(:mod:`course_lib.restoration.evaluation`) both use it.
"""

from __future__ import annotations

import numpy as np

from course_lib import corruption
from course_lib._validation import as_choice, as_float, as_image, as_int, as_rng

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
#: Clean images may exceed [0, 1] by this much (resampling overshoot); a uint8 or 0..255 image is refused.
IMAGE_TOLERANCE = 0.05


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
        Clean grayscale float image in [0, 1] (``IMAGE_TOLERANCE`` of overshoot allowed); a
        ``uint8`` image is refused: convert it with ``skimage.img_as_float`` first.
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
        out of range (``sigma``, ``noise`` >= 0; ``length`` in 1..MAX_BLUR_LENGTH), or given
        for the other task (``sigma`` is for denoising; ``length``, ``angle``, ``noise`` for deblurring).

    See Also
    --------
    course_lib.corruption.add_gaussian_noise, course_lib.corruption.motion_blur_kernel
    course_lib.restoration.data.PatchDataset : corrupts training patches with it.

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
    image = as_image("image", image, ndim=2, hint="Pass one grayscale (H, W) image.", tolerance=IMAGE_TOLERANCE)
    task = as_choice("task", task, TASKS)
    generator = as_rng(rng)
    given = {"sigma": sigma, "length": length, "angle": angle, "noise": noise}
    other = [name for name in (("length", "angle", "noise") if task == "denoise" else ("sigma",))
             if given[name] is not None]
    if other:
        raise ValueError(
            f"{other[0]} does not apply to task={task!r}; got {other[0]}={given[other[0]]!r}. "
            f"Denoising takes sigma; deblurring takes length, angle and noise."
        )
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
