"""No exercise shows its answer: check lines name only the exercise and values, outputs print no answer.

Every chapter and every graded master notebook is read (nothing is executed):

- each ``checks.<name>(...)`` call is ``checks.check("<id>", <names>...)``: the id as a string
  literal, then names (``answer_2``, ``model``, ``test.images[:4]``), never a literal number, list
  or string, and never a call (a course_lib function computing the answer);
- no stored output of the exercise section prints a value exercise's answer: the numbers (and
  words) of every output are hashed like the keys, at the exercise's tolerance, and compared.
  Choice exercises are left out of the output scan: their letters are ordinary words.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from course_lib import checks
from course_lib.checks.values import ValueExercise

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted(ROOT.glob("lessons/*.ipynb")) + sorted(ROOT.glob("exercises/*/*-master.ipynb"))
NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?(?:e-?\d+)?(?![\w.])")


def _code(source: str) -> ast.Module:
    # IPython magics and shell lines are not Python
    return ast.parse("\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines()))


def _is_name(node: ast.AST) -> bool:
    if isinstance(node, ast.Name):
        return True
    if isinstance(node, ast.Attribute):
        return _is_name(node.value)
    if isinstance(node, ast.Subscript):
        return _is_name(node.value) and not any(isinstance(n, (ast.Call, ast.List, ast.Dict)) for n in ast.walk(node.slice))
    return False


def check_call_problems(source: str) -> list[str]:
    """What is wrong with the ``checks.*(...)`` calls of one code cell's ``source``."""
    problems = []
    for node in ast.walk(_code(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name) and node.func.value.id == "checks"):
            continue
        line = ast.unparse(node)
        if node.func.attr != "check":
            problems.append(f"{line}: checks.{node.func.attr} takes the expected value; call checks.check(id, answer)")
            continue
        first, rest = (node.args[0] if node.args else None), node.args[1:]
        if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
            problems.append(f"{line}: the first argument must be the exercise id as a string")
        bad = [ast.unparse(arg) for arg in rest + [keyword.value for keyword in node.keywords] if not _is_name(arg)]
        if bad:
            problems.append(f"{line}: passes {', '.join(bad)}; pass only names (the answer and context values)")
    return problems


def _module(path: Path) -> str:
    if path.parent.name == "lessons":
        return f"ch{path.name[:2]}"
    return f"graded_{path.parent.name}"


def value_exercises(path: Path) -> list[ValueExercise]:
    """The value exercises of the notebook at ``path`` (none if its chapter has no checks module yet)."""
    module = _module(path)
    if not (ROOT / "course_lib" / "checks" / "chapters" / f"{module}.py").exists():
        return []
    return [exercise for exercise in checks.chapter_exercises(module)
            if isinstance(exercise, ValueExercise) and exercise.kind != "choice" and exercise.key]


def _output_texts(notebook: dict, *, from_exercises: bool) -> list[str]:
    cells, texts = notebook["cells"], []
    if from_exercises:
        start = next((i for i, cell in enumerate(cells)
                      if cell["cell_type"] == "markdown" and "## Exercises" in "".join(cell["source"])), len(cells))
        cells = cells[start:]
    for cell in cells:
        for output in cell.get("outputs", []):
            texts.append("".join(output.get("text", "")))
            for mime in ("text/plain", "text/markdown", "text/html"):
                texts.append("".join(output.get("data", {}).get(mime, "")))
    return texts


def answers_printed(texts: list[str], exercises: list[ValueExercise]) -> list[str]:
    """``"<id>: <tokens>"`` for each output token (or run of tokens) that hashes to an exercise's answer."""
    found = []
    for exercise in exercises:
        shape = tuple(exercise.key["answer"]["shape"])
        for text in texts:
            if exercise.kind == "text":
                tokens = [[word] for word in re.findall(r"[A-Za-z_]+", text)]
            else:
                numbers = [float(token) for token in NUMBER.findall(text)]
                width = shape[0] if len(shape) == 1 else 1
                if len(shape) > 1:
                    continue
                tokens = [numbers[i:i + width] for i in range(len(numbers) - width + 1)]
            for token in tokens:
                value = token[0] if shape == () else token
                if exercise.matches(value, exercise.key["answer"]):
                    found.append(f"{exercise.exercise_id}: {token}")
    return found


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_check_lines_name_the_exercise_and_values_only(path):
    notebook = json.loads(path.read_text())
    problems = [f"cell {index}: {problem}" for index, cell in enumerate(notebook["cells"]) if cell["cell_type"] == "code"
                for problem in check_call_problems("".join(cell["source"]))]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_stored_output_prints_an_answer(path):
    texts = _output_texts(json.loads(path.read_text()), from_exercises=path.parent.name == "lessons")
    found = answers_printed(texts, value_exercises(path))
    assert not found, f"outputs print answers: {found}"


def test_the_rules_can_fail():
    assert check_call_problems('checks.check("4.2", answer_2)\nchecks.check("9.2", f, images=test.images[:4])') == []
    assert len(check_call_problems('checks.check("4.2", [1.85, -1.0])')) == 1
    assert len(check_call_problems('checks.check("1.1", conv.output_size(224, 7))')) == 1
    assert len(check_call_problems('checks.check_answer(answer_1, 55, question="Exercise 1.1")')) == 1
    assert len(check_call_problems('checks.check(exercise, answer)')) == 1
    chapter_4 = value_exercises(ROOT / "lessons" / "04_training.ipynb")
    assert [exercise.exercise_id for exercise in chapter_4] == ["4.2"]
    assert answers_printed(["theta = [1.8500001, -1.0]"], chapter_4) == ["4.2: [1.8500001, -1.0]"]
    assert answers_printed(["[1.95, -1.05] and 1.85"], chapter_4) == []
    chapter_2 = value_exercises(ROOT / "lessons" / "02_gabor_filter_banks.ipynb")
    assert answers_printed(["{0: 0.012, 45: 0.005, 90: 0.012, 135: 0.705}"], chapter_2) == ["2.2: [135.0]"]
