"""Write the public mirror of the repository: everything students may see, nothing that grades them.

    python tools/publish.py [OUT]          (default _build/public; ``make publish``)

The private source holds the exercise masters (solutions and hidden tests), the scripts that
rebuild hidden data, and the instructor's grading tests. The public tree is the tracked files
without them, plus the built student notebooks when ``make assign`` has run
(``exercises/<name>/<name>.ipynb``). It is what the book's setup cell installs from. Before it
returns, :func:`scan` checks the tree for any solution line, hidden test or hidden-data
generator of any master, and the command fails if it finds one.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: Tracked paths that never go public (prefixes of paths relative to the repository root).
PRIVATE = ("exercises/", "tests/grading/")
TEXT_SUFFIXES = {".py", ".md", ".ipynb", ".txt", ".json", ".yml", ".yaml", ".cfg", ".toml", ".html", ".js", ".csv"}
#: Shorter lines are too generic to prove a leak (``return out``).
MIN_SECRET_LENGTH = 28


def tracked_files(root: Path = ROOT) -> list[str]:
    """Files git tracks in ``root`` (relative paths)."""
    done = subprocess.run(["git", "ls-files", "-z"], cwd=root, capture_output=True, check=True)
    return sorted(p for p in done.stdout.decode().split("\0") if p)


def secrets(root: Path = ROOT) -> dict[str, set[str]]:
    """Per master, the lines that must never be public: solutions, hidden tests, hidden-data generators."""
    import nbformat

    from course_lib.grading.assign import _secret_lines, find_masters

    found = {}
    for master in find_masters(root / "exercises"):
        lines, _ = _secret_lines(nbformat.read(master, as_version=4))
        for script in master.parent.glob("*.py"):  # data scripts (make_data.py) rebuild hidden data
            lines |= {line.strip() for line in script.read_text(encoding="utf-8").splitlines()}
        found[master.parent.name] = {line for line in lines if len(line) >= MIN_SECRET_LENGTH and not line.startswith("#")
                                     or line.startswith("def test_")}
    # Lines the public course itself teaches (its own batch norm, its loops in chapter 1) are not secrets.
    taught = set()
    for relative in tracked_files(root):
        if not relative.startswith(PRIVATE) and Path(relative).suffix in TEXT_SUFFIXES:
            text = (root / relative).read_text(encoding="utf-8", errors="replace")
            if relative.endswith(".ipynb"):  # a chapter teaches the lines of its cells, not of its JSON
                text = "\n".join("".join(cell.get("source", "")) for cell in json.loads(text).get("cells", []))
            taught |= {line.strip() for line in text.splitlines()}
    return {name: lines - taught for name, lines in found.items()}


def scan(folder: Path, root: Path = ROOT) -> list[str]:
    """Every private file or secret line found under ``folder``; empty when the tree is clean.

    Parameters
    ----------
    folder : Path
        A public tree, or an unpacked wheel.
    """
    import json

    secret = secrets(root)
    problems = []
    for path in sorted(Path(folder).rglob("*")):
        if not path.is_file():
            continue
        relative = path.relative_to(folder).as_posix()
        if path.name.endswith("-master.ipynb") or path.name.endswith("-autograder.zip") or path.name == "make_data.py":
            problems.append(f"{relative}: a private file")
            continue
        if path.suffix not in TEXT_SUFFIXES:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        if path.suffix == ".ipynb":
            try:
                text = "\n".join("".join(c.get("source", "")) for c in json.loads(text).get("cells", []))
            except ValueError:
                pass
        lines = {line.strip() for line in text.splitlines()}
        for name, private in secret.items():
            problems += [f"{relative}: {name} solution, hidden test or data generator line {line!r}"
                         for line in sorted(private & lines)]
        if re.search(r"@test_case\([^)]*hidden\s*=\s*True", text):
            problems.append(f"{relative}: a hidden test case")
    return problems


def publish(out: Path, root: Path = ROOT) -> list[str]:
    """Write the public tree to ``out`` (replaced) and return :func:`scan`'s problems."""
    out = Path(out).resolve()
    if out == root or root in out.parents and not str(out.relative_to(root)).startswith("_build"):
        raise ValueError(f"out must be outside the repository or under _build/; got {out}.")
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    for relative in tracked_files(root):
        if relative.startswith(PRIVATE):
            continue
        target = out / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / relative, target)
    for student in sorted((root / "exercises" / "_build").glob("*/student/*.ipynb")):
        target = out / "exercises" / student.parent.parent.name / student.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(student, target)
    return scan(out, root)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", nargs="?", default=str(ROOT / "_build" / "public"))
    args = parser.parse_args(argv)
    problems = publish(Path(args.out))
    for problem in problems:
        print(f"publish: {problem}", file=sys.stderr)
    print(f"publish: public tree in {args.out}" + (f", {len(problems)} problems" if problems else ", clean"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
