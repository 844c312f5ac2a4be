"""Chapter 7's full profile: sizes and epochs from config.pick, ImageNet weights or nothing (issue 27).

Read from the chapter's code cells with ``ast`` (nothing is run): the full profile's branch
(cats vs dogs on an ImageNet base) must take every per-class count and every number of epochs
from ``config.pick``, so that the smoke test (``COURSE_SMOKE=1``) can cut them, and must ask for
the ImageNet base with ``required=True``, so that a failed download never trains on random weights.
"""

import ast
import hashlib
import json
import sys
from pathlib import Path

import pytest

CHAPTER = Path(__file__).resolve().parents[2] / "lessons" / "07_transfer_learning.ipynb"
# keyword arguments that set how many images per class, or how long training runs
COUNT_KEYWORDS = ("n_per_class", "epochs")
# functions whose first positional argument is a count of images per class
COUNT_FIRST_ARGUMENT = ("letters",)


def code_cells(path: Path = CHAPTER) -> list[str]:
    cells = json.loads(path.read_text())["cells"]
    return ["".join(cell["source"]) for cell in cells if cell["cell_type"] == "code"]


def _name(function: ast.expr) -> str:
    return function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", "")


def _constant(node: ast.expr) -> bool:
    """True for a number typed in the code (``100``, ``2 * 100``), not computed from a name."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, (int, float)) and not isinstance(node.value, bool)
    if isinstance(node, ast.BinOp):
        return _constant(node.left) and _constant(node.right)
    if isinstance(node, ast.UnaryOp):
        return _constant(node.operand)
    return False


def _pairs(assign: ast.Assign):
    """(target name, value) of ``a = 1`` and of ``a, b = x, 1``."""
    for target in assign.targets:
        if isinstance(target, ast.Name):
            yield target.id, assign.value
        elif isinstance(target, ast.Tuple) and isinstance(assign.value, ast.Tuple) \
                and len(target.elts) == len(assign.value.elts):
            for element, value in zip(target.elts, assign.value.elts):
                if isinstance(element, ast.Name):
                    yield element.id, value


def hard_coded_counts(sources: list[str]) -> list[str]:
    """Per-class counts and epochs typed as numbers instead of taken from ``config.pick``.

    A count is an ``n_per_class=`` or ``epochs=`` argument or the first argument of
    ``letters(...)``; it is hard-coded if it is a number, or a name that some cell assigns a
    number to (``n_per_class = 100``, ``names, n_per_class = ..., 100``).

    Examples
    --------
    >>> hard_coded_counts(["few_shot(x, y, classes=(0, 1), n_per_class=200, rng=1)"])
    ['few_shot(n_per_class=200)']
    >>> hard_coded_counts(["n = config.pick(quick=3, full=100)", "letters(n, rng=0)", "fit(x, epochs=2 * n)"])
    []
    """
    trees = [ast.parse(source) for source in sources]
    counts = []  # (where, expression)
    for tree in trees:
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = _name(node.func)
            counts += [(f"{name}({keyword.arg}=...)", keyword.value) for keyword in node.keywords
                       if keyword.arg in COUNT_KEYWORDS]
            if name in COUNT_FIRST_ARGUMENT and node.args:
                counts.append((f"{name}(...)", node.args[0]))
    problems = [where.replace("...", ast.unparse(value)) for where, value in counts if _constant(value)]
    names = {node.id for _, value in counts for node in ast.walk(value) if isinstance(node, ast.Name)}
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign):
                problems += [f"{target} = {ast.unparse(value)}" for target, value in _pairs(node)
                             if target in names and _constant(value)]
    return problems


# ---- the scanner can fail --------------------------------------------------------------------
# chapter 7's full branch as it stood when the smoke stage left it out (issue 27)
OLD_FULL_BRANCH = '''
n_per_class = config.pick(quick=3, full=20)
if config.use_real_data():
    class_names, n_per_class = list(data.CATS_VS_DOGS_CLASSES), 100
    train_images, train_labels = transfer.few_shot(pool_images[:n_half], pool_labels[:n_half],
                                                   classes=(0, 1), n_per_class=n_per_class, rng=0)
    val_images, val_labels = transfer.few_shot(pool_images[n_half:], pool_labels[n_half:],
                                               classes=(0, 1), n_per_class=200, rng=1)
else:
    val_images, val_labels = data.letters(10, rng=1)
'''


def test_the_scanner_finds_the_counts_the_old_full_branch_typed():
    assert sorted(hard_coded_counts([OLD_FULL_BRANCH])) == ["few_shot(n_per_class=200)", "letters(10)",
                                                            "n_per_class = 100"]


@pytest.mark.parametrize("source", [
    "model.fit(x, y, epochs=60)",
    "epochs = 30\nmodel.fit(x, y, epochs=2 * epochs)",
    "data.letters(3 * 10, rng=0)",
])
def test_the_scanner_finds_typed_epochs_and_counts(source):
    assert hard_coded_counts([source])


def test_the_scanner_leaves_picked_and_computed_counts_alone():
    source = ("n = config.pick(quick=3, full=100 if photos else 20)\nepochs = config.pick(quick=30, full=60)\n"
              "data.letters(n, rng=0)\nfew_shot(x, y, classes=(0, 1), n_per_class=n)\nfit(x, epochs=2 * epochs)")
    assert hard_coded_counts([source]) == []


# ---- the chapter -----------------------------------------------------------------------------
def test_chapter_7_takes_every_count_and_epoch_from_config_pick():
    assert hard_coded_counts(code_cells()) == []


def test_chapter_7_has_a_full_branch_whose_sizes_are_picked():
    code = "\n".join(code_cells())
    assert "data.cats_vs_dogs(" in code and "use_real_data()" in code
    for name in ("n_per_class", "n_val", "n_test", "epochs"):
        assert f"{name} = config.pick(" in code, name


def test_chapter_7_asks_for_the_imagenet_base_with_required_true():
    calls = [node for source in code_cells() for node in ast.walk(ast.parse(source))
             if isinstance(node, ast.Call) and _name(node.func) in ("imagenet_base", "pretrained_backbone")]
    assert calls, "the full branch no longer loads an ImageNet base"
    for call in calls:
        required = [k.value for k in call.keywords if k.arg == "required"]
        assert required and isinstance(required[0], ast.Constant) and required[0].value is True, ast.unparse(call)


# ---- a failed download in the full profile: one line, then digits and letters ----------------
def _cells_defining(*needles: str) -> list[str]:
    cells = code_cells()
    return [next(cell for cell in cells if needle in cell) for needle in needles]


@pytest.fixture
def full_profile_server(monkeypatch, tmp_path):
    """The full profile against a local server that has the cats-vs-dogs zip but no ImageNet weights."""
    sys.path.insert(0, str(CHAPTER.parents[1] / "tools"))
    import numpy as np
    import smoke_full

    from course_lib.data import real

    served = tmp_path / "served"
    served.mkdir()
    smoke_full._cats_and_dogs_zip(served, np.random.default_rng(0))
    zip_path = served / "cats_and_dogs_filtered.zip"
    (served / "SHA256SUMS").write_text(f"{hashlib.sha256(zip_path.read_bytes()).hexdigest()}  {zip_path.name}\n")
    server, base_url = smoke_full.serve(served)
    monkeypatch.setattr(real, "_failed", set())  # files that failed earlier in this process are tried again
    for name, value in {"COURSE_PROFILE": "full", "COURSE_DATA": "auto", "COURSE_SMOKE": "1",
                        "COURSE_DATA_BASE_URL": base_url, "COURSE_DATA_CACHE": str(tmp_path / "cache"),
                        "COURSE_DATA_CHECKSUMS": str(served / "SHA256SUMS")}.items():
        monkeypatch.setenv(name, value)
    yield
    server.shutdown()
    server.server_close()


@pytest.mark.slow
def test_without_the_imagenet_weights_the_full_profile_says_so_and_uses_digits_and_letters(full_profile_server,
                                                                                            capsys):
    namespace = {}
    with pytest.warns(RuntimeWarning, match="Could not download mobilenet_v2"):
        for cell in _cells_defining("from course_lib import checks", "def fresh_base", "def draw_training_set"):
            exec(cell, namespace)
    printed = capsys.readouterr().out
    assert "Dataset: cats vs dogs (train folder" in printed  # the zip was had and verified
    assert printed.count("Skipped: the photographs") == 1
    assert not namespace["photos"] and "random weights" not in printed
    assert namespace["base"].name == "source_convnet_base"  # the digits base, not MobileNetV2 with random weights
    assert namespace["train_images"].shape[1:] == (28, 28, 1)
    assert namespace["class_names"] == list(namespace["data"].LETTER_CLASSES)
