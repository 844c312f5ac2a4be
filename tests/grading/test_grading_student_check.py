"""grader.check in a student's notebook: public tests, otter-free, clear feedback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from course_lib.grading import exercise_tests

ROOT = Path(__file__).resolve().parents[2]

BLOCK_OTTER = '''
import sys
class NoOtter:
    def find_spec(self, name, path=None, target=None):
        if name == "otter" or name.startswith("otter."):
            raise ModuleNotFoundError("No module named 'otter' (blocked: the student's runtime has no otter)")
sys.meta_path.insert(0, NoOtter())
'''
ANSWERS = '''
def correlate2d_loop(image, kernel):
    image, kernel = np.asarray(image, dtype=float), np.asarray(kernel, dtype=float)
    rows, cols = image.shape[0] - kernel.shape[0] + 1, image.shape[1] - kernel.shape[1] + 1
    return np.array([[np.sum(image[i:i + kernel.shape[0], j:j + kernel.shape[1]] * kernel) for j in range(cols)]
                     for i in range(rows)])
print(grader.check("q1"))
def conv_output_size(size, kernel_size, padding, stride):
    raise NotImplementedError
print(grader.check("q2"))
n_parameters = ...
print(grader.check("q3"))
n_parameters = 4640
print(grader.check("q3"))
def conv_output_size(size, kernel_size, padding, stride):
    return (size + 2 * padding - kernel_size) // stride
print(grader.check("q2"))
assert not any(name == "otter" or name.startswith("otter.") for name in sys.modules), "otter was imported"
'''


def test_student_notebook_checks_without_otter(tmp_path):
    master = nbformat.read(ROOT / "exercises" / "conv" / "conv-master.ipynb", as_version=4)
    setup = next(c.source for c in master.cells if c.cell_type == "code" and "exercise_tests.grader" in c.source)
    assert "[grading]" not in setup and "otter" not in setup  # the setup cell installs course_lib only
    script = tmp_path / "student.py"
    script.write_text(BLOCK_OTTER + setup + ANSWERS)
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "q1 results: All test cases passed! (1 test case)",
        "q2 results: 0 of 1 test case passed.",
        "    test_q2_diagnosis result:",
        "        Not answered yet: write your answer in place of the `...`, `None` or `raise NotImplementedError` "
        "and run the cell again.",
        "q3 results: 0 of 1 test case passed.",
        "    test_q3_diagnosis result:",
        "        not answered yet: replace the `...` (or None, or the NotImplementedError) with your answer",
        "q3 results: All test cases passed! (1 test case)",
        "q2 results: 0 of 1 test case passed.",
        "    test_q2_diagnosis result:",
        "        Case 1 of 5 (size=5, kernel_size=3, padding=0, stride=1): One short: the first position of the "
        "kernel counts too (+ 1).",
    ]


def test_wrong_choice_is_explained(tmp_path):
    (tmp_path / "q1.py").write_text("from otter.test_files import test_case\nname = 'q1'\npoints = 1\n"
                                    "@test_case(hidden=False)\ndef test_choice(answer):\n    assert answer == 'b'\n")
    checker = exercise_tests.Checker(tmp_path)
    result = checker.check("q1", {"answer": "a"})
    assert not result and result.text.splitlines()[-1] == (
        "        your answer answer = 'a' is not right: reread the question and the options, then choose again")
    assert checker.check("q1", {"answer": "b"})
    with pytest.raises(ValueError, match="question must be one of"):
        checker.check("q9", {})
