"""course_lib.checks.keys: canonical forms, salted hashes, and bins centred on the answer."""

import numpy as np
import pytest

from course_lib.checks import keys


@pytest.mark.parametrize("answer, tolerance", [(0.0625, 1e-6), (135.0, 0.5), ([1.85, -1.0], 1e-6), ([0.3, 7.77], 0.01)])
def test_every_value_within_the_tolerance_hashes_like_the_answer(answer, tolerance):
    entry = keys.make_entry("x.1", answer, "numbers", tolerance=tolerance)
    values = np.asarray(answer, dtype=float)
    rng = np.random.default_rng(0)
    for factor in (-0.9, 0.9, *rng.uniform(-0.9, 0.9, size=20)):
        assert keys.matches("x.1", (values + factor * tolerance).tolist(), entry, "numbers", tolerance=tolerance)
    for factor in (-1.1, 1.1):
        assert not keys.matches("x.1", (values + factor * tolerance).tolist(), entry, "numbers", tolerance=tolerance)


def test_the_key_holds_no_answer():
    entry = keys.make_entry("4.2", [1.85, -1.0], "numbers", tolerance=1e-6)
    assert set(entry) == {"hash", "offset", "shape"} and "1.85" not in str(entry)
    assert len(entry["hash"]) == 64


def test_the_salt_is_the_exercise_id():
    assert keys.make_entry("4.3", "a", "choice")["hash"] != keys.make_entry("3.3", "a", "choice")["hash"]


def test_canonical_forms():
    assert keys.canonical("  (B). ", "choice") == "b"
    assert keys.canonical(" Inference ", "text") == "inference"
    assert keys.canonical(np.int64(55), "integers") == keys.canonical(55.0, "integers") == "integers():55"
    assert keys.canonical((16, 16), "integers") == "integers(2,):[16, 16]"


def test_shape_is_part_of_the_hash():
    entry = keys.make_entry("x.2", [1, 2], "integers")
    assert not keys.matches("x.2", [[1, 2]], entry, "integers")
    assert not keys.matches("x.2", [[1], [2, 3]], entry, "integers")


@pytest.mark.parametrize("value, kind, message", [
    ("55", "integers", r"^Expected a number or a list of numbers; got the string '55'\.$"),
    (54.5, "integers", r"^Expected whole numbers; your answer has a fractional part\.$"),
    ([True], "numbers", r"^Expected numbers; got True/False values\.$"),
    ([1.0, np.nan], "numbers", r"^Your answer holds nan or inf"),
    ({"a": 1}, "numbers", r"^Expected a number or a list of numbers; got dict\.$"),
    (3, "choice", r'^Expected a string such as "a"; got int\.$'),
    (3, "text", r"^Expected a string such as a word; got int\.$"),
])
def test_an_answer_of_the_wrong_form_is_explained(value, kind, message):
    with pytest.raises(keys.AnswerFormError, match=message):
        keys.canonical(value, kind, tolerance=0.1)


def test_bad_kinds_and_tolerances_are_refused():
    with pytest.raises(ValueError, match=r"^kind must be one of 'integers', 'numbers', 'choice', 'text'; got 'float'"):
        keys.canonical(1.0, "float")
    with pytest.raises(ValueError, match=r"^tolerance must be positive for numbers; got 0"):
        keys.canonical(1.0, "numbers", tolerance=0)
