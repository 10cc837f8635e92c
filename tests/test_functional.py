"""Whole derivatives (tg.autograd.functional) and the engine options they rest on.

Jacobians and Hessians are checked against central finite differences in
float64 over drawn shapes; vjp, jvp, hvp and vhp against the matrices they
multiply. Then `backward(inputs=)` and `autograd.grad(materialize_grads=)`.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import tinygrad_edu as tg
from tinygrad_edu.autograd import functional as AF
from tinygrad_edu.testing.strategies import broadcastable_shapes, shapes, tensors

SMALL = st.floats(-2, 2, allow_nan=False, allow_infinity=False)


def numeric_jacobian(f, xs: list[np.ndarray], eps: float = 1e-6) -> list[list[np.ndarray]]:
    """J[i][j] of f (arrays in, a tuple of arrays out) by central differences."""
    ys = f(*xs)
    jac = [[np.zeros(y.shape + x.shape) for x in xs] for y in ys]
    for j, x in enumerate(xs):
        for k in np.ndindex(x.shape):
            up, down = [a.copy() for a in xs], [a.copy() for a in xs]
            up[j][k] += eps
            down[j][k] -= eps
            for i, (yu, yd) in enumerate(zip(f(*up), f(*down))):
                jac[i][j][(...,) + k] = (yu - yd) / (2 * eps)
    return jac


def two_outputs(a, b):
    """(tanh(a) * b, sum(a * a * b)): broadcasting, and a scalar output beside a tensor one."""
    return a.tanh() * b, (a * a * b).sum()


def two_outputs_np(a, b):
    return np.tanh(a) * b, np.asarray((a * a * b).sum())


def scalar(a, b):
    """A scalar with mixed second derivatives between its two inputs."""
    return ((a * b).sin() + a * a * a).sum()


def scalar_np(a, b):
    return np.asarray((np.sin(a * b) + a**3).sum())


@st.composite
def broadcasting_pair(draw):
    shape = draw(shapes(max_dims=2, max_side=3))
    other = draw(broadcastable_shapes(shape, max_dims=2, max_side=3))
    a = draw(tensors(shape, elements=SMALL))
    b = draw(tensors(other, elements=SMALL))
    return a, b


@given(broadcasting_pair())
def test_jacobian_matches_finite_differences(pair) -> None:
    a, b = pair
    jac = AF.jacobian(two_outputs, (a, b))
    expected = numeric_jacobian(two_outputs_np, [a.data, b.data])
    for i in range(2):
        for j in range(2):
            assert jac[i][j].shape == expected[i][j].shape
            np.testing.assert_allclose(jac[i][j].data, expected[i][j], rtol=1e-6, atol=1e-8)


@given(broadcasting_pair())
def test_hessian_matches_finite_differences_of_the_gradient(pair) -> None:
    a, b = pair
    hess = AF.hessian(scalar, (a, b))

    def gradient_np(x, y):
        xt = tg.tensor(x, requires_grad=True)
        yt = tg.tensor(y, requires_grad=True)
        return tuple(g.data for g in tg.autograd.grad(scalar(xt, yt), [xt, yt]))

    expected = numeric_jacobian(gradient_np, [a.data, b.data])
    for i in range(2):
        for j in range(2):
            np.testing.assert_allclose(hess[i][j].data, expected[i][j], rtol=1e-5, atol=1e-7)
    # symmetric: d2f/da db is the transpose of d2f/db da
    na, nb = a.data.size, b.data.size
    np.testing.assert_allclose(
        hess[0][1].data.reshape(na, nb), hess[1][0].data.reshape(nb, na).T, rtol=1e-12, atol=1e-12
    )


@given(broadcasting_pair(), st.integers(0, 2**32 - 1))
def test_products_equal_the_matrices_they_multiply(pair, seed: int) -> None:
    a, b = pair
    rng = np.random.default_rng(seed)
    flat = lambda t: t.data.reshape(-1)  # noqa: E731
    # vjp and jvp against J (with flattened shapes: J is (m, n) per output/input pair)
    outs = two_outputs(a, b)
    jac = AF.jacobian(two_outputs, (a, b))
    vs = tuple(tg.tensor(rng.normal(size=y.shape)) for y in outs)
    us = tuple(tg.tensor(rng.normal(size=x.shape)) for x in (a, b))
    value, vjp = AF.vjp(two_outputs, (a, b), vs)
    for j in range(2):
        expected = sum(flat(vs[i]) @ jac[i][j].data.reshape(outs[i].numel(), -1) for i in range(2))
        np.testing.assert_allclose(flat(vjp[j]), expected, rtol=1e-10, atol=1e-12)
    np.testing.assert_array_equal(value[0].data, outs[0].data)
    _, jvp = AF.jvp(two_outputs, (a, b), us)
    for i in range(2):
        expected = sum(jac[i][j].data.reshape(outs[i].numel(), -1) @ flat(us[j]) for j in range(2))
        np.testing.assert_allclose(flat(jvp[i]), expected, rtol=1e-10, atol=1e-12)
    # hvp and vhp against H
    hess = AF.hessian(scalar, (a, b))
    value, hvp = AF.hvp(scalar, (a, b), us)
    _, vhp = AF.vhp(scalar, (a, b), us)
    sizes = (a.numel(), b.numel())
    for i in range(2):
        expected = sum(hess[i][j].data.reshape(sizes[i], sizes[j]) @ flat(us[j]) for j in range(2))
        np.testing.assert_allclose(flat(hvp[i]), expected, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(flat(vhp[i]), expected, rtol=1e-10, atol=1e-12)
    assert value.item() == pytest.approx(scalar(a, b).item(), rel=1e-15)


def test_shapes_follow_what_func_takes_and_returns() -> None:
    x = tg.tensor([1.0, 2.0, 3.0], dtype=np.float64)
    y = tg.tensor([[0.5, -1.0]], dtype=np.float64)
    square = lambda t: t * t  # noqa: E731
    assert AF.jacobian(square, x).shape == (3, 3)  # one Tensor in, one out: a Tensor
    (j,) = AF.jacobian(square, (x,))  # a tuple in: a tuple
    np.testing.assert_array_equal(j.data, np.diag([2.0, 4.0, 6.0]))
    j = AF.jacobian(lambda a, b: (a.sum() * b, a), (x, y))
    assert [[t.shape for t in row] for row in j] == [[(1, 2, 3), (1, 2, 1, 2)], [(3, 3), (3, 1, 2)]]
    np.testing.assert_array_equal(j[1][1].data, np.zeros((3, 1, 2)))  # a is independent of b
    assert AF.jacobian(lambda t: t**3, tg.tensor(2.0)).item() == 12.0  # 0-d in and out
    assert AF.jacobian(lambda t: t[:0], x).shape == (0, 3)  # an empty output
    h = AF.hessian(lambda t: (t**3).sum(), x)
    np.testing.assert_array_equal(h.data, np.diag([6.0, 12.0, 18.0]))
    value, product = AF.vjp(lambda t: (t**3).sum(), x)  # v left out for a one-element output
    assert value.item() == 36.0 and product.tolist() == [3.0, 12.0, 27.0]


def test_the_callers_tensors_are_left_alone_and_grad_mode_does_not_matter() -> None:
    x = tg.tensor([1.0, 2.0], requires_grad=True)
    with tg.no_grad():
        j = AF.jacobian(lambda t: t * t, x)
        value, product = AF.vjp(lambda t: t * t, x, tg.ones(2))
    np.testing.assert_array_equal(j.data, np.diag([2.0, 4.0]))
    assert x.grad is None and x.is_leaf
    # without create_graph, nothing handed back is on a graph
    assert not any(t.requires_grad for t in (j, value, product))


def test_create_graph_results_can_be_differentiated_again() -> None:
    x = tg.tensor([1.0, -2.0, 0.5], dtype=np.float64, requires_grad=True)
    j = AF.jacobian(lambda t: t**3, x, create_graph=True)  # diag(3 x^2)
    (dj,) = tg.autograd.grad(j.sum(), [x])
    np.testing.assert_allclose(dj.data, 6 * x.data)
    h = AF.hessian(lambda t: (t**4).sum(), x, create_graph=True)  # diag(12 x^2)
    (dh,) = tg.autograd.grad(h.sum(), [x])
    np.testing.assert_allclose(dh.data, 24 * x.data)
    _, hv = AF.hvp(lambda t: (t**4).sum(), x, tg.ones(3, dtype=np.float64), create_graph=True)
    (dhv,) = tg.autograd.grad(hv.sum(), [x])
    np.testing.assert_allclose(dhv.data, 24 * x.data)


def test_strict_refuses_what_would_silently_be_zeros() -> None:
    x = tg.tensor([1.0, 2.0])
    y = tg.tensor([3.0])
    # not strict: zeros
    j = AF.jacobian(lambda a, b: a * 2, (x, y))
    np.testing.assert_array_equal(j[1].data, np.zeros((2, 1)))
    np.testing.assert_array_equal(AF.jacobian(lambda a: tg.ones(2), x).data, np.zeros((2, 2)))
    np.testing.assert_array_equal(AF.hessian(lambda a: a.sum(), x).data, np.zeros((2, 2)))
    np.testing.assert_array_equal(AF.jvp(lambda a: tg.ones(2), x, tg.ones(2))[1].data, np.zeros(2))
    # strict: errors that say which output and which input
    with pytest.raises(RuntimeError, match="jacobian: output 0 is independent of input 1"):
        AF.jacobian(lambda a, b: a * 2, (x, y), strict=True)
    with pytest.raises(RuntimeError, match="output 0 of the user-provided function does not require grad"):
        AF.jacobian(lambda a: tg.ones(2), x, strict=True)
    with pytest.raises(RuntimeError, match="output 1 of the user-provided function does not require grad"):
        AF.jacobian(lambda a: (a * 2, tg.ones(2)), x, strict=True)
    with pytest.raises(RuntimeError, match="hessian: .*gradient with respect to input 0 must depend"):
        AF.hessian(lambda a: a.sum(), x, strict=True)
    with pytest.raises(RuntimeError, match="vjp: every output is independent of input 1"):
        AF.vjp(lambda a, b: a * 2, (x, y), tg.ones(2), strict=True)


def test_bad_arguments_get_errors_that_name_them() -> None:
    x = tg.tensor([1.0, 2.0, 3.0])
    square = lambda t: t * t  # noqa: E731
    with pytest.raises(
        TypeError, match="jacobian: inputs must be a Tensor or a tuple of Tensors, not a list"
    ):
        AF.jacobian(square, [x])
    with pytest.raises(TypeError, match="outputs of the user-provided function .* not a float"):
        AF.jacobian(lambda t: 3.0, x)
    with pytest.raises(RuntimeError, match="vjp: v can be left out only when the function returns"):
        AF.vjp(square, x)
    with pytest.raises(RuntimeError, match="jvp: v can be left out only when the function takes"):
        AF.jvp(square, x)
    with pytest.raises(RuntimeError, match=r"vjp: v\[0\] has shape \(2,\) but should have shape \(3,\)"):
        AF.vjp(square, x, tg.ones(2))
    with pytest.raises(RuntimeError, match="vjp: v has 1 Tensors but should have 2"):
        AF.vjp(lambda t: (t * 2, t.sum()), x, tg.ones(3))
    with pytest.raises(RuntimeError, match="hessian: the function must return a single Tensor with a single"):
        AF.hessian(square, x)
    with pytest.raises(RuntimeError, match="hvp: the function must return a single Tensor"):
        AF.hvp(square, x, tg.ones(3))
    with pytest.raises(NotImplementedError, match="reverse mode only"):
        AF.jacobian(square, x, strategy="forward-mode")
    with pytest.raises(AssertionError, match="'sideways'"):  # PyTorch 2.13's type
        AF.hessian(lambda t: t.sum(), x, outer_jacobian_strategy="sideways")
    with pytest.raises(RuntimeError, match="floating point"):
        AF.jacobian(square, tg.tensor([1, 2]))


def test_against_pytorch() -> None:
    torch = pytest.importorskip("torch")
    from torch.autograd import functional as TF

    rng = np.random.default_rng(0)
    a, b = rng.normal(size=(2, 3)), rng.normal(size=(3,))
    u, v = rng.normal(size=(2, 3)), rng.normal(size=(3,))
    ta, tb, tu, tv = (torch.tensor(z) for z in (a, b, u, v))
    ga, gb, gu, gv = (tg.tensor(z) for z in (a, b, u, v))
    for ours, theirs in [
        (AF.jacobian(two_outputs, (ga, gb)), TF.jacobian(two_outputs, (ta, tb))),
        (AF.hessian(scalar, (ga, gb)), TF.hessian(scalar, (ta, tb))),
        (AF.hvp(scalar, (ga, gb), (gu, gv)), TF.hvp(scalar, (ta, tb), (tu, tv))),
        (AF.jvp(two_outputs, (ga, gb), (gu, gv)), TF.jvp(two_outputs, (ta, tb), (tu, tv))),
    ]:
        flat_ours, flat_theirs = _leaves(ours), _leaves(theirs)
        assert len(flat_ours) == len(flat_theirs)
        for o, t in zip(flat_ours, flat_theirs):
            np.testing.assert_allclose(o.data, t.numpy(), rtol=1e-12, atol=1e-12)


def _leaves(nested) -> list:
    return [t for item in nested for t in _leaves(item)] if isinstance(nested, tuple) else [nested]


# ------------------------------------------------ backward(inputs=) and grad(materialize_grads=)


def test_backward_inputs_fills_only_their_grad() -> None:
    a = tg.tensor([1.0, 2.0], requires_grad=True)
    b = tg.tensor([3.0, 4.0], requires_grad=True)
    c = a * b
    d = (c * c).sum()
    d.backward(inputs=[c], retain_graph=True)  # a non-leaf input gets a .grad too
    np.testing.assert_array_equal(c.grad.data, [6.0, 16.0])
    assert a.grad is None and b.grad is None
    tg.autograd.backward(d, inputs=a)  # one Tensor is fine
    np.testing.assert_array_equal(a.grad.data, [18.0, 64.0])
    assert b.grad is None


def test_backward_inputs_runs_only_the_part_that_leads_to_them() -> None:
    a = tg.tensor([1.0, 2.0], requires_grad=True)
    b = tg.tensor([1.0, 2.0], requires_grad=True)
    below = a * b  # under k: neither run nor released by backward(inputs=[k])
    k = below * 3
    side = a * 2  # a sibling of k: its gradient is not needed, so its hooks do not run
    seen = []
    side.register_hook(lambda g: seen.append("side"))
    (k * side).sum().backward(inputs=[k])
    np.testing.assert_array_equal(k.grad.data, [2.0, 4.0])
    assert seen == [] and a.grad is None
    below.sum().backward()  # below's graph is intact
    np.testing.assert_array_equal(a.grad.data, [1.0, 2.0])


def test_backward_inputs_with_retain_grad_and_create_graph() -> None:
    a = tg.tensor([1.0, 2.0], requires_grad=True)
    f = a * 2
    f.retain_grad()
    g = (f * f).sum()
    g.backward(inputs=[f], retain_graph=True)  # stored once, not once by retain_grad and again
    np.testing.assert_array_equal(f.grad.data, [4.0, 8.0])
    g.backward(inputs=[f])  # and accumulated by a second backward
    np.testing.assert_array_equal(f.grad.data, [8.0, 16.0])
    x = tg.tensor(2.0, dtype=np.float64, requires_grad=True)
    (x**3).backward(inputs=[x], create_graph=True)
    assert x.grad.item() == 12.0 and x.grad.requires_grad  # d/dx 3x^2 = 6x is still to be had
    (second,) = tg.autograd.grad(x.grad, [x])
    assert second.item() == 12.0


def test_backward_inputs_errors() -> None:
    a = tg.tensor([1.0, 2.0], requires_grad=True)
    y = (a * a).sum()
    with pytest.raises(RuntimeError, match="`inputs` argument to `backward\\(\\)` cannot be empty"):
        y.backward(inputs=[])
    with pytest.raises(RuntimeError, match="backward: input 1 does not require grad"):
        y.backward(inputs=[a, tg.tensor([1.0])])
    with pytest.raises(TypeError, match="backward: inputs must be Tensors, but input 0 is a ndarray"):
        y.backward(inputs=[np.ones(2)])
    assert a.grad is None
    y.backward(inputs=[a])  # the failed calls changed nothing: the graph is still whole
    np.testing.assert_array_equal(a.grad.data, [2.0, 4.0])
    unused = tg.tensor([1.0], requires_grad=True)
    (a * a).sum().backward(inputs=[unused])  # not reached: no .grad, as in PyTorch
    assert unused.grad is None


def test_grad_materialize_grads_gives_zeros_for_unused_inputs() -> None:
    x = tg.tensor(2.0, dtype=np.float64, requires_grad=True)
    z = tg.tensor([1.0, 1.0], dtype=np.float64, requires_grad=True)
    y = x**3
    gx, gz = tg.autograd.grad(y, [x, z], retain_graph=True, materialize_grads=True)
    assert gx.item() == 12.0 and gz.tolist() == [0.0, 0.0] and gz.dtype == z.dtype
    _, gz = tg.autograd.grad(y, [x, z], retain_graph=True, create_graph=True, materialize_grads=True)
    assert gz.requires_grad  # as in PyTorch
    with pytest.raises(ValueError, match="materialize_grads=True .* allow_unused=False"):
        tg.autograd.grad(y, [x, z], materialize_grads=True, allow_unused=False)
    with pytest.raises(RuntimeError, match="Tensor at index 1 appears to not have been used"):
        tg.autograd.grad(y, [x, z], retain_graph=True)
    assert tg.autograd.grad(y, [x, z], allow_unused=True)[1] is None
