"""course_lib.config: profiles, the smoke test's cut-down sizes, the supported TensorFlow/Keras range."""

import tomllib
import warnings
from pathlib import Path

import pytest

from course_lib import config

ROOT = Path(__file__).resolve().parents[2]


def test_quick_is_the_default_profile_also_in_colab(monkeypatch):
    monkeypatch.delenv("COURSE_PROFILE", raising=False)
    monkeypatch.delenv("COURSE_DATA", raising=False)
    monkeypatch.setenv("COLAB_RELEASE_TAG", "release-colab-test")
    assert config.in_colab() and config.profile() == "quick"
    assert config.data_mode() == "auto"  # Colab may download, but only the full profile does


def test_bad_profile_is_refused(monkeypatch):
    monkeypatch.setenv("COURSE_PROFILE", "fast")
    with pytest.raises(ValueError, match="COURSE_PROFILE"):
        config.profile()


@pytest.mark.parametrize("quick, full, expected", [
    (3000, 60000, 750), (4, 20, 1), (2, 1, 1), (0.5, 0.9, 0.5), ((16, 32), (32, 64), (16, 32)),
    (192, None, None), ("mnist_subset", "cifar10", "cifar10"), (False, True, True),
])
def test_smoke_cuts_numbers_below_the_quick_profile_and_keeps_full_code_paths(monkeypatch, quick, full, expected):
    monkeypatch.setenv("COURSE_PROFILE", "full")
    monkeypatch.setenv("COURSE_SMOKE", "1")
    assert config.smoke() and config.pick(quick=quick, full=full) == expected
    monkeypatch.setenv("COURSE_SMOKE", "0")
    assert not config.smoke() and config.pick(quick=quick, full=full) == full


@pytest.mark.parametrize("tensorflow, keras, ok", [
    ("2.16.1", "3.3.3", True), ("2.21.0", "3.15.1", True), ("2.15.0", "2.15.0", False), ("2.22.0rc1", "3.15.0", False),
    ("2.18.0", "3.16.0", False), (None, None, True), ("2.20.0", None, True),
])
def test_version_problem(tensorflow, keras, ok):
    problem = config.version_problem({"tensorflow": tensorflow, "keras": keras})
    assert (problem is None) == ok
    if not ok:
        assert "\n" not in problem and 'pip install "tensorflow>=2.16,<2.22" "keras>=3.3,<3.16"' in problem


def test_version_problem_names_a_bad_versions_argument():
    """Found by the fuzz pass (issue 22): a string leaked an AttributeError."""
    with pytest.raises(TypeError, match=r"^versions must be a dict \(package name -> version string or None\); got str"):
        config.version_problem("abc")
    with pytest.raises(TypeError, match=r"^versions\['tensorflow'\] must be a version string such as \"2\.16\.1\" or None; got 2\.15 \(float\)"):
        config.version_problem({"tensorflow": 2.15, "keras": "3.3.0"})


def test_unsupported_versions_warn_once(monkeypatch):
    monkeypatch.setattr(config, "_warned_versions", False)
    monkeypatch.setattr(config, "_installed", lambda names: "2.15.0")
    with pytest.warns(RuntimeWarning, match="course_lib supports TensorFlow 2.16-2.21 with Keras 3.3-3.15"):
        config.warn_unsupported_versions()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        config.warn_unsupported_versions()  # once only


def test_this_environment_is_supported():
    assert config.version_problem() is None


def test_pyproject_declares_the_supported_range():
    extra = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]["tf"]
    expected = [f"{name}>={low},<{end}" for name, (low, end) in config.SUPPORTED.items()]
    assert extra == expected


def test_describe_fits_the_page(monkeypatch):
    monkeypatch.setenv("COURSE_SMOKE", "1")
    monkeypatch.setenv("COURSE_PROFILE", "full")
    monkeypatch.setenv("COURSE_DATA", "offline")
    assert config.describe() == "course_lib: full profile, smoke test (cut-down sizes), bundled data only"
    monkeypatch.delenv("COURSE_SMOKE")
    for profile in config.PROFILES:
        for mode in config.DATA_MODES:
            monkeypatch.setenv("COURSE_PROFILE", profile)
            monkeypatch.setenv("COURSE_DATA", mode)
            assert len(config.describe()) <= 72
