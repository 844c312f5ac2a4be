"""Grade one submission: the student's code in a sandboxed kernel, the tests in this (trusted) process.

The student's notebook runs in :mod:`course_lib.grading.kernel`, inside the sandbox of
:mod:`course_lib.grading.sandbox` (new network, PID, mount, IPC and UTS namespaces, a root made
of read-only bind mounts of the interpreter and its packages, an unprivileged user, no tests,
autograder, gradebook or other submission in sight). The hidden tests never go there: each
test case runs here, and every argument named after a student's variable is fetched from the
kernel as plain data (:mod:`course_lib.grading.wire`), or, for a function, is a
:class:`RemoteFunction` that sends its inputs to the kernel and gets plain data back. All
comparisons happen here, so nothing the student patches in the kernel takes part in them.

Independence: a cell that ends the kernel (``os._exit``, a crash, the memory limit, its time
limit) loses only itself: the kernel is restarted and the other cells are run again; a test
whose call ends the kernel fails alone. Public tests of every question run before any hidden
test, in a kernel that has seen no hidden input, and only their results reach the student.
"""

from __future__ import annotations

import json
import os
import shutil
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from course_lib._validation import as_mapping, as_path
from course_lib.grading import sandbox, wire
from course_lib.grading.session import (  # noqa: F401 (their public names stay importable from judge)
    KERNEL_ENVIRONMENT, MAX_RESTARTS, Kernel, KernelGone, RemoteFunction, Session, StudentError)
from course_lib.grading.testfiles import NOT_ANSWERED, TestFile, failure_message, load_test_file, summary, unanswered

#: Files of an otter autograder zip that are not data for the tests.
OTTER_FILES = {"run_autograder", "run_otter.py", "setup.sh", "environment.yml", "otter_config.json",
               "requirements.txt", "requirements.r", "judge.json"}


@dataclass
class Assignment:
    """What the judge carries: test files, data files and per-question settings, from the autograder zip."""

    name: str | None
    tests: dict[str, TestFile]
    data: dict[str, bytes] = field(default_factory=dict)
    forbid: dict[str, list[str]] = field(default_factory=dict)


def read_assignment(autograder: str | Path) -> Assignment:
    """Load the autograder zip into memory (it is read once, before any student code runs).

    Raises
    ------
    ValueError
        If the file is not an autograder zip with tests.

    Examples
    --------
    >>> import tempfile, zipfile
    >>> path = Path(tempfile.mkdtemp()) / "demo-autograder.zip"
    >>> from course_lib.grading.assign import PACKAGE_TESTS
    >>> test = (PACKAGE_TESTS / "conv" / "q1.py").read_text()  # a public test file of the conv exercise
    >>> with zipfile.ZipFile(path, "w") as archive:
    ...     archive.writestr("otter_config.json", '{"assignment_name": "demo"}')
    ...     archive.writestr("tests/q1.py", test)
    ...     archive.writestr("judge.json", '{"forbid": {"q1": ["scipy"]}}')
    >>> assignment = read_assignment(path)
    >>> assignment.name, list(assignment.tests), assignment.forbid
    ('demo', ['q1'], {'q1': ['scipy']})
    >>> read_assignment(path.with_name("missing.zip"))
    Traceback (most recent call last):
    ...
    ValueError: autograder .../missing.zip is not an otter autograder zip: ...
    """
    try:
        autograder = as_path("autograder", autograder)
        with zipfile.ZipFile(autograder) as archive:
            contents = {i.filename: archive.read(i) for i in archive.infolist() if not i.is_dir()}
    except (zipfile.BadZipFile, FileNotFoundError, IsADirectoryError) as error:
        raise ValueError(f"autograder {autograder} is not an otter autograder zip: {error}") from None
    config = json.loads(contents.get("otter_config.json", b"{}"))
    judge = json.loads(contents.get("judge.json", b"{}"))
    tests = {}
    for name in sorted(n for n in contents if n.startswith("tests/") and n.endswith(".py")):
        test = load_test_file(contents[name].decode("utf-8"), name)
        tests[test.name] = test
    if not tests:
        raise ValueError(f"autograder {autograder} holds no tests/*.py; build it with course-grade assign.")
    data = {n: b for n, b in contents.items() if "/" not in n and n not in OTTER_FILES}
    data.update({n[len("files/"):]: b for n, b in contents.items() if n.startswith("files/") and n.count("/") == 1})
    return Assignment(config.get("assignment_name"), dict(sorted(tests.items(), key=lambda kv: (len(kv[0]), kv[0]))),
                      data, {q: list(m) for q, m in judge.get("forbid", {}).items()})


def score_question(test: TestFile, passed: dict[str, bool]) -> float:
    """Points earned on one question, as otter counts them.

    Parameters
    ----------
    test : TestFile
        The question's test file (from :func:`load_test_file`).
    passed : dict
        Case name to whether it passed; a case missing here did not pass.

    Returns
    -------
    float

    Raises
    ------
    TypeError
        If ``test`` is not a :class:`TestFile` or ``passed`` is not a dict.

    Examples
    --------
    >>> from course_lib.grading.testfiles import Case
    >>> test = TestFile("q1", 3.0, [Case("a", 1.0, False, None, []), Case("b", 2.0, True, None, [])])
    >>> score_question(test, {"a": True, "b": False})
    1.0
    """
    if not isinstance(test, TestFile):
        raise TypeError(f"test must be a TestFile (from load_test_file); got {type(test).__name__}.")
    passed = as_mapping("passed", passed, what="case name -> passed")
    if test.all_or_nothing:
        return test.points if all(passed.get(c.name) for c in test.cases) else 0.0
    return float(sum(c.points for c in test.cases if passed.get(c.name)))


def judge_notebook(assignment: Assignment, notebook: dict, files: dict[str, bytes], work: Path, options: dict,
                   log) -> dict:
    r"""Run ``notebook`` in a sandboxed kernel and its tests here; return scores, notes and feedback.

    Parameters
    ----------
    assignment : Assignment
    notebook : dict
        The parsed submission.
    files : dict
        The submission's other files (name to bytes), e.g. ``denoised.npy``.
    work : Path
        Empty private folder for this submission (removed by the caller).
    options : dict
        ``timeout``, ``cell_timeout``, ``call_timeout``, ``start_timeout``, ``memory_mb``, ``isolation``.
    log : binary file
        The instructor's log for this submission.

    Returns
    -------
    dict
        ``scores`` (question to points), ``max_score``, ``notes``, ``feedback`` (public results only),
        ``timed_out``.

    Examples
    --------
    >>> import tempfile
    >>> source = ("from otter.test_files import test_case\nname = 'q1'\npoints = 1\n"
    ...           "@test_case(hidden=False)\ndef test_x(x):\n    assert x == 3, 'x should be 3'\n")
    >>> assignment = Assignment("demo", {"q1": load_test_file(source)})
    >>> notebook = {"cells": [{"cell_type": "code", "source": "x = 1 + 2", "metadata": {}}]}
    >>> options = {"timeout": 60, "cell_timeout": 20, "call_timeout": 20, "start_timeout": 60, "memory_mb": 2048,
    ...            "isolation": "none"}  # a trusted notebook; students' run in isolation_mode()
    >>> work = Path(tempfile.mkdtemp())
    >>> (work / "run").mkdir()
    >>> with open(work / "log", "wb") as log:
    ...     result = judge_notebook(assignment, notebook, {}, work / "run", options, log)
    >>> result["scores"], result["feedback"]
    ({'q1': 1.0}, ['q1 results: All test cases passed! (1 test case)'])
    """
    started = time.monotonic()
    cells = [c.get("source", "") for c in notebook.get("cells", []) if c.get("cell_type") == "code"
             and "otter_ignore" not in c.get("metadata", {}).get("tags", [])]
    cells = ["".join(c) if isinstance(c, list) else str(c) for c in cells]
    hide = sandbox.module_paths(sorted({m for mods in assignment.forbid.values() for m in mods}))
    trusted = work / "trusted"
    trusted.mkdir()
    for name, data in files.items():
        if name not in assignment.data:
            (trusted / name).write_bytes(data)
    for name, data in assignment.data.items():  # the judge's own copies always win
        (trusted / name).write_bytes(data)
    kernel_files = {n: d for n, d in files.items()}
    for name, data in assignment.data.items():
        kernel_files.setdefault(name, data)
    session = Session(cells, kernel_files, work, options, hide, log)
    passed: dict[str, dict[str, bool]] = {q: {} for q in assignment.tests}
    public: dict[str, list] = {q: [] for q in assignment.tests}
    timed_out = False
    previous = os.getcwd()
    try:
        try:
            timed_out = not session.run_all(started + options["timeout"])
        except KernelGone as gone:
            session.notes.append(f"the kernel did not start: {gone}")
        order = [(q, c) for q, t in assignment.tests.items() for c in t.cases if not c.hidden]
        order += [(q, c) for q, t in assignment.tests.items() for c in t.cases if c.hidden]
        os.chdir(trusted)
        for question, case in order:
            if timed_out or time.monotonic() - started > options["timeout"]:
                timed_out = True
                break
            ok, message = _run_case(session, case)
            passed[question][case.name] = ok
            if not case.hidden:
                public[question].append((case, ok, message))
    finally:
        os.chdir(previous)
        session.kernel.stop()
    scores = {q: score_question(t, passed[q]) for q, t in assignment.tests.items()}
    maximum = sum(t.points for t in assignment.tests.values())
    feedback = [summary(q, public[q]) for q in assignment.tests if public[q]]
    return {"scores": scores, "max_score": maximum, "notes": session.notes, "feedback": feedback,
            "timed_out": timed_out, "cell_errors": session.errors}


def _run_case(session: Session, case) -> tuple[bool, str]:
    try:
        values = [None if p == "env" else session.value(p) for p in case.params]
    except (KernelGone, wire.WireError) as error:
        return False, f"could not read your answer: {error}"
    if any(unanswered(v) for v in values):
        return False, NOT_ANSWERED
    try:
        case.func(*values)
        return True, ""
    except KernelGone as gone:
        return False, f"your code {gone} during this test"
    except wire.WireError as error:
        return False, f"your function returned something that is not plain data ({error})"
    except StudentError as error:
        return False, f"your code raised {error}"
    except Exception as error:  # the test failed
        return False, failure_message(error)


def clean_work_root(root: Path) -> list[Path]:
    """Remove work folders left by graders that are no longer running; return what was removed.

    A work folder is ``<root>/<pid>-<n>``; it is stale when no process has that pid.

    Examples
    --------
    >>> import os, tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> (root / f"{os.getpid()}-1").mkdir()  # this process is alive: kept
    >>> (root / "999999999-1").mkdir()  # no such process: a crashed grader's leftovers
    >>> [folder.name for folder in clean_work_root(root)], sorted(p.name for p in root.iterdir()) == [f"{os.getpid()}-1"]
    (['999999999-1'], True)
    """
    import psutil

    removed = []
    root = as_path("root", root)
    if not root.is_dir():
        return removed
    for folder in root.iterdir():
        pid = folder.name.split("-")[0]
        if not pid.isdigit() or not psutil.pid_exists(int(pid)):
            _remove(folder)
            removed.append(folder)
    return removed


def _remove(folder: Path) -> None:
    """Remove a work folder, unmounting anything a killed sandbox left mounted."""
    shutil.rmtree(folder, ignore_errors=True)
