"""Fast tests of the grading helpers: submission checks, gradebook, sandbox, leak check, CLI."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest

from course_lib.grading import assign as grading_assign, cli as grading, gradebook as grading_book, inspection as grading_inspect, sandbox as grading_sandbox


def notebook(*sources: str, assignment: str | None = "conv") -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    if assignment:
        nb.metadata["otter"] = {"assignment_name": assignment}
    return nb


# --- grading_inspect -------------------------------------------------------------------------

def test_load_submission_refuses_what_does_not_parse(tmp_path):
    path = tmp_path / "broken.ipynb"
    path.write_text('{"cells": [')
    with pytest.raises(grading_inspect.SubmissionError, match="does not parse as JSON"):
        grading_inspect.load_submission(path, assignment_name="conv")


def test_load_submission_refuses_other_assignment(tmp_path):
    path = tmp_path / "a.ipynb"
    nbformat.write(notebook("x = 1", assignment="gabor"), path)
    with pytest.raises(grading_inspect.SubmissionError, match="for assignment 'gabor', not 'conv'"):
        grading_inspect.load_submission(path, assignment_name="conv")


def test_load_submission_zip_needs_exactly_one_notebook(tmp_path):
    path = tmp_path / "two.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("a.ipynb", nbformat.writes(notebook("x = 1")))
        archive.writestr("b.ipynb", nbformat.writes(notebook("x = 1")))
    with pytest.raises(grading_inspect.SubmissionError, match="exactly one .ipynb; it holds 2"):
        grading_inspect.load_submission(path, assignment_name="conv")
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"not a zip")
    with pytest.raises(grading_inspect.SubmissionError, match="not a readable zip"):
        grading_inspect.load_submission(bad, assignment_name="conv")


def test_load_submission_zip_keeps_flat_extra_files(tmp_path):
    path = tmp_path / "work.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("folder/hw.ipynb", nbformat.writes(notebook("x = 1")))
        archive.writestr("folder/../../denoised.npy", b"data")
    submission = grading_inspect.load_submission(path, assignment_name="conv")
    assert submission.extra_files == {"denoised.npy": b"data"}


def test_load_submission_too_big(tmp_path, monkeypatch):
    monkeypatch.setattr(grading_inspect, "MAX_NOTEBOOK_BYTES", 10)
    path = tmp_path / "big.ipynb"
    nbformat.write(notebook("x = 1"), path)
    with pytest.raises(grading_inspect.SubmissionError, match="the limit is 20 MiB"):
        grading_inspect.load_submission(path, assignment_name="conv")


def test_load_submission_refuses_an_assignment_name_that_is_not_a_string(tmp_path):
    """Found by the fuzz pass (issue 22): 3 was written into the notebook's metadata silently."""
    path = tmp_path / "s.ipynb"
    nbformat.write(notebook("x = 1", assignment=None), path)
    with pytest.raises(TypeError, match=r"^assignment_name must be the assignment's name \(a string\) or None; got 3 \(int\)"):
        grading_inspect.load_submission(path, assignment_name=3)
    with pytest.raises(ValueError, match=r"^assignment_name is empty; give the autograder's assignment name"):
        grading_inspect.load_submission(path, assignment_name=" ")
    assert grading_inspect.load_submission(path, assignment_name=None).notes == []


def test_load_submission_restores_stripped_metadata(tmp_path):
    nb = notebook("x = 1", assignment=None)
    nb.metadata = {}
    path = tmp_path / "stripped.ipynb"
    nbformat.write(nb, path)
    submission = grading_inspect.load_submission(path, assignment_name="conv")
    assert submission.notebook.metadata["kernelspec"]["name"] == "python3"
    assert submission.notebook.metadata["otter"]["assignment_name"] == "conv"
    assert submission.notes == ["metadata restored: kernelspec, otter assignment name"]


@pytest.mark.parametrize(
    ("source", "flag"),
    [
        ("import numpy as np\nnp.allclose = lambda *a, **k: True", "monkeypatches numpy (np.allclose)"),
        ("from numpy import testing\ntesting.assert_allclose = print", "monkeypatches numpy (testing.assert_allclose)"),
        ("import otter.test_files.abstract_test as t\nt.TestFile.score = 1", "imports the grading harness (otter)"),
        ("import sys\nsys.modules['numpy'] = None", "changes sys.modules"),
        ("exec('x = 1')", "calls exec"),
        ("import socket", "tries the network (socket)"),
        ("f = lambda: 0\nf.__code__ = None", "rewrites function code"),
    ],
)
def test_scan_code_flags(source, flag):
    assert flag in grading_inspect.scan_code(notebook(source))


def test_scan_code_leaves_ordinary_code_alone():
    setup = 'import sys\nif "google.colab" in sys.modules:\n    pass\n%matplotlib inline\nimport numpy as np\nx = np.ones(3)\nx[0] = 2'
    assert grading_inspect.scan_code(notebook(setup, "def f(:")) == []


# --- grading_book ----------------------------------------------------------------------------

def test_gradebook_resumes_and_regrades_changed_content(tmp_path):
    path = tmp_path / "grades.csv"
    book = grading_book.Gradebook(path, questions=["q1", "q2"])
    book.record({"submission": "b.ipynb", "sha256": "11", "status": "graded", "score": 2, "q1": 1, "q2": 1})
    book.record({"submission": "a.ipynb", "sha256": "22", "status": "timeout"})
    with path.open() as handle:
        rows = list(csv.DictReader(handle))
    assert [r["submission"] for r in rows] == ["a.ipynb", "b.ipynb"]
    assert list(rows[0]) == ["submission", "sha256", "status", "score", "max_score", "q1", "q2",
                             "flags", "notes", "network_isolated", "seconds"]
    again = grading_book.Gradebook(path, questions=["q1", "q2"])
    assert again.is_done("b.ipynb", "11") and again.is_done("a.ipynb", "22")
    assert not again.is_done("a.ipynb", "22", retry_failed=True)
    assert not again.is_done("b.ipynb", "33")
    assert not again.is_done("c.ipynb", "11")


def test_gradebook_write_is_atomic(tmp_path, monkeypatch):
    path = tmp_path / "grades.csv"
    book = grading_book.Gradebook(path, questions=[])
    book.record({"submission": "a", "status": "graded"})
    before = path.read_text()

    def crash(*args):
        raise KeyboardInterrupt  # the grader killed in the middle of a write

    monkeypatch.setattr(grading_book.os, "replace", crash)
    with pytest.raises(KeyboardInterrupt):
        book.record({"submission": "b", "status": "graded"})
    assert path.read_text() == before
    assert [p.name for p in tmp_path.iterdir()] == ["grades.csv"]  # no temp file left behind


def test_gradebook_refuses_a_foreign_csv(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("name,grade\nada,1\n")
    with pytest.raises(ValueError, match="is not a gradebook"):
        grading_book.Gradebook(path, questions=[])


# --- grading_sandbox -------------------------------------------------------------------------

def run_limited(code: str, tmp_path: Path, **limits) -> subprocess.CompletedProcess:
    """Run ``code`` under the judge's resource limits (``sandbox.limits``), as the judge starts a kernel."""
    settings = {"memory_bytes": 4 * 2**30, "cpu_seconds": 60, "file_bytes": 256 * 2**20, **limits}
    return subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=60,
                          preexec_fn=grading_sandbox.limits(**settings), env={"PATH": os.environ["PATH"]})


def test_sandbox_limits_memory(tmp_path):
    done = run_limited("x = bytearray(768 * 2**20)", tmp_path, memory_bytes=512 * 2**20)
    assert done.returncode != 0 and "MemoryError" in done.stderr
    assert run_limited("x = bytearray(768 * 2**20)", tmp_path).returncode == 0  # the limit, not the machine


def test_sandbox_limits_file_size(tmp_path):
    done = run_limited("open('big', 'wb').write(b'x' * 3 * 2**20)", tmp_path, file_bytes=2**20)
    assert done.returncode != 0 and "File too large" in done.stderr
    assert (tmp_path / "big").stat().st_size <= 2**20


def test_sandbox_limits_cpu_time(tmp_path):
    done = run_limited("while True: pass", tmp_path, cpu_seconds=1)
    assert done.returncode in (-signal.SIGXCPU, -signal.SIGKILL)


def test_sandbox_limits_refuse_bad_values():
    with pytest.raises(ValueError, match="memory_bytes must be >= 67108864"):
        grading_sandbox.limits(1, 60, 2**20)
    with pytest.raises(TypeError, match="cpu_seconds must be an integer"):
        grading_sandbox.limits(2**30, "60", 2**20)
    with pytest.raises(ValueError, match="processes must be >= 0"):
        grading_sandbox.limits(2**30, 60, 2**20, processes=-1)


# --- grading_assign --------------------------------------------------------------------------

def test_leaks_sees_unmarked_solution_cells_and_hidden_tests(tmp_path):
    master = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_raw_cell("# BEGIN SOLUTION"),
        nbformat.v4.new_code_cell("weights = fit_the_secret_model()"),
        nbformat.v4.new_raw_cell("# END SOLUTION"),
        nbformat.v4.new_raw_cell("# BEGIN TESTS"),
        nbformat.v4.new_code_cell('""" # BEGIN TEST CONFIG\nhidden: true\n""" # END TEST CONFIG\n'
                                  "def test_secret(x):\n    assert x == 4640"),
        nbformat.v4.new_raw_cell("# END TESTS"),
    ])
    nbformat.write(master, tmp_path / "m-master.ipynb")
    student = tmp_path / "student"
    (student / "tests").mkdir(parents=True)
    leaked = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")])
    leaked.cells[0].outputs = [nbformat.v4.new_output("stream", text="4640")]
    nbformat.write(leaked, student / "m.ipynb")
    (student / "tests" / "q1.py").write_text("    assert x == 4640\n@test_case(points=None, hidden=True)\n")
    problems = grading_assign.leaks(tmp_path / "m-master.ipynb", student)
    assert any("no BEGIN/END SOLUTION" in p for p in problems)
    assert "m.ipynb: stored outputs (they can show solution results)" in problems
    assert "tests/q1.py: solution or hidden-test line 'assert x == 4640'" in problems
    assert "tests/q1.py: a hidden test case" in problems


def test_find_masters_needs_masters(tmp_path):
    with pytest.raises(ValueError, match="holds no <name>/<name>-master.ipynb"):
        grading_assign.find_masters(tmp_path)


def test_package_tests_differ(tmp_path):
    (tmp_path / "q1.py").write_text("changed")
    (tmp_path / "q9.py").write_text("new")
    assert grading_assign.package_tests_differ(tmp_path, "conv") == ["q2.py", "q3.py", "q9.py", "q1.py"]


# --- grading (CLI and helpers) ---------------------------------------------------------------

def test_read_autograder_refuses_other_zips(tmp_path):
    path = tmp_path / "x.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("otter_config.json", "{}")
    with pytest.raises(ValueError, match="holds no tests"):
        grading.read_autograder(path)
    path.write_text("nope")
    with pytest.raises(ValueError, match="not an otter autograder zip"):
        grading.read_autograder(path)


def test_feedback_shows_scores_and_public_results_only():
    text = grading.feedback_markdown("s.ipynb", {"q1": 0.0}, {"q1": 2.0}, [])
    assert "- q1: 0 / 2" in text and "Public tests" not in text


def test_grade_submissions_bad_arguments(tmp_path):
    zip_path = tmp_path / "ag.zip"
    with zipfile.ZipFile(zip_path, "w") as archive:
        archive.writestr("tests/q1.py", "")
    with pytest.raises(ValueError, match="is not a folder"):
        grading.grade_submissions(zip_path, tmp_path / "missing", tmp_path / "g.csv")
    with pytest.raises(ValueError, match="workers must be >= 1"):
        grading.grade_submissions(zip_path, tmp_path, tmp_path / "g.csv", workers=0)
    with pytest.raises(ValueError, match="network must be one of"):
        grading.grade_submissions(zip_path, tmp_path, tmp_path / "g.csv", network="off")
    with pytest.raises(ValueError, match="isolation must be one of"):
        grading.grade_submissions(zip_path, tmp_path, tmp_path / "g.csv", isolation="docker")


def test_grade_failed_submissions_without_running_anything(tmp_path, capsys):
    zip_path = tmp_path / "ag.zip"
    with zipfile.ZipFile(zip_path, "w") as archive:
        archive.writestr("otter_config.json", json.dumps({"assignment_name": "conv"}))
        archive.writestr("tests/q1.py", "from otter.test_files import test_case\nname = 'q1'\n"
                                        "@test_case()\ndef test_a(x):\n    assert x == 1\n")
    folder = tmp_path / "subs"
    folder.mkdir()
    (folder / "broken.ipynb").write_text("{")
    (folder / "notes.txt").write_text("not a submission, but it gets a row")
    status = grading.main(["grade", "--autograder", str(zip_path), "--submissions", str(folder),
                           "--out", str(tmp_path / "g.csv"), "--isolation", "none"])
    assert status == 1
    assert "summary: graded 0, failed 2, timeout 0, flagged 0, skipped 0" in capsys.readouterr().out
    assert "not graded" in (tmp_path / "g_files" / "broken.ipynb.log").read_text()
    with open(tmp_path / "g.csv", newline="") as handle:
        notes = {row["submission"]: row["notes"] for row in csv.DictReader(handle)}
    assert notes["notes.txt"] == "not a submission: .txt is not graded; hand in a .ipynb or .zip"


def test_exercise_data_file():
    from course_lib.grading import exercise_tests

    assert exercise_tests.data_file("restoration", "restoration_noisy.npy").is_file()
    with pytest.raises(ValueError, match="ships no data file 'q1.py'"):
        exercise_tests.data_file("restoration", "q1.py")
    with pytest.raises(ValueError, match="exercise must be one of"):
        exercise_tests.data_file("nope", "x.npy")


def test_shipped_restoration_data_matches_the_exercise_copy():
    from course_lib.grading import exercise_tests

    root = Path(__file__).resolve().parents[2]
    shipped = exercise_tests.data_file("restoration", "restoration_noisy.npy").read_bytes()
    assert shipped == (root / "exercises" / "restoration" / "restoration_noisy.npy").read_bytes()


def test_instructor_tools_name_a_wrong_path_or_mapping():
    """Found by the fuzz pass over every public function (issue 22)."""
    from course_lib.grading import assign, cli, gradebook, inspection, judge

    with pytest.raises(TypeError, match=r"^exercises_dir must be a path \(str or pathlib\.Path\); got NoneType\."):
        assign.find_masters(None)
    with pytest.raises(TypeError, match=r"^master must be a path"):
        assign.forbidden_modules(None)
    with pytest.raises(TypeError, match=r"^tests must be a path"):
        assign.package_tests_differ(None, "conv")
    with pytest.raises(TypeError, match=r"^path must be a path"):
        gradebook.file_hash(None)
    with pytest.raises(TypeError, match=r"^root must be a path"):
        judge.clean_work_root(None)
    with pytest.raises(TypeError, match=r"^autograder must be a path"):
        judge.read_assignment(None)
    with pytest.raises(TypeError, match=r"^scores must be a dict \(question -> points\); got str"):
        cli.feedback_markdown("demo", "abc", {"q1": 1.0}, [])
    with pytest.raises(TypeError, match=r"^max_scores must be a dict"):
        cli.feedback_markdown("demo", {"q1": 1.0}, "abc", [])
    with pytest.raises(TypeError, match=r"^notebook must be a dict \(a parsed notebook\); got str"):
        inspection.scan_code("abc")
    with pytest.raises(TypeError, match=r"^student_dir must be a path"):
        assign.leaks("master.ipynb", None)
    with pytest.raises(TypeError, match=r"^autograder must be a path"):
        cli.read_autograder(3)
    with pytest.raises(TypeError, match=r"^path must be a path"):
        gradebook.Gradebook(None, questions=["q1"])
    with pytest.raises(TypeError, match=r"^path must be a path"):
        inspection.load_submission(3, assignment_name="conv")
    from course_lib.grading import sandbox

    with pytest.raises(TypeError, match=r"^command must be a list of strings; got str 'abc'"):
        sandbox.sandbox_command("abc", root="/tmp/root", home="/tmp/home", mode="none")
    with pytest.raises(TypeError, match=r"^root must be a path"):
        sandbox.sandbox_command(["true"], root=None, home="/tmp/home", mode="none")
    with pytest.raises(TypeError, match=r"^modules must be a list of strings; got str 'abc'"):
        sandbox.module_paths("abc")
    with pytest.raises(TypeError, match=r"^questions must be a list of strings; got str"):
        gradebook.Gradebook("grades.csv", questions="q1")
    with pytest.raises(TypeError, match=r"^public must be a list of strings; got str"):
        cli.feedback_markdown("demo", {"q1": 1.0}, {"q1": 1.0}, "abc")
