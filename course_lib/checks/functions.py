"""Exercises whose answer is a function: run it on fixed cases and compare with a reference.

The first case on which the student's function disagrees is reported with its inputs (shapes,
small inputs in full), the student's output (shape, dtype, a few values) and a short reason,
never the expected output; if the output equals a typical mistake's, that mistake's diagnosis.
"""

from __future__ import annotations

import copy
import functools
import inspect
import traceback
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from course_lib.checks.feedback import NOT_ANSWERED, Feedback, unanswered
from course_lib.checks.registry import Exercise

SMALL = 12  # inputs with at most this many values are shown in full


def _show(value) -> str:
    array = np.asarray(value) if not isinstance(value, str) else None
    if array is None or array.dtype == object:
        return repr(value)
    if array.ndim == 0:
        return f"{array.item():.4g}" if array.dtype.kind == "f" else repr(array.item())
    if array.size <= SMALL:
        return np.array2string(array, precision=3, separator=", ").replace("\n", "")
    return f"an array of shape {array.shape}"


def _names(function: Callable, count: int) -> list[str]:
    try:
        parameters = list(inspect.signature(function).parameters)
    except (TypeError, ValueError):
        parameters = []
    return [parameters[i] if i < len(parameters) else f"argument {i + 1}" for i in range(count)]


def _describe_case(number: int, total: int, case: Sequence, reference: Callable) -> str:
    arguments = ", ".join(f"{name}={_show(value)}" for name, value in zip(_names(reference, len(case)), case))
    return f"Case {number} of {total} ({arguments})"


def _describe_output(result) -> str:
    if isinstance(result, tuple):
        parts = [_describe_output(part).replace("your output has ", "").replace("your function returned ", "")
                 for part in result]
        return f"your function returned a tuple of {len(result)}: " + "; ".join(
            f"output {index}: {part}" for index, part in enumerate(parts))
    try:
        array = np.asarray(result)
    except (TypeError, ValueError):  # a ragged list
        return f"your function returned {type(result).__name__} {result!r:.60}"
    if array.dtype == object or array.dtype.kind in "USV":
        return f"your function returned {type(result).__name__} {result!r:.60}"
    if array.ndim == 0:
        return f"your function returned {_show(array)} ({type(result).__name__})"
    first = np.array2string(array.ravel()[:4], precision=4, separator=", ")
    return f"your output has shape {array.shape}, dtype {array.dtype}, first values {first}"


def compare(result, expected, *, atol: float) -> str | None:
    """The reason ``result`` differs from ``expected`` (None when equal within ``atol``).

    Says shapes, dtypes and how many values differ, never the expected values.

    Examples
    --------
    >>> compare(np.ones(3), np.ones(3), atol=1e-8) is None
    True
    >>> compare(np.ones(3), np.ones(2), atol=1e-8)
    'wrong shape: expected (2,)'
    >>> compare([1.0, 2.5, 3.0], [1.0, 2.0, 3.0], atol=1e-8)
    'values differ at 1 of 3 positions, largest difference 0.5'
    >>> compare((1.0, [1.0, 2.0]), (1.0, [1.0, 2.5]), atol=1e-8)
    'output 1 of the tuple: values differ at 1 of 2 positions, largest difference 0.5'
    """
    if isinstance(expected, tuple):  # several outputs, e.g. (loss, gradient): the first that differs
        if not isinstance(result, (tuple, list)) or len(result) != len(expected):
            return f"expected a tuple of {len(expected)} outputs"
        reasons = [compare(part, wanted, atol=atol) for part, wanted in zip(result, expected)]
        return next((f"output {index} of the tuple: {reason}" for index, reason in enumerate(reasons) if reason), None)
    expected = np.asarray(expected, dtype=float)
    try:
        answer = np.asarray(result, dtype=float)
    except (TypeError, ValueError):
        return "expected numbers"
    if answer.shape != expected.shape:
        return f"wrong shape: expected {expected.shape}" if expected.ndim else "expected a single number"
    with np.errstate(invalid="ignore"):
        close = np.isclose(answer, expected, atol=atol, rtol=0.0)
    if close.all():
        return None
    if not np.all(np.isfinite(answer)):
        return f"nan or inf at {int(np.sum(~np.isfinite(answer)))} of {answer.size} positions (an overflow?)"
    kind = np.asarray(result).dtype.kind
    if kind in "biu" and not np.allclose(expected, np.round(expected)):
        return f"wrong dtype: your output is {np.asarray(result).dtype}, where fractions are expected"
    if answer.ndim == 0:  # the size of the difference would give the answer away
        return "not the expected value"
    largest = float(np.max(np.abs(answer - expected)))
    return f"values differ at {int(np.sum(~close))} of {answer.size} positions, largest difference {largest:.3g}"


def _call(function: Callable, case: Sequence, context: Mapping):
    with np.errstate(all="ignore"):  # an overflow shows as inf in the output, diagnosed there
        return function(*copy.deepcopy(tuple(case)), **context)


def first_disagreement(function: Callable, reference: Callable, cases: Iterable[Sequence], *, atol: float = 1e-8,
                       mistakes: Sequence[tuple[Callable, str]] = (), context: Mapping | None = None,
                       hint: str = "") -> tuple[bool, str]:
    """Run ``function`` and ``reference`` on each case; ``(passed, message)`` for the first disagreement.

    ``reference`` and the mistake functions receive the ``context`` values by keyword; the
    student's ``function`` receives only the case's arguments. ``hint`` follows a disagreement
    that matches no mistake.

    Raises
    ------
    TypeError
        If ``reference`` is not callable or ``cases`` is not a list of argument tuples.

    Examples
    --------
    >>> first_disagreement(lambda x: x + 1, lambda x: x + 1, [(1,), (2,)])
    (True, 'Correct on all 2 test cases.')
    >>> first_disagreement(lambda x: -x, abs, [(1,), (-2,)], hint="Mind the sign.")
    (False, 'Case 1 of 2 (x=1): your function returned -1 (int); not the expected value. Mind the sign.')
    """
    if not callable(reference):
        raise TypeError(f"reference must be callable; got {type(reference).__name__}.")
    if isinstance(cases, (str, bytes)) or not isinstance(cases, Iterable):
        raise TypeError(f"cases must be a list of argument tuples; got {type(cases).__name__}.")
    cases, context = list(cases), dict(context or {})
    for number, case in enumerate(cases, start=1):
        if not isinstance(case, (tuple, list)):
            raise TypeError(f"cases must hold tuples of arguments, e.g. [(2,), (3,)]; case {number} is {case!r}.")
        where = _describe_case(number, len(cases), case, function)
        try:
            result = _call(function, case, {})
        except NotImplementedError:
            return False, NOT_ANSWERED
        except Exception as error:  # a student's bug is feedback, not a crash
            raised = traceback.format_exception_only(type(error), error)[-1].strip()
            return False, f"{where} raised {raised}. {hint}".strip()
        reason = compare(result, _call(reference, case, context), atol=atol)
        if reason is None:
            continue
        for mistake, message in mistakes:
            try:
                if compare(result, _call(mistake, case, context), atol=atol) is None:
                    return False, f"{where}: {message}"
            except Exception:  # a mistake that cannot run on this case is not this one
                continue
        return False, f"{where}: {_describe_output(result)}; {reason}. {hint}".strip()
    return True, "Correct on the one test case." if len(cases) == 1 else f"Correct on all {len(cases)} test cases."


def check_function(function: Callable, reference: Callable, cases: Iterable[tuple], *, question: str,
                   atol: float = 1e-8, mistakes: Sequence[tuple[Callable, str]] = ()) -> Feedback:
    """Call ``function`` and ``reference`` on each case and compare the results.

    Parameters
    ----------
    function : callable
        The student's implementation; ``None``, ``...`` or one raising ``NotImplementedError``
        means not answered yet.
    reference : callable
        The reference implementation.
    cases : iterable of tuple
        Positional arguments for each call.
    question : str, keyword-only
    atol : float, keyword-only
    mistakes : sequence of (callable, str), keyword-only
        Typical wrong implementations and the diagnosis shown when the output equals theirs.

    Returns
    -------
    Feedback
        Fails on the first case whose result differs, or that raises, and says which case it
        was, its inputs, the student's output and why it differs (never the expected output).

    Raises
    ------
    TypeError
        If ``function`` or ``reference`` is not callable, or ``cases`` is not a list of tuples.

    Examples
    --------
    >>> check_function(lambda a: a * 2, lambda a: a + a, [(1,), (np.ones(3),)], question="Double")
    [pass] Double: Correct on all 2 test cases.
    >>> check_function(lambda a: a * 3, lambda a: a + a, [(1,)], question="Double")
    [try again] Double: Case 1 of 1 (a=1): your function returned 3 (int); not the expected value.
    >>> check_function(lambda a: a * a, lambda a: a + a, [(3,)], question="Double",
    ...                mistakes=[(lambda a: a ** 2, "You squared instead of doubling.")])
    [try again] Double: Case 1 of 1 (a=3): You squared instead of doubling.
    """
    if unanswered(function):
        return Feedback(question, False, NOT_ANSWERED)
    if not callable(function):
        raise TypeError(f"function must be callable; got {type(function).__name__}.")
    return Feedback(question, *first_disagreement(function, reference, cases, atol=atol, mistakes=mistakes))


@dataclass(frozen=True, kw_only=True)
class FunctionExercise(Exercise):
    """An exercise answered by a function, checked against a reference on fixed cases.

    Parameters
    ----------
    reference : callable
        The right function. With ``context``, it also receives the context values by keyword.
    cases : callable
        Returns the list of argument tuples (built with a fixed rng); receives the context values.
    mistakes : mapping of str to (callable, str)
        Typical mistake name -> (the mistaken function, what the student probably did).
    atol : float
    output : callable, optional
        Picks what is compared from the student's result, e.g. ``lambda result: result[0]`` for
        a function returning ``(y, cache)``.

    Examples
    --------
    >>> square = FunctionExercise(exercise_id="demo.square", hint="Multiply x by itself.",
    ...                           reference=lambda x: x * x, cases=lambda: [(2.0,), (np.arange(3.0),)],
    ...                           mistakes={"double": (lambda x: 2 * x, "That doubles x.")})
    >>> square.judge(lambda x: x + x, {})
    (False, 'Case 2 of 2 (x=[0., 1., 2.]): That doubles x.')
    """

    reference: Callable
    cases: Callable[..., list]
    mistakes: Mapping[str, tuple[Callable, str]] = field(default_factory=dict)
    atol: float = 1e-8
    output: Callable | None = None

    def judge(self, answer, context: dict) -> tuple[bool, str]:
        if not callable(answer):
            return False, f"Expected a function (def ...); got {type(answer).__name__}."
        if self.output is not None:
            answer = functools.wraps(answer)(lambda *args, _function=answer: self.output(_function(*args)))
        passed, message = first_disagreement(answer, self.reference, self.cases(**context), atol=self.atol,
                                             mistakes=list(self.mistakes.values()), context=context, hint=self.hint)
        return passed, (f"{message} {self.explanation}".strip() if passed else message)
