"""The families of Tensor's methods, one file each; `Tensor` (tensor.py) inherits them all.

tensor.py holds what a reader learns first: how a tensor is made, its
attributes, conversions, autograd and the operators. The methods here are
one-line doors into the ops, grouped as PyTorch's documentation groups them:

    pointwise.py        exp, tanh, pow, floor, isnan, atan2, lerp, clamp, ...
    reductions.py       sum, mean, max, var, softmax, cumsum, all, argmax, ...
    searching.py        sort, topk, median, quantile, unique, nonzero, ...
    selection.py        where, masked_fill, gather, scatter, index_put, ...
    shapes.py           reshape, view, permute, expand, split, flip, roll, ...
    linear_algebra.py   matmul, mm, dot, addmm, kron, det, diagonal, trace, ...
    in_place_math.py    add_, exp_, clamp_, cumsum_, ... (x = f(x), in place)
    in_place_writes.py  fill_, copy_, index_put_, scatter_, t_, squeeze_, ...
    sampling.py         multinomial, bernoulli, uniform_, normal_, ...
    new_tensors.py      new_zeros, new_ones, new_full, new_tensor, ...

Each file is a class of methods only (a "mixin": `__slots__ = ()`, no fields,
no `__init__`), so a Tensor is laid out, and behaves, as if its class held
them all.

Two things follow from the split. The ops modules import tensor.py, which
imports these files before Tensor exists, so a file here cannot import the
ops (nor Tensor) when it is loaded: tensor.py calls each file's
`finish_imports()` once the class is made, and the `TYPE_CHECKING` imports
tell the type checker the same names. And each method says `self: Tensor`,
so that mypy checks it as a method of Tensor (the ops take Tensors, not
mixins); mypy refuses such a `self` in a class that is not Tensor's own
with an error of the code "misc", which the line at the top of each file
turns off for that file only.
"""
