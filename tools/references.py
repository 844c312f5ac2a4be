"""Write each chapter's references out in its last cell, from its {cite} roles and book/references.bib.

The HTML book resolves ``{cite}`key``` into links to the bibliography page; Colab and Jupyter
show the raw role. So every chapter that cites a paper ends with a markdown cell
``## References`` that lists, in plain text (authors, year, title, venue), exactly the works
the chapter cites. This command writes or refreshes that cell; ``--check`` fails when a
chapter's cell is missing or out of date (run by the tests).

    python tools/references.py --write lessons/*.ipynb
    python tools/references.py --check lessons/*.ipynb
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import nbformat
from pybtex.database import parse_file

ROOT = Path(__file__).resolve().parents[1]
BIB = ROOT / "book" / "references.bib"
HEADING = "## References"
CITE = re.compile(r"\{cite(?::[a-z]+)?\}`([^`]+)`")
_LATEX = [("{\\'e}", "é"), ("\\'e", "é"), ('{\\"o}', "ö"), ('\\"o', "ö"), ('{\\"u}', "ü"), ('\\"u', "ü"),
          ('{\\"a}', "ä"), ('\\"a', "ä"), ("\\&", "&"), ("--", "–")]


def cited_keys(notebook) -> list[str]:
    """The citation keys of a notebook's markdown cells, in order of first use (its References cell excluded)."""
    keys: list[str] = []
    for cell in notebook.cells:
        if cell.cell_type != "markdown" or cell.source.startswith(HEADING):
            continue
        for match in CITE.finditer(cell.source):
            for key in match.group(1).split(","):
                if key.strip() and key.strip() not in keys:
                    keys.append(key.strip())
    return keys


def _plain(text: str) -> str:
    for latex, char in _LATEX:
        text = text.replace(latex, char)
    return text.replace("{", "").replace("}", "")


def format_entry(entry) -> str:
    """One entry as ``Authors (year). Title. Venue.`` in plain text."""
    people = entry.persons.get("author", [])
    names = [_plain(" ".join(person.first_names + person.middle_names + person.prelast_names + person.last_names))
             for person in people]
    authors = ", ".join(names[:-1]) + (" and " if len(names) > 1 else "") + names[-1] if names else "Anonymous"
    fields = entry.fields
    venue = fields.get("journal") or fields.get("booktitle") or fields.get("publisher") or ""
    if not venue and fields.get("eprint"):
        venue = f"arXiv:{fields['eprint']}"
    text = f"{authors} ({fields.get('year', 'n.d.')}). *{_plain(fields.get('title', ''))}*."
    if venue:
        text += f" {_plain(venue)}."
    return text


def references_markdown(keys: list[str], bibliography=None) -> str:
    """The References cell for ``keys``, sorted by first author and year."""
    bibliography = bibliography or parse_file(str(BIB))
    missing = [key for key in keys if key not in bibliography.entries]
    if missing:
        raise ValueError(f"cited keys not in {BIB.name}: {missing}")
    def order(key):
        entry = bibliography.entries[key]
        first = entry.persons.get("author", [None])[0]
        return (_plain(" ".join(first.last_names)) if first else "", entry.fields.get("year", ""))

    lines = [format_entry(bibliography.entries[key]) for key in sorted(keys, key=order)]
    return HEADING + "\n\nThe works this chapter cites (the book's bibliography page links them):\n\n" + "\n".join(
        f"- {line}" for line in lines)


def expected_cell(path: Path, bibliography=None) -> str | None:
    notebook = nbformat.read(path, as_version=4)
    keys = cited_keys(notebook)
    return references_markdown(keys, bibliography) if keys else None


def refresh(path: Path, *, write: bool, bibliography=None) -> bool:
    """Whether the chapter's References cell is up to date; with ``write``, make it so."""
    notebook = nbformat.read(path, as_version=4)
    keys = cited_keys(notebook)
    want = references_markdown(keys, bibliography) if keys else None
    cells = [index for index, cell in enumerate(notebook.cells)
             if cell.cell_type == "markdown" and cell.source.startswith(HEADING)]
    current = notebook.cells[cells[-1]].source if cells else None
    last_is_references = bool(cells) and cells[-1] == len(notebook.cells) - 1
    ok = (want is None and not cells) or (current == want and last_is_references and len(cells) == 1)
    if ok or not write:
        return ok
    for index in reversed(cells):
        del notebook.cells[index]
    if want is not None:
        notebook.cells.append(nbformat.v4.new_markdown_cell(want))
    nbformat.write(notebook, path)
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--write", action="store_true", help="write or refresh the References cell")
    mode.add_argument("--check", action="store_true", help="fail if a References cell is missing or stale")
    parser.add_argument("notebooks", nargs="+", type=Path)
    args = parser.parse_args(argv)
    bibliography = parse_file(str(BIB))
    stale = [str(path) for path in args.notebooks if not refresh(path, write=args.write, bibliography=bibliography)]
    if stale:
        print("References cell missing or out of date (run python tools/references.py --write):", *stale, sep="\n  ")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
