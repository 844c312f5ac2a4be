"""Checks that take the expected value as an argument (kept for notebooks not yet on ``check``).

A check cell that passes the expected value shows the answer on the page; chapters call
:func:`course_lib.checks.check` with the exercise id instead, whose keys hold only hashes.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from scipy.signal import correlate2d

from course_lib._validation import as_array, as_choice, as_float, as_int
from course_lib.checks.feedback import NOT_ANSWERED, Feedback
from course_lib.checks.feedback import unanswered as _unanswered


def check_answer(
    answer,
    expected,
    *,
    question: str,
    atol: float = 1e-8,
    hint: str = "",
) -> Feedback:
    """Compare a numeric answer (a number or an array) with the expected one.

    Parameters
    ----------
    answer
        The student's answer; ``None`` or ``...`` means not answered yet.
    expected
        The right answer.
    question : str, keyword-only
        Short name shown in the feedback, e.g. ``"Exercise 1.1"``.
    atol : float, keyword-only
        Absolute tolerance for numbers.
    hint : str, keyword-only
        Shown when the answer is wrong.

    Returns
    -------
    Feedback

    Raises
    ------
    ValueError
        If ``atol`` is negative.

    Examples
    --------
    >>> check_answer(24, 24, question="Output size")
    [pass] Output size: Correct.
    >>> check_answer(26, 24, question="Output size", hint="Valid padding loses k - 1 pixels.")
    [try again] Output size: Got 26. Valid padding loses k - 1 pixels.
    >>> check_answer(None, 24, question="Output size").passed
    False
    """
    atol = as_float("atol", atol, minimum=0.0)
    if _unanswered(answer):
        return Feedback(question, False, NOT_ANSWERED)
    expected_array = np.asarray(expected, dtype=float)
    try:
        answer_array = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        return Feedback(question, False, f"Expected a number or an array; got {type(answer).__name__}.")
    if answer_array.shape != expected_array.shape:
        return Feedback(
            question,
            False,
            f"Expected shape {expected_array.shape}; got shape {answer_array.shape}. {hint}".strip(),
        )
    if np.allclose(answer_array, expected_array, atol=atol, rtol=0.0, equal_nan=False):
        return Feedback(question, True, "Correct.")
    shown = answer if answer_array.ndim == 0 else f"an array differing by up to {np.max(np.abs(answer_array - expected_array)):.3g}"
    return Feedback(question, False, f"Got {shown}. {hint}".strip())


def check_choice(answer, expected, *, question: str, explanation: str = "",
                 why_not: Mapping[str, str] | None = None) -> Feedback:
    """Check a multiple-choice answer (compared as text, case-insensitive).

    Parameters
    ----------
    answer
        The student's choice; ``None`` or ``...`` means not answered yet.
    expected
        The right choice.
    question : str, keyword-only
    explanation : str, keyword-only
        Shown with a right answer.
    why_not : mapping of str to str, optional, keyword-only
        For wrong choices, why each is wrong (shown with that choice); other wrong choices get
        a pointer back to the section.

    Returns
    -------
    Feedback

    Examples
    --------
    >>> check_choice("B", "b", question="Which kernel?", explanation="It responds to rows.")
    [pass] Which kernel?: Correct. It responds to rows.
    >>> check_choice("a", "b", question="Which kernel?", why_not={"a": "A responds to columns."})
    [try again] Which kernel?: Not 'a': A responds to columns.
    """
    if _unanswered(answer):
        return Feedback(question, False, NOT_ANSWERED)
    passed = str(answer).strip().lower() == str(expected).strip().lower()
    if passed:
        return Feedback(question, True, f"Correct. {explanation}".strip())
    reasons = {str(choice).strip().lower(): reason for choice, reason in (why_not or {}).items()}
    reason = reasons.get(str(answer).strip().lower(),
                         "Re-read the section above: which choice does the run on this page support?")
    return Feedback(question, False, f"Not {answer!r}: {reason}")


def check_detector(kernel, *, target, distractor, question: str, padding: str = "valid") -> Feedback:
    """Check that ``kernel`` followed by a ReLU fires on ``target`` and stays at zero on ``distractor``.

    Parameters
    ----------
    kernel : array_like, shape (KH, KW)
        The student's kernel; ``None`` or ``...`` means not answered yet.
    target, distractor : array_like, shape (H, W)
        An image holding the pattern to detect, and one holding a pattern to ignore.
    question : str, keyword-only
    padding : str, keyword-only
        Padding of the correlation (see ``course_lib.conv``).

    Returns
    -------
    Feedback
        Passes when ``max(relu(target * kernel)) > 0`` and ``max(relu(distractor * kernel)) == 0``
        (``*`` is cross-correlation), up to 1e-9.

    Examples
    --------
    >>> import numpy as np
    >>> rows = np.zeros((5, 5)); rows[2] = 1.0
    >>> check_detector(np.array([[-1.0], [2.0], [-1.0]]), target=rows, distractor=rows.T, question="Rows")
    [pass] Rows: Fires on the target (max 2) and stays at zero on the distractor.
    """
    # the question's own arrays are checked first, under their own names (not "image")
    target = as_array("target", target, ndim=2, hint="Pass one (H, W) image holding the pattern.")
    distractor = as_array("distractor", distractor, ndim=2, hint="Pass one (H, W) image.")
    if not isinstance(padding, str):
        padding = as_int("padding", padding, minimum=0, maximum=max(target.shape + distractor.shape),
                         why="Padding wider than the image only adds zeros.")
    else:
        padding = as_choice("padding", padding, ("valid", "same", "full"))
    if _unanswered(kernel):
        return Feedback(question, False, NOT_ANSWERED)
    try:
        kernel = np.asarray(kernel, dtype=float)
    except (TypeError, ValueError):
        return Feedback(question, False, f"Expected a 2-D array of numbers; got {type(kernel).__name__}.")
    if kernel.ndim != 2:
        return Feedback(question, False, f"Expected a 2-D kernel; got shape {kernel.shape}.")
    on_target = float(np.maximum(_correlate(target, kernel, padding), 0).max())
    on_distractor = float(np.maximum(_correlate(distractor, kernel, padding), 0).max())
    if on_target <= 1e-9:
        return Feedback(question, False, "Your kernel never fires on the target pattern (its ReLU output is 0 everywhere).")
    if on_distractor > 1e-9:
        return Feedback(question, False, f"It fires on the target (max {on_target:g}) but also on the distractor (max {on_distractor:g}).")
    return Feedback(question, True, f"Fires on the target (max {on_target:g}) and stays at zero on the distractor.")


def _correlate(image, kernel: np.ndarray, padding) -> np.ndarray:
    """Cross-correlation with the padding rules of :func:`course_lib.conv.correlate2d`.

    ``checks`` is part of the shared base and may not import a topic package, so it uses SciPy
    with the same zero padding ("same" puts the extra zero after, as TensorFlow does).
    """
    image = np.asarray(image, dtype=float)
    if isinstance(padding, str):
        totals = {"valid": (0, 0), "same": (kernel.shape[0] - 1, kernel.shape[1] - 1),
                  "full": (2 * (kernel.shape[0] - 1), 2 * (kernel.shape[1] - 1))}[padding]
        widths = [(total // 2, total - total // 2) for total in totals]
    else:
        widths = [(int(padding), int(padding))] * 2
    return correlate2d(np.pad(image, widths), kernel, mode="valid")
