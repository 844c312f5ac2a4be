"""Colour maps of the plotting helpers stay readable with colour-vision deficiencies.

Every colour map named in course_lib/plotting and course_lib/widgets (a ``cmap=`` argument or
default, ``plt.get_cmap(...)``, ``colormaps[...]``) is found in the source. A map that encodes
values must keep its order when seen with protanopia, deuteranopia or tritanopia (simulated
with the matrices of Machado, Oliveira and Fernandes 2009, severity 1): its lightness (CIELAB
L*) changes monotonically from one end to the other (sequential: gray, viridis, magma, Blues),
or monotonically from each end to a light or dark centre while the two ends stay distinct
(diverging: RdBu_r, with a grey or white centre). jet, rainbow, hsv and turbo fail: their
lightness goes up and down through coloured middles, so a reader who cannot tell their hues
apart cannot tell high from low.
"""

import ast
from pathlib import Path

import matplotlib
import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted((ROOT / "course_lib" / "plotting").glob("*.py")) + sorted((ROOT / "course_lib" / "widgets").glob("*.py"))
# qualitative palettes that only tell objects apart (each also has a legend or a position);
# they encode no value, so they have no order to keep
CATEGORICAL = {"tab10"}
MACHADO = {
    "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
    "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]],
    "tritanopia": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]],
}
VISIONS = {"normal": np.eye(3), **{name: np.array(matrix) for name, matrix in MACHADO.items()}}
SAMPLES = 64
TOLERANCE = 0.05  # L* units between neighbouring samples
DISTINCT_ENDS = 20.0  # CIELAB distance between the two ends of a diverging map
NEUTRAL = 10.0  # CIELAB chroma of the centre of a diverging map


def colour_maps_in_source(paths=SOURCES) -> dict[str, set[str]]:
    """Map each colour-map name written in ``paths`` to the files that use it."""
    found: dict[str, set[str]] = {}

    def add(node, path):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.setdefault(node.value, set()).add(path.name)

    for path in paths:
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.keyword) and node.arg == "cmap":
                add(node.value, path)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                arguments = node.args.args + node.args.kwonlyargs
                defaults = [None] * (len(node.args.args) - len(node.args.defaults)) + node.args.defaults
                defaults += node.args.kw_defaults
                for argument, default in zip(arguments, defaults):
                    if argument.arg == "cmap" and default is not None:
                        add(default, path)
            elif isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) == "get_cmap":
                for argument in node.args[:1]:
                    add(argument, path)
            elif isinstance(node, ast.Subscript) and getattr(node.value, "attr", getattr(node.value, "id", "")) == "colormaps":
                add(node.slice, path)
    return found


def _linear(rgb):
    return np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)


def _lab(linear_rgb):
    xyz = linear_rgb @ np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]).T
    xyz = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.stack([116 * f[:, 1] - 16, 500 * (f[:, 0] - f[:, 1]), 200 * (f[:, 1] - f[:, 2])], axis=1)


def _monotonic(values) -> bool:
    steps = np.diff(values)
    return bool(np.all(steps >= -TOLERANCE) or np.all(steps <= TOLERANCE))


def unreadable(name: str) -> list[str]:
    """The colour visions under which the map ``name`` loses its order (empty: readable by all)."""
    rgb = matplotlib.colormaps[name](np.linspace(0.0, 1.0, SAMPLES))[:, :3]
    failures = []
    for vision, matrix in VISIONS.items():
        lab = _lab(np.clip(_linear(rgb) @ matrix.T, 0.0, 1.0))
        lightness = lab[:, 0]
        if _monotonic(lightness):
            continue
        # diverging: one turning point near the middle, at a neutral (grey or white) colour,
        # monotonic on each side, and distinct ends
        middle = int(np.argmax(np.abs(lightness - (lightness[0] + lightness[-1]) / 2)))
        diverging = (0.35 * SAMPLES <= middle <= 0.65 * SAMPLES and np.hypot(*lab[middle, 1:]) < NEUTRAL
                     and _monotonic(lightness[: middle + 1]) and _monotonic(lightness[middle:])
                     and np.linalg.norm(lab[0] - lab[-1]) > DISTINCT_ENDS)
        if not diverging:
            failures.append(vision)
    return failures


USED = colour_maps_in_source()


def test_the_helpers_colour_maps_are_found():
    assert {"gray", "RdBu_r", "viridis", "magma"} <= set(USED)


@pytest.mark.parametrize("name", sorted(set(USED) - CATEGORICAL))
def test_colour_map_keeps_its_order_for_colour_blind_readers(name):
    assert unreadable(name) == [], f"{name} (used in {sorted(USED[name])}) is not ordered in lightness"


@pytest.mark.parametrize("name", ["jet", "rainbow", "hsv", "turbo"])
def test_rainbow_maps_are_rejected(name):
    assert unreadable(name)


@pytest.mark.parametrize("name", ["gray", "viridis", "cividis", "magma", "inferno", "Blues", "RdBu_r", "PuOr"])
def test_perceptual_maps_pass(name):
    assert unreadable(name) == []


def test_source_scan_finds_every_way_of_naming_a_map(tmp_path):
    source = tmp_path / "figure.py"
    source.write_text(
        "import matplotlib.pyplot as plt\n"
        "def show(image, *, cmap='cividis'):\n"
        "    plt.imshow(image, cmap='jet')\n"
        "    plt.get_cmap('tab20')\n"
        "    return plt.colormaps['PuOr']\n")
    assert colour_maps_in_source([source]) == {name: {"figure.py"} for name in ("cividis", "jet", "tab20", "PuOr")}
