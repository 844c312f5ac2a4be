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
