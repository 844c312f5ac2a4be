"""Instructor grading: build the exercises with otter-grader and grade submissions safely.

Command line (installed as ``course-grade``)::

    course-grade assign [--exercises exercises] [--build exercises/_build] [--no-run-tests] [--update-package-tests]
    course-grade grade --autograder ZIP --submissions DIR --out grades.csv [--workers 2] [--timeout 300]
                       [--cell-timeout 60] [--memory-mb 4096] [--isolation auto|root|userns|none] [--retry-failed]
                       [--scheduler tcp://HOST:8786 | --scheduler local:N]

``grade`` grades each submission with :func:`course_lib.grading.judge.judge_notebook` (the
student's code in a sandboxed kernel, the tests in a trusted process), several at a time in
separate processes (or, with ``--scheduler``, as tasks on a Dask cluster:
:mod:`course_lib.grading.cluster`), and writes next to the CSV a
folder ``<out>_files/`` with ``<submission>.log`` (everything the run printed, for the
instructor) and ``<submission>.feedback.md`` (scores and public-test results, for the student).
The CSV is rewritten atomically after every submission (:mod:`course_lib.grading.gradebook`), so a
killed run resumes where it stopped. Exit status: 0 when every submission was graded, 1 when
some failed or timed out, 2 on a usage error.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import sys
import zipfile
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from course_lib._validation import as_choice, as_float, as_int, as_path
from course_lib.grading.gradebook import Gradebook, failed_row, file_hash
from course_lib.grading.progress import Progress
from course_lib.grading.submission import (  # noqa: F401 (feedback_markdown: the old name's home)
    WORK_ROOT, feedback_markdown, grade_submission)


def read_autograder(autograder: str | Path) -> tuple[str | None, list[str]]:
    """Assignment name and question names stored in an otter autograder zip.

    Parameters
    ----------
    autograder : path
        Zip written by ``otter assign``.

    Returns
    -------
    tuple
        ``(assignment_name or None, ["q1", "q2", ...])``.

    Raises
    ------
    ValueError
        If the file is not an otter autograder zip.

    Examples
    --------
    >>> import tempfile, zipfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "ag.zip")
    >>> with zipfile.ZipFile(path, "w") as z:
    ...     z.writestr("otter_config.json", '{"assignment_name": "conv"}')
    ...     z.writestr("tests/q2.py", ""); z.writestr("tests/q1.py", "")
    >>> read_autograder(path)
    ('conv', ['q1', 'q2'])
    """
    try:
        autograder = as_path("autograder", autograder)
        with zipfile.ZipFile(autograder) as archive:
            names = archive.namelist()
            config = json.loads(archive.read("otter_config.json")) if "otter_config.json" in names else {}
    except (zipfile.BadZipFile, FileNotFoundError, json.JSONDecodeError) as error:
        raise ValueError(f"autograder {autograder} is not an otter autograder zip: {error}") from None
    questions = sorted(Path(n).stem for n in names if n.startswith("tests/") and n.endswith(".py"))
    if not questions:
        raise ValueError(f"autograder {autograder} holds no tests/*.py; build it with course-grade assign.")
    return config.get("assignment_name"), questions


def grade_submissions(
    autograder: str | Path,
    submissions: str | Path,
    out: str | Path,
    *,
    workers: int = 2,
    timeout: float = 300.0,
    cell_timeout: float = 60.0,
    memory_mb: int = 4096,
    isolation: str = "auto",
    network: str | None = None,
    retry_failed: bool = False,
    scheduler: str | None = None,
    progress=print,
    bar: bool = False,
) -> dict[str, int]:
    r"""Grade every file in ``submissions`` into the gradebook ``out``.

    Parameters
    ----------
    autograder : path
        Autograder zip from ``course-grade assign``.
    submissions : path
        Folder of submissions, one file each (the file name identifies the student). Every
        file gets a row: ``.ipynb``/``.zip`` are graded, anything else fails with the reason.
    out : path
        Gradebook CSV; an existing one is resumed.
    workers : int, keyword-only
        Submissions graded at the same time (separate processes).
    timeout : float, keyword-only
        Wall-clock seconds per submission.
    cell_timeout : float, keyword-only
        Seconds one code cell (or one call of a student's function) may run before the kernel is
        restarted without it.
    memory_mb : int, keyword-only
        Resident memory of the kernel's whole process tree, in MiB (also each process's address space).
    isolation : {"auto", "root", "userns", "none"}, keyword-only
        ``"auto"`` takes the best of :func:`course_lib.grading.sandbox.isolation_mode` and refuses
        to run without one; ``"none"`` runs the student's code unconfined (only for trusted
        notebooks, see ``book/instructors.md``).
    network : None, keyword-only
        Accepted for old scripts; ``"allow"`` means ``isolation="none"``.
    retry_failed : bool, keyword-only
        Regrade rows that failed or timed out instead of keeping them.
    scheduler : str, keyword-only
        ``"tcp://HOST:PORT"`` (a running Dask scheduler) or ``"local:N"`` (a Dask cluster of N
        worker processes here) grades each submission as a Dask task
        (:mod:`course_lib.grading.cluster`, needs ``course_lib[cluster]``); ``workers`` is then
        unused. ``None`` (the default) grades in a local process pool, without Dask.
    progress : callable, keyword-only
        Called with one line per finished submission (with the count, rate and time left), and
        a summary.
    bar : bool, keyword-only
        Also draw a progress bar (for an interactive terminal).

    Returns
    -------
    dict
        Counts: ``graded``, ``failed``, ``timeout``, ``flagged`` over the whole gradebook, and
        ``skipped`` (already in ``out``).

    Raises
    ------
    ValueError
        If the autograder or the folder is unusable, or an option is out of range.
    RuntimeError
        If ``isolation="auto"`` and this machine (or a Dask worker) offers none, or the Dask
        scheduler cannot be reached.

    See Also
    --------
    course_lib.grading.assign.assign_master : builds the autograder zip.
    course_lib.grading.judge.judge_notebook : grades one notebook.

    Examples
    --------
    An autograder with one test and two submissions: a notebook, and a file that is no notebook
    (it gets a row too, failed with the reason):

    >>> import json, tempfile, zipfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> test = ("from otter.test_files import test_case\nname = 'q1'\npoints = 1\n"
    ...         "@test_case(hidden=False)\ndef test_x(x):\n    assert x == 3, 'x should be 3'\n")
    >>> with zipfile.ZipFile(folder / "demo-autograder.zip", "w") as archive:
    ...     archive.writestr("otter_config.json", json.dumps({"assignment_name": "demo"}))
    ...     archive.writestr("tests/q1.py", test)
    >>> (folder / "submissions").mkdir()
    >>> notebook = {"cells": [{"cell_type": "code", "source": "x = 3", "metadata": {}, "outputs": [],
    ...                        "execution_count": None}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    >>> _ = (folder / "submissions" / "alice.ipynb").write_text(json.dumps(notebook))
    >>> _ = (folder / "submissions" / "bob.txt").write_text("my answer is 3")
    >>> counts = grade_submissions(folder / "demo-autograder.zip", folder / "submissions", folder / "grades.csv",
    ...                            workers=1, isolation="none", progress=lambda line: None)  # trusted: no sandbox
    >>> counts["graded"], counts["failed"]
    (1, 1)
    """
    from course_lib.grading.judge import clean_work_root, read_assignment
    from course_lib.grading.sandbox import isolation_mode

    autograder, submissions, out = Path(autograder).resolve(), Path(submissions), Path(out).resolve()
    workers = as_int("workers", workers, minimum=1)
    if network is not None:
        network = as_choice("network", network, ("auto", "require", "allow"))
        if network == "allow":
            isolation = "none"
    isolation = as_choice("isolation", isolation, ("auto", "root", "userns", "none"))
    options = {"timeout": as_float("timeout", timeout, minimum=1.0),
               "cell_timeout": as_float("cell_timeout", cell_timeout, minimum=0.5),
               "memory_mb": as_int("memory_mb", memory_mb, minimum=256)}
    options["call_timeout"] = options["cell_timeout"]
    options["start_timeout"] = max(60.0, options["cell_timeout"])
    if not submissions.is_dir():
        raise ValueError(f"submissions must be a folder of .ipynb/.zip files; {submissions} is not a folder.")
    assignment = read_assignment(autograder)
    if scheduler is not None:
        _cluster().parse_scheduler(scheduler)  # a Dask worker picks its own sandbox ("auto"), never none
    elif isolation == "auto":
        isolation = isolation_mode()
        if isolation == "none":
            raise RuntimeError("no sandbox on this machine (neither root nor user namespaces with unshare and "
                               "setpriv); see book/instructors.md, or pass isolation='none' for trusted notebooks only.")
    options["isolation"] = isolation
    WORK_ROOT.mkdir(mode=0o700, parents=True, exist_ok=True)
    for stale in clean_work_root(WORK_ROOT):
        progress(f"removed the stale work folder {stale}")
    book = Gradebook(out, questions=list(assignment.tests))
    files = out.with_name(out.stem + "_files")
    files.mkdir(parents=True, exist_ok=True)
    paths = sorted(p for p in submissions.iterdir() if p.is_file())
    todo = [p for p in paths if not book.is_done(p.name, file_hash(p), retry_failed=retry_failed)]
    counter = Progress(len(todo), write=progress, bar=bar)
    try:
        for row in _results(todo, autograder, files, options, workers, scheduler, progress):
            book.record(row)
            counter.done(row)
    finally:
        counter.close()
    counts = {**book.counts(), "skipped": len(paths) - len(todo)}
    progress("summary: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return counts


def _cluster():
    """:mod:`course_lib.grading.cluster`, imported only now: the local pool needs no Dask."""
    try:
        from course_lib.grading import cluster
    except ImportError as error:
        raise RuntimeError(f"--scheduler needs Dask distributed here and on the workers ({error}): "
                           "pip install 'course_lib[cluster]'.") from None
    return cluster


def _results(todo: list[Path], autograder: Path, files: Path, options: dict, workers: int, scheduler: str | None,
             say) -> Iterator[dict]:
    """Rows as submissions finish: from a local process pool, or from a Dask cluster."""
    if scheduler is not None:
        yield from (row for _, row in _cluster().grade_on_cluster(scheduler, todo, autograder, files, options, say=say))
        return
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        futures = {pool.submit(grade_submission, p, autograder, files, options): p for p in todo}
        for future in as_completed(futures):
            try:
                yield future.result()
            except Exception as error:  # the judge itself failed on this one: record it, go on
                yield failed_row(futures[future], f"grader error: {type(error).__name__}: {error}")


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``course-grade``; returns the exit status.

    Examples
    --------
    >>> main(["grade", "--autograder", "missing.zip", "--submissions", ".", "--out", "x.csv"])
    course-grade: autograder .../missing.zip is not an otter autograder zip: ...
    2
    """
    parser = argparse.ArgumentParser(prog="course-grade", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    grade = commands.add_parser("grade", help="grade a folder of submissions")
    grade.add_argument("--autograder", required=True)
    grade.add_argument("--submissions", required=True)
    grade.add_argument("--out", required=True)
    grade.add_argument("--workers", type=int, default=2)
    grade.add_argument("--timeout", type=float, default=300.0)
    grade.add_argument("--cell-timeout", type=float, default=60.0)
    grade.add_argument("--memory-mb", type=int, default=4096)
    grade.add_argument("--isolation", choices=("auto", "root", "userns", "none"), default="auto")
    grade.add_argument("--retry-failed", action="store_true")
    grade.add_argument("--scheduler", default=None, help="tcp://HOST:PORT of a Dask scheduler, or local:N")
    assign = commands.add_parser("assign", help="build student notebooks and autograder zips")
    assign.add_argument("--exercises", default="exercises")
    assign.add_argument("--build", default="exercises/_build")
    assign.add_argument("--no-run-tests", action="store_true")
    assign.add_argument("--update-package-tests", action="store_true")
    args = parser.parse_args(argv)
    try:
        if args.command == "grade":
            counts = grade_submissions(args.autograder, args.submissions, args.out, workers=args.workers,
                                       timeout=args.timeout, cell_timeout=args.cell_timeout, memory_mb=args.memory_mb,
                                       isolation=args.isolation, retry_failed=args.retry_failed,
                                       scheduler=args.scheduler, bar=sys.stdout.isatty())
            return 0 if counts["failed"] == counts["timeout"] == 0 else 1
        from course_lib.grading.assign import assign_all

        problems = assign_all(args.exercises, args.build, run_tests=not args.no_run_tests,
                              update_package_tests=args.update_package_tests, progress=print)
        for problem in problems:
            print(f"course-grade: {problem}", file=sys.stderr)
        return 1 if problems else 0
    except (ValueError, RuntimeError) as error:
        print(f"course-grade: {error}")
        return 2


if __name__ == "__main__":
    sys.exit(main())
