"""Build the book's HTML into _build/html.

    python tools/build_book.py            # execute what changed (jupyter-cache), then build
    python tools/build_book.py --stored   # build from the outputs stored in the notebooks

Both build with Sphinx warnings as errors and nit-picky reference checks, then copy the student
versions of the graded exercises (made by ``make assign`` into exercises/_build/) into
_build/html/exercises/, where book/exercises.md links to them. Each writes a copy of
_config.yml into _build/ and builds with it.

Incremental execution: the default build runs Jupyter Book with ``execute_notebooks: cache``.
jupyter-cache re-executes a chapter only when its code cells change, so its key says nothing
about the code the chapters import. This script adds that: the cache lives in
``_build/.jupyter_cache/<key>/``, where ``key`` hashes the installed course_lib sources (its
assets included), requirements-lock.txt, the kernel start-up code and the environment
variables that change results (profile, data source). A new key starts an empty cache, deletes
the old ones and rebuilds every page, so a figure made by older course_lib code is never
published. The key and mode of the last build are kept in ``_build/.book_build``: when they are
unchanged, Sphinx re-reads only the pages whose source changed. The chapters the cache lacks
are executed first, two at a time (``pre_execute``): a cold build uses both cores.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from execute_notebooks import KERNEL_STARTUP, kernel_environment

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "_build"
CACHE_ROOT = BUILD / ".jupyter_cache"
STAMP = BUILD / ".book_build"
# environment variables that change what a chapter computes or prints
KEY_VARIABLES = ("COURSE_PROFILE", "COURSE_DATA", "TF_ENABLE_ONEDNN_OPTS", "TF_CPP_MIN_LOG_LEVEL", "PYTHONHASHSEED",
                 "OPENBLAS_CORETYPE", "ONEDNN_MAX_CPU_ISA", "NPY_DISABLE_CPU_FEATURES")


def package_folder(name: str = "course_lib") -> Path:
    """Folder of the installed package ``name`` (the worktree itself for an editable install)."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"{name} is not installed in {sys.executable}: run `make venv`.")
    return Path(next(iter(spec.submodule_search_locations)))


def cache_key(package: Path, lock_file: Path, environ: dict[str, str] | None = None) -> str:
    """Hash of everything outside a notebook that its outputs depend on (16 hex digits).

    ``package``'s files (sources and assets; bytecode caches skipped), ``lock_file``, the
    kernel start-up code and the variables of ``KEY_VARIABLES`` in ``environ``.
    """
    environ = os.environ if environ is None else environ
    digest = hashlib.sha256()
    files = sorted(path for path in package.rglob("*")
                   if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc")
    for path in files:
        digest.update(path.relative_to(package).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    digest.update(b"lock\0" + lock_file.read_bytes())
    digest.update(b"kernel\0" + KERNEL_STARTUP.encode())
    for name in KEY_VARIABLES:
        digest.update(f"{name}={environ.get(name, '')}\0".encode())
    digest.update(f"python={sys.version_info[:2]}".encode())
    return digest.hexdigest()[:16]


def cache_folder(key: str, root: Path = CACHE_ROOT) -> Path:
    """The cache folder for ``key``; every other key's folder under ``root`` is deleted."""
    root.mkdir(parents=True, exist_ok=True)
    for stale in root.iterdir():
        if stale.name != key:
            shutil.rmtree(stale) if stale.is_dir() else stale.unlink()
    return root / key


def needs_full_build(state: str, stamp: Path = STAMP) -> bool:
    """True unless the last successful build recorded the same ``state`` in ``stamp``."""
    return not stamp.exists() or stamp.read_text().strip() != state


def pre_execute(folder: Path, notebooks: list[Path], *, timeout: int, order: Path = BUILD / "chapter-times.json") -> int:
    """Execute the ``notebooks`` that ``folder``'s cache lacks, two at a time; return how many ran.

    Jupyter Book executes the pages it reads one after another, and a chapter keeps about one
    core busy, so a cold build would leave the second core idle. The chapters the cache lacks
    are executed here first by jupyter-cache's parallel executor (one process per core, each
    chapter in its own folder as Jupyter Book would), longest first by the last nbval timings
    in ``order``; Jupyter Book then finds them in the cache. A chapter that fails here is left
    out of the cache, and Jupyter Book executes it again and reports its error.
    """
    import nbformat
    from jupyter_cache import get_cache
    from jupyter_cache.executors import load_executor

    cache = get_cache(folder)
    missing = []
    for path in notebooks:
        try:
            cache.match_cache_notebook(nbformat.read(path, as_version=4))
        except KeyError:
            missing.append(path)
    if len(missing) < 2:
        return 0  # nothing to share between two cores
    seconds = json.loads(order.read_text()) if order.exists() else {}
    missing.sort(key=lambda path: -seconds.get(os.path.relpath(path, ROOT), 0.0))
    for path in missing:
        cache.add_nb_to_project(str(path))
    print(f"executing {len(missing)} chapters into the cache, {os.cpu_count()} at a time", flush=True)
    result = load_executor("local-parallel", cache=cache).run_and_cache(
        filter_uris=[str(path) for path in missing], timeout=timeout, allow_errors=False)
    for uri in result.excepted + result.errored:
        print(f"  {Path(uri).name} failed here; Jupyter Book runs it again and reports the error", flush=True)
    return len(result.succeeded)


def write_config(settings: dict, name: str) -> Path:
    """Write ``settings`` as _build/<name> with local extension folders made absolute."""
    # local extension folders are resolved next to the config file
    extensions = settings.get("sphinx", {}).get("local_extensions") or {}
    for extension, folder in extensions.items():
        extensions[extension] = str(ROOT / folder)
    path = BUILD / name
    path.parent.mkdir(exist_ok=True)
    path.write_text(yaml.safe_dump(settings, sort_keys=False))
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stored", action="store_true", help="do not execute; use stored outputs")
    args = parser.parse_args()
    settings = yaml.safe_load((ROOT / "_config.yml").read_text())
    if args.stored:
        settings["execute"]["execute_notebooks"] = "off"
        state = "stored"
        config_path = write_config(settings, "_config_stored.yml")
    else:
        key = cache_key(package_folder(), ROOT / "requirements-lock.txt")
        folder = cache_folder(key)
        settings["execute"]["execute_notebooks"] = "cache"
        settings["execute"]["cache"] = str(folder)
        state = f"cache {key}"
        config_path = write_config(settings, "_config_cached.yml")
        print(f"execution cache: {folder.relative_to(ROOT)}", flush=True)
        os.environ.update(kernel_environment())  # the kernels' start-up code, as Jupyter Book's
        pre_execute(folder, sorted((ROOT / "lessons").glob("[0-9][0-9]_*.ipynb")),
                    timeout=int(settings["execute"]["timeout"]))
    # run the entry-point script with this interpreter: its #! line may name another environment's
    # Python (a copied virtual environment), whose course_lib and kernels would then be used
    command = [
        sys.executable, str(Path(sys.executable).parent / "jupyter-book"), "build", str(ROOT),
        "--config", str(config_path), "-W", "-n", "--keep-going",
    ]
    full = needs_full_build(state)
    if full:
        # another mode or key than the last build: every page is read again
        command.append("--all")
        STAMP.unlink(missing_ok=True)
    print(f"building {'every page' if full else 'the pages that changed'}", flush=True)
    status = subprocess.call(command, cwd=ROOT, env=kernel_environment())
    if status == 0:
        status = copy_student_notebooks()
    if status == 0:
        STAMP.write_text(state + "\n")
    return status


def copy_student_notebooks() -> int:
    """Copy each exercises/_build/<name>/student/ folder's notebook and data into the HTML."""
    built = sorted((ROOT / "exercises" / "_build").glob("*/student/*.ipynb"))
    masters = sorted((ROOT / "exercises").glob("*/*-master.ipynb"))
    if len(built) != len(masters):
        print(f"found {len(built)} student notebooks for {len(masters)} masters: run `make assign` first")
        return 1
    for notebook in built:
        name = notebook.parents[1].name
        target = ROOT / "_build" / "html" / "exercises" / name
        if target.exists():
            shutil.rmtree(target)
        # the notebook and the data files it reads; its tests ship inside course_lib
        shutil.copytree(notebook.parent, target, ignore=shutil.ignore_patterns("tests"))
    print(f"copied {len(built)} student notebooks into _build/html/exercises/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
