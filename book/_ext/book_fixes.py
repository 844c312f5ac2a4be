"""Small Sphinx fixes for the published pages (loaded through _config.yml local_extensions).

sphinx-thebe 0.3 adds its inline configuration script twice to every page, which makes the
browser report "Identifier 'THEBE_JS_URL' has already been declared". This drops repeated
script entries from each page before it is rendered.
"""

from __future__ import annotations


def _drop_repeated_scripts(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, unique = set(), []
    for script in scripts:
        # the same inline script arrives once with filename None and once with ""
        key = (getattr(script, "filename", None) or "", str(getattr(script, "attributes", {})))
        if key in seen:
            continue
        seen.add(key)
        unique.append(script)
    # in place: handlers that run later (sphinx.ext.mathjax) append to this same list
    scripts[:] = unique


def setup(app):
    app.connect("html-page-context", _drop_repeated_scripts, priority=100)  # early: a later handler may end the event by returning a template
    return {"parallel_read_safe": True, "parallel_write_safe": True}
