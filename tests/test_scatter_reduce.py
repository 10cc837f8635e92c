"""scatter_reduce / index_reduce (ops/scatter_reduce.py): values, gradients, errors, in-place forms."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import tinygrad_edu as tg
from tinygrad_edu.testing import gradcheck, gradgradcheck

REDUCES = ["sum", "prod", "mean", "amax", "amin"]


@st.composite
def scatter_case(draw: st.DrawFn) -> tuple:
    """(x, dim, index, src) of float64 with all values distinct (no ties for amax/amin), none 0."""
    ndim = draw(st.integers(1, 3))
    shape = tuple(draw(st.lists(st.integers(1, 3), min_size=ndim, max_size=ndim)))
    d = draw(st.integers(-ndim, ndim - 1))
    index_shape = tuple(
        draw(st.integers(1, 4)) if e == d % ndim else draw(st.integers(1, n)) for e, n in enumerate(shape)
    )
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    index = rng.integers(0, shape[d], index_shape)
    n_x, n_src = int(np.prod(shape)), int(np.prod(index_shape))
    # distinct values 0.3 apart, away from 0, in a random order
    values = (rng.permutation(n_x + n_src) - (n_x + n_src) / 2 + 0.5) * 0.3
    x = values[:n_x].reshape(shape)
    src = values[n_x:].reshape(index_shape)
    return x, d, index, src


@pytest.mark.parametrize("include_self", [True, False])
@pytest.mark.parametrize("reduce", REDUCES)
@given(case=scatter_case())
def test_first_and_second_derivatives_match_finite_differences(reduce, include_self, case):
    x, d, index, src = case
    idx = tg.tensor(index)

    def f(a, b):
        return a.scatter_reduce(d, idx, b, reduce, include_self=include_self) ** 2

    inputs = [tg.tensor(x, requires_grad=True), tg.tensor(src, requires_grad=True)]
    assert gradcheck(f, inputs)
    assert gradgradcheck(f, inputs)


@pytest.mark.parametrize("reduce", REDUCES[1:])
@given(case=scatter_case())
def test_index_reduce_derivatives_match_finite_differences(reduce, case):
    x, d, _, _ = case
    d %= x.ndim
    rng = np.random.default_rng(x.size)
    k = int(rng.integers(1, 4))
    index = tg.tensor(rng.integers(0, x.shape[d], k))
    shape = x.shape[:d] + (k,) + x.shape[d + 1 :]
    # x and source drawn together: every value distinct (no ties), none 0
    n = x.size + int(np.prod(shape))
    values = (rng.permutation(n) - n / 2 + 0.5) * 0.3
    a, b = values[: x.size].reshape(x.shape), values[x.size :].reshape(shape)

    def f(a, b):
        return a.index_reduce(d, index, b, reduce, include_self=False) * a

    inputs = [tg.tensor(a, requires_grad=True), tg.tensor(b, requires_grad=True)]
    assert gradcheck(f, inputs)
    assert gradgradcheck(f, inputs)


def test_prod_with_zeros_gives_each_factor_the_product_of_the_others():
    x = tg.tensor([0.0, 2.0, 3.0, 0.0], requires_grad=True)
    src = tg.tensor([0.0, 4.0, 0.0, 0.0, 5.0, 7.0], requires_grad=True)
    index = tg.tensor([0, 0, 1, 1, 2, 3])
    y = x.scatter_reduce(0, index, src, "prod")
    np.testing.assert_array_equal(y.data, [0.0, 0.0, 15.0, 0.0])
    y.backward(tg.tensor([1.0, 10.0, 100.0, 1000.0]))
    # place 0: factors 0 (x), 0, 4: each zero's others include a zero, except none; 4's others hold 0
    # place 3: x = 0 is the only zero, so it gets 7 and 7 gets 0
    np.testing.assert_array_equal(x.grad.data, [0.0, 0.0, 500.0, 7000.0])
    np.testing.assert_array_equal(src.grad.data, [0.0, 0.0, 0.0, 0.0, 300.0, 0.0])
    # a lone zero in src gets the product of the rest
    s = tg.tensor([0.0, 4.0], requires_grad=True)
    tg.tensor([3.0]).scatter_reduce(0, tg.tensor([0, 0]), s, "prod").backward()
    np.testing.assert_array_equal(s.grad.data, [12.0, 0.0])


def test_prod_refuses_second_derivatives_where_two_zeros_of_src_meet():
    x = tg.tensor([2.0], requires_grad=True)
    src = tg.tensor([0.0, 0.0, 3.0], requires_grad=True)
    y = x.scatter_reduce(0, tg.tensor([0, 0, 0]), src, "prod")
    (g_src,) = tg.autograd.grad(y.sum(), [src], create_graph=True)
    np.testing.assert_array_equal(g_src.data, [0.0, 0.0, 0.0])
    with pytest.raises(RuntimeError, match="Double backward is unsupported for src when >1 zeros"):
        g_src.sum().backward()
    # one zero: differentiable twice (d2y/dsrc0 dsrc2 = x = 2)
    src1 = tg.tensor([0.0, 1.0, 3.0], requires_grad=True)
    y = x.scatter_reduce(0, tg.tensor([0, 0, 0]), src1, "prod")
    (g,) = tg.autograd.grad(y.sum(), [src1], create_graph=True)
    (h,) = tg.autograd.grad(g[0], [src1])
    np.testing.assert_array_equal(h.data, [0.0, 6.0, 2.0])


def test_amax_splits_the_gradient_among_ties_counting_self_even_when_excluded():
    x = tg.tensor([5.0, 1.0], requires_grad=True)
    src = tg.tensor([5.0, 5.0, 2.0], requires_grad=True)
    index = tg.tensor([0, 0, 1])
    x.scatter_reduce(0, index, src, "amax").sum().backward()
    np.testing.assert_allclose(x.grad.data, [1 / 3, 0.0])
    np.testing.assert_allclose(src.grad.data, [1 / 3, 1 / 3, 1.0])
    x.grad = src.grad = None
    x.scatter_reduce(0, index, src, "amax", include_self=False).sum().backward()
    np.testing.assert_allclose(x.grad.data, [0.0, 0.0])  # (PyTorch: self still takes a share)
    np.testing.assert_allclose(src.grad.data, [1 / 3, 1 / 3, 1.0])


def test_integer_tensors_mean_rounds_down_and_amax_starts_from_the_sources():
    x = tg.tensor([[1, 2, 3], [4, 5, 6]])
    index = tg.tensor([[0, 1, 0], [1, 1, 1]])
    src = tg.tensor([[-7, -7, -7], [-7, -7, -7]])
    np.testing.assert_array_equal(x.scatter_reduce(0, index, src, "mean").data, [[-3, 2, -2], [-2, -3, -1]])
    big = tg.tensor([[10, 20, 30], [40, 50, 60]])
    out = x.scatter_reduce(0, index, big, "amax", include_self=False)
    np.testing.assert_array_equal(out.data, [[10, 2, 30], [40, 50, 60]])
    assert out.dtype == np.int64


def test_zero_dim_tensors_are_one_element_vectors():
    y = tg.tensor(2.0).scatter_reduce(0, tg.tensor(0), tg.tensor(3.0), "prod")
    assert y.shape == () and y.item() == 6.0
    y = tg.tensor(2.0).index_reduce(0, tg.tensor(0), tg.tensor(3.0), "amin", include_self=False)
    assert y.shape == () and y.item() == 3.0


def test_errors_name_the_problem_with_pytorchs_types():
    x = tg.tensor([[1.0, 2.0], [3.0, 4.0]])
    index = tg.tensor([[0, 1], [1, 1]])
    src = tg.tensor([[5.0, 6.0], [7.0, 8.0]])
    with pytest.raises(
        RuntimeError, match="reduce argument must be either sum, prod, mean, amax or amin, got max"
    ):
        x.scatter_reduce(0, index, src, "max")
    with pytest.raises(RuntimeError, match="index 2 is out of bounds for dimension 0 with size 2"):
        x.scatter_reduce(0, index + 1, src, "sum")
    with pytest.raises(RuntimeError, match="index -2 is out of bounds"):
        x.scatter_reduce(0, index - 2, src, "sum")
    with pytest.raises(RuntimeError, match="Expected self.dtype to be equal to src.dtype"):
        x.scatter_reduce(0, index, src.double(), "sum")
    with pytest.raises(RuntimeError, match="Expected dtype int32/int64 for index"):
        x.scatter_reduce(0, index.float(), src, "sum")
    with pytest.raises(RuntimeError, match="Index tensor must have the same number of dimensions"):
        x.scatter_reduce(0, index[0], src, "sum")
    with pytest.raises(TypeError, match=r"argument 'src' \(position 3\) must be Tensor, not float"):
        x.scatter_reduce(0, index, 3.0, "sum")
    with pytest.raises(IndexError, match="Dimension out of range"):
        x.scatter_reduce(2, index, src, "sum")
    with pytest.raises(
        RuntimeError, match="Expected reduce to be one of prod, mean, amax or amin but got sum"
    ):
        x.index_reduce(0, tg.tensor([0, 0]), src, "sum")
    with pytest.raises(IndexError, match="index out of range in self"):
        x.index_reduce(0, tg.tensor([0, 2]), src, "prod")
    with pytest.raises(RuntimeError, match="must have the same scalar type"):
        x.index_reduce(0, tg.tensor([0, 0]), src.double(), "prod")
    with pytest.raises(RuntimeError, match=r"Number of indices \(3\) should be equal to source.size\(dim\)"):
        x.index_reduce(0, tg.tensor([0, 0, 1]), src, "prod")
    with pytest.raises(IndexError, match="Index is supposed to be a vector"):
        x.index_reduce(0, tg.tensor([[0, 0]]), src, "prod")


def test_in_place_forms_write_into_self_and_failed_calls_change_nothing():
    a = tg.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    y = a * 1.0
    index = tg.tensor([[0, 0], [0, 1]])
    src = tg.tensor([[5.0, 6.0], [7.0, 8.0]], requires_grad=True)
    expected = y.scatter_reduce(0, index, src, "amax").data
    version = y._version
    for bad in [
        lambda: y.scatter_reduce_(0, index, src, "max"),
        lambda: y.scatter_reduce_(0, index + 5, src, "sum"),
    ]:
        with pytest.raises(RuntimeError):
            bad()
        np.testing.assert_array_equal(y.data, [[1.0, 2.0], [3.0, 4.0]])
        assert y._version == version
    assert y.scatter_reduce_(0, index, src, "amax") is y
    np.testing.assert_array_equal(y.data, expected)
    assert y._version == version + 1
    y.sum().backward()
    np.testing.assert_array_equal(src.grad.data, [[0.0, 1.0], [1.0, 1.0]])
    np.testing.assert_array_equal(a.grad.data, [[0.0, 0.0], [1.0, 0.0]])
    z = tg.tensor([[1.0, 2.0], [3.0, 4.0]])
    z.index_reduce_(1, tg.tensor([1, 1]), tg.tensor([[2.0, 3.0], [4.0, 5.0]]), "mean", include_self=False)
    np.testing.assert_array_equal(z.data, [[1.0, 2.5], [3.0, 4.5]])
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad"):
        a.scatter_reduce_(0, index, src, "sum")


def _torch_case(torch, rng, reduce, include_self, dim, op):
    x = rng.integers(-2, 3, (3, 4)).astype(float)  # small integers: ties and zeros abound
    if op == "scatter_reduce":
        index = rng.integers(0, x.shape[dim], (4, 4) if dim == 0 else (3, 5))
    else:
        index = rng.integers(0, x.shape[dim], 5)
    shape = (
        index.shape if op == "scatter_reduce" else tuple(5 if e == dim else n for e, n in enumerate(x.shape))
    )
    src = rng.integers(-2, 3, shape).astype(float)
    ours = [tg.tensor(x, requires_grad=True), tg.tensor(src, requires_grad=True)]
    theirs = [torch.tensor(x, requires_grad=True), torch.tensor(src, requires_grad=True)]
    out = getattr(ours[0], op)(dim, tg.tensor(index), ours[1], reduce, include_self=include_self)
    expected = getattr(theirs[0], op)(dim, torch.tensor(index), theirs[1], reduce, include_self=include_self)
    return ours, theirs, out, expected


@pytest.mark.parametrize("op", ["scatter_reduce", "index_reduce"])
@pytest.mark.parametrize("dim", [0, 1])
@pytest.mark.parametrize("include_self", [True, False])
@pytest.mark.parametrize("reduce", REDUCES)
def test_values_and_gradients_agree_with_pytorch(reduce, include_self, dim, op):
    torch = pytest.importorskip("torch")
    from .torch_compare import assert_values_and_gradients_agree

    if op == "index_reduce" and reduce == "sum":
        pytest.skip("index_reduce has no sum (index_add is its sum)")
    rng = np.random.default_rng(REDUCES.index(reduce) * 4 + 2 * include_self + dim)
    ours, theirs, out, expected = _torch_case(torch, rng, reduce, include_self, dim, op)
    assert_values_and_gradients_agree(torch, rng, out, expected, ours, theirs)
