"""Resource guards: refuse a call whose memory or running time explodes, before it starts.

Functions whose output or working memory follows from their arguments compute it first and call
:func:`check_memory`; above :func:`course_lib.config.memory_limit_gib` (1 GiB by default) they
raise a ``ValueError`` that names the size and the argument to change. Loop counts and network
sizes have documented caps (the constants below), checked with ``as_int(..., maximum=...)``.
"""

from __future__ import annotations

import numpy as np

from course_lib import config

GIB = 2**30
#: Iterations of an iterative method (Richardson-Lucy, gradient ascent): each is a full pass.
MAX_ITERATIONS = 10_000
#: Layers, blocks or stages of a Keras builder: deeper nets do not fit a lesson's time budget.
MAX_DEPTH = 200
#: Filters/channels of one Keras layer.
MAX_CHANNELS = 4096
#: Generated examples of a synthetic dataset in one call.
MAX_EXAMPLES = 1_000_000
#: Side of a generated kernel or image, in pixels.
MAX_SIDE = 8192


def check_memory(n_values: float, *, what: str, argument: str, fix: str, itemsize: int = 8) -> None:
    """Raise ``ValueError`` if ``n_values`` values of ``itemsize`` bytes exceed the memory limit.

    Parameters
    ----------
    n_values : float
        Number of array elements the call would allocate (float: it may overflow an int).
    what : str
        What would be allocated, e.g. ``"the patches"``.
    argument : str
        The argument to change, named in the message.
    fix : str
        How to change it, e.g. ``"use stride=8"``.
    itemsize : int
        Bytes per value (8 for float64).

    Raises
    ------
    ValueError
        Above the limit.

    Examples
    --------
    >>> check_memory(1e3, what="the output", argument="size", fix="use a smaller size")
    >>> check_memory(1e12, what="the output", argument="size", fix="use a smaller size")
    Traceback (most recent call last):
    ...
    ValueError: size asks for 7450.6 GiB for the output, above the limit of 1 GiB (course_lib.config.MEMORY_LIMIT_GIB); use a smaller size.
    """
    gib = float(n_values) * itemsize / GIB
    limit = config.memory_limit_gib()
    if not np.isfinite(gib) or gib > limit:
        raise ValueError(
            f"{argument} asks for {gib:.1f} GiB for {what}, above the limit of {limit:g} GiB "
            f"(course_lib.config.MEMORY_LIMIT_GIB); {fix}."
        )
