"""Check that a version tag can be released, and write its release notes from CHANGELOG.md.

    python tools/release.py v1.2.0                      # exit status 1, with the reason, if not
    python tools/release.py v1.2.0 --notes notes.md     # also write the version's changelog section

A tag ``vX.Y.Z`` can be released when ``pyproject.toml``, ``course_lib.__version__``,
``CITATION.cff`` and the book's front page (``book/intro.md``) all say ``X.Y.Z``, and
``CHANGELOG.md`` has a section ``## [X.Y.Z] - YYYY-MM-DD`` with something in it. The release
workflow runs this first; the tests run :func:`versions` on the tree, so the versions never
disagree on main. Standard library only.
"""

from __future__ import annotations

import argparse
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TAG = re.compile(r"v(\d+\.\d+\.\d+)")
SECTION = re.compile(r"^## \[(?P<version>[^\]]+)\](?: - (?P<date>\S+))?[ \t]*$", re.M)


def versions(root: Path = ROOT) -> dict[str, str]:
    """The version each file states, by file: pyproject.toml, course_lib/__init__.py, CITATION.cff, the front page."""
    found = {"pyproject.toml": tomllib.loads((root / "pyproject.toml").read_text())["project"]["version"]}
    for name, pattern in (("course_lib/__init__.py", r'^__version__ = "([^"]+)"$'),
                          ("CITATION.cff", r'^version: "?([^"\s]+)"?$'),
                          ("book/intro.md", r"^This is \*\*version ([^*\s]+)\*\* of the book")):
        match = re.search(pattern, (root / name).read_text(), re.M)
        found[name] = match.group(1) if match else "none"
    return found


def changelog_sections(text: str) -> dict[str, tuple[str | None, str]]:
    """Each ``## [version] - date`` section of a changelog: version -> (date or None, body)."""
    matches = list(SECTION.finditer(text))
    sections = {}
    for match, following in zip(matches, matches[1:] + [None]):
        end = following.start() if following else len(text)
        body = text[match.end():end]
        body = re.sub(r"^\[[^\]]+\]: \S+\s*$", "", body, flags=re.M).strip()  # link references
        sections[match["version"]] = (match["date"], body)
    return sections


def check(tag: str, root: Path = ROOT) -> str:
    """Return the release notes of ``tag``; raise ValueError saying what stops its release.

    Parameters
    ----------
    tag : str
        The git tag, ``vX.Y.Z``.
    root : Path
        The repository.

    Raises
    ------
    ValueError
        If the tag is not ``vX.Y.Z``, a file states another version, or CHANGELOG.md has no
        dated, non-empty section for the version.
    """
    match = TAG.fullmatch(tag)
    if match is None:
        raise ValueError(f"tag must look like v1.2.3; got {tag!r}.")
    version = match.group(1)
    wrong = {name: found for name, found in versions(root).items() if found != version}
    if wrong:
        said = ", ".join(f"{name} says {found}" for name, found in wrong.items())
        raise ValueError(f"tag {tag} is version {version}, but {said}. Set the same version in all of them, then tag.")
    sections = changelog_sections((root / "CHANGELOG.md").read_text())
    if version not in sections:
        raise ValueError(f"CHANGELOG.md has no section for {version}: move the Unreleased entries under "
                         f"'## [{version}] - YYYY-MM-DD', then tag.")
    date, body = sections[version]
    if not date or not re.fullmatch(r"\d{4}-\d\d-\d\d", date):
        raise ValueError(f"CHANGELOG.md: the section of {version} needs its release date, '## [{version}] - "
                         f"YYYY-MM-DD'; got {date!r}.")
    if not body:
        raise ValueError(f"CHANGELOG.md: the section of {version} is empty; list what the release changes.")
    return body + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("tag", help="the version tag, vX.Y.Z")
    parser.add_argument("--notes", type=Path, help="write the version's changelog section to this file")
    args = parser.parse_args(argv)
    try:
        notes = check(args.tag)
    except ValueError as error:
        print(f"release: {error}", file=sys.stderr)
        return 1
    if args.notes:
        args.notes.write_text(notes)
    print(f"release: {args.tag} can be released")
    return 0


if __name__ == "__main__":
    sys.exit(main())
