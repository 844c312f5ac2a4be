"""Numbers for the prose: glue a measured value into the page, rounded to what the page shows.

The book's markdown never types a measured number; a code cell computes it and calls
:func:`glue`, and the text shows it with MyST-NB's role, e.g. ``{glue:text}`psnr_l1:.2f` dB``.
Values are rounded before they are glued, so the stored output that nbval compares holds the
digits the reader sees, not the last bits of a float that differ between machines.

Where MyST-NB is not installed (Colab, a plain Jupyter), :func:`glue` only returns the rounded
value: the page still runs, and the number is in the cell's own printed output.
"""

from __future__ import annotations

import numbers

from course_lib._validation import as_int


def glue(name: str, value, *, digits: int | None = 3, display: bool = False):
    """Round ``value`` and hand it to MyST-NB's ``glue`` under ``name``.

    Parameters
    ----------
    name : str
        The key used in markdown: ``{glue:text}`name:.2f```. Letters, digits and ``_``.
    value : number, str, bool or anything MyST-NB can glue
        Real numbers (not bools or ints) are rounded to ``digits`` decimals.
    digits : int or None, keyword-only
        Decimals kept (default 3); None keeps the value as it is.
    display : bool, keyword-only
        Also show the value in the cell's output (MyST-NB's ``display``).

    Returns
    -------
    The rounded value.

    Raises
    ------
    TypeError
        If ``name`` is not a string.
    ValueError
        If ``name`` is empty or has characters other than letters, digits and ``_``, or
        ``digits`` is negative.

    See Also
    --------
    The conventions page of the book: how to glue a number and how to check a claim.

    Examples
    --------
    >>> glue("psnr_gain", 1.23456, digits=2)  # outside a notebook: nothing is displayed
    1.23
    >>> glue("bad name", 1.0)
    Traceback (most recent call last):
    ...
    ValueError: name must hold only letters, digits and '_'; got 'bad name'.
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be a string; got {type(name).__name__}.")
    if not name or not name.replace("_", "").isalnum():
        raise ValueError(f"name must hold only letters, digits and '_'; got {name!r}.")
    if digits is not None:
        digits = as_int("digits", digits, minimum=0)
        if isinstance(value, numbers.Real) and not isinstance(value, numbers.Integral):
            value = round(float(value), digits)
    try:
        from myst_nb import glue as myst_glue
    except ImportError:  # Colab or plain Jupyter: nothing to glue into
        return value
    myst_glue(name, value, display=display)
    return value
