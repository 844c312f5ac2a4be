"""Alternative text for the notebook figures of the book (loaded through _config.yml local_extensions).

When a kernel of the build or of ``make execute`` shows a figure, it stores the figure's
description (made from its titles and axis labels by course_lib/plotting/_alt.py) in the
output's metadata as ``{"image/png": {"alt": ...}}``. MyST-NB names each image it writes after
the SHA-256 of its bytes and reads only width and height from that metadata; this extension
maps every image hash to its description and sets it as the ``alt`` of each image node that
has none, after glue and the other post-transforms. The notebooks read are those MyST-NB
wrote to _build/jupyter_execute/ (stored or freshly executed outputs) and, in ``cache`` mode,
those of the execution cache: on a cache hit MyST-NB renders the cached outputs but writes the
source notebook to jupyter_execute/.
"""

from __future__ import annotations

import binascii
import hashlib
import json
from pathlib import Path

from docutils import nodes


def _cached_notebooks(cache_path: str) -> list[dict]:
    """The notebooks of the jupyter-cache at ``cache_path`` (none if there is no cache)."""
    if not cache_path or not Path(cache_path).exists():
        return []
    from jupyter_cache import get_cache

    cache = get_cache(cache_path)
    return [cache.get_cache_bundle(record.pk).nb for record in cache.list_cache_records()]


def descriptions(folder: Path, cache_path: str = "") -> dict[str, str]:
    """Map the SHA-256 (hex) of every PNG output to its alt text.

    From the notebooks under ``folder`` and those of the jupyter-cache at ``cache_path``.
    """
    found = {}
    notebooks = [json.loads(path.read_text(encoding="utf8")) for path in sorted(folder.rglob("*.ipynb"))]
    for notebook in notebooks + _cached_notebooks(cache_path):
        for cell in notebook.get("cells", []):
            for output in cell.get("outputs", []):
                data = output.get("data", {}).get("image/png")
                alt = output.get("metadata", {}).get("image/png", {}).get("alt")
                if data and alt:
                    content = "".join(data) if isinstance(data, list) else data
                    found[hashlib.sha256(binascii.a2b_base64(content)).hexdigest()] = alt
    return found


def _set_alt(app, doctree, docname):
    folder = Path(app.outdir).parent / "jupyter_execute"
    found = getattr(app, "_figure_alt", None)
    if found is None:
        # read once per build, in the writing phase: every notebook has been written by then
        cache_path = getattr(app.config, "nb_execution_cache_path", "") if app.config.nb_execution_mode == "cache" else ""
        found = app._figure_alt = descriptions(folder, cache_path)
    for image in doctree.findall(nodes.image):
        if image.get("alt"):
            continue
        alt = found.get(Path(image.get("uri", "")).stem)
        if alt:
            image["alt"] = alt


def setup(app):
    app.connect("doctree-resolved", _set_alt)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
