"""Grading throughput: seconds per submission, amortised, with 2 workers.

    .venv/bin/python benchmarks/bench_grading.py

Builds the conv exercise, then grades 8 submissions (solutions, blanks and wrong answers) with
the sandboxed judge (``course-grade grade``, 2 workers) and, as the baseline in this same
process, the same 8 with ``otter run`` (what ``course-grade`` did before issue 26: a Jupyter
kernel per submission with the tests inside it), 2 at a time. Prints both and their ratio.
Target: at most 6 s per submission for the judge.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat

from course_lib.grading import assign, cli
from recorder import record

ROOT = Path(__file__).resolve().parents[1]
TARGET = 6.0
SUBMISSIONS = 8


def make_submissions(folder: Path, built: dict) -> list[Path]:
    """Half solutions, a quarter blanks, a quarter with a wrong first answer."""
    solution = built["folder"] / "autograder" / "conv-master.ipynb"
    paths = []
    for index in range(SUBMISSIONS):
        path = folder / f"student{index}.ipynb"
        if index % 4 == 3:
            shutil.copy(built["student"], path)
        elif index % 4 == 2:
            nb = nbformat.read(solution, as_version=4)
            for cell in nb.cells:
                if cell.cell_type == "code" and "def correlate2d_loop(" in cell.source:
                    cell.source = "def correlate2d_loop(image, kernel):\n    return np.zeros((2, 2))"
            nbformat.write(nb, path)
        else:
            shutil.copy(solution, path)
        paths.append(path)
    return paths


def otter_run(autograder: Path, path: Path, out: Path) -> None:
    out.mkdir()
    subprocess.run([sys.executable, "-m", "otter", "run", "-a", str(autograder), "-o", str(out), "--no-logo", str(path)],
                   check=True, capture_output=True, cwd=out)


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="bench-grading-"))
    try:
        built = assign.assign_master(ROOT / "exercises" / "conv" / "conv-master.ipynb", work / "build", run_tests=False)
        subs = work / "subs"
        subs.mkdir()
        paths = make_submissions(subs, built)

        start = time.perf_counter()
        counts = cli.grade_submissions(built["autograder"], subs, work / "grades.csv", workers=2, progress=lambda line: None)
        judge = (time.perf_counter() - start) / SUBMISSIONS
        assert counts["graded"] == SUBMISSIONS, counts

        start = time.perf_counter()
        with ThreadPoolExecutor(max_workers=2) as pool:
            list(pool.map(lambda p: otter_run(built["autograder"], p, work / f"otter-{p.stem}"), paths))
        baseline = (time.perf_counter() - start) / SUBMISSIONS
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{'grader':<34} {'s per submission':>17}")
    print(f"{'sandboxed judge (2 workers)':<34} {judge:17.2f}")
    print(f"{'baseline: otter run (2 at a time)':<34} {baseline:17.2f}")
    print(f"judge/otter run ratio {judge / baseline:.2f}")
    verdict = "meets" if judge <= TARGET else "MISSES"
    print(f"judge {judge:.2f} s per submission: {verdict} the target of {TARGET:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(record(main))
