"""Public tests of the graded exercises, shipped inside ``course_lib``.

``course-grade assign`` builds each master notebook in ``exercises/`` with otter-grader and
copies the student version's *public* tests here (one folder per exercise, one ``qN.py`` per
question). A student notebook starts with ``grader = exercise_tests.grader("conv")``: its
``grader.check("q1")`` then reads the tests from the installed package and runs them with the
small runner of :mod:`course_lib.grading.testfiles` (no otter in the student's runtime), so it
works in Colab (where the notebook file is not on disk) and after the notebook is renamed.
Hidden tests never come here; they exist only in the private autograder zip.
"""

from __future__ import annotations

import inspect
import os
from pathlib import Path

from course_lib._validation import as_choice
from course_lib.grading.testfiles import NOT_ANSWERED, failure_message, load_test_file, summary, unanswered

TESTS_ROOT = Path(__file__).resolve().parent


def available() -> list[str]:
    """Names of the exercises whose public tests are installed.

    Returns
    -------
    list of str
        Sorted folder names, e.g. ``["batchnorm", "conv", ...]``.

    See Also
    --------
    grader : the checker for one of them.

    Examples
    --------
    >>> "conv" in available()
    True
    """
    return sorted(p.name for p in TESTS_ROOT.iterdir() if p.is_dir() and any(p.glob("q*.py")))


def tests_dir(exercise: str) -> Path:
    """Folder holding the public tests of ``exercise``.

    Parameters
    ----------
    exercise : str
        One of :func:`available`.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    ValueError
        If no public tests are installed for ``exercise``.

    Examples
    --------
    >>> sorted(p.name for p in tests_dir("conv").glob("q*.py"))
    ['q1.py', 'q2.py', 'q3.py']
    """
    exercise = as_choice("exercise", exercise, available())
    return TESTS_ROOT / exercise


def data_file(exercise: str, name: str) -> Path:
    """Path of a data file shipped with an exercise (the same file in Colab and on the grader).

    Parameters
    ----------
    exercise : str
        One of :func:`available`.
    name : str
        File name, e.g. ``"restoration_noisy.npy"``.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    ValueError
        If the exercise is unknown or ships no such file.

    Examples
    --------
    >>> data_file("restoration", "restoration_noisy.npy").name
    'restoration_noisy.npy'
    """
    path = tests_dir(exercise) / str(name)
    if path.suffix == ".py" or not path.is_file():
        raise ValueError(f"exercise {exercise!r} ships no data file {name!r}.")
    return path


class CheckResult:
    """Results of one question's public tests; shows otter's summary when displayed.

    Attributes
    ----------
    question : str
    passed : int
    total : int
    text : str
        The summary (``q1 results: All test cases passed! (2 test cases)``).
    """

    def __init__(self, question: str, results: list):
        self.question = question
        self.passed = sum(ok for _, ok, _ in results)
        self.total = len(results)
        self.text = summary(question, results) if results else f"{question}: checked by the grader"

    def __bool__(self) -> bool:
        return self.passed == self.total

    def __repr__(self) -> str:
        return self.text


class Checker:
    """``grader.check("q1")`` for a student notebook: runs the question's public tests in place.

    Parameters
    ----------
    folder : path
        Folder of the ``qN.py`` test files.

    Examples
    --------
    >>> import numpy as np
    >>> checker = grader("conv")
    >>> n_parameters = 4640
    >>> checker.check("q3")
    q3 results: All test cases passed! (1 test case)
    >>> n_parameters = ...
    >>> print(checker.check("q3"))
    q3 results: 0 of 1 test case passed.
        test_q3_diagnosis result:
            not answered yet: replace the `...` (or None, or the NotImplementedError) with your answer
    """

    def __init__(self, folder: str | Path):
        self.folder = Path(folder)

    def questions(self) -> list[str]:
        """Names of the questions with public tests, in order (``q1``, ``q2``, ... ``q10``)."""
        stems = [p.stem for p in self.folder.glob("q*.py")]
        return sorted(stems, key=lambda s: (len(s), s))

    def check(self, question: str, global_env: dict | None = None) -> CheckResult:
        """Run the public tests of ``question`` on the caller's variables.

        Parameters
        ----------
        question : str
            E.g. ``"q1"``; one of :meth:`questions`.
        global_env : dict, optional
            Namespace holding the answers; default: the calling notebook's globals.

        Returns
        -------
        CheckResult

        Raises
        ------
        ValueError
            If the question has no public tests here.
        """
        question = as_choice("question", question, self.questions())
        if os.environ.get("COURSE_GRADING") == "1":  # inside the grader the judge runs the tests itself
            return CheckResult(question, [])
        if global_env is None:
            global_env = inspect.currentframe().f_back.f_globals
        path = self.folder / f"{question}.py"
        tests = load_test_file(path.read_text(encoding="utf-8"), str(path))
        results = []
        for case in tests.cases:
            if case.hidden:
                continue
            values = [global_env if p == "env" else global_env.get(p) for p in case.params]
            if any(unanswered(v) for v in values):
                results.append((case, False, NOT_ANSWERED))
                continue
            try:
                case.func(*values)
                results.append((case, True, ""))
            except Exception as error:  # the student's code may raise anything
                message = failure_message(error)
                choices = [f"{p} = {v!r}" for p, v in zip(case.params, values) if isinstance(v, str)]
                if choices and isinstance(error, AssertionError):
                    message = f"your answer {', '.join(choices)} is not right: " + (
                        message if str(error).strip() else "reread the question and the options, then choose again")
                results.append((case, False, message))
        return CheckResult(question, results)

    def check_all(self, global_env: dict | None = None) -> list[CheckResult]:
        """:meth:`check` every question."""
        if global_env is None:
            global_env = inspect.currentframe().f_back.f_globals
        return [self.check(q, global_env) for q in self.questions()]


def grader(exercise: str) -> Checker:
    """Return the checker whose ``check("q1")`` runs the installed public tests of ``exercise``.

    Needs nothing beyond ``course_lib``: otter-grader is used only on the instructor's side.

    Parameters
    ----------
    exercise : str
        One of :func:`available`.

    Returns
    -------
    Checker

    Raises
    ------
    ValueError
        If ``exercise`` is unknown.

    See Also
    --------
    course_lib.grading.judge : grades the handed-in notebook with the hidden tests as well.

    Examples
    --------
    >>> type(grader("conv")).__name__
    'Checker'
    """
    return Checker(tests_dir(exercise))
