"""Run notebooks in place from a fresh kernel, top to bottom, to refresh their stored outputs.

    python tools/execute_notebooks.py lessons/01_convolution.ipynb [more.ipynb ...]

Each notebook runs in its own folder with the environment of this process (``make execute``
sets the quick profile and offline data). Execution times are not recorded, so a re-run with
the same results leaves the file unchanged. Kernels start with ``KERNEL_STARTUP`` (through an
IPython profile in _build/ipython), which stores each figure's description as its output's alt
text (course_lib/plotting/_alt.py); tools/build_book.py starts its kernels the same way.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
# run by every kernel before the notebook; the printer is registered by name, so this imports
# neither matplotlib nor course_lib until a notebook draws a figure
KERNEL_STARTUP = """\
def _course_book_alt_text(figure):
    from course_lib.plotting._alt import alt_metadata
    return alt_metadata(figure)
get_ipython().display_formatter.mimebundle_formatter.for_type_by_name(
    "matplotlib.figure", "Figure", _course_book_alt_text)
del _course_book_alt_text
"""


def kernel_environment(folder: Path = ROOT / "_build" / "ipython") -> dict[str, str]:
    """This process's environment with IPYTHONDIR set to a profile that runs KERNEL_STARTUP."""
    startup = folder / "profile_default" / "startup" / "00-course-book.py"
    startup.parent.mkdir(parents=True, exist_ok=True)
    if not startup.exists() or startup.read_text() != KERNEL_STARTUP:
        startup.write_text(KERNEL_STARTUP)
    # no history database: kernels of parallel builds would fight over it
    (folder / "profile_default" / "ipython_kernel_config.py").write_text("c.HistoryManager.enabled = False\n")
    return {**os.environ, "IPYTHONDIR": str(folder)}


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
    os.environ.update(kernel_environment())
    for path in args.notebooks:
        seconds = execute(path, timeout=args.timeout)
        print(f"{path}: executed in {seconds:.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
