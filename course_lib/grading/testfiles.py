"""Otter's test files read and run without otter, and the feedback students see.

The ``qN.py`` files that ``otter assign`` writes start with ``from otter.test_files import
test_case`` and hold functions decorated with ``@test_case(points=..., hidden=...)``. This
module reads them with a stand-in for that import, so neither the student's runtime nor the
judge's trusted process needs otter, and gives each case its points the way otter does
(cases without points share what the question's ``points`` leaves).

Feedback keeps otter's wording (``q1 results: All test cases passed!``) and adds what otter
lacks: an unanswered question says so, a wrong choice says which one was given, and counts
agree with their noun.
"""

from __future__ import annotations

import builtins
import inspect
import types
from collections.abc import Iterable
from dataclasses import dataclass, field

from course_lib._validation import as_float, as_int

NOT_ANSWERED = "not answered yet: replace the `...` (or None, or the NotImplementedError) with your answer"


class _CaseDecorator:
    """Stand-in for ``otter.test_files.test_case``: records the case's settings."""

    def __init__(self, name=None, points=None, hidden=False, success_message=None, failure_message=None):
        self.settings = {"name": name, "points": points, "hidden": bool(hidden),
                         "success_message": success_message, "failure_message": failure_message}
        self.func = None

    def __call__(self, func):
        self.func = func
        return self


@dataclass
class Case:
    """One test case of a test file."""

    name: str
    points: float
    hidden: bool
    func: types.FunctionType
    params: list[str]
    success_message: str | None = None
    failure_message: str | None = None


@dataclass
class TestFile:
    """A question's test file: its name, total points and cases (points resolved)."""

    name: str
    points: float
    cases: list[Case] = field(default_factory=list)
    all_or_nothing: bool = False

    __test__ = False  # not a pytest class


def _import_without_otter(name, globals=None, locals=None, fromlist=(), level=0):
    if name in ("otter.test_files", "otter"):
        stub = types.SimpleNamespace(test_case=_CaseDecorator)
        return types.SimpleNamespace(test_files=stub, test_case=_CaseDecorator) if name == "otter" else stub
    return builtins.__import__(name, globals, locals, fromlist, level)


def resolve_points(total, declared: list) -> list[float]:
    """Points of each case, as otter resolves them.

    Parameters
    ----------
    total : float, list of float or None
        The test file's ``points``: the question's total (cases without points share what the
        others leave), one value per case, or None (1 point shared by the cases without points).
    declared : list of float or None
        Each case's ``points=`` (None where the case declares none).

    Returns
    -------
    list of float
        One value per case.

    Raises
    ------
    TypeError
        If ``total`` is not a number, a list or None, or ``declared`` is not a list of numbers or None.
    ValueError
        If a value is negative, ``total`` is a list of another length than ``declared``, or the
        cases declare more than ``total``.

    Examples
    --------
    >>> resolve_points(4, [None, None, 2, 1])
    [0.5, 0.5, 2, 1]
    >>> resolve_points(None, [None, None])
    [0.5, 0.5]
    >>> resolve_points(1.5, [None, 2])
    Traceback (most recent call last):
    ...
    ValueError: the test cases declare 2 points, more than the question's total=1.5; raise ...
    """
    if isinstance(declared, (str, bytes)) or not isinstance(declared, Iterable):
        raise TypeError(f"declared must be a list of points (a number or None per test case); "
                        f"got {type(declared).__name__}.")
    declared = list(declared)
    for p in declared:
        if p is not None:
            as_float("declared", p, minimum=0)
    if isinstance(total, (list, tuple)):
        if len(total) != len(declared):
            raise ValueError(f"total lists {len(total)} points but the file has {len(declared)} test cases; "
                             "give one value per case.")
        for p in total:
            as_float("total", p, minimum=0)
        return list(total)
    if total is not None:
        as_float("total", total, minimum=0)
    given = sum(p for p in declared if p is not None)
    unspecified = sum(p is None for p in declared)
    if total is not None:
        if given > total:
            raise ValueError(f"the test cases declare {given} points, more than the question's total={total}; "
                             "raise the file's points or lower the cases' points.")
        share = (total - given) / unspecified if unspecified else 0.0
    else:
        share = 1 / unspecified if given == 0 and unspecified else 0.0
    return [share if p is None else p for p in declared]


def load_test_file(source: str, path: str = "<test file>") -> TestFile:
    """Read one otter exception-format test file from its source, without otter.

    Parameters
    ----------
    source : str
        The file's text (trusted: only the instructor's files are read here).
    path : str
        Shown in tracebacks.

    Returns
    -------
    TestFile

    Raises
    ------
    ValueError
        If the file defines no ``name`` or no test case.

    Examples
    --------
    >>> text = "from otter.test_files import test_case\\nname = 'q1'\\npoints = 2\\n" \\
    ...        "@test_case(hidden=False)\\ndef test_a(x):\\n    assert x == 1\\n"
    >>> tests = load_test_file(text)
    >>> tests.name, [(c.name, c.points, c.params) for c in tests.cases]
    ('q1', [('test_a', 2.0, ['x'])])
    """
    namespace = {"__builtins__": {**builtins.__dict__, "__import__": _import_without_otter}, "__name__": "test_file"}
    exec(compile(source, path, "exec"), namespace)
    decorated = [v for v in namespace.values() if isinstance(v, _CaseDecorator) and v.func is not None]
    if "name" not in namespace or not decorated:
        raise ValueError(f"test file {path} defines no name or no @test_case function.")
    total = namespace.get("points")
    points = resolve_points(total, [d.settings["points"] for d in decorated])
    cases = []
    for decorator, value in zip(decorated, points):
        settings = decorator.settings
        cases.append(Case(name=settings["name"] or decorator.func.__name__, points=float(value), hidden=settings["hidden"],
                          func=decorator.func, params=list(inspect.signature(decorator.func).parameters),
                          success_message=settings["success_message"], failure_message=settings["failure_message"]))
    return TestFile(name=str(namespace["name"]), points=float(sum(points)), cases=cases,
                    all_or_nothing=bool(namespace.get("all_or_nothing", False)))


def unanswered(value) -> bool:
    """Whether a student's value is still the placeholder (``None`` or ``...``).

    Examples
    --------
    >>> unanswered(...), unanswered(None), unanswered(0)
    (True, True, False)
    """
    return value is None or value is Ellipsis


def failure_message(error: BaseException) -> str:
    """What a student reads for a failed case: the assertion's message or the error, never a traceback.

    Examples
    --------
    >>> failure_message(AssertionError("wrong values"))
    'wrong values'
    >>> failure_message(NotImplementedError())
    'not answered yet: replace the `...` (or None, or the NotImplementedError) with your answer'
    >>> failure_message(AssertionError())
    'a check failed (no message)'
    """
    text = str(error).strip()
    if isinstance(error, NotImplementedError) or isinstance(error, (AttributeError, TypeError)) and "'NoneType'" in text:
        return NOT_ANSWERED
    if isinstance(error, AssertionError):
        return text[:1000] if text else "a check failed (no message)"
    return f"{type(error).__name__}: {text}"[:1000]


def plural(count: int, noun: str) -> str:
    """``1 test case``, ``2 test cases``.

    Raises
    ------
    TypeError
        If ``count`` is not an integer or ``noun`` not a string.
    ValueError
        If ``count`` is negative.

    Examples
    --------
    >>> plural(1, "test case"), plural(3, "test case")
    ('1 test case', '3 test cases')
    >>> plural("3", "test case")
    Traceback (most recent call last):
    ...
    TypeError: count must be an integer; got '3' (str).
    """
    count = as_int("count", count, minimum=0)
    if not isinstance(noun, str):
        raise TypeError(f"noun must be a string; got {noun!r} ({type(noun).__name__}).")
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _check_results(results) -> None:
    if isinstance(results, (str, bytes)) or not isinstance(results, (list, tuple)):
        raise TypeError(f"results must be a list of (case, passed, message) triples; got {type(results).__name__}.")
    for item in results:
        if not (isinstance(item, (list, tuple)) and len(item) == 3 and isinstance(item[0], Case)
                and isinstance(item[2], str)):
            raise TypeError(f"results must be a list of (Case, passed, message) triples; got an item {item!r:.60}.")


def summary(name: str, results: list[tuple[Case, bool, str]]) -> str:
    """Otter's summary of one question's results (plus a count).

    Raises
    ------
    TypeError
        If ``results`` is not a list of ``(Case, passed, message)`` triples.

    Examples
    --------
    >>> case = Case("test_a", 1.0, False, None, [])
    >>> print(summary("q1", [(case, True, "")]))
    q1 results: All test cases passed! (1 test case)
    >>> print(summary("q1", [(case, False, "wrong values")]))
    q1 results: 0 of 1 test case passed.
        test_a result:
            wrong values
    """
    _check_results(results)
    passed = sum(ok for _, ok, _ in results)
    if passed == len(results):
        lines = [f"{name} results: All test cases passed! ({plural(len(results), 'test case')})"]
        lines += [f"{c.name} message: {c.success_message}" for c, _, _ in results if c.success_message]
        return "\n".join(lines)
    lines = [f"{name} results: {passed} of {plural(len(results), 'test case')} passed."]
    for case, ok, message in results:
        if ok:
            continue
        if case.failure_message:
            lines.append(f"    {case.name} message: {case.failure_message}")
        lines.append(f"    {case.name} result:")
        lines += [f"        {line}" for line in message.splitlines() or [""]]
    return "\n".join(lines)
