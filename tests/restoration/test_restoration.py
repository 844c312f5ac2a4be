"""course_lib.restoration (NumPy side) and course_lib.restoration.baselines."""

import time

import numpy as np
import pytest
from scipy import ndimage
from skimage import restoration as skrestoration

from course_lib import corruption, metrics, restoration
from course_lib.restoration import evaluation as restoration_eval
from course_lib.restoration import baselines

RNG = np.random.default_rng(0)
SMOOTH = ndimage.gaussian_filter(RNG.random((64, 64)), 3)
SMOOTH = (SMOOTH - SMOOTH.min()) / (SMOOTH.max() - SMOOTH.min())


class Halve:
    """A stand-in network: halves every value (so patch averaging must be exact)."""

    def predict(self, batch, verbose=0):
        return batch / 2


class BoxBlur:
    """A stand-in network with a 3x3 receptive field and zero padding, like a Conv2D 'same'."""

    def predict(self, batch, verbose=0):
        return np.stack([ndimage.uniform_filter(item[..., 0], 3, mode="constant")[..., None] for item in batch])


# --- corrupt -----------------------------------------------------------------------------------

def test_corrupt_denoise_draws_sigma_in_range_and_noise_has_that_level():
    sigmas = [restoration.corrupt(SMOOTH, "denoise", rng=seed)[1]["sigma"] for seed in range(200)]
    assert 0.0 <= min(sigmas) and max(sigmas) <= restoration.SIGMA_MAX
    assert np.mean(sigmas) == pytest.approx(restoration.SIGMA_MAX / 2, rel=0.15)  # uniform
    noisy, params = restoration.corrupt(np.full((200, 200), 0.5), "denoise", rng=1, sigma=0.2)
    assert params == {"sigma": 0.2}
    assert (noisy - 0.5).std() == pytest.approx(0.2, rel=0.02)


def test_corrupt_is_reproducible_with_a_seed():
    first, _ = restoration.corrupt(SMOOTH, "deblur", rng=5)
    second, _ = restoration.corrupt(SMOOTH, "deblur", rng=5)
    np.testing.assert_array_equal(first, second)


def test_corrupt_deblur_matches_scipy_convolution_plus_noise():
    blurred, params = restoration.corrupt(SMOOTH, "deblur", rng=3, length=9, angle=30, noise=0.0)
    expected = ndimage.convolve(SMOOTH, corruption.motion_blur_kernel(9, 30), mode="reflect")
    np.testing.assert_allclose(blurred, expected, atol=1e-12)
    assert params["length"] == 9 and params["angle"] == 30.0 and params["noise"] == 0.0


def test_corrupt_deblur_valid_is_the_centre_of_the_padded_blur():
    valid, params = restoration.corrupt(SMOOTH, "deblur", rng=0, length=7, angle=10, noise=0.0, valid=True)
    full = ndimage.convolve(SMOOTH, params["kernel"], mode="reflect")
    margin = (restoration.MAX_BLUR_LENGTH - 1) // 2
    assert valid.shape == (64 - 2 * margin, 64 - 2 * margin)
    np.testing.assert_allclose(valid, full[margin:-margin, margin:-margin], atol=1e-12)


def test_corrupt_draws_blur_parameters_in_range():
    lengths = {restoration.corrupt(SMOOTH, "deblur", rng=seed)[1]["length"] for seed in range(300)}
    assert lengths == set(range(1, restoration.MAX_BLUR_LENGTH + 1))


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"image": np.zeros((2, 4, 4))}, ValueError, "image must be 2-D"),
        ({"task": "inpaint"}, ValueError, "task must be one of 'denoise', 'deblur'"),
        ({"sigma": -0.1}, ValueError, "sigma must be >= 0"),
        ({"task": "deblur", "length": 40}, ValueError, "length must be <= MAX_BLUR_LENGTH"),
        ({"task": "deblur", "length": 2.5}, TypeError, "length must be an integer"),
        ({"task": "deblur", "noise": -1.0}, ValueError, "noise must be >= 0"),
        ({"image": np.full((8, 8), 2.0)}, ValueError, r"image must lie in \[0, 1\]"),
    ],
)
def test_corrupt_rejects_bad_input(kwargs, error, match):
    arguments = {"image": SMOOTH, "task": "denoise", **kwargs}
    image, task = arguments.pop("image"), arguments.pop("task")
    with pytest.raises(error, match=match):
        restoration.corrupt(image, task, rng=0, **arguments)


# --- patches -----------------------------------------------------------------------------------

def test_extract_patches_by_hand():
    image = np.arange(30.0).reshape(5, 6)
    patches, corners = restoration.extract_patches(image, 3, stride=2)
    assert corners.tolist() == [[0, 0], [0, 2], [0, 3], [2, 0], [2, 2], [2, 3]]
    np.testing.assert_array_equal(patches[2], image[0:3, 3:6])


def test_extract_patches_stride_one_gives_every_window():
    patches, _ = restoration.extract_patches(SMOOTH[:10, :12], 4)
    windows = np.lib.stride_tricks.sliding_window_view(SMOOTH[:10, :12], (4, 4)).reshape(-1, 4, 4)
    np.testing.assert_array_equal(patches, windows)


@pytest.mark.parametrize("stride", [1, 3, 7, 8])
def test_average_of_unchanged_patches_is_the_image(stride):
    patches, corners = restoration.extract_patches(SMOOTH, 8, stride=stride)
    np.testing.assert_allclose(restoration.average_patches(patches, corners, SMOOTH.shape), SMOOTH)


def test_average_patches_counts_overlaps_by_hand():
    patches = np.stack([np.full((2, 2), 1.0), np.full((2, 2), 4.0)])
    result = restoration.average_patches(patches, [(0, 0), (0, 1)], (2, 3))
    np.testing.assert_array_equal(result, [[1.0, 2.5, 4.0], [1.0, 2.5, 4.0]])


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: restoration.extract_patches(np.zeros((4, 4)), 5), ValueError, "patch_size .5. must not exceed"),
        (lambda: restoration.extract_patches(np.zeros((8, 8)), 3, stride=4), ValueError, "stride must be <= patch_size"),
        (lambda: restoration.extract_patches(np.zeros((8, 8)), 0), ValueError, "patch_size must be >= 1"),
        (lambda: restoration.extract_patches(np.zeros(8), 2), ValueError, "image must be 2-D"),
        (lambda: restoration.average_patches(np.zeros((2, 2, 2)), [(0, 0)], (4, 4)), ValueError, "corners must be integers of shape"),
        (lambda: restoration.average_patches(np.zeros((1, 2, 2)), [(3, 3)], (4, 4)), ValueError, "every patch must lie inside"),
        (lambda: restoration.average_patches(np.zeros((1, 2, 2)), [(0, 0)], (4, 4)), ValueError, "covered by no patch"),
        (lambda: restoration.average_patches(np.zeros((1, 2)), [(0, 0)], (4, 4)), ValueError, "patches must be 3-D"),
    ],
)
def test_patch_functions_reject_bad_input(call, error, match):
    with pytest.raises(error, match=match):
        call()


# --- restore_image -----------------------------------------------------------------------------

def test_restore_image_two_methods_agree_exactly_for_a_pointwise_model():
    whole = restoration.restore_image(Halve(), SMOOTH)
    patched = restoration.restore_image(Halve(), SMOOTH, method="patches", patch_size=16, stride=5, batch_size=7)
    np.testing.assert_allclose(whole, SMOOTH / 2, rtol=1e-6)
    np.testing.assert_allclose(patched, whole, rtol=1e-6)


def test_restore_image_patches_matches_a_loop_over_patches():
    # reference: restore every stride-3 patch on its own (zero padding at its border), then average
    patched = restoration.restore_image(BoxBlur(), SMOOTH, method="patches", patch_size=16, stride=3)
    total, count = np.zeros_like(SMOOTH), np.zeros_like(SMOOTH)
    starts = [0, 3, 6, 9, 12, 15, 18, 21, 24, 27, 30, 33, 36, 39, 42, 45, 48]
    for row in starts:
        for col in starts:
            patch = SMOOTH[row:row + 16, col:col + 16]
            total[row:row + 16, col:col + 16] += ndimage.uniform_filter(patch, 3, mode="constant")
            count[row:row + 16, col:col + 16] += 1
    np.testing.assert_allclose(patched, total / count, atol=1e-6)


def test_restore_image_two_methods_differ_by_the_patch_border_effect():
    # a 3x3 receptive field: a pixel is wrong only in patches where it sits on the patch border,
    # so the whole-image result is exact and the patch average is off by a bounded fraction
    whole = restoration.restore_image(BoxBlur(), SMOOTH)
    np.testing.assert_allclose(whole, ndimage.uniform_filter(SMOOTH, 3, mode="constant"), atol=1e-6)
    patched = restoration.restore_image(BoxBlur(), SMOOTH, method="patches", patch_size=16, stride=1)
    difference = np.abs(whole - patched)
    # at most 2 of the 16 patch positions per axis put a pixel on a border, each losing <= 1/3 of the sum
    assert difference[15:-15, 15:-15].max() <= (1 - (14 / 16) ** 2) / 3 * SMOOTH.max() + 1e-9
    assert difference.mean() < 0.05


class AddRowIndex:
    """A stand-in network that is not symmetric: adds (row index) / 100 to every pixel."""

    def predict(self, batch, verbose=0):
        return batch + np.arange(batch.shape[1])[None, :, None, None] / 100


@pytest.mark.parametrize("method", restoration.METHODS)
def test_restore_image_ensemble_undoes_every_transform_before_averaging(method):
    image = SMOOTH[:20, :30]  # not square: a transform left undone would not even fit
    rows, cols = np.indices(image.shape)
    options = {"method": method, "patch_size": 10, "stride": 10}  # patches: no overlap, rows restart per patch
    if method == "patches":
        rows, cols = rows % 10, cols % 10
    np.testing.assert_allclose(restoration.restore_image(AddRowIndex(), image, **options), image + rows / 100)
    # the transpose turns rows into columns, and restoring it undoes the transpose
    np.testing.assert_allclose(restoration.restore_image(AddRowIndex(), image, ensemble=2, **options),
                               image + (rows + cols) / 200)
    # all 8 flips and rotations: each pixel's row index counted from all four sides of the
    # (patch or whole) image, twice each, averages to a constant
    height, width = (10, 10) if method == "patches" else image.shape
    constant = (height - 1 + width - 1) / 400
    np.testing.assert_allclose(restoration.restore_image(AddRowIndex(), image, ensemble=8, **options),
                               image + constant)


@pytest.mark.parametrize(
    ("model", "kwargs", "error", "match"),
    [
        (object(), {}, TypeError, "model must have a predict method"),
        (Halve(), {"method": "tiles"}, ValueError, "method must be one of"),
        (Halve(), {"batch_size": 0}, ValueError, "batch_size must be >= 1"),
        (Halve(), {"ensemble": 0}, ValueError, "ensemble must be >= 1"),
        (Halve(), {"ensemble": 9}, ValueError, "ensemble must be at most 8"),
        (Halve(), {"ensemble": 2.0}, TypeError, "ensemble must be an integer"),
        (Halve(), {"method": "patches", "patch_size": 100}, ValueError, "must not exceed the image size"),
    ],
)
def test_restore_image_rejects_bad_input(model, kwargs, error, match):
    with pytest.raises(error, match=match):
        restoration.restore_image(model, SMOOTH, **kwargs)


def test_load_pretrained_rejects_unknown_task_and_names_a_missing_file(monkeypatch):
    with pytest.raises(ValueError, match="task must be one of"):
        restoration.load_pretrained("colorize")
    with pytest.raises(ValueError, match="task must be one of"):
        restoration.pretrained_record("colorize")
    monkeypatch.setattr(restoration.inference, "ASSETS", "assets/missing")
    with pytest.raises(FileNotFoundError, match="no shipped weights for 'deblur'"):
        restoration.load_pretrained("deblur")
    with pytest.raises(FileNotFoundError, match="no training record for 'deblur'"):
        restoration.pretrained_record("deblur")


@pytest.mark.parametrize("task", restoration.TASKS)
def test_pretrained_record_describes_the_training_run(task):
    record = restoration.pretrained_record(task)
    assert record["task"] == task and record["command"].startswith("python -m course_lib.restoration train")
    assert 0 < record["settings"]["seconds"] < 90 * 60  # the budget: under 90 minutes here
    assert len(record["history"]["loss"]) == record["settings"]["epochs"]


# --- baselines ---------------------------------------------------------------------------------

NOISY = SMOOTH + 0.08 * np.random.default_rng(1).standard_normal(SMOOTH.shape)


def test_estimate_sigma_matches_skimage_and_truth():
    assert baselines.estimate_sigma(NOISY) == pytest.approx(skrestoration.estimate_sigma(NOISY))
    assert baselines.estimate_sigma(NOISY) == pytest.approx(0.08, rel=0.15)


@pytest.mark.parametrize("name", ["TV", "wavelet", "NL-means"])
def test_denoisers_improve_psnr(name):
    restored = baselines.denoisers()[name](NOISY)
    assert restored.shape == NOISY.shape
    assert metrics.psnr(SMOOTH, restored) > metrics.psnr(SMOOTH, NOISY) + 3


def test_tv_denoise_matches_skimage_with_the_same_weight():
    np.testing.assert_allclose(
        baselines.tv_denoise(NOISY, weight=0.1),
        skrestoration.denoise_tv_chambolle(NOISY, weight=0.1, eps=1e-6, max_num_iter=5000),
    )


def test_bm3d_is_listed_only_when_installed():
    assert ("BM3D" in baselines.denoisers()) == baselines.bm3d_available()


def test_wiener_without_noise_inverts_a_circular_blur_nearly():
    kernel = corruption.motion_blur_kernel(9, 0)
    blurred = corruption.blur(SMOOTH, kernel, mode="reflect")
    for method in (baselines.wiener_deblur, baselines.richardson_lucy_deblur):
        restored = method(blurred, kernel)
        assert metrics.psnr(SMOOTH, restored, border=8) > metrics.psnr(SMOOTH, blurred, border=8) + 3


def test_mirror_extension_beats_plain_fft_deconvolution():
    # the circular-convolution assumption: without the mirror, border jumps ring inside the image
    kernel = corruption.motion_blur_kernel(9, 45)
    blurred = corruption.blur(SMOOTH, kernel, mode="reflect")
    plain = skrestoration.wiener(blurred, kernel, baselines.WIENER_BALANCE, clip=False)
    assert metrics.psnr(SMOOTH, baselines.wiener_deblur(blurred, kernel), border=8) > metrics.psnr(SMOOTH, plain, border=8)


def test_compare_reports_every_method_and_the_input():
    table = restoration_eval.compare(SMOOTH, NOISY, {"TV": baselines.tv_denoise}, border=2)
    assert list(table) == ["input", "TV"]
    assert table["input"]["psnr"] == pytest.approx(metrics.psnr(SMOOTH, NOISY, border=2))
    assert table["TV"]["psnr"] > table["input"]["psnr"]
    assert set(table["TV"]) == {"psnr", "ssim", "seconds", "first_seconds"}


def test_compare_repeats_each_method_and_reports_the_median_time():
    calls = []
    delays = iter([0.05, 0.0, 0.0])  # a slow first call, as a network's first call on a new size

    def method(image):
        calls.append(1)
        time.sleep(next(delays))
        return image

    table = restoration_eval.compare(SMOOTH, NOISY, {"slow start": method}, repeat=3)
    assert len(calls) == 3
    assert table["slow start"]["first_seconds"] >= 0.05 > table["slow start"]["seconds"]
    with pytest.raises(ValueError, match="repeat must be >= 1"):
        restoration_eval.compare(SMOOTH, NOISY, {"slow start": method}, repeat=0)


def test_evaluate_averages_over_images_and_uses_the_true_kernel():
    images = {"a": SMOOTH, "b": SMOOTH[::-1]}
    seen = []

    def wiener(image, params):
        seen.append(params["length"])
        return baselines.wiener_deblur(image, params["kernel"])

    table = restoration_eval.evaluate(images, "deblur", {"Wiener": wiener}, rng=3, length=9, noise=0.0)
    assert seen == [9, 9]
    border = restoration_eval.EVAL_BORDER["deblur"]
    first, _ = restoration.corrupt(SMOOTH, "deblur", rng=3, length=9, noise=0.0)
    second, _ = restoration.corrupt(SMOOTH[::-1], "deblur", rng=4, length=9, noise=0.0)
    expected = np.mean([metrics.psnr(SMOOTH, first, border=border), metrics.psnr(SMOOTH[::-1], second, border=border)])
    assert table["input"]["psnr"] == pytest.approx(expected)
    assert table["Wiener"]["psnr"] > table["input"]["psnr"]


def test_format_table_rounds_and_fills_missing_methods():
    results = {"a": {"input": {"psnr": 20.004, "ssim": 0.5}, "TV": {"psnr": 25.5, "ssim": 0.71234}},
               "b": {"input": {"psnr": 18.0, "ssim": 0.4}}}
    assert restoration_eval.format_table(results).splitlines() == [
        "method                   a         b",
        "input                20.00     18.00",
        "TV                   25.50       nan",
    ]
    assert "0.712" in restoration_eval.format_table(results, key="ssim")


def test_richardson_lucy_margin_keeps_the_border_bright():
    # zero padding inside richardson_lucy would darken the border; the mirror margin prevents it
    flat = np.full((48, 48), 0.5)
    kernel = corruption.motion_blur_kernel(9, 0)
    plain = skrestoration.richardson_lucy(flat, kernel, num_iter=baselines.RL_ITERATIONS, clip=False)
    mirrored = baselines.richardson_lucy_deblur(flat, kernel)
    assert np.abs(plain - 0.5).max() > 0.1  # dark borders without the margin
    assert np.abs(mirrored - 0.5).max() < 0.02


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: restoration_eval.format_table({}), ValueError, "results must hold at least one setting"),
        (lambda: restoration_eval.format_table({"a": {}}, key="mse"), ValueError, "key must be one of"),
        (lambda: restoration_eval.evaluate({}, "denoise", {}), ValueError, "images must hold at least one image"),
        (lambda: restoration_eval.evaluate({"a": SMOOTH}, "denoise", {"x": 1}), TypeError, "must be callable"),
        (lambda: restoration_eval.evaluate({"a": SMOOTH}, "paint", {}), ValueError, "task must be one of"),
        (lambda: baselines.tv_denoise(NOISY, weight=-1.0), ValueError, "weight must be >= 0"),
        (lambda: baselines.wavelet_denoise(np.zeros((2, 8, 8))), ValueError, "image must be 2-D"),
        (lambda: baselines.wiener_deblur(NOISY, np.ones((3, 3)) / 9, balance=0.0), ValueError, "balance must be > 0"),
        (lambda: baselines.wiener_deblur(NOISY, np.ones(3)), ValueError, "kernel must be 2-D"),
        (lambda: baselines.richardson_lucy_deblur(NOISY, np.ones((3, 3)), iterations=0), ValueError, "iterations must be >= 1"),
        (lambda: restoration_eval.compare(SMOOTH, NOISY[:10], {}), ValueError, "must have the same shape"),
        (lambda: restoration_eval.compare(SMOOTH, NOISY, {"x": 3}), TypeError, r"methods\['x'\] must be callable"),
    ],
)
def test_baselines_reject_bad_input(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_benchmark_scores_reads_the_recorded_tables():
    denoise = restoration.benchmark_scores("denoise")
    deblur = restoration.benchmark_scores("deblur")
    # the README's rows, markup removed; the input is not timed
    assert {"noisy input", "TV", "NL-means", "network"} <= set(denoise)
    assert any(name.startswith("BM3D") for name in denoise)
    assert {"blurred input", "Wiener", "Wiener + network"} <= set(deblur)
    assert np.isnan(denoise["noisy input"]["seconds"])
    for table in (denoise, deblur):
        for row in table.values():
            assert 10 < row["psnr"] < 40 and 0 < row["ssim"] < 1


def test_benchmark_scores_rejects_an_unknown_task():
    with pytest.raises(ValueError, match="task must be one of"):
        restoration.benchmark_scores("inpaint")
