"""course_lib.checks.values: value exercises refuse a bad spec and say when their key is missing."""

import pytest

from course_lib.checks.keys import make_entry
from course_lib.checks.values import ValueExercise


def test_a_bad_spec_is_refused():
    with pytest.raises(ValueError, match=r"^kind must be one of 'integers', 'numbers', 'choice', 'text'; got 'list'"):
        ValueExercise(exercise_id="t.1", hint="", kind="list")
    with pytest.raises(ValueError, match=r"^tolerance must be positive for a numbers exercise; got 0\.0"):
        ValueExercise(exercise_id="t.1", hint="", kind="numbers")
    key = {"answer": make_entry("t.1", 3, "integers"), "mistakes": {"off_by_one": make_entry("t.1", 4, "integers")}}
    with pytest.raises(ValueError, match=r"^exercise 't\.1': the key has mistakes \['off_by_one'\] with no message"):
        ValueExercise(exercise_id="t.1", hint="", kind="integers", key=key)


def test_a_missing_key_says_how_to_write_it():
    exercise = ValueExercise(exercise_id="t.2", hint="", kind="integers")
    with pytest.raises(ValueError, match=r"^exercise 't\.2' has no key yet; write it with `python -m course_lib\.checks write-key t\.2"):
        exercise.judge(3, {})


def test_shapes_are_said_but_not_values():
    exercise = ValueExercise(exercise_id="t.3", hint="Think.", kind="numbers", tolerance=0.01,
                             key={"answer": make_entry("t.3", [[1.0, 2.0]], "numbers", tolerance=0.01), "mistakes": {}})
    assert exercise.judge([1.0, 2.0], {}) == (False, "Expected an array of shape (1, 2), got 2 values.")
    assert exercise.judge([[1.0, 2.5]], {}) == (False, "Think.")
    assert exercise.judge([[1.004, 1.996]], {})[0]
