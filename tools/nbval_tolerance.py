"""A pytest plugin that gives nbval a numeric tolerance, cell by cell.

A code cell whose first source line is ``# NBVAL_TOLERANCE: atol=0.02`` (or ``rtol=0.05``, or
both, comma-separated) has the numbers of its text outputs compared within that tolerance: a
stored number ``ref`` and a fresh one ``new`` agree when ``|new - ref| <= atol + rtol * |ref|``
(NumPy's ``isclose``). The text around the numbers is compared exactly, and both outputs must
hold the same count of numbers. Text outputs are the streams and the ``text/plain``,
``text/markdown`` and ``text/html`` data of displays and results, which includes the values
that MyST-NB's ``glue`` records (``application/papermill.record/text/plain``, with
``metadata.scrapbook``). Every other cell is compared by nbval as before.

A glued number is the book's own prose, so none may go uncompared: a cell marked
``# NBVAL_IGNORE_OUTPUT`` that glues a value holding a number fails, with the advice to mark it
with a tolerance instead.

The Makefile loads the plugin in its nbval commands (``-p tools.nbval_tolerance``), and the root
``conftest.py`` loads it for any pytest run from the repository root.

Examples
--------
>>> parse_tolerance("# NBVAL_TOLERANCE: atol=0.02, rtol=0.05\\nmodel.fit(...)")
Tolerance(atol=0.02, rtol=0.05)
>>> parse_tolerance("print(1)") is None
True
>>> split_numbers("accuracy 0.935, loss 0.2 (conv2d_1)")
('accuracy {}, loss {} (conv2d_1)', ['0.935', '0.2'])
>>> snap("accuracy 0.935", "accuracy 0.941", Tolerance(atol=0.02))
('accuracy 0.935', [])
>>> snap("accuracy 0.935", "accuracy 0.901", Tolerance(atol=0.02))
('accuracy 0.901', ['0.901 against the stored 0.935 (allowed: 0.02)'])
"""

from __future__ import annotations

import copy
import re
from collections import defaultdict
from typing import NamedTuple

import pytest

MARKER = "NBVAL_TOLERANCE"
IGNORE_MARKER = "NBVAL_IGNORE_OUTPUT"
_MARKER_LINE = re.compile(rf"^\s*#\s*{MARKER}:(?P<spec>.*)$")
_SETTING = re.compile(r"^\s*(?P<name>\w+)\s*=\s*(?P<value>\S+)\s*$")
# A number stands alone: not part of a name (conv2d_1, 3x3, 0xADDRESS) or of another number.
NUMBER = re.compile(r"(?<![\w.])[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?(?!\w)")
_TEXT_KEYS = ("text/plain", "text/markdown", "text/html")
_MOVED = "nbval_tolerance_moved"
_MOVED_REPORTS: list[str] = []


class Tolerance(NamedTuple):
    """How far a fresh number may be from the stored one: ``atol + rtol * |stored|``."""

    atol: float = 0.0
    rtol: float = 0.0

    def allowed(self, reference: float) -> float:
        return self.atol + self.rtol * abs(reference)


def parse_tolerance(source: str) -> Tolerance | None:
    """The tolerance of a cell whose first line is ``# NBVAL_TOLERANCE: ...``, else None.

    Raises
    ------
    ValueError
        If the marker line names something other than ``atol`` and ``rtol``, a value that is
        not a non-negative number, or neither of the two.
    """
    first_line = source.lstrip("\n").split("\n", 1)[0]
    match = _MARKER_LINE.match(first_line)
    if match is None:
        return None
    settings = {}
    for part in match["spec"].split(","):
        setting = _SETTING.match(part)
        if setting is None or setting["name"] not in Tolerance._fields:
            raise ValueError(f"{MARKER} takes atol=<number> and/or rtol=<number>, comma-separated; "
                             f"got {part.strip()!r} in {first_line.strip()!r}.")
        try:
            value = float(setting["value"])
        except ValueError:
            value = -1.0
        if not value >= 0:  # also refuses nan
            raise ValueError(f"{MARKER}: {setting['name']} must be a non-negative number; "
                             f"got {setting['value']!r} in {first_line.strip()!r}.")
        settings[setting["name"]] = value
    return Tolerance(**settings)


def split_numbers(text: str) -> tuple[str, list[str]]:
    """The text with each number replaced by ``{}``, and the numbers as written."""
    numbers = NUMBER.findall(text)
    template = NUMBER.sub("{}", text.replace("{", "{{").replace("}", "}}"))
    return template, numbers


def snap(reference: str, test: str, tolerance: Tolerance, moved: list[str] | None = None) -> tuple[str, list[str]]:
    """``test`` with each number that lies within ``tolerance`` of the stored one written as stored.

    The text around the numbers is left to nbval's exact comparison: when it differs, or the
    count of numbers does, ``test`` comes back unchanged. The second item lists the numbers
    that lie outside the tolerance; ``moved``, when given, gets ``"stored -> fresh"`` for each
    number that differs but lies within it.
    """
    reference_template, reference_numbers = split_numbers(reference)
    test_template, test_numbers = split_numbers(test)
    if reference_template != test_template or len(reference_numbers) != len(test_numbers):
        return test, []
    kept, problems = [], []
    for stored, fresh in zip(reference_numbers, test_numbers):
        allowed = tolerance.allowed(float(stored))
        if abs(float(fresh) - float(stored)) <= allowed:
            kept.append(stored)
            if moved is not None and fresh != stored:
                moved.append(f"{stored} -> {fresh}")
        else:
            kept.append(fresh)
            problems.append(f"{fresh} against the stored {stored} (allowed: {allowed:.6g})")
    return test_template.format(*kept), problems


def _text_values(output, skip_compare):
    """(key, container, field) of each text value of one output, keyed as nbval groups them."""
    if output.get("output_type") == "stream":
        yield output["name"], output, "text"
        return
    for data_key, value in output.get("data", {}).items():
        if data_key not in skip_compare and data_key.endswith(_TEXT_KEYS) and isinstance(value, str):
            yield data_key, output["data"], data_key


def compare_within_tolerance(item, test, ref, tolerance: Tolerance, skip_compare=None) -> bool:
    """nbval's comparison of a cell's outputs, after moving each number within tolerance onto the stored one."""
    skip_compare = skip_compare or item.parent.skip_compare
    stored = defaultdict(list)
    for output in ref:
        for key, container, field in _text_values(output, skip_compare):
            stored[key].append(item.sanitize(container[field]))
    test = copy.deepcopy(test)
    seen = defaultdict(int)
    problems, moved = [], []
    for output in test:
        for key, container, field in _text_values(output, skip_compare):
            index = seen[key]
            seen[key] += 1
            if index < len(stored[key]):
                container[field], out_of_tolerance = snap(stored[key][index], item.sanitize(container[field]),
                                                          tolerance, moved)
                problems += out_of_tolerance
    if moved:  # shown at the end of the run, to measure the spread (CONTRIBUTING)
        item.user_properties.append((_MOVED, f"{tolerance}: {', '.join(moved)}"))
    same = type(item).compare_outputs(item, test, ref, skip_compare)
    if not same:
        item.comparison_traceback.append(
            f"{MARKER} {tolerance}: "
            + ("; ".join(problems) if problems else "the text around the numbers, or their count, differs"))
    return same


def glued_numbers(outputs) -> list[str]:
    """The glued values (MyST-NB's ``glue``: ``metadata.scrapbook``) among ``outputs`` that hold a number."""
    found = []
    for output in outputs:
        if not output.get("metadata", {}).get("scrapbook"):
            continue
        name = output["metadata"]["scrapbook"].get("name", "?")
        for key, value in output.get("data", {}).items():
            if key.endswith("text/plain") and isinstance(value, str) and NUMBER.search(value):
                found.append(f"{name} = {value}")
    return found


def marked_to_ignore(cell) -> bool:
    """Whether a cell carries nbval's ``# NBVAL_IGNORE_OUTPUT`` comment or ``nbval-ignore-output`` tag."""
    comment = any(line.strip().lstrip("#").strip() == IGNORE_MARKER for line in cell.source.splitlines())
    return comment or "nbval-ignore-output" in cell.get("metadata", {}).get("tags", [])


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Give each nbval cell with a tolerance marker the tolerant comparison; check ignored cells' glues."""
    for item in items:
        cell = getattr(item, "cell", None)
        if cell is None or not hasattr(item, "compare_outputs") or not hasattr(item, "raise_cell_error"):
            continue
        if marked_to_ignore(cell):
            item.runtest = _checking_glues(item)
            continue
        try:
            tolerance = parse_tolerance(cell.source)
        except ValueError as error:
            item.runtest = _raising(error)
            continue
        if tolerance is not None:
            item.compare_outputs = (lambda test, ref, skip_compare=None, item=item, tolerance=tolerance:
                                    compare_within_tolerance(item, test, ref, tolerance, skip_compare))


def pytest_runtest_logreport(report):
    """Keep the numbers that moved within their tolerance (also from xdist's workers)."""
    for name, value in getattr(report, "user_properties", ()):
        if name == _MOVED and report.when == "call":
            _MOVED_REPORTS.append(f"{report.nodeid}: {value}")


def pytest_terminal_summary(terminalreporter):
    """List, for each tolerance cell, the numbers that differ from the stored ones but lie within tolerance."""
    if _MOVED_REPORTS:
        terminalreporter.section("numbers within their tolerance that differ from the stored ones")
        for line in _MOVED_REPORTS:
            terminalreporter.write_line(line)


def _checking_glues(item):
    runtest = item.runtest

    def run_and_check_glues():
        runtest()
        glued = glued_numbers(item.test_outputs or [])
        if glued:
            item.raise_cell_error(f"this cell is marked {IGNORE_MARKER} but glues numbers into the text "
                        f"({', '.join(glued)}): mark it '# {MARKER}: atol=...' instead, so that they are compared")

    return run_and_check_glues


def _raising(error: Exception):
    def runtest():
        raise error

    return runtest
