r"""L-BFGS: a quasi-Newton method that builds its curvature model from recent steps.

Newton's method steps by :math:`-H^{-1} g`, with :math:`H` the Hessian: too
costly for many parameters. BFGS instead learns an approximation of
:math:`H^{-1}` from how the gradient changed along the steps taken, and
L-BFGS ("limited memory") keeps only the last ``history_size`` pairs

.. math::

    s_k = x_{k+1} - x_k, \qquad y_k = \nabla f(x_{k+1}) - \nabla f(x_k),

from which the *two-loop recursion* computes the direction
:math:`d = -H^{-1} g` in :math:`O(m n)` time for :math:`m` pairs and
:math:`n` parameters, without ever forming a matrix.

Unlike the other optimizers, one `LBFGS.step` runs a whole small
optimization (up to ``max_iter`` iterations), evaluating the model several
times; so `step` takes a *closure*, a function that recomputes the loss and
its gradients. All parameters are handled as one flat vector.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from collections.abc import Callable
from typing import Any

import numpy as np

from ..autograd import enable_grad
from ..tensor import Tensor
from .line_search import strong_wolfe
from .optimizer import Optimizer, ParamsT

__all__ = ["LBFGS"]

# The state kept between steps, in PyTorch's order (after "func_evals" and "n_iter").
_CARRIED = ("d", "t", "old_dirs", "old_stps", "ro", "H_diag", "prev_flat_grad", "prev_loss")


class LBFGS(Optimizer):
    r"""The L-BFGS algorithm, as PyTorch's ``torch.optim.LBFGS``.

    Each iteration of `step`, from the flat gradient :math:`g`:

    1. **memory**: with the last step :math:`s = t\,d` and the change of
       gradient :math:`y = g - g_{prev}`, if :math:`y^\top s > 10^{-10}`
       (the curvature is positive, so the model stays positive definite) the
       pair is stored with :math:`\rho = 1 / y^\top s` (the oldest is dropped
       beyond ``history_size``) and the initial inverse Hessian becomes
       :math:`\gamma I`, :math:`\gamma = y^\top s / y^\top y`;
    2. **direction** by the two-loop recursion, newest pair first:

       .. math::

           q &= -g; \quad \text{for } i = m, \dots, 1:\ \
                \alpha_i = \rho_i s_i^\top q,\ q \mathrel{-}= \alpha_i y_i \\
           r &= \gamma q; \quad \text{for } i = 1, \dots, m:\ \
                \beta_i = \rho_i y_i^\top r,\ r \mathrel{+}= (\alpha_i - \beta_i)\, s_i

       and :math:`d = r` (the very first iteration takes :math:`d = -g`);
    3. **step length**: :math:`t = \text{lr}`, except on the very first
       iteration, :math:`t = \min(1, 1/\lVert g\rVert_1)\,\text{lr}` (the
       gradient's scale is unknown yet); with ``line_search_fn="strong_wolfe"``
       a line search (see `line_search`) refines :math:`t` from there;
    4. :math:`x \leftarrow x + t\,d`.

    `step` stops after ``max_iter`` iterations or ``max_eval`` evaluations
    of the closure, or earlier when :math:`\max|g| \le` ``tolerance_grad``,
    when the slope :math:`g^\top d > -`\ ``tolerance_change`` (no descent
    left), when :math:`\max|t d| \le` ``tolerance_change``, or when the loss
    changed by less than ``tolerance_change``. The history persists, so the
    next `step` goes on where this one stopped.

    Args:
        params: Tensors (a single group: per-group options are refused).
        lr: learning rate, the step length before any line search (default 1).
        max_iter: most iterations per `step` (default 20).
        max_eval: most closure evaluations per `step` (default
            ``max_iter * 5 // 4``).
        tolerance_grad: stop when every gradient entry is this small
            (default 1e-7).
        tolerance_change: stop when the loss or the parameters change less
            than this (default 1e-9).
        history_size: how many :math:`(s, y)` pairs to keep (default 100).
        line_search_fn: ``None`` (fixed steps) or ``"strong_wolfe"``.

    .. note::
        As in PyTorch, the line search zooms down to its own tolerance
        (1e-9), not to ``tolerance_change``. A ``history_size`` below 1,
        which PyTorch accepts and then fails on inside `step`, is refused
        here at once.

    State: all of it is global, kept (as PyTorch does) under the first
    parameter, with PyTorch's keys in its order: ``"func_evals"`` and
    ``"n_iter"`` (totals over all steps, ints); ``"al"``, the
    :math:`\alpha_i` of the last two-loop recursion (a list of
    ``history_size`` entries, None where no pair was stored yet: scratch
    space, which PyTorch keeps, so it is kept too); the last direction
    ``"d"`` and step length ``"t"`` (a number); the pairs ``"old_dirs"``
    (the :math:`y`), ``"old_stps"`` (the :math:`s`) and ``"ro"`` (the
    :math:`\rho`); ``"H_diag"`` (:math:`\gamma`; the int 1 until the first
    pair); ``"prev_flat_grad"`` and ``"prev_loss"`` (a float). Where
    PyTorch keeps a tensor, the state holds a NumPy array, as every
    optimizer's state here does: ``d``, ``prev_flat_grad`` and each pair are
    flat vectors, each :math:`\rho`, :math:`\alpha` and ``H_diag`` a 0-d
    array, all in the parameters' dtype.

    Example::

        opt = LBFGS(model.parameters(), line_search_fn="strong_wolfe")

        def closure():
            opt.zero_grad()
            loss = loss_fn(model(x), y)
            loss.backward()
            return loss

        for _ in range(10):
            opt.step(closure)
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1,
        max_iter: int = 20,
        max_eval: int | None = None,
        tolerance_grad: float = 1e-7,
        tolerance_change: float = 1e-9,
        history_size: int = 100,
        line_search_fn: str | None = None,
    ) -> None:
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 1 <= history_size:
            raise ValueError(f"Invalid history_size value: {history_size}")
        if max_eval is None:
            max_eval = max_iter * 5 // 4
        defaults = {
            "lr": lr,
            "max_iter": max_iter,
            "max_eval": max_eval,
            "tolerance_grad": tolerance_grad,
            "tolerance_change": tolerance_change,
            "history_size": history_size,
            "line_search_fn": line_search_fn,
        }
        super().__init__(params, defaults)
        if len(self.param_groups) != 1:
            raise ValueError("LBFGS doesn't support per-parameter options (parameter groups)")

    @property
    def _params(self) -> list[Tensor]:
        return self.param_groups[0]["params"]

    # --- the parameters as one flat vector -------------------------------------------

    def _gather_flat_grad(self) -> np.ndarray:
        """All gradients joined into one new flat array (zeros for a parameter without one)."""
        self._check_grads()
        return np.concatenate(
            [
                np.zeros(p.data.size, p.data.dtype) if p.grad is None else p.grad.data.reshape(-1)
                for p in self._params
            ]
        )

    def _add_grad(self, step_size: float, update: np.ndarray) -> None:
        """x <- x + step_size * update, each parameter taking its piece of the flat `update`."""
        offset = 0
        for p in self._params:
            p.data += step_size * update[offset : offset + p.data.size].reshape(p.data.shape)
            p._bump_version()
            offset += p.data.size

    def _set_params(self, values: list[np.ndarray]) -> None:
        for p, value in zip(self._params, values):
            p.data[...] = value
            p._bump_version()

    # --- the step ----------------------------------------------------------------------

    def step(self, closure: Callable[[], Any]) -> Any:  # type: ignore[override]  # closure required
        """Run up to ``max_iter`` L-BFGS iterations; return the closure's first loss.

        Args:
            closure: a function that zeroes the gradients, recomputes the
                loss, calls ``backward()`` and returns the loss. It runs
                several times, always with gradient recording on.

        If anything raises during the step (the closure included), the
        parameters and the state are left as they were.
        """
        if closure is None:
            raise TypeError(
                "LBFGS.step() needs a closure: a function that re-evaluates the model "
                "(zero_grad, loss, backward) and returns the loss"
            )
        if len(self.param_groups) != 1:
            # raised explicitly, so that `python -O` keeps it
            raise AssertionError(f"Expected exactly one param_group, but got {len(self.param_groups)}")
        if self.param_groups[0]["line_search_fn"] not in (None, "strong_wolfe"):
            raise RuntimeError("only 'strong_wolfe' is supported")
        self._opt_called = True
        start = [p.data.copy() for p in self._params]
        try:
            return self._iterate(closure)
        except BaseException:
            # only the parameters that moved are written back: an untouched one keeps its version
            for p, value in zip(self._params, start):
                if not np.array_equal(p.data, value, equal_nan=True):
                    p.data[...] = value
                    p._bump_version()
            raise

    def _iterate(self, closure: Callable[[], Any]) -> Any:
        group = self.param_groups[0]
        lr, max_iter, max_eval = group["lr"], group["max_iter"], group["max_eval"]
        tolerance_grad, tolerance_change = group["tolerance_grad"], group["tolerance_change"]
        history_size = group["history_size"]

        def evaluate() -> tuple[Any, float, np.ndarray]:
            with enable_grad():
                loss = closure()
            value = float(loss.detach()) if isinstance(loss, Tensor) else float(loss)
            return loss, value, self._gather_flat_grad()

        # Work on local copies: the state is written once, at the end, so that a
        # failure half-way leaves it untouched.
        saved = self.state.get(self._params[0], {})
        func_evals, n_total = saved.get("func_evals", 0), saved.get("n_iter", 0)
        carried: list[Any] = [saved.get(k) for k in _CARRIED]  # all None before the first step
        d, t, old_dirs, old_stps, ro, H_diag, prev_flat_grad, prev_loss = carried
        al: list[Any] | None = saved.get("al")  # the two-loop's alphas, kept only as PyTorch keeps them

        orig_loss, loss, flat_grad = evaluate()
        current_evals = 1
        func_evals += 1
        if np.abs(flat_grad).max() <= tolerance_grad:  # already at a stationary point
            state = self.state[self._params[0]]
            state["func_evals"], state["n_iter"] = func_evals, n_total
            return orig_loss

        n_iter = 0
        while n_iter < max_iter:
            n_iter += 1
            n_total += 1

            # 1-2. update the memory, then the direction d = -H^{-1} g
            if n_total == 1:
                d, old_dirs, old_stps, ro, H_diag = -flat_grad, [], [], [], 1
            else:
                y = flat_grad - prev_flat_grad
                s = d * t
                ys = y @ s  # (a NumPy scalar in the gradient's dtype, as PyTorch's 0-d tensor)
                if ys > 1e-10:  # positive curvature along s: a usable pair
                    old_dirs = _newest([*old_dirs, y], history_size)
                    old_stps = _newest([*old_stps, s], history_size)
                    ro = _newest([*ro, np.array(1.0 / ys)], history_size)
                    H_diag = np.array(ys / (y @ y))
                d, alpha = _two_loop(flat_grad, old_dirs, old_stps, ro, H_diag)
                al = list(al) if al is not None else [None] * history_size
                al[: len(alpha)] = alpha
            prev_flat_grad, prev_loss = flat_grad, loss

            # 3. step length: scaled down on the very first iteration only
            if n_total == 1:
                g_l1 = float(np.abs(flat_grad).sum())
                t = (min(1.0, 1.0 / g_l1) if g_l1 > 0 else 1.0) * lr
            else:
                t = lr
            gtd = float(flat_grad @ d)
            if gtd > -tolerance_change:  # d is no longer a descent direction
                break

            # 4. the step itself
            evals, opt_cond = 0, False
            if group["line_search_fn"] is not None:
                loss, flat_grad, t, evals = self._line_search(
                    evaluate, t, d, loss, flat_grad, gtd, max_ls=max_eval - current_evals
                )
                self._add_grad(t, d)
                opt_cond = np.abs(flat_grad).max() <= tolerance_grad
            else:
                self._add_grad(t, d)
                # the last iteration does not re-evaluate: with noisy losses it would be wasted
                if n_iter != max_iter:
                    _, loss, flat_grad = evaluate()
                    opt_cond = np.abs(flat_grad).max() <= tolerance_grad
                    evals = 1
            current_evals += evals
            func_evals += evals

            if n_iter == max_iter or current_evals >= max_eval or opt_cond:
                break
            if np.abs(d * t).max() <= tolerance_change or abs(loss - prev_loss) < tolerance_change:
                break  # no more progress

        state = self.state[self._params[0]]
        state["func_evals"], state["n_iter"] = func_evals, n_total
        if al is not None:  # (a new key goes in here, before "d", as in PyTorch)
            state["al"] = al
        for key, value in zip(_CARRIED, (d, t, old_dirs, old_stps, ro, H_diag, prev_flat_grad, prev_loss)):
            state[key] = value
        return orig_loss

    def _line_search(
        self,
        evaluate: Callable[[], tuple[Any, float, np.ndarray]],
        t: float,
        d: np.ndarray,
        *args: Any,
        **kwargs: Any,
    ) -> tuple[float, np.ndarray, float, int]:
        """`strong_wolfe` along d from the current parameters, which it leaves as they were."""
        x_init = [p.data.copy() for p in self._params]

        def along(step: float) -> tuple[float, np.ndarray]:
            """f and its gradient at x_init + step * d."""
            self._add_grad(step, d)
            _, value, grad = evaluate()
            self._set_params(x_init)
            return value, grad

        return strong_wolfe(along, t, d, *args, **kwargs)

    # --- checkpoints -------------------------------------------------------------------

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore a state saved by `state_dict`, this class's or PyTorch's LBFGS's.

        The flat vectors must have as many entries as the parameters
        together; they are copied, in the parameters' common dtype, and so
        are the 0-d ``ro``, ``al`` and ``H_diag`` (a float ``H_diag`` or
        ``ro`` from an older checkpoint too). On error, nothing is changed.
        """
        params = self._params
        size = sum(p.data.size for p in params)
        dtype = np.result_type(*(p.data.dtype for p in params))
        loaded = {
            index: _load_global_state(saved, size, dtype) for index, saved in state_dict["state"].items()
        }
        super().load_state_dict({**state_dict, "state": {}})
        positions = state_dict["param_groups"][0]["params"]
        state: defaultdict[Any, dict[str, Any]] = defaultdict(dict)
        for index, value in loaded.items():
            state[params[positions.index(index)] if index in positions else index] = value
        self.state = state


def _two_loop(
    g: np.ndarray, old_dirs: list[np.ndarray], old_stps: list[np.ndarray], ro: list[Any], H_diag: Any
) -> tuple[np.ndarray, list[np.ndarray]]:
    r"""The L-BFGS direction :math:`-H^{-1} g` from the stored pairs (see `LBFGS`), and the :math:`\alpha_i`.

    The numbers stay in g's dtype (NumPy scalars and 0-d arrays), as
    PyTorch's 0-d tensors do; each :math:`\alpha_i` is returned as a 0-d array.
    """
    alpha: list[Any] = [None] * len(old_dirs)
    q = -g
    for i in reversed(range(len(old_dirs))):
        alpha[i] = (old_stps[i] @ q) * ro[i]
        q -= alpha[i] * old_dirs[i]
    r = q * H_diag
    for i in range(len(old_dirs)):
        beta = (old_dirs[i] @ r) * ro[i]
        r += (alpha[i] - beta) * old_stps[i]
    return r, [np.array(a) for a in alpha]


def _newest(items: list[Any], n: int) -> list[Any]:
    """The last n items (none for n <= 0)."""
    return items[max(len(items) - n, 0) :]


def _load_global_state(saved: dict[str, Any], size: int, dtype: np.dtype) -> dict[str, Any]:
    """LBFGS state as saved (NumPy arrays or another library's tensors), made ready to use."""

    def vector(key: str, value: Any) -> np.ndarray:
        array = np.array(np.asarray(value), dtype=dtype, copy=True)
        if array.shape != (size,):
            raise ValueError(
                f"loaded state dict has '{key}' of shape {array.shape}, but the parameters "
                f"have {size} elements in all"
            )
        return array

    def number(value: Any) -> Any:
        return None if value is None else float(np.asarray(value))

    def scalar(value: Any) -> Any:
        """A 0-d array in the parameters' dtype; None stays None, and a Python int (H_diag's 1) an int."""
        if value is None or (isinstance(value, int) and not isinstance(value, bool)):
            return value
        return np.array(np.asarray(value), dtype=dtype, copy=True).reshape(())

    state: dict[str, Any] = {}
    for key, value in saved.items():
        if key in ("func_evals", "n_iter"):
            state[key] = int(np.asarray(value))
        elif key in ("d", "prev_flat_grad"):
            state[key] = None if value is None else vector(key, value)
        elif key in ("old_dirs", "old_stps"):
            state[key] = None if value is None else [vector(key, v) for v in value]
        elif key in ("ro", "al"):
            state[key] = None if value is None else [scalar(v) for v in value]
        elif key == "H_diag":
            state[key] = scalar(value)
        elif key in ("t", "prev_loss"):
            state[key] = number(value)
        else:
            state[key] = copy.deepcopy(value)
    return state
