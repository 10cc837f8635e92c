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

This file holds what a reader learns first: registration, the call,
`parameters()`, training mode and `zero_grad`. The other methods come in
families, a file each, which `Module` inherits:

    module_hooks.py        register_forward_hook, register_full_backward_hook, ...
    module_walking.py      named_modules, children, buffers, apply, get_submodule, ...
    module_conversions.py  to, float, double, half, cpu, share_memory
    state_dict.py          state_dict, load_state_dict (and how they work)
    module_printing.py     repr, extra_repr, dir

Forward hooks (`register_forward_pre_hook`, `register_forward_hook`) see, and
may replace, a module's inputs and output: the way to look at the
activations of a hidden layer without changing the model's code. Backward
hooks (`register_full_backward_pre_hook`, `register_full_backward_hook`) do
the same for the gradients at a module's outputs and inputs; how they reach
into the graph is in backward_hooks.py.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from typing import Any

from ..autograd.grad_mode import _state
from ..tensor import Tensor
from . import module_conversions, module_hooks, module_printing, module_walking, state_dict
from .backward_hooks import HookedCall
from .input_checks import explain_array_input
from .parameter import Parameter


def _check_name(owner: Module, name: Any, kind: str, store: dict) -> None:
    if not isinstance(name, str):
        raise TypeError(f"{kind} name should be a string. Got {type(name).__name__}")
    if "." in name:
        raise KeyError(f'{kind} name can\'t contain ".", got: {name}')
    if name == "":
        raise KeyError(f'{kind} name can\'t be empty string ""')
    if hasattr(owner, name) and name not in store:
        raise KeyError(f"attribute '{name}' already exists")


# The families of methods, one file each (the list is in the docstring above):
class Module(
    module_hooks.ModuleHooks,  # register_forward_hook, register_full_backward_hook, ...
    module_walking.ModuleWalking,  # named_modules, children, buffers, apply, get_submodule, ...
    module_conversions.ModuleConversions,  # to, float, double, half, cpu, share_memory
    state_dict.ModuleStateDict,  # state_dict, load_state_dict
    module_printing.ModulePrinting,  # __repr__, extra_repr, __dir__
):
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

    # ------------------------------------------------------------ parameters (the walks: module_walking.py)

    def named_parameters(
        self, prefix: str = "", recurse: bool = True, remove_duplicate: bool = True
    ) -> Iterator[tuple[str, Parameter]]:
        """(name, parameter) pairs, named by attribute path as in PyTorch ("0.weight"); shared ones once."""
        yield from self._named_members("_parameters", prefix, recurse, remove_duplicate)  # type: ignore[misc]

    def parameters(self, recurse: bool = True) -> Iterator[Parameter]:
        for _, param in self.named_parameters(recurse=recurse):
            yield param

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


module_walking.finish_imports()  # (it needs Module itself, which it could not import before it existed)
