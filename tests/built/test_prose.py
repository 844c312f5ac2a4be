"""The prose of the built pages shows numbers, not NumPy reprs.

A value glued into the text (``{glue:text}`name` ``) is shown as the ``repr`` of what the cell
glued: a NumPy scalar or array glued as it is appears as ``np.float64(0.01)`` or ``array([...])``
in a sentence. The fix is in the chapter's glue cell: glue ``float(value)`` (or ``int``, or a
list). Code cells and their outputs are not prose: an array printed by a cell is left alone.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import toc_pages

NUMPY_REPR = re.compile(r"\bnp\.(?:float|int|uint|bool|complex|str)\w*\(|\barray\(")


def numpy_reprs_in_prose(html: str) -> list[str]:
    """Each NumPy repr in the page's prose, with 60 characters of context either side.

    Prose is the text of the page's main content without its code cells (input and output)
    and code blocks.
    """
    soup = BeautifulSoup(html, "html.parser")
    main = soup.find("main") or soup
    for element in main.select("div.cell, pre, div.highlight"):
        element.decompose()
    text = " ".join(main.get_text(" ").split())
    return [text[max(match.start() - 60, 0):match.end() + 60] for match in NUMPY_REPR.finditer(text)]


def test_numpy_reprs_in_prose_finds_glued_reprs_and_skips_cells():
    page = """<main><p>The chosen strength <span class="pasted-text">np.float64(0.01)</span> wins.</p>
    <p>Counts <span class="pasted-text">array([1, 2])</span> and <span>np.int64(3)</span>.</p>
    <div class="cell"><div class="cell_output"><pre>array([0.5, 0.5])</pre></div></div>
    <pre>np.float32(1.0)</pre><p>A clean number: 0.01.</p></main>"""
    found = numpy_reprs_in_prose(page)
    assert len(found) == 3
    assert "np.float64(0.01)" in found[0] and "array([1, 2])" in found[1] and "np.int64(3)" in found[2]
    assert numpy_reprs_in_prose("<main><p>A clean number: 0.01, and an arrayed list.</p></main>") == []


@pytest.mark.parametrize("page", toc_pages())
def test_no_numpy_repr_in_prose(html_dir: Path, page: str):
    found = numpy_reprs_in_prose((html_dir / f"{page}.html").read_text())
    assert not found, (f"{page}: a NumPy repr in the prose (glue float(value) or int(value) in the "
                       f"chapter's glue cell): {found[:3]}")
