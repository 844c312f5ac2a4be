"""The setup cell that opens every chapter, rendered from _config.yml.

    python tools/setup_cell.py            # print the cell
    python tools/setup_cell.py --write    # put it as the first code cell of every chapter

tests/test_book.py checks that every chapter starts with exactly this cell, so changing the
repository URL or branch in _config.yml is one edit plus ``--write``.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
TAG = "setup"
TAGS = [TAG, "hide-input"]  # the book shows the cell folded: readers see its output

TEMPLATE = '''\
# Setup (the same in every chapter): in Google Colab, install course_lib from the
# book's repository; anywhere else it is already installed and this does nothing.
import os
import subprocess
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")  # keep TensorFlow's start-up log quiet
if "google.colab" in sys.modules:
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "{requirement}"],
        check=True,
    )

from course_lib import config

print(config.describe())'''


def repository() -> tuple[str, str]:
    """Return (url, branch) of the repository named in _config.yml."""
    settings = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]
    return settings["url"].rstrip("/"), settings.get("branch", "main")


def setup_source() -> str:
    """Return the source of the setup cell."""
    url, branch = repository()
    return TEMPLATE.format(requirement=f"course_lib @ git+{url}@{branch}")


def chapters() -> list[Path]:
    """Return the chapter notebooks, in order."""
    return sorted((ROOT / "lessons").glob("[0-9][0-9]_*.ipynb"))


def first_code_cell(notebook: dict) -> dict | None:
    """Return the first code cell of a notebook (as JSON), or None."""
    return next((cell for cell in notebook["cells"] if cell["cell_type"] == "code"), None)


def write(path: Path) -> bool:
    """Make the first code cell of ``path`` the setup cell; return True if it changed."""
    notebook = json.loads(path.read_text())
    cell = first_code_cell(notebook)
    source = setup_source()
    if cell is None or TAG not in cell.get("metadata", {}).get("tags", []):
        raise SystemExit(f"{path}: its first code cell is not tagged '{TAG}'; add the tag first.")
    tags = cell["metadata"]["tags"]
    if "".join(cell["source"]) == source and all(tag in tags for tag in TAGS):
        return False
    cell["metadata"]["tags"] = TAGS + [tag for tag in tags if tag not in TAGS]
    cell["source"] = source.splitlines(keepends=True)
    path.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n")
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--write", action="store_true", help="update every chapter in place")
    args = parser.parse_args()
    if not args.write:
        print(setup_source())
        return
    for path in chapters():
        if write(path):
            print(f"updated {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
