r"""The strong Wolfe line search that `LBFGS` runs with ``line_search_fn="strong_wolfe"``.

Given a point :math:`x`, a descent direction :math:`d` and the objective's
value :math:`f(x)` and slope :math:`f'(x; d) = \nabla f(x)^\top d < 0` there,
a line search looks for a step :math:`t > 0` along :math:`d` that satisfies
the *strong Wolfe conditions*:

.. math::

    f(x + t d) &\le f(x) + c_1\, t\, \nabla f(x)^\top d
        \quad \text{(sufficient decrease, or Armijo)} \\
    |\nabla f(x + t d)^\top d| &\le c_2\, |\nabla f(x)^\top d|
        \quad \text{(the slope has flattened enough)}

with :math:`0 < c_1 < c_2 < 1`. The search has two phases (Nocedal and
Wright, *Numerical Optimization*, algorithms 3.5 and 3.6):

1. **bracketing**: grow :math:`t` until an interval is known to contain an
   acceptable step (the value rose, or the slope turned non-negative);
2. **zoom**: shrink that interval, each trial step being the minimiser of the
   cubic that matches the values and slopes at the interval's two ends.

Each trial costs one evaluation of the objective and its gradient. The
search follows PyTorch's (a port of the Lua ``torch/optim`` code) step for
step, so that the two pick the same steps.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import NamedTuple

import numpy as np

__all__ = ["cubic_minimizer", "strong_wolfe"]


class _Trial(NamedTuple):
    """One evaluated step: t, f(x + t d), its gradient and its slope along d."""

    t: float
    f: float
    g: np.ndarray
    gtd: float


def cubic_minimizer(
    x1: float,
    f1: float,
    g1: float,
    x2: float,
    f2: float,
    g2: float,
    bounds: tuple[float, float] | None = None,
) -> float:
    r"""The minimiser of the cubic with values f1, f2 and slopes g1, g2 at x1, x2, clipped to `bounds`.

    With :math:`d_1 = g_1 + g_2 - 3\frac{f_1 - f_2}{x_1 - x_2}` and
    :math:`d_2 = \sqrt{d_1^2 - g_1 g_2}`, the minimiser is (for :math:`x_1 \le x_2`)

    .. math::

        x_2 - (x_2 - x_1) \frac{g_2 + d_2 - d_1}{g_2 - g_1 + 2 d_2}

    ``bounds`` defaults to the interval between x1 and x2. When
    :math:`d_1^2 < g_1 g_2` the cubic has no minimiser, and the middle of the
    bounds is taken instead.
    """
    low, high = bounds if bounds is not None else (min(x1, x2), max(x1, x2))
    d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2)
    d2_square = d1 * d1 - g1 * g2
    if d2_square < 0:
        return (low + high) / 2.0
    d2 = math.sqrt(d2_square)
    if x1 <= x2:
        min_pos = x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
    else:
        min_pos = x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2))
    return min(max(min_pos, low), high)


def strong_wolfe(
    evaluate: Callable[[float], tuple[float, np.ndarray]],
    t: float,
    d: np.ndarray,
    f: float,
    g: np.ndarray,
    gtd: float,
    c1: float = 1e-4,
    c2: float = 0.9,
    tolerance_change: float = 1e-9,
    max_ls: int = 25,
) -> tuple[float, np.ndarray, float, int]:
    """Search along `d` for a step that satisfies the strong Wolfe conditions.

    Args:
        evaluate: ``evaluate(t) -> (f(x + t d), flat gradient there)``.
        t: the first step to try.
        d: the direction (a flat array).
        f, g, gtd: the value, flat gradient and slope ``g @ d`` at ``t = 0``.
        c1, c2: the constants of the two conditions.
        tolerance_change: stop zooming once the interval, measured along
            ``d`` (times ``max|d|``), is shorter than this.
        max_ls: the most evaluations after the first.

    Returns:
        ``(f_new, g_new, t, evaluations)``: the best step found, its value
        and gradient, and how many times `evaluate` ran.
    """
    d_norm = float(np.abs(d).max())
    start = _Trial(0.0, f, g, gtd)
    evaluations = 0

    def trial(step: float) -> _Trial:
        nonlocal evaluations
        evaluations += 1
        f_new, g_new = evaluate(step)
        return _Trial(step, f_new, g_new, float(g_new @ d))

    def sufficient_decrease(new: _Trial) -> bool:
        return not new.f > f + c1 * new.t * gtd

    def curvature(new: _Trial) -> bool:
        return abs(new.gtd) <= -c2 * gtd

    # Phase 1, bracketing: extrapolate until [prev, new] holds an acceptable step.
    prev, new = start, trial(t)
    bracket: list[_Trial] = []
    done = False
    ls_iter = 0
    while ls_iter < max_ls:
        if not sufficient_decrease(new) or (ls_iter > 1 and new.f >= prev.f):
            bracket = [prev, new]
            break
        if curvature(new):
            bracket, done = [new], True
            break
        if new.gtd >= 0:  # the slope turned: a minimum lies between the two
            bracket = [prev, new]
            break
        # still going down: try further, between 1.01 and 10 times as far
        step = cubic_minimizer(
            prev.t,
            prev.f,
            prev.gtd,
            new.t,
            new.f,
            new.gtd,
            bounds=(new.t + 0.01 * (new.t - prev.t), new.t * 10),
        )
        prev, new = new, trial(step)
        ls_iter += 1
    if ls_iter >= max_ls:  # out of evaluations: choose between the start and the last trial
        bracket = [start, new]

    # Phase 2, zoom: shrink the bracket around a step that satisfies both conditions.
    low, high = (0, 1) if bracket[0].f <= bracket[-1].f else (1, 0)
    insufficient_progress = False
    while not done and ls_iter < max_ls:
        lo_t, hi_t = min(bracket[0].t, bracket[1].t), max(bracket[0].t, bracket[1].t)
        if abs(bracket[1].t - bracket[0].t) * d_norm < tolerance_change:
            break
        step = cubic_minimizer(
            bracket[0].t, bracket[0].f, bracket[0].gtd, bracket[1].t, bracket[1].f, bracket[1].gtd
        )
        # NOTE: a step at (or very near) an end of the bracket teaches little. If
        # it happens twice in a row, or the step is on the end itself, move it
        # to a tenth of the bracket's length inside.
        margin = 0.1 * (hi_t - lo_t)
        if min(hi_t - step, step - lo_t) < margin:
            if insufficient_progress or step >= hi_t or step <= lo_t:
                step = hi_t - margin if abs(step - hi_t) < abs(step - lo_t) else lo_t + margin
                insufficient_progress = False
            else:
                insufficient_progress = True
        else:
            insufficient_progress = False

        new = trial(step)
        ls_iter += 1
        if not sufficient_decrease(new) or new.f >= bracket[low].f:
            bracket[high] = new  # too high: the new point closes the bracket
            low, high = (0, 1) if bracket[0].f <= bracket[1].f else (1, 0)
        else:
            if curvature(new):
                done = True
            elif new.gtd * (bracket[high].t - bracket[low].t) >= 0:
                bracket[high] = bracket[low]  # the minimum lies on the other side of the new point
            bracket[low] = new

    best = bracket[low]
    return best.f, best.g, best.t, evaluations
