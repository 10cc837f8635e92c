"""`Module`: the base class of layers and models, with PyTorch's bookkeeping.

Assigning a `Parameter` or a `Module` as an attribute registers it, in order,
in ``_parameters`` or ``_modules``; `register_buffer` adds non-learnable state
(running statistics, masks) to ``_buffers``. Everything that walks a model,
`parameters()`, `state_dict()`, `train()`, `repr`, follows that order, so
names and keys match the equivalent PyTorch model ("0.weight", "fc.bias").

Calling a module runs `forward` with the module recorded as the current
scope, so every graph node made inside remembers which layer made it. A
forward that fails because it was given a NumPy array (or a list) for a
Tensor ends in a TypeError naming the layer and the argument (input_checks.py).
Forward hooks (`register_forward_pre_hook`, `register_forward_hook`) see, and
may replace, a module's inputs and output: the way to look at the
activations of a hidden layer without changing the model's code. Backward
hooks (`register_full_backward_pre_hook`, `register_full_backward_hook`) do
the same for the gradients at a module's outputs and inputs; how they reach
into the graph is in backward_hooks.py. How `state_dict` collects a model's
tensors, and how `load_state_dict` checks and copies values into them, is
in state_dict.py.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import numpy as np

from ..autograd.grad_mode import _state
from ..tensor import RemovableHandle, Tensor, parse_to
from ..warning import warn
from .backward_hooks import Grads, HookedCall
from .input_checks import explain_array_input
from .parameter import Parameter, is_lazy
from .state_dict import IncompatibleKeys, load_into, state_tensors


def _add_hook(hooks: list, entry: tuple, prepend: bool) -> RemovableHandle:
    if prepend:
        hooks.insert(0, entry)
    else:
        hooks.append(entry)
    return RemovableHandle(hooks, entry)


def _addindent(text: str, spaces: int) -> str:
    """Indent every line but the first (how PyTorch nests child reprs)."""
    lines = text.split("\n")
    if len(lines) == 1:
        return text
    return lines[0] + "\n" + "\n".join(" " * spaces + line for line in lines[1:])


def _check_name(owner: Module, name: Any, kind: str, store: dict) -> None:
    if not isinstance(name, str):
        raise TypeError(f"{kind} name should be a string. Got {type(name).__name__}")
    if "." in name:
        raise KeyError(f'{kind} name can\'t contain ".", got: {name}')
    if name == "":
        raise KeyError(f'{kind} name can\'t be empty string ""')
    if hasattr(owner, name) and name not in store:
        raise KeyError(f"attribute '{name}' already exists")


def _attribute(module: Module, name: str) -> Any:
    """``getattr(module, name)``, failing with the message of PyTorch's get_submodule family."""
    try:
        return getattr(module, name)
    except AttributeError:
        raise AttributeError(f"{module._get_name()} has no attribute `{name}`") from None


class Module:
    """Base class for all layers; subclasses call ``super().__init__()`` then assign layers.

    >>> class MLP(nn.Module):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.fc = nn.Linear(4, 2)
    ...     def forward(self, x):
    ...         return self.fc(x).relu()
    """

    training: bool
    call_super_init: bool = False  # (PyTorch's switch for passing __init__'s arguments up; always off)

    def __init__(self) -> None:
        object.__setattr__(self, "training", True)
        object.__setattr__(self, "_parameters", OrderedDict())
        object.__setattr__(self, "_buffers", OrderedDict())
        object.__setattr__(self, "_non_persistent_buffers", set())
        object.__setattr__(self, "_modules", OrderedDict())
        # (hook, with_kwargs) pairs, in the order they run
        object.__setattr__(self, "_forward_pre_hooks", [])
        object.__setattr__(self, "_forward_hooks", [])
        # (hook, is_pre_hook) pairs: full and pre-hooks in one list, so that a
        # call without backward hooks pays for one check only
        object.__setattr__(self, "_backward_hooks", [])

    # ------------------------------------------------------------ registration

    def __setattr__(self, name: str, value: Any) -> None:
        params = self.__dict__.get("_parameters")
        modules = self.__dict__.get("_modules")
        buffers = self.__dict__.get("_buffers")
        before_init = "cannot assign parameters or modules before Module.__init__() call"
        if isinstance(value, Parameter):
            if params is None:
                raise AttributeError(before_init)
            self._forget(name, keep="_parameters")
            params[name] = value
        elif params is not None and name in params:
            if value is not None:
                raise TypeError(
                    f"cannot assign '{type(value).__name__}' as parameter '{name}' "
                    "(nn.Parameter or None expected)"
                )
            params[name] = None
        elif isinstance(value, Module):
            if modules is None:
                raise AttributeError(before_init)
            self._forget(name, keep="_modules")
            modules[name] = value
        elif modules is not None and name in modules:
            if value is not None:
                raise TypeError(
                    f"cannot assign '{type(value).__name__}' as child module '{name}' "
                    "(nn.Module or None expected)"
                )
            modules[name] = None
        elif buffers is not None and name in buffers:
            if value is not None and not isinstance(value, Tensor):
                raise TypeError(
                    f"cannot assign '{type(value).__name__}' as buffer '{name}' (Tensor or None expected)"
                )
            buffers[name] = value
        else:
            object.__setattr__(self, name, value)

    def __getattr__(self, name: str) -> Any:
        # Only reached when normal lookup fails: registered members live in the dicts.
        attributes = self.__dict__
        for store in ("_parameters", "_buffers", "_modules"):
            members = attributes.get(store)
            if members is not None and name in members:
                return members[name]
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def __delattr__(self, name: str) -> None:
        for store in ("_parameters", "_buffers", "_modules"):
            if name in self.__dict__[store]:
                del self.__dict__[store][name]
                self._non_persistent_buffers.discard(name)
                return
        object.__delattr__(self, name)

    def _forget(self, name: str, keep: str) -> None:
        """Remove `name` from wherever it is, before registering it in the store `keep`.

        In `keep` itself it stays put, so replacing a parameter keeps its place
        in `parameters()` and `state_dict()`, as in PyTorch.
        """
        self.__dict__.pop(name, None)
        for store in ("_parameters", "_buffers", "_modules"):
            if store != keep:
                self.__dict__[store].pop(name, None)
        self._non_persistent_buffers.discard(name)

    def register_parameter(self, name: str, param: Parameter | None) -> None:
        """Add a parameter (or a None placeholder, as Linear does for bias=False)."""
        _check_name(self, name, "parameter", self._parameters)
        if param is not None and not isinstance(param, Parameter):
            raise TypeError(
                f"cannot assign '{type(param).__name__}' object to parameter '{name}' "
                "(nn.Parameter or None required)"
            )
        self._parameters[name] = param

    def register_buffer(self, name: str, tensor: Tensor | None, persistent: bool = True) -> None:
        """Add non-learnable state; persistent buffers are saved in `state_dict`."""
        _check_name(self, name, "buffer", self._buffers)
        if tensor is not None and not isinstance(tensor, Tensor):
            raise TypeError(
                f"cannot assign '{type(tensor).__name__}' object to buffer '{name}' (Tensor or None required)"
            )
        self._buffers[name] = tensor
        if persistent:
            self._non_persistent_buffers.discard(name)
        else:
            self._non_persistent_buffers.add(name)

    def add_module(self, name: str, module: Module | None) -> None:
        """Register a child module under `name`."""
        if module is not None and not isinstance(module, Module):
            if isinstance(module, type) and issubclass(module, Module):  # nn.ReLU for nn.ReLU()
                raise TypeError(
                    f"{module.__name__} is a Module class, not a module: write {module.__name__}()"
                )
            raise TypeError(f"{type(module).__name__} is not a Module subclass")
        _check_name(self, name, "module", self._modules)
        self._modules[name] = module

    register_module = add_module

    # ------------------------------------------------------------ running

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        """The computation; every subclass defines it."""
        raise NotImplementedError(
            f'Module [{type(self).__name__}] is missing the required "forward" function'
        )

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        output: Any = None
        called: list[tuple] = []  # the always_call forward hooks that have run
        try:
            if self._forward_pre_hooks:
                args, kwargs = self._run_pre_hooks(args, kwargs)
            hooked = None
            if self._backward_hooks:
                hooked = HookedCall(self)  # hook nodes go around the positional inputs and the outputs
                args = hooked.wrap_inputs(args)
            previous = _state.scope
            _state.scope = self  # graph nodes made by forward record this module
            try:
                output = self.forward(*args, **kwargs)
            except (AttributeError, TypeError) as error:  # (free in Python 3.11 when nothing is raised)
                explain_array_input(self, args, error)  # a NumPy array given for a Tensor: say so
                raise
            finally:
                _state.scope = previous
            if self._forward_hooks:
                output = self._run_hooks(args, kwargs, output, called)
        except Exception:
            if self._forward_hooks:  # the hooks registered with always_call=True run all the same
                self._run_always_called(args, kwargs, output, called)
            raise
        if hooked is not None:
            output = hooked.wrap_outputs(output)
        return output

    def _run_pre_hooks(self, args: tuple, kwargs: dict) -> tuple[tuple, dict]:
        for hook, with_kwargs in list(self._forward_pre_hooks):  # (a copy: a hook may remove itself)
            if with_kwargs:
                result = hook(self, args, kwargs)
                if result is not None:
                    if not (isinstance(result, tuple) and len(result) == 2):
                        raise RuntimeError(
                            "forward pre-hook must return None or a tuple of (new_args, new_kwargs), "
                            f"but got {result}."
                        )
                    args, kwargs = result
            else:
                result = hook(self, args)
                if result is not None:
                    args = result if isinstance(result, tuple) else (result,)
        return args, kwargs

    def _run_hooks(self, args: tuple, kwargs: dict, output: Any, called: list) -> Any:
        for entry in list(self._forward_hooks):
            hook, with_kwargs, always_call = entry
            if always_call:
                called.append(entry)
            result = hook(self, args, kwargs, output) if with_kwargs else hook(self, args, output)
            if result is not None:
                output = result
        return output

    def _run_always_called(self, args: tuple, kwargs: dict, output: Any, called: list) -> None:
        """After forward (or a hook) raised: run the always_call hooks that have not run yet.

        `output` is None when forward itself failed. The first error is the one
        raised; one from such a hook is only reported, as a warning.
        """
        for entry in list(self._forward_hooks):
            hook, with_kwargs, always_call = entry
            if not always_call or any(entry is done for done in called):
                continue
            try:
                result = hook(self, args, kwargs, output) if with_kwargs else hook(self, args, output)
                output = output if result is None else result
            except Exception as error:
                warn(
                    f"forward hook with always_call=True raised {type(error).__name__}: {error}; "
                    "it was silenced, as forward had raised an error already"
                )

    def register_forward_pre_hook(
        self, hook: Callable[..., Any], *, prepend: bool = False, with_kwargs: bool = False
    ) -> RemovableHandle:
        """Call ``hook(module, args)`` before each forward; a non-None result replaces args.

        With ``with_kwargs=True`` the hook is ``hook(module, args, kwargs)`` and
        returns None or a new ``(args, kwargs)``. ``prepend=True`` runs it first.
        """
        return _add_hook(self._forward_pre_hooks, (hook, with_kwargs), prepend)

    def register_forward_hook(
        self,
        hook: Callable[..., Any],
        *,
        prepend: bool = False,
        with_kwargs: bool = False,
        always_call: bool = False,
    ) -> RemovableHandle:
        """Call ``hook(module, args, output)`` after each forward; a non-None result replaces output.

        With ``with_kwargs=True`` the hook is ``hook(module, args, kwargs, output)``.
        ``prepend=True`` runs it before the hooks already registered. With
        ``always_call=True`` it runs even when forward, a pre-hook or an
        earlier hook raises (``output`` is then None if forward did not
        finish), before the error goes on: a place to undo what a pre-hook set up.
        """
        return _add_hook(self._forward_hooks, (hook, with_kwargs, always_call), prepend)

    def register_full_backward_pre_hook(
        self, hook: Callable[[Module, Grads], Grads | None], prepend: bool = False
    ) -> RemovableHandle:
        """Call ``hook(module, grad_output)`` once the gradients of this module's outputs are known.

        ``grad_output[j]`` is dL/d(output j), of that output's shape: one entry
        for a module that returns a Tensor, one per element when it returns a
        tuple, None for an element that is not a Tensor or got no gradient.
        A returned tuple of the same length replaces grad_output in the rest
        of backward (the module's parameters and inputs get the new one).
        The hook runs before `register_full_backward_hook`'s hooks, and
        ``prepend=True`` runs it before the pre-hooks already registered.

        While it is registered, forward sees (and the caller gets) read-only
        views of the module's tensors that require grad: changing them in
        place raises, as in PyTorch (which allows it inside ``no_grad``;
        here it raises there too).
        """
        return _add_hook(self._backward_hooks, (hook, True), prepend)

    def register_full_backward_hook(
        self, hook: Callable[[Module, Grads, Grads], Grads | None], prepend: bool = False
    ) -> RemovableHandle:
        """Call ``hook(module, grad_input, grad_output)`` once the gradients of the module's inputs are known.

        ``grad_input[i]`` is dL/d(args[i]) for the i-th positional argument of
        forward, of its shape (keyword arguments get none): zeros for a Tensor
        that does not require grad or got no gradient, None for an argument
        that is not a Tensor. ``grad_output`` is as in
        `register_full_backward_pre_hook`, after the pre-hooks. A returned
        tuple of the same length replaces grad_input: the inputs' producers
        (or the inputs' ``.grad``) receive it. When no input requires grad
        the hook runs with the output gradients instead, grad_input all None,
        and may return only None. ``prepend=True`` runs it first.

        While it is registered, forward sees (and the caller gets) read-only
        views of the module's tensors that require grad: changing them in
        place raises, as in PyTorch (which allows it inside ``no_grad``;
        here it raises there too).
        """
        return _add_hook(self._backward_hooks, (hook, False), prepend)

    # ------------------------------------------------------------ walking

    def named_modules(
        self, memo: set | None = None, prefix: str = "", remove_duplicate: bool = True
    ) -> Iterator[tuple[str, Module]]:
        """(name, module) for this module and every descendant, depth first; "" names self."""
        if memo is None:
            memo = set()
        if remove_duplicate:
            if id(self) in memo:
                return
            memo.add(id(self))
        yield prefix, self
        for name, module in self._modules.items():
            if module is None:
                continue
            sub = prefix + ("." if prefix else "") + name
            yield from module.named_modules(memo, sub, remove_duplicate)

    def modules(self) -> Iterator[Module]:
        for _, module in self.named_modules():
            yield module

    def named_children(self) -> Iterator[tuple[str, Module]]:
        seen = set()
        for name, module in self._modules.items():
            if module is not None and id(module) not in seen:
                seen.add(id(module))
                yield name, module

    def children(self) -> Iterator[Module]:
        for _, module in self.named_children():
            yield module

    def get_submodule(self, target: str) -> Module:
        """The module at the dotted path `target`, named as in `named_modules` ("inner.1"); "" is self.

        Walks one attribute at a time, so it costs the depth of the path, not
        the size of the model. AttributeError names the first step that fails.
        """
        module = self
        if target == "":
            return module
        for name in target.split("."):
            module = _attribute(module, name)
            if not isinstance(module, Module):
                raise AttributeError(f"`{name}` is not an nn.Module")
        return module

    def get_parameter(self, target: str) -> Parameter:
        """The parameter at the dotted path `target`, named as in `named_parameters` ("inner.0.weight")."""
        _, name, value = self._get_member(target)
        if not isinstance(value, Parameter):
            raise AttributeError(f"`{name}` is not an nn.Parameter")
        return value

    def get_buffer(self, target: str) -> Tensor:
        """The buffer at the dotted path `target`, named as in `named_buffers` ("norm.running_mean")."""
        owner, name, value = self._get_member(target)
        if name not in owner._buffers:
            raise AttributeError(f"`{name}` is not a buffer")
        return value

    def _get_member(self, target: str) -> tuple[Module, str, Any]:
        """The module that holds the last name of `target`, that name, and what it holds under it."""
        path, _, name = target.rpartition(".")
        owner = self.get_submodule(path)
        return owner, name, _attribute(owner, name)

    def _named_members(
        self, store: str, prefix: str, recurse: bool, remove_duplicate: bool = True
    ) -> Iterator[tuple[str, Tensor]]:
        # ids, not the tensors: Tensor.__eq__ is elementwise, so sets of tensors misbehave
        seen: set[int] = set()
        owners = (
            self.named_modules(prefix=prefix, remove_duplicate=remove_duplicate)
            if recurse
            else [(prefix, self)]
        )
        for owner_prefix, owner in owners:
            for name, value in owner.__dict__[store].items():
                if value is None or (remove_duplicate and id(value) in seen):
                    continue
                seen.add(id(value))
                yield owner_prefix + ("." if owner_prefix else "") + name, value

    def named_parameters(
        self, prefix: str = "", recurse: bool = True, remove_duplicate: bool = True
    ) -> Iterator[tuple[str, Parameter]]:
        """(name, parameter) pairs, named by attribute path as in PyTorch ("0.weight"); shared ones once."""
        yield from self._named_members("_parameters", prefix, recurse, remove_duplicate)  # type: ignore[misc]

    def parameters(self, recurse: bool = True) -> Iterator[Parameter]:
        for _, param in self.named_parameters(recurse=recurse):
            yield param

    def named_buffers(
        self, prefix: str = "", recurse: bool = True, remove_duplicate: bool = True
    ) -> Iterator[tuple[str, Tensor]]:
        yield from self._named_members("_buffers", prefix, recurse, remove_duplicate)

    def buffers(self, recurse: bool = True) -> Iterator[Tensor]:
        for _, buffer in self.named_buffers(recurse=recurse):
            yield buffer

    def apply(self, fn: Callable[[Module], None]) -> Module:
        """Call fn on every child (recursively), then on self; returns self."""
        for module in self.children():
            module.apply(fn)
        fn(self)
        return self

    def to(self, *args: Any, dtype: Any = None, device: Any = None, non_blocking: bool = False) -> Module:
        """Cast every float parameter and buffer (and gradient) to `dtype`, in place; returns self.

        Takes the forms of `Tensor.to`: ``to(dtype)``, ``to(device)``,
        ``to(device, dtype)``, ``to(tensor)`` and keywords. The parameters stay
        the same objects, so an optimizer made before still holds them. The
        only device is the CPU.
        """
        dtype = parse_to(args, dtype, device)
        if dtype is None:
            return self
        if dtype.kind != "f":
            raise TypeError(f"Module.to only accepts floating point dtypes, but got desired dtype={dtype}")
        for tensor in [*self.parameters(), *self.buffers()]:
            if tensor.dtype.kind == "f" and is_lazy(tensor):  # no values yet: the dtype to make them in
                tensor._retype(dtype)
            elif tensor.dtype.kind == "f":
                tensor.data = tensor.data.astype(dtype, copy=False)
                if tensor._grad is not None:
                    tensor._grad = Tensor._wrap(tensor._grad.data.astype(dtype, copy=False))
        return self

    def cpu(self) -> Module:
        """Itself: every parameter already lives in the CPU's memory."""
        return self

    def float(self) -> Module:
        """Same as ``to(float32)``."""
        return self.to(np.float32)

    def double(self) -> Module:
        """Same as ``to(float64)``."""
        return self.to(np.float64)

    def half(self) -> Module:
        """Same as ``to(float16)``."""
        return self.to(np.float16)

    def share_memory(self) -> Module:
        """Itself: with no worker processes, the arrays need no shared memory."""
        return self

    # ------------------------------------------------------------ modes and gradients

    def train(self, mode: bool = True) -> Module:
        """Set training mode here and in every descendant (Dropout reads it); returns self."""
        if not isinstance(mode, bool):
            raise ValueError("training mode is expected to be boolean")
        self.training = mode
        for module in self.children():
            module.train(mode)
        return self

    def eval(self) -> Module:
        """Same as ``train(False)``."""
        return self.train(False)

    def requires_grad_(self, requires_grad: bool = True) -> Module:
        for param in self.parameters():
            param.requires_grad_(requires_grad)
        return self

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Clear every parameter's `.grad`: to None, or to zeros in place (as `Optimizer.zero_grad`)."""
        for param in self.parameters():
            param._clear_grad(set_to_none)

    # ------------------------------------------------------------ state dict (state_dict.py)

    def state_dict(
        self, *args: Any, destination: Any = None, prefix: str = "", keep_vars: bool = False
    ) -> dict[str, Any]:
        """The NumPy arrays behind the parameters and buffers by key (the Tensors with keep_vars=True).

        Not copies, as in PyTorch: the arrays follow training. Take a snapshot
        (of the best model so far, say) with ``copy.deepcopy(model.state_dict())``.
        NOTE: writing into them, like writing into ``.data``, bypasses autograd's
        version checks; load values with `load_state_dict` instead.
        ``destination``, a dict, receives the entries and is returned, as in
        PyTorch; so are PyTorch's deprecated positional arguments
        ``(destination, prefix, keep_vars)``, with its FutureWarning.
        """
        if args:
            if len(args) > 3:
                raise TypeError(f"state_dict() takes at most 3 positional arguments ({len(args)} given)")
            warn(
                "Positional args are being deprecated, use kwargs instead: "
                "state_dict(destination=..., prefix=..., keep_vars=...)",
                FutureWarning,
            )
            given: list[Any] = [*args, *[destination, prefix, keep_vars][len(args) :]]
            destination, prefix, keep_vars = given
        tensors = state_tensors(self, prefix)
        out = OrderedDict() if destination is None else destination
        for key, tensor in tensors.items():
            # (an uninitialized parameter of a lazy layer has no array: it stands for itself, as in PyTorch)
            out[key] = tensor if keep_vars or is_lazy(tensor) else tensor.data
        return out

    def load_state_dict(
        self, state_dict: Mapping[str, Any], strict: bool = True, assign: bool = False
    ) -> IncompatibleKeys:
        """Copy values into the parameters and buffers, in place; nothing changes if any check fails.

        Values must be Tensors or arrays: NumPy's, or anything with ``__array__``,
        so ``model.load_state_dict(torch_model.state_dict())`` works (a list is
        refused, as PyTorch refuses it). Raises RuntimeError listing missing and
        unexpected keys (when strict), values of the wrong type and shape
        mismatches (always). Returns (missing_keys, unexpected_keys).
        ``assign=True`` puts the loaded tensors in place of the old ones instead
        of copying into them (see state_dict.py).
        """
        return load_into(self, state_dict, strict, assign)

    # ------------------------------------------------------------ printing

    def extra_repr(self) -> str:
        """The text inside this module's parentheses in repr; layers override it."""
        return ""

    def _get_name(self) -> str:
        return type(self).__name__

    def __repr__(self) -> str:
        extra = self.extra_repr()
        extra_lines = extra.split("\n") if extra else []
        child_lines = [f"({name}): " + _addindent(repr(module), 2) for name, module in self._modules.items()]
        lines = extra_lines + child_lines
        text = self._get_name() + "("
        if lines:
            if len(extra_lines) == 1 and not child_lines:
                text += extra_lines[0]
            else:
                text += "\n  " + "\n  ".join(lines) + "\n"
        return text + ")"

    def __dir__(self) -> list[str]:
        members = list(self._parameters) + list(self._buffers) + list(self._modules)
        # not "0", "1", ...: no attribute syntax reaches them (PyTorch leaves them out too)
        return sorted(key for key in set(super().__dir__()) | set(members) if not key[0].isdigit())
