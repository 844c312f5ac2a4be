"""Build the book's HTML into _build/html.

    python tools/build_book.py            # execute every chapter (quick profile), then build
    python tools/build_book.py --stored   # build from the outputs stored in the notebooks

Both build with Sphinx warnings as errors and nit-picky reference checks. ``--stored``
writes a copy of _config.yml with execution turned off into _build/ and builds with it.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stored", action="store_true", help="do not execute; use stored outputs")
    args = parser.parse_args()
    config_path = ROOT / "_config.yml"
    if args.stored:
        settings = yaml.safe_load(config_path.read_text())
        settings["execute"]["execute_notebooks"] = "off"
        # local extension folders are resolved next to the config file: make them absolute
        extensions = settings.get("sphinx", {}).get("local_extensions") or {}
        for name, folder in extensions.items():
            extensions[name] = str(ROOT / folder)
        config_path = ROOT / "_build" / "_config_stored.yml"
        config_path.parent.mkdir(exist_ok=True)
        config_path.write_text(yaml.safe_dump(settings, sort_keys=False))
    command = [
        str(Path(sys.executable).parent / "jupyter-book"), "build", str(ROOT),
        "--config", str(config_path), "--all", "-W", "-n", "--keep-going",
    ]
    return subprocess.call(command, cwd=ROOT)


if __name__ == "__main__":
    sys.exit(main())
