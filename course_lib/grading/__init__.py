"""Graded exercises: build them, check answers in the student's notebook, grade submissions safely.

Modules (import them by name; importing this package imports none of them, so a student's
notebook that only needs :mod:`course_lib.grading.exercise_tests` stays light):

- :mod:`~course_lib.grading.cli` the ``course-grade`` command (``assign`` and ``grade``);
- :mod:`~course_lib.grading.submission` one submission graded: the unit of work, and its feedback;
- :mod:`~course_lib.grading.cluster` ``grade --scheduler``: each submission a Dask task (needs ``course_lib[cluster]``);
- :mod:`~course_lib.grading.progress` the lines a grading run prints: count, rate, time left;
- :mod:`~course_lib.grading.assign` student notebooks and autograder zips from the masters (otter);
- :mod:`~course_lib.grading.exercise_tests` the public tests students may see, and ``grader.check``;
- :mod:`~course_lib.grading.testfiles` reads the test files without otter, runs them and words the feedback;
- :mod:`~course_lib.grading.judge` grades one submission: untrusted kernel, trusted tests;
- :mod:`~course_lib.grading.session` the judge's side of that kernel: start, run cells, call functions, restart;
- :mod:`~course_lib.grading.kernel` the program that runs inside the sandbox (student side);
- :mod:`~course_lib.grading.wire` the plain-data encoding between the two;
- :mod:`~course_lib.grading.sandbox` namespaces, unprivileged user, limits;
- :mod:`~course_lib.grading.inspection` reads and scans a submission without running it;
- :mod:`~course_lib.grading.gradebook` the gradebook CSV.
"""

from __future__ import annotations


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``course-grade`` (see :func:`course_lib.grading.cli.main`).

    Examples
    --------
    >>> main(["grade", "--autograder", "missing.zip", "--submissions", ".", "--out", "x.csv"])
    course-grade: autograder .../missing.zip is not an otter autograder zip: ...
    2
    """
    from course_lib.grading.cli import main as cli_main

    return cli_main(argv)
