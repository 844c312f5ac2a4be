"""Command line: ``python -m course_lib.data list`` and ``python -m course_lib.data prefetch``.

``prefetch`` downloads every file the course can use (or the names given) into the cache,
so later runs need no network; ``list`` shows what the cache holds.
"""

from __future__ import annotations

import argparse
import sys

from course_lib.data import downloads


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status (1 if a download failed).

    Examples
    --------
    >>> import os, tempfile
    >>> os.environ["COURSE_DATA_CACHE"] = tempfile.mkdtemp()
    >>> main(["list"])  # doctest: +ELLIPSIS
    cache: ...
    mnist.npz ... missing
    ...
    0
    >>> del os.environ["COURSE_DATA_CACHE"]
    """
    parser = argparse.ArgumentParser(prog="python -m course_lib.data", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("list", help="show which files are cached and whether they verify")
    prefetch = commands.add_parser("prefetch", help="download files for later offline use")
    prefetch.add_argument("names", nargs="*", metavar="NAME",
                          help="files to fetch (default: all; see `list` for the names)")
    prefetch.add_argument("--timeout", type=float, default=30.0, help="seconds per connection")
    arguments = parser.parse_args(argv)
    if arguments.command == "list":
        print(f"cache: {downloads.cache_dir()}")
        for name, size_mb, status in downloads.cached():
            print(f"{name:<70} {size_mb:>8.1f} MB  {status}")
        return 0
    unknown = sorted(set(arguments.names) - set(downloads.RESOURCES))
    if unknown:
        parser.error(f"unknown file name(s) {', '.join(unknown)}; `list` shows the names.")
    failed = 0
    for name in arguments.names or list(downloads.RESOURCES):
        try:
            path = downloads.download(name, timeout=arguments.timeout)
            print(f"ok       {path}")
        except downloads.DownloadError as error:
            failed += 1
            print(f"FAILED   {name}: {error}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
