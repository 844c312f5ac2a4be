"""Progress lines of a grading run: count, rate, time left; a bar for a terminal."""

from __future__ import annotations

import pytest

from course_lib.grading.progress import Progress, duration


def test_rate_and_time_left_follow_the_clock():
    ticks = iter([100.0, 102.0, 104.0, 110.0])
    lines = []
    progress = Progress(3, write=lines.append, clock=lambda: next(ticks))
    for name in ("a", "b", "c"):
        progress.done({"submission": name, "status": "graded", "score": 1.0, "flags": "calls exec"})
    assert lines == ["[1/3] a: graded 1.0 calls exec  (0.50 per s, about 4 s left)",
                     "[2/3] b: graded 1.0 calls exec  (0.50 per s, about 2 s left)",
                     "[3/3] c: graded 1.0 calls exec  (0.30 per s, about 0 s left)"]
    assert duration(3599.4) == "59 min 59 s" and duration(3600) == "1 h 0 min"


def test_a_bar_counts_and_keeps_the_lines(capsys):
    progress = Progress(2, bar=True)
    progress.done({"submission": "a", "status": "failed"})
    assert progress.bar.n == 1
    progress.close()
    captured = capsys.readouterr()
    assert "[1/2] a: failed" in captured.out and "1/2" in captured.err


def test_total_must_be_a_count():
    with pytest.raises(ValueError, match="total must be >= 0; got -2"):
        Progress(-2)
    with pytest.raises(TypeError, match="total must be an integer; got 2.5"):
        Progress(2.5)
