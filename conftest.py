"""Repository-wide pytest hooks: nbval's numeric tolerance, and how long each chapter's cells ran.

``tools/nbval_tolerance.py`` compares the numbers of a cell marked ``# NBVAL_TOLERANCE: ...``
within that tolerance. The Makefile's nbval commands load it (``-p tools.nbval_tolerance``);
loading it here too gives the same comparison to a plain ``pytest --nbval lessons/...`` run
from the repository root.

``make test-notebooks`` prints the seconds per chapter (the sum of its cells' run times, the
kernel's start excluded) and writes them to ``_build/chapter-times.json``, which ``make test``
records with its stage table in ``benchmarks/results/`` (shown in the book's ``book/built.md``).
"""

from __future__ import annotations

import collections
import json
from pathlib import Path

pytest_plugins = ("tools.nbval_tolerance",)

_CHAPTER_SECONDS: dict[str, float] = collections.defaultdict(float)


def pytest_runtest_logreport(report):
    """Add each notebook cell's time (setup, call and teardown) to its chapter."""
    path = report.nodeid.split("::", 1)[0]
    if path.endswith(".ipynb"):
        _CHAPTER_SECONDS[path] += report.duration


def pytest_terminal_summary(terminalreporter):
    """Print the seconds per chapter, longest first, and keep them in _build/."""
    if not _CHAPTER_SECONDS:
        return
    ranked = sorted(_CHAPTER_SECONDS.items(), key=lambda item: -item[1])
    terminalreporter.section("seconds per chapter (its cells, under nbval)")
    for path, seconds in ranked:
        terminalreporter.write_line(f"{seconds:7.1f} s  {path}")
    build = Path(__file__).resolve().parent / "_build"
    build.mkdir(exist_ok=True)
    (build / "chapter-times.json").write_text(json.dumps({path: round(seconds, 1) for path, seconds in ranked},
                                                         indent=1) + "\n")
