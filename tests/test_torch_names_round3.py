"""PyTorch names added in round 3: gradient, the *_scatter ops, combinations, vander, unravel_index,
frexp, nextafter, renorm, the deprecated linalg names, histogram and the window functions.

Values against NumPy or formulas written out here, gradients against float64
finite differences (first and second order), and, where torch is installed,
values, dtypes, gradients and error types against torch.

Each function is imported from its own module in tinygrad_edu/ops/; the last
test checks that tg.<name> and the Tensor methods (x.select_scatter,
x.renorm, ...) are those functions.
"""

from __future__ import annotations

import itertools
import math
import warnings

import numpy as np
import pytest

import tinygrad_edu as tg
from tinygrad_edu import warning
from tinygrad_edu.ops.combinations import combinations
from tinygrad_edu.ops.deprecated_linalg import chain_matmul, frobenius_norm, nuclear_norm
from tinygrad_edu.ops.finite_differences import gradient
from tinygrad_edu.ops.flat_indices import unravel_index
from tinygrad_edu.ops.float_bits import frexp, nextafter
from tinygrad_edu.ops.histogram import histogram
from tinygrad_edu.ops.renorm import renorm
from tinygrad_edu.ops.scatter_views import diagonal_scatter, select_scatter, slice_scatter
from tinygrad_edu.ops.signal_windows import (
    bartlett_window,
    blackman_window,
    hamming_window,
    hann_window,
    kaiser_window,
)
from tinygrad_edu.ops.vandermonde import vander
from tinygrad_edu.testing import gradcheck, gradgradcheck

rng = np.random.default_rng(33)


def _both_orders(fn, *arrays: np.ndarray) -> None:
    inputs = [tg.tensor(a, requires_grad=True) for a in arrays]
    assert gradcheck(fn, inputs)
    assert gradgradcheck(fn, inputs)


def _torch():
    return pytest.importorskip("torch")


def _same_error(ours, theirs) -> None:
    """Both calls fail, with the same exception type."""
    with pytest.raises(Exception) as mine:
        ours()
    with pytest.raises(Exception) as torch_error:
        theirs()
    assert type(mine.value).__name__ == type(torch_error.value).__name__, (mine.value, torch_error.value)


# ---------------------------------------------------------------- gradient


def test_gradient_is_exact_for_polynomials_of_degree_up_to_edge_order():
    x = np.linspace(-2.0, 3.0, 11)
    h = x[1] - x[0]
    line, parabola = 3 * x - 1, 2 * x**2 - x + 4
    (d,) = gradient(tg.tensor(line), spacing=h)
    np.testing.assert_allclose(d.numpy(), np.full_like(x, 3.0), atol=1e-12)
    (d,) = gradient(tg.tensor(parabola), spacing=h, edge_order=2)
    np.testing.assert_allclose(d.numpy(), 4 * x - 1, atol=1e-12)
    # first-order edges are off for a parabola by h * f'' / 2 = 2h (the central inside is exact)
    (d,) = gradient(tg.tensor(parabola), spacing=h, edge_order=1)
    np.testing.assert_allclose(d.numpy()[1:-1], (4 * x - 1)[1:-1], atol=1e-12)
    np.testing.assert_allclose(d.numpy()[[0, -1]], [4 * x[0] - 1 + 2 * h, 4 * x[-1] - 1 - 2 * h], atol=1e-12)


def test_gradient_with_uneven_coordinates_is_exact_for_a_parabola():
    x = np.cumsum(rng.uniform(0.2, 1.5, 9))
    f = 1.5 * x**2 - 2 * x + 0.5
    (d,) = gradient(tg.tensor(f), spacing=[tg.tensor(x)], edge_order=2)
    np.testing.assert_allclose(d.numpy(), 3 * x - 2, rtol=1e-10, atol=1e-10)


def test_gradient_of_a_matrix_gives_one_tensor_per_dim_and_matches_numpy():
    a = rng.normal(size=(5, 6))
    for edge_order in (1, 2):
        d0, d1 = gradient(tg.tensor(a), spacing=[2.0, 0.5], edge_order=edge_order)
        n0, n1 = np.gradient(a, 2.0, 0.5, edge_order=edge_order)
        np.testing.assert_allclose(d0.numpy(), n0, atol=1e-12)
        np.testing.assert_allclose(d1.numpy(), n1, atol=1e-12)
    (only,) = gradient(tg.tensor(a), dim=-1)
    np.testing.assert_allclose(only.numpy(), np.gradient(a, axis=1), atol=1e-12)
    assert gradient(tg.tensor(3.0)) == ()


def test_gradient_dtypes():
    (d,) = gradient(tg.arange(5))
    assert d.dtype == tg.get_default_dtype()
    (d,) = gradient(tg.arange(4.0), spacing=[tg.tensor([0.0, 1.0, 3.0, 4.0], dtype=tg.float64)])
    assert d.dtype == tg.float64
    (d,) = gradient(tg.arange(4.0), spacing=[tg.tensor([0, 1, 3, 4])])
    assert d.dtype == tg.float32


def test_gradient_is_differentiable_in_input_and_coordinates():
    x = np.cumsum(rng.uniform(0.5, 1.5, 6))
    for edge_order in (1, 2):
        _both_orders(
            lambda f: gradient(f, spacing=1.5, dim=1, edge_order=edge_order)[0], rng.normal(size=(3, 6))
        )
        _both_orders(lambda f, c: gradient(f, spacing=[c], edge_order=edge_order)[0], rng.normal(size=6), x)


def test_gradient_errors():
    a = tg.zeros(3, 4)
    with pytest.raises(RuntimeError, match="edge_order=1 and edge_order=2"):
        gradient(a, edge_order=3)
    with pytest.raises(RuntimeError, match="at least edge_order\\+1"):
        gradient(tg.zeros(2, 4), edge_order=2)
    with pytest.raises(RuntimeError, match="list of length 3"):
        gradient(a, spacing=[1.0, 2.0, 3.0])
    with pytest.raises(RuntimeError, match="same length"):
        gradient(a, spacing=[1.0], dim=(0, 1))
    with pytest.raises(RuntimeError, match="appears multiple times"):
        gradient(a, dim=(0, 0))
    with pytest.raises(IndexError):
        gradient(a, dim=2)
    with pytest.raises(IndexError, match="no dimensions"):
        gradient(tg.tensor(1.0), dim=0)
    with pytest.raises(TypeError):
        gradient(a, spacing=[tg.arange(3.0), 2.0])
    with pytest.raises(RuntimeError, match="one dimension"):
        gradient(a, spacing=[tg.zeros(3, 1), tg.zeros(4)])
    with pytest.raises(RuntimeError, match="elements"):
        gradient(a, spacing=[tg.zeros(4), tg.zeros(4)])
    with pytest.raises(TypeError):
        gradient([1.0, 2.0])


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"edge_order": 2},
        {"spacing": 2.0},
        {"spacing": [2.0, 0.5]},
        {"dim": 1},
        {"dim": (1, 0), "spacing": 3},
    ],
)
def test_gradient_matches_torch(kwargs):
    torch = _torch()
    a = rng.normal(size=(5, 6))
    ours, theirs = gradient(tg.tensor(a), **kwargs), torch.gradient(torch.tensor(a), **kwargs)
    assert len(ours) == len(theirs)
    for o, t in zip(ours, theirs):
        np.testing.assert_allclose(o.numpy(), t.numpy(), atol=1e-12)
    c0, c1 = np.cumsum(rng.uniform(0.5, 2, 5)), np.cumsum(rng.uniform(0.5, 2, 6))
    for edge_order in (1, 2):
        ours = gradient(tg.tensor(a), spacing=[tg.tensor(c0), tg.tensor(c1)], edge_order=edge_order)
        theirs = torch.gradient(
            torch.tensor(a), spacing=[torch.tensor(c0), torch.tensor(c1)], edge_order=edge_order
        )
        for o, t in zip(ours, theirs):
            np.testing.assert_allclose(o.numpy(), t.numpy(), atol=1e-12)
    (o,), (t,) = gradient(tg.arange(5)), torch.gradient(torch.arange(5))
    assert str(o.dtype) == str(t.dtype).removeprefix("torch.")


# ---------------------------------------------------------------- select/slice/diagonal_scatter


def test_scatter_views_write_into_a_copy():
    x = rng.normal(size=(3, 4))
    xt = tg.tensor(x)
    y = select_scatter(xt, tg.tensor([9.0, 8, 7]), 1, -1)
    expected = x.copy()
    expected[:, -1] = [9, 8, 7]
    np.testing.assert_array_equal(y.numpy(), expected)
    np.testing.assert_array_equal(xt.numpy(), x)  # input unchanged
    y = slice_scatter(xt, tg.zeros(3, 2, dtype=tg.float64), 1, 0, None, 2)
    expected = x.copy()
    expected[:, ::2] = 0
    np.testing.assert_array_equal(y.numpy(), expected)
    y = diagonal_scatter(xt, tg.tensor([1.0, 2, 3]), 1)
    expected = x.copy()
    expected[[0, 1, 2], [1, 2, 3]] = [1, 2, 3]
    np.testing.assert_array_equal(y.numpy(), expected)
    assert select_scatter(tg.zeros(2, dtype=tg.int64), tg.tensor(2.7), 0, 0).dtype == tg.int64


def test_scatter_views_gradients_in_input_and_src():
    x = rng.normal(size=(3, 4, 2))
    _both_orders(lambda a, s: select_scatter(a, s, 1, 2) ** 2, x, rng.normal(size=(3, 2)))
    _both_orders(lambda a, s: slice_scatter(a, s, 1, 1, None, 2) ** 2, x, rng.normal(size=(3, 2, 2)))
    _both_orders(lambda a, s: diagonal_scatter(a, s, -1, 0, 1) ** 2, x, rng.normal(size=(2, 2)))


def test_scatter_views_errors():
    a = tg.zeros(2, 3)
    with pytest.raises(IndexError, match="out of range"):
        select_scatter(a, tg.ones(3), 0, 2)
    with pytest.raises(RuntimeError, match="src size = \\[2\\], slice size = \\[3\\]"):
        select_scatter(a, tg.ones(2), 0, 0)
    with pytest.raises(TypeError):
        select_scatter(a, 1.0, 0, 0)
    with pytest.raises(RuntimeError, match="slice step must be positive"):
        slice_scatter(a, tg.ones(2, 1), 1, 0, 1, 0)
    with pytest.raises(IndexError):
        slice_scatter(tg.tensor(1.0), tg.tensor(2.0))
    with pytest.raises(RuntimeError, match="cannot be identical"):
        diagonal_scatter(tg.zeros(3, 3), tg.ones(3), 0, 1, 1)
    with pytest.raises(RuntimeError, match="slice size"):
        diagonal_scatter(tg.zeros(3, 3), tg.ones(3), 1)


def test_scatter_views_match_torch():
    torch = _torch()
    x = rng.normal(size=(3, 4))
    cases = [
        ("select_scatter", (rng.normal(size=4), 0, -2)),
        ("slice_scatter", (rng.normal(size=(3, 2)), 1, -5, None, 2)),
        ("slice_scatter", (rng.normal(size=(3, 0)), 1, 7)),
        ("diagonal_scatter", (rng.normal(size=2), 2)),
        ("diagonal_scatter", (rng.normal(size=3), 0, 1, 0)),
    ]
    ours_fns = {
        "select_scatter": select_scatter,
        "slice_scatter": slice_scatter,
        "diagonal_scatter": diagonal_scatter,
    }
    for name, (src, *args) in cases:
        xo, so = tg.tensor(x, requires_grad=True), tg.tensor(src, requires_grad=True)
        xt, st = torch.tensor(x, requires_grad=True), torch.tensor(src, requires_grad=True)
        yo, yt = ours_fns[name](xo, so, *args), getattr(torch, name)(xt, st, *args)
        np.testing.assert_array_equal(yo.detach().numpy(), yt.detach().numpy())
        w = rng.normal(size=x.shape)
        (yo * tg.tensor(w)).sum().backward()
        (yt * torch.tensor(w)).sum().backward()
        np.testing.assert_array_equal(xo.grad.numpy(), xt.grad.numpy())
        np.testing.assert_array_equal(so.grad.numpy(), st.grad.numpy())
    bad_calls = [
        ("select_scatter", (2, 3), (3,), (0, -3)),
        ("select_scatter", (2, 3), (2,), (2, 0)),
        ("slice_scatter", (2, 3), (2, 2), (1, 0, 1)),
        ("diagonal_scatter", (3,), (3,), ()),
    ]
    for name, shape, src_shape, args in bad_calls:
        _same_error(
            lambda: ours_fns[name](tg.zeros(shape), tg.ones(src_shape), *args),
            lambda: getattr(torch, name)(torch.zeros(shape), torch.ones(src_shape), *args),
        )


# ---------------------------------------------------------------- combinations, vander


@pytest.mark.parametrize("r", [0, 1, 2, 3, 5])
@pytest.mark.parametrize("with_replacement", [False, True])
def test_combinations_lists_itertools_rows(r, with_replacement):
    v = np.array([1.5, -2.0, 3.0, 0.5])
    out = combinations(tg.tensor(v), r, with_replacement)
    if r == 0:
        assert out.shape == (0,)
        return
    pick = itertools.combinations_with_replacement if with_replacement else itertools.combinations
    expected = np.array(list(pick(v, r))).reshape(-1, r)
    np.testing.assert_array_equal(out.numpy(), expected)


def test_combinations_gradient_and_errors():
    _both_orders(lambda v: combinations(v, 2) ** 2, rng.normal(size=4))
    _both_orders(lambda v: combinations(v, 3, True) ** 2, rng.normal(size=3))
    with pytest.raises(RuntimeError, match="1D vector"):
        combinations(tg.ones(2, 2))
    with pytest.raises(RuntimeError, match="non-negative"):
        combinations(tg.ones(3), -1)
    with pytest.raises(TypeError):
        combinations(tg.ones(3), 2.0)


def test_combinations_match_torch():
    torch = _torch()
    for args in [(2,), (3,), (2, True), (5,), (0,)]:
        ours, theirs = combinations(tg.arange(4), *args), torch.combinations(torch.arange(4), *args)
        assert ours.shape == tuple(theirs.shape)
        np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


def test_vander_matches_numpy_and_its_gradient_is_exact_at_zero():
    x = np.array([0.0, 1.5, -2.0])
    for n in (None, 0, 1, 2, 5):
        for increasing in (False, True):
            np.testing.assert_allclose(
                vander(tg.tensor(x), n, increasing).numpy(), np.vander(x, n, increasing), rtol=1e-12
            )
    assert vander(tg.tensor([1, 2, 3], dtype=tg.int32)).dtype == tg.int64
    assert vander(tg.tensor([True, False])).dtype == tg.int64
    xt = tg.tensor(x, requires_grad=True)
    vander(xt, 4).sum().backward()  # d/dx (x^3 + x^2 + x + 1) = 3x^2 + 2x + 1
    np.testing.assert_allclose(xt.grad.numpy(), 3 * x**2 + 2 * x + 1, rtol=1e-12)
    _both_orders(lambda v: vander(v, 4, True), rng.normal(size=3))
    with pytest.raises(RuntimeError, match="one-dimensional"):
        vander(tg.ones(2, 2))
    with pytest.raises(RuntimeError, match="non-negative"):
        vander(tg.ones(2), -1)


def test_vander_matches_torch():
    torch = _torch()
    for data in ([1.0, 2.0, 3.0], [1, 2, 3]):
        for args in [(), (2,), (4, True), (0,)]:
            ours, theirs = vander(tg.tensor(data), *args), torch.vander(torch.tensor(data), *args)
            np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
            assert str(ours.dtype) == str(theirs.dtype).removeprefix("torch.")


# ---------------------------------------------------------------- unravel_index


def test_unravel_index_round_trips_with_ravel():
    shape = (3, 4, 5)
    flat = rng.integers(0, 60, size=(2, 7))
    coordinates = unravel_index(tg.tensor(flat), shape)
    assert len(coordinates) == 3
    assert all(c.shape == flat.shape and c.dtype == tg.int64 for c in coordinates)
    np.testing.assert_array_equal(np.ravel_multi_index([c.numpy() for c in coordinates], shape), flat)
    (only,) = unravel_index(tg.tensor(5), 7)
    assert only.shape == () and only.item() == 5
    assert unravel_index(tg.tensor([1, 2]), ()) == ()
    # out of range positions wrap as floor division and mod do
    rows, cols = unravel_index(tg.tensor([-1, 6]), (3, 2))
    assert rows.tolist() == [2, 0] and cols.tolist() == [1, 0]


def test_unravel_index_errors():
    with pytest.raises(TypeError, match="integer dtype"):
        unravel_index(tg.tensor([1.0]), (2, 2))
    with pytest.raises(TypeError, match="int or sequence"):
        unravel_index(tg.tensor([1]), tg.tensor([2, 2]))
    with pytest.raises(TypeError, match="only contain ints"):
        unravel_index(tg.tensor([1]), (2.0, 2))
    with pytest.raises(ValueError, match="negative"):
        unravel_index(tg.tensor([1]), (2, -2))
    with pytest.raises(RuntimeError):
        unravel_index(tg.tensor([1]), (2, 0))


def test_unravel_index_matches_torch():
    torch = _torch()
    for indices, shape in [([4, 1, -1, 6], (3, 2)), ([[7]], (2, 3, 4)), (5, 6), ([0, 3], [4])]:
        ours, theirs = (
            unravel_index(tg.tensor(indices), shape),
            torch.unravel_index(torch.tensor(indices), shape),
        )
        assert len(ours) == len(theirs)
        for o, t in zip(ours, theirs):
            np.testing.assert_array_equal(o.numpy(), t.numpy())
            assert o.shape == tuple(t.shape)
    for bad in [(tg.tensor([1.0]), (2,)), (tg.tensor([1]), (2, -1)), (tg.tensor([1]), (2.0,))]:
        _same_error(
            lambda b=bad: unravel_index(*b),
            lambda b=bad: torch.unravel_index(torch.tensor(b[0].numpy()), b[1]),
        )


# ---------------------------------------------------------------- frexp, nextafter


def test_frexp_splits_into_mantissa_and_exponent():
    x = np.array([0.0, 1.0, 8.0, -3.5, 1e-40, 1e-45, 3e38, np.inf, np.nan], dtype=np.float32)
    m, e = frexp(tg.tensor(x))
    assert m.dtype == tg.float32 and e.dtype == tg.int32
    finite = np.isfinite(x) & (x != 0)
    assert np.all((np.abs(m.numpy()[finite]) >= 0.5) & (np.abs(m.numpy()[finite]) < 1))
    np.testing.assert_array_equal(np.ldexp(m.numpy().astype(np.float64), e.numpy())[finite], x[finite])
    assert m.numpy()[0] == 0 and e.numpy()[0] == 0 and np.isinf(m.numpy()[7]) and np.isnan(m.numpy()[8])
    xt = tg.tensor([3.0, -20.0], requires_grad=True)
    frexp(xt).mantissa.sum().backward()  # m = x / 2^e: dm/dx = 2^-e
    np.testing.assert_array_equal(xt.grad.numpy(), [0.25, 1 / 32])
    with pytest.raises(RuntimeError, match="floating-point"):
        frexp(tg.tensor([1, 2]))


def test_nextafter_steps_one_float_and_passes_the_gradient_to_input():
    a, b = np.array([1.0, 0.0, -1.0, 5.0], np.float32), np.array([2.0, 1.0, -2.0, 5.0], np.float32)
    np.testing.assert_array_equal(nextafter(tg.tensor(a), tg.tensor(b)).numpy(), np.nextafter(a, b))
    assert nextafter(tg.tensor([1.0]), tg.tensor([2.0], dtype=tg.float64)).dtype == tg.float64
    assert nextafter(tg.tensor([1.0]), tg.tensor([2])).dtype == tg.float32
    with pytest.raises(NotImplementedError):
        nextafter(tg.tensor([1]), tg.tensor([2]))
    with pytest.raises(TypeError):
        nextafter(tg.tensor([1.0]), 2.0)
    x, o = tg.tensor([[1.0, 2.0]], requires_grad=True), tg.tensor([[3.0], [0.0]], requires_grad=True)
    y = nextafter(x, o)
    assert y.shape == (2, 2)
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [[2.0, 2.0]])
    np.testing.assert_array_equal(o.grad.numpy(), [[0.0], [0.0]])


def test_frexp_and_nextafter_match_torch():
    torch = _torch()
    x = np.array([0.0, -0.0, 1.0, -3.5, 1e-40, np.inf, np.nan], dtype=np.float32)
    for dtype in (np.float32, np.float64):
        (m, e), (mt, et) = frexp(tg.tensor(x.astype(dtype))), torch.frexp(torch.tensor(x.astype(dtype)))
        np.testing.assert_array_equal(m.numpy(), mt.numpy())
        np.testing.assert_array_equal(e.numpy(), et.numpy())
    a, b = rng.normal(size=(3, 1)), rng.normal(size=4)
    np.testing.assert_array_equal(
        nextafter(tg.tensor(a), tg.tensor(b)).numpy(),
        torch.nextafter(torch.tensor(a), torch.tensor(b)).numpy(),
    )


# ---------------------------------------------------------------- renorm


def test_renorm_caps_each_slice_norm():
    x = rng.normal(size=(4, 3, 2)) * 3
    x[2] = 0.1
    y = renorm(tg.tensor(x), 2, 0, 1.5).numpy()
    norms = np.sqrt((x**2).sum(axis=(1, 2)))
    for i, n in enumerate(norms):
        expected = x[i] * 1.5 / (n + 1e-7) if n > 1.5 else x[i]
        np.testing.assert_allclose(y[i], expected, rtol=1e-12)
    assert np.all(np.sqrt((y**2).sum(axis=(1, 2))) <= 1.5)
    _both_orders(lambda a: renorm(a, 2, 1, 1.0), rng.normal(size=(3, 4)) * 2)
    _both_orders(lambda a: renorm(a, 3, -1, 0.5), rng.normal(size=(2, 3)))


def test_renorm_errors():
    with pytest.raises(RuntimeError, match="at least 2 dimensions"):
        renorm(tg.ones(3), 2, 0, 1)
    with pytest.raises(RuntimeError, match="non-positive-norm"):
        renorm(tg.ones(3, 3), 0, 0, 1)
    with pytest.raises(RuntimeError, match="maxnorm to be >= 0"):
        renorm(tg.ones(3, 3), 2, 0, -1)
    with pytest.raises(IndexError):
        renorm(tg.ones(3, 3), 2, 2, 1)


@pytest.mark.parametrize(
    "p, dim, maxnorm", [(2, 0, 1.0), (1, 1, 0.5), (math.inf, -1, 1.0), (0.5, 0, 3.0), (2, 0, 0.0)]
)
def test_renorm_matches_torch(p, dim, maxnorm):
    torch = _torch()
    x = rng.normal(size=(3, 4, 2))
    x[1] = 0  # a zero slice: its gradient is finite in both
    w = rng.normal(size=x.shape)
    xo, xt = tg.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    yo, yt = renorm(xo, p, dim, maxnorm), torch.renorm(xt, p, dim, maxnorm)
    (yo * tg.tensor(w)).sum().backward()
    (yt * torch.tensor(w)).sum().backward()
    np.testing.assert_allclose(yo.detach().numpy(), yt.detach().numpy(), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(xo.grad.numpy(), xt.grad.numpy(), rtol=1e-10, atol=1e-12)


# ---------------------------------------------------------------- chain_matmul, frobenius_norm, nuclear_norm


@pytest.fixture
def fresh_warnings(monkeypatch):
    """No deprecation warning given yet in this run."""
    monkeypatch.setattr(warning, "GIVEN_ONCE", set())


def test_deprecated_linalg_values_and_warnings(fresh_warnings):
    mats = [rng.normal(size=s) for s in [(2, 3), (3, 4), (4, 2)]]
    with pytest.warns(UserWarning, match="chain_matmul is deprecated"):
        out = chain_matmul(*map(tg.tensor, mats))
    np.testing.assert_allclose(out.numpy(), mats[0] @ mats[1] @ mats[2], rtol=1e-12)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # once per run
        chain_matmul(tg.tensor(mats[0]), tg.tensor(mats[1]))
    a = rng.normal(size=(3, 4, 5))
    with pytest.warns(UserWarning, match="frobenius_norm is deprecated"):
        fro = frobenius_norm(tg.tensor(a), (1, 2))
    np.testing.assert_allclose(fro.numpy(), np.sqrt((a**2).sum(axis=(1, 2))), rtol=1e-12)
    with pytest.warns(UserWarning, match="nuclear_norm is deprecated"):
        nuc = nuclear_norm(tg.tensor(a))
    np.testing.assert_allclose(nuc.numpy(), np.linalg.svd(a, compute_uv=False).sum(-1), rtol=1e-12)
    assert nuclear_norm(tg.tensor(a[0]), True).shape == (1, 1)
    assert nuclear_norm(tg.tensor(a), (0, 2), True).shape == (1, 4, 1)
    assert frobenius_norm(tg.tensor(a), (), True).shape == (1, 1, 1)
    _both_orders(lambda x, y: chain_matmul(x, y, x.T), rng.normal(size=(2, 3)), rng.normal(size=(3, 3)))


def test_deprecated_linalg_errors(fresh_warnings):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(RuntimeError, match="one or more matrices"):
            chain_matmul()
        with pytest.raises(RuntimeError, match="Tensor dimension is 1, expected 2"):
            chain_matmul(tg.ones(3), tg.ones(3, 3))
        with pytest.raises(RuntimeError, match="at most 2 dimensions"):
            frobenius_norm(tg.ones(2, 2, 2), (0, 1, 2))
        with pytest.raises(RuntimeError, match="floating point"):
            frobenius_norm(tg.ones(2, dtype=tg.int64), 0)
        with pytest.raises(RuntimeError, match="2-tuple"):
            nuclear_norm(tg.ones(2, 2), (0,))
        one = tg.ones(2, 2)
        assert chain_matmul(one) is not one and chain_matmul(one).tolist() == one.tolist()


# ---------------------------------------------------------------- histogram


def test_histogram_matches_numpy():
    x = rng.normal(size=500)
    w = rng.uniform(size=500)
    for kwargs in [
        {},
        {"range": (-1.0, 2.0)},
        {"weight": w},
        {"density": True},
        {"weight": w, "density": True},
    ]:
        np_kwargs = {
            "range": kwargs.get("range"),
            "weights": kwargs.get("weight"),
            "density": kwargs.get("density"),
        }
        ours = histogram(
            tg.tensor(x),
            17,
            range=kwargs.get("range"),
            weight=None if "weight" not in kwargs else tg.tensor(w),
            density=kwargs.get("density", False),
        )
        hist, edges = np.histogram(x, 17, **np_kwargs)
        np.testing.assert_allclose(ours.hist.numpy(), hist, rtol=1e-12)
        np.testing.assert_allclose(ours.bin_edges.numpy(), edges, rtol=1e-12)
    edges = np.array([-3.0, -1.0, 0.0, 0.5, 3.0])
    ours = histogram(tg.tensor(x), tg.tensor(edges))
    np.testing.assert_array_equal(ours.hist.numpy(), np.histogram(x, edges)[0])
    ours = histogram(tg.ones(3), 2)  # one value v: the range (v - 0.5, v + 0.5)
    assert ours.bin_edges.tolist() == [0.5, 1.0, 1.5] and ours.hist.tolist() == [0.0, 3.0]
    assert ours.hist.dtype == tg.float32


def test_histogram_errors():
    x = tg.tensor([1.0, 2.0])
    with pytest.raises(NotImplementedError):
        histogram(tg.tensor([1, 2]), 3)
    with pytest.raises(RuntimeError, match="bins must be > 0"):
        histogram(x, 0)
    with pytest.raises(RuntimeError, match="min should not exceed max"):
        histogram(x, 2, range=(3.0, 0.0))
    with pytest.raises(RuntimeError, match="not finite"):
        histogram(tg.tensor([1.0, math.inf]), 2)
    with pytest.raises(RuntimeError, match="same dtype"):
        histogram(x, tg.tensor([0.0, 1.0], dtype=tg.float64))
    with pytest.raises(RuntimeError, match="same shape"):
        histogram(x, 2, weight=tg.ones(3))
    with pytest.raises(TypeError):
        histogram(x, 2.0)


def test_histogram_matches_torch():
    torch = _torch()
    x = rng.normal(size=300).astype(np.float32)
    for bins, kwargs in [(10, {}), (7, {"range": (-1.0, 1.0)}), (5, {"density": True})]:
        ours, theirs = (
            histogram(tg.tensor(x), bins, **kwargs),
            torch.histogram(torch.tensor(x), bins, **kwargs),
        )
        # torch computes the edges in float32 (lo + k * step): a few ulps of the range's scale apart
        scale = np.abs(theirs.bin_edges.numpy()).max()
        np.testing.assert_allclose(ours.bin_edges.numpy(), theirs.bin_edges.numpy(), atol=4e-7 * scale)
        np.testing.assert_allclose(ours.hist.numpy(), theirs.hist.numpy(), rtol=1e-6)
        assert ours.hist.dtype == tg.float32
    edges = np.array([-2.0, 0.0, 0.5, 2.0], np.float32)
    w = rng.uniform(size=300).astype(np.float32)
    ours = histogram(tg.tensor(x), tg.tensor(edges), weight=tg.tensor(w))
    theirs = torch.histogram(torch.tensor(x), torch.tensor(edges), weight=torch.tensor(w))
    np.testing.assert_allclose(ours.hist.numpy(), theirs.hist.numpy(), rtol=1e-5)
    for ours_call, torch_call in [
        (lambda: histogram(tg.tensor([1, 2]), 2), lambda: torch.histogram(torch.tensor([1, 2]), 2)),
        (lambda: histogram(tg.tensor(x), -1), lambda: torch.histogram(torch.tensor(x), -1)),
        (
            lambda: histogram(tg.tensor(x), 2, range=(1.0, 0.0)),
            lambda: torch.histogram(torch.tensor(x), 2, range=(1.0, 0.0)),
        ),
    ]:
        _same_error(ours_call, torch_call)


# ---------------------------------------------------------------- windows

WINDOWS = {
    "bartlett_window": (bartlett_window, lambda n, m: 1 - np.abs(2 * n / m - 1)),
    "hann_window": (hann_window, lambda n, m: 0.5 - 0.5 * np.cos(2 * np.pi * n / m)),
    "hamming_window": (hamming_window, lambda n, m: 0.54 - 0.46 * np.cos(2 * np.pi * n / m)),
    "blackman_window": (
        blackman_window,
        lambda n, m: 0.42 - 0.5 * np.cos(2 * np.pi * n / m) + 0.08 * np.cos(4 * np.pi * n / m),
    ),
    "kaiser_window": (
        kaiser_window,
        lambda n, m: np.i0(12 * np.sqrt(1 - (2 * n / m - 1) ** 2)) / np.i0(12.0),
    ),
}


@pytest.mark.parametrize("name", WINDOWS)
def test_windows_follow_their_formulas(name):
    make, formula = WINDOWS[name]
    for length in (2, 5, 8):
        symmetric = make(length, periodic=False, dtype=tg.float64).numpy()
        n = np.arange(length)
        np.testing.assert_allclose(symmetric, formula(n, length - 1), rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(symmetric, symmetric[::-1], atol=1e-15)
        periodic = make(length, dtype=tg.float64).numpy()  # the first N of the symmetric N + 1
        np.testing.assert_allclose(periodic, formula(n, length), rtol=1e-12, atol=1e-15)
    assert make(1).tolist() == [1.0] and make(0).shape == (0,)
    assert make(4).dtype == tg.get_default_dtype()
    w = make(4, requires_grad=True)
    assert w.requires_grad and w.is_leaf
    with pytest.raises(RuntimeError, match="non-negative"):
        make(-1)
    with pytest.raises(RuntimeError, match="floating point"):
        make(3, dtype=tg.int64)
    with pytest.raises(TypeError):
        make(3.0)


def test_window_parameters():
    np.testing.assert_allclose(
        hamming_window(5, False, 0.5, 0.5, dtype=tg.float64).numpy(),
        hann_window(5, False, dtype=tg.float64).numpy(),
    )
    flat = kaiser_window(6, False, 0.0, dtype=tg.float64).numpy()  # beta = 0: a rectangle
    np.testing.assert_allclose(flat, np.ones(6))


@pytest.mark.parametrize("name", WINDOWS)
def test_windows_match_torch(name):
    torch = _torch()
    make = WINDOWS[name][0]
    for length in (0, 1, 2, 5, 16):
        for periodic in (True, False):
            for dtype, torch_dtype in [(tg.float32, torch.float32), (tg.float64, torch.float64)]:
                ours = make(length, periodic, dtype=dtype).numpy()
                theirs = getattr(torch, name)(length, periodic, dtype=torch_dtype).numpy()
                assert ours.dtype == theirs.dtype and ours.shape == theirs.shape
                np.testing.assert_allclose(ours, theirs, atol=1e-6 if dtype == tg.float32 else 1e-13)


def test_the_public_names_and_methods_are_these_functions():
    from tinygrad_edu.ops import (
        combinations,
        deprecated_linalg,
        finite_differences,
        flat_indices,
        float_bits,
        histogram,
        renorm,
        scatter_views,
        signal_windows,
        vandermonde,
    )

    modules = [combinations, deprecated_linalg, finite_differences, flat_indices, float_bits, histogram]
    modules += [renorm, scatter_views, signal_windows, vandermonde]
    public = {
        name: getattr(m, name)
        for m in modules
        for name in dir(m)
        if getattr(tg, name, None) is getattr(m, name)
    }
    expected = {"gradient", "select_scatter", "slice_scatter", "diagonal_scatter", "combinations", "vander"}
    expected |= {"unravel_index", "frexp", "nextafter", "renorm", "chain_matmul", "frobenius_norm"}
    expected |= {"nuclear_norm", "histogram", "bartlett_window", "blackman_window", "hamming_window"}
    expected |= {"hann_window", "kaiser_window"}
    assert expected <= set(public) and expected <= set(tg.__all__)
    x = tg.tensor([[1.0, -2.0], [3.0, 4.0]])
    for method in ("select_scatter", "slice_scatter", "diagonal_scatter", "frexp", "nextafter", "renorm"):
        assert callable(getattr(x, method))
    np.testing.assert_array_equal(x.renorm(2, 0, 1.0).data, renorm.renorm(x, 2, 0, 1.0).data)
    np.testing.assert_array_equal(x.histogram(2).hist.data, histogram.histogram(x, 2).hist.data)
    np.testing.assert_array_equal(x.diagonal_scatter(tg.zeros(2)).data, [[0.0, -2.0], [3.0, 0.0]])
    y = x.clone()
    assert y.renorm_(2, 0, 1.0) is y
    np.testing.assert_allclose(y.data, x.renorm(2, 0, 1.0).data)
    z = x.clone()
    assert z.nextafter_(tg.zeros(2, 2)) is z and (np.abs(z.data) < np.abs(x.data)).all()
