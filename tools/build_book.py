"""Build the book's HTML into _build/html.

    python tools/build_book.py            # execute every chapter (quick profile), then build
    python tools/build_book.py --stored   # build from the outputs stored in the notebooks

Both build with Sphinx warnings as errors and nit-picky reference checks, then copy the student
versions of the graded exercises (made by ``make assign`` into exercises/_build/) into
_build/html/exercises/, where book/exercises.md links to them. ``--stored``
writes a copy of _config.yml with execution turned off into _build/ and builds with it.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stored", action="store_true", help="do not execute; use stored outputs")
    args = parser.parse_args()
    config_path = ROOT / "_config.yml"
    if args.stored:
        settings = yaml.safe_load(config_path.read_text())
        settings["execute"]["execute_notebooks"] = "off"
        # local extension folders are resolved next to the config file: make them absolute
        extensions = settings.get("sphinx", {}).get("local_extensions") or {}
        for name, folder in extensions.items():
            extensions[name] = str(ROOT / folder)
        config_path = ROOT / "_build" / "_config_stored.yml"
        config_path.parent.mkdir(exist_ok=True)
        config_path.write_text(yaml.safe_dump(settings, sort_keys=False))
    command = [
        str(Path(sys.executable).parent / "jupyter-book"), "build", str(ROOT),
        "--config", str(config_path), "--all", "-W", "-n", "--keep-going",
    ]
    status = subprocess.call(command, cwd=ROOT)
    if status == 0:
        status = copy_student_notebooks()
    return status


def copy_student_notebooks() -> int:
    """Copy each exercises/_build/<name>/student/ folder's notebook and data into the HTML."""
    built = sorted((ROOT / "exercises" / "_build").glob("*/student/*.ipynb"))
    masters = sorted((ROOT / "exercises").glob("*/*-master.ipynb"))
    if len(built) != len(masters):
        print(f"found {len(built)} student notebooks for {len(masters)} masters: run `make assign` first")
        return 1
    for notebook in built:
        name = notebook.parents[1].name
        target = ROOT / "_build" / "html" / "exercises" / name
        if target.exists():
            shutil.rmtree(target)
        # the notebook and the data files it reads; its tests ship inside course_lib
        shutil.copytree(notebook.parent, target, ignore=shutil.ignore_patterns("tests"))
    print(f"copied {len(built)} student notebooks into _build/html/exercises/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
