"""The gradebook CSV: one row per submission, rewritten atomically after every result.

Each write goes to a temporary file in the same folder and replaces the CSV with ``os.replace``,
so the CSV on disk is always complete: a grading run that is killed keeps every finished row,
and the next run skips the submissions already there (same file name and same content hash).
"""

from __future__ import annotations

import csv
import hashlib
import os
import tempfile
from pathlib import Path  # noqa: F401 (the doctests)

from course_lib._validation import as_names, as_path

#: Final statuses: ``graded`` (has a score), ``failed`` (could not be graded), ``timeout``.
STATUSES = ("graded", "failed", "timeout")
BASE_COLUMNS = ["submission", "sha256", "status", "score", "max_score"]
TAIL_COLUMNS = ["flags", "notes", "network_isolated", "seconds"]


def file_hash(path: str | os.PathLike) -> str:
    """SHA-256 of a file's bytes, as hex.

    Parameters
    ----------
    path : path

    Returns
    -------
    str

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "a.txt"
    >>> _ = path.write_text("abc")
    >>> file_hash(path)[:12]
    'ba7816bf8f01'
    """
    return hashlib.sha256(as_path("path", path).read_bytes()).hexdigest()


def failed_row(path: str | os.PathLike, note: str) -> dict:
    """The row of a submission that could not be graded: its name, content hash, ``failed``, and why.

    Parameters
    ----------
    path : path
        The submission file.
    note : str
        Why it failed: free text written into the gradebook's ``notes`` (the first 300 characters).

    Returns
    -------
    dict

    Raises
    ------
    TypeError
        If ``path`` is not a path or ``note`` not a str.
    ValueError
        If ``note`` is empty: a failed row says why.

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "ada.ipynb"
    >>> _ = path.write_text("abc")
    >>> row = failed_row(path, "grader error: the worker died")
    >>> row["submission"], row["status"], row["notes"], row["sha256"][:6]
    ('ada.ipynb', 'failed', 'grader error: the worker died', 'ba7816')
    >>> failed_row(path, 3)
    Traceback (most recent call last):
    ...
    TypeError: note must be a str (why the submission failed); got 3 (int).
    """
    path = as_path("path", path)
    if not isinstance(note, str):
        raise TypeError(f"note must be a str (why the submission failed); got {note!r} ({type(note).__name__}).")
    if not note.strip():
        raise ValueError("note must say why the submission failed; got an empty string.")
    return {"submission": path.name, "sha256": file_hash(path), "status": "failed", "notes": note[:300]}


class Gradebook:
    """Rows keyed by submission name, saved atomically to ``path`` on every :meth:`record`.

    Parameters
    ----------
    path : path
        The CSV; read when it exists (resuming a run).
    questions : list of str
        Question names, one score column each.

    Raises
    ------
    ValueError
        If an existing CSV has no ``submission`` column.

    Examples
    --------
    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "grades.csv")
    >>> book = Gradebook(path, questions=["q1"])
    >>> book.record({"submission": "ada.ipynb", "sha256": "ff", "status": "graded", "score": 1.0, "q1": 1.0})
    >>> Gradebook(path, questions=["q1"]).is_done("ada.ipynb", "ff")
    True
    >>> Gradebook(path, questions=["q1"]).is_done("ada.ipynb", "00")  # content changed: regrade
    False
    """

    def __init__(self, path: str | os.PathLike, *, questions: list[str]):
        self.path = as_path("path", path)
        self.columns = BASE_COLUMNS + as_names("questions", questions) + TAIL_COLUMNS
        self.rows: dict[str, dict[str, str]] = {}
        if self.path.exists():
            with open(self.path, newline="", encoding="utf-8") as handle:
                reader = csv.DictReader(handle)
                if reader.fieldnames is None or "submission" not in reader.fieldnames:
                    raise ValueError(
                        f"out file {self.path} exists but is not a gradebook (no 'submission' column); "
                        "choose another --out or remove it."
                    )
                for row in reader:
                    self.rows[row["submission"]] = row

    def is_done(self, submission: str, sha256: str, *, retry_failed: bool = False) -> bool:
        """Whether ``submission`` with this content already has a final row."""
        row = self.rows.get(submission)
        if row is None or row.get("sha256") != sha256 or row.get("status") not in STATUSES:
            return False
        return not (retry_failed and row["status"] != "graded")

    def record(self, row: dict) -> None:
        """Add or replace one row and write the whole CSV atomically."""
        self.rows[str(row["submission"])] = {k: "" if v is None else str(v) for k, v in row.items()}
        handle, temp = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.name}.", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", newline="", encoding="utf-8") as out:
                writer = csv.DictWriter(out, fieldnames=self.columns, extrasaction="ignore")
                writer.writeheader()
                for name in sorted(self.rows):
                    writer.writerow(self.rows[name])
                out.flush()
                os.fsync(out.fileno())
            os.replace(temp, self.path)
        except BaseException:
            if os.path.exists(temp):
                os.remove(temp)
            raise

    def counts(self) -> dict[str, int]:
        """Rows per status, plus ``flagged`` (rows with tamper flags).

        Examples
        --------
        >>> import tempfile, os
        >>> book = Gradebook(os.path.join(tempfile.mkdtemp(), "g.csv"), questions=[])
        >>> book.record({"submission": "a", "status": "graded", "flags": "calls exec"})
        >>> book.record({"submission": "b", "status": "timeout"})
        >>> book.counts()
        {'graded': 1, 'failed': 0, 'timeout': 1, 'flagged': 1}
        """
        counts = {status: 0 for status in STATUSES}
        for row in self.rows.values():
            if row.get("status") in counts:
                counts[row["status"]] += 1
        counts["flagged"] = sum(1 for row in self.rows.values() if row.get("flags"))
        return counts
