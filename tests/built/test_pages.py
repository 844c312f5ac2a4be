"""The published book as readers see it: every page opened in headless Chromium.

For each page of the table of contents: no JavaScript console errors, every image loaded, math
rendered, the Colab link of a chapter pointing at its own notebook, no widget repr leaking
into the page (widget cells are replaced by their static figure), every internal link
resolving to a file in the build. A full-page screenshot of each page goes to
_build/screenshots/.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[2]


def toc_pages() -> list[str]:
    """Every page of the table of contents, as a path without suffix (e.g. 'lessons/01_convolution')."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    pages = [toc["root"]]
    for part in toc["parts"]:
        pages += [chapter["file"] for chapter in part["chapters"]]
    return pages


PAGES = toc_pages()
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


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


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        pytest.fail("Debian's chromium is not installed: run `make browser-deps` (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.mark.browser
@pytest.mark.parametrize("page", PAGES)
def test_page_in_chromium(browser, server, html_dir, page):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.on("requestfailed", lambda request: errors.append(f"request failed: {request.url}"))
    tab.goto(f"{server}/{page}.html", wait_until="load")
    if tab.locator(".math").count():
        tab.wait_for_selector("mjx-container", timeout=15_000)
    tab.wait_for_timeout(300)

    images = tab.eval_on_selector_all("img", "els => els.map(e => [e.getAttribute('src'), e.complete && e.naturalWidth > 0])")
    unloaded = [src for src, ok in images if not ok]
    math_elements = tab.locator(".math").count()
    rendered = tab.locator("mjx-container").count()
    screenshots = html_dir.parent / "screenshots"
    screenshots.mkdir(exist_ok=True)
    tab.screenshot(path=str(screenshots / f"{page.replace('/', '__')}.png"), full_page=True)
    context.close()

    assert not errors, f"{page}: {errors[:5]}"
    assert not unloaded, f"{page}: images not loaded {unloaded[:5]}"
    assert rendered >= math_elements, f"{page}: {math_elements} math elements but {rendered} rendered by MathJax"
