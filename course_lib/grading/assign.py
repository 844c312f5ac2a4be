"""Build student notebooks and autograder zips from the master notebooks, and check for leaks.

A master is ``exercises/<name>/<name>-master.ipynb`` in otter-grader's format. Building it
writes ``<build>/<name>/student/<name>.ipynb`` (what students get), ``<build>/<name>/<name>-autograder.zip``
(what the grader uses, with the hidden tests) and the student's public tests, which are also
kept in ``course_lib/exercise_tests/<name>/`` so that ``grader.check`` works in Colab.
"""

from __future__ import annotations

import filecmp
import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat

from course_lib._validation import as_path

PACKAGE_TESTS = Path(__file__).resolve().parent / "exercise_tests"
_MARKER = re.compile(r"#\s*(BEGIN|END)\s+(SOLUTION|PROMPT|TESTS|QUESTION|TEST CONFIG)|#\s*SOLUTION\s*$", re.I)


def find_masters(exercises_dir: str | Path) -> list[Path]:
    """The master notebooks under ``exercises_dir``, sorted by exercise name.

    Parameters
    ----------
    exercises_dir : path
        Folder with one sub-folder per exercise.

    Returns
    -------
    list of pathlib.Path
        Every ``<name>/<name>-master.ipynb``.

    Raises
    ------
    ValueError
        If the folder holds no master notebook.

    Examples
    --------
    >>> from pathlib import Path
    >>> root = Path(__file__).resolve().parents[2] / "exercises"
    >>> "conv-master.ipynb" in [p.name for p in find_masters(root)]
    True
    """
    masters = sorted(as_path("exercises_dir", exercises_dir).glob("*/*-master.ipynb"))
    masters = [m for m in masters if m.name == f"{m.parent.name}-master.ipynb"]
    if not masters:
        raise ValueError(f"exercises_dir {exercises_dir} holds no <name>/<name>-master.ipynb.")
    return masters


def assign_master(master: str | Path, build_dir: str | Path, *, run_tests: bool = True) -> dict[str, Path]:
    """Run ``otter assign`` on one master and give its outputs stable names.

    Parameters
    ----------
    master : path
        ``exercises/<name>/<name>-master.ipynb``.
    build_dir : path
        Parent of the output folder ``<build_dir>/<name>/`` (replaced).
    run_tests : bool, keyword-only
        Let otter check that the solutions pass every test (a kernel per master).

    Returns
    -------
    dict
        ``student`` (the student notebook), ``tests`` (its public tests folder), ``autograder``
        (the zip) and ``folder``.

    Raises
    ------
    RuntimeError
        If ``otter assign`` fails (its output is in the message).

    See Also
    --------
    leaks : run on the result to prove that no solution or hidden test got out.

    Examples
    --------
    >>> import tempfile
    >>> master = Path(__file__).resolve().parents[2] / "exercises" / "conv" / "conv-master.ipynb"
    >>> built = assign_master(master, tempfile.mkdtemp(), run_tests=False)
    >>> built["student"].name, built["autograder"].name, leaks(master, built["student"].parent)
    ('conv.ipynb', 'conv-autograder.zip', [])
    """
    master = Path(master).resolve()
    name = master.parent.name
    folder = Path(build_dir).resolve() / name
    shutil.rmtree(folder, ignore_errors=True)
    command = [sys.executable, "-m", "otter", "assign", str(master), str(folder)]
    if not run_tests:
        command.append("--no-run-tests")
    done = subprocess.run(command, capture_output=True, text=True, cwd=master.parent, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"otter assign failed on {master.name}:\n{done.stdout}\n{done.stderr}")
    student = folder / "student" / f"{name}.ipynb"
    (folder / "student" / master.name).rename(student)
    zips = sorted((folder / "autograder").glob("*-autograder_*.zip"))
    autograder = folder / f"{name}-autograder.zip"
    shutil.copyfile(zips[-1], autograder)
    with zipfile.ZipFile(autograder, "a") as archive:  # what the judge needs beyond otter's format
        archive.writestr("judge.json", json.dumps({"forbid": forbidden_modules(master)}, indent=1, sort_keys=True))
    return {"folder": folder, "student": student, "tests": folder / "student" / "tests", "autograder": autograder}


def forbidden_modules(master: str | Path) -> dict[str, list[str]]:
    """Per question, the ``course_lib`` modules its answer may not use (``forbid:`` in the question config).

    A question's ``# BEGIN QUESTION`` raw cell may list them::

        name: q1
        points: 3
        forbid:
          - course_lib.batchnorm

    The judge hides these modules from the student's kernel and flags a submission that names them.

    Examples
    --------
    >>> root = Path(__file__).resolve().parents[2] / "exercises"
    >>> forbidden_modules(root / "batchnorm" / "batchnorm-master.ipynb")
    {'q1': ['course_lib.batchnorm'], 'q2': ['course_lib.batchnorm']}
    """
    import yaml

    found = {}
    for cell in nbformat.read(as_path("master", master), as_version=4).cells:
        lines = cell.source.strip().splitlines()
        if cell.cell_type == "raw" and lines and re.match(r"#\s*begin\s+question", lines[0], re.I):
            config = yaml.safe_load("\n".join(lines[1:])) or {}
            if config.get("forbid"):
                found[str(config["name"])] = [str(m) for m in config["forbid"]]
    return found


def _secret_lines(master: nbformat.NotebookNode) -> tuple[set[str], list[str]]:
    """Lines of solutions and hidden tests, and solution cells without markers (otter keeps those whole)."""
    secret, visible, unmarked = set(), set(), []
    block = None
    for cell in master.cells:
        source = cell.get("source", "")
        first = source.strip().splitlines()[0].lower() if source.strip() else ""
        if cell.cell_type == "raw" and re.match(r"#\s*(begin|end)\s+\w+", first):
            kind = first.split()[2]
            block = kind if first.split()[1] == "begin" and kind in ("solution", "tests") else None
            continue
        hidden_test = block == "tests" and re.search(r"hidden:\s*true|#\s*hidden", source, re.I)
        if block == "solution" and cell.cell_type == "code" and not re.search(r"#\s*(BEGIN )?SOLUTION", source):
            unmarked.append(source.strip().splitlines()[0] if source.strip() else "")
        in_solution = False
        for line in source.splitlines():
            text = line.strip()
            if re.search(r"#\s*BEGIN SOLUTION", text):
                in_solution = True
                continue
            if re.search(r"#\s*END SOLUTION", text):
                in_solution = False
                continue
            if not text or _MARKER.search(text) and not text.endswith("# SOLUTION"):
                continue
            if block == "solution" and (in_solution or text.endswith("# SOLUTION")) or hidden_test:
                secret.add(re.sub(r"\s*#\s*SOLUTION\s*$", "", text))
            elif block == "solution" and cell.cell_type == "code" and not in_solution:
                visible.add(text)
            else:
                visible.add(text)
    return secret - visible, unmarked


def leaks(master: str | Path, student_dir: str | Path) -> list[str]:
    """Solution lines and hidden tests of ``master`` found anywhere in ``student_dir``.

    Parameters
    ----------
    master : path
        The master notebook.
    student_dir : path
        What students get: the student notebook and its ``tests/`` folder.

    Returns
    -------
    list of str
        One message per leaked line or stored output; empty when the student version is clean.

    Examples
    --------
    >>> import tempfile, nbformat, os
    >>> cells = [nbformat.v4.new_raw_cell("# BEGIN SOLUTION"), nbformat.v4.new_code_cell("answer = 42  # SOLUTION"),
    ...          nbformat.v4.new_raw_cell("# END SOLUTION")]
    >>> folder = tempfile.mkdtemp()
    >>> nbformat.write(nbformat.v4.new_notebook(cells=cells), os.path.join(folder, "m.ipynb"))
    >>> nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("answer = 42")]),
    ...                os.path.join(folder, "s.ipynb"))
    >>> leaks(os.path.join(folder, "m.ipynb"), folder)
    ["s.ipynb: solution or hidden-test line 'answer = 42'"]
    """
    student_dir = as_path("student_dir", student_dir)
    secret, unmarked = _secret_lines(nbformat.read(as_path("master", master), as_version=4))
    problems = [f"{Path(master).name}: a solution cell has no BEGIN/END SOLUTION or # SOLUTION marker, "
                f"so otter copies it whole to students: {first!r}" for first in unmarked]
    for path in sorted(student_dir.rglob("*")):
        if not path.is_file() or path.suffix not in (".ipynb", ".py", ".md", ".txt", ".json"):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        relative = path.relative_to(student_dir)
        if path.suffix == ".ipynb":
            notebook = json.loads(text)
            text = "\n".join("".join(c.get("source", "")) for c in notebook.get("cells", []))
            if any(c.get("outputs") for c in notebook.get("cells", [])):
                problems.append(f"{relative}: stored outputs (they can show solution results)")
        lines = {line.strip() for line in text.splitlines()}
        problems += [f"{relative}: solution or hidden-test line {line!r}" for line in sorted(secret & lines)]
        if re.search(r"hidden\s*=\s*True", text):
            problems.append(f"{relative}: a hidden test case")
    return problems


def package_tests_differ(tests: str | Path, name: str) -> list[str]:
    """Files of the built public tests that differ from ``course_lib/exercise_tests/<name>/``.

    Returns
    -------
    list of str
        File names missing from either side or with different content; empty when in sync.

    Examples
    --------
    >>> package_tests_differ(PACKAGE_TESTS / "conv", "conv")
    []
    """
    built = {p.name for p in as_path("tests", tests).glob("*.py")}
    shipped = {p.name for p in (PACKAGE_TESTS / name).glob("q*.py")}
    differ = sorted(built ^ shipped)
    differ += sorted(n for n in built & shipped if not filecmp.cmp(Path(tests) / n, PACKAGE_TESTS / name / n, shallow=False))
    return differ


def copy_package_tests(tests: str | Path, name: str) -> None:
    """Replace ``course_lib/exercise_tests/<name>/`` with the built public tests.

    Examples
    --------
    Shown on a scratch copy of the package's folder (``PACKAGE_TESTS``), put back at the end:

    >>> import tempfile
    >>> from course_lib.grading import assign
    >>> built = Path(tempfile.mkdtemp())
    >>> _ = (built / "q1.py").write_text("name = 'q1'")
    >>> shipped, assign.PACKAGE_TESTS = assign.PACKAGE_TESTS, Path(tempfile.mkdtemp())
    >>> assign.package_tests_differ(built, "demo")
    ['q1.py']
    >>> assign.copy_package_tests(built, "demo")
    >>> assign.package_tests_differ(built, "demo"), [p.name for p in (assign.PACKAGE_TESTS / "demo").iterdir()]
    ([], ['q1.py'])
    >>> assign.PACKAGE_TESTS = shipped
    """
    target = PACKAGE_TESTS / name
    target.mkdir(parents=True, exist_ok=True)
    for stale in target.glob("q*.py"):  # data files shipped next to the tests stay
        stale.unlink()
    for path in sorted(Path(tests).glob("*.py")):
        shutil.copyfile(path, target / path.name)


def assign_all(
    exercises_dir: str | Path,
    build_dir: str | Path,
    *,
    run_tests: bool = True,
    update_package_tests: bool = False,
    progress=print,
) -> list[str]:
    """Build every master, check each student version for leaks and the shipped public tests.

    Parameters
    ----------
    exercises_dir, build_dir : path
        Where the masters are and where the builds go (``<build_dir>/<name>/``).
    run_tests : bool, keyword-only
        Let otter run every test against the solutions.
    update_package_tests : bool, keyword-only
        Copy the built public tests into ``course_lib/exercise_tests`` instead of only checking.
    progress : callable, keyword-only
        Called with one line per built exercise.

    Returns
    -------
    list of str
        Problems (leaks, stale package tests); empty when all is well.

    Raises
    ------
    ValueError, RuntimeError
        From :func:`find_masters` and :func:`assign_master`.

    Examples
    --------
    >>> import shutil, tempfile
    >>> exercises = Path(tempfile.mkdtemp())
    >>> _ = shutil.copytree(Path(__file__).resolve().parents[2] / "exercises" / "conv", exercises / "conv")
    >>> assign_all(exercises, tempfile.mkdtemp(), run_tests=False)
    conv: conv/student/conv.ipynb, conv-autograder.zip
    []
    >>> assign_all(tempfile.mkdtemp(), tempfile.mkdtemp())
    Traceback (most recent call last):
    ...
    ValueError: exercises_dir ... holds no <name>/<name>-master.ipynb.
    """
    problems = []
    for master in find_masters(exercises_dir):
        name = master.parent.name
        built = assign_master(master, build_dir, run_tests=run_tests)
        problems += [f"{name}: {p}" for p in leaks(master, built["student"].parent)]
        if update_package_tests:
            copy_package_tests(built["tests"], name)
        else:
            problems += [f"{name}: course_lib/exercise_tests/{name}/{f} differs from the build; "
                         "rerun with --update-package-tests" for f in package_tests_differ(built["tests"], name)]
        progress(f"{name}: {built['student'].relative_to(Path(build_dir).resolve())}, {built['autograder'].name}")
    return problems
