"""Scoring restoration methods: PSNR, SSIM and time per image, on one image or a whole split.

Border handling: denoising is scored on the whole image (``border=0``); deblurring drops
``EVAL_BORDER["deblur"]`` pixels on every side, because near the border the blur mixed in
pixels the camera never saw and no method can recover them. Scores are computed on the
unclipped outputs against the clean image, with ``data_range=1``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping

import numpy as np

from course_lib import _assets, metrics
from course_lib.restoration import tasks as restoration
from course_lib._validation import NOISY_TOLERANCE, as_choice, as_image, as_int, as_mapping

EVAL_BORDER = {"denoise": 0, "deblur": 16}


def compare(clean, corrupted, methods: Mapping[str, Callable[[np.ndarray], np.ndarray]], *,
            border: int = 0, repeat: int = 1) -> dict[str, dict[str, float]]:
    """PSNR, SSIM and seconds of each method on one image (the corrupted input included).

    Parameters
    ----------
    clean, corrupted : array_like, shape (H, W)
    methods : mapping of str to callable
        Name -> function from the corrupted image to the restored one.
    border : int, keyword-only
        Pixels dropped on every side before PSNR/SSIM (see :mod:`course_lib.metrics`).
    repeat : int, keyword-only
        Timed runs of each method; ``"seconds"`` is their median, ``"first_seconds"`` the first
        (for a network, the first call on an image size includes TensorFlow's set-up for it).

    Returns
    -------
    dict
        ``{"input": {...}, name: {"psnr": dB, "ssim": ..., "seconds": ..., "first_seconds": ...}, ...}``.

    Raises
    ------
    TypeError, ValueError
        If the images differ in shape or a method is not callable.

    See Also
    --------
    evaluate : the same over a set of images.

    Examples
    --------
    >>> clean = np.full((16, 16), 0.5); noisy = clean + 0.1
    >>> table = compare(clean, noisy, {"minus 0.1": lambda image: image - 0.1})
    >>> round(table["input"]["psnr"], 1), table["minus 0.1"]["psnr"]
    (20.0, inf)
    """
    clean = as_image("clean", clean, ndim=2, tolerance=restoration.IMAGE_TOLERANCE)
    corrupted = as_image("corrupted", corrupted, ndim=2, tolerance=NOISY_TOLERANCE)
    if clean.shape != corrupted.shape:
        raise ValueError(f"clean and corrupted must have the same shape; got {clean.shape} and {corrupted.shape}.")
    for name, method in methods.items():
        if not callable(method):
            raise TypeError(f"methods[{name!r}] must be callable; got {type(method).__name__}.")
    repeat = as_int("repeat", repeat, minimum=1)
    results = {}
    for name, method in {"input": lambda image: image, **methods}.items():
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            restored = method(corrupted)
            times.append(time.perf_counter() - start)
        results[name] = {"psnr": metrics.psnr(clean, restored, border=border),
                         "ssim": metrics.ssim(clean, restored, border=border),
                         "seconds": float(np.median(times)), "first_seconds": times[0]}
    return results


def evaluate(images: Mapping[str, np.ndarray], task: str,
             methods: Mapping[str, Callable[[np.ndarray, dict], np.ndarray]], *, rng: int = 0,
             repeat: int = 1, **params) -> dict[str, dict[str, float]]:
    """Corrupt every image once (seeded) and score every method; mean over the images.

    Parameters
    ----------
    images : mapping of str to (H, W) arrays
        Clean test images.
    task : {"denoise", "deblur"}
        Corruption (see :func:`course_lib.restoration.corrupt`); scored with ``EVAL_BORDER[task]``.
    methods : mapping of str to callable
        Name -> ``function(corrupted, params)``; ``params`` is what ``corrupt`` returned
        (deblurring baselines read the true ``params["kernel"]`` from it).
    rng : int, keyword-only
        Seed: image number ``i`` is corrupted with seed ``rng + i``.
    repeat : int, keyword-only
        Timed runs of each method on each image (see :func:`compare`).
    **params
        Fixed corruption parameters, e.g. ``sigma=25/255`` or ``length=15, noise=0.01``.

    Returns
    -------
    dict
        Method (``"input"`` first) -> mean ``{"psnr", "ssim", "seconds", "first_seconds"}`` over the images.

    Raises
    ------
    ValueError, TypeError
        If ``images`` is empty, ``task`` is unknown or a method is not callable.

    See Also
    --------
    compare

    Examples
    --------
    >>> images = {"flat": np.full((16, 16), 0.5)}
    >>> table = evaluate(images, "denoise", {"mean": lambda image, p: np.full_like(image, image.mean())}, sigma=0.1)
    >>> list(table), bool(table["mean"]["psnr"] > table["input"]["psnr"])
    (['input', 'mean'], True)
    """
    task = as_choice("task", task, restoration.TASKS)
    rng = as_int("rng", rng, minimum=0)
    if not isinstance(images, Mapping):
        raise TypeError(f"images must be a mapping of name -> (H, W) image; got {type(images).__name__}.")
    if not images:
        raise ValueError("images must hold at least one image; got none.")
    for name, clean in images.items():  # refuse uint8 / 0..255 images here, naming the image
        as_image(f"images[{name!r}]", clean, ndim=2, tolerance=restoration.IMAGE_TOLERANCE)
    tables = []
    for index, clean in enumerate(images.values()):
        corrupted, used = restoration.corrupt(clean, task, rng=rng + index, **params)
        bound = {name: (lambda image, method=method: method(image, used)) for name, method in methods.items()}
        for name, method in methods.items():
            if not callable(method):
                raise TypeError(f"methods[{name!r}] must be callable; got {type(method).__name__}.")
        tables.append(compare(clean, corrupted, bound, border=EVAL_BORDER[task], repeat=repeat))
    return {name: {key: float(np.mean([table[name][key] for table in tables])) for key in tables[0][name]}
            for name in tables[0]}


def format_table(results: Mapping[str, Mapping[str, Mapping[str, float]]], *, key: str = "psnr") -> str:
    """A text table: one row per method, one column per setting, values rounded.

    Parameters
    ----------
    results : mapping of setting -> (mapping of method -> scores)
        As built from several :func:`evaluate` calls, e.g. ``{"sigma 15": evaluate(...), ...}``.
    key : {"psnr", "ssim", "seconds"}, keyword-only
        Which score to show (PSNR with 2 decimals, SSIM with 3, seconds with 2).

    Returns
    -------
    str

    Raises
    ------
    ValueError
        If ``results`` is empty or ``key`` is unknown.

    Examples
    --------
    >>> print(format_table({"sigma 15": {"input": {"psnr": 24.61}, "TV": {"psnr": 29.0}}}))
    method          sigma 15
    input              24.61
    TV                 29.00
    """
    results = as_mapping("results", results, what="setting -> {method: scores}")
    key = as_choice("key", key, ("psnr", "ssim", "seconds"))
    if not results:
        raise ValueError("results must hold at least one setting; got none.")
    digits = {"psnr": 2, "ssim": 3, "seconds": 2}[key]
    settings = list(results)
    methods = list(dict.fromkeys(name for table in results.values() for name in table))
    lines = [f"{'method':<16}" + "".join(f"{setting:>10}" for setting in settings)]
    for method in methods:
        cells = [results[s][method][key] if method in results[s] else float("nan") for s in settings]
        lines.append(f"{method:<16}" + "".join(f"{value:>10.{digits}f}" for value in cells))
    return "\n".join(lines)


_BENCHMARK_HEADER = "| method | PSNR (dB) | SSIM | s / image"
_BENCHMARK_TABLES = {"denoise": 0, "deblur": 1}  # order of the tables in the README's "Quality" section


def benchmark_scores(task: str) -> dict[str, dict[str, float]]:
    """The benchmark scores of the shipped network recorded next to its weights.

    ``benchmarks/bench_restoration.py`` scored the shipped networks against the classical
    methods on the whole test images (for denoising also BM3D, an optional package) and the
    results were written into ``course_lib/assets/restoration/README.md``, section "Quality".
    This reads that record back, so a chapter can quote it without typing the numbers.

    Parameters
    ----------
    task : {"denoise", "deblur"}
        ``"denoise"``: sigma = 25/255; ``"deblur"``: motion blur of 15 px, noise 0.01.

    Returns
    -------
    dict
        Method name as the README writes it (markup removed), e.g. ``"BM3D (optional bm3d
        package)"`` or ``"network"`` -> ``{"psnr": dB, "ssim": float, "seconds": s per image}``
        (``"seconds"`` is NaN for the corrupted input, which is not timed).

    Raises
    ------
    ValueError
        If ``task`` is unknown.
    FileNotFoundError
        If the README is missing from the installation.

    See Also
    --------
    pretrained_record : the training record of the same networks.
    lessons/10_image_restoration.ipynb : quotes the BM3D comparison from here.

    Examples
    --------
    >>> scores = benchmark_scores("denoise")
    >>> sorted(scores["network"])
    ['psnr', 'seconds', 'ssim']
    >>> bool(scores["network"]["psnr"] > scores["noisy input"]["psnr"])
    True
    """
    task = as_choice("task", task, tuple(_BENCHMARK_TABLES))
    text = _assets._path(f"{restoration.ASSETS}/README.md", "README of the shipped restoration networks").read_text()
    quality = text.split("## Quality", 1)[1]
    tables, current = [], None
    for line in quality.splitlines():
        if line.startswith(_BENCHMARK_HEADER):
            current = {}
            tables.append(current)
        elif current is not None and line.startswith("|"):
            cells = [cell.strip().replace("**", "").replace("`", "") for cell in line.strip("|").split("|")]
            if set(cells[1]) <= set("-: "):  # the separator row
                continue
            psnr, ssim, seconds = (float(cell) if cell else float("nan") for cell in cells[1:4])
            current[cells[0]] = {"psnr": psnr, "ssim": ssim, "seconds": seconds}
        else:
            current = None
    return tables[_BENCHMARK_TABLES[task]]
