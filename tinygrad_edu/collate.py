"""Turning samples into batches: `default_collate` and `default_convert`, as in ``torch.utils.data``.

A `DataLoader` (data.py) reads ``batch_size`` samples and hands the list to
its ``collate_fn``, `default_collate` unless given another; with
``batch_size=None`` it hands each sample to `default_convert` instead. A
sample can be a Tensor, an array, a number, or a tuple, list, dict or named
tuple of those, nested: both functions follow that structure and build the
same structure out of Tensors.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from .factories import tensor
from .ops.joining import stack
from .tensor import Tensor


def default_collate(batch: Sequence[Any]) -> Any:
    """Stack a list of samples into a batch, as PyTorch's ``default_collate``.

    Tensors are stacked along a new first dimension with `tg.stack` (so their
    dtypes promote as PyTorch's do, and a batch of tensors that need a
    gradient keeps its graph); arrays and NumPy numbers become Tensors first;
    Python ints become int64 and Python floats float64, as in PyTorch. Tuples
    and lists are collated element-wise into a list (a namedtuple into its
    own type, so ``batch.x`` works); dicts key by key, into the same kind of
    mapping; strings (and bytes) are returned as they come.
    """
    if isinstance(batch, Tensor):  # (a batch is a sequence of samples; stack refuses one tensor)
        raise TypeError("default_collate(): argument 'batch' must be a sequence of samples, not Tensor")
    first = batch[0]
    if isinstance(first, (bool, int, float)):
        # Python numbers (anything else among them is refused): float64 when the first is a
        # float, as in PyTorch; else the dtype torch.tensor infers (an int among floats makes
        # a float batch, not a truncated one)
        return tensor(list(batch), dtype=np.float64 if isinstance(first, float) else None)
    if isinstance(first, Tensor):
        for i, sample in enumerate(batch):
            if not isinstance(sample, Tensor):
                raise TypeError(
                    f"expected Tensor as element {i} in argument 0, but got {type(sample).__name__}"
                )
        return stack(list(batch))
    if isinstance(first, (np.ndarray, np.generic)):
        return stack([Tensor(np.asarray(sample)) for sample in batch])
    if isinstance(first, (str, bytes)):
        return batch
    if isinstance(first, Mapping):
        collated = {key: default_collate([sample[key] for sample in batch]) for key in first}
        try:  # the sample's own kind of mapping (an OrderedDict, a defaultdict), as PyTorch keeps it
            same_kind: Any = copy.copy(first)
            same_kind.update(collated)
            return same_kind
        except (TypeError, AttributeError):
            return collated
    if isinstance(first, (tuple, list)):
        if any(len(sample) != len(first) for sample in batch):
            raise RuntimeError("each element in list of batch should be of equal size")
        fields = [default_collate(field) for field in zip(*batch)]
        return type(first)(*fields) if hasattr(first, "_fields") else fields
    raise TypeError(f"default_collate cannot batch samples of type {type(first).__name__}")


def default_convert(data: Any) -> Any:
    """Make the arrays in one sample Tensors, without batching, as PyTorch's ``default_convert``.

    What a :class:`DataLoader` with ``batch_size=None`` applies to each
    sample. NumPy arrays and scalars become Tensors (keeping their dtype);
    Tensors, Python numbers, strings and anything else are returned as they
    are; dicts are converted value by value, named tuples field by field
    (keeping their type), other tuples and lists element by element into a
    list. Arrays of strings or objects stay arrays, as no Tensor can hold them.
    """
    if isinstance(data, (np.ndarray, np.generic)) and data.dtype.kind not in "OSUV":
        return Tensor(np.asarray(data))
    if isinstance(data, dict):
        return {key: default_convert(value) for key, value in data.items()}
    if isinstance(data, tuple) and hasattr(data, "_fields"):
        return type(data)(*(default_convert(field) for field in data))
    if isinstance(data, (tuple, list)):
        return [default_convert(field) for field in data]
    return data
