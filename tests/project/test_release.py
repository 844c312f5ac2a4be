"""Releases a course can pin: one version everywhere, a changelog section per version, licences, citation."""

from __future__ import annotations

import json
import re
import shutil
import sys
import tomllib
from pathlib import Path

import jsonschema
import pytest
import yaml

import course_lib

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import release  # noqa: E402

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
VERSION = PYPROJECT["project"]["version"]
CFF_SCHEMA = json.loads((Path(__file__).with_name("cff-schema-1.2.0.json")).read_text())


def cff_errors(citation: dict) -> list[str]:
    validator = jsonschema.Draft7Validator(CFF_SCHEMA, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    return [f"{'/'.join(map(str, error.path))}: {error.message}" for error in validator.iter_errors(citation)]


def test_one_version_everywhere():
    assert course_lib.__version__ == VERSION
    assert release.versions() == dict.fromkeys(["pyproject.toml", "course_lib/__init__.py", "CITATION.cff",
                                                "book/intro.md"], VERSION)


def test_the_citation_file_is_valid_cff():
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    assert cff_errors(citation) == []
    assert citation["repository-code"] == yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["url"]
    assert citation["license"] == ["MIT", "CC-BY-4.0"]


def test_the_schema_check_catches_a_broken_citation():
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    del citation["authors"]
    citation["license"] = "MIT or so"
    errors = cff_errors(citation)
    assert any("'authors' is a required property" in error for error in errors), errors
    assert any(error.startswith("license") for error in errors), errors


def test_the_changelog_keeps_a_changelog():
    text = (ROOT / "CHANGELOG.md").read_text()
    assert "[Keep a Changelog](https://keepachangelog.com/en/1.1.0/)" in text
    sections = release.changelog_sections(text)
    names = list(sections)
    assert names[0] == "Unreleased" and sections["Unreleased"][0] is None
    released = [tuple(map(int, name.split("."))) for name in names[1:]]
    assert released == sorted(released, reverse=True), "newest version first"
    for name in names[1:]:
        date, body = sections[name]
        assert re.fullmatch(r"\d{4}-\d\d-\d\d", date or ""), f"{name} has no release date"
        assert body, f"{name} is empty"
        assert f"[{name}]: https://github.com/" in text, f"{name} has no link reference"


def test_the_current_version_can_be_released():
    notes = release.check(f"v{VERSION}")
    assert notes.strip() and "## [" not in notes and "]: https://" not in notes


@pytest.fixture
def tree(tmp_path):
    for name in ("pyproject.toml", "CITATION.cff", "CHANGELOG.md", "course_lib/__init__.py", "book/intro.md"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        shutil.copy(ROOT / name, tmp_path / name)
    return tmp_path


@pytest.mark.parametrize("tag", ["0.1.0", "v1.2", "v1.2.3-rc1", "release"])
def test_a_tag_that_is_not_a_version_is_refused(tag):
    with pytest.raises(ValueError, match=r"tag must look like v1\.2\.3; got"):
        release.check(tag)


def test_a_tag_of_another_version_is_refused(tree):
    with pytest.raises(ValueError, match=rf"tag v9\.0\.0 is version 9\.0\.0, but pyproject\.toml says {VERSION}"):
        release.check("v9.0.0", tree)


def test_a_version_without_a_changelog_section_is_refused(tree):
    for name in release.versions(tree):
        path = tree / name
        path.write_text(path.read_text().replace(VERSION, "9.0.0"))
    assert set(release.versions(tree).values()) == {"9.0.0"}
    with pytest.raises(ValueError, match=r"CHANGELOG\.md has no section for 9\.0\.0"):
        release.check("v9.0.0", tree)


def test_an_undated_or_empty_section_is_refused(tree):
    changelog = tree / "CHANGELOG.md"
    text = changelog.read_text()
    changelog.write_text(re.sub(rf"^## \[{re.escape(VERSION)}\] - \S+$", f"## [{VERSION}]", text, flags=re.M))
    with pytest.raises(ValueError, match=rf"the section of {re.escape(VERSION)} needs its release date"):
        release.check(f"v{VERSION}", tree)
    start = text.index(f"## [{VERSION}]")
    end = text.find("\n## [", start + 1)
    changelog.write_text(text[:start] + text[start:].split("\n", 1)[0] + "\n\n" + (text[end:] if end > 0 else ""))
    with pytest.raises(ValueError, match=rf"the section of {re.escape(VERSION)} is empty"):
        release.check(f"v{VERSION}", tree)


def test_the_release_command_says_why_it_refuses(capsys):
    assert release.main(["v0.0.0-x"]) == 1
    assert "release: tag must look like" in capsys.readouterr().err


def test_the_release_workflow_checks_the_tag_and_releases_a_book_pinned_to_it():
    steps = yaml.safe_load((ROOT / ".github/workflows/release.yml").read_text())["jobs"]["release"]["steps"]
    runs = [step.get("run", "") for step in steps]
    order = {name: next(i for i, run in enumerate(runs) if needle in run) for name, needle in {
        "check": 'tools/release.py "$TAG"', "pin": 'setup_cell.py --write --ref "$TAG"',
        "book": "make book-stored", "publish": "make publish", "release": "gh release create"}.items()}
    assert order["check"] < order["pin"] < order["book"] < order["release"]
    assert order["pin"] < order["publish"]
    assert order["check"] == min(i for i, run in enumerate(runs) if run), "the check comes before any other step"
    assert '--notes-file "$RUNNER_TEMP/notes.md"' in runs[order["release"]]


def test_the_licences_are_named_in_pyproject_and_exist():
    project = PYPROJECT["project"]
    assert project["license"] == "MIT"
    assert project["license-files"] == ["LICENSE", "LICENSE-CONTENT", "THIRD-PARTY-NOTICES.md"]
    assert (ROOT / "LICENSE").read_text().startswith("MIT License\n")
    content = (ROOT / "LICENSE-CONTENT").read_text()
    assert "Creative Commons Attribution 4.0 International Public License" in content
    assert "Section 8 -- Interpretation." in content, "the whole legal code"


def test_the_third_party_notices_name_what_the_book_ships():
    notices = (ROOT / "THIRD-PARTY-NOTICES.md").read_text()
    for material in ("MathJax", "axe-core", "MNIST", "scikit-image", "Citation File Format"):
        assert material in notices, material
    for path in re.findall(r"`((?:book|tests|course_lib)/[^`]+)`", notices):
        assert (ROOT / path).exists() or list(ROOT.glob(path + "*")), f"{path} named in the notices does not exist"
