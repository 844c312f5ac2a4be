"""Red team: one hostile submission per attack class of issue 26, each with the exact score it must get.

Every hostile notebook also answers some questions honestly; the score it must get is what that
honest part earns, and the flag is what the gradebook must say. Around each run the suite hashes
every grading input (autograder zip, submissions) and every installed file the kernel could
reach to write (``course_lib``, otter): nothing may change. Slow: a sandboxed kernel per notebook.
"""

from __future__ import annotations

import csv
import hashlib
import shutil
import tempfile
import zipfile
from pathlib import Path

import nbformat
import numpy as np
import pytest

import course_lib
from course_lib.grading import assign as grading_assign
from course_lib.grading import cli as grading

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("redteam-build")
    return {name: grading_assign.assign_master(ROOT / "exercises" / name / f"{name}-master.ipynb", folder, run_tests=False)
            for name in ("conv", "batchnorm", "restoration")}


def replace_cells(path: Path, **replacements: str) -> nbformat.NotebookNode:
    """The notebook with the code cell that defines each name replaced by the given source."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        for name, source in replacements.items():
            if cell.cell_type == "code" and (f"def {name}(" in cell.source or cell.source.startswith(f"{name} =")):
                cell.source = source
    return nb


def add_cell(nb: nbformat.NotebookNode, source: str) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(source)
    cell.pop("id", None)
    nb.cells.append(cell)
    return nb


def tree_hashes(*folders: Path) -> dict[str, str]:
    hashes = {}
    for folder in folders:
        for path in sorted(Path(folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                hashes[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return hashes


def installed() -> list[Path]:
    import otter

    return [Path(course_lib.__file__).parent, Path(otter.__file__).parent]


def rows(path: Path) -> dict[str, dict[str, str]]:
    with path.open(newline="") as handle:
        return {row["submission"]: row for row in csv.DictReader(handle)}


def grade(autograder: Path, subs: Path, out: Path, **options) -> dict[str, dict[str, str]]:
    inputs = [autograder.parent, subs, *installed()]
    before = tree_hashes(*inputs)
    grading.grade_submissions(autograder, subs, out, workers=2, timeout=120, progress=lambda line: None, **options)
    after = tree_hashes(*inputs)
    changed = sorted(set(before.items()) ^ set(after.items()))
    assert changed == [], f"grading inputs or installed files changed: {changed[:5]}"
    return rows(out)


REWRITE_TESTS = '''
import glob, os
for folder in {os.getcwd(), os.path.dirname(os.getcwd()), "/tmp", os.path.expanduser("~")}:
    for path in glob.glob(os.path.join(folder, "**", "q*.py"), recursive=True):
        if "grade" not in path and "otter" not in path and "tests" not in path:
            continue  # keep the suite from harming the machine if a grader ever lets it out
        try:
            text = open(path).read().replace("):\\n", "):\\n    return\\n", 50)
            open(path, "w").write(text)
        except OSError:
            pass
'''
PATCH_ALIASES = '''
import sys, math
_np = np
_np.allclose = lambda *a, **k: True
_np.testing.assert_allclose = lambda *a, **k: None
_m = math
_m.isclose = lambda *a, **k: True
for _name, _module in list(sys.modules.items()):
    if _name.startswith("otter.test_files"):
        for _cls in vars(_module).values():
            if isinstance(_cls, type) and hasattr(_cls, "score"):
                try:
                    _cls.score = property(lambda self: self.possible)
                    _cls.passed_all = property(lambda self: True)
                except Exception:
                    pass
'''
FRAME_READER = '''
import sys
class Sneaky(list):
    def tolist(self):
        frame = sys._getframe(1)
        return frame.f_locals.get("expected", [[4.0, 3.0], [2.0, 1.0]])
    @property
    def shape(self):
        return (2, 2)
def correlate2d_loop(image, kernel):
    return Sneaky()
class Anything(int):
    def __eq__(self, other):
        return True
    __hash__ = int.__hash__
n_parameters = Anything(0)
'''
POISON = '''
import glob, os, zipfile
found = []
for cmdline in glob.glob("/proc/*/cmdline"):
    try:
        found += open(cmdline, "rb").read().decode(errors="replace").split("\\0")
    except OSError:
        pass
# Only the grading run's own files (autograder, gradebook, submissions): the suite must not harm
# the machine even against a grader that lets it out.
for path in [p for p in found if "autograder" in p or "grades" in p or os.path.basename(p) == "subs"]:
    if path.endswith(".zip") and os.path.exists(path):
        with zipfile.ZipFile(path, "a") as z:
            z.writestr("tests/q1.py", "from otter.test_files import test_case\\nname='q1'\\npoints=4\\n@test_case()\\ndef test_q1():\\n    pass\\n")
    if path.endswith(".csv") and os.path.exists(path):
        open(path, "a").write("evil.ipynb,0,graded,100,8\\n")
    if os.path.isdir(path):
        open(os.path.join(path, "poisoned.ipynb"), "w").write("{}")
import course_lib, otter
for package in (course_lib, otter):
    try:
        open(os.path.join(os.path.dirname(package.__file__), "_backdoor.py"), "w").write("PWNED = True\\n")
    except Exception:
        pass
n_parameters = 4640
'''
NSENTER = '''
import os, subprocess
escaped = False
for command in (["nsenter", "-t", "1", "-n", "ip", "-o", "link"], ["nsenter", "-t", "1", "-m", "-n", "ip", "-o", "link"]):
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=5)
        escaped |= done.returncode == 0 and any(": lo:" not in line for line in done.stdout.splitlines() if line)
    except Exception:
        pass
pids = [p for p in os.listdir("/proc") if p.isdigit()]
escaped |= len(pids) > 30  # the host's processes are in sight
n_parameters = 0 if escaped else 4640
'''
LEAK = '''
import glob, os, sys
def correlate2d_loop(image, kernel):
    text = []
    for folder in {os.getcwd(), os.path.dirname(os.getcwd()), "/tmp"}:
        for path in glob.glob(os.path.join(folder, "**", "q1.py"), recursive=True):
            try:
                text.append(open(path).read())
            except OSError:
                pass
    frame = sys._getframe(1)
    while frame is not None:
        text.append(repr(frame.f_code.co_consts) + repr(list(frame.f_locals)))
        frame = frame.f_back
    raise RuntimeError("\\n".join(text)[:20000])
'''
MEMORY_TREE = '''
import subprocess, sys
hog = "import time; x = bytes(range(256)) * (900 * 2**12); print('ready', flush=True); time.sleep(60)"
hogs = [subprocess.Popen([sys.executable, "-c", hog], stdout=subprocess.PIPE, text=True) for _ in range(3)]
ready = [h.stdout.readline() for h in hogs]  # three processes of 900 MiB, each under the per-process limit
n_parameters = 4640
'''


def test_conv_attacks_score_only_their_honest_part(built, tmp_path):
    conv = built["conv"]
    blank, solution = conv["student"], conv["folder"] / "autograder" / "conv-master.ipynb"
    subs = tmp_path / "subs"
    subs.mkdir()
    nbformat.write(add_cell(replace_cells(blank, n_parameters="n_parameters = 4640"), ""), subs / "honest_q3.ipynb")
    shutil.copy(blank, subs / "blank.ipynb")
    nbformat.write(add_cell(replace_cells(blank, n_parameters="n_parameters = 4640"), REWRITE_TESTS), subs / "c1_rewrite_tests.ipynb")
    wrong_q1 = "def correlate2d_loop(image, kernel):\n    return np.zeros((2, 2))"
    nbformat.write(add_cell(replace_cells(blank, correlate2d_loop=wrong_q1, n_parameters="n_parameters = 4640"), PATCH_ALIASES),
                   subs / "c2_patch_aliases.ipynb")
    nbformat.write(add_cell(replace_cells(blank), FRAME_READER), subs / "c3_frame_reader.ipynb")
    nbformat.write(add_cell(replace_cells(blank), POISON), subs / "c4_poison.ipynb")
    nbformat.write(add_cell(replace_cells(blank), NSENTER), subs / "c5_nsenter.ipynb")
    nbformat.write(replace_cells(solution, correlate2d_loop=LEAK), subs / "c7_leak.ipynb")
    exit_q2 = "import os\ndef conv_output_size(size, kernel_size, padding, stride):\n    return 0\nos._exit(0)"
    nbformat.write(replace_cells(solution, conv_output_size=exit_q2), subs / "c8_exit_in_q2.ipynb")
    nbformat.write(replace_cells(solution, n_parameters=MEMORY_TREE), subs / "c8_memory_tree.ipynb")
    (subs / "c8_notes.txt").write_text("not a notebook")
    work_root = getattr(grading, "WORK_ROOT", Path(tempfile.gettempdir()) / "course-grade-work")
    stale = work_root / "999999999-stale"
    (stale / "tests").mkdir(parents=True, exist_ok=True)
    (stale / "tests" / "q1.py").write_text("hidden tests left by a killed run")

    book = grade(conv["autograder"], subs, tmp_path / "grades.csv", memory_mb=1536)

    expected = {"honest_q3.ipynb": 1.0, "blank.ipynb": 0.0, "c1_rewrite_tests.ipynb": 1.0, "c2_patch_aliases.ipynb": 1.0,
                "c3_frame_reader.ipynb": 0.0, "c4_poison.ipynb": 1.0, "c5_nsenter.ipynb": 1.0, "c7_leak.ipynb": 4.0,
                "c8_exit_in_q2.ipynb": 5.0, "c8_memory_tree.ipynb": 7.0}
    scores = {name: float(book[name]["score"] or "nan") for name in expected}
    assert scores == expected
    flags = {
        "c1_rewrite_tests.ipynb": "reaches for the test files",
        "c2_patch_aliases.ipynb": "monkeypatches numpy (_np.allclose)",
        "c3_frame_reader.ipynb": "inspects the caller's frames",
        "c4_poison.ipynb": "reaches for other processes (/proc)",
        "c5_nsenter.ipynb": "tries to leave the sandbox (nsenter)",
        "c7_leak.ipynb": "inspects the caller's frames",
        "c8_exit_in_q2.ipynb": "ends the process (os._exit)",
    }
    for name, flag in flags.items():
        assert flag in book[name]["flags"].split("; "), (name, book[name]["flags"])
    assert book["honest_q3.ipynb"]["flags"] == "" and book["blank.ipynb"]["flags"] == ""
    assert all(book[name]["network_isolated"] == "True" for name in expected)
    assert "code cell" in book["c8_exit_in_q2.ipynb"]["notes"] and "ended the kernel" in book["c8_exit_in_q2.ipynb"]["notes"]
    assert "used more memory than allowed" in book["c8_memory_tree.ipynb"]["notes"]
    assert book["c8_notes.txt"]["status"] == "failed" and "not a submission" in book["c8_notes.txt"]["notes"]
    assert not stale.exists(), "a stale work folder holding tests survived the run"
    feedback = (tmp_path / "grades_files" / "c7_leak.ipynb.feedback.md").read_text()
    # "hidden=True" marks a hidden case; public test files (hidden=False) ship in course_lib and may be read
    for secret in ("random_against_reference", "kernel_as_large_as_image", "4640", "generator.uniform", "hidden=True"):
        assert secret not in feedback, secret
    # Later runs are not poisoned either: an empty notebook graded again still gets nothing.
    again = tmp_path / "again"
    again.mkdir()
    shutil.copy(blank, again / "later.ipynb")
    assert grade(conv["autograder"], again, tmp_path / "later.csv")["later.ipynb"]["score"] == "0.0"


BATCHNORM_FROM_COURSE = '''
from course_lib.batchnorm import batchnorm_forward as _forward, batchnorm_backward as _backward
def batchnorm_forward(x, gamma, beta, eps=1e-5):
    return _forward(x, gamma, beta, eps=eps)
def batchnorm_backward(dy, cache):
    return _backward(dy, cache)
'''


def test_course_answer_is_unavailable_and_flagged(built, tmp_path):
    batchnorm = built["batchnorm"]
    subs = tmp_path / "subs"
    subs.mkdir()
    shutil.copy(batchnorm["folder"] / "autograder" / "batchnorm-master.ipynb", subs / "solution.ipynb")
    nbformat.write(add_cell(nbformat.read(batchnorm["student"], as_version=4), BATCHNORM_FROM_COURSE), subs / "c10_course.ipynb")
    book = grade(batchnorm["autograder"], subs, tmp_path / "grades.csv")
    assert (book["solution.ipynb"]["score"], book["c10_course.ipynb"]["score"]) == ("7.0", "0.0")
    assert "uses course_lib.batchnorm, which q1 forbids" in book["c10_course.ipynb"]["flags"]


def test_restoration_artifact_is_checked_against_the_judges_data(built, tmp_path):
    restoration = built["restoration"]
    solution = restoration["folder"] / "autograder" / "restoration-master.ipynb"
    noisy = np.load(ROOT / "exercises" / "restoration" / "restoration_noisy.npy")
    master = nbformat.read(solution, as_version=4)
    training = next(c.source for c in master.cells if "otter_ignore" in c.metadata.get("tags", []))
    namespace = {"np": np, "noisy": noisy}
    exec(training.replace('np.save("denoised.npy", denoised.astype(np.float32))', ""), namespace)
    subs = tmp_path / "subs"
    subs.mkdir()

    def hand_in(name: str, notebook, files: dict[str, np.ndarray]) -> None:
        with zipfile.ZipFile(subs / name, "w") as archive:
            archive.writestr("restoration.ipynb", nbformat.writes(notebook))
            for file_name, array in files.items():
                with archive.open(file_name, "w") as handle:
                    np.save(handle, array)

    hand_in("honest.zip", master, {"denoised.npy": namespace["denoised"].astype(np.float32)})
    overwrite = 'import numpy as np\nnp.save("restoration_noisy.npy", np.random.default_rng(0).uniform(0, 1, (12, 32, 32)))'
    hand_in("c6_overwrite.zip", add_cell(nbformat.read(solution, as_version=4), overwrite), {"denoised.npy": noisy})
    hand_in("c6_own_data.zip", master, {"denoised.npy": noisy, "restoration_noisy.npy": np.zeros_like(noisy)})
    book = grade(restoration["autograder"], subs, tmp_path / "grades.csv")
    assert {name: book[name]["score"] for name in book} == {"honest.zip": "4.0", "c6_overwrite.zip": "0.0", "c6_own_data.zip": "0.0"}
    assert "names the judge's data file restoration_noisy.npy" in book["c6_overwrite.zip"]["flags"]
    assert "hands in its own restoration_noisy.npy (the judge uses its own copy)" in book["c6_own_data.zip"]["flags"]
