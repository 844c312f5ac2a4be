"""Writing answer keys: ``python -m course_lib.checks write-key``.

The keys of a chapter live in its module (``chapters/ch04.py``) between the lines
``# BEGIN KEYS`` and ``# END KEYS``, as the dict ``KEYS``; this module rewrites that block.
The answer is taken from the master solution: the notebook is executed, and each solution cell
that calls ``checks.check("<id>", <name>, ...)`` is run up to that line, then ``<name>`` is hashed.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

from course_lib.checks.keys import make_entry
from course_lib.checks.registry import get_exercise, module_name
from course_lib.checks.values import ValueExercise

BEGIN, END = "# BEGIN KEYS", "# END KEYS"
CHECK_LINE = re.compile(r"""checks\.check\(\s*["']([^"']+)["']\s*,\s*([A-Za-z_][A-Za-z_0-9]*)""")
_MARK = "course-lib-key-entry:"


def value_exercise(exercise_id: str) -> ValueExercise:
    """The registered value exercise ``exercise_id``.

    Raises
    ------
    ValueError
        If the exercise is answered by a function or judged by a rule (it has no hashed key).
    """
    exercise = get_exercise(exercise_id)
    if not isinstance(exercise, ValueExercise):
        raise ValueError(f"exercise {exercise_id!r} is a {type(exercise).__name__}; only value exercises have "
                         "hashed keys (its reference lives in its chapter module).")
    return exercise


def entry_for(exercise_id: str, value) -> dict:
    """The key entry of ``value`` for exercise ``exercise_id`` (run inside the notebook's kernel)."""
    exercise = value_exercise(exercise_id)
    return make_entry(exercise_id, value, exercise.kind, tolerance=exercise.tolerance)


def module_path(exercise_id: str) -> Path:
    """The chapter module under ``checks/chapters/`` that holds ``exercise_id``'s key."""
    return Path(__file__).parent / "chapters" / f"{module_name(exercise_id).rpartition('.')[2]}.py"


def read_keys(path: Path) -> dict:
    """The ``KEYS`` dict stored in chapter module ``path``."""
    text = path.read_text()
    if BEGIN not in text or END not in text:
        raise ValueError(f"{path} has no '{BEGIN}' ... '{END}' block; add one holding KEYS = {{}}.")
    block = text.split(BEGIN, 1)[1].split(END, 1)[0]
    return ast.literal_eval(block.split("=", 1)[1].strip())


def render(keys: dict) -> str:
    """``keys`` as Python source, one key entry per line.

    Examples
    --------
    >>> print(render({"4.3": {"answer": {"hash": "ab", "shape": []}, "mistakes": {}}}))
    {
        "4.3": {
            "answer": {"hash": "ab", "shape": []},
            "mistakes": {},
        },
    }
    """
    lines = ["{"]
    for exercise_id, record in keys.items():
        lines.append(f"    {json.dumps(exercise_id)}: {{")
        lines.append(f"        \"answer\": {json.dumps(record['answer']) if record['answer'] else None},")
        if record["mistakes"]:
            lines.append("        \"mistakes\": {")
            lines += [f"            {json.dumps(name)}: {json.dumps(entry)}," for name, entry in record["mistakes"].items()]
            lines.append("        },")
        else:
            lines.append("        \"mistakes\": {},")
        lines.append("    },")
    return "\n".join(lines + ["}"])


def store(exercise_id: str, entry: dict, *, mistake: str | None = None) -> Path:
    """Write ``entry`` as the answer (or the named mistake) of ``exercise_id`` into its chapter module."""
    path = module_path(exercise_id)
    keys = read_keys(path)
    record = keys.setdefault(exercise_id, {"answer": None, "mistakes": {}})
    if mistake is None:
        record["answer"] = entry
    else:
        if mistake not in value_exercise(exercise_id).mistakes:
            raise ValueError(f"mistake {mistake!r} has no message in exercise {exercise_id!r}'s mistakes; add it first.")
        record["mistakes"][mistake] = entry
    text = path.read_text()
    head, rest = text.split(BEGIN, 1)
    tail = rest.split(END, 1)[1]
    block = f"{BEGIN} (written by `python -m course_lib.checks write-key`; do not edit by hand)\n"
    block += "KEYS = " + render(keys) + "\n"
    path.write_text(head + block + END + tail)
    return path


def solution_values(notebook: Path, exercise_ids: list[str] | None = None, *, timeout: int = 900) -> dict[str, dict]:
    """Execute ``notebook`` and return the key entry of each solution's value, by exercise id.

    Solution cells (``# @title Solution``) run up to their ``checks.check(...)`` line; the value
    they pass is hashed in the kernel. With ``exercise_ids``, only those value exercises.
    """
    import nbformat  # only the instructor's command needs a kernel
    from nbclient import NotebookClient

    nb = nbformat.read(notebook, as_version=4)
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(Path(notebook).parent)}})
    entries: dict[str, dict] = {}
    with client.setup_kernel():
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            match = CHECK_LINE.search(cell.source)
            solution = cell.source.lstrip().startswith("# @title Solution") and match
            wanted = solution and isinstance(get_exercise(match.group(1)), ValueExercise) and (
                exercise_ids is None or match.group(1) in exercise_ids)
            if not wanted:
                client.execute_cell(cell, index)
                continue
            exercise_id, name = match.groups()
            lines = cell.source[: match.start()].rsplit("\n", 1)[0]
            probe = nbformat.v4.new_code_cell(
                f"{lines}\nimport json as _json\nfrom course_lib.checks.writer import entry_for as _entry_for\n"
                f"print({_MARK!r} + _json.dumps(_entry_for({exercise_id!r}, {name})))")
            client.execute_cell(probe, index)
            text = "".join(output.get("text", "") for output in probe.outputs)
            entries[exercise_id] = json.loads(text.split(_MARK, 1)[1].splitlines()[0])
    missing = sorted(set(exercise_ids or ()) - set(entries))
    if missing:
        raise ValueError(f"{notebook} has no solution cell calling checks.check for {', '.join(missing)}.")
    return entries
