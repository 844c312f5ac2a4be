"""Keys agree with the chapters' solutions written as literals, without executing the chapters.

Solutions computed by the chapter (a trained model, a Keras layer) are checked by the solution
cell's own ``assert feedback.passed`` when nbval runs the chapter.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from course_lib import checks

ROOT = Path(__file__).resolve().parents[2]
LITERAL_NODES = (ast.Expression, ast.Constant, ast.BinOp, ast.UnaryOp, ast.List, ast.Tuple, ast.operator,
                 ast.unaryop, ast.Load, ast.Name)


def literal_solutions(source: str) -> dict[str, object]:
    """Exercise id -> value, for each ``checks.check("<id>", name)`` whose ``name`` the cell computes from literals."""
    tree = ast.parse(source)
    values: dict[str, object] = {}
    found = {}
    for statement in tree.body:
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1 and isinstance(statement.targets[0], ast.Name):
            name = statement.targets[0].id
            expression = ast.Expression(statement.value)
            names = {node.id for node in ast.walk(expression) if isinstance(node, ast.Name)}
            if all(isinstance(node, LITERAL_NODES) for node in ast.walk(expression)) and names <= set(values):
                values[name] = eval(compile(expression, "<solution>", "eval"), {"__builtins__": {}}, dict(values))
            else:
                values.pop(name, None)
            call = statement.value
            if (isinstance(call, ast.Call) and ast.unparse(call.func) == "checks.check" and len(call.args) == 2
                    and isinstance(call.args[1], ast.Name) and call.args[1].id in values):
                found[call.args[0].value] = values[call.args[1].id]
    return found


def _solution_cells():
    for path in sorted(ROOT.glob("lessons/[01][0-9]_*.ipynb")):
        for cell in json.loads(path.read_text())["cells"]:
            source = "".join(cell["source"])
            if cell["cell_type"] == "code" and source.startswith("# @title Solution"):
                yield path.name, source


SOLUTIONS = [(name, exercise_id, value) for name, source in _solution_cells()
             for exercise_id, value in literal_solutions(source).items()]


def test_the_literal_solutions_are_found():
    assert {exercise_id for _, exercise_id, _ in SOLUTIONS} >= {"1.1", "2.1", "3.3", "4.3", "5.4", "6.2", "7.2", "9.1", "9.3", "10.1", "10.3"}


@pytest.mark.parametrize("notebook, exercise_id, value", SOLUTIONS, ids=lambda v: str(v))
def test_the_key_agrees_with_the_literal_solution(notebook, exercise_id, value):
    assert checks.check(exercise_id, value).passed, f"{notebook}: the key of {exercise_id} disagrees with its solution"


def test_a_disagreeing_solution_would_fail():
    found = literal_solutions('solution = (224 - 7) // 2 + 1\nfeedback = checks.check("1.1", solution)\n')
    assert found == {"1.1": 109} and not checks.check("1.1", found["1.1"]).passed
    assert literal_solutions('solution = np.array([1])\nfeedback = checks.check("4.2", solution)\n') == {}
