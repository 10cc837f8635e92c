"""`Optimizer`: the base class that every optimization algorithm builds on.

An optimizer owns two things:

- ``param_groups``: a list of dicts. Each holds ``"params"`` (a list of
  Tensors), ``"param_names"`` when the parameters came with names (from
  ``named_parameters()``), and one entry per hyperparameter (``"lr"``,
  ``"momentum"``...). Groups let one model train its parts with different
  settings; a group's values can be changed between steps (that is all a
  learning-rate scheduler does).
- ``state``: a dict from each parameter Tensor to that parameter's running
  quantities (``"step"``, ``"exp_avg"``, ``"momentum_buffer"``...), created
  lazily by the algorithm on the parameter's first update.

A subclass validates its hyperparameters, passes their defaults here and
writes `_step_group`, which updates the parameters of one group. Updates
work on the NumPy arrays behind the Tensors (``p.data``), in place, and bump
``p._version`` so that a graph that saved the old values notices the change.
The defaults also hold PyTorch's switches between implementations of one
update (``foreach``, ``fused``, ``differentiable``, ``capturable``); with a
single implementation here, they are only kept and checked (see `Optimizer`).

``state_dict()`` / ``load_state_dict()`` use PyTorch's layout, with
parameters replaced by their position (0, 1, 2... over all groups in order),
so a checkpoint does not depend on object identity.
"""

from __future__ import annotations

import copy
import inspect
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from ..nn.input_checks import type_name
from ..tensor import Tensor
from ..warning import warn

__all__ = ["Optimizer", "ParamsT"]

# What an optimizer accepts: Tensors, (name, Tensor) pairs as `named_parameters()`
# gives, or dicts that each define a param group.
ParamsT = Iterable[Tensor] | Iterable[dict[str, Any]] | Iterable[tuple[str, Tensor]]


_LABELS = {"lr": "learning rate", "eps": "epsilon value"}


def decayed_gradient(p: Tensor, maximize: bool, weight_decay: float) -> np.ndarray:
    r"""One parameter's :math:`g = \pm\nabla f + \lambda\theta` (minus to maximize): most updates start so.

    A new array where it differs from p.grad, which is never changed (the flat-state
    optimizers do the same for a whole bucket: `FlatStateOptimizer._flat_grads`).
    """
    g = p.grad.data  # type: ignore[union-attr]  # (callers skip parameters without a gradient)
    if maximize:
        g = np.negative(g)
    if weight_decay != 0:
        g = g + weight_decay * p.data
    return g


def check_non_negative(**hyperparameters: float) -> None:
    """Validate hyperparameters eagerly, as PyTorch does: ValueError("Invalid learning rate: -1")."""
    for name, value in hyperparameters.items():
        if not 0.0 <= value:
            raise ValueError(f"Invalid {_LABELS.get(name, name + ' value')}: {value}")


def check_betas(betas: tuple[float, float]) -> None:
    """The two decay rates of the Adam family, each in [0, 1), as PyTorch checks them (it reads no third)."""
    for i in (0, 1):
        if not 0.0 <= betas[i] < 1.0:
            raise ValueError(f"Invalid beta parameter at index {i}: {betas[i]}")


def _check_implementation(group: dict[str, Any]) -> None:
    """Refuse the implementation switches that cannot be honoured here (see `Optimizer`)."""
    if group.get("fused"):  # PyTorch's own checks, in its order
        if group.get("differentiable"):
            raise RuntimeError("`fused` does not support `differentiable`")
        if group.get("foreach"):
            raise RuntimeError("`fused` and `foreach` cannot be `True` together.")
    if group.get("differentiable"):
        raise RuntimeError(
            "differentiable=True is not supported: tinygrad_edu updates the parameters' "
            "NumPy arrays in place, outside autograd, so a step cannot be differentiated"
        )
    if group.get("capturable"):
        # AssertionError is PyTorch's type for CPU tensors; raised explicitly, so `python -O` keeps it
        raise AssertionError(
            "capturable=True is not supported: it is for CUDA graph capture, and tinygrad_edu "
            "runs on the CPU only"
        )


class Optimizer:
    """Base class of all optimizers.

    Args:
        params: an iterable of Tensors, of (name, Tensor) pairs (what
            ``model.named_parameters()`` gives), or of dicts defining
            parameter groups (each dict has ``"params"``, Tensors or pairs,
            and may override any default).
        defaults: the hyperparameters used by groups that do not set them.

    The order of the parameters must be the same from run to run (a group
    whose ``"params"`` is a set is refused), since ``state_dict`` refers to
    parameters by position. Names, when given, are kept in each group's
    ``"param_names"`` and saved by ``state_dict``, for the reader: loading
    still matches parameters by position. Either every group has names or
    none has.

    The defaults also hold PyTorch's implementation switches. PyTorch has up
    to three implementations of each update: a loop over the tensors,
    ``foreach`` (one call per operation for a whole list of tensors) and
    ``fused`` (one kernel for the whole update). They compute the same
    update, so with one NumPy implementation here any value of ``foreach``
    and ``fused`` is accepted and changes nothing (PyTorch runs
    ``fused=True`` on the CPU too); only the two together are refused, as
    in PyTorch. Two other switches ask for what this library cannot give,
    so turning them on raises:

    - ``differentiable=True`` records the step in the autograd graph, so that
      a gradient can flow through the update (as in meta-learning); here a
      step writes into the NumPy arrays, outside autograd (RuntimeError).
    - ``capturable=True`` keeps the step counts on the GPU for CUDA graphs;
      PyTorch refuses it for CPU tensors, with an AssertionError at the first
      step, and here every tensor is a CPU tensor (AssertionError, at once).
    """

    def __init__(self, params: ParamsT, defaults: dict[str, Any]) -> None:
        if isinstance(params, Tensor):
            raise TypeError(
                "params argument given to the optimizer should be an iterable of "
                f"Tensors or dicts, but got {type_name(params)}"
            )
        self.defaults = defaults
        self.state: defaultdict[Any, dict[str, Any]] = defaultdict(dict)
        self.param_groups: list[dict[str, Any]] = []
        # Set by `step`, read by the LR schedulers to warn about a wrong call order.
        self._opt_called = False

        param_groups: list[Any] = list(params)  # Tensors, (name, Tensor) pairs or dicts
        if len(param_groups) == 0:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(param_groups[0], dict):
            param_groups = [{"params": param_groups}]
        for group in param_groups:
            self.add_param_group(group)

    def add_param_group(self, param_group: dict[str, Any]) -> None:
        """Add a group of parameters with its own hyperparameters.

        Hyperparameters missing from ``param_group`` take the optimizer's
        defaults. Useful for fine-tuning, where new layers join the training.
        As in PyTorch, the dict itself becomes the group; (name, Tensor)
        pairs in its ``"params"`` are split into ``"params"`` and
        ``"param_names"``.
        """
        if not isinstance(param_group, dict):
            raise TypeError(f"param_group must be a dict, but got {type_name(param_group)}")
        params = param_group["params"]
        if isinstance(params, Tensor):
            params = [params]
        elif isinstance(params, (set, frozenset)):
            raise TypeError(
                "optimizer parameters need to be organized in ordered collections, but "
                "the ordering of tensors in sets will change between runs. Please use a "
                "list instead."
            )
        else:
            params = list(params)
        names = [p[0] for p in params if isinstance(p, tuple)]
        if names:
            if len(names) != len(params):
                raise ValueError(
                    "all optimizer params should be with/without names. Some param names are missing"
                )
            params = [p for _, p in params]

        for p in params:
            if not isinstance(p, Tensor):
                raise TypeError(
                    f"optimizer can only optimize Tensors, but one of the params is {type_name(p)}"
                )
            if not (p.is_leaf or getattr(p, "retains_grad", False)):
                raise ValueError("can't optimize a non-leaf Tensor")
        _check_implementation({**self.defaults, **param_group})

        ids = [id(p) for p in params]
        if len(ids) != len(set(ids)):
            warn(
                "optimizer contains a parameter group with duplicate parameters; "
                "in future, this will cause an error"
            )
        named = bool(names) or "param_names" in param_group
        if any(("param_names" in group) != named for group in self.param_groups):
            raise ValueError(
                "all optimizer param groups should be with/without names. cannot add param group "
                f"{'with' if named else 'without'} names to the optimizer"
            )
        taken = {id(p) for group in self.param_groups for p in group["params"]}
        if not taken.isdisjoint(ids):
            raise ValueError("some parameters appear in more than one parameter group")

        # Validation passed: only now change the caller's dict.
        param_group["params"] = params
        if names:
            param_group["param_names"] = names
        for name, default in self.defaults.items():
            param_group.setdefault(name, default)
        self.param_groups.append(param_group)

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Reset the gradients of all optimized parameters.

        With ``set_to_none=True`` (the default) each ``p.grad`` becomes None,
        which frees memory and lets `step` skip parameters that get no new
        gradient. With ``False`` the gradient arrays are filled with zeros in
        place, so code holding a reference to ``p.grad`` sees the zeros.
        """
        for group in self.param_groups:
            for p in group["params"]:
                p._clear_grad(set_to_none)

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Perform one update of every parameter that has a gradient.

        Args:
            closure: optional function that re-evaluates the model (zero the
                gradients, compute the loss, call backward) and returns the
                loss. It runs with gradient recording on, before the update.

        Returns:
            The closure's loss, or None without a closure.
        """
        loss = None
        if closure is not None:
            from .. import enable_grad

            with enable_grad():
                loss = closure()
        self._opt_called = True
        self._check_grads()
        for group in self.param_groups:
            self._step_group(group)
        return loss

    def _check_grads(self) -> None:
        """Raise, before anything is updated, if a gradient no longer fits its parameter.

        The `grad` setter checks every assignment, but `.data` can be replaced
        behind it (``p.grad.data = ...``, ``p.data = ...``); the update would
        then fail half-way, with some parameters and their state changed.
        """
        for i, group in enumerate(self.param_groups):
            for k, p in enumerate(group["params"]):
                if p.grad is None:
                    continue
                theta, g = p._array(), p.grad._array()
                if g.shape != theta.shape or g.dtype.kind != "f":
                    raise RuntimeError(
                        f"{type(self).__name__}.step(): parameter {k} of group {i} has shape "
                        f"{theta.shape} but its gradient is {g.dtype} of shape {g.shape} "
                        "(.data was replaced behind the grad setter?); nothing was updated"
                    )

    def _step_group(self, group: dict[str, Any]) -> None:
        """Update the parameters of one group (written by each algorithm)."""
        raise NotImplementedError

    def state_dict(self) -> dict[str, Any]:
        """The optimizer's state as plain data, in PyTorch's layout::

            {"state": {0: {"step": 3, "exp_avg": array(...), ...}, 1: {...}},
             "param_groups": [{"lr": 0.001, ..., "params": [0, 1]}, ...]}

        Parameters are numbered by position over all groups. As in PyTorch,
        each parameter's state is the optimizer's own dict, whose arrays
        later steps change in place: take a snapshot with `copy.deepcopy`.
        """
        index: dict[int, int] = {}
        groups = []
        for group in self.param_groups:
            packed = {k: v for k, v in group.items() if k != "params"}
            for p in group["params"]:
                index.setdefault(id(p), len(index))
            packed["params"] = [index[id(p)] for p in group["params"]]
            groups.append(packed)
        state = {}
        for key, value in self.state.items():
            key = index[id(key)] if isinstance(key, Tensor) else key
            state[key] = value
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore a state saved by `state_dict` (this or a matching optimizer).

        The groups must match in number and size; the hyperparameters come
        from ``state_dict``, and one that a saved group lacks (an older
        checkpoint) takes the default of the optimizer's class, as in PyTorch. Parameters
        are matched by position, whatever their names: saved ``"param_names"``
        replace a group's names, and a group keeps its own where none were
        saved. Arrays are copied (cast to each parameter's dtype), so the dict
        and the optimizer never share memory. On error, nothing is changed.
        """
        groups = self.param_groups
        saved_groups = state_dict["param_groups"]
        if len(groups) != len(saved_groups):
            raise ValueError("loaded state dict has a different number of parameter groups")
        for group, saved in zip(groups, saved_groups):
            if len(group["params"]) != len(saved["params"]):
                raise ValueError(
                    "loaded state dict contains a parameter group that doesn't match "
                    "the size of optimizer's group"
                )
            _check_implementation(saved)
        param_at = {
            index: p
            for group, saved in zip(groups, saved_groups)
            for index, p in zip(saved["params"], group["params"])
        }

        state: defaultdict[Any, dict[str, Any]] = defaultdict(dict)
        for index, saved_state in state_dict["state"].items():
            if index in param_at:
                p = param_at[index]
                state[p] = {k: _load_value(k, v, p) for k, v in saved_state.items()}
            else:
                state[index] = copy.deepcopy(saved_state)

        new_groups = []
        for group, saved in zip(groups, saved_groups):
            new_group = {k: copy.deepcopy(v) for k, v in saved.items() if k != "params"}
            new_group["params"] = group["params"]
            for key, default in _class_defaults(type(self)).items():  # (a checkpoint saved before
                if key in self.defaults:  # the key existed: it ran as the class's default does)
                    new_group.setdefault(key, copy.deepcopy(default))
            if "param_names" in group:
                new_group.setdefault("param_names", group["param_names"])
            new_groups.append(new_group)

        self.state = state
        self.param_groups = new_groups

    def __repr__(self) -> str:
        """PyTorch's layout: each group's hyperparameters, sorted, the groups apart by a blank line."""
        groups = [
            f"Parameter Group {i}\n"
            + "".join(f"    {k}: {group[k]}\n" for k in sorted(group) if k != "params")
            for i, group in enumerate(self.param_groups)
        ]
        return f"{type(self).__name__} (\n" + "\n".join(groups) + ")"


def _load_value(key: str, value: Any, p: Tensor) -> Any:
    """One saved state entry, made ready for parameter ``p``.

    Arrays may come from anywhere (`__array__`): a PyTorch optimizer's state
    dict loads as it is.
    """
    if isinstance(value, Tensor):
        value = value.data
    elif hasattr(type(value), "__array__") and not isinstance(value, np.ndarray):
        value = np.asarray(value)  # another library's tensor, or a NumPy scalar
    if key == "step":
        # A Python number here (PyTorch keeps a 0-d float tensor).
        number = value.item() if isinstance(value, np.ndarray) else value
        return int(number) if float(number).is_integer() else number
    if isinstance(value, np.ndarray):
        if value.ndim == 0 and p.ndim:
            return value.item()  # a number per parameter (NAdam's mu_product), 0-d in PyTorch
        if value.shape != p.shape:
            raise ValueError(
                f"loaded state dict has '{key}' of shape {value.shape} for a parameter of shape {p.shape}"
            )
        return np.array(value, dtype=p.dtype, copy=True)
    return copy.deepcopy(value)


def _class_defaults(cls: type) -> dict[str, Any]:
    """The defaults of an optimizer class's constructor arguments (lr=0.001, maximize=False, ...)."""
    parameters = inspect.signature(cls).parameters.values()
    return {p.name: p.default for p in parameters if p.default is not inspect.Parameter.empty}
