"""Offline link check of the whole built book (_build/html).

Every internal link (``a href``, ``img src``, ``link href``, ``script src`` of every HTML page)
resolves to a file of the build and, with a ``#fragment``, to an element with that id. External
links are not fetched: they are listed in one report, _build/links.json (url -> pages), and
every link into the book's own repository must name a ref that exists with the file in it:
the branch of _config.yml (the file tracked in this repository) or the branch that the pages
workflow writes the student notebooks to (the file in the build, which that workflow pushes).
"""

from __future__ import annotations

import functools
import json
import re
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"
LINKS = (("a", "href"), ("img", "src"), ("link", "href"), ("script", "src"))
SETTINGS = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]
REPOSITORY = urlsplit(SETTINGS["url"]).path.strip("/")
# links into the repository, with the ref and the file they name
REPOSITORY_LINKS = [
    re.compile(rf"^https://colab\.research\.google\.com/github/{REPOSITORY}/blob/(?P<ref>[^/]+)/(?P<path>[^?#]+)"),
    re.compile(rf"^https://github\.com/{REPOSITORY}/(?:blob|tree|raw|edit)/(?P<ref>[^/]+)/(?P<path>[^?#]+)"),
    re.compile(rf"^https://mybinder\.org/v2/gh/{REPOSITORY}/(?P<ref>[^/?#]+)(?:\?urlpath=tree/(?P<path>[^&#]+))?"),
]


def pages(html_dir: Path) -> list[Path]:
    return sorted(path for path in html_dir.rglob("*.html") if "_static" not in path.relative_to(html_dir).parts)


@functools.lru_cache(maxsize=None)
def anchors(path: Path) -> frozenset[str]:
    soup = BeautifulSoup(path.read_text(encoding="utf8"), "html.parser")
    return frozenset(element.get("id") or element.get("name")
                     for element in soup.find_all(lambda tag: tag.has_attr("id") or tag.name == "a" and tag.has_attr("name")))


def check_page(page: Path, html_dir: Path) -> tuple[list[str], list[str]]:
    """(broken internal links as 'target (why)', external links) of one page."""
    soup = BeautifulSoup(page.read_text(encoding="utf8"), "html.parser")
    broken, external = [], []
    for tag, attribute in LINKS:
        for element in soup.find_all(tag):
            target = (element.get(attribute) or "").strip()
            if not target or target.startswith(("javascript:", "data:")):
                continue
            parts = urlsplit(target)
            if parts.scheme or target.startswith("//"):
                external.append(target)
                continue
            file = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if file.is_dir():
                file = file / "index.html"
            if html_dir.resolve() not in file.parents and file != html_dir.resolve():
                broken.append(f"{target} (outside the build)")
            elif not file.exists():
                broken.append(f"{target} (no such file)")
            elif parts.fragment and file.suffix == ".html" and unquote(parts.fragment) not in anchors(file):
                broken.append(f"{target} (no id {unquote(parts.fragment)!r} in {file.name})")
    return broken, external


@pytest.fixture(scope="module")
def checked(html_dir) -> dict[str, tuple[list[str], list[str]]]:
    """Every page's (broken, external) links; writes _build/links.json."""
    results = {page.relative_to(html_dir).as_posix(): check_page(page, html_dir) for page in pages(html_dir)}
    report: dict[str, list[str]] = {}
    for name, (_, external) in results.items():
        for url in external:
            report.setdefault(url, [])
            if name not in report[url]:
                report[url].append(name)
    (html_dir.parent / "links.json").write_text(json.dumps(
        {"pages": len(results), "external": dict(sorted(report.items()))}, indent=1))
    return results


def test_every_internal_link_and_anchor_resolves(checked):
    broken = {name: problems for name, (problems, _) in checked.items() if problems}
    assert not broken, f"{sum(map(len, broken.values()))} broken links: " + "; ".join(
        f"{name}: {problems[:3]}" for name, problems in list(broken.items())[:5])


def test_external_links_are_reported(checked, html_dir):
    report = json.loads((html_dir.parent / "links.json").read_text())
    assert report["pages"] == len(checked) > 10
    assert any(url.startswith("https://doi.org/") for url in report["external"])


def notebook_branch() -> str:
    """The branch the pages workflow pushes _build/html/exercises/ to, checked step by step."""
    workflow = yaml.safe_load(WORKFLOW.read_text())
    branch = workflow["env"]["NOTEBOOK_BRANCH"]
    build = workflow["jobs"]["build"]["steps"]
    upload = next(step for step in build if step.get("with", {}).get("name") == "student-notebooks")
    assert upload["with"]["path"].rstrip("/") == "_build/html/exercises"
    push = workflow["jobs"]["student-notebooks"]["steps"]
    download = next(step for step in push if "download-artifact" in step.get("uses", ""))
    assert download["with"]["path"] == "site/exercises"
    script = next(step["run"] for step in push if "run" in step)
    assert "cd site" in script and "git add exercises" in script and "refs/heads/$NOTEBOOK_BRANCH" in script
    return branch


@functools.lru_cache(maxsize=1)
def tracked_files() -> frozenset[str]:
    listed = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return frozenset(listed.splitlines())


def test_the_pages_workflow_writes_the_notebook_branch():
    assert notebook_branch() != SETTINGS["branch"]


def test_repository_links_name_a_ref_and_file_that_exist(checked, html_dir):
    roots = {SETTINGS["branch"]: "tracked", notebook_branch(): html_dir}
    seen, wrong = 0, []
    for name, (_, external) in checked.items():
        for url in external:
            match = next((found for pattern in REPOSITORY_LINKS if (found := pattern.match(url))), None)
            if match is None:
                continue
            seen += 1
            ref, path = match["ref"], unquote(match["path"] or "")
            if ref not in roots:
                wrong.append(f"{name}: {url} (no workflow writes a branch {ref!r}; known: {sorted(roots)})")
            elif path and roots[ref] == "tracked" and path not in tracked_files():
                wrong.append(f"{name}: {url} ({path} is not in the repository)")
            elif path and roots[ref] != "tracked" and not (html_dir / path).is_file():
                wrong.append(f"{name}: {url} ({path} is not in the build that the workflow pushes)")
    assert seen >= 8, "expected Colab and Binder links to the repository on every chapter"
    assert not wrong, "; ".join(wrong[:5])


def test_check_page_finds_missing_files_and_anchors(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b.html").write_text('<h1 id="top">B</h1>')
    page = tmp_path / "a" / "page.html"
    page.write_text('<p id="here"></p><a href="#here"></a><a href="#gone"></a><a href="../b.html#top"></a>'
                    '<a href="../b.html#nope"></a><img src="missing.png"><a href="https://doi.org/x"></a>'
                    '<a href="../../outside.html"></a>')
    anchors.cache_clear()
    broken, external = check_page(page, tmp_path)
    assert broken == ["#gone (no id 'gone' in page.html)", "../b.html#nope (no id 'nope' in b.html)",
                      "../../outside.html (outside the build)", "missing.png (no such file)"]
    assert external == ["https://doi.org/x"]
