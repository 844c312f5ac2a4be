"""Accessibility of the built book: axe-core on every page, alt text on every figure.

axe-core (vendored in tests/built/vendor/axe-core/, pinned by its hash below) runs in headless
Chromium on every page of the table of contents with its default rules (WCAG 2.0/2.1 A and AA
plus best practices). Any violation of impact "serious" or "critical" fails the page; every
page's full result is written to _build/screenshots/<page>.axe.json, next to its screenshot.
"""

from __future__ import annotations

import hashlib
import re

import pytest
from bs4 import BeautifulSoup

from conftest import AXE, serious, toc_pages

AXE_VERSION = "4.14.1"
AXE_SHA256 = "29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c"
PAGES = toc_pages()


def test_vendored_axe_is_the_pinned_release():
    assert hashlib.sha256(AXE.read_bytes()).hexdigest() == AXE_SHA256
    assert AXE.read_text()[:40].startswith(f"/*! axe v{AXE_VERSION}")


def test_serious_selects_only_serious_and_critical():
    node = {"target": ["img"]}
    found = serious([{"id": "a", "impact": "minor", "nodes": [node], "help": "x"},
                     {"id": "b", "impact": "serious", "nodes": [node], "help": "y"},
                     {"id": "c", "impact": "critical", "nodes": [node, node], "help": "z"}])
    assert found == ["b (serious, 1x): y e.g. ['img']", "c (critical, 2x): z e.g. ['img']"]


@pytest.mark.browser
@pytest.mark.parametrize("page", PAGES)
def test_axe_finds_no_serious_violation(visit, page):
    failures = serious(visit(page)["axe"]["violations"])  # the whole result: _build/screenshots/<page>.axe.json
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
