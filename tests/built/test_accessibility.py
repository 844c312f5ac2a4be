"""Accessibility of the built book: axe-core on every page, alt text on every figure.

axe-core (vendored in tests/built/vendor/axe-core/, pinned by its hash below) runs in headless
Chromium on every page of the table of contents with its default rules (WCAG 2.0/2.1 A and AA
plus best practices). Any violation of impact "serious" or "critical" fails the page; every
page's full result is written to _build/screenshots/<page>.axe.json, next to its screenshot.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import open_page, screenshot_path, toc_pages

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
AXE_VERSION = "4.14.1"
AXE_SHA256 = "29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c"
FAILING_IMPACTS = {"serious", "critical"}
PAGES = toc_pages()


def test_vendored_axe_is_the_pinned_release():
    assert hashlib.sha256(AXE.read_bytes()).hexdigest() == AXE_SHA256
    assert AXE.read_text()[:40].startswith(f"/*! axe v{AXE_VERSION}")


def serious(violations: list[dict]) -> list[str]:
    """One line per serious or critical violation: rule, impact, count and the first element."""
    return [f"{item['id']} ({item['impact']}, {len(item['nodes'])}x): {item['help']} "
            f"e.g. {item['nodes'][0]['target']}" for item in violations if item.get("impact") in FAILING_IMPACTS]


def test_serious_selects_only_serious_and_critical():
    node = {"target": ["img"]}
    found = serious([{"id": "a", "impact": "minor", "nodes": [node], "help": "x"},
                     {"id": "b", "impact": "serious", "nodes": [node], "help": "y"},
                     {"id": "c", "impact": "critical", "nodes": [node, node], "help": "z"}])
    assert found == ["b (serious, 1x): y e.g. ['img']", "c (critical, 2x): z e.g. ['img']"]


@pytest.mark.browser
@pytest.mark.parametrize("page", PAGES)
def test_axe_finds_no_serious_violation(browser, server, html_dir, page):
    context, tab = open_page(browser, server, page)
    tab.add_script_tag(content=AXE.read_text())
    run_axe = "async () => { await document.fonts.ready; return await axe.run(document, {resultTypes: ['violations']}); }"
    result = tab.evaluate(run_axe)
    if serious(result["violations"]):
        # a page still settling (scripts adding copy buttons and ids to code cells) can be caught
        # half-styled on a busy machine; a real violation is still there a second later
        tab.wait_for_timeout(1000)
        result = tab.evaluate(run_axe)
    context.close()
    report = {"page": page, "axe": result["testEngine"]["version"],
              "violations": result["violations"], "incomplete": result["incomplete"],
              "passes": sorted(rule["id"] for rule in result["passes"])}
    screenshot_path(html_dir, page, ".axe.json").write_text(json.dumps(report, indent=1))
    failures = serious(result["violations"])
    assert not failures, f"{page}: " + "; ".join(failures)


FILE_NAME = re.compile(r"(^|/)[^/ ]+\.(png|jpe?g|gif|svg)$")


@pytest.mark.parametrize("page", PAGES)
def test_every_figure_has_alt_text(html_dir, page):
    """Each figure of a notebook output (or glued into the text) says what it shows."""
    soup = BeautifulSoup((html_dir / f"{page}.html").read_text(), "html.parser")
    figures = soup.select("div.cell_output img, figure img, img.align-default")
    missing = [img.get("src") for img in figures
               if not (img.get("alt") or "").strip() or FILE_NAME.search(img["alt"].strip())]
    assert not missing, f"{page}: {len(missing)} of {len(figures)} figures without alt text, e.g. {missing[:3]}"
