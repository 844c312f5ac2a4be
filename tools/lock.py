"""Write requirements-lock.txt and environment.yml from the packages installed in .venv.

    .venv/bin/python tools/lock.py     (or: make lock)

The lock pins every package exactly (tensorflow-cpu for local use and CI); environment.yml
names the same pins for conda and Binder. tests/test_environment.py checks they agree.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEADER = "# Exact pins for local use and CI (Python 3.11, CPU). Regenerate with: make lock\n"


def frozen() -> list[str]:
    """Return ``name==version`` lines of the current environment, without course_lib itself."""
    output = subprocess.run(
        [sys.executable, "-m", "pip", "freeze", "--exclude-editable"], check=True, capture_output=True, text=True
    ).stdout
    lines = [line.strip() for line in output.splitlines() if "==" in line]
    return sorted((line for line in lines if not line.lower().startswith(("course-lib", "course_lib"))), key=str.lower)


def main() -> None:
    pins = frozen()
    (ROOT / "requirements-lock.txt").write_text(HEADER + "\n".join(pins) + "\n")
    environment = [
        "# conda / Binder environment: the same pins as requirements-lock.txt (tools/lock.py writes both).",
        "name: cnn-course",
        "channels:",
        "  - conda-forge",
        "dependencies:",
        "  - python=3.11",
        "  - pip",
        "  - pip:",
        *[f"      - {pin}" for pin in pins],
        "      - -e .",
    ]
    (ROOT / "environment.yml").write_text("\n".join(environment) + "\n")
    print(f"pinned {len(pins)} packages")


if __name__ == "__main__":
    main()
