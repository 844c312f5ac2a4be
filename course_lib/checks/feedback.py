"""What a check tells the student: a :class:`Feedback`, shown as one line in the notebook.

A feedback is truthy when the answer is right and never raises for a wrong answer, so a student
can keep going; ``feedback.passed`` is what solution cells assert on.
"""

from __future__ import annotations

from dataclasses import dataclass

NOT_ANSWERED = ("Not answered yet: write your answer in place of the `...`, `None` or `raise NotImplementedError` "
                "and run the cell again.")


@dataclass(frozen=True)
class Feedback:
    """The result of one check: whether it passed and what to tell the student.

    Examples
    --------
    >>> Feedback(question="Q1", passed=True, message="Correct.")
    [pass] Q1: Correct.
    >>> bool(Feedback(question="Q1", passed=False, message="Not quite."))
    False
    """

    question: str
    passed: bool
    message: str

    def __bool__(self) -> bool:
        return self.passed

    def __repr__(self) -> str:
        mark = "pass" if self.passed else "try again"
        return f"[{mark}] {self.question}: {self.message}"

    def _repr_markdown_(self) -> str:
        mark = "✅" if self.passed else "❌"
        return f"{mark} **{self.question}**: {self.message}"


def unanswered(answer) -> bool:
    """Whether ``answer`` is still the placeholder of an exercise cell (``None`` or ``...``).

    Examples
    --------
    >>> unanswered(...), unanswered(None), unanswered(0)
    (True, True, False)
    """
    return answer is None or answer is Ellipsis
