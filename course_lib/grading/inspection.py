"""Look at a submission before it runs: does it parse, is it for this assignment, is it suspicious.

Everything here reads the submission as data (JSON and Python syntax trees); nothing executes it.
The tamper scan is a tripwire for the obvious, not a proof: code built at run time (``exec`` of
an encoded string) hides from it, which is why ``exec`` and friends are themselves flagged.
"""

from __future__ import annotations

import ast
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from course_lib._validation import as_mapping, as_path

#: Modules a graded exercise never needs: importing them is flagged.
SUSPICIOUS_MODULES = {
    "otter": "imports the grading harness (otter)",
    "pickle": "imports pickle", "dill": "imports dill", "ctypes": "imports ctypes",
    "gc": "imports gc", "builtins": "imports builtins", "importlib": "imports importlib",
    "socket": "tries the network (socket)", "urllib": "tries the network (urllib)",
    "requests": "tries the network (requests)", "http": "tries the network (http)",
}
#: Names whose use is flagged wherever they appear.
SUSPICIOUS_NAMES = {
    "exec": "calls exec", "eval": "calls eval", "compile": "calls compile",
    "__import__": "calls __import__", "__builtins__": "touches __builtins__",
    "setattr": "calls setattr", "delattr": "calls delattr", "globals": "calls globals",
    "Checker": "names the grading Checker", "GradingResults": "names GradingResults",
    "test_case": "names otter's test_case",
}
SUSPICIOUS_ATTRIBUTES = {
    "__code__": "rewrites function code",
    "__globals__": "reaches function globals", "__subclasses__": "walks class internals",
    "__dict__": "touches an object's __dict__",
}
MAX_NOTEBOOK_BYTES = 20 * 2**20
MAX_ZIP_BYTES = 200 * 2**20


class SubmissionError(ValueError):
    """A submission that cannot be graded (does not parse, wrong assignment, too big)."""


@dataclass
class Submission:
    """A parsed submission: its notebook, extra files and what the checks noticed."""

    notebook: nbformat.NotebookNode
    extra_files: dict[str, bytes] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)


def _read_notebook(data: bytes, name: str) -> nbformat.NotebookNode:
    if len(data) > MAX_NOTEBOOK_BYTES:
        raise SubmissionError(f"{name} is {len(data) / 2**20:.0f} MiB; the limit is 20 MiB.")
    try:
        notebook = nbformat.reads(data.decode("utf-8"), as_version=4)
    except (UnicodeDecodeError, json.JSONDecodeError, nbformat.reader.NotJSONError) as error:
        raise SubmissionError(f"{name} is not a notebook (it does not parse as JSON): {error}") from None
    except Exception as error:  # nbformat raises assorted errors on odd structures
        raise SubmissionError(f"{name} is not a valid notebook: {type(error).__name__}: {error}") from None
    if not isinstance(notebook.get("cells"), list):
        raise SubmissionError(f"{name} has no list of cells.")
    return notebook


def load_submission(path: str | Path, *, assignment_name: str | None, forbid: dict | None = None,
                    data_files: list[str] = ()) -> Submission:
    """Read a ``.ipynb`` or ``.zip`` submission, check it and repair harmless damage.

    Parameters
    ----------
    path : path
        The submitted file; any name (a renamed notebook is fine).
    assignment_name : str or None, keyword-only
        The autograder's assignment name; a notebook carrying another one is refused.
    forbid : dict, keyword-only
        Question name to the ``course_lib`` modules its answer may not use (flagged when named).
    data_files : list of str, keyword-only
        The judge's own data files: a submission that ships or writes one is flagged.

    Returns
    -------
    Submission
        With the kernelspec and otter metadata restored when they were stripped (noted in
        ``notes``) and tamper flags from :func:`scan_code`.

    Raises
    ------
    SubmissionError
        If the file does not parse, is too big, holds no or several notebooks, or is for
        another assignment.
    TypeError
        If ``assignment_name`` is neither a string nor None.
    ValueError
        If ``assignment_name`` is an empty string.

    Examples
    --------
    >>> import tempfile, os, nbformat
    >>> folder = tempfile.mkdtemp()
    >>> path = os.path.join(folder, "renamed.ipynb")
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")])
    >>> nbformat.write(nb, path)
    >>> submission = load_submission(path, assignment_name="conv")
    >>> submission.notebook.metadata["otter"]["assignment_name"], submission.notes
    ('conv', ['metadata restored: kernelspec, otter assignment name'])
    """
    path = as_path("path", path)
    if assignment_name is not None and not isinstance(assignment_name, str):
        raise TypeError(f"assignment_name must be the assignment's name (a string) or None; "
                        f"got {assignment_name!r} ({type(assignment_name).__name__}).")
    if assignment_name is not None and not assignment_name.strip():
        raise ValueError("assignment_name is empty; give the autograder's assignment name, or None to accept any.")
    extra: dict[str, bytes] = {}
    if path.suffix.lower() == ".zip":
        try:
            with zipfile.ZipFile(path) as archive:
                infos = [i for i in archive.infolist() if not i.is_dir()]
                if sum(i.file_size for i in infos) > MAX_ZIP_BYTES:
                    raise SubmissionError(f"{path.name} unpacks to more than 200 MiB.")
                notebooks = [i for i in infos if i.filename.endswith(".ipynb") and "__MACOSX" not in i.filename]
                if len(notebooks) != 1:
                    raise SubmissionError(f"{path.name} must hold exactly one .ipynb; it holds {len(notebooks)}.")
                notebook = _read_notebook(archive.read(notebooks[0]), notebooks[0].filename)
                for info in infos:
                    name = Path(info.filename).name
                    if info is not notebooks[0] and name and not name.startswith("."):
                        extra[name] = archive.read(info)  # flattened: no paths from the zip are trusted
        except zipfile.BadZipFile:
            raise SubmissionError(f"{path.name} is not a readable zip file.") from None
    else:
        notebook = _read_notebook(path.read_bytes(), path.name)
    submission = Submission(notebook, extra)
    restored = []
    metadata = notebook.setdefault("metadata", {})
    if metadata.get("kernelspec", {}).get("name") != "python3":
        metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
        restored.append("kernelspec")
    otter_meta = metadata.setdefault("otter", {})
    found = otter_meta.get("assignment_name")
    if assignment_name is not None and found not in (None, assignment_name):
        raise SubmissionError(f"this notebook is for assignment {found!r}, not {assignment_name!r}.")
    if assignment_name is not None and found is None:
        otter_meta["assignment_name"] = assignment_name
        restored.append("otter assignment name")
    if restored:
        submission.notes.append("metadata restored: " + ", ".join(restored))
    submission.flags = scan_code(notebook, forbid=forbid, data_files=data_files)
    for name in sorted(set(extra) & set(data_files)):
        submission.flags.append(f"hands in its own {name} (the judge uses its own copy)")
    return submission


def _strip_magics(source: str) -> str:
    return "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines())


#: Text in string constants that points at the grader's files or at leaving the sandbox.
SUSPICIOUS_TEXT = {
    "/proc": "reaches for other processes (/proc)", "autograder": "reaches for the autograder",
    "tests/": "reaches for the test files", "q1.py": "reaches for the test files", "q*.py": "reaches for the test files",
    ".csv": "reaches for a gradebook",
    "nsenter": "tries to leave the sandbox (nsenter)", "setns": "tries to leave the sandbox (setns)",
    "unshare": "tries to leave the sandbox (unshare)", "site-packages": "reaches for installed packages",
}
SUSPICIOUS_CALLS = {
    "_getframe": "inspects the caller's frames", "f_back": "inspects the caller's frames",
    "f_locals": "inspects the caller's frames", "f_globals": "inspects the caller's frames",
    "_exit": "ends the process (os._exit)", "kill": "sends signals",
}


def scan_code(notebook: nbformat.NotebookNode, *, forbid: dict | None = None, data_files=()) -> list[str]:
    """List the suspicious things the code cells do (sorted, without repeats).

    Parameters
    ----------
    notebook : nbformat.NotebookNode
        The submission.

    Returns
    -------
    list of str
        E.g. ``"monkeypatches numpy (np.allclose)"``; empty for an ordinary submission.

    Examples
    --------
    >>> import nbformat
    >>> cell = nbformat.v4.new_code_cell("import numpy as np\\nnp.allclose = lambda *a, **k: True")
    >>> scan_code(nbformat.v4.new_notebook(cells=[cell]))
    ['monkeypatches numpy (np.allclose)']
    """
    flags: set[str] = set()
    aliases: dict[str, str] = {}
    forbidden: dict[str, list[str]] = {}
    for question, modules in (forbid or {}).items():
        for module in modules:
            forbidden.setdefault(module, []).append(question)
    for cell in as_mapping("notebook", notebook, what="a parsed notebook").get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        try:
            tree = ast.parse(_strip_magics(cell.get("source", "")))
        except SyntaxError:
            continue  # it fails at run time and loses its points; nothing to scan
        for node in ast.walk(tree):
            for child in ast.iter_child_nodes(node):
                child.parent = node  # type: ignore[attr-defined]
        for node in ast.walk(tree):
            parent = getattr(node, "parent", None)
            if isinstance(node, ast.Attribute) and node.attr == "modules" and (
                isinstance(parent, ast.Subscript) and not isinstance(parent.ctx, ast.Load)
                or isinstance(parent, ast.Attribute) and parent.attr in ("pop", "update", "setdefault", "clear", "__setitem__")
            ):
                flags.add("changes sys.modules")
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                flags.update(flag for text, flag in SUSPICIOUS_TEXT.items() if text in node.value)
                flags.update(f"names the judge's data file {name}" for name in data_files if name in node.value
                             and isinstance(parent, ast.Call) and _writes(parent))
            if isinstance(node, ast.Attribute) and node.attr in SUSPICIOUS_CALLS:
                flags.add(SUSPICIOUS_CALLS[node.attr])
            if isinstance(node, ast.Name) and node.id in ("inspect", "traceback"):
                flags.add("inspects the caller's frames")
            dotted = _dotted(node)
            for module, question in forbidden.items():
                if dotted and (dotted == module or dotted.startswith(module + ".")):
                    flags.update(f"uses {module}, which {q} forbids" for q in question)
            if isinstance(node, ast.ImportFrom) and node.module:
                for alias in node.names:
                    full = f"{node.module}.{alias.name}"
                    for module, question in forbidden.items():
                        if full == module or full.startswith(module + ".") or node.module == module or node.module.startswith(module + "."):
                            flags.update(f"uses {module}, which {q} forbids" for q in question)
            if isinstance(node, ast.Import):
                for alias in node.names:
                    for module, question in forbidden.items():
                        if alias.name == module or alias.name.startswith(module + "."):
                            flags.update(f"uses {module}, which {q} forbids" for q in question)
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Name) and node.value.id in aliases:
                for target in node.targets:  # _np = np: the alias patches numpy too
                    if isinstance(target, ast.Name):
                        aliases[target.id] = aliases[node.value.id]
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "setattr" and node.args \
                    and isinstance(node.args[0], ast.Name) and node.args[0].id in aliases:
                flags.add(f"monkeypatches {aliases[node.args[0].id]} (setattr)")
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                modules = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                for alias in node.names:
                    if isinstance(node, ast.Import):
                        aliases[alias.asname or alias.name.split(".")[0]] = alias.name.split(".")[0]
                    elif node.module:  # from numpy import testing: testing.x = ... patches numpy
                        aliases[alias.asname or alias.name] = node.module.split(".")[0]
                for module in modules:
                    root = module.split(".")[0]
                    if root in SUSPICIOUS_MODULES:
                        flags.add(SUSPICIOUS_MODULES[root])
            elif isinstance(node, ast.Name) and node.id in SUSPICIOUS_NAMES:
                flags.add(SUSPICIOUS_NAMES[node.id])
            elif isinstance(node, ast.Attribute) and node.attr in SUSPICIOUS_ATTRIBUTES:
                flags.add(SUSPICIOUS_ATTRIBUTES[node.attr])
            elif isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Delete)):
                targets = node.targets if isinstance(node, (ast.Assign, ast.Delete)) else [node.target]
                for target in targets:
                    base = target
                    while isinstance(base, (ast.Attribute, ast.Subscript)):
                        base = base.value
                    if isinstance(target, ast.Attribute) and isinstance(base, ast.Name) and base.id in aliases:
                        flags.add(f"monkeypatches {aliases[base.id]} ({ast.unparse(target)})")
    return sorted(flags)


def _dotted(node) -> str:
    """``a.b.c`` for a chain of attributes on a name, else empty."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name) and parts:
        return ".".join([node.id, *reversed(parts)])
    return ""


def _writes(call: ast.Call) -> bool:
    """Whether a call looks like it writes a file (``np.save``, ``open(..., "w")``, ``.write_bytes``)."""
    name = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")
    if name in ("save", "savez", "savez_compressed", "tofile", "write_bytes", "write_text", "copy", "copyfile", "move", "rename", "replace"):
        return True
    modes = [a.value for a in call.args[1:2] if isinstance(a, ast.Constant)] + [
        k.value.value for k in call.keywords if k.arg == "mode" and isinstance(k.value, ast.Constant)]
    return name == "open" and any(isinstance(m, str) and set(m) & set("wax+") for m in modes)
