"""tools/build_book.py: the execution cache's key, its folder, and when every page is rebuilt."""

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import build_book  # noqa: E402


@pytest.fixture
def sources(tmp_path):
    package = tmp_path / "course_lib"
    (package / "plotting").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "plotting" / "core.py").write_text("CMAP = 'gray'\n")
    lock = tmp_path / "requirements-lock.txt"
    lock.write_text("numpy==2.3.0\n")
    return package, lock


ENVIRON = {"COURSE_PROFILE": "quick", "COURSE_DATA": "offline"}


def test_key_is_stable_for_the_same_sources(sources):
    package, lock = sources
    assert build_book.cache_key(package, lock, ENVIRON) == build_book.cache_key(package, lock, ENVIRON)
    assert len(build_book.cache_key(package, lock, ENVIRON)) == 16


def test_key_changes_with_any_course_lib_file(sources):
    package, lock = sources
    before = build_book.cache_key(package, lock, ENVIRON)
    (package / "plotting" / "core.py").write_text("CMAP = 'viridis'\n")
    edited = build_book.cache_key(package, lock, ENVIRON)
    (package / "assets").mkdir()
    (package / "assets" / "weights.npz").write_bytes(b"\x00\x01")
    added = build_book.cache_key(package, lock, ENVIRON)
    (package / "plotting" / "core.py").rename(package / "plotting" / "renamed.py")
    renamed = build_book.cache_key(package, lock, ENVIRON)
    assert len({before, edited, added, renamed}) == 4


def test_key_ignores_bytecode_caches(sources):
    package, lock = sources
    before = build_book.cache_key(package, lock, ENVIRON)
    (package / "__pycache__").mkdir()
    (package / "__pycache__" / "core.cpython-311.pyc").write_bytes(b"bytecode")
    assert build_book.cache_key(package, lock, ENVIRON) == before


def test_key_changes_with_the_lock_file_and_the_profile(sources):
    package, lock = sources
    before = build_book.cache_key(package, lock, ENVIRON)
    assert build_book.cache_key(package, lock, {**ENVIRON, "COURSE_PROFILE": "full"}) != before
    lock.write_text("numpy==2.3.1\n")
    assert build_book.cache_key(package, lock, ENVIRON) != before


def test_key_changes_with_the_kernel_start_up_code(sources, monkeypatch):
    package, lock = sources
    before = build_book.cache_key(package, lock, ENVIRON)
    monkeypatch.setattr(build_book, "KERNEL_STARTUP", build_book.KERNEL_STARTUP + "# changed\n")
    assert build_book.cache_key(package, lock, ENVIRON) != before


def test_a_new_key_deletes_every_other_cache(tmp_path):
    root = tmp_path / ".jupyter_cache"
    old = build_book.cache_folder("aaaa", root)
    old.mkdir()
    (old / "global.db").write_text("old outputs")
    (root / "stray-file").write_text("")
    current = build_book.cache_folder("bbbb", root)
    assert current == root / "bbbb"
    assert sorted(path.name for path in root.iterdir()) == []
    current.mkdir()
    assert build_book.cache_folder("bbbb", root) == current and current.exists()


def test_full_build_unless_the_last_build_had_the_same_mode_and_key(tmp_path):
    stamp = tmp_path / ".book_build"
    assert build_book.needs_full_build("cache aaaa", stamp)
    stamp.write_text("cache aaaa\n")
    assert not build_book.needs_full_build("cache aaaa", stamp)
    assert build_book.needs_full_build("cache bbbb", stamp)
    assert build_book.needs_full_build("stored", stamp)


def test_the_key_hashes_the_installed_course_lib():
    assert build_book.package_folder() == ROOT / "course_lib"
    with pytest.raises(SystemExit, match="no_such_package is not installed"):
        build_book.package_folder("no_such_package")


def _notebook(path, source):
    import nbformat

    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, path)
    return path


def test_pre_execution_fills_the_cache_that_jupyter_book_reads(tmp_path):
    import nbformat
    from jupyter_cache import get_cache

    pages = [_notebook(tmp_path / f"page{i}.ipynb", f"print({i} * 7)") for i in range(2)]
    folder = tmp_path / "cache"
    assert build_book.pre_execute(folder, pages, timeout=120, order=tmp_path / "none.json") == 2
    cache = get_cache(folder)
    for i, page in enumerate(pages):
        # what MyST-NB does in cache mode: match the notebook as read from its file
        record = cache.match_cache_notebook(nbformat.read(page, as_version=4))
        merged = cache.merge_match_into_notebook(nbformat.read(page, as_version=4))[1]
        assert record.pk and merged.cells[0].outputs[0]["text"] == f"{i * 7}\n"
    # everything cached: nothing runs again; an edited page is the only one missing, and one
    # page alone is left to Jupyter Book
    assert build_book.pre_execute(folder, pages, timeout=120, order=tmp_path / "none.json") == 0
    _notebook(pages[0], "print('edited')")
    assert build_book.pre_execute(folder, pages, timeout=120, order=tmp_path / "none.json") == 0
