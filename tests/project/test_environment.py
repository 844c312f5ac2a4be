"""The lock, environment.yml and pyproject.toml agree, and say what DEVELOPERS.md decided."""

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def lock_pins() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements-lock.txt").read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, version = line.split("==")
            pins[re.sub(r"[-_.]+", "-", name).lower()] = version
    return pins


def environment_pins() -> dict[str, str]:
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_section = next(item["pip"] for item in environment["dependencies"] if isinstance(item, dict))
    pins = {}
    for entry in pip_section:
        if "==" in entry:
            name, version = entry.split("==")
            pins[re.sub(r"[-_.]+", "-", name).lower()] = version
    return pins


def test_environment_yml_names_the_same_pins_as_the_lock():
    lock, environment = lock_pins(), environment_pins()
    assert set(lock) == set(environment), set(lock) ^ set(environment)
    assert lock == environment


def test_lock_pins_the_decided_stack():
    lock = lock_pins()
    assert "tensorflow-cpu" in lock and "tensorflow" not in lock
    assert int(lock["jupyter-book"].split(".")[0]) < 2
    for name in ("nbval", "pytest", "otter-grader", "scikit-image", "ipywidgets", "mlxtend"):
        assert name in lock, name


def test_pyproject_uses_ranges_and_keeps_tensorflow_optional():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    for requirement in project["dependencies"]:
        assert "==" not in requirement, requirement
        assert not requirement.lower().startswith(("tensorflow", "keras")), requirement
    assert any(r.startswith("tensorflow") for r in project["optional-dependencies"]["tf"])
    lock = lock_pins()
    for requirement in project["dependencies"]:
        name = re.split(r"[<>=!~ ]", requirement)[0].lower()
        assert name in lock, f"{name} is a dependency of course_lib but not in the lock"


def _pins(path: Path) -> dict[str, str]:
    pins = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, version = line.split("==")
            pins[re.sub(r"[-_.]+", "-", name).lower()] = version
    return pins


def test_the_two_locks_pin_the_ends_of_the_supported_range():
    from course_lib import config

    main, compat = lock_pins(), _pins(ROOT / "requirements-compat-lock.txt")
    (tf_low, tf_end), (keras_low, keras_end) = config.SUPPORTED["tensorflow"], config.SUPPORTED["keras"]
    assert compat["tensorflow-cpu"].startswith(tf_low + ".") and compat["keras"].startswith(keras_low + ".")
    assert config.version_problem({"tensorflow": compat["tensorflow-cpu"], "keras": compat["keras"]}) is None
    assert config.version_problem({"tensorflow": main["tensorflow-cpu"], "keras": main["keras"]}) is None
    # the main lock is the newest supported minor release
    assert main["tensorflow-cpu"].split(".")[:2] == [tf_end.split(".")[0], str(int(tf_end.split(".")[1]) - 1)]
    assert main["keras"].split(".")[:2] == [keras_end.split(".")[0], str(int(keras_end.split(".")[1]) - 1)]


def make_exports() -> dict[str, str]:
    """The ``export NAME ?= value`` lines of the Makefile (continuation lines joined)."""
    text = re.sub(r"\\\n\s*", " ", (ROOT / "Makefile").read_text())
    return dict(re.findall(r"^export (\w+) \?= (.*)$", text, flags=re.MULTILINE))


def test_make_caps_the_instruction_sets_the_stored_outputs_were_computed_with():
    """Under make, NumPy, its OpenBLAS and TensorFlow's oneDNN use AVX2 kernels even on an AVX-512 machine.

    Without the caps, strict nbval fails on such a machine (trained numbers move in the third
    decimal); on an AVX2 machine the checks below hold either way.
    """
    import os
    import subprocess
    import sys

    names = ("OPENBLAS_CORETYPE", "ONEDNN_MAX_CPU_ISA", "NPY_DISABLE_CPU_FEATURES")
    exports = make_exports()
    assert set(names) <= set(exports), "the Makefile no longer caps the instruction sets"
    env = dict(os.environ, **{name: exports[name] for name in names},
               ONEDNN_VERBOSE="1", TF_ENABLE_ONEDNN_OPTS="0", TF_CPP_MIN_LOG_LEVEL="3")
    script = ("import numpy, threadpoolctl\n"
              "from numpy._core._multiarray_umath import __cpu_features__ as on\n"
              "print('openblas', {i['architecture'] for i in threadpoolctl.threadpool_info() if i['internal_api'] == 'openblas'})\n"
              f"print('numpy avx512', any(on[name] for name in {exports['NPY_DISABLE_CPU_FEATURES'].split()!r}))\n"
              "import tensorflow as tf\n"
              "tf.linalg.matmul(tf.ones((64, 64)), tf.ones((64, 64))).numpy()\n")
    run = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    lines = run.stdout.splitlines()
    assert "openblas {'Haswell'}" in lines
    assert "numpy avx512 False" in lines
    isa = [line for line in lines if ",info,cpu,isa:" in line]
    assert isa and "AVX-512" not in isa[0], isa
