"""One submission, graded: the unit of work of ``course-grade grade``, and the student's feedback.

:func:`grade_submission` reads the file, runs the judge (:mod:`course_lib.grading.judge`) in a
private work folder under :data:`WORK_ROOT`, writes the instructor's log and the student's
feedback, and returns the gradebook row. The local process pool and a Dask cluster
(:mod:`course_lib.grading.cluster`) both run this same function.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

from course_lib._validation import as_choice, as_mapping, as_names, as_path
from course_lib.grading.gradebook import file_hash
from course_lib.grading.inspection import SubmissionError, load_submission

SUBMISSION_SUFFIXES = (".ipynb", ".zip")
#: Parent of the per-submission work folders (``<pid>-<n>``); stale ones are removed at start.
WORK_ROOT = Path(tempfile.gettempdir()) / "course-grade-work"
#: What ``options["isolation"]`` may be when a submission is graded (``"auto"`` resolved before).
RESOLVED_ISOLATIONS = ("root", "userns", "none")



def _as_grading_paths(autograder, files) -> tuple[Path, Path]:
    """The autograder zip (an existing file) and the folder for logs and feedback (an existing folder)."""
    autograder = as_path("autograder", autograder)
    if not autograder.is_file():
        raise ValueError(f"autograder must be the autograder zip (a file); got {str(autograder)!r}, which is not a "
                         "file. Build it with course-grade assign.")
    files = as_path("files", files)
    if not files.is_dir():
        raise ValueError(f"files must be an existing folder (it receives the logs and feedback); got "
                         f"{str(files)!r}. Create it first: files.mkdir(parents=True).")
    return autograder, files

def _as_options(name: str, value, isolations: Iterable[str] = RESOLVED_ISOLATIONS) -> dict:
    """A copy of the judge's options ``value``, refusing a non-dict or a missing or unknown ``isolation``.

    Parameters
    ----------
    name : str
        The argument's name, for the message.
    value : dict
        The judge's options (:func:`course_lib.grading.judge.judge_notebook`).
    isolations : iterable of str
        The values ``value["isolation"]`` may take.

    Returns
    -------
    dict

    Raises
    ------
    TypeError
        If ``value`` is not a dict.
    ValueError
        If ``value["isolation"]`` is missing or not one of ``isolations``.

    Examples
    --------
    >>> _as_options("options", {"isolation": "none", "timeout": 60})
    {'isolation': 'none', 'timeout': 60}
    >>> _as_options("options", {"timeout": 60})
    Traceback (most recent call last):
    ...
    ValueError: options must have an 'isolation' key, one of 'root', 'userns', 'none'; got the keys ['timeout'].
    """
    options = dict(as_mapping(name, value, what="the judge's options, option -> value"))
    isolations = tuple(isolations)
    if "isolation" not in options:
        choices = ", ".join(repr(i) for i in isolations)
        raise ValueError(f"{name} must have an 'isolation' key, one of {choices}; got the keys {sorted(map(str, options))}.")
    as_choice(f"{name}['isolation']", options["isolation"], isolations)
    return options


def feedback_markdown(name: str, scores: dict, max_scores: dict, public: list[str]) -> str:
    """Student feedback: scores per question and the public tests' results, nothing hidden.

    Examples
    --------
    >>> print(feedback_markdown("ada.ipynb", {"q1": 1.0}, {"q1": 2.0}, ["q1 results: All test cases passed! (1 test case)"]))
    # Feedback for ada.ipynb
    <BLANKLINE>
    Score: 1 / 2
    <BLANKLINE>
    - q1: 1 / 2
    <BLANKLINE>
    ## Public tests
    <BLANKLINE>
    ```
    q1 results: All test cases passed! (1 test case)
    ```
    """
    scores = as_mapping("scores", scores, what="question -> points")
    max_scores = as_mapping("max_scores", max_scores, what="question -> maximum points")
    lines = [f"# Feedback for {name}", "", f"Score: {sum(scores.values()):g} / {sum(max_scores.values()):g}", ""]
    lines += [f"- {q}: {scores.get(q, 0):g} / {m:g}" for q, m in max_scores.items()]
    public = as_names("public", public)
    if public:
        lines += ["", "## Public tests", "", "```", "\n\n".join(public)[:20000], "```"]
    return "\n".join(lines)


def grade_submission(path: Path, autograder: Path, files: Path, options: dict) -> dict:
    """Grade one submission file in its own work folder; return its gradebook row.

    The unit of work of ``course-grade grade``: the local pool runs it in a process, a Dask
    cluster in a task (:func:`course_lib.grading.cluster.grade_task`).

    Parameters
    ----------
    path : Path
        The submission (``.ipynb`` or ``.zip``; any other file gets a ``failed`` row).
    autograder : Path
        The autograder zip.
    files : Path
        Folder that receives ``<name>.log`` and ``<name>.feedback.md``.
    options : dict
        The judge's options (:func:`course_lib.grading.judge.judge_notebook`), ``isolation`` resolved.

    Returns
    -------
    dict
        The gradebook row.

    Raises
    ------
    TypeError
        If ``path``, ``autograder`` or ``files`` is not a path, or ``options`` not a dict.
    ValueError
        If ``path`` or ``autograder`` is not a file, ``files`` not a folder, or ``options`` has no
        resolved ``isolation`` (one of :data:`RESOLVED_ISOLATIONS`).

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "notes.txt").write_text("x = 3")
    >>> _ = (folder / "ag.zip").write_bytes(b"")  # not read: a .txt file is no submission
    >>> grade_submission(folder / "notes.txt", folder / "ag.zip", folder, {"isolation": "none"})["notes"]
    'not a submission: .txt is not graded; hand in a .ipynb or .zip'
    >>> grade_submission(folder / "notes.txt", folder / "ag.zip", folder, {"isolation": "auto"})
    Traceback (most recent call last):
    ...
    ValueError: options['isolation'] must be one of 'root', 'userns', 'none'; got 'auto'.
    """
    from course_lib.grading.judge import judge_notebook, read_assignment

    path = as_path("path", path)
    if not path.is_file():
        raise ValueError(f"path must be a submission file; got {str(path)!r}, which is not a file.")
    autograder, files = _as_grading_paths(autograder, files)
    options = _as_options("options", options)
    row = {"submission": path.name, "sha256": file_hash(path), "flags": "", "notes": ""}
    log_path = files / f"{path.name}.log"
    if path.suffix.lower() not in SUBMISSION_SUFFIXES:
        log_path.write_text(f"not graded: {path.suffix or 'no'} file type\n", encoding="utf-8")
        return {**row, "status": "failed",
                "notes": f"not a submission: {path.suffix or 'a file without extension'} is not graded; hand in a .ipynb or .zip"}
    assignment = read_assignment(autograder)
    work = WORK_ROOT / f"{os.getpid()}-{path.stem[:40].replace('-', '_')}-{os.urandom(4).hex()}"
    work.mkdir(parents=True)
    try:
        try:
            submission = load_submission(path, assignment_name=assignment.name,
                                         forbid=assignment.forbid, data_files=sorted(assignment.data))
        except SubmissionError as error:
            log_path.write_text(f"not graded: {error}\n", encoding="utf-8")
            return {**row, "status": "failed", "notes": str(error)}
        row["flags"] = "; ".join(submission.flags)
        row["notes"] = "; ".join(submission.notes)
        start = time.monotonic()
        with open(log_path, "wb") as log:
            if options["isolation"] == "none":
                log.write(b"course-grade: NOT isolated (isolation='none'): the student's code ran as the grading user\n")
            result = judge_notebook(assignment, submission.notebook, submission.extra_files, work, options, log)
        row.update(seconds=round(time.monotonic() - start, 2), network_isolated=options["isolation"] != "none")
        notes = _join(row["notes"], *result["notes"])
        if result["timed_out"]:
            return {**row, "status": "timeout", "notes": _join(notes, f"stopped after {options['timeout']:g} s")}
        max_scores = {q: t.points for q, t in assignment.tests.items()}
        (files / f"{path.name}.feedback.md").write_text(
            feedback_markdown(path.name, result["scores"], max_scores, result["feedback"]), encoding="utf-8")
        return {**row, **result["scores"], "status": "graded", "score": sum(result["scores"].values()),
                "max_score": result["max_score"], "notes": notes}
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _join(*parts: str) -> str:
    return "; ".join(p for p in parts if p)
