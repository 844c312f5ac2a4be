"""Page weight of the built book: total size, the heaviest pages and images.

    make book-stored && .venv/bin/python benchmarks/bench_pages.py   (`make bench` builds the book if missing)

A page's weight is its HTML plus the images it embeds or links from _images/. Each is printed
against a budget (ratio = weight / budget): 3 MB for a chapter page, 400 KB for one image.
"""

from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import urlsplit

from bs4 import BeautifulSoup

from recorder import record

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"
PAGE_BUDGET = 3_000_000
IMAGE_BUDGET = 400_000


def page_weight(path: Path) -> tuple[int, list[tuple[int, str]]]:
    """Bytes of the page with its local images, and the images as (bytes, name)."""
    soup = BeautifulSoup(path.read_text(), "html.parser")
    images = []
    for img in soup.find_all("img"):
        source = img.get("src", "")
        if source.startswith("data:"):
            images.append((len(source), f"{path.name} (inline)"))
        elif source and not source.startswith("http"):
            file = (path.parent / urlsplit(source).path).resolve()
            if file.exists() and "_static" not in file.parts:
                images.append((file.stat().st_size, file.name))
    return path.stat().st_size + sum(size for size, _ in images), images


def main() -> int:
    if not (HTML / "index.html").exists():
        # `make bench` builds it first; run alone, this benchmark is skipped and the others go on
        print("bench_pages: skipped, no built book in _build/html (run `make book-stored` first)")
        return 0
    pages = sorted(p for p in HTML.rglob("*.html") if "_static" not in p.parts and "_sources" not in p.parts)
    weights = {page.relative_to(HTML).as_posix(): page_weight(page) for page in pages}
    total = sum(path.stat().st_size for path in HTML.rglob("*") if path.is_file())
    print(f"whole site: {total / 1e6:.1f} MB in {sum(1 for p in HTML.rglob('*') if p.is_file())} files")
    print(f"{'page':45} {'weight MB':>10} {'images':>7} {'ratio to 3 MB':>14}")
    for name, (weight, images) in sorted(weights.items(), key=lambda item: -item[1][0])[:10]:
        print(f"{name:45} {weight / 1e6:10.2f} {len(images):7d} {weight / PAGE_BUDGET:14.2f}")
    all_images = sorted({image for _, images in weights.values() for image in images}, reverse=True)
    print(f"\nlargest images (budget {IMAGE_BUDGET // 1000} KB):")
    for size, name in all_images[:8]:
        print(f"  {name:50} {size / 1e3:8.0f} KB  ratio {size / IMAGE_BUDGET:.2f}")
    over = [name for name, (weight, _) in weights.items() if weight > PAGE_BUDGET]
    print(f"\npages over budget: {len(over)} {over}")
    return 0


if __name__ == "__main__":
    sys.exit(record(main))
