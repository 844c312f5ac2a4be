"""Fixtures for tests of the built HTML (run after `make book-stored` or `make book`).

Each page is opened in Chromium once per run: the browser checks of a page (test_pages.py and
test_accessibility.py) read one visit (:func:`visit`), shared between the xdist workers through a
file of the run's temporary folder.
"""

from __future__ import annotations

import fcntl
import functools
import http.server
import json
import os
import shutil
import threading
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
HTML = ROOT / "_build" / "html"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
RUN_AXE = "async () => { await document.fonts.ready; return await axe.run(document, {resultTypes: ['violations']}); }"
FAILING_IMPACTS = {"serious", "critical"}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def toc_pages() -> list[str]:
    """Every page of the table of contents, as a path without suffix (e.g. 'lessons/01_convolution')."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    pages = [toc["root"]]
    for part in toc["parts"]:
        pages += [chapter["file"] for chapter in part["chapters"]]
    return pages


def serious(violations: list[dict]) -> list[str]:
    """One line per serious or critical violation: rule, impact, count and the first element."""
    return [f"{item['id']} ({item['impact']}, {len(item['nodes'])}x): {item['help']} "
            f"e.g. {item['nodes'][0]['target']}" for item in violations if item.get("impact") in FAILING_IMPACTS]


def screenshot_path(html_dir: Path, page: str, suffix: str) -> Path:
    """_build/screenshots/<page with / as __><suffix>, the folder made if missing."""
    folder = html_dir.parent / "screenshots"
    folder.mkdir(exist_ok=True)
    return folder / f"{page.replace('/', '__')}{suffix}"


@pytest.fixture(scope="session")
def html_dir() -> Path:
    if not (HTML / "index.html").exists():
        pytest.fail("no built book in _build/html: run `make book-stored` (or `make book`) first")
    return HTML


@pytest.fixture(scope="session")
def server(html_dir):
    """Serve the built book on 127.0.0.1 (an ephemeral port) for the browser."""
    handler = functools.partial(_QuietHandler, directory=str(html_dir))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by playwright."""
    if CHROMIUM is None:
        pytest.fail("Debian's chromium is not installed: run `make browser-deps` (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def visit(browser, server, html_dir, tmp_path_factory):
    """``visit(page)``: what one load of ``page`` in Chromium showed, the page loaded once per run.

    A dict: ``errors`` (console errors, page errors, failed requests while loading), ``images``
    ([src, loaded] of every img), ``math`` and ``rendered`` (math elements, MathJax containers),
    ``axe`` (axe-core's result). The full-page screenshot and the axe report are written to
    _build/screenshots/. The first check of a page to run visits it, under a lock, and writes what
    it saw to the run's temporary folder (the one folder that every xdist worker of this run
    shares); the page's other checks wait on the lock and read that.
    """
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base  # this run's, never an older run's

    def load(page: str) -> dict:
        record = shared / f"visit-{page.replace('/', '__')}.json"
        with open(record.with_suffix(".lock"), "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not record.exists():
                record.write_text(json.dumps(_visit(browser, server, html_dir, page)))
        return json.loads(record.read_text())

    return load


def _visit(browser, server: str, html_dir: Path, page: str) -> dict:
    errors: list[str] = []
    context, tab = open_page(browser, server, page, errors)
    seen = {"images": tab.eval_on_selector_all(
                "img", "els => els.map(e => [e.getAttribute('src'), e.complete && e.naturalWidth > 0])"),
            "math": tab.locator(".math").count(), "rendered": tab.locator("mjx-container").count()}
    tab.screenshot(path=str(screenshot_path(html_dir, page, ".png")), full_page=True)
    seen["errors"] = list(errors)  # the page's own, before axe is added to it
    tab.add_script_tag(content=AXE.read_text())
    result = tab.evaluate(RUN_AXE)
    if serious(result["violations"]):
        # a page still settling (scripts adding copy buttons and ids to code cells) can be caught
        # half-styled on a busy machine; a real violation is still there a second later
        tab.wait_for_timeout(1000)
        result = tab.evaluate(RUN_AXE)
    context.close()
    report = {"page": page, "axe": result["testEngine"]["version"],
              "violations": result["violations"], "incomplete": result["incomplete"],
              "passes": sorted(rule["id"] for rule in result["passes"])}
    screenshot_path(html_dir, page, ".axe.json").write_text(json.dumps(report, indent=1))
    seen["axe"] = result
    return seen


def open_page(browser, server: str, page: str, errors: list[str] | None = None):
    """A new tab (1280x900) with ``page`` loaded and its math typeset; returns (context, tab)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    if errors is not None:
        tab.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        tab.on("pageerror", lambda error: errors.append(str(error)))
        tab.on("requestfailed", lambda request: errors.append(f"request failed: {request.url}"))
    tab.goto(f"{server}/{page}.html", wait_until="load")
    if tab.locator(".math").count():
        tab.wait_for_selector("mjx-container", timeout=15_000)
    tab.wait_for_timeout(300)
    return context, tab


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - signature of the base class
        pass
