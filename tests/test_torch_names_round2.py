"""PyTorch names added in round 2: in-place comparisons and products, old linalg names, odds and ends.

Values against NumPy (computed independently), gradients against float64
finite differences (first and second order), and, where torch is installed,
values, dtypes, gradients and error types against torch.

Wiring: the top-level functions are imported from ops/legacy_linalg.py;
`test_top_level_names`, the tests of is_neg / is_conj / resolve_neg /
is_inference and of register_post_accumulate_grad_hook need the lines for
tinygrad_edu/__init__.py and tensor.py given in helper G's report.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import tinygrad_edu as tg
from tinygrad_edu import warning
from tinygrad_edu.ops import legacy_linalg
from tinygrad_edu.testing import gradcheck, gradgradcheck

rng = np.random.default_rng(21)


def _check_both_orders(fn, *arrays: np.ndarray) -> None:
    inputs = [tg.tensor(a, requires_grad=True) for a in arrays]
    assert gradcheck(fn, inputs)
    assert gradgradcheck(fn, inputs)


def _spd(n: int, batch: tuple[int, ...] = ()) -> np.ndarray:
    """A well-conditioned symmetric positive-definite matrix (a batch of them)."""
    a = rng.normal(size=(*batch, n, n))
    return a @ np.swapaxes(a, -1, -2) + n * np.eye(n)


@pytest.fixture(autouse=True)
def _quiet_deprecations(monkeypatch):
    """Each test starts with no deprecation warning given yet, and without showing them."""
    monkeypatch.setattr(warning, "GIVEN_ONCE", set())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        yield


# ---------------------------------------------------------------- in-place comparisons

COMPARISONS = {
    "eq_": np.equal,
    "ne_": np.not_equal,
    "lt_": np.less,
    "le_": np.less_equal,
    "gt_": np.greater,
    "ge_": np.greater_equal,
    "greater_": np.greater,
    "greater_equal_": np.greater_equal,
    "less_": np.less,
    "less_equal_": np.less_equal,
    "not_equal_": np.not_equal,
}


@pytest.mark.parametrize("name", COMPARISONS)
def test_comparison_in_place_values_dtype_and_version(name):
    x = np.array([[1.0, 2.0, 3.0], [3.0, 2.0, np.nan]], np.float32)
    other = np.array([2.0, 2.0, 2.0], np.float32)
    t = tg.tensor(x)
    memory, version = t.data, t._version
    assert getattr(t, name)(tg.tensor(other)) is t
    assert t.dtype == np.float32 and t.data is memory and t._version == version + 1
    np.testing.assert_array_equal(t.data, COMPARISONS[name](x, other).astype(np.float32))
    # a number; an integer self keeps its dtype (the comparison is made in float)
    i = tg.tensor([1, 2, 3])
    getattr(i, name)(2.5)
    assert i.dtype == np.int64
    np.testing.assert_array_equal(i.data, COMPARISONS[name](np.array([1, 2, 3]), 2.5).astype(np.int64))
    b = tg.tensor([True, False])
    getattr(b, name)(tg.tensor([1, 0]))
    assert b.dtype == np.bool_
    np.testing.assert_array_equal(b.data, COMPARISONS[name](np.array([1, 0]), np.array([1, 0])))


def test_comparison_in_place_is_refused_on_a_leaf_and_when_shapes_do_not_fit():
    a = tg.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf"):
        a.lt_(2)
    t = tg.tensor([1.0, 2.0])
    with pytest.raises(RuntimeError):
        t.eq_(tg.ones(2, 2))  # the result would have another shape than self
    with pytest.raises(RuntimeError):
        t.eq_(tg.ones(3))
    with pytest.raises(TypeError):
        t.eq_("a")
    np.testing.assert_array_equal(a.data, [1.0, 2.0])
    np.testing.assert_array_equal(t.data, [1.0, 2.0])
    assert t._version == 0


def test_comparison_in_place_records_a_zero_gradient_for_both_operands():
    a = tg.tensor([1.0, 2.0, 3.0], requires_grad=True)
    b = tg.tensor([2.0, 2.0, 2.0], requires_grad=True)
    x = a * 1
    x.ge_(b * 1)
    assert x.requires_grad and x.grad_fn is not None
    (x * tg.tensor([1.0, 2.0, 3.0])).sum().backward()
    np.testing.assert_array_equal(a.grad.data, [0, 0, 0])
    np.testing.assert_array_equal(b.grad.data, [0, 0, 0])
    c = tg.tensor([1.0, 2.0, 3.0])  # a self that needs no gradient, compared with one that does
    c.lt_(b)
    assert c.requires_grad
    np.testing.assert_array_equal(c.data, [1, 0, 0])


def test_comparison_in_place_against_torch():
    torch = pytest.importorskip("torch")
    x = rng.integers(-2, 3, (3, 4)).astype(np.float64)
    y = rng.integers(-2, 3, (4,)).astype(np.float64)
    for name in COMPARISONS:
        for dtype in (np.float32, np.int64):
            t, tt = tg.tensor(x.astype(dtype)), torch.tensor(x.astype(dtype))
            getattr(t, name)(tg.tensor(y))
            getattr(tt, name)(torch.tensor(y))
            np.testing.assert_array_equal(t.data, tt.numpy())
            assert str(tt.dtype).removeprefix("torch.") == str(t.dtype)
        a, ta = tg.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
        b, tb = tg.tensor(y, requires_grad=True), torch.tensor(y, requires_grad=True)
        getattr(a * 1, name)(b).sum().backward()
        getattr(ta * 1, name)(tb).sum().backward()
        np.testing.assert_array_equal(a.grad.data, ta.grad.numpy())
        np.testing.assert_array_equal(b.grad.data, tb.grad.numpy())


# ---------------------------------------------------------------- in-place products

PRODUCTS = {  # name: (shapes of self and the two operands, NumPy's product)
    "addmm_": ([(2, 3), (2, 4), (4, 3)], lambda m1, m2: m1 @ m2),
    "addmv_": ([(2,), (2, 4), (4,)], lambda m, v: m @ v),
    "addr_": ([(2, 3), (2,), (3,)], np.outer),
    "baddbmm_": ([(5, 2, 3), (5, 2, 4), (5, 4, 3)], lambda b1, b2: b1 @ b2),
    "addbmm_": ([(2, 3), (5, 2, 4), (5, 4, 3)], lambda b1, b2: (b1 @ b2).sum(0)),
}


@pytest.mark.parametrize("name", PRODUCTS)
def test_product_in_place_values_and_version(name):
    shapes, product = PRODUCTS[name]
    s, p, q = (rng.normal(size=shape) for shape in shapes)
    t = tg.tensor(s)
    memory = t.data
    assert getattr(t, name)(tg.tensor(p), tg.tensor(q), beta=0.5, alpha=-2) is t
    assert t.data is memory and t._version == 1
    np.testing.assert_allclose(t.data, 0.5 * s + -2 * product(p, q), rtol=1e-12)
    getattr(t, name)(tg.tensor(p), tg.tensor(q))  # the defaults: beta = alpha = 1
    np.testing.assert_allclose(t.data, (0.5 * s - 2 * product(p, q)) + product(p, q), rtol=1e-12)


@pytest.mark.parametrize("name", PRODUCTS)
def test_product_in_place_keeps_self_shape_and_fails_cleanly(name):
    shapes, _ = PRODUCTS[name]
    p, q = (tg.tensor(rng.normal(size=shape)) for shape in shapes[1:])
    small = tg.tensor(np.ones((1,) * len(shapes[0])))  # broadcasts to the result, but is not its shape
    with pytest.raises(RuntimeError):
        getattr(small, name)(p, q)
    np.testing.assert_array_equal(small.data, np.ones((1,) * len(shapes[0])))
    assert small._version == 0
    leaf = tg.tensor(np.ones(shapes[0]), requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf"):
        getattr(leaf, name)(p, q)


@pytest.mark.parametrize("name", PRODUCTS)
def test_product_in_place_gradients(name):
    shapes, _ = PRODUCTS[name]
    arrays = [rng.normal(size=shape) for shape in shapes]
    _check_both_orders(lambda s, p, q: getattr(s.clone(), name)(p, q, beta=0.5, alpha=1.5), *arrays)


def test_products_in_place_against_torch():
    torch = pytest.importorskip("torch")
    for name, (shapes, _) in PRODUCTS.items():
        arrays = [rng.normal(size=shape) for shape in shapes]
        ours = [tg.tensor(a, requires_grad=True) for a in arrays]
        theirs = [torch.tensor(a, requires_grad=True) for a in arrays]
        out = getattr(ours[0] * 1, name)(*ours[1:], beta=0.5, alpha=3)
        expected = getattr(theirs[0] * 1, name)(*theirs[1:], beta=0.5, alpha=3)
        np.testing.assert_allclose(out.data, expected.detach().numpy(), rtol=1e-12)
        (out * out).sum().backward()
        (expected * expected).sum().backward()
        for a, ta in zip(ours, theirs):
            np.testing.assert_allclose(a.grad.data, ta.grad.numpy(), rtol=1e-10)


# ---------------------------------------------------------------- other in-place names


def test_divide_multiply_subtract_reciprocal_in_place():
    x = np.array([-5.0, 7.0, 0.5])
    for mode, expected in [(None, x / 2), ("floor", np.floor(x / 2)), ("trunc", np.trunc(x / 2))]:
        t = tg.tensor(x)
        assert t.divide_(2.0, rounding_mode=mode) is t
        np.testing.assert_array_equal(t.data, expected)
    i = tg.tensor([-5, 7])
    np.testing.assert_array_equal(i.divide_(2, rounding_mode="floor").data, [-3, 3])
    assert i.dtype == np.int64
    with pytest.raises(RuntimeError):
        i.divide_(2)  # a true quotient is float: it does not fit an integer self
    with pytest.raises(RuntimeError):
        i.true_divide_(2)
    with pytest.raises(RuntimeError):
        i.reciprocal_()
    np.testing.assert_array_equal(i.data, [-3, 3])
    np.testing.assert_array_equal(tg.tensor(x).multiply_(3).data, x * 3)
    np.testing.assert_array_equal(tg.tensor(x).true_divide_(4).data, x / 4)
    np.testing.assert_array_equal(tg.tensor(x).subtract_(tg.tensor([1.0, 1.0, 1.0]), alpha=2).data, x - 2)
    np.testing.assert_array_equal(tg.tensor([4.0, 0.0]).reciprocal_().data, [0.25, np.inf])
    np.testing.assert_array_equal(tg.tensor(x).negative_().data, -x)
    np.testing.assert_array_equal(tg.tensor(x).absolute_().data, np.abs(x))
    np.testing.assert_array_equal(tg.tensor(x).arctan2_(tg.tensor(2.0)).data, np.arctan2(x, 2.0))
    np.testing.assert_array_equal(tg.tensor(x).clip_(-1, 1).data, np.clip(x, -1, 1))


def test_divide_subtract_reciprocal_in_place_gradients():
    x, y = rng.uniform(1, 2, (2, 3)), rng.uniform(1, 2, (3,))
    _check_both_orders(lambda a, b: a.clone().divide_(b), x, y)
    _check_both_orders(lambda a, b: a.clone().multiply_(b), x, y)
    _check_both_orders(lambda a, b: a.clone().subtract_(b, alpha=3), x, y)
    _check_both_orders(lambda a: a.clone().reciprocal_(), x)


def test_other_in_place_names_against_torch():
    torch = pytest.importorskip("torch")
    x, y = rng.normal(size=(2, 3)), rng.normal(size=(3,))
    calls = [
        ("divide_", (y,), {}),
        ("divide_", (y,), {"rounding_mode": "floor"}),
        ("divide_", (y,), {"rounding_mode": "trunc"}),
        ("multiply_", (y,), {}),
        ("subtract_", (y,), {"alpha": 2}),
        ("true_divide_", (y,), {}),
        ("reciprocal_", (), {}),
        ("negative_", (), {}),
        ("absolute_", (), {}),
        ("arctan2_", (y,), {}),
    ]
    for name, args, kwargs in calls:
        t, tt = tg.tensor(x), torch.tensor(x)
        getattr(t, name)(*(tg.tensor(a) for a in args), **kwargs)
        getattr(tt, name)(*(torch.tensor(a) for a in args), **kwargs)
        np.testing.assert_allclose(t.data, tt.numpy(), rtol=1e-12, err_msg=name)
    with pytest.raises(RuntimeError):
        torch.tensor([5, 7]).divide_(2)


# ---------------------------------------------------------------- old linalg names


def test_qr_some_and_complete():
    a = rng.normal(size=(2, 5, 3))
    q, r = legacy_linalg.qr(tg.tensor(a))
    assert q.shape == (2, 5, 3) and r.shape == (2, 3, 3)
    np.testing.assert_allclose(q.data @ r.data, a, atol=1e-12)
    np.testing.assert_allclose(np.triu(r.data), r.data)
    q, r = tg.tensor(a).qr(some=False)
    assert q.shape == (2, 5, 5) and r.shape == (2, 5, 3)
    np.testing.assert_allclose(
        np.swapaxes(q.data, -1, -2) @ q.data, np.broadcast_to(np.eye(5), (2, 5, 5)), atol=1e-12
    )
    np.testing.assert_allclose(q.data @ r.data, a, atol=1e-12)
    _check_both_orders(lambda t: legacy_linalg.qr(t).R, rng.normal(size=(4, 3)))


def test_cholesky_old_name():
    s = _spd(3, (2,))
    low = legacy_linalg.cholesky(tg.tensor(s))
    np.testing.assert_allclose(low.data @ np.swapaxes(low.data, -1, -2), s, rtol=1e-12)
    assert np.all(np.triu(low.data, 1) == 0)
    up = tg.tensor(s).cholesky(upper=True)
    np.testing.assert_allclose(np.swapaxes(up.data, -1, -2) @ up.data, s, rtol=1e-12)
    assert np.all(np.tril(up.data, -1) == 0)
    with pytest.raises(RuntimeError, match="square"):
        legacy_linalg.cholesky(tg.ones(2, 3))
    with pytest.raises(RuntimeError):
        legacy_linalg.cholesky(tg.tensor(-s))
    _check_both_orders(lambda t: legacy_linalg.cholesky(t @ t.mT), _spd(3))


@pytest.mark.parametrize("upper", [False, True])
def test_cholesky_solve_and_inverse(upper):
    s = _spd(3, (2,))
    low = np.linalg.cholesky(s)
    factor = np.swapaxes(low, -1, -2) if upper else low
    b = rng.normal(size=(4, 1, 3, 2))  # batch dims broadcast: (4, 1) with (2,)
    x = legacy_linalg.cholesky_solve(tg.tensor(b), tg.tensor(factor), upper)
    assert x.shape == (4, 2, 3, 2)
    np.testing.assert_allclose(x.data, np.linalg.solve(s, b), rtol=1e-10)
    np.testing.assert_allclose(tg.tensor(b).cholesky_solve(tg.tensor(factor), upper).data, x.data)
    inverse = legacy_linalg.cholesky_inverse(tg.tensor(factor), upper)
    np.testing.assert_allclose(inverse.data, np.linalg.inv(s), rtol=1e-10)
    np.testing.assert_array_equal(inverse.data, np.swapaxes(inverse.data, -1, -2))  # exactly symmetric
    np.testing.assert_allclose(tg.tensor(factor).cholesky_inverse(upper).data, inverse.data)
    # only the factor's triangle is read: junk in the other one changes nothing
    junk = factor + (np.tril(np.ones((3, 3)), -1) if upper else np.triu(np.ones((3, 3)), 1))
    np.testing.assert_allclose(
        legacy_linalg.cholesky_solve(tg.tensor(b), tg.tensor(junk), upper).data, x.data
    )
    np.testing.assert_allclose(legacy_linalg.cholesky_inverse(tg.tensor(junk), upper).data, inverse.data)
    factor1 = factor[0]
    _check_both_orders(lambda u, v: legacy_linalg.cholesky_solve(u, v, upper), b[0, 0], factor1)
    _check_both_orders(lambda v: legacy_linalg.cholesky_inverse(v, upper), factor1)


def test_cholesky_solve_and_inverse_errors():
    low = tg.tensor(np.linalg.cholesky(_spd(3)))
    with pytest.raises(RuntimeError, match="at least 2 dimensions"):
        legacy_linalg.cholesky_solve(tg.ones(3, dtype=np.float64), low)
    with pytest.raises(RuntimeError, match="same dtype"):
        legacy_linalg.cholesky_solve(tg.ones(3, 2), low)
    with pytest.raises(RuntimeError, match="Incompatible matrix sizes"):
        legacy_linalg.cholesky_solve(tg.ones(4, 2, dtype=np.float64), low)
    with pytest.raises(RuntimeError, match="square"):
        legacy_linalg.cholesky_solve(tg.ones(3, 2, dtype=np.float64), tg.ones(3, 4, dtype=np.float64))
    with pytest.raises(NotImplementedError):
        legacy_linalg.cholesky_solve(tg.ones(3, 2, dtype=np.int32), tg.ones(3, 3, dtype=np.int32))
    with pytest.raises(RuntimeError, match="at least 2 dimensions"):
        legacy_linalg.cholesky_inverse(tg.ones(3))
    with pytest.raises(RuntimeError, match="square"):
        legacy_linalg.cholesky_inverse(tg.ones(2, 3))
    with pytest.raises(NotImplementedError):
        legacy_linalg.cholesky_inverse(tg.ones(3, 3, dtype=np.int32))


@pytest.mark.parametrize("upper", [True, False])
@pytest.mark.parametrize("transpose", [False, True])
@pytest.mark.parametrize("unitriangular", [False, True])
def test_triangular_solve(upper, transpose, unitriangular):
    a = rng.normal(size=(2, 3, 3)) + 4 * np.eye(3)
    b = rng.normal(size=(3, 2))
    solution, copy = legacy_linalg.triangular_solve(
        tg.tensor(b), tg.tensor(a), upper, transpose, unitriangular
    )
    triangle = np.triu(a) if upper else np.tril(a)
    if unitriangular:
        triangle = triangle - triangle * np.eye(3) + np.eye(3)
    if transpose:
        triangle = np.swapaxes(triangle, -1, -2)
    np.testing.assert_allclose(solution.data, np.linalg.solve(triangle, b), rtol=1e-10)
    assert copy.shape == (2, 3, 3) and copy.data is not a
    np.testing.assert_array_equal(copy.data, a)  # a copy of the whole of A, batched
    result = tg.tensor(b).triangular_solve(tg.tensor(a), upper, transpose, unitriangular)
    assert result._fields == ("solution", "cloned_coefficient")
    np.testing.assert_array_equal(result.solution.data, solution.data)
    _check_both_orders(
        lambda u, v: legacy_linalg.triangular_solve(u, v, upper, transpose, unitriangular).solution, b, a[0]
    )


def test_triangular_solve_errors():
    a = tg.tensor(np.eye(3))
    with pytest.raises(RuntimeError, match="at least 2 dimensions"):
        legacy_linalg.triangular_solve(tg.ones(3, dtype=np.float64), a)
    with pytest.raises(RuntimeError, match="same dtype"):
        legacy_linalg.triangular_solve(tg.ones(3, 2), a)
    with pytest.raises(RuntimeError, match="Incompatible matrix sizes"):
        legacy_linalg.triangular_solve(tg.ones(4, 2, dtype=np.float64), a)
    with pytest.raises(NotImplementedError):
        legacy_linalg.triangular_solve(tg.ones(3, 2, dtype=np.int32), tg.ones(3, 3, dtype=np.int32))


def test_lu_and_lu_solve():
    a = rng.normal(size=(2, 3, 3)) + 3 * np.eye(3)
    b = rng.normal(size=(2, 3, 4))
    factors = legacy_linalg.lu(tg.tensor(a))
    assert type(factors) is tuple and len(factors) == 2 and factors[1].dtype == np.int32
    p, low, up = tg.lu_unpack(*factors)
    np.testing.assert_allclose(p.data @ low.data @ up.data, a, atol=1e-12)
    x = legacy_linalg.lu_solve(tg.tensor(b), *factors)
    np.testing.assert_allclose(x.data, np.linalg.solve(a, b), rtol=1e-10)
    np.testing.assert_array_equal(tg.tensor(b).lu_solve(*tg.tensor(a).lu()).data, x.data)
    lu_data, pivots, info = legacy_linalg.lu(tg.tensor([[1.0, 2.0], [2.0, 4.0]]), get_infos=True)
    assert int(info.data) == 2 and lu_data.data[1, 1] == 0  # a singular matrix: reported, not raised
    with pytest.raises(RuntimeError, match="without pivoting"):
        legacy_linalg.lu(tg.tensor(a), pivot=False)
    _check_both_orders(lambda u, v: legacy_linalg.lu_solve(u, *legacy_linalg.lu(v)), b[0], a[0])


REMOVED = {  # name: (arguments, the name of what replaced it, in the message)
    "matrix_rank": ((tg.eye(3),), "linalg.matrix_rank"),
    "solve": ((tg.eye(3), tg.eye(3)), "linalg.solve"),
    "lstsq": ((tg.eye(3), tg.eye(3)), "linalg.lstsq"),
    "eig": ((tg.eye(3),), "linalg.eigh"),
    "symeig": ((tg.eye(3),), "linalg.eigh"),
}


@pytest.mark.parametrize("name", sorted(REMOVED))
def test_names_removed_in_pytorch_1_9_raise_and_name_the_replacement(name):
    args, replacement = REMOVED[name]
    for call in (getattr(legacy_linalg, name), getattr(tg, name), getattr(tg.Tensor, name, None)):
        if call is None:  # (matrix_rank has no method form, in PyTorch either)
            continue
        with pytest.raises(RuntimeError, match="removed in PyTorch 1.9") as error:
            call(*args)
        assert replacement in str(error.value)
    replaced = replacement.split(".")[1]
    assert hasattr(tg.linalg, replaced)


def test_deprecation_warnings_once_each():
    a = tg.tensor(_spd(3))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for _ in range(2):
            legacy_linalg.qr(a)
            legacy_linalg.cholesky(a)
            legacy_linalg.lu(a)
            legacy_linalg.triangular_solve(a, a)
            legacy_linalg.lu_solve(a, *legacy_linalg.lu(a))
            legacy_linalg.cholesky_solve(a, a)  # (not deprecated in PyTorch)
            legacy_linalg.cholesky_inverse(a)
    messages = [str(w.message) for w in caught]
    assert len(messages) == 5
    for name in ("qr", "cholesky", "lu", "triangular_solve", "lu_solve"):
        assert sum(m.startswith(f"tg.{name} is deprecated") for m in messages) == 1
    assert all(w.filename == __file__ for w in caught)  # pointed at the caller's line


def test_old_linalg_against_torch():
    torch = pytest.importorskip("torch")
    warnings.simplefilter("ignore", UserWarning)
    s = _spd(3, (2,))
    low = np.linalg.cholesky(s)
    b = rng.normal(size=(2, 3, 2))
    a = rng.normal(size=(2, 3, 3)) + 3 * np.eye(3)

    def both(fn_name, *arrays, grads=True, **kwargs):
        ours = [tg.tensor(x, requires_grad=grads) for x in arrays]
        theirs = [torch.tensor(x, requires_grad=grads) for x in arrays]
        return (
            ours,
            theirs,
            getattr(legacy_linalg, fn_name)(*ours, **kwargs),
            getattr(torch, fn_name)(*theirs, **kwargs),
        )

    for upper in (False, True):
        factor = np.swapaxes(low, -1, -2) if upper else low
        ours, theirs, out, expected = both("cholesky_solve", b, factor, upper=upper)
        np.testing.assert_allclose(out.data, expected.detach().numpy(), rtol=1e-10)
        (out**2).sum().backward()
        (expected**2).sum().backward()
        np.testing.assert_allclose(ours[0].grad.data, theirs[0].grad.numpy(), rtol=1e-10)
        # the factor's gradient: PyTorch fills both triangles; the factor's own triangle agrees
        keep = np.triu if upper else np.tril
        np.testing.assert_allclose(ours[1].grad.data, keep(theirs[1].grad.numpy()), rtol=1e-8, atol=1e-12)
        ours, theirs, out, expected = both("cholesky_inverse", factor[0], upper=upper)
        np.testing.assert_allclose(out.data, expected.detach().numpy(), rtol=1e-10)
        (out * tg.tensor(b[0, :, :1])).sum().backward()
        (expected * torch.tensor(b[0, :, :1])).sum().backward()
        np.testing.assert_allclose(ours[0].grad.data, keep(theirs[0].grad.numpy()), rtol=1e-8, atol=1e-12)
        np.testing.assert_allclose(
            legacy_linalg.cholesky(tg.tensor(s), upper=upper).data,
            torch.cholesky(torch.tensor(s), upper=upper).numpy(),
        )
    for upper, transpose, unit in [(True, False, False), (False, True, False), (True, True, True)]:
        ours, theirs, out, expected = both(
            "triangular_solve", b, a, upper=upper, transpose=transpose, unitriangular=unit
        )
        np.testing.assert_allclose(out.solution.data, expected.solution.detach().numpy(), rtol=1e-10)
        np.testing.assert_array_equal(
            out.cloned_coefficient.data, expected.cloned_coefficient.detach().numpy()
        )
        (out.solution**2).sum().backward()
        (expected.solution**2).sum().backward()
        for x, tx in zip(ours, theirs):
            np.testing.assert_allclose(x.grad.data, tx.grad.numpy(), rtol=1e-8, atol=1e-12)
    for some in (True, False):
        q, r = legacy_linalg.qr(tg.tensor(a[0, :, :2]), some)
        tq, tr = torch.qr(torch.tensor(a[0, :, :2]), some)
        assert q.shape == tuple(tq.shape) and r.shape == tuple(tr.shape)
        np.testing.assert_allclose(np.abs(r.data), np.abs(tr.numpy()), rtol=1e-10)
    lu_data, pivots = legacy_linalg.lu(tg.tensor(a))
    t_lu, t_pivots = torch.lu(torch.tensor(a))
    np.testing.assert_allclose(lu_data.data, t_lu.numpy(), rtol=1e-12)
    np.testing.assert_array_equal(pivots.data, t_pivots.numpy())
    np.testing.assert_allclose(
        legacy_linalg.lu_solve(tg.tensor(b), lu_data, pivots).data,
        torch.lu_solve(torch.tensor(b), t_lu, t_pivots).numpy(),
        rtol=1e-10,
    )
    for name, (args, _) in REMOVED.items():
        with pytest.raises(RuntimeError):
            getattr(torch, name)(*[torch.tensor(a.data) for a in args])
    for fn, args in [
        ("cholesky_solve", (torch.ones(3), torch.eye(3))),
        ("triangular_solve", (torch.ones(4, 2), torch.eye(3))),
    ]:
        with pytest.raises(RuntimeError):
            getattr(torch, fn)(*args)


# ---------------------------------------------------------------- Tensor odds and ends


def test_sum_to_size():
    x = rng.normal(size=(2, 3, 4))
    t = tg.tensor(x)
    np.testing.assert_allclose(t.sum_to_size(1, 3, 1).data, x.sum(axis=(0, 2), keepdims=True))
    np.testing.assert_allclose(t.sum_to_size((3, 4)).data, x.sum(axis=0))
    np.testing.assert_allclose(
        t.sum_to_size([1, 1]).data, x.sum(axis=(0, 1)).sum(axis=-1, keepdims=True)[None]
    )
    np.testing.assert_allclose(t.sum_to_size(4).data, x.sum(axis=(0, 1)))
    np.testing.assert_allclose(t.sum_to_size(tg.Size([2, 1, 4])).data, x.sum(axis=1, keepdims=True))
    assert t.sum_to_size(2, 3, 4) is t
    for bad in [(2, 2, 4), (1, 2, 3, 4), (3, 2)]:
        with pytest.raises(RuntimeError, match="not expandable"):
            t.sum_to_size(*bad)
    _check_both_orders(lambda u: u.sum_to_size(3, 1), x[0])


def test_split_with_sizes():
    x = rng.normal(size=(2, 6))
    t = tg.tensor(x)
    parts = t.split_with_sizes([1, 0, 5], dim=1)
    assert [p.shape for p in parts] == [(2, 1), (2, 0), (2, 5)]
    np.testing.assert_array_equal(parts[2].data, x[:, 1:])
    assert [p.shape for p in t.split_with_sizes((2,), -2)] == [(2, 6)]
    with pytest.raises(RuntimeError, match="sum exactly to 6"):
        t.split_with_sizes([2, 3], 1)
    with pytest.raises(RuntimeError, match="non-negative"):
        t.split_with_sizes([2, -1, 5], 1)
    _check_both_orders(lambda u: u.split_with_sizes([2, 4], 1)[1], x)


def test_sum_to_size_and_split_with_sizes_against_torch():
    torch = pytest.importorskip("torch")
    x = rng.normal(size=(2, 3, 4))
    for size in [(1, 3, 1), (3, 4), (4,), (2, 1, 1), (1,)]:
        np.testing.assert_allclose(
            tg.tensor(x).sum_to_size(size).data, torch.tensor(x).sum_to_size(size).numpy()
        )
    for bad in [(2, 2, 4), (1, 2, 3, 4)]:
        with pytest.raises(RuntimeError):
            torch.tensor(x).sum_to_size(bad)
    for sizes, dim in [([1, 2], 1), ([0, 4], -1), ([2], 0)]:
        ours = tg.tensor(x).split_with_sizes(sizes, dim)
        theirs = torch.tensor(x).split_with_sizes(sizes, dim)
        for a, b in zip(ours, theirs, strict=True):
            np.testing.assert_array_equal(a.data, b.numpy())


def test_negation_and_conjugation_flags():  # (needs the tensor.py lines of helper G's report)
    t = tg.tensor([1.0, -2.0])
    assert t.is_neg() is False and t.is_conj() is False and t.is_inference() is False
    assert t.resolve_neg() is t and t.resolve_conj() is t
    assert t.positive() is t
    with pytest.raises(RuntimeError):
        tg.tensor([True]).positive()


# ---------------------------------------------------------------- post-accumulate-grad hooks
# (need the tensor.py method of helper G's report)


def test_post_accumulate_grad_hook_sees_the_accumulated_grad():
    log = []
    w = tg.ones(2, requires_grad=True)
    w.register_hook(lambda g: log.append(("pre", g.data.copy())) or g * 10)
    handle = w.register_post_accumulate_grad_hook(lambda p: log.append(("post", p.grad.data.copy())))
    (w * 3).sum().backward()
    assert [kind for kind, _ in log] == ["pre", "post"]
    np.testing.assert_array_equal(log[1][1], [30, 30])  # after the tensor hook, in .grad
    (w * 3).sum().backward()
    np.testing.assert_array_equal(log[-1][1], [60, 60])  # the sum of the two backwards
    tg.autograd.grad((w * 3).sum(), w)  # the tensor hook runs, but no .grad is accumulated
    assert [kind for kind, _ in log] == ["pre", "post", "pre", "post", "pre"]
    z = tg.ones(2, requires_grad=True)
    (w * z).sum().backward(inputs=[z])  # w's .grad is not accumulated (nor its hooks run)
    assert len(log) == 5
    (w * z).sum().backward(inputs=[w])
    assert [kind for kind, _ in log[5:]] == ["pre", "post"]
    handle.remove()
    (w * 3).sum().backward()
    assert [kind for kind, _ in log[7:]] == ["pre"]  # only the tensor hook now


def test_post_accumulate_grad_hook_can_step_an_optimizer_in_backward():
    w = tg.tensor([1.0, 2.0], requires_grad=True)
    seen = []

    def step(p):
        seen.append(p.grad.data.copy())
        with tg.no_grad():
            p -= 0.1 * p.grad
        p.grad = None

    w.register_post_accumulate_grad_hook(step)
    (w * w).sum().backward()
    np.testing.assert_allclose(seen[0], [2.0, 4.0])
    np.testing.assert_allclose(w.data, [0.8, 1.6])
    assert w.grad is None


def test_post_accumulate_grad_hook_errors():
    with pytest.raises(RuntimeError, match="doesn't require gradient"):
        tg.ones(2).register_post_accumulate_grad_hook(lambda p: None)
    w = tg.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError, match="non-leaf"):
        (w * 2).register_post_accumulate_grad_hook(lambda p: None)
    handle = w.register_post_accumulate_grad_hook(lambda p: tg.zeros(2))
    with pytest.raises(RuntimeError, match="should return None"):
        (w * 3).sum().backward()
    np.testing.assert_array_equal(w.grad.data, [3, 3])  # accumulated before the hook ran, as in PyTorch
    handle.remove()
    w.register_post_accumulate_grad_hook(lambda p: 5)
    with pytest.raises(TypeError):
        (w * 3).sum().backward()


def test_post_accumulate_grad_hook_against_torch():
    torch = pytest.importorskip("torch")
    logs = []
    for lib in (tg, torch):
        log = []
        w = lib.tensor([1.0, 2.0], requires_grad=True)
        v = lib.tensor([3.0], requires_grad=True)
        w.register_hook(lambda g: g * 2)
        w.register_post_accumulate_grad_hook(lambda p, log=log: log.append(("w", p.grad.tolist())))
        v.register_post_accumulate_grad_hook(lambda p, log=log: log.append(("v", p.grad.tolist())))
        for _ in range(2):
            ((w * v).sum() ** 2).backward()
        logs.append(sorted(log))  # (the order between two leaves is the engine's own)
    assert logs[0] == logs[1]


def test_top_level_names():  # (needs the tinygrad_edu/__init__.py lines of helper G's report)
    names = ("qr", "cholesky", "cholesky_solve", "cholesky_inverse", "triangular_solve", "lu", "lu_solve")
    for name in (*names, "matrix_rank"):
        assert getattr(tg, name) is getattr(legacy_linalg, name)
        assert name in tg.__all__
    t = tg.tensor([[1.0, 2.0], [3.0, 4.0]])
    assert tg.is_neg(t) is False and tg.is_conj(t) is False and tg.is_inference(t) is False
    assert tg.resolve_neg(t) is t
    parts = tg.split_with_sizes(t, [1, 1], dim=1)
    np.testing.assert_array_equal(parts[1].data, [[2.0], [4.0]])
    for name in ("is_neg", "is_conj", "resolve_neg", "is_inference", "split_with_sizes"):
        assert name in tg.__all__
