"""The book's structure: every chapter listed, set up the same way, stored outputs fresh."""

import json
import re
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import setup_cell  # noqa: E402

CHAPTERS = setup_cell.chapters()
MAX_OUTPUT_BYTES = 600_000  # one figure or table; anything larger is a page-weight bug


def toc_files() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]
    for part in toc["parts"]:
        files += [chapter["file"] for chapter in part["chapters"]]
    return files


def load(path: Path) -> dict:
    return json.loads(path.read_text())


def test_there_are_chapters():
    assert len(CHAPTERS) >= 1


def test_every_chapter_is_in_the_toc_and_every_toc_entry_exists():
    listed = toc_files()
    for path in CHAPTERS:
        assert path.relative_to(ROOT).with_suffix("").as_posix() in listed, f"{path.name} missing from _toc.yml"
    for entry in listed:
        assert any((ROOT / f"{entry}{suffix}").exists() for suffix in (".md", ".ipynb")), entry


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_chapter_starts_with_the_setup_cell(path):
    notebook = load(path)
    code_cells = [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]
    first = code_cells[0]
    assert "".join(first["source"]) == setup_cell.setup_source(), "run: python tools/setup_cell.py --write"
    assert set(setup_cell.TAGS) <= set(first["metadata"].get("tags", [])), "run: python tools/setup_cell.py --write"
    installs = [cell for cell in code_cells if "pip\", \"install\"" in "".join(cell["source"])]
    assert len(installs) == 1, "exactly one setup cell per chapter"
    assert notebook["metadata"]["kernelspec"]["name"] == "python3"


def test_setup_cell_installs_from_the_repository_in_config():
    settings = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]
    source = setup_cell.setup_source()
    assert f'"course_lib @ git+{settings["url"]}@" + REF' in source
    assert setup_cell.stored_ref(), "the chapters pin a ref: run python tools/setup_cell.py --write"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_stored_outputs_come_from_one_fresh_run(path):
    counts = [cell.get("execution_count") for cell in load(path)["cells"] if cell["cell_type"] == "code"]
    assert None not in counts, "some cells were never run: make execute NB=..."
    assert counts == list(range(1, len(counts) + 1)), "cells were not run in order from a fresh kernel"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_stored_outputs_have_no_errors_and_no_huge_outputs(path):
    for index, cell in enumerate(load(path)["cells"]):
        for output in cell.get("outputs", []):
            assert output["output_type"] != "error", f"cell {index} stored an error"
            size = len(json.dumps(output))
            assert size < MAX_OUTPUT_BYTES, f"cell {index} stores {size} bytes of output"
            text = "".join(output.get("text", ""))
            assert "Traceback" not in text and "WARNING:absl" not in text, f"cell {index}: log noise in output"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_chapter_has_goals_summary_exercises_and_citations(path):
    markdown = "\n".join("".join(c["source"]) for c in load(path)["cells"] if c["cell_type"] == "markdown")
    assert re.search(r"^# \d+\. ", markdown, re.M), "title '# N. Title'"
    assert "Learning goals" in markdown
    assert re.search(r"^## Summary", markdown, re.M)
    assert re.search(r"^## Exercises", markdown, re.M)
    assert "{cite}" in markdown
    checks = [c for c in load(path)["cells"] if c["cell_type"] == "code" and "checks.check" in "".join(c["source"])]
    assert checks, "exercises give immediate feedback through course_lib.checks"


def test_cited_keys_exist_in_the_bibliography():
    keys = set(re.findall(r"^@\w+\{([^,]+),", (ROOT / "book" / "references.bib").read_text(), re.M))
    sources = [p.read_text() for p in CHAPTERS] + [p.read_text() for p in (ROOT / "book").glob("*.md")]
    cited = {key for text in sources for group in re.findall(r"\{cite[a-z:]*\}`([^`]+)`", text) for key in group.split(",")}
    assert cited, "no citations found"
    assert cited <= keys, cited - keys


def test_landing_page_gallery_has_every_chapter():
    intro = (ROOT / "book" / "intro.md").read_text()
    for path in CHAPTERS:
        assert f":link: /lessons/{path.stem}" in intro, "run: python tools/gallery.py"
        thumbnail = ROOT / "book" / "_static" / "gallery" / f"{path.stem}.png"
        assert thumbnail.exists() and thumbnail.stat().st_size < 200_000


def test_every_chapter_ends_with_its_references_written_out():
    # Colab and Jupyter show {cite} roles raw: the chapter's last cell lists the works in plain text
    import subprocess
    import sys

    chapters = sorted(str(path) for path in (ROOT / "lessons").glob("[0-9][0-9]_*.ipynb"))
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "references.py"), "--check", *chapters],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
