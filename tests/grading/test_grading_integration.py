"""End to end: build every master with otter assign, then grade hostile submissions with the judge.

Slow (a sandboxed kernel per submission): about a minute on two cores. The attack classes of
issue 26 have their own suite, test_grading_redteam.py.
"""

from __future__ import annotations

import csv
import shutil
import zipfile
from pathlib import Path

import nbformat
import pytest

from course_lib.grading import assign as grading_assign, cli as grading

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def build(tmp_path_factory):
    folder = tmp_path_factory.mktemp("build")
    problems = grading_assign.assign_all(ROOT / "exercises", folder, run_tests=False, progress=lambda line: None)
    return folder, problems


def test_every_master_builds_without_leaks_and_ships_its_public_tests(build):
    folder, problems = build
    assert problems == []  # no solution line, hidden test or output in any student version
    names = [m.parent.name for m in grading_assign.find_masters(ROOT / "exercises")]
    assert {"conv", "gabor", "batchnorm", "decoder", "gradcam", "restoration"} <= set(names)
    for name in names:
        student = nbformat.read(folder / name / "student" / f"{name}.ipynb", as_version=4)
        assert f'exercise_tests.grader("{name}")' in student.cells[1].source
        assert not any(c.get("outputs") for c in student.cells if c.cell_type == "code")


def with_answers(solution: Path, **replacements: str) -> nbformat.NotebookNode:
    """The solution notebook with the code cell defining each name replaced."""
    nb = nbformat.read(solution, as_version=4)
    for cell in nb.cells:
        for name, source in replacements.items():
            if cell.cell_type == "code" and (f"def {name}(" in cell.source or cell.source.startswith(f"{name} =")):
                cell.source = source
    return nb


def rows(path: Path) -> dict[str, dict[str, str]]:
    with path.open(newline="") as handle:
        return {row["submission"]: row for row in csv.DictReader(handle)}


def test_hostile_submissions_are_graded_or_flagged(build, tmp_path):
    folder, _ = build
    solution = folder / "conv" / "autograder" / "conv-master.ipynb"
    subs = tmp_path / "subs"
    subs.mkdir()
    shutil.copy(solution, subs / "correct.ipynb")
    shutil.copy(folder / "conv" / "student" / "conv.ipynb", subs / "blank.ipynb")
    nbformat.write(with_answers(solution, correlate2d_loop="def correlate2d_loop(image, kernel):\n    return np.zeros((2, 2))"),
                   subs / "wrong.ipynb")
    nbformat.write(with_answers(solution, conv_output_size="raise RuntimeError('boom')"), subs / "raises.ipynb")
    nbformat.write(with_answers(solution, n_parameters="while True:\n    pass"), subs / "loops.ipynb")
    nbformat.write(with_answers(solution, n_parameters="import numpy\nhog = [numpy.ones(2**24) for _ in range(10**4)]"),
                   subs / "memory.ipynb")
    network = ("import socket\ntry:\n    socket.create_connection(('1.1.1.1', 80), timeout=5)\n    n_parameters = 0\n"
               "except OSError:\n    n_parameters = 4640")
    nbformat.write(with_answers(solution, n_parameters=network), subs / "network.ipynb")
    nbformat.write(with_answers(solution, n_parameters="print('x' * 20_000_000)\nn_parameters = 4640"), subs / "prints.ipynb")
    (subs / "garbage.ipynb").write_text('{"cells": [ {"cell_type": "code", ')
    shutil.copy(solution, subs / "Copy of conv (2) final.ipynb")
    stripped = nbformat.read(solution, as_version=4)
    stripped.metadata = {}
    for cell in stripped.cells:
        cell.metadata = {}
    nbformat.write(stripped, subs / "stripped.ipynb")
    patch_numpy = ("def correlate2d_loop(image, kernel):\n    return np.zeros((2, 2))\n"
                   "np.allclose = lambda *a, **k: True\nnp.testing.assert_allclose = lambda *a, **k: None")
    nbformat.write(with_answers(solution, correlate2d_loop=patch_numpy), subs / "patch_numpy.ipynb")
    patch_harness = ("import otter.test_files.abstract_test as harness\n"
                     "harness.TestFile.score = property(lambda self: self.possible)\nn_parameters = 0")
    nbformat.write(with_answers(solution, n_parameters=patch_harness), subs / "patch_harness.ipynb")

    out = tmp_path / "grades.csv"
    counts = grading.grade_submissions(folder / "conv" / "conv-autograder.zip", subs, out, workers=2,
                                       timeout=60, cell_timeout=10, memory_mb=3072, progress=lambda line: None)
    book = rows(out)
    assert counts == {"graded": 12, "failed": 1, "timeout": 0, "flagged": 3, "skipped": 0}
    full = {"correct.ipynb", "Copy of conv (2) final.ipynb", "stripped.ipynb", "prints.ipynb"}
    for name in full:
        assert (book[name]["status"], book[name]["score"]) == ("graded", "8.0"), name
    assert book["stripped.ipynb"]["notes"] == "metadata restored: kernelspec, otter assignment name"
    assert book["blank.ipynb"]["score"] == "0.0"
    assert book["wrong.ipynb"]["q1"] == "0.0" and book["wrong.ipynb"]["score"] == "4.0"
    assert book["raises.ipynb"]["q2"] == "0.0" and book["raises.ipynb"]["q1"] == "4.0"
    # A cell that loops or eats memory loses only its own question.
    assert (book["loops.ipynb"]["score"], book["loops.ipynb"]["q3"]) == ("7.0", "0.0")
    assert "ran past its time limit of 10 s" in book["loops.ipynb"]["notes"]
    assert (book["memory.ipynb"]["score"], book["memory.ipynb"]["q3"]) == ("7.0", "0.0")
    assert book["garbage.ipynb"]["status"] == "failed" and "does not parse" in book["garbage.ipynb"]["notes"]
    assert "tries the network (socket)" in book["network.ipynb"]["flags"]
    assert book["network.ipynb"]["q3"] == "1.0" and book["network.ipynb"]["network_isolated"] == "True"
    assert "monkeypatches numpy (np.allclose)" in book["patch_numpy.ipynb"]["flags"]
    assert book["patch_numpy.ipynb"]["q1"] == "0.0"  # the tests compare on the trusted side
    assert "imports the grading harness (otter)" in book["patch_harness.ipynb"]["flags"]
    feedback = (out.parent / "grades_files" / "wrong.ipynb.feedback.md").read_text()
    assert "Score: 4 / 8" in feedback and "4640" not in feedback and "random_against_reference" not in feedback
    assert (out.parent / "grades_files" / "loops.ipynb.log").exists()

    # Resume: a second run regrades nothing; a changed file is regraded, the rest keep their rows.
    before = out.read_text()
    again = grading.grade_submissions(folder / "conv" / "conv-autograder.zip", subs, out, progress=lambda line: None)
    assert again["skipped"] == 13 and out.read_text() == before
    (subs / "garbage.ipynb").write_text("{}")
    grading.grade_submissions(folder / "conv" / "conv-autograder.zip", subs, out, progress=lambda line: None)
    after = rows(out)
    assert after["correct.ipynb"] == book["correct.ipynb"] and after["garbage.ipynb"]["sha256"] != book["garbage.ipynb"]["sha256"]


def test_every_solution_gets_full_marks(build, tmp_path):
    folder, _ = build
    for name in ("batchnorm", "gabor", "decoder", "gradcam", "restoration"):
        subs = tmp_path / name
        subs.mkdir()
        solution = folder / name / "autograder" / f"{name}-master.ipynb"
        if name == "restoration":  # hand-in is the notebook plus the exported predictions
            namespace = {}
            training = next(c.source for c in nbformat.read(solution, as_version=4).cells if "otter_ignore" in c.metadata.get("tags", []))
            import numpy as np

            namespace["np"] = np
            namespace["noisy"] = np.load(ROOT / "exercises" / "restoration" / "restoration_noisy.npy")
            training = training.replace('np.save("denoised.npy", denoised.astype(np.float32))', "")
            exec(training, namespace)  # the master's own training cell, run here (not on the grader)
            with zipfile.ZipFile(subs / "ada.zip", "w") as archive:
                archive.write(solution, "restoration.ipynb")
                with archive.open("denoised.npy", "w") as handle:
                    np.save(handle, namespace["denoised"].astype(np.float32))
            shutil.copy(solution, subs / "notebook_only.ipynb")
        else:
            shutil.copy(solution, subs / "ada.ipynb")
        out = tmp_path / f"{name}.csv"
        grading.grade_submissions(folder / name / f"{name}-autograder.zip", subs, out, timeout=120,
                                  progress=lambda line: None)
        book = rows(out)
        key = "ada.zip" if name == "restoration" else "ada.ipynb"
        assert book[key]["status"] == "graded" and book[key]["score"] == book[key]["max_score"], (name, book[key])
        if name == "restoration":
            assert book["notebook_only.ipynb"]["score"] == "0.0", "no predictions file, no points"
