"""What every linalg op checks first, and PyTorch's error for a matrix the method cannot handle.

`LinAlgError` is raised where the input has the right shape and dtype but
not the right values: a singular matrix given to inv or solve, a matrix that
is not positive-definite given to cholesky. As torch.linalg.LinAlgError, it is
a RuntimeError, so ``except RuntimeError`` catches it too.

The messages follow PyTorch's wording: for a batch, the first failing matrix
is named by its index in the batch flattened to one dim.
"""

from __future__ import annotations

import numpy as np

from ..tensor import Tensor


class LinAlgError(RuntimeError):
    """A matrix that the computation needs invertible (or positive-definite) is not."""


def check_matrices(
    a: object, op: str, *, square: bool = True, floating: bool = True, low_precision: bool = False
) -> Tensor:
    """`a` checked to be a (batch of) matrices, square and floating point unless told otherwise.

    NumPy's LAPACK routines have no float16, nor had PyTorch's on the CPU:
    float16 passes only where `low_precision` says the op is a plain sum or max.
    """
    if not isinstance(a, Tensor):
        raise TypeError(f"{op}(): argument 'A' (position 1) must be Tensor, not {type(a).__name__}")
    if a.ndim < 2:
        raise RuntimeError(f"{op}: The input tensor A must have at least 2 dimensions.")
    if floating:
        check_float(a, op, low_precision=low_precision)
    if square and a.shape[-1] != a.shape[-2]:
        rows, cols = a.shape[-2:]
        raise RuntimeError(
            f"{op}: A must be batches of square matrices, but they are {rows} by {cols} matrices"
        )
    return a


def check_float(a: Tensor, op: str, *, low_precision: bool = False) -> None:
    """Refuse integer and boolean tensors (and float16, unless `low_precision`), as PyTorch does."""
    if a.data.dtype.kind != "f":
        raise RuntimeError(f"{op}: Expected a floating point tensor as input. Got {a.dtype}")
    if a.data.dtype == np.float16 and not low_precision:
        raise RuntimeError(f"{op}: Low precision dtypes not supported. Got {a.dtype}")


def batch_element(failed: np.ndarray) -> str:
    """PyTorch's "(Batch element i): " for the first matrix marked in `failed`; "" for a single matrix."""
    found = np.flatnonzero(failed)
    if failed.ndim == 0 or found.size == 0:
        return ""
    return f"(Batch element {int(found[0])}): "


def singular_error(op: str, what: str, a: np.ndarray) -> LinAlgError:
    """The error for a singular matrix in `a`: NumPy found an exact zero pivot, where det is exactly 0."""
    return LinAlgError(
        f"{op}: {batch_element(np.linalg.det(a) == 0)}{what} because the input matrix is singular "
        f"(A of shape {a.shape})."
    )


def not_positive_definite_error(a: np.ndarray) -> LinAlgError:
    """cholesky's error, naming the first failing matrix and its smallest leading minor that is not
    positive-definite (what LAPACK stops at: the minors before it factorize)."""
    n = a.shape[-1]
    order = np.full(a.shape[:-2], n + 1)  # per matrix: the first failing order; n + 1 for none
    for k in range(1, n + 1):  # (a loop over the sizes of the leading minors)
        minor = np.tril(a[..., :k, :k])  # (the triangle that is read)
        nan = np.isnan(minor).any((-2, -1))  # a minor with a nan fails, as LAPACK's pivot test does
        smallest = np.linalg.eigvalsh(np.where(nan[..., None, None], 1.0, minor))[..., 0]
        order = np.where((order > n) & (nan | ~(smallest > 0)), k, order)
    failing = order <= n
    at = int(order.reshape(-1)[np.flatnonzero(failing)[0]]) if failing.any() else n
    return LinAlgError(
        f"linalg.cholesky: {batch_element(failing)}The factorization could not be completed because the "
        f"input is not positive-definite (the leading minor of order {at} is not positive-definite)."
    )
