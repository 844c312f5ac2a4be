"""course_lib.checks.writer and ``python -m course_lib.checks write-key``: keys written from solutions."""

import shutil

import nbformat
import pytest

from course_lib.checks import __main__ as cli
from course_lib.checks import writer
from course_lib.checks.keys import matches


@pytest.fixture
def chapter(tmp_path, monkeypatch):
    """A copy of chapter 4's module that the writer rewrites instead of the real one."""
    path = tmp_path / "ch04.py"
    shutil.copy(writer.module_path("4.2"), path)
    monkeypatch.setattr(writer, "module_path", lambda exercise_id: path)
    return path


def test_write_key_stores_an_answer_and_a_mistake_by_hash(chapter, capsys):
    assert cli.main(["write-key", "4.2", "--value", "[1.0, 2.0]"]) == 0
    assert cli.main(["write-key", "4.2", "--mistake", "ascent", "--value", "[3.0, 4.0]"]) == 0
    assert "4.2: wrote the mistake 'ascent' key" in capsys.readouterr().out
    record = writer.read_keys(chapter)["4.2"]
    assert matches("4.2", [1.0, 2.0], record["answer"], "numbers", tolerance=1e-6)
    assert matches("4.2", [3.0, 4.0], record["mistakes"]["ascent"], "numbers", tolerance=1e-6)
    assert "1.0, 2.0" not in chapter.read_text()
    compile(chapter.read_text(), str(chapter), "exec")


def test_write_key_refuses_what_it_cannot_store(chapter):
    with pytest.raises(ValueError, match=r"^mistake 'typo' has no message in exercise '4\.2'"):
        writer.store("4.2", {"hash": "x", "shape": []}, mistake="typo")
    with pytest.raises(ValueError, match=r"^exercise '4\.1' is a FunctionExercise; only value exercises have hashed keys"):
        writer.entry_for("4.1", 1.0)
    chapter.write_text("KEYS = {}\n")
    with pytest.raises(ValueError, match=r"has no '# BEGIN KEYS' \.\.\. '# END KEYS' block"):
        writer.read_keys(chapter)
    with pytest.raises(SystemExit):
        cli.main(["write-key", "4.2", "4.3", "--value", "1"])


def test_write_key_from_a_notebook_hashes_what_the_solution_cell_computes(chapter, tmp_path):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell("from course_lib import checks\nimport numpy as np"),
        nbformat.v4.new_code_cell('answer_2 = ...\nchecks.check("4.2", answer_2)'),
        nbformat.v4.new_code_cell('# @title Solution (click to show)\nsolution_answer_2 = np.array([2.0, -1.0]) * 0.5\n'
                                  'feedback = checks.check("4.2", solution_answer_2)\nassert feedback.passed\nfeedback'),
    ]
    path = tmp_path / "master.ipynb"
    nbformat.write(notebook, path)
    assert cli.main(["write-key", "--from", str(path)]) == 0
    assert matches("4.2", [1.0, -0.5], writer.read_keys(chapter)["4.2"]["answer"], "numbers", tolerance=1e-6)
    notebook.cells = notebook.cells[:2]
    nbformat.write(notebook, path)
    with pytest.raises(ValueError, match=r"master\.ipynb has no solution cell calling checks\.check for 4\.3"):
        writer.solution_values(path, ["4.3"])
