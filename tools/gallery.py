"""The landing page's gallery: one figure per chapter, linking to it.

    .venv/bin/python tools/gallery.py

For each chapter in _toc.yml it takes the figure of the code cell tagged ``gallery`` (or the
chapter's first figure), writes a thumbnail to book/_static/gallery/<chapter>.png and rewrites
the grid between the GALLERY markers in book/intro.md. tests/test_book.py checks it is current.
"""

from __future__ import annotations

import base64
import io
import json
import re
from pathlib import Path

import yaml
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
GALLERY = ROOT / "book" / "_static" / "gallery"
INTRO = ROOT / "book" / "intro.md"
START, END = "<!-- GALLERY START (tools/gallery.py) -->", "<!-- GALLERY END -->"
WIDTH = 480


def chapters() -> list[str]:
    """Chapter notebooks in toc order, as 'lessons/NN_name'."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    return [c["file"] for part in toc["parts"] for c in part["chapters"] if c["file"].startswith("lessons/")]


def chapter_figure(notebook: dict) -> bytes:
    """PNG bytes of the gallery figure of a chapter."""
    figures = []
    for cell in notebook["cells"]:
        if cell["cell_type"] != "code":
            continue
        tags = cell.get("metadata", {}).get("tags", [])
        for output in cell.get("outputs", []):
            png = output.get("data", {}).get("image/png")
            if png:
                figures.append(("gallery" in tags, png))
    if not figures:
        raise SystemExit("a chapter has no figure for the gallery")
    tagged = [png for is_tagged, png in figures if is_tagged]
    return base64.b64decode(tagged[0] if tagged else figures[0][1])


def title(notebook: dict) -> str:
    """The chapter title, from its first heading."""
    for cell in notebook["cells"]:
        match = re.search(r"^# (.+)$", "".join(cell["source"]), re.M)
        if cell["cell_type"] == "markdown" and match:
            return match.group(1).strip()
    raise SystemExit("a chapter has no '# ' title")


def thumbnail(png: bytes) -> bytes:
    image = Image.open(io.BytesIO(png)).convert("RGB")
    if image.width > 1.8 * image.height:  # a wide strip of panels: keep its middle, 16:10
        width = round(1.6 * image.height)
        left = (image.width - width) // 2
        image = image.crop((left, 0, left + width, image.height))
    if image.width > WIDTH:
        image = image.resize((WIDTH, round(image.height * WIDTH / image.width)), Image.LANCZOS)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def grid() -> str:
    """The MyST source of the gallery grid (sphinx-design cards)."""
    cards = []
    for page in chapters():
        notebook = json.loads((ROOT / f"{page}.ipynb").read_text())
        name = Path(page).name
        cards.append(
            f":::{{grid-item-card}} {title(notebook)}\n:link: /{page}\n:link-type: doc\n:img-top: _static/gallery/{name}.png\n:::\n"
        )
    return "::::{grid} 1 2 2 3\n:gutter: 3\n\n" + "\n".join(cards) + "::::"


def main() -> None:
    GALLERY.mkdir(parents=True, exist_ok=True)
    for page in chapters():
        notebook = json.loads((ROOT / f"{page}.ipynb").read_text())
        (GALLERY / f"{Path(page).name}.png").write_bytes(thumbnail(chapter_figure(notebook)))
    text = INTRO.read_text()
    before, rest = text.split(START)
    _, after = rest.split(END)
    INTRO.write_text(f"{before}{START}\n{grid()}\n{END}{after}")
    print(f"gallery: {len(chapters())} chapters")


if __name__ == "__main__":
    main()
