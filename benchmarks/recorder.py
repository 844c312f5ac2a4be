"""Record what a benchmark or a test run measured, with the machine, date and commit it ran on.

Every ``benchmarks/bench_*.py`` ends with ``raise SystemExit(record(main))``. The script runs and
prints as before; when the environment variable ``BENCH_RESULTS`` names a folder (``make bench``
sets it to ``benchmarks/results``), what it printed is also written there as ``<name>.json`` and
``<name>.md``, and the folder's ``summary.md`` is written again from every result in it. The
book's page "How this book is built and tested" includes ``summary.md``. Without
``BENCH_RESULTS`` nothing is written, so tests may run the scripts.

``make test`` records its stage table (``tools/run_stages.sh``) the same way, with the seconds of
each chapter under nbval when that stage ran (``_build/chapter-times.json``)::

    python3 benchmarks/recorder.py stages TABLE.md --status 0 --started EPOCH --results benchmarks/results

Standard library only: the stage timer runs it before and outside ``.venv``.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import io
import json
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCHMARKS = ROOT / "benchmarks"
STAGES = "test-stages"
#: What the book page says where a result is missing.
NOT_MEASURED = "not yet measured on this machine"


def machine() -> dict:
    """The machine a result comes from: CPU model, cores, memory, load (busy?), system, Python.

    ``load`` is the 1-minute load average when the result is written: above the number of cores,
    other work shared the machine, and timings are slower than on an idle one.
    """
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory_gib = None
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory_gib = round(int(line.split()[1]) / 2**20, 1)
                break
    load = round(os.getloadavg()[0], 1) if hasattr(os, "getloadavg") else None
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gib": memory_gib, "load": load,
            "system": f"{platform.system()} {platform.release()}", "python": platform.python_version()}


#: What a measurement depends on: a change here, not yet committed, is flagged in the result.
MEASURED = ("course_lib", "benchmarks", "tools", "lessons", "exercises", "Makefile", "pyproject.toml",
            "requirements-lock.txt", ":(exclude)benchmarks/results")


def revision(root: Path = ROOT) -> dict:
    """The commit of ``root``, and whether the measured files (``MEASURED``) differ from it."""
    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, timeout=30)
        except OSError:
            return None
        return done.stdout.strip() if done.returncode == 0 else None

    commit = git("rev-parse", "--short=12", "HEAD")
    changes = git("status", "--porcelain", "--untracked-files=no", "--", *MEASURED)
    return {"commit": commit or "unknown", "dirty": bool(changes)}


def write(name: str, title: str, output: str, *, status: int, seconds: float, results: Path,
          form: str = "text") -> dict:
    """Write ``<name>.json`` and ``<name>.md`` into ``results``, then its ``summary.md``; return the record."""
    result = {"name": name, "title": title, "status": status, "seconds": round(seconds, 1),
              "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
              **revision(), "machine": machine(), "format": form, "output": output}
    results = Path(results)
    results.mkdir(parents=True, exist_ok=True)
    (results / f"{name}.json").write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n")
    (results / f"{name}.md").write_text(section(result, level=1))
    (results / "summary.md").write_text(summary(results))
    return result


class _Tee(io.TextIOBase):
    """A text stream that writes to ``stream`` and keeps a copy."""

    def __init__(self, stream):
        self.stream, self.copy = stream, io.StringIO()

    def write(self, text: str) -> int:
        self.copy.write(text)
        return self.stream.write(text)

    def flush(self) -> None:
        self.stream.flush()


def record(main: Callable[[], int | None]) -> int:
    """Run a benchmark's ``main`` and, when ``BENCH_RESULTS`` is set, record what it printed.

    The name is the file name of ``main``'s module (``bench_conv``); the title is the first line
    of that module's docstring. Returns ``main``'s exit status.
    """
    results = os.environ.get("BENCH_RESULTS")
    if not results:
        return main() or 0
    module = sys.modules.get(main.__module__)
    title = ((module.__doc__ if module else None) or main.__name__).strip().splitlines()[0]
    tee = _Tee(sys.stdout)
    start = time.perf_counter()
    with contextlib.redirect_stdout(tee):
        status = main() or 0
    write(Path(main.__code__.co_filename).stem, title, tee.copy.getvalue(), status=status,
          seconds=time.perf_counter() - start, results=Path(results))
    return status


def stages_output(table: str, chapter_times: dict[str, float] | None) -> str:
    """The stage table, followed by the seconds of each chapter under nbval if given."""
    if not chapter_times:
        return table.rstrip() + "\n"
    rows = [f"| {Path(path).stem} | {seconds:.0f} |" for path, seconds in sorted(chapter_times.items())]
    return "\n".join([table.rstrip(), "", "Seconds of each chapter's cells under nbval (two chapters at once):", "",
                      "| chapter | s |", "| --- | ---: |", *rows]) + "\n"


def _machine_line(result: dict) -> str:
    box = result["machine"]
    memory = f", {box['memory_gib']:g} GiB" if box.get("memory_gib") else ""
    memory += f", load {box['load']:g}" if box.get("load") is not None else ""
    commit = result["commit"] + (" with local changes" if result["dirty"] else "")
    return (f"{result['date']}, {box['cpu']} ({box['cores']} cores{memory}), {box['system']}, "
            f"Python {box['python']}, commit `{commit}`")


def section(result: dict, level: int = 3) -> str:
    """One result as Markdown: a heading, where and when it ran, and what it printed."""
    verdict = "exit status 0" if result["status"] == 0 else f"FAILED, exit status {result['status']}"
    body = result["output"].rstrip() if result["format"] == "markdown" else f"```text\n{result['output'].rstrip()}\n```"
    return (f"{'#' * level} {result['title'].rstrip('.')}\n\n`{result['name']}`: {verdict}, {result['seconds']:g} s. "
            f"Ran {_machine_line(result)}.\n\n{body}\n")


def expected(benchmarks: Path = BENCHMARKS) -> list[str]:
    """Every result a full record has: each ``bench_*.py`` and the stage table of ``make test``."""
    return sorted(path.stem for path in Path(benchmarks).glob("bench_*.py")) + [STAGES]


def load(results: Path) -> dict[str, dict]:
    """Every ``<name>.json`` in ``results``, by name."""
    return {path.stem: json.loads(path.read_text()) for path in sorted(Path(results).glob("*.json"))}


def summary(results: Path, benchmarks: Path = BENCHMARKS) -> str:
    """The Markdown that the book includes: one row per expected result, then each result in full."""
    found = load(results)
    lines = ["| result | run | recorded |", "| --- | --- | --- |"]
    for name in expected(benchmarks):
        command = "make test" if name == STAGES else "make bench"
        if name not in found:
            lines.append(f"| `{name}` | {NOT_MEASURED} | run `{command}` |")
            continue
        result = found[name]
        status = "exit status 0" if result["status"] == 0 else f"FAILED, exit status {result['status']}"
        box = result["machine"]
        busy = f", load {box['load']:g}" if box.get("load") is not None else ""
        lines.append(f"| `{name}` | {status} | {result['date']}, {box['cpu']}, {box['cores']} cores{busy} |")
    sections = [section(found[name]) for name in expected(benchmarks) if name in found]
    return "\n".join(lines) + "\n" + "".join("\n" + text for text in sections)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    stages = commands.add_parser("stages", help="record the stage table of make test")
    stages.add_argument("table", type=Path, help="the Markdown table written by tools/run_stages.sh")
    stages.add_argument("--status", type=int, required=True, help="the exit status of the run")
    stages.add_argument("--seconds", type=float, default=0.0, help="the wall time of the run")
    stages.add_argument("--started", type=float, default=0.0,
                        help="when the run started (epoch seconds): older chapter times are not this run's")
    stages.add_argument("--chapter-times", type=Path, default=ROOT / "_build" / "chapter-times.json")
    stages.add_argument("--results", type=Path, required=True)
    commands.add_parser("summary", help="write summary.md again from the results in --results").add_argument(
        "--results", type=Path, default=BENCHMARKS / "results")
    args = parser.parse_args(argv)
    if args.command == "summary":
        (args.results / "summary.md").write_text(summary(args.results))
        return 0
    fresh = args.chapter_times.is_file() and args.chapter_times.stat().st_mtime >= args.started
    times = json.loads(args.chapter_times.read_text()) if fresh else None
    write(STAGES, "`make test`, stage by stage", stages_output(args.table.read_text(), times),
          status=args.status, seconds=args.seconds, results=args.results, form="markdown")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
