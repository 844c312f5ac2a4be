"""The published book as readers see it: every page opened in headless Chromium.

For each page of the table of contents: no JavaScript console errors, every image loaded, math
rendered, the Colab link of a chapter pointing at its own notebook, no widget repr leaking
into the page (widget cells are replaced by their static figure), every internal link
resolving to a file in the build. A full-page screenshot of each page goes to
_build/screenshots/.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import toc_pages

ROOT = Path(__file__).resolve().parents[2]
PAGES = toc_pages()


def page_file(html_dir: Path, page: str) -> Path:
    return html_dir / f"{page}.html"


@pytest.mark.parametrize("page", PAGES)
def test_internal_links_resolve(html_dir, page):
    path = page_file(html_dir, page)
    soup = BeautifulSoup(path.read_text(), "html.parser")
    broken = []
    for tag, attribute in (("a", "href"), ("img", "src"), ("script", "src"), ("link", "href")):
        for element in soup.find_all(tag):
            target = element.get(attribute)
            if not target or target.startswith(("http:", "https:", "mailto:", "#", "data:", "javascript:")):
                continue
            resolved = (path.parent / urlsplit(target).path).resolve()
            if not resolved.exists():
                broken.append(target)
    assert not broken, f"{page}: links to missing files {broken[:5]}"


@pytest.mark.parametrize("page", [p for p in PAGES if p.startswith("lessons/")])
def test_chapter_colab_link_points_at_its_notebook(html_dir, page):
    settings = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]
    repository = urlsplit(settings["url"]).path.strip("/")
    expected = f"https://colab.research.google.com/github/{repository}/blob/{settings['branch']}/{page}.ipynb"
    soup = BeautifulSoup(page_file(html_dir, page).read_text(), "html.parser")
    links = [a["href"] for a in soup.find_all("a", href=True) if "colab.research.google.com" in a["href"]]
    assert links == [expected]


@pytest.mark.parametrize("page", [p for p in PAGES if p.startswith("lessons/")])
def test_every_stored_figure_is_on_the_page(html_dir, page):
    notebook = json.loads((ROOT / f"{page}.ipynb").read_text())
    expected = 0
    for cell in notebook["cells"]:
        tags = cell.get("metadata", {}).get("tags", [])
        if cell["cell_type"] != "code" or "remove-output" in tags or "remove-cell" in tags:
            continue
        expected += sum("image/png" in output.get("data", {}) for output in cell.get("outputs", []))
    soup = BeautifulSoup(page_file(html_dir, page).read_text(), "html.parser")
    shown = [img for img in soup.select("div.cell_output img")]
    assert len(shown) == expected
    assert "interactive(children=" not in soup.get_text(), "a widget repr leaked into the static page"


@pytest.mark.browser
@pytest.mark.parametrize("page", PAGES)
def test_page_in_chromium(visit, page):
    seen = visit(page)  # its full-page screenshot: _build/screenshots/<page>.png
    unloaded = [src for src, ok in seen["images"] if not ok]
    assert not seen["errors"], f"{page}: {seen['errors'][:5]}"
    assert not unloaded, f"{page}: images not loaded {unloaded[:5]}"
    assert seen["rendered"] >= seen["math"], f"{page}: {seen['math']} math elements but {seen['rendered']} rendered by MathJax"
