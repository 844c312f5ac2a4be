"""Small Sphinx fixes for the published pages (loaded through _config.yml local_extensions).

sphinx-thebe 0.3 adds its inline configuration script twice to every page, which makes the
browser report "Identifier 'THEBE_JS_URL' has already been declared". This drops repeated
script entries from each page before it is rendered.

The theme and docutils write markup that axe-core (tests/built/test_accessibility.py) reports
as serious or critical; ``ACCESSIBILITY_FIXES`` rewrites it in every written page (see each
entry). The colour contrast of coloured notebook output is fixed in book/_static/accessibility.css.
"""

from __future__ import annotations

import re
from pathlib import Path

ACCESSIBILITY_FIXES = [
    # MyST-NB's folded cells: the summary's visible text ("Show code cell source") must be part
    # of its accessible name, which the aria-label replaced (label-content-name-mismatch)
    (re.compile(r'<summary aria-label="Toggle hidden content">'), "<summary>"),
    # the search field shows "Search Ctrl+K"; the aria-label "Search" hid the shortcut
    (re.compile(r'(<button class="btn search-button-field[^>]*?) aria-label="Search"'), r"\1"),
    # the colour-mode button is named "Color mode"; the tooltips of its three icons made
    # visible text outside that name
    (re.compile(r'(<i class="theme-switch [^"]*" data-mode="\w+")\s+title="[^"]*"'), r'\1 aria-hidden="true"'),
    # docutils marks the bibliography as a list of "doc-biblioentry" (a deprecated role) that
    # is not a list item (aria-required-children, critical): plain blocks read correctly
    (re.compile(r'<div role="list" class="citation-list">'), '<div class="citation-list">'),
    (re.compile(r'(<div class="citation" id="[^"]*") role="doc-biblioentry"'), r"\1"),
]


def fix_accessibility(html: str) -> str:
    """``html`` with every substitution of ``ACCESSIBILITY_FIXES`` applied (idempotent)."""
    for pattern, replacement in ACCESSIBILITY_FIXES:
        html = pattern.sub(replacement, html)
    return html


def _fix_written_pages(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    for path in Path(app.outdir).rglob("*.html"):
        text = path.read_text(encoding="utf8")
        fixed = fix_accessibility(text)
        if fixed != text:
            path.write_text(fixed, encoding="utf8")


def _drop_repeated_scripts(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, unique = set(), []
    for script in scripts:
        # the same inline script arrives once with filename None and once with ""
        key = (getattr(script, "filename", None) or "", str(getattr(script, "attributes", {})))
        if key in seen:
            continue
        seen.add(key)
        unique.append(script)
    # in place: handlers that run later (sphinx.ext.mathjax) append to this same list
    scripts[:] = unique


def setup(app):
    app.connect("html-page-context", _drop_repeated_scripts, priority=100)
    app.connect("build-finished", _fix_written_pages)  # early: a later handler may end the event by returning a template
    return {"parallel_read_safe": True, "parallel_write_safe": True}
