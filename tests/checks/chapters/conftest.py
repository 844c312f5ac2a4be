"""Shared assertions for the chapters' exercises: diagnoses, tolerance, and no answer in any message."""

from __future__ import annotations

import functools
import re

import numpy as np
import pytest

from course_lib import checks
from course_lib.checks.keys import shape_of


def _answer_forms(answer, kind: str) -> list[str]:
    """Ways a message could state ``answer``: its repr and its roundings at 1-4 decimals."""
    if kind == "choice":
        return []
    if kind == "text":
        return [answer.strip().lower()]
    values = np.asarray(answer, dtype=float).ravel()
    forms = [repr(answer), str(answer)]
    for value in values:
        if value == 0:  # a zero among the values is no give-away on its own
            continue
        forms += [repr(float(value))] + [f"{value:.{decimals}f}" for decimals in range(1, 5)]
        if value == round(value):
            forms.append(str(int(value)))
    return forms


def leaks(message: str, answer, kind: str) -> list[str]:
    """The forms of ``answer`` that ``message`` contains (numbers only as whole tokens)."""
    if kind == "choice":  # the letter as a choice: 'b', "b", (b), b), "answer b"
        letter = re.escape(answer)
        pattern = rf"'{letter}'|\"{letter}\"|\({letter}\)|\b{letter}\)|\b(?:answer|choice|option) {letter}\b"
        return re.findall(pattern, message)
    numbers = set(re.findall(r"-?\d+(?:\.\d+)?(?:e-?\d+)?", message))
    return [form for form in _answer_forms(answer, kind) if form in numbers or
            (not re.fullmatch(r"-?[\d.e]+", form) and form in message)]


def random_wrong(answer, kind: str, rng: np.random.Generator, choices=()):
    """A random answer of the same form as ``answer`` (it may be right by chance; callers skip those)."""
    if kind == "choice":
        return str(rng.choice(list(choices) + ["z", "", "ab"]))
    shape = shape_of(answer)
    scale = max(1.0, float(np.max(np.abs(answer))))
    values = rng.normal(scale=2 * scale, size=shape)
    if rng.random() < 0.3:  # near the answer, as a slip of arithmetic would be
        values = np.asarray(answer, dtype=float) + rng.choice([-1, 1], size=shape) * rng.integers(1, 4, size=shape)
    if kind == "integers":
        values = np.round(values).astype(int)
    return values.tolist()


@pytest.fixture
def assert_value_exercise():
    """Assert the right answer passes (also within 0.9 tolerance) and each mistake gets its diagnosis."""

    def run(exercise_id: str, answer, mistakes: dict):
        exercise = checks.get_exercise(exercise_id)
        feedback = checks.check(exercise_id, answer)
        assert feedback.passed, feedback
        if exercise.kind == "numbers":
            step = 0.9 * exercise.tolerance
            for sign in (-1, 1):
                near = (np.asarray(answer, dtype=float) + sign * step).tolist()
                assert checks.check(exercise_id, near).passed, near
                far = (np.asarray(answer, dtype=float) + sign * 2.1 * exercise.tolerance).tolist()
                assert not checks.check(exercise_id, far).passed, far
        assert set(mistakes) == set(exercise.mistakes), "every listed mistake is tested"
        for name, value in mistakes.items():
            feedback = checks.check(exercise_id, value)
            assert not feedback.passed and feedback.message == exercise.mistakes[name], (name, feedback)
            assert not leaks(feedback.message, answer, exercise.kind), (name, feedback.message)

    return run


@pytest.fixture
def assert_no_leak():
    """Feed a few hundred random wrong answers; no message may state the answer."""

    def run(exercise_id: str, answer, count: int = 300):
        exercise = checks.get_exercise(exercise_id)
        rng = np.random.default_rng(sum(map(ord, exercise_id)))
        wrong = 0
        for _ in range(count):
            value = random_wrong(answer, exercise.kind, rng, getattr(exercise, "choices", ()))
            feedback = checks.check(exercise_id, value)
            if feedback.passed:
                continue
            wrong += 1
            found = leaks(feedback.message, answer, exercise.kind)
            assert not found, f"{exercise_id}: {value!r} -> {feedback.message!r} states {found}"
        assert wrong > count // 2

    return run


@pytest.fixture
def assert_function_exercise():
    """Assert the solution passes and each mistake function gets its diagnosis."""

    def run(exercise_id: str, solution, mistakes: dict):
        exercise = checks.get_exercise(exercise_id)
        feedback = checks.check(exercise_id, solution)
        assert feedback.passed, feedback
        assert set(mistakes) == set(exercise.mistakes), "every listed mistake is tested"
        for name, function in mistakes.items():
            feedback = checks.check(exercise_id, function)
            assert not feedback.passed and feedback.message.endswith(exercise.mistakes[name][1]), (name, feedback)

    return run


@pytest.fixture
def assert_function_no_leak():
    """Feed perturbed references (off by a random amount); no message may show the expected output's values."""

    def run(exercise_id: str, count: int = 20):
        exercise = checks.get_exercise(exercise_id)
        rng = np.random.default_rng(sum(map(ord, exercise_id)))
        case = exercise.cases()[0]
        expected = np.atleast_1d(np.asarray(exercise.reference(*case), dtype=float)).ravel()
        for _ in range(count):
            shift = float(rng.choice([-1, 1]) * rng.uniform(0.01, 3))

            @functools.wraps(exercise.reference)
            def perturbed(*args, shift=shift):
                return np.asarray(exercise.reference(*args), dtype=float) + shift

            feedback = checks.check(exercise_id, perturbed)
            assert not feedback.passed
            output_part = feedback.message.split("): ", 1)[-1]  # the inputs may share values with the output
            tokens = set(re.findall(r"-?\d+\.\d+", output_part))
            shown = [f"{value:.{decimals}f}" for value in expected[:4] if value != round(value) for decimals in (3, 4)]
            found = [value for value in shown if value in tokens]
            assert not found, f"{exercise_id}: {feedback.message!r} shows expected values {found}"

    return run
