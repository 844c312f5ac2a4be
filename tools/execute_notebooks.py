"""Run notebooks in place from a fresh kernel, top to bottom, to refresh their stored outputs.

    python tools/execute_notebooks.py lessons/01_convolution.ipynb [more.ipynb ...]

Each notebook runs in its own folder with the environment of this process (``make execute``
sets the quick profile and offline data). Execution times are not recorded, so a re-run with
the same results leaves the file unchanged.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient


def execute(path: Path, *, timeout: int) -> float:
    """Execute ``path`` in place; return the wall time in seconds."""
    notebook = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    client = NotebookClient(
        notebook,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        record_timing=False,
        store_widget_state=True,  # needed for Output widgets; the state is dropped below
    )
    client.execute()
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)
    # Widget state is large and useless in the static book (widget cells are tagged remove-output).
    notebook.metadata.pop("widgets", None)
    nbformat.write(notebook, path)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--timeout", type=int, default=900, help="seconds allowed per cell")
    args = parser.parse_args()
    for path in args.notebooks:
        seconds = execute(path, timeout=args.timeout)
        print(f"{path}: executed in {seconds:.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
