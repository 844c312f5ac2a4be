"""Grading throughput: the local process pool against a Dask cluster, and against ``otter run``.

    .venv/bin/python benchmarks/bench_grading.py [--submissions 8]

Builds the conv exercise, makes a folder of submissions (solutions, blanks and wrong answers)
and grades it, in this one run, with the sandboxed judge five ways: the local pool with 1 and
2 workers, ``--scheduler local:1`` and ``--scheduler local:2`` (a Dask ``LocalCluster``), and,
as the baseline, ``otter run`` (a Jupyter kernel per submission with the tests inside it), 2
at a time. Prints submissions per second for each and the ratios. A rate is steady-state:
submissions finished after the first one, over the time since the first one finished, so the
start of the pool or the cluster (a fixed cost per run, printed apart) is left out.

Targets: the Dask path within 15 % of the local pool at the same number of workers; two
workers at least 1.6 times one worker (two free cores); at most 6 s per submission for the
judge with 2 workers. Wall-clock numbers depend on the machine and its load: the script
reports them and asserts only that every submission was graded.
"""

from __future__ import annotations

import argparse
import os
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
TARGET_SECONDS = 6.0
TARGET_DASK = 0.85
TARGET_SCALING = 1.6


def make_submissions(folder: Path, built: dict, count: int) -> list[Path]:
    """Half solutions, a quarter blanks, a quarter with a wrong first answer."""
    solution = built["folder"] / "autograder" / "conv-master.ipynb"
    paths = []
    for index in range(count):
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


def timed_grading(autograder: Path, subs: Path, out: Path, **options) -> dict:
    """Grade ``subs``; return the wall time, the start-up time and the steady rate per second."""
    finished = []
    start = time.perf_counter()

    def note(line: str) -> None:
        if line.startswith("["):
            finished.append(time.perf_counter())

    counts = cli.grade_submissions(autograder, subs, out, progress=note, **options)
    wall = time.perf_counter() - start
    count = len(finished)
    assert counts["graded"] == count == len(list(subs.iterdir())), counts
    rate = (count - 1) / (finished[-1] - finished[0]) if count > 1 and finished[-1] > finished[0] else count / wall
    return {"wall": wall, "first": finished[0] - start, "rate": rate}


def otter_run(autograder: Path, path: Path, out: Path) -> None:
    out.mkdir()
    subprocess.run([sys.executable, "-m", "otter", "run", "-a", str(autograder), "-o", str(out), "--no-logo", str(path)],
                   check=True, capture_output=True, cwd=out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--submissions", type=int, default=8)
    count = parser.parse_args(argv).submissions
    work = Path(tempfile.mkdtemp(prefix="bench-grading-"))
    results = {}
    try:
        built = assign.assign_master(ROOT / "exercises" / "conv" / "conv-master.ipynb", work / "build", run_tests=False)
        subs = work / "subs"
        subs.mkdir()
        paths = make_submissions(subs, built, count)
        runs = {"local pool, 1 worker": {"workers": 1}, "local pool, 2 workers": {"workers": 2},
                "dask --scheduler local:1": {"scheduler": "local:1"}, "dask --scheduler local:2": {"scheduler": "local:2"}}
        for index, (name, options) in enumerate(runs.items()):
            results[name] = timed_grading(built["autograder"], subs, work / f"grades{index}.csv", **options)

        start = time.perf_counter()
        with ThreadPoolExecutor(max_workers=2) as pool:
            list(pool.map(lambda p: otter_run(built["autograder"], p, work / f"otter-{p.stem}"), paths))
        otter_rate = count / (time.perf_counter() - start)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(f"{count} conv submissions, sandboxed judge, {os.cpu_count()} CPU cores (load {os.getloadavg()[0]:.1f} at the end)")
    print(f"{'grader':<28} {'per s (steady)':>14} {'s each':>7} {'start s':>8} {'wall s':>7}")
    for name, result in results.items():
        print(f"{name:<28} {result['rate']:14.3f} {1 / result['rate']:7.2f} {result['first']:8.1f} {result['wall']:7.1f}")
    print(f"{'otter run, 2 at a time':<28} {otter_rate:14.3f} {1 / otter_rate:7.2f} {'':>8} {count / otter_rate:7.1f}")
    rate = {name: result["rate"] for name, result in results.items()}
    ratios = [("dask local:1 / local pool 1", rate["dask --scheduler local:1"] / rate["local pool, 1 worker"], TARGET_DASK),
              ("dask local:2 / local pool 2", rate["dask --scheduler local:2"] / rate["local pool, 2 workers"], TARGET_DASK),
              ("dask local:2 / dask local:1", rate["dask --scheduler local:2"] / rate["dask --scheduler local:1"],
               TARGET_SCALING),
              ("local pool 2 / local pool 1", rate["local pool, 2 workers"] / rate["local pool, 1 worker"], TARGET_SCALING),
              ("local pool 2 / otter run", rate["local pool, 2 workers"] / otter_rate, None)]
    for name, value, target in ratios:
        verdict = "" if target is None else f"   target >= {target:.2f}: {'meets' if value >= target else 'MISSES'}"
        print(f"ratio {name:<28} {value:5.2f}{verdict}")
    seconds = 1 / rate["local pool, 2 workers"]
    print(f"judge {seconds:.2f} s per submission (2 workers): {'meets' if seconds <= TARGET_SECONDS else 'MISSES'} "
          f"the target of {TARGET_SECONDS:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(record(main))
