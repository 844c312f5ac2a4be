"""The fuzz pass of issue 22 and the size guards, each in a subprocess whose address space is capped.

``benchmarks/bench_contracts.py --numpy-only`` calls every NumPy-side public function with one bad
argument per call (8-bit and 0..255 images, ragged lists, bad seeds, huge counts, ...): the
hand-written cases, and for every other public function a case made from the valid call in its
docstring Examples (``benchmarks/contract_auto.py``). None may return a result, allocate above the
memory limit, run past 20 s or leak a message that does not name the argument, except the calls
listed as accepted on purpose, each with its reason. The instructors' tools' internals are reported
under their own count, which must be 0 too.
Every public function (Keras ones included) is fuzzed or excluded with a reason. The size guards
must refuse before allocating: under an address-space cap of the current size + 512 MiB an
unguarded call would die with MemoryError instead of ValueError.
"""

import json
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
import contract_auto  # noqa: E402


def _bench(*options: str) -> dict:
    completed = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_contracts.py"), *options, "--json"],
                               capture_output=True, text=True, timeout=900, cwd=ROOT)
    assert completed.returncode == 0, completed.stderr[-2000:]
    return json.loads(completed.stdout.strip().splitlines()[-1])


def test_fuzz_pass_finds_no_silent_result_no_big_allocation_no_hang_and_no_leak():
    counts = _bench("--numpy-only")
    assert counts["calls"] > 1000 and counts["functions"] >= 180, counts
    assert counts["uncovered"] == {}, counts["uncovered"]  # every NumPy-side public function is fuzzed
    assert counts["problems"] == [], counts["problems"]
    assert counts["memory"] == 0 and counts["slow"] == 0, counts["tracked"]
    assert counts["tracked"] == [], counts["tracked"]  # the instructors' tools: none left either
    assert counts["leaked"] / counts["calls"] < 0.01, counts["tracked"]  # the tracked ones included


def test_every_public_function_is_fuzzed_or_excluded_with_a_reason():
    counts = _bench("--coverage")  # Keras ones included: a hand case, a call in its Examples, or EXCLUDED
    assert counts["public"] > 280, counts
    assert counts["uncovered"] == {}, counts["uncovered"]
    assert all(reason.strip() for reason in contract_auto.EXCLUDED.values())


def test_a_function_without_examples_is_not_fuzzable_and_the_kinds_of_bad_values():
    def undocumented(image):
        """No examples."""

    assert contract_auto.why_not_fuzzable(undocumented) == "no Examples"
    assert contract_auto.classify("silent: config.pick(quick='3')") == "accepted"
    assert contract_auto.classify("leaked: grading.wire.loads(line='abc')") == "tracked"
    assert contract_auto.classify("silent: metrics.psnr(image=<uint8 array (4, 4)>)") == "silent"
    import inspect

    import numpy as np

    parameter = inspect.signature(undocumented).parameters["image"]
    kinds = contract_auto.bad_values("image", np.full((4, 4), 0.5), parameter)
    assert any(isinstance(v, np.ndarray) and v.dtype == np.uint8 for v in kinds)  # an 8-bit copy
    assert any(isinstance(v, np.ndarray) and v.dtype == float and v.max() > 2 for v in kinds)  # a 0..255 copy
    assert contract_auto.RAGGED in kinds and None in kinds
    assert contract_auto.bad_values("rng", 0, parameter) == [-1, 2**40, 1.5, "0"]
    huge, fractional = contract_auto.bad_values("y_pred", np.array([0, 2, 1]), parameter)[-2:]  # labels
    assert huge.tolist() == [0.0, 2.0, 1e300] and fractional.tolist() == [0.0, 2.0, 0.5]


GUARDED_CALLS = textwrap.dedent("""
    import resource
    import numpy as np
    from course_lib import autoencoders, cam, conv, corruption, data, gabor, restoration

    with open("/proc/self/status") as status:
        size = next(int(line.split()[1]) for line in status if line.startswith("VmSize")) * 1024
    resource.setrlimit(resource.RLIMIT_AS, (size + 512 * 2**20, resource.RLIM_INFINITY))
    calls = {
        "extract_patches": lambda: restoration.extract_patches(np.zeros((1000, 1000)), 64),
        "average_patches": lambda: restoration.average_patches(np.ones((1, 2, 2)), [(0, 0)], (10**5, 10**5)),
        "block_dropout": lambda: corruption.block_dropout(np.ones((8, 8)), 100_000, 0.5, rng=0),
        "motion_blur_kernel": lambda: corruption.motion_blur_kernel(100_000, 30),
        "correlate2d": lambda: conv.correlate2d(np.ones((4, 4)), np.ones((3, 3)), padding=100_000),
        "conv2d": lambda: conv.conv2d(np.ones((1, 4, 4, 1)), np.ones((3, 3, 1, 1)), padding=100_000),
        "conv_matrix": lambda: conv.conv_matrix((1000, 1000), np.ones((3, 3))),
        "conv_transpose2d": lambda: conv.conv_transpose2d(np.ones((4, 4)), np.ones((3, 3)), stride=100_000),
        "gabor_kernel": lambda: gabor.gabor_kernel(1e-9),
        "grating": lambda: gabor.grating((10**5, 10**5), 0.1),
        "upsample": lambda: cam.upsample(np.ones((1, 4, 4)), 100_000),
        "center_heatmaps": lambda: cam.center_heatmaps(10**5, 1000),
        "random_heatmaps": lambda: cam.random_heatmaps(10**5, 1000, rng=0),
        "shapes": lambda: data.shapes(100_000, size=128),
        "transposed_overlap": lambda: autoencoders.transposed_overlap(3, 8192, input_size=64),
    }
    for name, call in calls.items():
        try:
            call()
            print(name, "returned")
        except MemoryError:
            print(name, "MemoryError")
        except ValueError as error:
            print(name, "ValueError", str(error).split(";")[0])
""")


def test_size_guards_fire_before_any_large_allocation():
    completed = subprocess.run([sys.executable, "-c", GUARDED_CALLS], capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert completed.returncode == 0, completed.stderr[-2000:]
    lines = completed.stdout.strip().splitlines()
    assert len(lines) == 15, completed.stdout
    outcomes = {line.split()[0]: line for line in lines}
    # block_dropout refuses a block larger than the image (one block of its side covers it)
    assert outcomes.pop("block_dropout") == "block_dropout ValueError block_size must be <= 8"
    for name, line in outcomes.items():
        assert " ValueError " in line and "GiB" in line, line
