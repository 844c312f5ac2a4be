"""Public tests of the graded exercises, shipped inside ``course_lib``.

``course-grade assign`` builds each master notebook in ``exercises/`` with otter-grader and
copies the student version's *public* tests here (one folder per exercise, one ``qN.py`` per
question). A student notebook starts with ``grader = exercise_tests.grader("conv")``: its
``grader.check("q1")`` then reads the tests from the installed package, so it works in Colab
(where the notebook file is not on disk) and after the notebook is renamed. Hidden tests never
come here; they exist only in the autograder zip.
"""

from __future__ import annotations

from pathlib import Path

from course_lib._validation import as_choice

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


def grader(exercise: str):
    """Return an otter-grader ``Notebook`` whose ``check`` runs the installed public tests.

    Parameters
    ----------
    exercise : str
        One of :func:`available`.

    Returns
    -------
    otter.Notebook
        ``grader.check("q1")`` runs the public tests of question 1 in the caller's namespace.
        When otter grades the notebook, otter points the same object at the full tests.

    Raises
    ------
    ValueError
        If ``exercise`` is unknown.
    ImportError
        If otter-grader is not installed (``pip install "course_lib[grading]"``).

    See Also
    --------
    course_lib.grading : builds the student notebooks and grades submissions.

    Examples
    --------
    >>> checker = grader("conv")
    >>> type(checker).__name__
    'Notebook'
    """
    folder = tests_dir(exercise)
    try:
        import otter
    except ImportError as error:  # pragma: no cover - depends on the environment
        raise ImportError(
            'grader needs otter-grader; install it with pip install "course_lib[grading]".'
        ) from error
    return otter.Notebook(tests_dir=str(folder))
