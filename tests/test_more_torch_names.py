"""PyTorch names a course meets that tinygrad_edu lacked: tg.Size, the function forms of the
comparisons and of t/neg, the shape helpers (atleast_*d, broadcast_to, fliplr, hsplit, ...),
the BLAS-style products (addmm, ...), more products (inner, kron, tensordot, block_diag, ...),
the older linear-algebra names (det, inverse, logdet, ...), cross with torch's default dim,
dist, fmax/fmin, isin, cov/corrcoef, the trapezoidal rule, tril/triu_indices, and
Tensor.apply_/map_.

Values are checked against NumPy written out here; gradients against finite differences
(gradcheck, float64). With torch installed, values, gradients and error types are compared
with torch's, op by op.
"""

from __future__ import annotations

import math
import pickle
import warnings

import numpy as np
import pytest

import tinygrad_edu as tg
from tinygrad_edu.testing import gradcheck, gradgradcheck

from .torch_compare import assert_values_and_gradients_agree

RNG = np.random.default_rng(0)


def f64(shape, requires_grad=True, rng=RNG):
    return tg.tensor(rng.standard_normal(shape), requires_grad=requires_grad)


# ---------------------------------------------------------------- tg.Size


def test_size_is_a_tuple_with_torchs_repr_and_numel():
    s = tg.Size([2, 3])
    assert s == (2, 3) and hash(s) == hash((2, 3)) and isinstance(s, tuple)
    assert repr(s) == "Size([2, 3])" and str(s) == "Size([2, 3])" and repr(tg.Size()) == "Size([])"
    assert s.numel() == 6 and tg.Size([]).numel() == 1 and tg.Size([4, 0]).numel() == 0
    assert type(s[1:]) is tg.Size and s[::-1] == (3, 2) and type(s[0]) is int
    assert type(s + (4,)) is tg.Size and type((1,) + s) is tg.Size and (1,) + s == (1, 2, 3)
    assert type(s * 2) is tg.Size and s * 2 == (2, 3, 2, 3)
    assert tg.Size([np.int64(2), True, tg.tensor(3)]) == (2, 1, 3)
    assert pickle.loads(pickle.dumps(s)) == s and type(pickle.loads(pickle.dumps(s))) is tg.Size
    # shape stays NumPy's plain tuple (see size.py), and equals a Size
    x = tg.zeros(2, 3)
    assert x.shape == tg.Size([2, 3]) and x.size() == s and tg.Size(x.shape).numel() == x.numel()
    with pytest.raises(TypeError, match=r"item 1 is 'float'"):
        tg.Size([2, 3.0])
    with pytest.raises(TypeError):
        tg.Size(3)
    with pytest.raises(TypeError):
        s + [1]


def test_size_agrees_with_torch():
    torch = pytest.importorskip("torch")
    for sizes in ([2, 3], [], [0, 4, 1]):
        ours, theirs = tg.Size(sizes), torch.Size(sizes)
        assert ours == theirs and ours.numel() == theirs.numel() and ours[1:] == theirs[1:]
        assert repr(ours) == repr(theirs).replace("torch.", "")


# ---------------------------------------------------------------- function forms of methods


def test_function_forms_of_comparisons_t_neg_positive():
    a, b = tg.tensor([1.0, 2.0, 3.0]), tg.tensor([2.0, 2.0, 2.0])
    for name, numpy_op in [
        ("eq", np.equal),
        ("ne", np.not_equal),
        ("not_equal", np.not_equal),
        ("lt", np.less),
        ("less", np.less),
        ("le", np.less_equal),
        ("less_equal", np.less_equal),
        ("gt", np.greater),
        ("greater", np.greater),
        ("ge", np.greater_equal),
        ("greater_equal", np.greater_equal),
    ]:
        expected = numpy_op(a.data, b.data).tolist()
        assert getattr(tg, name)(a, b).tolist() == expected and getattr(a, name)(b).tolist() == expected
        assert getattr(tg, name)(input=a, other=2.0).tolist() == expected
    m = tg.tensor([[1.0, 2.0, 3.0]])
    assert tg.t(m).shape == (3, 1) and tg.t(a).shape == (3,)
    with pytest.raises(RuntimeError, match="t\\(\\) expects a tensor with <= 2 dimensions, but self is 3D"):
        tg.t(tg.zeros(1, 2, 3))
    assert tg.neg(a).tolist() == [-1.0, -2.0, -3.0] and tg.positive(a) is a and a.positive() is a
    with pytest.raises(RuntimeError, match="bool"):
        tg.positive(tg.tensor([True]))
    assert tg.is_nonzero(tg.tensor([2.0])) and not tg.tensor(0).is_nonzero()
    with pytest.raises(RuntimeError):
        tg.is_nonzero(a)
    assert tg.is_same_size(a, b) and not a.is_same_size(m) and a.equal(a.clone()) and not a.equal(b)


def test_function_forms_agree_with_torch():
    torch = pytest.importorskip("torch")
    a, b = np.array([1.0, 2.0, 3.0]), np.array([2.0, 2.0, 2.0])
    for name in ("eq", "ne", "lt", "le", "gt", "ge", "greater", "less_equal", "not_equal"):
        ours = getattr(tg, name)(tg.tensor(a), tg.tensor(b)).tolist()
        assert ours == getattr(torch, name)(torch.tensor(a), torch.tensor(b)).tolist(), name
    for fn in (torch.is_nonzero, tg.is_nonzero):
        with pytest.raises(RuntimeError):
            fn((torch if fn is torch.is_nonzero else tg).tensor([]))


# ---------------------------------------------------------------- shape helpers


def test_atleast_nd_shapes_and_tuples():
    scalar, vector, matrix = tg.tensor(1.0), tg.ones(3), tg.ones(2, 3)
    assert tg.atleast_1d(scalar).shape == (1,) and tg.atleast_1d(vector) is vector
    assert tg.atleast_2d(scalar).shape == (1, 1) and tg.atleast_2d(vector).shape == (1, 3)
    assert tg.atleast_3d(scalar).shape == (1, 1, 1) and tg.atleast_3d(vector).shape == (1, 3, 1)
    assert tg.atleast_3d(matrix).shape == (2, 3, 1) and tg.atleast_3d(tg.ones(1, 2, 3, 4)).shape == (
        1,
        2,
        3,
        4,
    )
    several = tg.atleast_2d(scalar, vector)
    assert isinstance(several, tuple) and [t.shape for t in several] == [(1, 1), (1, 3)]
    assert [t.shape for t in tg.atleast_1d([scalar])] == [(1,)]  # a list in, a tuple out
    with pytest.raises(TypeError, match="element 1"):
        tg.atleast_2d([vector, 3])
    x = f64((3,))
    assert gradcheck(lambda t: tg.atleast_3d(t), [x])


def test_broadcast_to_flips_and_splits():
    x = f64((2, 3))
    assert tg.broadcast_to(x[0], (4, 3)).shape == (4, 3) and tg.broadcast_to(x[0], (2, -1)).shape == (2, 3)
    with pytest.raises(RuntimeError, match="expanded size"):
        tg.broadcast_to(x, (3, 3))
    np.testing.assert_array_equal(tg.fliplr(x).data, x.data[:, ::-1])
    np.testing.assert_array_equal(x.flipud().data, x.data[::-1])
    with pytest.raises(RuntimeError, match="Input must be >= 2-d."):
        tg.fliplr(tg.ones(3))
    with pytest.raises(RuntimeError, match="Input must be >= 1-d."):
        tg.flipud(tg.tensor(1.0))
    assert [p.shape for p in tg.hsplit(tg.ones(2, 4), 2)] == [(2, 2), (2, 2)]
    assert [p.shape for p in tg.ones(2, 4).hsplit([1, 3])] == [(2, 1), (2, 2), (2, 1)]
    assert [p.shape for p in tg.hsplit(tg.ones(6), 3)] == [(2,)] * 3
    assert [p.shape for p in tg.vsplit(tg.ones(4, 2), 2)] == [(2, 2)] * 2
    assert [p.shape for p in tg.dsplit(tg.ones(1, 2, 6), [2])] == [(1, 2, 2), (1, 2, 4)]
    with pytest.raises(RuntimeError, match="dimension 1 is 3 is not divisible|size of the dimension 3"):
        tg.hsplit(tg.ones(2, 3), 2)
    with pytest.raises(RuntimeError, match="vsplit requires a tensor with at least 2 dimension"):
        tg.vsplit(tg.ones(3), 1)
    with pytest.raises(RuntimeError, match="dsplit requires a tensor with at least 3 dimension"):
        tg.dsplit(tg.ones(3, 3), 1)
    assert gradcheck(lambda t: tg.fliplr(t) * tg.hsplit(t, 3)[1], [x])


def test_shape_helpers_agree_with_torch():
    torch = pytest.importorskip("torch")
    x = RNG.standard_normal((2, 4, 6))
    for name, args in [
        ("hsplit", (2,)),
        ("vsplit", ([1],)),
        ("dsplit", (3,)),
        ("fliplr", ()),
        ("flipud", ()),
    ]:
        ours, theirs = getattr(tg, name)(tg.tensor(x), *args), getattr(torch, name)(torch.tensor(x), *args)
        ours, theirs = (ours, theirs) if isinstance(ours, tuple) else ((ours,), (theirs,))
        for o, t in zip(ours, theirs):
            np.testing.assert_array_equal(o.data, t.numpy())
    for name in ("atleast_1d", "atleast_2d", "atleast_3d"):
        for shape in [(), (3,), (2, 3), (1, 2, 3)]:
            assert getattr(tg, name)(tg.zeros(shape)).shape == tuple(
                getattr(torch, name)(torch.zeros(shape)).shape
            )
    for ours, theirs in [(tg.hsplit, torch.hsplit), (tg.vsplit, torch.vsplit), (tg.dsplit, torch.dsplit)]:
        for shape in [(3,), (2, 3), (2, 3, 5)]:
            for sections in (2, 0):
                try:
                    theirs(torch.zeros(shape), sections)
                except RuntimeError:
                    with pytest.raises(RuntimeError):
                        ours(tg.zeros(shape), sections)


# ---------------------------------------------------------------- products


PRODUCT_CASES = [  # (name, shapes of the tensor arguments, keyword arguments)
    ("addmm", [(2, 4), (2, 3), (3, 4)], {}),
    ("addmm", [(4,), (2, 3), (3, 4)], {"beta": 0.5, "alpha": -2.0}),
    ("addmv", [(2,), (2, 3), (3,)], {"alpha": 3.0}),
    ("addr", [(1, 4), (2,), (4,)], {"beta": 2.0}),
    ("baddbmm", [(2, 4), (5, 2, 3), (5, 3, 4)], {"beta": -1.0, "alpha": 0.5}),
    ("addbmm", [(2, 4), (5, 2, 3), (5, 3, 4)], {"alpha": 2.0}),
    ("inner", [(2, 3), (4, 3)], {}),
    ("inner", [(2, 3), ()], {}),
    ("kron", [(2, 3), (4, 1)], {}),
    ("kron", [(2,), (2, 3, 2)], {}),
    ("vdot", [(3,), (3,)], {}),
    ("tensordot", [(2, 3, 4), (3, 4, 5)], {}),
    ("tensordot", [(2, 3, 4), (4, 3, 5)], {"dims": ([1, 2], [1, 0])}),
    ("tensordot", [(2, 3), (4,)], {"dims": 0}),
    ("block_diag", [(2, 2), (), (3,), (1, 3)], {}),
    ("cartesian_prod", [(2,), (3,), (2,)], {}),
    ("diagflat", [(2, 2)], {"offset": -1}),
    ("cross", [(4, 3), (4, 3)], {"dim": 1}),
    ("cross", [(2, 3, 3), (2, 3, 3)], {}),
    ("dist", [(2, 3), (3,)], {}),
    ("dist", [(2, 3), (2, 3)], {"p": 1}),
    ("dist", [(4,), (4,)], {"p": math.inf}),
    ("fmax", [(2, 3), (3,)], {}),
    ("fmin", [(2, 3), (2, 1)], {}),
]


@pytest.mark.parametrize("name, shapes, kwargs", PRODUCT_CASES, ids=[c[0] for c in PRODUCT_CASES])
def test_products_have_finite_difference_gradients(name, shapes, kwargs):
    rng = np.random.default_rng(1)
    inputs = [f64(shape, rng=rng) for shape in shapes]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (cross's default dim warns)
        assert gradcheck(lambda *ts: getattr(tg, name)(*ts, **kwargs), inputs)
        if name in ("addmm", "kron", "tensordot", "cross"):
            assert gradgradcheck(lambda *ts: getattr(tg, name)(*ts, **kwargs), inputs)


@pytest.mark.parametrize("name, shapes, kwargs", PRODUCT_CASES, ids=[c[0] for c in PRODUCT_CASES])
def test_products_agree_with_torch(name, shapes, kwargs):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(2)
    arrays = [rng.standard_normal(shape) for shape in shapes]
    ours = [tg.tensor(a, requires_grad=True) for a in arrays]
    theirs = [torch.tensor(a, requires_grad=True) for a in arrays]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours_out, theirs_out = getattr(tg, name)(*ours, **kwargs), getattr(torch, name)(*theirs, **kwargs)
    assert ours_out.shape == tuple(theirs_out.shape)
    assert_values_and_gradients_agree(torch, rng, ours_out, theirs_out, ours, theirs)


def test_products_values_against_numpy():
    a, b = RNG.standard_normal((2, 3)), RNG.standard_normal((4, 2))
    np.testing.assert_allclose(tg.kron(tg.tensor(a), tg.tensor(b)).data, np.kron(a, b))
    c = RNG.standard_normal((3, 4, 5))
    np.testing.assert_allclose(
        tg.tensordot(tg.tensor(c), tg.tensor(c), ([0, 1], [0, 1])).data, np.tensordot(c, c, ([0, 1], [0, 1]))
    )
    m, p, q = RNG.standard_normal((2, 5)), RNG.standard_normal((2, 3)), RNG.standard_normal((3, 5))
    np.testing.assert_allclose(tg.addmm(tg.tensor(m), tg.tensor(p), tg.tensor(q), beta=2).data, 2 * m + p @ q)
    blocks = tg.block_diag(tg.ones(1, 2), tg.tensor(3), tg.tensor([4, 5]))
    assert blocks.dtype == tg.float32 and blocks.tolist() == [
        [1, 1, 0, 0, 0],
        [0, 0, 3, 0, 0],
        [0, 0, 0, 4, 5],
    ]
    assert tg.block_diag().shape == (1, 0) and tg.block_diag(tg.ones(1, 1), tg.ones(0, 2)).shape == (1, 3)
    assert tg.cartesian_prod(tg.tensor([1, 2]), tg.tensor([3, 4])).tolist() == [
        [1, 3],
        [1, 4],
        [2, 3],
        [2, 4],
    ]
    assert tg.diagflat(tg.tensor([1, 2]), 1).tolist() == [[0, 1, 0], [0, 0, 2], [0, 0, 0]]


def test_addmm_with_beta_zero_ignores_nan_in_input():
    x = tg.tensor([[math.nan, math.inf]], dtype=tg.float64, requires_grad=True)
    m1, m2 = f64((2, 3)), f64((3, 2))
    out = tg.addmm(x, m1, m2, beta=0)
    np.testing.assert_allclose(out.data, m1.data @ m2.data)
    out.sum().backward()
    assert x.grad.tolist() == [[0.0, 0.0]]


def test_product_errors():
    with pytest.raises(RuntimeError):  # the product (2, 2) cannot grow to input's (2, 2, 2)
        tg.addmm(tg.ones(2, 2, 2), tg.ones(2, 3), tg.ones(3, 2))
    with pytest.raises(RuntimeError, match="cannot be multiplied"):
        tg.addmm(tg.ones(2, 2), tg.ones(2, 3), tg.ones(4, 2))
    with pytest.raises(RuntimeError, match="same dtype"):
        tg.addmm(tg.ones(2, 2, dtype=tg.int64), tg.ones(2, 3), tg.ones(3, 2))
    with pytest.raises(RuntimeError, match="addr: Expected 1-D argument vec1, but got 2-D"):
        tg.addr(tg.ones(2, 3), tg.ones(2, 1), tg.ones(3))
    with pytest.raises(RuntimeError, match="the last dimension must match"):
        tg.inner(tg.ones(2, 3), tg.ones(4, 2))
    with pytest.raises(RuntimeError, match="contracted dimensions need to match"):
        tg.tensordot(tg.ones(2, 3, 4), tg.ones(3, 4, 5), dims=1)
    with pytest.raises(RuntimeError, match="dims >= 0"):
        tg.tensordot(tg.ones(2), tg.ones(2), dims=-1)
    with pytest.raises(RuntimeError, match="tensordot expects dims < ndim_a or ndim_b, but got dims=3"):
        tg.tensordot(tg.ones(2, 2), tg.ones(2, 2), dims=3)  # (an IndexError before)
    with pytest.raises(RuntimeError, match="Input 0 has 3 dimensions"):
        tg.block_diag(tg.ones(2, 2, 2))
    with pytest.raises(RuntimeError, match="Expect a 1D vector"):
        tg.cartesian_prod(tg.ones(2, 2))
    with pytest.raises(RuntimeError, match="1D tensors expected"):
        tg.vdot(tg.ones(2, 3), tg.ones(3))
    with pytest.raises(RuntimeError, match="floating point"):
        tg.dist(tg.tensor([1, 2]), tg.tensor([0, 0]))
    with pytest.raises(TypeError, match="argument 'other'"):
        tg.fmax(tg.ones(2), 1.0)


def test_errors_agree_with_torch():
    torch = pytest.importorskip("torch")
    cases = [
        ("addmm", [(2, 2, 2), (2, 3), (3, 2)]),
        ("addmm", [(3,), (2, 3), (3, 2)]),
        ("addmv", [(2,), (2, 3), (4,)]),
        ("baddbmm", [(2, 3), (4, 2, 5), (3, 5, 3)]),
        ("inner", [(2, 3), (4, 2)]),
        ("kron", [(2,), (3,)]),
        ("vdot", [(3,), (4,)]),
        ("cross", [(2, 4), (2, 4)]),
        ("dist", [(2,), (3,)]),
        ("det", [(2, 3)]),
        ("inverse", [(3,)]),
    ]
    for name, shapes in cases:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                getattr(torch, name)(*[torch.ones(s) for s in shapes])
        except Exception as error:
            with pytest.raises(type(error)):
                getattr(tg, name)(*[tg.ones(s) for s in shapes])
        else:
            getattr(tg, name)(*[tg.ones(s) for s in shapes])


# ---------------------------------------------------------------- cross, linear algebra


def test_cross_default_dim_is_the_first_of_size_3_and_warns():
    a, b = f64((3, 3), requires_grad=False), f64((3, 3), requires_grad=False)
    with pytest.warns(UserWarning, match="without specifying the dim arg is deprecated"):
        out = tg.cross(a, b)
    np.testing.assert_allclose(out.data, np.cross(a.data, b.data, axis=0))
    with pytest.warns(UserWarning):
        np.testing.assert_allclose(tg.ones(2, 3).cross(tg.ones(2, 3)).data, np.zeros((2, 3)))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # with dim, no warning
        np.testing.assert_allclose(tg.cross(a, b, dim=1).data, np.cross(a.data, b.data))
        np.testing.assert_allclose(a.cross(b, -1).data, np.cross(a.data, b.data))
    with pytest.warns(UserWarning), pytest.raises(RuntimeError, match="no dimension of size 3 in input"):
        tg.cross(tg.ones(2, 4), tg.ones(2, 4))


def test_cross_default_dim_agrees_with_torch():
    torch = pytest.importorskip("torch")
    a, b = RNG.standard_normal((2, 3, 3)), RNG.standard_normal((2, 3, 3))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        np.testing.assert_allclose(
            tg.cross(tg.tensor(a), tg.tensor(b)).data, torch.cross(torch.tensor(a), torch.tensor(b)).numpy()
        )


def well_conditioned(n):
    return tg.tensor(RNG.standard_normal((n, n)) + n * np.eye(n), requires_grad=True)


def test_old_linear_algebra_names():
    a = well_conditioned(3)
    np.testing.assert_allclose(tg.det(a).data, np.linalg.det(a.data))
    np.testing.assert_allclose(tg.inverse(a).data, np.linalg.inv(a.data))
    np.testing.assert_allclose(a.matrix_power(3).data, a.data @ a.data @ a.data)
    np.testing.assert_allclose(tg.pinverse(a).data, np.linalg.pinv(a.data), atol=1e-12)
    sign, logabsdet = tg.slogdet(a)
    np.testing.assert_allclose(sign.data * np.exp(logabsdet.data), np.linalg.det(a.data))
    np.testing.assert_allclose(tg.logdet(a).data, np.log(np.linalg.det(a.data)))
    assert math.isnan(tg.logdet(tg.tensor([[0.0, 1.0], [1.0, 0.0]])).item())
    assert tg.logdet(tg.zeros(2, 2)).item() == -math.inf
    with pytest.raises(RuntimeError):
        tg.det(tg.ones(2, 3))
    with pytest.raises(tg.linalg.LinAlgError):
        tg.inverse(tg.zeros(2, 2))
    for fn in (tg.det, tg.inverse, tg.logdet, lambda t: tg.matrix_power(t, -2), tg.pinverse):
        assert gradcheck(fn, [a])


def test_old_linear_algebra_names_agree_with_torch():
    torch = pytest.importorskip("torch")
    a = RNG.standard_normal((2, 3, 3)) + 3 * np.eye(3)
    a[1] = -a[1]  # a negative determinant: logdet is nan there
    for name, args in [
        ("det", ()),
        ("inverse", ()),
        ("logdet", ()),
        ("matrix_power", (2,)),
        ("pinverse", ()),
    ]:
        ours, theirs = tg.tensor(a, requires_grad=True), torch.tensor(a, requires_grad=True)
        ours_out, theirs_out = getattr(tg, name)(ours, *args), getattr(torch, name)(theirs, *args)
        if name == "logdet":
            np.testing.assert_allclose(ours_out.data, theirs_out.detach().numpy())
            continue
        assert_values_and_gradients_agree(torch, RNG, ours_out, theirs_out, [ours], [theirs])


# ---------------------------------------------------------------- distances


def test_top_level_distances_are_the_functional_ones():
    x1, x2 = f64((4, 3)), f64((4, 3))
    expected = (x1.data * x2.data).sum(1) / np.linalg.norm(x1.data, axis=1) / np.linalg.norm(x2.data, axis=1)
    np.testing.assert_allclose(tg.cosine_similarity(x1, x2).data, expected)
    np.testing.assert_allclose(
        tg.pairwise_distance(x1, x2).data, np.linalg.norm(x1.data - x2.data + 1e-6, axis=1)
    )
    assert tg.pdist(x1).shape == (6,)
    np.testing.assert_allclose(tg.dist(x1, x2).data, np.linalg.norm(x1.data - x2.data))
    assert gradcheck(lambda a, b: tg.cosine_similarity(a, b, dim=0), [x1, x2])


def test_top_level_distances_agree_with_torch():
    torch = pytest.importorskip("torch")
    x1, x2 = RNG.standard_normal((4, 3)), RNG.standard_normal((4, 3))
    for name in ("cosine_similarity", "pairwise_distance", "dist"):
        ours, theirs = (
            [tg.tensor(x, requires_grad=True) for x in (x1, x2)],
            [torch.tensor(x, requires_grad=True) for x in (x1, x2)],
        )
        assert_values_and_gradients_agree(
            torch, RNG, getattr(tg, name)(*ours), getattr(torch, name)(*theirs), ours, theirs
        )
    ours, theirs = tg.tensor(x1, requires_grad=True), torch.tensor(x1, requires_grad=True)
    assert_values_and_gradients_agree(torch, RNG, tg.pdist(ours), torch.pdist(theirs), [ours], [theirs])


# ---------------------------------------------------------------- fmax, fmin, isin


def test_fmax_fmin_ignore_nan():
    a, b = tg.tensor([1.0, math.nan, 3.0, math.nan]), tg.tensor([math.nan, 2.0, 1.0, math.nan])
    assert tg.fmax(a, b).tolist()[:3] == [1.0, 2.0, 3.0] and math.isnan(tg.fmax(a, b)[3].item())
    assert tg.fmin(a, b).tolist()[:3] == [1.0, 2.0, 1.0] and math.isnan(a.fmin(b)[3].item())
    assert tg.fmax(tg.tensor([1, 5]), tg.tensor([1.5, 0.5])).tolist() == [1.5, 5.0]
    x = tg.tensor([1.0, 2.0], dtype=tg.float64, requires_grad=True)
    y = tg.tensor([1.0, math.nan], dtype=tg.float64, requires_grad=True)
    tg.fmax(x, y).sum().backward()
    assert x.grad.tolist() == [1.0, 1.0] and y.grad.tolist() == [0.0, 0.0]  # a tie: all to input


def test_fmax_fmin_agree_with_torch():
    torch = pytest.importorskip("torch")
    a, b = np.array([1.0, math.nan, 3.0, 2.0]), np.array([math.nan, 2.0, 1.0, 2.0])
    for name in ("fmax", "fmin"):
        ours, theirs = (
            [tg.tensor(v, requires_grad=True) for v in (a, b)],
            [torch.tensor(v, requires_grad=True) for v in (a, b)],
        )
        ours_out, theirs_out = getattr(tg, name)(*ours), getattr(torch, name)(*theirs)
        ours_out.sum().backward()
        theirs_out.sum().backward()
        np.testing.assert_array_equal(ours_out.data, theirs_out.detach().numpy())
        for o, t in zip(ours, theirs):
            np.testing.assert_array_equal(o.grad.data, t.grad.numpy())


def test_isin():
    e = tg.tensor([[1, 2], [3, 4]])
    assert tg.isin(e, tg.tensor([2, 3, 9])).tolist() == [[False, True], [True, False]]
    assert e.isin(4, invert=True).tolist() == [[True, True], [True, False]]
    assert tg.isin(3, tg.tensor([2, 3])).item() is True and tg.isin(e, 2).dtype == tg.bool
    with pytest.raises(TypeError):
        tg.isin(1, 2)
    torch = pytest.importorskip("torch")
    assert (
        tg.isin(e, tg.tensor([2, 5]), invert=True).tolist()
        == torch.isin(torch.tensor([[1, 2], [3, 4]]), torch.tensor([2, 5]), invert=True).tolist()
    )


# ---------------------------------------------------------------- cov, corrcoef


def test_cov_and_corrcoef_against_numpy():
    x = f64((3, 7))
    np.testing.assert_allclose(tg.cov(x).data, np.cov(x.data))
    np.testing.assert_allclose(x.cov(correction=0).data, np.cov(x.data, bias=True))
    fw, aw = tg.tensor([1, 2, 1, 3, 1, 1, 2]), tg.tensor(RNG.uniform(0.5, 2, 7))
    np.testing.assert_allclose(
        tg.cov(x, fweights=fw, aweights=aw).data, np.cov(x.data, fweights=fw.data, aweights=aw.data)
    )
    np.testing.assert_allclose(tg.corrcoef(x).data, np.corrcoef(x.data))
    assert tg.cov(x[0]).shape == () and tg.corrcoef(tg.tensor([1, 2, 4])).item() == 1.0
    np.testing.assert_allclose(tg.cov(tg.tensor([1, 2, 4])).item(), np.cov([1, 2, 4]))
    with pytest.warns(UserWarning, match="degrees of freedom is <= 0"):
        assert math.isnan(tg.cov(tg.tensor([1.0])).item()) or math.isinf(tg.cov(tg.tensor([1.0])).item())
    with pytest.raises(RuntimeError, match="two or fewer dimensions"):
        tg.cov(tg.ones(2, 2, 2))
    with pytest.raises(RuntimeError, match="fweights to have integral dtype"):
        tg.cov(x, fweights=tg.ones(7))
    with pytest.raises(RuntimeError, match="aweights cannot be negative"):
        tg.cov(x, aweights=-tg.ones(7))
    assert gradcheck(lambda t: tg.cov(t, aweights=aw.double()), [x])
    assert gradcheck(tg.corrcoef, [x]) and gradgradcheck(tg.cov, [x])


def test_cov_and_corrcoef_agree_with_torch():
    torch = pytest.importorskip("torch")
    x = RNG.standard_normal((3, 6))
    fw, aw = np.array([1, 2, 1, 3, 1, 2]), RNG.uniform(0.5, 2, 6)
    for name, kwargs in [
        ("cov", {}),
        ("cov", {"correction": 0}),
        ("cov", {"fweights": "fw", "aweights": "aw"}),
        ("corrcoef", {}),
    ]:
        weights = {"fw": fw, "aw": aw}
        ours_kwargs = {k: tg.tensor(weights[v]) if isinstance(v, str) else v for k, v in kwargs.items()}
        theirs_kwargs = {k: torch.tensor(weights[v]) if isinstance(v, str) else v for k, v in kwargs.items()}
        ours, theirs = tg.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
        assert_values_and_gradients_agree(
            torch,
            RNG,
            getattr(tg, name)(ours, **ours_kwargs),
            getattr(torch, name)(theirs, **theirs_kwargs),
            [ours],
            [theirs],
        )


# ---------------------------------------------------------------- trapezoidal rule


def test_trapezoid_against_numpy():
    y, x = f64((2, 5)), tg.tensor(np.cumsum(RNG.uniform(0.1, 1, 5)), requires_grad=True)
    np.testing.assert_allclose(tg.trapezoid(y).data, np.trapezoid(y.data))
    np.testing.assert_allclose(tg.trapezoid(y, dx=0.5).data, np.trapezoid(y.data, dx=0.5))
    np.testing.assert_allclose(tg.trapz(y, x).data, np.trapezoid(y.data, x.data))
    np.testing.assert_allclose(tg.trapezoid(y, x[:2], dim=0).data, np.trapezoid(y.data, x.data[:2], axis=0))
    running = tg.cumulative_trapezoid(y, x)
    assert running.shape == (2, 4)
    np.testing.assert_allclose(running[:, -1].data, np.trapezoid(y.data, x.data))
    assert tg.trapezoid(tg.tensor([1, 2, 4])).item() == 4.5 and tg.trapezoid(tg.ones(2, 0)).tolist() == [0, 0]
    assert tg.cumulative_trapezoid(tg.ones(2, 1)).shape == (2, 0)
    with pytest.raises(RuntimeError, match="one `x` value for each sample point"):
        tg.trapezoid(y, x[:3])
    with pytest.raises(TypeError):
        tg.trapezoid(y, x, dx=2.0)
    assert gradcheck(lambda a, b: tg.trapezoid(a, b), [y, x])
    assert gradcheck(lambda a, b: tg.cumulative_trapezoid(a, b.unsqueeze(0)), [y, x])


def test_trapezoid_agrees_with_torch():
    torch = pytest.importorskip("torch")
    y, x = RNG.standard_normal((3, 4)), np.cumsum(RNG.uniform(0.1, 1, 4))
    for name in ("trapezoid", "cumulative_trapezoid"):
        ours, theirs = (
            [tg.tensor(v, requires_grad=True) for v in (y, x)],
            [torch.tensor(v, requires_grad=True) for v in (y, x)],
        )
        assert_values_and_gradients_agree(
            torch, RNG, getattr(tg, name)(*ours), getattr(torch, name)(*theirs), ours, theirs
        )
        ours, theirs = tg.tensor(y, requires_grad=True), torch.tensor(y, requires_grad=True)
        assert_values_and_gradients_agree(
            torch,
            RNG,
            getattr(tg, name)(ours, dx=0.3, dim=0),
            getattr(torch, name)(theirs, dx=0.3, dim=0),
            [ours],
            [theirs],
        )


# ---------------------------------------------------------------- tril/triu indices, tril_/triu_


def test_triangle_indices():
    assert tg.tril_indices(3, 2).tolist() == [[0, 1, 1, 2, 2], [0, 0, 1, 0, 1]]
    upper = tg.triu_indices(3, 3, 1)
    assert upper.tolist() == [[0, 0, 1], [1, 2, 2]] and upper.dtype == tg.int64
    assert tg.tril_indices(3, 3, -1, dtype=tg.int32).dtype == tg.int32
    with pytest.raises(RuntimeError, match="row must be non-negative"):
        tg.tril_indices(-1, 3)
    with pytest.raises(NotImplementedError):
        tg.triu_indices(3, 3, dtype=tg.float32)
    torch = pytest.importorskip("torch")
    for rows, cols, offset in [(3, 2, 0), (4, 4, 1), (2, 5, -1), (0, 3, 0), (3, 3, 5)]:
        for name in ("tril_indices", "triu_indices"):
            assert (
                getattr(tg, name)(rows, cols, offset).tolist()
                == getattr(torch, name)(rows, cols, offset).tolist()
            )


def test_tril_and_triu_in_place():
    x = f64((3, 3), requires_grad=False)
    before = x.data.copy()
    assert x.tril_(-1) is x and x.tolist() == np.tril(before, -1).tolist()
    y = tg.tensor(before)
    assert y.triu_().tolist() == np.triu(before).tolist()
    leaf = f64((3, 3))
    h = leaf * 2
    h.triu_(1)
    h.sum().backward()
    assert leaf.grad.tolist() == (2 * np.triu(np.ones((3, 3)), 1)).tolist()


# ---------------------------------------------------------------- apply_, map_


def test_apply_and_map_run_python_per_element():
    x = tg.tensor([[1.0, 4.0], [9.0, 16.0]])
    version = x._version
    assert x.apply_(math.sqrt) is x and x.tolist() == [[1.0, 2.0], [3.0, 4.0]] and x._version > version
    ints = tg.tensor([1, 2, 3])
    assert ints.apply_(lambda v: v / 2).tolist() == [0, 1, 1] and ints.dtype == tg.int64
    assert x.map_(tg.tensor([10.0, 20.0]), lambda a, b: a + b).tolist() == [[11.0, 22.0], [13.0, 24.0]]
    with pytest.raises(TypeError, match="not callable"):
        x.apply_(5)
    with pytest.raises(RuntimeError, match="Can't call apply_\\(\\) on Variable that requires grad"):
        f64((2,)).apply_(abs)
    with pytest.raises(RuntimeError, match="Can't call map_"):
        (f64((2,)) * 2).map_(tg.ones(2, dtype=tg.float64), max)
    with pytest.raises(TypeError, match="for 'other'"):
        ints.map_(tg.tensor([1.5, 2.5, 3.5]), max)
    before = x.tolist()
    with pytest.raises(RuntimeError):
        x.map_(tg.tensor([1.0, 2.0, 3.0]), max)
    with pytest.raises(TypeError):
        x.apply_(lambda v: "a")
    assert x.tolist() == before  # a failed call changes nothing


def test_apply_and_map_agree_with_torch():
    torch = pytest.importorskip("torch")
    values = RNG.standard_normal((2, 3)) * 5
    for dtype in (np.float64, np.int64):
        ours, theirs = tg.tensor(values.astype(dtype)), torch.tensor(values.astype(dtype))
        ours.apply_(lambda v: v * 1.5 - 1)
        theirs.apply_(lambda v: v * 1.5 - 1)
        assert ours.tolist() == theirs.tolist()
        other = (RNG.standard_normal(3) * 4).astype(dtype)
        ours.map_(tg.tensor(other), lambda a, b: a * b)
        theirs.map_(torch.tensor(other), lambda a, b: a * b)
        assert ours.tolist() == theirs.tolist()


# ---------------------------------------------------------------- result_type, promote_types, can_cast

DTYPE_PAIRS = [  # (operand, operand, PyTorch's result dtype)
    (lambda: tg.ones(2, dtype=tg.int64), 2.5, tg.float32),  # a float number lifts ints to the default float
    (lambda: tg.ones(2, dtype=tg.float32), 2.5, tg.float32),
    (lambda: tg.ones(2, dtype=tg.int32), 7, tg.int32),  # an int number keeps the tensor's int width
    (
        lambda: tg.ones(2, dtype=tg.uint8),
        tg.ones((), dtype=tg.int64),
        tg.uint8,
    ),  # a 0-d tensor of the same category
    (lambda: tg.ones(2, dtype=tg.float32), tg.ones((), dtype=tg.float64), tg.float32),
    (lambda: tg.ones(2, dtype=tg.int64), tg.ones((), dtype=tg.float64), tg.float64),  # a higher category wins
    (lambda: 2, 3.0, tg.float32),
    (lambda: True, 2, tg.int64),
    (lambda: tg.ones(2, dtype=tg.bool_), 1.5, tg.float32),
    (lambda: tg.ones(2, dtype=tg.bool_), tg.ones(2, dtype=tg.uint8), tg.uint8),
]


@pytest.mark.parametrize("first, second, expected", DTYPE_PAIRS)
def test_result_type_follows_pytorchs_promotion(first, second, expected):
    assert tg.result_type(first(), second) == expected
    if isinstance(first(), tg.Tensor):  # the dtype binary ops really give
        assert (first() + second).dtype == expected


def test_promote_types_and_can_cast_by_category():
    assert tg.promote_types(tg.int64, tg.float32) == tg.float32  # NumPy would say float64
    assert (
        tg.promote_types(np.uint8, tg.int32) == tg.int32 and tg.promote_types(tg.bool_, tg.uint8) == tg.uint8
    )
    assert tg.can_cast(tg.float64, tg.float32) and tg.can_cast(tg.int32, tg.float16)
    assert not tg.can_cast(tg.float32, tg.int64) and not tg.can_cast(tg.int8, tg.bool_)


def test_dtype_rules_agree_with_torch():
    torch = pytest.importorskip("torch")
    names = ["float32", "float64", "int64", "int32", "uint8", "bool"]
    ours = {n: getattr(tg, "bool_" if n == "bool" else n) for n in names}
    for a in names:
        for b in names:
            torch_promoted = str(torch.promote_types(getattr(torch, a), getattr(torch, b))).removeprefix(
                "torch."
            )
            assert tg.promote_types(ours[a], ours[b]).name == torch_promoted, (a, b)
            assert tg.can_cast(ours[a], ours[b]) == torch.can_cast(getattr(torch, a), getattr(torch, b)), (
                a,
                b,
            )
    for first, second, _ in DTYPE_PAIRS:
        ours_a = first()
        theirs_a = torch.tensor(ours_a.data) if isinstance(ours_a, tg.Tensor) else ours_a
        theirs_b = torch.tensor(second.data) if isinstance(second, tg.Tensor) else second
        assert tg.result_type(ours_a, second).name == str(torch.result_type(theirs_a, theirs_b)).removeprefix(
            "torch."
        )
