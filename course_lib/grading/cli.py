"""Instructor grading: build the exercises with otter-grader and grade submissions safely.

Command line (installed as ``course-grade``)::

    course-grade assign [--exercises exercises] [--build exercises/_build] [--no-run-tests] [--update-package-tests]
    course-grade grade --autograder ZIP --submissions DIR --out grades.csv [--workers 2] [--timeout 300]
                       [--memory-mb 4096] [--network auto|require|allow] [--retry-failed]

``grade`` runs each submission through ``otter run`` in its own process (see
:mod:`course_lib.grading.sandbox` for the limits), in parallel, and writes next to the CSV a
folder ``<out>_files/`` with ``<submission>.log`` (everything the run printed, for the
instructor) and ``<submission>.feedback.md`` (scores and public-test results, for the student).
The CSV is rewritten atomically after every submission (:mod:`course_lib.grading.gradebook`), so a
killed run resumes where it stopped. Exit status: 0 when every submission was graded, 1 when
some failed or timed out, 2 on a usage error.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import zipfile
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

from course_lib._validation import as_choice, as_float, as_int
from course_lib.grading.gradebook import Gradebook, file_hash
from course_lib.grading.inspection import SubmissionError, load_submission
from course_lib.grading.sandbox import run_isolated

SUBMISSION_SUFFIXES = (".ipynb", ".zip")
#: Environment of the grading child: nothing of the instructor's shell is passed on.
CHILD_ENVIRONMENT = {
    "COURSE_PROFILE": "quick", "COURSE_DATA": "offline", "MPLBACKEND": "Agg", "PYTHONHASHSEED": "0",
    "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
    "TF_CPP_MIN_LOG_LEVEL": "3", "PYDEVD_DISABLE_FILE_VALIDATION": "1", "LANG": "C.UTF-8",
}


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
        with zipfile.ZipFile(autograder) as archive:
            names = archive.namelist()
            config = json.loads(archive.read("otter_config.json")) if "otter_config.json" in names else {}
    except (zipfile.BadZipFile, FileNotFoundError, json.JSONDecodeError) as error:
        raise ValueError(f"autograder {autograder} is not an otter autograder zip: {error}") from None
    questions = sorted(Path(n).stem for n in names if n.startswith("tests/") and n.endswith(".py"))
    if not questions:
        raise ValueError(f"autograder {autograder} holds no tests/*.py; build it with course-grade assign.")
    return config.get("assignment_name"), questions


def feedback_markdown(name: str, results: dict) -> str:
    """Student feedback from otter's ``results.json``: scores, and public-test output only.

    Examples
    --------
    >>> results = {"tests": [{"name": "Public Tests", "visibility": "visible", "output": "q1 results: All test cases passed!"},
    ...                      {"name": "q1", "score": 1.0, "max_score": 2.0, "visibility": "hidden", "output": "secret"}]}
    >>> print(feedback_markdown("ada.ipynb", results))
    # Feedback for ada.ipynb
    <BLANKLINE>
    Score: 1 / 2
    <BLANKLINE>
    - q1: 1 / 2
    <BLANKLINE>
    ## Public Tests
    <BLANKLINE>
    ```
    q1 results: All test cases passed!
    ```
    """
    questions = [t for t in results.get("tests", []) if "max_score" in t]
    score = sum(t.get("score") or 0 for t in questions)
    possible = sum(t.get("max_score") or 0 for t in questions)
    lines = [f"# Feedback for {name}", "", f"Score: {score:g} / {possible:g}", ""]
    lines += [f"- {t['name']}: {t.get('score') or 0:g} / {t['max_score']:g}" for t in questions]
    for test in results.get("tests", []):
        if test.get("visibility") == "visible" and "max_score" not in test:  # hidden output never shown
            lines += ["", f"## {test['name']}", "", "```", str(test.get("output", ""))[:20000], "```"]
    return "\n".join(lines)


def _grade_one(path: Path, autograder: Path, files: Path, assignment: str | None, options: dict) -> dict:
    """Grade one submission in its own work folder; return its gradebook row."""
    row = {"submission": path.name, "sha256": file_hash(path), "flags": "", "notes": ""}
    log_path = files / f"{path.name}.log"
    work = Path(tempfile.mkdtemp(prefix="grade-"))
    try:
        try:
            submission = load_submission(path, assignment_name=assignment)
        except SubmissionError as error:
            log_path.write_text(f"not graded: {error}\n", encoding="utf-8")
            return {**row, "status": "failed", "notes": str(error)}
        row["flags"] = "; ".join(submission.flags)
        row["notes"] = "; ".join(submission.notes)
        folder = work / "submission"
        folder.mkdir()
        # A neutral file name: the student's name for the file is not trusted or needed.
        (folder / "submission.ipynb").write_text(json.dumps(submission.notebook), encoding="utf-8")
        for name, data in submission.extra_files.items():
            if name != "submission.ipynb":
                (folder / name).write_bytes(data)
        target = work / "results"
        target.mkdir()
        if submission.extra_files:
            bundle = folder / "submission.zip"
            with zipfile.ZipFile(bundle, "w") as archive:
                for item in sorted(folder.iterdir()):
                    if item != bundle:
                        archive.write(item, item.name)
            to_run = bundle
        else:
            to_run = folder / "submission.ipynb"
        env = {**CHILD_ENVIRONMENT, "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(work),
               "TMPDIR": str(work), "JUPYTER_RUNTIME_DIR": str(work / "runtime"),
               "JUPYTER_DATA_DIR": str(work / "data"), "IPYTHONDIR": str(work / "ipython")}
        command = [sys.executable, "-m", "otter", "run", "-a", str(autograder), "-o", str(target), "--no-logo", str(to_run)]
        outcome = run_isolated(command, log_path=log_path, cwd=work, env=env, timeout=options["timeout"],
                               memory_mb=options["memory_mb"], network=options["network"])
        row.update(seconds=outcome.seconds, network_isolated=outcome.isolated)
        results_path = target / "results.json"
        if outcome.timed_out:
            return {**row, "status": "timeout", "notes": _join(row["notes"], f"killed after {options['timeout']:g} s")}
        if not outcome.ok or not results_path.exists():
            return {**row, "status": "failed", "notes": _join(row["notes"], f"otter run exited with {outcome.returncode}; see log")}
        results = json.loads(results_path.read_text(encoding="utf-8"))
        (files / f"{path.name}.feedback.md").write_text(feedback_markdown(path.name, results), encoding="utf-8")
        questions = {t["name"]: t.get("score") or 0 for t in results.get("tests", []) if "max_score" in t}
        maximum = sum(t["max_score"] or 0 for t in results.get("tests", []) if "max_score" in t)
        return {**row, **questions, "status": "graded", "score": sum(questions.values()), "max_score": maximum}
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _join(*parts: str) -> str:
    return "; ".join(p for p in parts if p)


def grade_submissions(
    autograder: str | Path,
    submissions: str | Path,
    out: str | Path,
    *,
    workers: int = 2,
    timeout: float = 300.0,
    memory_mb: int = 4096,
    network: str = "auto",
    retry_failed: bool = False,
    progress=print,
) -> dict[str, int]:
    """Grade every ``.ipynb``/``.zip`` in ``submissions`` into the gradebook ``out``.

    Parameters
    ----------
    autograder : path
        Autograder zip from ``course-grade assign``.
    submissions : path
        Folder of submissions, one file each (the file name identifies the student).
    out : path
        Gradebook CSV; an existing one is resumed.
    workers : int, keyword-only
        Submissions graded at the same time.
    timeout : float, keyword-only
        Wall-clock seconds per submission.
    memory_mb : int, keyword-only
        Address-space limit per process, in MiB.
    network : {"auto", "require", "allow"}, keyword-only
        See :func:`course_lib.grading.sandbox.run_isolated`.
    retry_failed : bool, keyword-only
        Regrade rows that failed or timed out instead of keeping them.
    progress : callable, keyword-only
        Called with one line per finished submission.

    Returns
    -------
    dict
        Counts: ``graded``, ``failed``, ``timeout``, ``flagged`` over the whole gradebook, and
        ``skipped`` (already in ``out``).

    Raises
    ------
    ValueError
        If the autograder or the folder is unusable, or an option is out of range.

    See Also
    --------
    course_lib.grading.assign.assign_master : builds the autograder zip.
    """
    autograder, submissions, out = Path(autograder).resolve(), Path(submissions), Path(out).resolve()
    workers = as_int("workers", workers, minimum=1)
    options = {"timeout": as_float("timeout", timeout, minimum=1.0), "memory_mb": as_int("memory_mb", memory_mb, minimum=256),
               "network": as_choice("network", network, ("auto", "require", "allow"))}
    if not submissions.is_dir():
        raise ValueError(f"submissions must be a folder of .ipynb/.zip files; {submissions} is not a folder.")
    assignment, questions = read_autograder(autograder)
    book = Gradebook(out, questions=questions)
    files = out.with_name(out.stem + "_files")
    files.mkdir(parents=True, exist_ok=True)
    paths = sorted(p for p in submissions.iterdir() if p.is_file() and p.suffix.lower() in SUBMISSION_SUFFIXES)
    todo = [p for p in paths if not book.is_done(p.name, file_hash(p), retry_failed=retry_failed)]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {pool.submit(_grade_one, p, autograder, files, assignment, options): p for p in todo}
        for future in as_completed(futures):
            row = future.result()
            book.record(row)
            progress(f"{row['submission']}: {row['status']} {row.get('score', '')} {row.get('flags', '')}".rstrip())
    counts = {**book.counts(), "skipped": len(paths) - len(todo)}
    progress("summary: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return counts


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
    grade.add_argument("--memory-mb", type=int, default=4096)
    grade.add_argument("--network", choices=("auto", "require", "allow"), default="auto")
    grade.add_argument("--retry-failed", action="store_true")
    assign = commands.add_parser("assign", help="build student notebooks and autograder zips")
    assign.add_argument("--exercises", default="exercises")
    assign.add_argument("--build", default="exercises/_build")
    assign.add_argument("--no-run-tests", action="store_true")
    assign.add_argument("--update-package-tests", action="store_true")
    args = parser.parse_args(argv)
    try:
        if args.command == "grade":
            counts = grade_submissions(args.autograder, args.submissions, args.out, workers=args.workers,
                                       timeout=args.timeout, memory_mb=args.memory_mb, network=args.network,
                                       retry_failed=args.retry_failed)
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
