"""Einstein summation: products, sums, traces and transposes of tensors, written as one equation.

``einsum("ij,jk->ik", a, b)`` names each dim of each operand with a letter.
The result has the dims named after "->", in that order; every other letter
is summed over, and the elements that share a letter are multiplied:

    y[i, k] = sum_j a[i, j] b[j, k]

Without "->" the result has the letters that appear once, in alphabetical
order (so "ij,jk" is "ij,jk->ik" and "ii" is a trace). "..." stands for the
dims that no letter names, broadcast between operands as in NumPy.

`Einsum` is the primitive. It takes equations in a plain form: no letter
twice in one operand, every letter of an operand also in the output or in
another operand, one size per letter. Its gradient then is an einsum of the
same form: for y = einsum(in_1, ..., in_n -> out),

    dL/d(operand k) = einsum(out, in_j for every j != k -> in_k)(dL/dy, the other operands)

and so second derivatives need nothing more. `einsum` brings any equation
to the plain form with recorded ops: a letter repeated in an operand takes
that operand's diagonal (indexing), a letter in one operand only and not in
the output is summed away (sum), and a dim of size 1 is expanded where
another operand has that letter larger (expand).
"""

from __future__ import annotations

import string
from collections.abc import Sequence

import numpy as np

from ..autograd.function import Function, Node
from ..tensor import Tensor

_LETTERS = string.ascii_letters  # PyTorch's subscripts: [a-zA-Z]


class Einsum(Function):
    """y = einsum(equation, *operands) for an equation in the plain form (module docstring);
    dL/d(operand k) = einsum(out, the other operands' subscripts -> in_k)(dL/dy, the other operands)"""

    @staticmethod
    def forward(ctx: Node, equation: str, *operands: np.ndarray) -> np.ndarray:
        ctx.equation = equation
        needs = ctx.needs_input_grad[1:]
        # each operand is a factor of the other operands' gradients
        ctx.save_for_backward(
            *[a if any(needs[:k] + needs[k + 1 :]) else None for k, a in enumerate(operands)]
        )
        # NumPy's optimize finds a good order of pairwise products, through BLAS where it can
        y = np.einsum(equation, *operands, optimize=len(operands) > 1)
        # one operand whose dims are only reordered comes back as a view: the result owns its memory
        return y.copy() if any(np.may_share_memory(y, a) for a in operands) else y

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> tuple[Tensor | None, ...]:
        inputs, output = ctx.equation.split("->")
        subscripts = inputs.split(",")
        operands = ctx.saved_tensors
        grads: list[Tensor | None] = [None]  # (the equation has no gradient)
        for k, need in enumerate(ctx.needs_input_grad[1:]):
            others = [j for j in range(len(subscripts)) if j != k]
            if need:
                equation = ",".join([output] + [subscripts[j] for j in others]) + "->" + subscripts[k]
                grads.append(Einsum.apply(equation, grad, *[operands[j] for j in others]))
            else:
                grads.append(None)
        return tuple(grads)


def einsum(equation: str, *operands: Tensor | Sequence[Tensor]) -> Tensor:
    """Sum of products of the operands' elements, as the equation says (tg.einsum).

    ``einsum("ij,jk->ik", a, b)`` is a @ b, ``einsum("bij,bjk->bik", a, b)``
    is bmm, ``einsum("ii", m)`` the trace, ``einsum("ii->i", m)`` the
    diagonal, ``einsum("i,j->ij", u, v)`` the outer product,
    ``einsum("...ij->...ji", x)`` a transpose of the last two dims. The
    operands may also come as one list, ``einsum("ij,jk", [a, b])``; all must
    have one dtype. (PyTorch's other form, operands each followed by a list
    of dim numbers, is not supported.)
    """
    tensors = _operands(equation, operands)
    shapes = [t.shape for t in tensors]
    subscripts, output, spare = _parse(equation, shapes)
    sizes = _letter_sizes(subscripts, shapes, spare)
    plain, letters = [], []
    for k, (t, labels) in enumerate(zip(tensors, subscripts)):
        t, labels = _diagonal(t, labels)
        elsewhere = set(output).union(*[s for j, s in enumerate(subscripts) if j != k])
        private = tuple(d for d, c in enumerate(labels) if c not in elsewhere)
        if private:
            t, labels = t.sum(private), "".join(c for c in labels if c in elsewhere)
        plain.append(t.expand(*[sizes[c] for c in labels]))
        letters.append(labels)
    return Einsum.apply(",".join(letters) + "->" + output, *plain)


def _operands(equation: str, operands: tuple) -> list[Tensor]:
    """The operands as a list of Tensors of one dtype (they may come as one list), or an error."""
    if not isinstance(equation, str):
        raise TypeError(
            f"einsum(): expected the equation string first, got {type(equation).__name__} "
            "(the form einsum(op1, [0, 1], op2, [1, 2]) is not supported)"
        )
    tensors = list(operands[0] if len(operands) == 1 and isinstance(operands[0], (list, tuple)) else operands)
    if not tensors:
        raise ValueError("einsum(): must specify the equation string and at least one operand")
    for i, t in enumerate(tensors):
        if not isinstance(t, Tensor):
            raise TypeError(f"einsum(): expected Tensor as operand {i}, but got {type(t).__name__}")
    if len({t.dtype for t in tensors}) > 1:
        dtypes = ", ".join(str(t.dtype) for t in tensors)
        raise RuntimeError(f"einsum(): expected all operands to have the same dtype, got {dtypes}")
    return tensors


def _parse(equation: str, shapes: list[tuple[int, ...]]) -> tuple[list[str], str, str]:
    """Each operand's subscripts and the output's, with every "..." written out as letters.

    Returns them and the letters that stand for the ellipsis dims (aligned
    from the right, as broadcasting aligns dims).
    """
    _check_characters(equation)
    lhs, arrow, rhs = equation.replace(" ", "").partition("->")
    if "-" in rhs or "," in rhs:
        raise RuntimeError(
            f"einsum(): the equation {equation!r} has more than one output ('->' or ',' after it)"
        )
    terms = lhs.split(",")
    if len(terms) != len(shapes):
        fewer = "fewer" if len(terms) > len(shapes) else "more"
        raise RuntimeError(
            f"einsum(): {fewer} operands were provided than specified in the equation {equation!r} "
            f"({len(shapes)} operands, {len(terms)} in the equation)"
        )
    covered = [_ellipsis_dims(term, shape, k) for k, (term, shape) in enumerate(zip(terms, shapes))]
    inputs = lhs.replace("...", "").replace(",", "")
    if arrow:
        _check_output(rhs, inputs)
    else:  # the ellipsis dims first, then the letters that appear once, in alphabetical order
        rhs = "..." + "".join(sorted(c for c in set(inputs) if inputs.count(c) == 1))
    spare = "".join(c for c in _LETTERS if c not in inputs)[: max(covered)]
    if len(spare) < max(covered):
        raise RuntimeError(f"einsum(): {equation!r} needs more than the 52 letters for its dims")
    subscripts = [term.replace("...", spare[len(spare) - n :]) for term, n in zip(terms, covered)]
    return subscripts, rhs.replace("...", spare), spare


def _check_characters(equation: str) -> None:
    """Refuse any character but letters, ",", ".", spaces and "->"."""
    for i, c in enumerate(equation):
        arrow = equation[i : i + 2] == "->" or (i > 0 and equation[i - 1 : i + 1] == "->")
        if not (c in _LETTERS or c in ",. " or arrow):
            raise RuntimeError(
                f"einsum(): invalid subscript given at index {i} in the equation string "
                f"{equation!r}, subscripts must be in [a-zA-Z]"
            )


def _ellipsis_dims(term: str, shape: tuple[int, ...], k: int) -> int:
    """How many dims the "..." of operand k's subscripts stands for (0 without one)."""
    named = _named(term, f"operand {k}")
    if "..." in term and len(named) > len(shape):
        raise RuntimeError(
            f"einsum(): the number of subscripts in the equation ({len(named)}) is more than the "
            f"number of dimensions ({len(shape)}) for operand {k} of shape {shape}"
        )
    if "..." not in term and len(named) != len(shape):
        raise RuntimeError(
            f"einsum(): the number of subscripts in the equation ({len(named)}) does not match the "
            f"number of dimensions ({len(shape)}) for operand {k} of shape {shape} and no ellipsis was given"
        )
    return len(shape) - len(named)


def _check_output(rhs: str, inputs: str) -> None:
    """Refuse output subscripts that repeat a letter or name one that no operand has."""
    for c in _named(rhs, "the output"):
        if rhs.count(c) > 1:
            raise RuntimeError(f"einsum(): output subscript {c} appears more than once in the output")
        if c not in inputs:
            raise RuntimeError(
                f"einsum(): output subscript {c} does not appear in the equation for any input operand"
            )


def _named(term: str, what: str) -> str:
    """The letters of one operand's subscripts, with its one ellipsis (if any) left out."""
    if term.count("...") > 1:
        raise RuntimeError(f"einsum(): found '.' for {what} for which an ellipsis was already found")
    letters = term.replace("...", "")
    if "." in letters:
        raise RuntimeError(f"einsum(): found '.' for {what} that is not part of any ellipsis")
    return letters


def _letter_sizes(subscripts: list[str], shapes: list[tuple[int, ...]], spare: str) -> dict[str, int]:
    """The size of each letter: the same wherever it appears, or 1 in some operands (broadcast)."""
    sizes: dict[str, int] = {}
    for k, (labels, shape) in enumerate(zip(subscripts, shapes)):
        own: dict[str, int] = {}
        for c, n in zip(labels, shape):
            if own.setdefault(c, n) != n:
                raise RuntimeError(
                    f"einsum(): subscript {c} is repeated for operand {k} but the sizes don't match, "
                    f"{own[c]} != {n} (shape {shape})"
                )
        for c, n in own.items():
            if sizes.get(c, 1) == 1:
                sizes[c] = n
            elif n not in (1, sizes[c]):
                what = "a dimension covered by the ellipsis" if c in spare else f"subscript {c}"
                raise RuntimeError(
                    f"einsum(): {what} has size {n} for operand {k} (shape {shape}) which does not "
                    f"broadcast with previously seen size {sizes[c]}"
                )
    return sizes


def _diagonal(t: Tensor, labels: str) -> tuple[Tensor, str]:
    """t's diagonal over each letter that `labels` repeats, and its letters then ("iij" -> "ij").

    The dims of a repeated letter are moved to the front and indexed with
    one arange for all of them: x[i, i, j] for every i, j.
    """
    for c in dict.fromkeys(labels):
        dims = [d for d, label in enumerate(labels) if label == c]
        if len(dims) > 1:
            rest = [d for d, label in enumerate(labels) if label != c]
            t = t.permute(*dims, *rest)[(np.arange(t.shape[dims[0]]),) * len(dims)]
            labels = c + "".join(labels[d] for d in rest)
    return t, labels
