"""The public mirror and the wheel hold no solution, hidden test or hidden-data generator."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import publish  # noqa: E402


@pytest.fixture(scope="module")
def public(tmp_path_factory):
    out = tmp_path_factory.mktemp("public") / "tree"
    return out, publish.publish(out)


def test_public_tree_is_clean_and_lacks_the_private_parts(public):
    out, problems = public
    assert problems == []
    assert (out / "course_lib" / "grading" / "sandbox.py").is_file()
    assert not (out / "exercises" / "restoration" / "make_data.py").exists()
    assert not list(out.rglob("*-master.ipynb")) and not (out / "tests" / "grading").exists()


def test_scan_finds_a_planted_leak(public, tmp_path):
    out, _ = public
    leaked = tmp_path / "leaked"
    (leaked / "course_lib").mkdir(parents=True)
    hidden = next(line for line in publish.secrets()["conv"] if line.startswith("def test_q1_random"))
    (leaked / "course_lib" / "helpers.py").write_text(f"{hidden}\n    pass\n")
    (leaked / "make_data.py").write_text("")
    assert publish.scan(leaked) == [f"course_lib/helpers.py: conv solution, hidden test or data generator line {hidden!r}",
                                    "make_data.py: a private file"]


@pytest.mark.slow
def test_wheel_built_from_the_public_tree_is_clean(public, tmp_path):
    out, _ = public
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(out), "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(tmp_path / "dist")], check=True, capture_output=True)
    wheel = next((tmp_path / "dist").glob("course_lib-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        archive.extractall(tmp_path / "unpacked")
    assert "course_lib/grading/exercise_tests/conv/q1.py" in names
    assert publish.scan(tmp_path / "unpacked") == []
