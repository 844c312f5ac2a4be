"""Alternative text for figures, read from what the plotting helpers write on them.

Every helper gives its figure a title, panel titles, axis labels and colour-bar labels (house
style). ``describe_figure`` turns those into one sentence, so the description is never typed a
second time. ``alt_metadata``, registered as an IPython display printer by the kernels of the
book's build and of ``make execute`` (``KERNEL_STARTUP`` in tools/execute_notebooks.py), attaches
it to every figure a notebook shows, as the output metadata ``{"image/png": {"alt": ...}}``; the
book's Sphinx extension (book/_ext/figure_alt.py) puts it into the ``alt`` attribute of the image.
"""

from __future__ import annotations

MAX_PANELS = 12  # panels named one by one; the rest are counted


def _text(artist) -> str:
    """The text of a Text artist (or a string), on one line."""
    text = artist if isinstance(artist, str) else artist.get_text() if artist is not None else ""
    return " ".join(text.split())


def _panel(ax) -> str:
    """What one Axes shows: its title, then the kind of panel, its axis labels and its legend."""
    title = _text(ax.title) or _text(ax._left_title) or _text(ax._right_title)
    kind = "image" if ax.images else "plot" if ax.lines or ax.collections else "chart" if ax.patches else ""
    xlabel, ylabel = _text(ax.xaxis.label), _text(ax.yaxis.label)
    if xlabel and ylabel:
        kind = f"{kind} of {ylabel} against {xlabel}".strip()
    elif xlabel:
        kind = f"{kind} against {xlabel}".strip()
    elif ylabel:
        kind = f"{kind} of {ylabel}".strip()
    legend = ax.get_legend()
    entries = [_text(text) for text in legend.get_texts()] if legend is not None else []
    if any(entries):
        kind += f"; lines: {', '.join(entry for entry in entries if entry)}"
    if title and kind:
        return f"{title} ({kind})"
    return title or kind


def _has_content(ax) -> bool:
    return bool(ax.images or ax.lines or ax.patches or ax.collections or ax.texts or _text(ax.title))


def describe_figure(figure) -> str:
    """One-sentence description of ``figure`` from its title, panel titles and axis labels.

    Repeated panels are counted, colour bars are named by their label, a figure-level legend by
    its entries, and a figure with nothing written on it is still described by the kind of its panels, so the text is never empty.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, axes = plt.subplots(1, 2)
    >>> _ = fig.suptitle("Training"), axes[0].set_title("loss"), axes[0].plot([1, 0], label="training")
    >>> _ = axes[0].set_xlabel("epoch"), axes[0].legend(), axes[1].imshow([[0.0, 1.0]])
    >>> describe_figure(fig)
    'Training. 2 panels: loss (plot against epoch; lines: training); image.'
    >>> plt.close(fig)
    """
    parts = []
    suptitle = _text(figure.get_suptitle())
    if suptitle:
        parts.append(suptitle.rstrip("."))
    panels, colour_bars = [], []
    for ax in figure.axes:
        if ax.get_label() == "<colorbar>":
            colour_bars.append(_text(ax.yaxis.label) or _text(ax.xaxis.label) or "values")
        elif _has_content(ax):
            panels.append(_panel(ax) or "panel")
    groups: dict[str, int] = {}
    for panel in panels:
        groups[panel] = groups.get(panel, 0) + 1
    described = [panel if count == 1 else f"{panel}, {count} times" for panel, count in groups.items()]
    if len(described) > MAX_PANELS:
        described = described[:MAX_PANELS] + [f"and {len(described) - MAX_PANELS} more"]
    if len(panels) == 1:
        parts.append(described[0][0].upper() + described[0][1:])
    elif panels:
        parts.append(f"{len(panels)} panels: " + "; ".join(described))
    if colour_bars:
        parts.append("Colour scale: " + ", ".join(dict.fromkeys(colour_bars)))
    legend = [entry for entry in (_text(text) for legend in figure.legends for text in legend.get_texts()) if entry]
    if legend:  # one legend for the whole figure (e.g. the class colours of a grid of label maps)
        parts.append("Legend: " + ", ".join(dict.fromkeys(legend)))
    return ". ".join(parts) + "." if parts else "An empty figure."


def alt_metadata(figure) -> tuple[dict, dict]:
    """IPython mime-bundle printer for a Figure: no data, only ``{"image/png": {"alt": text}}``.

    Registered for ``matplotlib.figure.Figure`` on ``display_formatter.mimebundle_formatter``,
    it adds the description to the output's metadata while IPython's own PNG formatter still
    draws the image.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> _ = ax.set_title("Noisy image")
    >>> data, metadata = alt_metadata(fig)
    >>> data, metadata["image/png"]["alt"] == describe_figure(fig)
    ({}, True)
    >>> plt.close(fig)
    """
    return {}, {"image/png": {"alt": describe_figure(figure)}}
