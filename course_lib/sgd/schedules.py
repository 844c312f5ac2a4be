"""Learning-rate schedules: the step size of SGD at each step (NumPy)."""

from __future__ import annotations

import numpy as np

from course_lib._limits import check_memory
from course_lib._validation import as_choice, as_float, as_int

SCHEDULES = ("constant", "step", "cosine")


def learning_rates(base_rate: float, steps: int, *, schedule: str = "constant", drop: float = 0.1,
                   drop_every: int | None = None, final_rate: float = 0.0) -> np.ndarray:
    """The learning rate of each of ``steps`` steps.

    - ``"constant"``: ``base_rate`` throughout;
    - ``"step"``: multiplied by ``drop`` every ``drop_every`` steps (default a third of ``steps``);
    - ``"cosine"``: from ``base_rate`` down to ``final_rate`` along half a cosine (SGDR,
      Loshchilov & Hutter 2017)
      ``final + (base - final) (1 + cos(pi t / T)) / 2``.

    Parameters
    ----------
    base_rate : float > 0
    steps : int >= 1
    schedule : {"constant", "step", "cosine"}, keyword-only
    drop : float in (0, 1], keyword-only
    drop_every : int >= 1 or None, keyword-only
    final_rate : float in [0, base_rate], keyword-only

    Returns
    -------
    ndarray, shape (steps,)

    Raises
    ------
    ValueError
        If ``schedule`` is unknown, ``base_rate`` is not positive, ``drop`` is not in (0, 1],
        ``final_rate`` is not in [0, base_rate] (each option is checked, whatever the schedule),
        or ``steps`` would exceed the memory limit.

    Examples
    --------
    >>> learning_rates(1.0, 6, schedule="step", drop=0.5, drop_every=2)
    array([1.  , 1.  , 0.5 , 0.5 , 0.25, 0.25])
    >>> learning_rates(1.0, 3, schedule="cosine").round(3)
    array([1.  , 0.75, 0.25])
    """
    base_rate = as_float("base_rate", base_rate, minimum=np.finfo(float).tiny)
    steps = as_int("steps", steps, minimum=1)
    check_memory(2.0 * steps, what="the schedule", argument="steps", fix="train for fewer steps")
    schedule = as_choice("schedule", schedule, SCHEDULES)
    # every option is checked, also those the schedule ignores: a typo there is no silent no-op
    drop = as_float("drop", drop, minimum=np.finfo(float).tiny, maximum=1.0)
    drop_every = max(1, steps // 3) if drop_every is None else as_int("drop_every", drop_every, minimum=1)
    final_rate = as_float("final_rate", final_rate, minimum=0.0, maximum=base_rate)
    step = np.arange(steps)
    if schedule == "constant":
        return np.full(steps, base_rate)
    if schedule == "step":
        return base_rate * drop ** (step // drop_every)
    return final_rate + (base_rate - final_rate) * (1.0 + np.cos(np.pi * step / steps)) / 2.0
