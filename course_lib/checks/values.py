"""Exercises whose answer is a value: a number, a list of numbers, a choice or a word.

The key (written by ``python -m course_lib.checks write-key``) holds only salted hashes, see
:mod:`course_lib.checks.keys`: one for the answer and one per typical mistake, each mistake with
a message saying what was probably done wrong.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from course_lib.checks.keys import KINDS, AnswerFormError, canonical, matches, shape_of
from course_lib.checks.registry import Exercise


def _describe(shape: tuple) -> str:
    if shape == ():
        return "one number"
    if len(shape) == 1:
        return "1 value" if shape[0] == 1 else f"{shape[0]} values"
    return f"an array of shape {shape}"


@dataclass(frozen=True, kw_only=True)
class ValueExercise(Exercise):
    """An exercise answered by a value, checked against a hashed key.

    Parameters
    ----------
    kind : {"integers", "numbers", "choice", "text"}
        How answers are compared (see :mod:`course_lib.checks.keys`).
    tolerance : float
        For ``"numbers"``: answers within this distance of the right value pass.
    choices : tuple of str
        For ``"choice"``: the valid letters.
    mistakes : mapping of str to str
        Typical mistake name -> what the student probably did; the key holds each mistake's hash.
    key : mapping
        ``{"answer": entry, "mistakes": {name: entry}}``, written by the ``write-key`` command.

    Examples
    --------
    >>> from course_lib.checks.keys import make_entry
    >>> key = {"answer": make_entry("demo.1", 55, "integers"),
    ...        "mistakes": {"one_layer": make_entry("demo.1", 112, "integers")}}
    >>> exercise = ValueExercise(exercise_id="demo.1", kind="integers", hint="Apply the formula twice.",
    ...                          mistakes={"one_layer": "That is the size after the first layer."}, key=key)
    >>> exercise.judge(112, {})
    (False, 'That is the size after the first layer.')
    >>> exercise.judge([1, 2], {})
    (False, 'Expected one number, got 2 values.')
    """

    kind: str
    tolerance: float = 0.0
    choices: tuple[str, ...] = ()
    mistakes: Mapping[str, str] = field(default_factory=dict)
    key: Mapping | None = None

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(map(repr, KINDS))}; got {self.kind!r}.")
        if self.kind == "numbers" and not self.tolerance > 0:
            raise ValueError(f"tolerance must be positive for a numbers exercise; got {self.tolerance!r}.")
        if self.key is not None:
            unexplained = sorted(set(self.key.get("mistakes", {})) - set(self.mistakes))
            if unexplained:
                raise ValueError(f"exercise {self.exercise_id!r}: the key has mistakes {unexplained} with no message "
                                 "in mistakes; add a message for each.")

    def matches(self, value, entry: Mapping) -> bool:
        """Whether ``value`` hashes to the key ``entry`` at this exercise's tolerance."""
        return matches(self.exercise_id, value, dict(entry), self.kind, tolerance=self.tolerance)

    def judge(self, answer, context: dict) -> tuple[bool, str]:
        if self.key is None or self.key.get("answer") is None:
            raise ValueError(f"exercise {self.exercise_id!r} has no key yet; write it with "
                             f"`python -m course_lib.checks write-key {self.exercise_id} --from <master notebook>`.")
        if self.kind in ("integers", "numbers"):
            expected, given = tuple(self.key["answer"]["shape"]), shape_of(answer)
            if given is not None and given != expected:
                return False, f"Expected {_describe(expected)}, got {_describe(given)}."
        try:
            text = canonical(answer, self.kind, tolerance=self.tolerance, offset=self.key["answer"].get("offset"))
        except AnswerFormError as error:
            return False, str(error)
        if self.kind == "choice" and self.choices and text not in self.choices:
            return False, f"Answer with the letter of one of the {len(self.choices)} choices listed above."
        if self.matches(answer, self.key["answer"]):
            return True, self.right()
        for name, entry in self.key.get("mistakes", {}).items():
            if self.matches(answer, entry):
                return False, self.mistakes[name]
        return False, self.hint
