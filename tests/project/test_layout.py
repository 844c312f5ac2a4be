"""The house of course_lib: topic packages on a shared base, imports pointing down, no circles.

Imports are read with ``ast`` (nothing is imported), every ``import`` statement counts, also the
ones inside functions, so a circle that only closes at run time is still found.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "course_lib"

# The layers, bottom to top. A module may import its own layer and the layers below it.
BASE = {"",  # the root package: only __version__
        "_validation", "_limits", "_lazy", "_assets", "config", "report", "training", "metrics", "data"}
TOPICS = {"conv", "gabor", "cnn", "batchnorm", "sgd", "corruption", "autoencoders", "transfer", "cam",
          "restoration", "segmentation", "grading"}
# the exercises' keys and references build on the topics they check
EXERCISES = {"checks"}
DISPLAY = {"plotting"}
INTERACTIVE = {"widgets"}
LAYERS = [BASE, TOPICS, EXERCISES, DISPLAY, INTERACTIVE]

# Modules that must run without TensorFlow/Keras and without matplotlib (NumPy chapters start fast).
NUMPY_ONLY = [
    "course_lib.conv", "course_lib.gabor", "course_lib.corruption", "course_lib.batchnorm",
    "course_lib.autoencoders", "course_lib.restoration", "course_lib.sgd", "course_lib.segmentation", "course_lib.metrics", "course_lib.checks",
    "course_lib.config", "course_lib._validation", "course_lib._limits",
]


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    # the graded exercises' public tests (grading/exercise_tests/<name>/qN.py) are otter test files,
    # data that grader.check reads, not modules that course_lib imports
    return {_module_name(path): path for path in PACKAGE.rglob("*.py") if "assets" not in path.parts
            and not (path.parent.parent.name == "exercise_tests" and path.name.startswith("q"))}


def _resolve(name: str, modules: dict[str, Path]) -> str | None:
    """The most specific course_lib module that ``name`` refers to (None if outside course_lib)."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def _edges(modules: dict[str, Path]) -> dict[str, set[str]]:
    edges: dict[str, set[str]] = defaultdict(set)
    for module, path in modules.items():
        is_package = path.name == "__init__.py"
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            targets = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:  # relative import
                    anchor = module if is_package else module.rpartition(".")[0]
                    for _ in range(node.level - 1):
                        anchor = anchor.rpartition(".")[0]
                    base = f"{anchor}.{base}".rstrip(".")
                targets = [f"{base}.{alias.name}" for alias in node.names]
            for target in targets:
                if not target.startswith("course_lib"):
                    continue
                resolved = _resolve(target, modules)
                if resolved and resolved != module:
                    edges[module].add(resolved)
    return edges


def _top(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _layer(module: str) -> int:
    top = _top(module)
    for index, layer in enumerate(LAYERS):
        if top in layer:
            return index
    raise AssertionError(f"{module} is in no layer: add {top!r} to one of the layers in {__file__}")


def test_every_top_level_name_is_in_a_layer():
    names = {path.stem if path.suffix == ".py" else path.name for path in PACKAGE.iterdir()
             if (path.suffix == ".py" or (path.is_dir() and (path / "__init__.py").exists())) and path.stem != "__init__"}
    unplaced = sorted(name for name in names if not any(name in layer for layer in LAYERS))
    assert not unplaced, f"top-level names in no layer: {unplaced}"


def test_no_two_top_level_names_share_a_prefix_family():
    names = sorted(path.stem for path in PACKAGE.iterdir()
                   if (path.suffix == ".py" or (path.is_dir() and (path / "__init__.py").exists())))
    stems = {name.strip("_").split("_")[0] for name in names if name != "__init__"}
    families = defaultdict(list)
    for name in names:
        if name != "__init__":
            families[name.strip("_").split("_")[0]].append(name)
    shared = {stem: members for stem, members in families.items() if len(members) > 1}
    assert not shared, f"name families that should be packages: {shared}"
    assert stems


def test_no_import_circles():
    modules = _modules()
    edges = _edges(modules)
    # a package's __init__ importing its own submodules is the package, not a circle; a submodule
    # importing its own package's __init__ closes one, and is reported
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(module: str):
        state[module] = 1
        stack.append(module)
        for target in sorted(edges.get(module, ())):
            if state.get(target) == 1:
                circle = stack[stack.index(target):] + [target]
                raise AssertionError("import circle: " + " -> ".join(circle))
            if target not in state:
                visit(target)
        stack.pop()
        state[module] = 2

    for module in sorted(modules):
        if module not in state:
            visit(module)


def test_imports_point_down_the_layers():
    modules = _modules()
    upward, sideways = [], []
    for module, targets in _edges(modules).items():
        for target in targets:
            if _layer(target) > _layer(module):
                upward.append(f"{module} -> {target}")
            same_topic = _top(module) == _top(target)
            if not same_topic and _top(target) in TOPICS and _top(module) in TOPICS:
                public = f"course_lib.{_top(target)}"
                if target != public:
                    sideways.append(f"{module} -> {target} (use the public names of {public})")
    assert not upward, "upward imports:\n" + "\n".join(sorted(upward))
    assert not sideways, "topics reaching into another topic's modules:\n" + "\n".join(sorted(sideways))


def test_the_layer_test_can_fail(tmp_path):
    # a base module importing a topic is reported as upward
    assert _layer("course_lib.metrics") < _layer("course_lib.restoration.models")
    assert _layer("course_lib.plotting.conv") > _layer("course_lib.conv")


def test_compute_modules_never_import_plotting_libraries():
    offenders = []
    for module, path in _modules().items():
        if _top(module) in DISPLAY | INTERACTIVE:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{module} imports {name}" for name in names
                          if name.split(".")[0] in {"matplotlib", "ipywidgets"}]
    assert not offenders, "\n".join(offenders)


@pytest.mark.parametrize("module", NUMPY_ONLY)
def test_numpy_modules_import_neither_tensorflow_nor_matplotlib(module):
    code = (f"import sys, {module}\n"
            "heavy = sorted(m for m in ('tensorflow', 'keras', 'matplotlib') if m in sys.modules)\n"
            "print(','.join(heavy))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert result.stdout.strip() == "", f"importing {module} imported {result.stdout.strip()}"
