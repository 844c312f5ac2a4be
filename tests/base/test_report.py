import pytest

from course_lib import report


def test_glue_rounds_real_numbers_and_keeps_the_rest():
    assert report.glue("gain", 1.23456, digits=2) == 1.23
    assert report.glue("count", 7) == 7
    assert report.glue("flag", True) is True
    assert report.glue("raw", 0.123456789, digits=None) == 0.123456789


def test_glue_hands_the_rounded_value_to_myst_nb(monkeypatch):
    import myst_nb

    seen = {}
    monkeypatch.setattr(myst_nb, "glue", lambda name, value, display: seen.update({name: (value, display)}))
    report.glue("psnr", 28.8149, digits=2)
    assert seen == {"psnr": (28.81, False)}


@pytest.mark.parametrize(("name", "digits", "error", "match"), [
    (3, 2, TypeError, "name must be a string; got int"),
    ("bad name", 2, ValueError, "name must hold only letters, digits and '_'; got 'bad name'"),
    ("", 2, ValueError, "name must hold only letters"),
    ("ok", -1, ValueError, "digits"),
])
def test_glue_rejects_bad_arguments(name, digits, error, match):
    with pytest.raises(error, match=match):
        report.glue(name, 1.0, digits=digits)
