"""nbval's numeric tolerance (tools/nbval_tolerance.py) and the chapters' use of it.

The plugin compares the numbers of a cell marked ``# NBVAL_TOLERANCE: atol=..., rtol=...``
within that tolerance and the text around them exactly; a cell marked ``# NBVAL_IGNORE_OUTPUT``
may not glue a number. The fixture notebook ``nbval_tolerance_fixture.ipynb`` holds stored
outputs moved on purpose, each cell saying whether nbval must pass or fail it; the last tests
go over every chapter in lessons/.
"""

import doctest
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import nbval_tolerance  # noqa: E402
import setup_cell  # noqa: E402
from nbval_tolerance import Tolerance, parse_tolerance, snap, split_numbers  # noqa: E402

FIXTURE = Path(__file__).with_name("nbval_tolerance_fixture.ipynb")
# A trained number in an ignored cell is checked by a compared cell that prints a verdict on it:
# the next compared cell that prints text, with at most a figure or two (or more ignored training
# cells) in between.
VERDICT_WITHIN = 4


def test_the_docstring_examples_hold():
    assert doctest.testmod(nbval_tolerance).failed == 0


@pytest.mark.parametrize(("source", "expected"), [
    ("# NBVAL_TOLERANCE: atol=0.02\nfit()", Tolerance(atol=0.02)),
    ("# NBVAL_TOLERANCE: rtol=0.05", Tolerance(rtol=0.05)),
    ("#NBVAL_TOLERANCE: rtol=5e-2 ,atol=0.3", Tolerance(atol=0.3, rtol=0.05)),
    ("fit()\n# NBVAL_TOLERANCE: atol=0.02", None),  # only the first line is a marker
    ("# NBVAL_IGNORE_OUTPUT\nfit()", None),
])
def test_parse_tolerance(source, expected):
    assert parse_tolerance(source) == expected


@pytest.mark.parametrize(("source", "message"), [
    ("# NBVAL_TOLERANCE: atl=0.02", r"takes atol=<number> and/or rtol=<number>.*got 'atl=0.02'"),
    ("# NBVAL_TOLERANCE:", r"takes atol=<number> and/or rtol=<number>.*got ''"),
    ("# NBVAL_TOLERANCE: atol=0.02 rtol=0.1", r"comma-separated; got 'atol=0.02 rtol=0.1'"),
    ("# NBVAL_TOLERANCE: atol=-0.1", r"atol must be a non-negative number; got '-0.1'"),
    ("# NBVAL_TOLERANCE: rtol=nan", r"rtol must be a non-negative number; got 'nan'"),
    ("# NBVAL_TOLERANCE: rtol=five", r"rtol must be a non-negative number; got 'five'"),
])
def test_parse_tolerance_refuses_a_malformed_marker(source, message):
    with pytest.raises(ValueError, match=message):
        parse_tolerance(source)


@pytest.mark.parametrize(("text", "numbers"), [
    ("loss 0.2, val_loss 1e-3.", ["0.2", "1e-3"]),
    ("epoch 12/30: accuracy 0.945", ["12", "30", "0.945"]),
    ("conv2d_1 (3x3) at 0xADDRESS, #1f77b4", []),  # parts of names are text, compared exactly
    ("<td>-0.50</td><td>93.5%</td>", ["-0.50", "93.5"]),
    ("{'psnr': 23.46}", ["23.46"]),
])
def test_split_numbers_finds_the_numbers_that_stand_alone(text, numbers):
    template, found = split_numbers(text)
    assert found == numbers
    assert template.format(*found) == text


def test_snap_compares_each_number_within_atol_plus_rtol():
    tolerance = Tolerance(atol=0.1, rtol=0.1)  # 0.1 + 0.1 * 10 = 1.1 allowed around 10
    assert snap("psnr 10.0 dB", "psnr 11.0 dB", tolerance) == ("psnr 10.0 dB", [])
    assert snap("psnr 10.0 dB", "psnr 8.8 dB", tolerance) == (
        "psnr 8.8 dB", ["8.8 against the stored 10.0 (allowed: 1.1)"])


def test_snap_leaves_other_text_and_another_count_of_numbers_to_the_exact_comparison():
    tolerance = Tolerance(atol=1.0)
    assert snap("train 0.90", "test 0.90", tolerance) == ("test 0.90", [])
    assert snap("scores 0.90", "scores 0.90 0.91", tolerance) == ("scores 0.90 0.91", [])


def _nbval_outcomes(notebook: Path) -> tuple[dict[int, str], str]:
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval", str(notebook), "-p", "tools.nbval_tolerance",
         "-p", "no:cacheprovider", "-q", "-rA", "--color=no"],
        cwd=ROOT, capture_output=True, text=True, timeout=300)
    outcomes = {int(cell): outcome
                for outcome, cell in re.findall(r"^(PASSED|FAILED) \S+::Cell (\d+)", run.stdout, flags=re.M)}
    return outcomes, run.stdout


@pytest.mark.slow
def test_the_fixture_fails_exactly_the_cells_moved_beyond_their_tolerance():
    """A trained number moved within its tolerance passes, one moved further fails, and so on."""
    cells = [cell for cell in nbformat.read(FIXTURE, as_version=4).cells if cell.cell_type == "code"]
    expected = {number: "PASSED" for number in range(len(cells))}
    for number, cell in enumerate(cells):
        match = re.search(r"^# expect: (pass|fail)\b", cell.source, flags=re.M)
        if match:
            expected[number] = {"pass": "PASSED", "fail": "FAILED"}[match[1]]
    assert sorted(set(expected.values())) == ["FAILED", "PASSED"]
    outcomes, report = _nbval_outcomes(FIXTURE)
    assert outcomes == expected, report[-4000:]
    # the report says which number left its tolerance, and why an ignored glue fails
    assert "0.900 against the stored 0.930 (allowed: 0.02)" in report
    assert "0.4 against the stored 0.44 (allowed: 0.022)" in report
    assert "marked NBVAL_IGNORE_OUTPUT but glues numbers into the text (accuracy = 0.9)" in report


# --- the chapters ------------------------------------------------------------------------------


def _printed_texts(cell) -> list[str]:
    """The text a cell prints or returns (not glue records, figure reprs or widgets)."""
    texts = []
    for output in cell.get("outputs", []):
        if output.output_type == "stream":
            texts.append(output.text)
        elif not output.get("metadata", {}).get("scrapbook"):
            text = output.get("data", {}).get("text/plain", "")
            if text and not text.startswith(("<Figure", "<matplotlib", "interactive(")):
                texts.append(text)
    return texts


def _compared(cell) -> bool:
    return not nbval_tolerance.marked_to_ignore(cell) and "NBVAL_SKIP" not in cell.source


def chapter_audit(notebook) -> dict[str, list[str]]:
    """Each code cell of a chapter sorted by how its numbers are compared, with the problems found."""
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    audit = {"tolerance": [], "ignored, then a verdict": [], "problems": []}
    for number, cell in enumerate(code):
        where = f"cell {number} ({cell.get('id')})"
        try:
            if parse_tolerance(cell.source) is not None:
                audit["tolerance"].append(where)
            elif nbval_tolerance.MARKER in cell.source:
                audit["problems"].append(f"{where}: {nbval_tolerance.MARKER} is not its first line")
        except ValueError as error:
            audit["problems"].append(f"{where}: {error}")
        if not nbval_tolerance.marked_to_ignore(cell):
            continue
        glued = nbval_tolerance.glued_numbers(cell.get("outputs", []))
        if glued:
            audit["problems"].append(f"{where} is ignored but glues {glued}: give it a tolerance marker")
        if not any(nbval_tolerance.NUMBER.search(text) for text in _printed_texts(cell)):
            continue
        following = code[number + 1:number + 1 + VERDICT_WITHIN]
        if any(_compared(after) and _printed_texts(after) for after in following):
            audit["ignored, then a verdict"].append(where)
        else:
            audit["problems"].append(f"{where} is ignored and prints numbers, but no compared cell prints a "
                                     f"verdict within the next {VERDICT_WITHIN} code cells: give it a tolerance "
                                     "marker or add a verdict cell")
    return audit


def test_the_audit_finds_an_ignored_glue_an_ignored_number_without_a_verdict_and_a_misplaced_marker():
    notebook = nbformat.v4.new_notebook()
    glue = nbformat.v4.new_output("display_data", data={"application/papermill.record/text/plain": "0.9"},
                                  metadata={"scrapbook": {"name": "accuracy"}})
    printed = nbformat.v4.new_output("stream", name="stdout", text="accuracy 0.9\n")
    notebook.cells = [nbformat.v4.new_code_cell("# NBVAL_IGNORE_OUTPUT\nfit()", outputs=[glue]),
                      nbformat.v4.new_code_cell("# NBVAL_IGNORE_OUTPUT\nfit()", outputs=[printed]),
                      nbformat.v4.new_code_cell("plot()\n# NBVAL_TOLERANCE: atol=0.02", outputs=[])]
    problems = chapter_audit(notebook)["problems"]
    assert len(problems) == 3
    assert "cell 2 (" in problems[2] and "NBVAL_TOLERANCE is not its first line" in problems[2]
    assert "cell 0 (" in problems[0] and "glues ['accuracy = 0.9']" in problems[0]
    assert "cell 1 (" in problems[1] and "no compared cell prints a verdict" in problems[1]
    notebook.cells.append(nbformat.v4.new_code_cell("print(accuracy > 0.8)", outputs=[
        nbformat.v4.new_output("stream", name="stdout", text="True\n")]))
    assert chapter_audit(notebook)["ignored, then a verdict"] == ["cell 1 (" + notebook.cells[1].id + ")"]


def test_no_chapter_leaves_a_trained_number_uncompared():
    """Each ignored cell that prints a number is followed by a compared verdict; none glues a number."""
    counts = {"tolerance": 0, "ignored, then a verdict": 0}
    problems = []
    for path in setup_cell.chapters():
        audit = chapter_audit(nbformat.read(path, as_version=4))
        problems += [f"{path.name} {problem}" for problem in audit["problems"]]
        for kind in counts:
            counts[kind] += len(audit[kind])
    assert not problems, "\n".join(problems)
    assert counts["tolerance"] > 0 and counts["ignored, then a verdict"] > 0, counts


def test_make_test_portable_caps_numpy_below_avx_without_a_warning():
    """NumPy accepts every name of the portable cap (an unknown one is a warning) and then dispatches no AVX."""
    import os

    makefile = re.sub(r"\\\n\s*", " ", (ROOT / "Makefile").read_text())
    caps = re.search(r'^PORTABLE_CAPS := .*NPY_DISABLE_CPU_FEATURES="([^"]+)"', makefile, flags=re.M)
    assert caps, "the Makefile has no PORTABLE_CAPS naming NPY_DISABLE_CPU_FEATURES"
    script = ("import numpy\n"
              "from numpy._core._multiarray_umath import __cpu_features__ as on\n"
              "print(sorted(name for name in ('AVX', 'AVX2', 'FMA3', 'AVX512F') if on[name]))\n")
    run = subprocess.run([sys.executable, "-W", "error", "-c", script], capture_output=True, text=True, timeout=60,
                         env=dict(os.environ, NPY_DISABLE_CPU_FEATURES=caps[1]))
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.strip() == "[]"
