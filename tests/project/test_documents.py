"""The project's documents: a README that is a front door, and no page that narrates past work."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
#: Work history belongs in CHANGELOG.md and git, not in the documents a reader meets.
NARRATION = re.compile(
    r"\bthis round\b|\b(?:the |a |previous |last |earlier )?rounds? before\b|\b(?:earlier|previous|last) rounds?\b"
    r"|\bround \d+\b|\bstops? \d+\b|\bissues? #?\d+\b|\bCI runs? #?\d+\b|\bruns? #\d+\b|\bPR #?\d+\b",
    re.IGNORECASE)
COMMENT = re.compile(r"(?:^|\s)#(.*)$", re.M)
FIRST_SCREEN = 40


def narration(text: str) -> list[str]:
    """Each phrase of ``text`` that narrates past work, with a little context."""
    return [text[max(0, m.start() - 30):m.end() + 30].replace("\n", " ") for m in NARRATION.finditer(text)]


def documents() -> list[Path]:
    return [ROOT / "README.md", ROOT / "CONTRIBUTING.md", *sorted((ROOT / "book").rglob("*.md"))]


def chapter_prose(path: Path) -> str:
    """A notebook's markdown cells and the comments of its code cells."""
    parts = []
    for cell in json.loads(path.read_text())["cells"]:
        source = "".join(cell["source"])
        parts += [source] if cell["cell_type"] == "markdown" else COMMENT.findall(source)
    return "\n".join(parts)


@pytest.mark.parametrize("text", [
    "this round's five runs", "The round before took 13 min", "as in earlier rounds", "CI failed (stop 32)",
    "stops 30 and 31", "Issue 27's target", "see issue #12", "CI run 31 failed", "run #4 passed", "fixed in PR 7",
])
def test_the_check_finds_narration(text):
    assert narration(text), text


@pytest.mark.parametrize("text", [
    "Training stops when the loss rises.", "a round number", "the issues of a grading run", "a run of 3 epochs",
    "Chapter 4 rounds to 3 decimals",
])
def test_the_check_leaves_plain_prose_alone(text):
    assert narration(text) == [], text


@pytest.mark.parametrize("path", documents(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_documents_do_not_narrate_past_work(path):
    assert narration(path.read_text()) == [], "move work history to CHANGELOG.md or a commit message"


@pytest.mark.parametrize("path", sorted((ROOT / "lessons").glob("*.ipynb")), ids=lambda p: p.name)
def test_chapters_do_not_narrate_past_work(path):
    assert narration(chapter_prose(path)) == [], "move work history to CHANGELOG.md or a commit message"


def test_comments_of_code_cells_are_scanned(tmp_path):
    notebook = {"cells": [{"cell_type": "code", "source": ["x = 1  # slower in stop 31\n", "y = '#'\n"]},
                          {"cell_type": "markdown", "source": ["# A title\n"]}]}
    path = tmp_path / "chapter.ipynb"
    path.write_text(json.dumps(notebook))
    assert narration(chapter_prose(path)) and "x = 1" not in chapter_prose(path)


def test_the_readme_first_screen_answers_what_who_and_how_to_start():
    lines = (ROOT / "README.md").read_text().splitlines()
    screen = "\n".join(lines[:FIRST_SCREEN])
    assert not any(line.startswith("|") for line in lines[:FIRST_SCREEN]), "no table before the first screen ends"
    for number in range(1, 11):
        assert re.search(rf"^{number}\. \*\*", screen, re.M), f"chapter {number} has no line"
    for start in ("https://", "Colab", "course-grade assign", "course-grade grade", "book/instructors.md",
                  "make book", "make test", "Python 3.11", "Chromium", "2-core"):
        assert start in screen, start


def test_the_readme_holds_no_timing_log():
    text = (ROOT / "README.md").read_text()
    assert not re.search(r"\d+ min \d+ s|\d+ s\b|\b20\d\d-\d\d-\d\d\b", text), "recorded times live in benchmarks/results"
    assert len(re.findall(r"\d+ minutes", text)) <= 2, "one sentence with the two commands' times"


def test_the_book_shows_the_recorded_results():
    page = (ROOT / "book" / "built.md").read_text()
    assert "```{include} ../benchmarks/results/summary.md\n```" in page
    assert (ROOT / "benchmarks" / "results" / "summary.md").is_file()
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    assert "book/built" in [chapter["file"] for part in toc["parts"] for chapter in part["chapters"]]


def test_the_front_page_names_the_licences_and_the_citation():
    intro = (ROOT / "book" / "intro.md").read_text()
    for name in ("CC BY 4.0", "LICENSE-CONTENT", "MIT licence", "THIRD-PARTY-NOTICES.md", "CITATION.cff",
                 "CHANGELOG.md"):
        assert name in intro, name
