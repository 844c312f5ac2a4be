"""Immediate feedback for the exercises in the chapters and the graded exercises.

A check cell names the exercise and the student's value, ``checks.check("4.2", answer_2)``; the
key lives here, as salted hashes of a canonical form (:mod:`~course_lib.checks.keys`) or as a
reference function (:mod:`~course_lib.checks.functions`), one module per chapter under
``chapters/``. A wrong answer gets a diagnosis of the likely mistake, never the right value.
Importing this package does no work: a chapter's module is imported when one of its exercises
is first checked.
"""

from course_lib._lazy import lazy_exports
from course_lib.checks.feedback import NOT_ANSWERED, Feedback

_NAMES = {
    "check": "registry", "get_exercise": "registry", "register": "registry", "chapter_exercises": "registry",
    "Exercise": "registry", "ContextExercise": "registry",
    "ValueExercise": "values",
    "FunctionExercise": "functions", "check_function": "functions",
}

__all__ = ["NOT_ANSWERED", "Feedback", *(name for name in _NAMES if not name.startswith("_"))]

__getattr__, __dir__ = lazy_exports(__name__, _NAMES)
