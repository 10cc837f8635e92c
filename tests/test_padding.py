"""Tests of nn.functional.pad: values against NumPy's np.pad (with the
negative amounts cropped by hand), gradients written out by hand and against
finite differences (first and second order), errors; and, when PyTorch is
installed, values, gradients and error types against PyTorch's F.pad."""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_edu as tg
import tinygrad_edu.nn.functional as F
from tinygrad_edu.testing import gradcheck, gradgradcheck

NUMPY_MODE = {"constant": "constant", "reflect": "reflect", "replicate": "edge", "circular": "wrap"}
rng = np.random.default_rng(7)


def reference(x: np.ndarray, pad: tuple[int, ...], mode: str, value: float = 0.0) -> np.ndarray:
    """np.pad grows by the positive amounts, a slice crops by the negative ones.

    Circular padding wraps around what is left after the crop, so it crops
    first; reflect and replicate copy from the whole input, so they grow first.
    """
    for i in range(len(pad) // 2):
        dim, left, right = x.ndim - 1 - i, pad[2 * i], pad[2 * i + 1]
        widths = [(0, 0)] * x.ndim
        widths[dim] = (max(left, 0), max(right, 0))
        options = {"constant_values": value} if mode == "constant" else {}

        def crop(a: np.ndarray) -> np.ndarray:
            end = a.shape[dim] - max(-right, 0)
            return a[(slice(None),) * dim + (slice(max(-left, 0), end),)]

        def grow(a: np.ndarray) -> np.ndarray:
            return np.pad(a, widths, mode=NUMPY_MODE[mode], **options)

        x = grow(crop(x)) if mode == "circular" else crop(grow(x))
    return x


CASES = [
    ("constant", (2, 3), (1, 2)),
    ("constant", (2, 3), (1, 2, 0, 1)),
    ("constant", (2, 3, 4), (-1, 2, 1, -1, 2, 0)),
    ("constant", (4,), (-2, -1)),
    ("constant", (2, 1, 2, 1, 2), (1, 0, 0, 1, 1, 1, 2, 0, 0, 1)),  # every dim of a 5-d input
    ("reflect", (2, 5), (2, 3)),
    ("reflect", (1, 2, 4, 5), (-1, 2, 3, -2)),
    ("reflect", (2, 3, 3, 4), (1, 1, 2, 0, 0, 2)),
    ("replicate", (2, 4), (3, 5)),
    ("replicate", (1, 2, 3, 4), (-2, 6, 1, 0)),
    ("replicate", (2, 2, 3, 2), (1, 2, 0, 3, 2, 1)),
    ("circular", (2, 5), (2, 3)),
    ("circular", (1, 3, 4), (-1, 2, 2, -1)),
    ("circular", (1, 2, 3, 2, 2), (2, 0, 1, 1, 0, 2)),
]


@pytest.mark.parametrize("mode, shape, pad", CASES)
def test_pad_matches_numpy(mode, shape, pad):
    x = rng.standard_normal(shape)
    value = 0.5 if mode == "constant" else None
    got = F.pad(tg.tensor(x), pad, mode=mode, value=value)
    np.testing.assert_array_equal(got.data, reference(x, pad, mode, value or 0.0))


def test_the_four_modes_on_one_row():
    row = tg.tensor([[1.0, 2.0, 3.0, 4.0]])
    assert F.pad(row, (2, 2)).tolist() == [[0, 0, 1, 2, 3, 4, 0, 0]]
    assert F.pad(row, (2, 2), value=-1.0).tolist() == [[-1, -1, 1, 2, 3, 4, -1, -1]]
    assert F.pad(row, (2, 2), mode="reflect").tolist() == [[3, 2, 1, 2, 3, 4, 3, 2]]
    assert F.pad(row, (2, 2), mode="replicate").tolist() == [[1, 1, 1, 2, 3, 4, 4, 4]]
    assert F.pad(row, (2, 2), mode="circular").tolist() == [[3, 4, 1, 2, 3, 4, 1, 2]]
    assert F.pad(row, (-1, -2)).tolist() == [[2]]  # negative amounts crop
    assert F.pad(row, (-1, 2), mode="reflect").tolist() == [[2, 3, 4, 3, 2]]  # from the whole row
    assert F.pad(row, (-1, 2), mode="circular").tolist() == [[2, 3, 4, 2, 3]]  # around what is left


def test_pad_keeps_the_dtype_and_returns_a_new_tensor():
    ints = tg.tensor([[1, 2], [3, 4]])
    padded = F.pad(ints, (1, 0), value=1.5)
    assert padded.dtype == np.int64 and padded.tolist() == [[1, 1, 2], [1, 3, 4]]  # as PyTorch: truncated
    x = tg.tensor([1.0, 2.0, 3.0])
    for pad in [(0, 0), (-1, 0), ()]:
        y = F.pad(x, pad)
        y += 10.0
        assert x.tolist() == [1.0, 2.0, 3.0]  # never a view of the input
    assert F.pad(tg.tensor(5.0), ()).item() == 5.0


def test_constant_pad_gradient_is_the_slice_over_the_input():
    x = tg.tensor(rng.standard_normal((2, 3, 4)), requires_grad=True)
    out = F.pad(x, (1, 2, -1, 1))  # last dim grows 1 + 2; the one before loses its first row, gains one
    assert out.shape == (2, 3, 7)
    upstream = rng.standard_normal(out.shape)
    out.backward(tg.tensor(upstream))
    want = np.zeros((2, 3, 4))
    want[:, 1:, :] = upstream[:, :2, 1:5]  # row 0 was cropped: no gradient
    np.testing.assert_array_equal(x.grad.data, want)


def test_reflect_gradient_adds_up_the_copies():
    x = tg.tensor([[1.0, 2.0, 3.0, 4.0]], requires_grad=True)
    out = F.pad(x, (2, 2), mode="reflect")  # copies c b a b c d c b
    g = np.arange(1.0, 9.0)  # g0 .. g7 = 1 .. 8
    out.backward(tg.tensor(g[None]))
    # a: g2;  b: g1 + g3 + g7;  c: g0 + g4 + g6;  d: g5
    assert x.grad.tolist() == [[3.0, 2 + 4 + 8, 1 + 5 + 7, 6.0]]


def test_circular_and_replicate_gradients_add_up_the_copies():
    x = tg.tensor([[1.0, 2.0, 3.0]], requires_grad=True)
    F.pad(x, (2, 1), mode="replicate").backward(tg.tensor([[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]]))
    assert x.grad.tolist() == [[1 + 2 + 3, 4.0, 5 + 6]]  # copies a a a b c c
    x.grad = None
    F.pad(x, (1, 2), mode="circular").backward(tg.tensor([[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]]))
    assert x.grad.tolist() == [[2 + 5, 3 + 6, 1 + 4]]  # copies c a b c a b


@pytest.mark.parametrize("mode, shape, pad", [case for case in CASES if np.prod(case[1]) <= 40])
def test_pad_first_and_second_derivatives(mode, shape, pad):
    x = tg.tensor(rng.standard_normal(shape), requires_grad=True)

    def fn(t):
        return F.pad(t, pad, mode=mode) ** 2  # squared, so the second derivative goes through pad

    assert gradcheck(fn, [x])
    assert gradgradcheck(fn, [x])


@pytest.mark.parametrize(
    "args, kwargs, error, message",
    [
        (((1,),), {}, RuntimeError, "^Padding length must be divisible by 2$"),
        (((1,) * 6,), {}, RuntimeError, "padding length 6 and input of dimension 2$"),
        (((1, 1),), {"mode": "zeros"}, NotImplementedError, "^Unrecognised padding mode zeros$"),
        (
            ((1, 1),),
            {"mode": "reflect", "value": 1.0},
            RuntimeError,
            '^Padding mode "reflect" doesn\'t take in value',
        ),
        (((1.5, 1),), {}, TypeError, "must be tuple of ints, but found element of type float at pos 0$"),
        ((tg.tensor([1, 1]),), {}, TypeError, "must be tuple of ints, not Tensor$"),
        (
            ((-2, -2),),
            {},
            RuntimeError,
            "^The input size 3, plus negative padding -2 and -2 resulted in a negative",
        ),
        (
            ((-4, 2),),
            {},
            RuntimeError,
            r"negative padding \(-4, 2\) removes more than the 3 elements of dimension 1",
        ),
        (
            ((3, 0),),
            {"mode": "reflect"},
            RuntimeError,
            r"less than the corresponding input dimension.*\(3, 0\)",
        ),
        (
            ((4, 0),),
            {"mode": "circular"},
            RuntimeError,
            "^Padding value causes wrapping around more than once.$",
        ),
        (((2, -2),), {"mode": "circular"}, RuntimeError, "wrapping around more than once"),  # 1 element left
        (((-4, -4),), {"mode": "circular"}, RuntimeError, "resulting in an empty dimension$"),
        (
            ((-2, -1),),
            {"mode": "replicate"},
            RuntimeError,
            r"^input \(W: 3\) is too small. Calculated output W: 0$",
        ),
        (
            ((1,) * 4,),
            {"mode": "replicate"},
            NotImplementedError,
            "Padding size 4 is not supported for 2D input",
        ),
    ],
)
def test_pad_errors(args, kwargs, error, message):
    with pytest.raises(error, match=message):
        F.pad(tg.zeros(2, 3), *args, **kwargs)


def test_pad_refuses_unsupported_dims_and_empty_inputs_as_pytorch():
    for shape in [(3,), (1, 1, 1, 1, 3)]:  # 1-d, and 5-d with one padded dim
        with pytest.raises(
            NotImplementedError, match=f"Padding size 2 is not supported for {len(shape)}D input"
        ):
            F.pad(tg.zeros(shape), (1, 1), mode="reflect")
    with pytest.raises(RuntimeError, match=r"non-zero dimensions for input, but got: \[2, 0, 3\]"):
        F.pad(tg.zeros(2, 0, 3), (1, 1), mode="replicate")
    assert F.pad(tg.zeros(0, 2, 3), (1, 1), mode="reflect").shape == (0, 2, 5)  # an empty batch is fine
    assert F.pad(tg.zeros(2, 3, 4), (-4, 0, 1, 1), mode="replicate").shape == (2, 5, 0)  # one empty dim


# ---------------------------------------------------------------- PyTorch, side by side


def random_case(mode: str) -> tuple[tuple[int, ...], list[int]]:
    """A shape and a pad that PyTorch accepts for `mode`, negative amounts included."""
    n_pairs = int(rng.integers(1, 4))
    shape = tuple(
        int(s) for s in rng.integers(2, 5, n_pairs + int(rng.integers(0 if mode == "constant" else 1, 3)))
    )
    pad = []
    for k in range(n_pairs):
        n = shape[-1 - k]
        high = {"reflect": n - 1, "circular": n // 2 - 1, "replicate": n + 2, "constant": n + 2}[mode]
        pad += [int(rng.integers(-(n // 2) + 1, high + 1)) for _ in range(2)]
    return shape, pad


@pytest.mark.parametrize("mode", list(NUMPY_MODE))
def test_pad_matches_torch_if_installed(mode):
    torch = pytest.importorskip("torch")
    for _ in range(40):
        shape, pad = random_case(mode)
        x = rng.standard_normal(shape)
        value = 0.25 if mode == "constant" else None
        theirs_x = torch.from_numpy(x).requires_grad_()
        theirs = torch.nn.functional.pad(theirs_x, pad, mode=mode, value=value)
        ours_x = tg.tensor(x, requires_grad=True)
        ours = F.pad(ours_x, pad, mode=mode, value=value)
        np.testing.assert_array_equal(ours.data, theirs.detach().numpy())
        upstream = rng.standard_normal(ours.shape)
        theirs.backward(torch.from_numpy(upstream))
        ours.backward(tg.tensor(upstream))
        np.testing.assert_allclose(ours_x.grad.data, theirs_x.grad.numpy(), rtol=1e-12, atol=1e-12)


def test_pad_error_types_match_torch_if_installed():
    torch = pytest.importorskip("torch")
    for shape, pad, mode, value in [
        ((2, 3), (1,), "constant", None),
        ((2, 3), (1,) * 6, "constant", None),
        ((2, 3), (1, 1), "zeros", None),
        ((2, 3), (1, 1), "reflect", 2.0),
        ((2, 3), (3, 0), "reflect", None),
        ((2, 3), (4, 0), "circular", None),
        ((2, 3), (-2, -1), "replicate", None),
        ((3,), (1, 1), "reflect", None),
        ((2, 0, 3), (1, 1), "replicate", None),
    ]:
        errors = []
        for lib, functional in [(tg, F), (torch, torch.nn.functional)]:
            with pytest.raises(Exception) as caught:
                functional.pad(lib.zeros(*shape), pad, mode=mode, value=value)
            errors.append(type(caught.value))
        assert errors[0] is errors[1], (shape, pad, mode)
