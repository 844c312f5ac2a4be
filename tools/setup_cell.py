"""The setup cell that opens every chapter: a pinned, idempotent install of course_lib in Colab.

    python tools/setup_cell.py                      # print the cell (ref: the one in the chapters)
    python tools/setup_cell.py --write              # pin every chapter to this commit (or its tag)
    python tools/setup_cell.py --write --ref v1.0   # pin every chapter to a given tag or commit

``--write`` makes the cell the first code cell of every chapter and refreshes its stored
output: it runs the cell's code in a subprocess with ``COURSE_PROFILE=quick
COURSE_DATA=offline`` outside Colab (as ``make execute`` does) and stores what it printed.

In Colab the cell installs ``course_lib @ git+<repository>@<ref>``, the exact version the
page was built from, unless that ref is already installed (pip's ``direct_url.json`` records
which ref an install came from, PEP 610); when the install fails but some course_lib is
present (no network) it goes on with a one-line warning. A Colab form field picks the
profile. The cell is byte-identical in every chapter (tests/project/test_book.py checks it),
so changing the repository in _config.yml is one edit plus ``--write``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
TAG = "setup"
TAGS = [TAG, "hide-input"]  # the book shows the cell folded: readers see its output
# Colab shows a form cell's fields (the profile switch) and hides its code
METADATA = {"cellView": "form"}
REF_LINE = re.compile(r'^REF = "([^"]+)"', re.M)

TEMPLATE = '''\
# @title Setup: course_lib and the run profile (the same cell in every chapter)
# In Google Colab this installs course_lib at the version this page was built from (once per
# runtime); anywhere else course_lib is already installed and the profile comes from the
# environment (COURSE_PROFILE). "quick" reproduces the page; "full" trains longer on real data.
PROFILE = "quick"  # @param ["quick", "full"]
REF = "{ref}"
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")  # keep TensorFlow's start-up log quiet
if "google.colab" in sys.modules:
    import json
    import subprocess
    from importlib import metadata

    os.environ["COURSE_PROFILE"] = PROFILE
    try:  # pip records the ref an install came from (PEP 610)
        vcs = json.loads(metadata.distribution("course_lib").read_text("direct_url.json") or "{{}}")
        vcs = vcs.get("vcs_info", {{}})
        present = True
    except metadata.PackageNotFoundError:
        vcs, present = {{}}, False
    if REF not in (vcs.get("requested_revision"), vcs.get("commit_id", "")[:len(REF)]):
        requirement = "course_lib @ git+{url}@" + REF
        done = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", requirement],
                              capture_output=True, text=True)
        if done.returncode and not present:
            raise RuntimeError("could not install course_lib (no network?):\\n" + done.stderr[-2000:])
        if done.returncode:
            print(f"Warning: could not install course_lib {{REF}} (no network?); using the one installed.")

from course_lib import config

print(config.describe())'''


def repository() -> tuple[str, str]:
    """Return (url, branch) of the repository named in _config.yml."""
    settings = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]
    return settings["url"].rstrip("/"), settings.get("branch", "main")


def default_ref() -> str:
    """The tag of HEAD if it has one, else HEAD's full commit hash."""
    def git(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)

    tag = git("describe", "--tags", "--exact-match", "HEAD")
    if tag.returncode == 0 and tag.stdout.strip():
        return tag.stdout.strip()
    commit = git("rev-parse", "HEAD")
    if commit.returncode:
        raise SystemExit(f"no git commit to pin the setup cell to ({commit.stderr.strip()}); pass --ref.")
    return commit.stdout.strip()


def stored_ref() -> str | None:
    """The ref pinned in the first chapter's setup cell, or None if it has none."""
    for path in chapters():
        cell = first_code_cell(json.loads(path.read_text()))
        match = REF_LINE.search("".join(cell["source"])) if cell else None
        return match.group(1) if match else None
    return None


def setup_source(ref: str | None = None) -> str:
    """Return the source of the setup cell pinned to ``ref`` (default: the chapters' ref)."""
    url, branch = repository()
    ref = ref or stored_ref() or branch
    if not re.fullmatch(r"[A-Za-z0-9._/-]+", ref):
        raise SystemExit(f"ref must be a git tag, branch or commit; got {ref!r}.")
    return TEMPLATE.format(url=url, ref=ref)


def run_output(source: str) -> str:
    """What the cell prints outside Colab in the quick profile with offline data (its stored output)."""
    environment = {**os.environ, "COURSE_PROFILE": "quick", "COURSE_DATA": "offline", "PYTHONWARNINGS": "ignore"}
    environment.pop("COLAB_RELEASE_TAG", None)
    done = subprocess.run([sys.executable, "-c", source], cwd=ROOT, env=environment, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"the setup cell failed:\n{done.stderr}")
    return done.stdout


def chapters() -> list[Path]:
    """Return the chapter notebooks, in order."""
    return sorted((ROOT / "lessons").glob("[0-9][0-9]_*.ipynb"))


def first_code_cell(notebook: dict) -> dict | None:
    """Return the first code cell of a notebook (as JSON), or None."""
    return next((cell for cell in notebook["cells"] if cell["cell_type"] == "code"), None)


def write(path: Path, source: str, output: str) -> bool:
    """Make the first code cell of ``path`` the setup cell with ``output``; return True if it changed."""
    notebook = json.loads(path.read_text())
    cell = first_code_cell(notebook)
    if cell is None or TAG not in cell.get("metadata", {}).get("tags", []):
        raise SystemExit(f"{path}: its first code cell is not tagged '{TAG}'; add the tag first.")
    before = json.dumps(cell, sort_keys=True)
    tags = cell["metadata"]["tags"]
    cell["metadata"]["tags"] = TAGS + [tag for tag in tags if tag not in TAGS]
    cell["metadata"].update(METADATA)
    cell["source"] = source.splitlines(keepends=True)
    cell["outputs"] = [{"name": "stdout", "output_type": "stream", "text": output.splitlines(keepends=True)}]
    if json.dumps(cell, sort_keys=True) == before:
        return False
    path.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n")
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--write", action="store_true", help="update every chapter in place")
    parser.add_argument("--ref", help="git tag or commit to install in Colab (default with --write: HEAD's tag, "
                                      "else HEAD's commit; without: the ref in the chapters)")
    args = parser.parse_args()
    if not args.write:
        print(setup_source(args.ref))
        return
    source = setup_source(args.ref or default_ref())
    output = run_output(source)
    for path in chapters():
        if write(path, source, output):
            print(f"updated {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
