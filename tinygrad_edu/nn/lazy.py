"""Lazy layers: `LazyLinear`, `LazyConv1d`, ..., which read their input size off the first batch.

``nn.Linear(in_features, out_features)`` must be told in_features, the size
of what comes in, which after a stack of convolutions and a flatten is
tedious to work out by hand. ``nn.LazyLinear(out_features)`` takes it from
the first input it sees, and so do the lazy convolutions (in_channels) and
norms (num_features). It happens in three steps:

1. Construction builds the ordinary layer with size 0 (no random draws)
   and puts `UninitializedParameter`s (parameter.py) in place of its
   weights: objects with a dtype but no shape, which refuse to be computed with.
2. A forward pre-hook runs ``initialize_parameters(input)`` before the first
   forward: it reads the size off the input, `materialize`s each parameter
   (the same object becomes an ordinary Parameter of the right shape) and
   calls the ordinary layer's ``reset_parameters``. So the random draws are
   those of the ordinary layer of that size: after ``tg.manual_seed(s)``,
   ``LazyLinear(3)`` run on an (N, 5) input has the weights of ``Linear(5, 3)``.
3. The hook removes itself and the module's class becomes the ordinary one
   (``cls_to_become``): ``type(m) is nn.Linear``, and later calls cost nothing extra.

Because the parameters stay the same objects, an optimizer built before the
first forward keeps working (it skips them while they have no gradient),
and so does ``model.to(dtype)`` before it (the dtype they will be made in).
``load_state_dict`` into a lazy layer materializes its parameters with the
checkpoint's shapes (state_dict.py); the first forward then only checks the size.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from ..tensor import Tensor
from .batchnorm import BatchNorm1d, BatchNorm2d, _BatchNorm
from .conv import Conv1d, Conv2d
from .conv_transpose import ConvTranspose1d, ConvTranspose2d
from .input_checks import check_tensors, explain_array_input
from .instancenorm import InstanceNorm1d, InstanceNorm2d
from .linear import Linear
from .module import Module
from .parameter import UninitializedBuffer, UninitializedParameter, is_lazy

# mypy reads the mixin as the Module it is always mixed into; at run time it is a plain class
if TYPE_CHECKING:
    _MixinBase = Module
else:
    _MixinBase = object


class LazyModuleMixin(_MixinBase):
    """Makes a module lazy: its parameters get their shapes from the first input (see the module docstring).

    A subclass builds its parameters as `UninitializedParameter`s (and buffers
    as `UninitializedBuffer`s), defines ``initialize_parameters(*args, **kwargs)``,
    which gets forward's arguments and materializes them all, and may name
    ``cls_to_become``, the class the module takes once that is done.
    """

    cls_to_become: type[Module] | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._initialize_hook = self.register_forward_pre_hook(self._infer_parameters, with_kwargs=True)

    def initialize_parameters(self, *args: Any, **kwargs: Any) -> None:
        """Infer the sizes from forward's arguments and materialize every parameter and buffer."""
        raise NotImplementedError(f"initialize_parameters is not implemented for {type(self).__name__}")

    def has_uninitialized_params(self) -> bool:
        """Does this module (not its children) still hold a parameter or buffer without a shape?"""
        return any(is_lazy(tensor) for tensor in [*self._parameters.values(), *self._buffers.values()])

    def _infer_parameters(self, module: Module, args: tuple, kwargs: dict) -> None:
        """The forward pre-hook: initialize, then remove the hook and become ``cls_to_become``."""
        self.initialize_parameters(*args, **kwargs)
        if self.has_uninitialized_params():
            raise RuntimeError(f"module {self._get_name()} has not been fully initialized")
        self._initialize_hook.remove()
        del self._initialize_hook
        if self.cls_to_become is not None:
            self.__class__ = self.cls_to_become  # type: ignore[assignment]


def _check_tensor(module: Module, input: Any) -> None:
    """Refuse an input that is not a Tensor, before anything changes, in the ordinary layer's words."""
    if not isinstance(input, Tensor):
        explain_array_input(module, (input,), TypeError())  # a NumPy array (or a list): say so
        check_tensors(module._get_name(), ("input",), (input,), required=1)


# ---------------------------------------------------------------- linear


class LazyLinear(LazyModuleMixin, Linear):
    """A `Linear` whose in_features is inferred from the first input's last dim.

    Shape:
        input (*, in_features) -> output (*, out_features)

    Until the first forward, weight and bias are `UninitializedParameter`s
    (and ``in_features`` is 0); then it becomes a `Linear`, initialized as one.
    """

    cls_to_become = Linear

    def __init__(self, out_features: int, bias: bool = True, device: Any = None, dtype: Any = None) -> None:
        super().__init__(0, 0, False, device, dtype)  # (bias=False: no array made only to be replaced)
        self.weight = UninitializedParameter(device=device, dtype=dtype)
        self.out_features = out_features
        if bias:
            self.bias = UninitializedParameter(device=device, dtype=dtype)

    def reset_parameters(self) -> None:
        """Linear's initialization, once the parameters have their shapes."""
        if not self.has_uninitialized_params() and self.in_features != 0:
            super().reset_parameters()

    def initialize_parameters(self, input: Tensor) -> None:
        """in_features = input.shape[-1]; weight (out_features, in_features), bias (out_features,)."""
        _check_tensor(self, input)
        if input.ndim == 0:
            raise RuntimeError(
                f"{self._get_name()} infers in_features from the input's last dim, got a 0-D input"
            )
        in_features = input.shape[-1]
        if self.has_uninitialized_params():
            self.weight.materialize((self.out_features, in_features))
            if self.bias is not None:
                self.bias.materialize((self.out_features,))
            self.in_features = in_features
            self.reset_parameters()
        elif self.in_features == 0:  # loaded from a state_dict: the weight already has its size
            if in_features != self.weight.shape[-1]:
                raise AssertionError(
                    f"The in_features inferred from input: {in_features} is not equal to in_features "
                    f"from self.weight: {self.weight.shape[-1]}"
                )
            self.in_features = in_features


# ---------------------------------------------------------------- convolutions


class _LazyConvXdMixin(LazyModuleMixin):
    """What the lazy convolutions share: in_channels from dim 1 of a batch, or dim 0 of one example."""

    _dims: int
    _transposed = False  # (the transposed convolutions' weight is (C_in, C_out / groups, *kernel))

    def reset_parameters(self) -> None:
        """The convolution's initialization, once the parameters have their shapes."""
        if not self.has_uninitialized_params() and self.in_channels != 0:
            super().reset_parameters()  # type: ignore[misc]

    def initialize_parameters(self, input: Tensor, *args: Any, **kwargs: Any) -> None:
        """in_channels from the input; weight and bias of the ordinary layer's shapes."""
        dims = self._dims
        _check_tensor(self, input)
        if input.ndim not in (dims + 1, dims + 2):
            raise RuntimeError(
                f"Expected {dims + 1}D (unbatched) or {dims + 2}D (batched) input to {self._get_name()}, "
                f"but got input of size: {list(input.shape)}"
            )
        in_channels = input.shape[1] if input.ndim == dims + 2 else input.shape[0]
        if self.has_uninitialized_params():
            if in_channels % self.groups != 0:
                raise ValueError("in_channels must be divisible by groups")
            out, kernel = self.out_channels, self.kernel_size
            if self._transposed:
                self.weight.materialize((in_channels, out // self.groups, *kernel))
            else:
                self.weight.materialize((out, in_channels // self.groups, *kernel))
            if self.bias is not None:
                self.bias.materialize((out,))
            self.in_channels = in_channels
            self.reset_parameters()
        elif self.in_channels == 0:  # loaded from a state_dict: forward checks the weight's size
            self.in_channels = in_channels


class LazyConv1d(_LazyConvXdMixin, Conv1d):
    """A `Conv1d` whose in_channels is inferred from the first input: (N, C_in, L) or (C_in, L)."""

    cls_to_become = Conv1d

    def __init__(
        self,
        out_channels: int,
        kernel_size: int | tuple[int],
        stride: int | tuple[int] = 1,
        padding: str | int | tuple[int] = 0,
        dilation: int | tuple[int] = 1,
        groups: int = 1,
        bias: bool = True,
        padding_mode: str = "zeros",
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__(
            0, 0, kernel_size, stride, padding, dilation, groups, False, padding_mode, device, dtype
        )
        _lazy_weight_and_bias(self, out_channels, bias, device, dtype)


class LazyConv2d(_LazyConvXdMixin, Conv2d):
    """A `Conv2d` whose in_channels is inferred from the first input: (N, C_in, H, W) or (C_in, H, W)."""

    cls_to_become = Conv2d

    def __init__(
        self,
        out_channels: int,
        kernel_size: int | tuple[int, int],
        stride: int | tuple[int, int] = 1,
        padding: str | int | tuple[int, int] = 0,
        dilation: int | tuple[int, int] = 1,
        groups: int = 1,
        bias: bool = True,
        padding_mode: str = "zeros",
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__(
            0, 0, kernel_size, stride, padding, dilation, groups, False, padding_mode, device, dtype
        )
        _lazy_weight_and_bias(self, out_channels, bias, device, dtype)


class LazyConvTranspose1d(_LazyConvXdMixin, ConvTranspose1d):
    """A `ConvTranspose1d` whose in_channels is inferred from the first input: (N, C_in, L) or (C_in, L)."""

    cls_to_become = ConvTranspose1d
    _transposed = True

    def __init__(
        self,
        out_channels: int,
        kernel_size: int | tuple[int],
        stride: int | tuple[int] = 1,
        padding: int | tuple[int] = 0,
        output_padding: int | tuple[int] = 0,
        groups: int = 1,
        bias: bool = True,
        dilation: int | tuple[int] = 1,
        padding_mode: str = "zeros",
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__(
            0, 0, kernel_size, stride, padding, output_padding, groups, False, dilation, padding_mode,
            device, dtype,
        )  # fmt: skip
        _lazy_weight_and_bias(self, out_channels, bias, device, dtype)


class LazyConvTranspose2d(_LazyConvXdMixin, ConvTranspose2d):
    """A `ConvTranspose2d` whose in_channels comes from the first input: (N, C_in, H, W) or (C_in, H, W)."""

    cls_to_become = ConvTranspose2d
    _transposed = True

    def __init__(
        self,
        out_channels: int,
        kernel_size: int | tuple[int, int],
        stride: int | tuple[int, int] = 1,
        padding: int | tuple[int, int] = 0,
        output_padding: int | tuple[int, int] = 0,
        groups: int = 1,
        bias: bool = True,
        dilation: int | tuple[int, int] = 1,
        padding_mode: str = "zeros",
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__(
            0, 0, kernel_size, stride, padding, output_padding, groups, False, dilation, padding_mode,
            device, dtype,
        )  # fmt: skip
        _lazy_weight_and_bias(self, out_channels, bias, device, dtype)


def _lazy_weight_and_bias(module: Module, out_channels: int, bias: bool, device: Any, dtype: Any) -> None:
    """A lazy convolution's weight and bias, in place of the size-0 ones, and its real out_channels."""
    module.weight = UninitializedParameter(device=device, dtype=dtype)
    module.out_channels = out_channels
    if bias:
        module.bias = UninitializedParameter(device=device, dtype=dtype)


# ---------------------------------------------------------------- norms


class _LazyNormBase(LazyModuleMixin, _BatchNorm):
    """What the lazy batch and instance norms share: num_features from the input's channel dim.

    Unlike the ordinary InstanceNorm1d/2d, the lazy instance norms default
    to affine=True and track_running_stats=True, as PyTorch's do.
    """

    def __init__(
        self,
        eps: float = 1e-5,
        momentum: float | None = 0.1,
        affine: bool = True,
        track_running_stats: bool = True,
        device: Any = None,
        dtype: Any = None,
        *,
        bias: bool = True,
    ) -> None:
        # (affine, track_running_stats and bias off: no arrays made only to be replaced)
        super().__init__(0, eps, momentum, False, False, device, dtype, bias=False)
        self.affine, self.track_running_stats = affine, track_running_stats
        if affine:
            self.weight = UninitializedParameter(device=device, dtype=dtype)
            if bias:
                self.bias = UninitializedParameter(device=device, dtype=dtype)
        if track_running_stats:
            self.running_mean = UninitializedBuffer(device=device, dtype=dtype)
            self.running_var = UninitializedBuffer(device=device, dtype=dtype)
            self.num_batches_tracked = Tensor(np.array(0, dtype=np.int64))

    def reset_parameters(self) -> None:
        """The norm's initialization (running statistics, weight and bias), once they have their shapes."""
        if not self.has_uninitialized_params() and self.num_features != 0:
            super().reset_parameters()

    def _channel_dim(self, input: Tensor) -> int:
        return 1

    def initialize_parameters(self, input: Tensor) -> None:
        """num_features from the input's channels; weight, bias and running statistics (num_features,)."""
        _check_tensor(self, input)
        self._check_input_dim(input)  # (the ordinary layer's check of the rank)
        num_features = input.shape[self._channel_dim(input)]
        if self.has_uninitialized_params():
            for tensor in [self.weight, self.bias, self.running_mean, self.running_var]:
                if tensor is not None:
                    tensor.materialize((num_features,))
            self.num_features = num_features
            self.reset_parameters()
        elif self.num_features == 0:  # loaded from a state_dict, or nothing to learn: forward checks sizes
            self.num_features = num_features


class LazyBatchNorm1d(_LazyNormBase, BatchNorm1d):
    """A `BatchNorm1d` whose num_features is inferred from the first input: (N, C) or (N, C, L)."""

    cls_to_become = BatchNorm1d


class LazyBatchNorm2d(_LazyNormBase, BatchNorm2d):
    """A `BatchNorm2d` whose num_features is inferred from the first input: (N, C, H, W)."""

    cls_to_become = BatchNorm2d


class _LazyInstanceNorm(_LazyNormBase):
    _batched_ndim: int

    def _channel_dim(self, input: Tensor) -> int:
        return input.ndim - (self._batched_ndim - 1)  # 1, or 0 for one unbatched example


class LazyInstanceNorm1d(_LazyInstanceNorm, InstanceNorm1d):
    """An `InstanceNorm1d` whose num_features is inferred from the first input: (N, C, L) or (C, L)."""

    cls_to_become = InstanceNorm1d


class LazyInstanceNorm2d(_LazyInstanceNorm, InstanceNorm2d):
    """An `InstanceNorm2d` whose num_features is inferred from the first input: (N, C, H, W) or (C, H, W)."""

    cls_to_become = InstanceNorm2d
