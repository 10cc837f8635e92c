"""Turning samples into batches: `default_collate` and `default_convert`, as in ``torch.utils.data``.

A `DataLoader` (data.py) reads ``batch_size`` samples and hands the list to
its ``collate_fn``, `default_collate` unless given another; with
``batch_size=None`` it hands each sample to `default_convert` instead. A
sample can be a Tensor, an array, a number, or a tuple, list, dict or named
tuple of those, nested: both functions follow that structure and build the
same structure out of Tensors.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .factories import tensor
from .tensor import Tensor


def default_collate(samples: Sequence[Any]) -> Any:
    """Stack a list of samples into a batch, as PyTorch's ``default_collate``.

    Tensors, arrays and numbers are stacked along a new first dimension into
    one Tensor (Python ints become int64, Python floats float64, as in
    PyTorch); tuples and lists are collated element-wise into a list (a
    namedtuple into its own type, so ``batch.x`` works); dicts key by key;
    strings (and bytes) are returned as they come.
    """
    first = samples[0]
    if isinstance(first, (bool, int, float)):
        # Python numbers (anything else among them is refused): float64 when the first is a
        # float, as in PyTorch; else the dtype torch.tensor infers (an int among floats makes
        # a float batch, not a truncated one)
        return tensor(list(samples), dtype=np.float64 if isinstance(first, float) else None)
    if isinstance(first, (Tensor, np.ndarray, np.generic)):
        arrays = [s.data if isinstance(s, Tensor) else np.asarray(s) for s in samples]
        for i, array in enumerate(arrays):
            if array.shape != arrays[0].shape:
                raise RuntimeError(
                    f"default_collate: samples must have one shape to stack, got {arrays[0].shape} at "
                    f"entry 0 and {array.shape} at entry {i} (pass a collate_fn that pads them)"
                )
        return Tensor(np.stack(arrays))
    if isinstance(first, (str, bytes)):
        return samples
    if isinstance(first, dict):
        return {key: default_collate([s[key] for s in samples]) for key in first}
    if isinstance(first, (tuple, list)):
        if any(len(s) != len(first) for s in samples):
            raise RuntimeError("each element in list of batch should be of equal size")
        fields = [default_collate(field) for field in zip(*samples)]
        return type(first)(*fields) if hasattr(first, "_fields") else fields
    raise TypeError(f"default_collate cannot batch samples of type {type(first).__name__}")


def default_convert(sample: Any) -> Any:
    """Make the arrays in one sample Tensors, without batching, as PyTorch's ``default_convert``.

    What a :class:`DataLoader` with ``batch_size=None`` applies to each
    sample. NumPy arrays and scalars become Tensors (keeping their dtype);
    Tensors, Python numbers, strings and anything else are returned as they
    are; dicts are converted value by value, named tuples field by field
    (keeping their type), other tuples and lists element by element into a
    list. Arrays of strings or objects stay arrays, as no Tensor can hold them.
    """
    if isinstance(sample, (np.ndarray, np.generic)) and sample.dtype.kind not in "OSUV":
        return Tensor(np.asarray(sample))
    if isinstance(sample, dict):
        return {key: default_convert(value) for key, value in sample.items()}
    if isinstance(sample, tuple) and hasattr(sample, "_fields"):
        return type(sample)(*(default_convert(field) for field in sample))
    if isinstance(sample, (tuple, list)):
        return [default_convert(field) for field in sample]
    return sample
