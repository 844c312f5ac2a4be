"""Fixtures for tests of the built HTML (run after `make book-stored` or `make book`)."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
HTML = ROOT / "_build" / "html"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def toc_pages() -> list[str]:
    """Every page of the table of contents, as a path without suffix (e.g. 'lessons/01_convolution')."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    pages = [toc["root"]]
    for part in toc["parts"]:
        pages += [chapter["file"] for chapter in part["chapters"]]
    return pages


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
