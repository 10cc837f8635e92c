"""`FlatStateOptimizer`: a group's state arrays as one flat array each, for the Adam family.

Adam, Adamax, NAdam and RAdam run a few NumPy calls per step on all the
parameters of a group at once (adam.py's module docstring says why): the
parameters that share a dtype and a step count form a bucket, each state
array of the bucket is one flat array of which every parameter's state entry
is a view, and the gradients are gathered into one flat array too. This base
class holds that bookkeeping, so an algorithm's `_step_group` reads as its
update rule.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np

from ..tensor import Tensor
from .optimizer import Optimizer, ParamsT

__all__ = ["FlatStateOptimizer"]


class FlatStateOptimizer(Optimizer):
    """An `Optimizer` that updates buckets of parameters through flat state arrays.

    A subclass's `_step_group` calls `_buckets` for the parameters to update,
    then, per bucket, `_flat` for its state arrays, `_flat_grads` for its
    gradients, and writes the result back with `_apply`.
    """

    def __init__(self, params: ParamsT, defaults: dict[str, Any]) -> None:
        super().__init__(params, defaults)
        self._flats: dict[tuple[int, ...], list[np.ndarray]] = {}

    def _buckets(self, params: list[Tensor], names: tuple[str, ...], **scalars: float) -> list[list[Tensor]]:
        """The parameters that have a gradient, in lists that can be updated together.

        A list shares the dtype, the step count and every per-parameter scalar
        named in ``scalars`` (NAdam's ``mu_product``): usually that is one
        list; a parameter that joined later, or skipped steps, has its own.
        New parameters get their state here, in PyTorch's key order:
        ``"step"`` 0, the scalars at the values given, then zero arrays.
        """
        buckets: dict[tuple, list[Tensor]] = {}
        for p in params:
            if p.grad is None:
                continue
            state = self.state[p]
            if not state:
                state["step"] = 0
                state.update(scalars)
                for name in names:
                    state[name] = np.zeros_like(p.data)
            key = (p.data.dtype, state["step"], *(float(state[k]) for k in scalars))
            buckets.setdefault(key, []).append(p)
        return list(buckets.values())

    def _count_step(self, params: list[Tensor]) -> int:
        """One more step for each parameter of a bucket (`_buckets`: they share the count); returns it."""
        for p in params:
            self.state[p]["step"] += 1
        return self.state[params[0]]["step"]

    def _flat(self, params: list[Tensor], names: tuple[str, ...]) -> list[np.ndarray]:
        """Each state array `names` of `params` as one flat array, of which the params' entries are views.

        The flat arrays are reused while every entry still views them; after
        `load_state_dict` (new arrays) or for another list of parameters they
        are built again.
        """
        key = tuple(map(id, params))
        flats = self._flats.get(key)
        if flats is not None and all(
            self.state[p][name].base is flat for name, flat in zip(names, flats) for p in params
        ):
            return flats
        flats = []
        for name in names:
            flat = _gather(self.state[p][name] for p in params)
            for p, piece in _pieces(flat, params):
                self.state[p][name] = piece
            flats.append(flat)
        # a parameter's state lives in one flat array: forget older lists that held it
        self._flats = {k: v for k, v in self._flats.items() if not set(k) & set(key)}
        self._flats[key] = flats
        return flats

    @staticmethod
    def _flat_grads(params: list[Tensor], maximize: bool, weight_decay: float) -> np.ndarray:
        r"""The bucket's :math:`g = \pm\nabla f + \lambda\theta`, as one new flat array.

        New, so that it may be changed in place: the ``p.grad`` stay as they are.
        """
        g = _gather(p.grad.data for p in params)  # type: ignore[union-attr]  # (_buckets: all have one)
        if maximize:
            np.negative(g, out=g)
        if weight_decay != 0:
            g += weight_decay * _gather(p.data for p in params)
        return g

    @staticmethod
    def _decay(params: list[Tensor], factor: float) -> None:
        """Decoupled weight decay: scale each parameter by `factor` in place."""
        for p in params:
            p.data *= factor

    @staticmethod
    def _apply(params: list[Tensor], step: np.ndarray) -> None:
        """theta <- theta - step, for each parameter its piece of the flat `step`."""
        for p, piece in _pieces(step, params):
            p.data -= piece
            p._bump_version()


def _gather(arrays: Iterable[np.ndarray]) -> np.ndarray:
    """The arrays flattened and joined end to end, in a new array."""
    return np.concatenate([a.reshape(-1) for a in arrays])


def _pieces(flat: np.ndarray, params: list[Tensor]) -> Iterator[tuple[Tensor, np.ndarray]]:
    """(param, view of `flat` shaped like it) for each param, in the order `_gather` joined them."""
    offset = 0
    for p in params:
        yield p, flat[offset : offset + p.data.size].reshape(p.data.shape)
        offset += p.data.size
