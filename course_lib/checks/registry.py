"""The exercises, by id, and the one entry point the chapters call: :func:`check`.

Each chapter (and each graded exercise) keeps its exercises in its own module under
``course_lib.checks.chapters``, imported the first time one of its exercises is checked:
exercise ``"4.2"`` lives in ``chapters/ch04.py``, exercise ``"sgd.q2"`` in ``chapters/graded_sgd.py``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field

from course_lib.checks.feedback import NOT_ANSWERED, Feedback, unanswered

_EXERCISES: dict[str, Exercise] = {}


@dataclass(frozen=True, kw_only=True)
class Exercise:
    """What an exercise knows: its id, a general hint, and how to judge an answer.

    Subclasses implement :meth:`judge`. ``context`` names the values from the notebook's own
    state that the check needs (never the answer), passed to :func:`check` by keyword.

    Parameters
    ----------
    exercise_id : str
        ``"4.2"`` for chapter 4's second exercise, ``"sgd.q2"`` for a graded question.
    hint : str
        Shown with a wrong answer that matches no known mistake; never states the answer.
    explanation : str
        Shown with a right answer.
    context : tuple of str
        Names of the context values :func:`check` requires.
    title : str
        Shown in the feedback; ``"Exercise <id>"`` by default.
    """

    exercise_id: str
    hint: str
    explanation: str = ""
    context: tuple[str, ...] = ()
    title: str = ""

    @property
    def question(self) -> str:
        return self.title or f"Exercise {self.exercise_id}"

    def judge(self, answer, context: dict) -> tuple[bool, str]:
        """Return ``(passed, message)`` for an answer that is not a placeholder."""
        raise NotImplementedError(f"{type(self).__name__} must implement judge")

    def right(self) -> str:
        return f"Correct. {self.explanation}".strip()


@dataclass(frozen=True, kw_only=True)
class ContextExercise(Exercise):
    """An exercise judged by a function of the answer and named context values.

    ``rule(answer, **context)`` returns ``None`` when the answer is right, else the diagnosis
    (a message that never states the answer).

    Examples
    --------
    >>> even = ContextExercise(exercise_id="demo.even", hint="Even numbers end in 0, 2, 4, 6 or 8.",
    ...                        rule=lambda answer: None if answer % 2 == 0 else "That one is odd.")
    >>> even.judge(3, {})
    (False, 'That one is odd.')
    """

    rule: Callable[..., str | None] = field(default=lambda answer: "")

    def judge(self, answer, context: dict) -> tuple[bool, str]:
        message = self.rule(answer, **context)
        return (True, self.right()) if message is None else (False, message or self.hint)


def register(exercise: Exercise) -> Exercise:
    """Add ``exercise`` to the registry (chapter modules call this when imported).

    Raises
    ------
    TypeError
        If ``exercise`` is not an :class:`Exercise`.
    ValueError
        If an exercise with the same id is already registered.
    """
    if not isinstance(exercise, Exercise):
        raise TypeError(f"exercise must be an Exercise; got {type(exercise).__name__}.")
    if exercise.exercise_id in _EXERCISES:
        raise ValueError(f"exercise {exercise.exercise_id!r} is registered twice; give each exercise its own id.")
    _EXERCISES[exercise.exercise_id] = exercise
    return exercise


def module_name(exercise_id: str) -> str:
    """The chapter module that holds ``exercise_id``.

    Examples
    --------
    >>> module_name("4.2"), module_name("sgd.q2")
    ('course_lib.checks.chapters.ch04', 'course_lib.checks.chapters.graded_sgd')
    """
    if not isinstance(exercise_id, str) or "." not in exercise_id:
        raise ValueError(f"exercise_id must be a string like \"4.2\" or \"sgd.q1\"; got {exercise_id!r}.")
    prefix = exercise_id.split(".")[0]
    name = f"ch{int(prefix):02d}" if prefix.isdigit() else f"graded_{prefix}"
    return f"course_lib.checks.chapters.{name}"


def get_exercise(exercise_id: str) -> Exercise:
    """The registered exercise ``exercise_id``, importing its chapter module on first use.

    Raises
    ------
    ValueError
        If ``exercise_id`` is not a known exercise.

    Examples
    --------
    >>> get_exercise("4.3").question
    'Exercise 4.3'
    """
    if exercise_id not in _EXERCISES:
        name = module_name(exercise_id)
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name != name:
                raise
        if exercise_id not in _EXERCISES:
            raise ValueError(f"exercise_id {exercise_id!r} is not a known exercise; check the number in the "
                             "exercise's heading (for example \"4.2\").")
    return _EXERCISES[exercise_id]


def chapter_exercises(module: str) -> list[Exercise]:
    """The exercises that chapter module ``module`` (e.g. ``"ch04"``) registers, in order.

    Examples
    --------
    >>> [exercise.exercise_id for exercise in chapter_exercises("ch04")]
    ['4.1', '4.2', '4.3']
    """
    name = importlib.import_module(f"course_lib.checks.chapters.{module}").__name__
    return [exercise for exercise in _EXERCISES.values() if module_name(exercise.exercise_id) == name]


def check(exercise_id: str, answer, /, **context) -> Feedback:
    """Check the student's ``answer`` to exercise ``exercise_id``.

    Parameters
    ----------
    exercise_id : str
        The exercise, e.g. ``"4.2"``.
    answer
        The student's value or function; ``None``, ``...`` or a function that raises
        ``NotImplementedError`` means not answered yet.
    **context
        Values from the notebook's own state that the exercise needs (never the answer).

    Returns
    -------
    Feedback
        Truthy when right; a wrong answer gets a diagnosis of the likely mistake, never the answer.

    Raises
    ------
    ValueError
        If ``exercise_id`` is unknown, or a context value is missing or unexpected.

    Examples
    --------
    >>> check("4.3", ...)
    [try again] Exercise 4.3: Not answered yet: write your answer in place of the `...`, `None` or `raise NotImplementedError` and run the cell again.
    """
    exercise = get_exercise(exercise_id)
    missing = [name for name in exercise.context if name not in context]
    if missing:
        raise ValueError(f"check({exercise_id!r}, ...) needs the context value(s) {', '.join(missing)}: "
                         f"pass them by name, e.g. checks.check({exercise_id!r}, answer, {missing[0]}={missing[0]}).")
    unexpected = sorted(set(context) - set(exercise.context))
    if unexpected:
        expected = ", ".join(exercise.context) or "none"
        raise ValueError(f"check({exercise_id!r}, ...) got unexpected context value(s) {', '.join(unexpected)}; "
                         f"it takes: {expected}.")
    if unanswered(answer):
        return Feedback(exercise.question, False, NOT_ANSWERED)
    try:
        passed, message = exercise.judge(answer, dict(context))
    except NotImplementedError:  # the student's function is still the stub
        return Feedback(exercise.question, False, NOT_ANSWERED)
    return Feedback(exercise.question, passed, message)
