"""Bad arguments to the grading run's building blocks are refused up front, naming the argument.

The cluster functions check before they connect (``connect`` and ``grade_on_cluster`` return a
context manager and a generator: a bad argument must fail at the call, not later when iterated),
and a task or a submission checks before it writes anything.
"""

from __future__ import annotations

import hashlib
import math
from pathlib import Path

import pytest

from course_lib.grading import cluster, gradebook, progress, submission

OPTIONS = {"isolation": "none"}


@pytest.fixture
def zip_path(tmp_path) -> Path:
    path = tmp_path / "ag.zip"
    path.write_bytes(b"zip")
    return path


# cluster.parse_scheduler / connect --------------------------------------------------------------

@pytest.mark.parametrize("bad", [3, None, b"local:2"])
def test_scheduler_must_be_a_str(bad):
    with pytest.raises(TypeError, match=r"scheduler must be a str, 'tcp://HOST:PORT' or 'local:N'; got "):
        cluster.parse_scheduler(bad)
    with pytest.raises(TypeError, match="scheduler must be a str"):
        cluster.connect(bad)  # at the call: nothing started, no with block needed


@pytest.mark.parametrize(("bad", "error", "message"), [
    ("x", TypeError, r"timeout must be a real number; got 'x' \(str\)"),
    (math.nan, ValueError, "timeout must be finite; got nan"),
    (0.0, ValueError, r"timeout must be >= 0.1; got 0.0"),
])
def test_connect_checks_the_timeout_before_connecting(bad, error, message):
    with pytest.raises(error, match=message):
        cluster.connect("tcp://127.0.0.1:1", timeout=bad)


def test_connect_still_reports_an_unreachable_scheduler_on_entering():
    manager = cluster.connect("tcp://127.0.0.1:1", timeout=0.5)  # nothing listens on port 1
    with pytest.raises(RuntimeError, match=r"cannot reach the Dask scheduler at tcp://127.0.0.1:1 within 0.5 s"):
        with manager:
            pass


# cluster.refusal ------------------------------------------------------------------------------

@pytest.mark.parametrize("bad", [3, None])
def test_refusal_needs_the_worker_address(bad):
    with pytest.raises(TypeError, match=r"worker must be a str \(the worker's address\); got "):
        cluster.refusal(bad)


def test_refusal_refuses_an_empty_worker():
    with pytest.raises(ValueError, match="worker must name the worker"):
        cluster.refusal("  ")


# cluster.AutograderPlugin ---------------------------------------------------------------------

@pytest.mark.parametrize("bad", ["abc", None, 5, Path("ag.zip")])
def test_plugin_takes_the_zip_bytes_not_a_path(bad):
    with pytest.raises(TypeError, match=r"data must be the autograder zip's bytes; got \w+\. Read the file first"):
        cluster.AutograderPlugin(bad)


def test_plugin_refuses_an_empty_zip():
    with pytest.raises(ValueError, match=r"data must be the autograder zip's bytes; got no bytes"):
        cluster.AutograderPlugin(b"")


def test_plugin_takes_a_bytearray_as_bytes():
    plugin = cluster.AutograderPlugin(bytearray(b"zip"))
    assert plugin.data == b"zip" and plugin.sha256 == hashlib.sha256(b"zip").hexdigest()


# cluster.grade_task ---------------------------------------------------------------------------

SHA = "0" * 64


@pytest.mark.parametrize(("kwargs", "error", "message"), [
    ({"data": "abc"}, TypeError, r"data must be the submission's bytes; got str"),
    ({"data": None}, TypeError, r"data must be the submission's bytes; got NoneType"),
    ({"sha256": "not-a-choice"}, ValueError, r"sha256 must be a SHA-256 in hex \(64 digits 0-9a-f\); got 'not-a-choice'"),
    ({"sha256": "A" * 64}, ValueError, r"sha256 must be a SHA-256 in hex"),
    ({"sha256": 3}, TypeError, r"sha256 must be a SHA-256 in hex \(a str of 64 digits\); got 3 \(int\)"),
    ({"options": "abc"}, TypeError, r"options must be a dict \(the judge's options"),
    ({"options": {}}, ValueError, r"options must have an 'isolation' key, one of 'auto', 'root', 'userns', 'none'"),
    ({"options": {"isolation": "docker"}}, ValueError,
     r"options\['isolation'\] must be one of 'auto', 'root', 'userns', 'none'; got 'docker'"),
    ({"name": None}, TypeError, r"name must be a file name \(str\); got None"),
    ({"name": "../escape.ipynb"}, ValueError, r"name must be a bare file name \(no folder\)"),
    ({"name": ".."}, ValueError, r"name must be a bare file name"),
])
def test_grade_task_checks_its_arguments_before_anything(kwargs, error, message, monkeypatch):
    monkeypatch.setattr(cluster, "_AUTOGRADERS", {})
    call = {"name": "a.txt", "data": b"3", "sha256": SHA, "options": OPTIONS, **kwargs}
    with pytest.raises(error, match=message):
        cluster.grade_task(**call)


def test_grade_task_with_good_arguments_reaches_the_missing_plugin(monkeypatch):
    monkeypatch.setattr(cluster, "_AUTOGRADERS", {})
    with pytest.raises(RuntimeError, match="this worker holds no autograder zip 000000000000"):
        cluster.grade_task("a.txt", b"", SHA, OPTIONS)  # an empty submission is a submission (graded failed)


# cluster.grade_on_cluster ---------------------------------------------------------------------

@pytest.mark.parametrize(("kwargs", "error", "message"), [
    ({"scheduler": 3}, TypeError, "scheduler must be a str"),
    ({"scheduler": None}, TypeError, "scheduler must be a str"),
    ({"scheduler": "127.0.0.1:8786"}, ValueError, r"scheduler must be 'tcp://HOST:PORT'"),
    ({"paths": "abc"}, TypeError, r"paths must be a list of submission files; got str 'abc'. Wrap it"),
    ({"paths": Path("abc")}, TypeError, r"paths must be a list of submission files; got \w*Path"),
    ({"paths": 3}, TypeError, r"paths must be a list of submission files; got int"),
    ({"paths": [Path("a.ipynb"), None]}, TypeError, r"paths\[1\] must be a path"),
    ({"autograder": "abc"}, ValueError, r"autograder must be the autograder zip \(a file\); got 'abc'"),
    ({"autograder": None}, TypeError, r"autograder must be a path"),
    ({"files": "abc"}, ValueError, r"files must be an existing folder .*; got 'abc'"),
    ({"files": None}, TypeError, r"files must be a path"),
    ({"options": "abc"}, TypeError, r"options must be a dict"),
    ({"options": {}}, ValueError, r"options must have an 'isolation' key"),
    ({"say": None}, TypeError, r"say must be callable"),
])
def test_grade_on_cluster_checks_at_the_call_before_connecting(kwargs, error, message, zip_path):
    call = {"scheduler": "tcp://127.0.0.1:1", "paths": [], "autograder": zip_path, "files": zip_path.parent,
            "options": OPTIONS, **kwargs}
    with pytest.raises(error, match=message):
        cluster.grade_on_cluster(**call)  # not iterated: the check runs at the call


def test_grade_on_cluster_with_good_arguments_connects_when_iterated(zip_path):
    results = cluster.grade_on_cluster("tcp://127.0.0.1:1", (p for p in []), str(zip_path), str(zip_path.parent),
                                       {"isolation": "auto"})
    with pytest.raises(RuntimeError, match="cannot reach the Dask scheduler at tcp://127.0.0.1:1"):
        list(results)


# submission.grade_submission ------------------------------------------------------------------

@pytest.fixture
def notes(tmp_path) -> Path:
    path = tmp_path / "notes.txt"
    path.write_text("x = 3")
    return path


@pytest.mark.parametrize(("kwargs", "error", "message"), [
    ({"path": "abc"}, ValueError, r"path must be a submission file; got 'abc', which is not a file"),
    ({"path": None}, TypeError, r"path must be a path \(str or pathlib.Path\); got NoneType"),
    ({"autograder": "abc"}, ValueError, r"autograder must be the autograder zip \(a file\); got 'abc'"),
    ({"autograder": None}, TypeError, r"autograder must be a path"),
    ({"files": "abc"}, ValueError, r"files must be an existing folder .*; got 'abc'"),
    ({"files": None}, TypeError, r"files must be a path"),
    ({"options": "abc"}, TypeError, r"options must be a dict"),
    ({"options": {}}, ValueError, r"options must have an 'isolation' key, one of 'root', 'userns', 'none'"),
    ({"options": {"isolation": "auto"}}, ValueError, r"options\['isolation'\] must be one of 'root', 'userns', 'none'"),
])
def test_grade_submission_checks_before_writing(kwargs, error, message, notes, zip_path):
    files = zip_path.parent / "files"
    files.mkdir()
    call = {"path": notes, "autograder": zip_path, "files": files, "options": OPTIONS, **kwargs}
    with pytest.raises(error, match=message):
        submission.grade_submission(**call)
    assert list(files.iterdir()) == []  # refused before writing the log


def test_grade_submission_takes_str_paths(notes, zip_path):
    row = submission.grade_submission(str(notes), str(zip_path), str(notes.parent), OPTIONS)
    assert row["status"] == "failed" and row["submission"] == "notes.txt"
    assert (notes.parent / "notes.txt.log").read_text() == "not graded: .txt file type\n"


# gradebook.failed_row -------------------------------------------------------------------------

def test_failed_row_note_is_a_str(notes):
    with pytest.raises(TypeError, match=r"note must be a str \(why the submission failed\); got 3 \(int\)"):
        gradebook.failed_row(notes, 3)
    with pytest.raises(ValueError, match="note must say why the submission failed; got an empty string"):
        gradebook.failed_row(notes, " ")
    assert gradebook.failed_row(notes, "x" * 400)["notes"] == "x" * 300


# progress -------------------------------------------------------------------------------------

@pytest.mark.parametrize("bad", ["abc", None])
def test_progress_clock_must_be_callable(bad):
    with pytest.raises(TypeError, match=r"clock must be callable, returning seconds \(time.monotonic\); got "):
        progress.Progress(2, clock=bad)


def test_progress_clock_must_return_seconds():
    with pytest.raises(TypeError, match=r"clock must return seconds \(a number\); clock\(\) returned 'now'"):
        progress.Progress(2, clock=lambda: "now")


def test_progress_write_must_be_callable():
    with pytest.raises(TypeError, match=r"write must be callable, taking one line \(print\); got str"):
        progress.Progress(2, write="log.txt")


def test_progress_past_its_total_says_nothing_is_left():
    ticks = iter([0.0, 10.0])
    lines = []
    counter = progress.Progress(0, write=lines.append, clock=lambda: next(ticks))
    counter.done({"submission": "late.ipynb", "status": "graded", "score": 1.0})
    assert lines == ["[1/0] late.ipynb: graded 1.0  (0.10 per s, about 0 s left)"]


@pytest.mark.parametrize(("bad", "error", "message"), [
    ("x", TypeError, r"seconds must be a real number; got 'x' \(str\)"),
    (None, TypeError, r"seconds must be a real number; got None"),
    (math.nan, ValueError, "seconds must be finite; got nan"),
    (math.inf, ValueError, "seconds must be finite; got inf"),
    (-1.0, ValueError, r"seconds must be >= 0.0; got -1.0"),
])
def test_duration_refuses_what_is_no_duration(bad, error, message):
    with pytest.raises(error, match=message):
        progress.duration(bad)


@pytest.mark.parametrize(("bad", "error", "message"), [
    ("abc", TypeError, r"row must be a dict \(a gradebook row, column -> value\); got str"),
    (None, TypeError, r"row must be a dict"),
    ({"status": "graded"}, ValueError, r"row must have the keys 'submission' and 'status' \(a gradebook row\); "
                                       r"got the keys \['status'\]"),
])
def test_row_line_needs_a_gradebook_row(bad, error, message):
    with pytest.raises(error, match=message):
        progress.row_line(bad)
