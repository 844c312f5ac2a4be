"""Progress of a grading run: one line per finished submission, with the count, rate and time left.

Both ways of grading (the local process pool and a Dask cluster, :mod:`course_lib.grading.cluster`)
report through :class:`Progress`, so an instructor reads the same lines whichever ran.
"""

from __future__ import annotations

import numbers
import time

from course_lib._validation import as_float, as_int, as_mapping


def row_line(row: dict) -> str:
    """One gradebook row in a few words: name, status, score and flags.

    Parameters
    ----------
    row : dict
        A gradebook row, with at least ``submission`` and ``status``.

    Returns
    -------
    str

    Raises
    ------
    TypeError
        If ``row`` is not a dict.
    ValueError
        If ``row`` has no ``submission`` or no ``status``.

    Examples
    --------
    >>> row_line({"submission": "ada.ipynb", "status": "graded", "score": 8.0, "flags": ""})
    'ada.ipynb: graded 8.0'
    >>> row_line({"submission": "ada.ipynb"})
    Traceback (most recent call last):
    ...
    ValueError: row must have the keys 'submission' and 'status' (a gradebook row); got the keys ['submission'].
    """
    row = as_mapping("row", row, what="a gradebook row, column -> value")
    if "submission" not in row or "status" not in row:
        raise ValueError("row must have the keys 'submission' and 'status' (a gradebook row); "
                         f"got the keys {sorted(map(str, row))}.")
    return f"{row['submission']}: {row['status']} {row.get('score', '')} {row.get('flags', '')}".rstrip()


def duration(seconds: float) -> str:
    """A short human duration: ``"42 s"``, ``"3 min 20 s"``, ``"2 h 5 min"``.

    Parameters
    ----------
    seconds : float
        A finite duration, >= 0.

    Returns
    -------
    str

    Raises
    ------
    TypeError
        If ``seconds`` is not a number.
    ValueError
        If ``seconds`` is negative, NaN or infinite.

    Examples
    --------
    >>> duration(42.4), duration(200), duration(7500)
    ('42 s', '3 min 20 s', '2 h 5 min')
    >>> duration(float("nan"))
    Traceback (most recent call last):
    ...
    ValueError: seconds must be finite; got nan.
    """
    seconds = round(as_float("seconds", seconds, minimum=0.0))
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min {seconds % 60} s"
    return f"{seconds // 3600} h {seconds % 3600 // 60} min"


class Progress:
    """Counts finished submissions and writes one line for each, with rate and time left.

    Parameters
    ----------
    total : int
        Submissions this run grades (those already in the gradebook not counted).
    write : callable, keyword-only
        Called with each line (``print`` by default).
    bar : bool, keyword-only
        Also draw a ``tqdm`` bar (for an interactive terminal); the lines then go through
        ``tqdm.write`` so that the bar stays at the bottom.
    clock : callable, keyword-only
        Seconds, monotonic (``time.monotonic``); a test passes its own.

    Raises
    ------
    TypeError
        If ``total`` is not an int, ``write`` or ``clock`` not callable, or ``clock()`` not a number.
    ValueError
        If ``total`` is negative.

    Examples
    --------
    >>> ticks = iter([0.0, 10.0, 20.0])
    >>> progress = Progress(4, clock=lambda: next(ticks))
    >>> progress.done({"submission": "ada.ipynb", "status": "graded", "score": 8.0})
    [1/4] ada.ipynb: graded 8.0  (0.10 per s, about 30 s left)
    >>> progress.done({"submission": "bob.txt", "status": "failed"})
    [2/4] bob.txt: failed  (0.10 per s, about 20 s left)
    >>> Progress(-1)
    Traceback (most recent call last):
    ...
    ValueError: total must be >= 0; got -1.
    >>> Progress(4, clock=None)
    Traceback (most recent call last):
    ...
    TypeError: clock must be callable, returning seconds (time.monotonic); got NoneType.
    """

    def __init__(self, total: int, *, write=print, bar: bool = False, clock=time.monotonic):
        self.total = as_int("total", total, minimum=0)
        if not callable(write):
            raise TypeError(f"write must be callable, taking one line (print); got {type(write).__name__}.")
        if not callable(clock):
            raise TypeError(f"clock must be callable, returning seconds (time.monotonic); got {type(clock).__name__}.")
        self.count = 0
        self.clock = clock
        self.started = clock()
        if isinstance(self.started, bool) or not isinstance(self.started, numbers.Real):
            raise TypeError(f"clock must return seconds (a number); clock() returned {self.started!r}.")
        self.write = write
        self.bar = None
        if bar:
            from tqdm import tqdm

            self.bar = tqdm(total=self.total, unit="submission", dynamic_ncols=True)
            self.write = self.bar.write

    def done(self, row: dict) -> None:
        """Count one finished submission and write its line."""
        self.count += 1
        elapsed = max(self.clock() - self.started, 1e-9)
        rate = self.count / elapsed
        left = max(self.total - self.count, 0) / rate  # more results than announced: none left, not "-5 s"
        self.write(f"[{self.count}/{self.total}] {row_line(row)}  ({rate:.2f} per s, about {duration(left)} left)")
        if self.bar is not None:
            self.bar.update(1)

    def close(self) -> None:
        """Close the bar, if there is one."""
        if self.bar is not None:
            self.bar.close()
