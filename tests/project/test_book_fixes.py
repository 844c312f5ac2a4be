"""book/_ext/book_fixes.py: the markup rewrites that make the theme's pages pass axe-core."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "book" / "_ext"))

from book_fixes import fix_accessibility  # noqa: E402

THEME = (
    '<summary aria-label="Toggle hidden content"><p class="collapsed">Show code cell source</p></summary>'
    '<button class="btn search-button-field search-button__button pst-js-only" title="Search" aria-label="Search" '
    'data-bs-placement="bottom"><span>Search</span><kbd>Ctrl</kbd>+<kbd>K</kbd></button>'
    '<button class="btn btn-sm pst-navbar-icon search-button search-button__button" title="Search" aria-label="Search">'
    '<i class="fa-solid fa-magnifying-glass fa-lg"></i></button>'
    '<i class="theme-switch fa-solid fa-sun                fa-lg" data-mode="light" title="Light"></i>'
    '<div role="list" class="citation-list">\n<div class="citation" id="id26" role="doc-biblioentry">'
)
FIXED = (
    '<summary><p class="collapsed">Show code cell source</p></summary>'
    '<button class="btn search-button-field search-button__button pst-js-only" title="Search" '
    'data-bs-placement="bottom"><span>Search</span><kbd>Ctrl</kbd>+<kbd>K</kbd></button>'
    '<button class="btn btn-sm pst-navbar-icon search-button search-button__button" title="Search" aria-label="Search">'
    '<i class="fa-solid fa-magnifying-glass fa-lg"></i></button>'
    '<i class="theme-switch fa-solid fa-sun                fa-lg" data-mode="light" aria-hidden="true"></i>'
    '<div class="citation-list">\n<div class="citation" id="id26">'
)


def test_each_fix_rewrites_its_markup_and_keeps_the_icon_button_label():
    assert fix_accessibility(THEME) == FIXED


def test_fixes_are_idempotent():
    assert fix_accessibility(FIXED) == FIXED
