"""The small Tensor names a PyTorch user still misses: aliases, memory layout, the real-tensor
forms of the complex names, in-place forms, bits of integers (ops/bitwise.py), powers
(ops/powers.py), erfinv and sinc (ops/special_functions.py) and writes into chosen places
(ops/index_writes.py).

Values are checked against Python's math module, plain Python integers or NumPy written
out here; gradients against finite differences (gradcheck and gradgradcheck, float64). With
torch installed, values, dtypes, gradients, error types, strides and version counts are also
compared with torch's.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

import tinygrad_edu as tg
from tinygrad_edu.testing import gradcheck, gradgradcheck

from .torch_compare import assert_values_and_gradients_agree

INF, NAN = math.inf, math.nan


def f64(values, requires_grad=False):
    return tg.tensor(np.asarray(values, dtype=np.float64), requires_grad=requires_grad)


def leaf(shape, seed=0, low=-2.0, high=2.0):
    """A float64 leaf that requires grad, with values drawn from [low, high]."""
    rng = np.random.default_rng(seed)
    return tg.tensor(rng.uniform(low, high, shape), requires_grad=True)


def changed_in_place(method, *args, **kwargs):
    """A function of x that applies the in-place `method` to a non-leaf copy of x (for gradcheck)."""

    def fn(x, *tensors):
        y = x * 1.0
        getattr(y, method)(*args, *tensors, **kwargs)
        return y

    return fn


# ---------------------------------------------------------------- aliases


def test_aliases_compute_what_their_pytorch_twins_compute():
    x = f64([-2.5, 0.0, 1.5, NAN])
    np.testing.assert_array_equal(x.negative().data, np.array([2.5, -0.0, -1.5, NAN]))
    np.testing.assert_array_equal(x.absolute().data, np.array([2.5, 0.0, 1.5, NAN]))
    np.testing.assert_array_equal(x.sgn().data, [-1.0, 0.0, 1.0, 0.0])  # (nan has no sign: 0, as PyTorch)
    a = leaf((2, 3))
    assert gradcheck(lambda t: t.negative() * t.absolute(), [a]) and gradgradcheck(
        lambda t: -t.negative(), [a]
    )
    b = tg.tensor(np.arange(6).reshape(2, 3))
    assert b.reshape_as(tg.zeros(3, 2)).tolist() == [[0, 1], [2, 3], [4, 5]]
    with pytest.raises(RuntimeError, match=r"shape \(3, 3\) is invalid for input of shape \(2, 3\)"):
        b.reshape_as(tg.zeros(3, 3))
    assert b.ravel().tolist() == [0, 1, 2, 3, 4, 5] and b.t().ravel().tolist() == [0, 3, 1, 4, 2, 5]
    assert tg.tensor(7).ravel().shape == (1,)
    assert gradcheck(lambda t: t.t().ravel() * t.ravel(), [a])


def test_sign_of_bools_and_integers_and_its_in_place_form():
    assert f64([-0.0, -3.0, 2.0]).sign().tolist() == [0.0, -1.0, 1.0]
    assert f64(-2.0).sign().item() == -1.0 and f64(-2.0).sign().shape == ()
    flags = tg.tensor([True, False])
    assert flags.sign().dtype == np.bool_ and flags.sign().tolist() == [True, False]
    assert tg.tensor([-3, 0, 2], dtype=tg.int8).sign().tolist() == [-1, 0, 1]
    y = tg.tensor([-3, 0, 2]).sgn_()
    assert y.tolist() == [-1, 0, 1] and y.dtype == np.int64


def test_square_of_bools_counts_as_int64():
    assert tg.tensor([True, False]).square().dtype == np.int64
    assert tg.tensor([True, False]).square().tolist() == [1, 0]
    assert tg.tensor([3], dtype=tg.int8).square().dtype == np.int8
    with pytest.raises(RuntimeError, match="Long can't be cast to the desired output type Bool"):
        tg.tensor([True]).square_()


# ---------------------------------------------------------------- memory layout


def test_sizes_in_bytes_and_signedness_by_dtype():
    # (dtype, bytes per element, holds negative numbers)
    for dtype, size, signed in [
        (tg.bool_, 1, False),
        (tg.uint8, 1, False),
        (tg.int8, 1, True),
        (tg.int16, 2, True),
        (tg.int32, 4, True),
        (tg.int64, 8, True),
        (tg.float16, 2, True),
        (tg.float32, 4, True),
        (tg.float64, 8, True),
    ]:
        t = tg.zeros(2, 3, dtype=dtype)
        assert t.element_size() == t.itemsize == size and t.nbytes == 6 * size
        assert t.is_signed() is signed
    assert tg.zeros(3, 1).expand(3, 4).nbytes == 48  # each copy counted, as in PyTorch
    assert tg.zeros(4)[::2].nbytes == 8


def test_strides_count_elements_as_pytorch_does():
    x = tg.tensor(np.arange(24.0).reshape(2, 3, 4))
    assert x.stride() == (12, 4, 1) and x.stride(0) == 12 and x.stride(-1) == 1 and x.stride(dim=1) == 4
    assert x.transpose(0, 2).stride() == (1, 4, 12)
    assert x[:, ::2, 1:].stride() == (12, 8, 1)
    assert tg.zeros(3, 1).expand(3, 4).stride() == (1, 0)
    # the steps along dims of size 1 and in empty tensors, which NumPy leaves arbitrary
    assert x.unsqueeze(0).stride() == (24, 12, 4, 1) and x.unsqueeze(-1).stride() == (12, 4, 1, 1)
    assert tg.zeros(3, 0, 2).stride() == (2, 2, 1) and tg.tensor(1.0).stride() == ()
    with pytest.raises(IndexError, match="Dimension specified as 0 but tensor has no dimensions"):
        tg.tensor(1.0).stride(0)
    with pytest.raises(IndexError, match="Dimension out of range"):
        x.stride(3)


def test_is_contiguous_and_contiguous_copies_only_what_is_not():
    x = tg.tensor(np.arange(6.0).reshape(2, 3), requires_grad=True)
    assert x.is_contiguous() and x.contiguous() is x
    assert x.is_contiguous(memory_format=None)
    t = x.t()
    assert not t.is_contiguous() and not x[:, ::2].is_contiguous()
    c = t.contiguous()
    assert c is not t and c.is_contiguous() and c.tolist() == t.tolist()
    assert c.stride() == (2, 1) and not np.shares_memory(c.data, x.data)
    assert c.grad_fn is not None  # still on the graph
    assert gradcheck(lambda a: a.t().contiguous() * a.t(), [leaf((2, 3))])


# ---------------------------------------------------------------- the complex names, for real tensors


def test_conjugates_and_real_parts_of_real_tensors_are_the_tensors_themselves():
    x = f64([[1.0, -2.0, 0.0], [3.0, 4.0, NAN]])
    assert x.conj() is x and x.resolve_conj() is x and x.real is x
    with pytest.raises(RuntimeError, match="imag is not implemented for tensors with non-complex dtypes"):
        _ = x.imag
    flags = x.isreal()
    assert flags.dtype == np.bool_ and flags.shape == (2, 3) and flags.all().item()


def test_conjugate_transposes_are_transposes():
    b = tg.tensor(np.arange(24).reshape(2, 3, 4))
    for t in (b.mH, b.adjoint()):
        assert (
            t.shape == (2, 4, 3) and t.tolist() == np.arange(24).reshape(2, 3, 4).transpose(0, 2, 1).tolist()
        )
    assert b[0].H.tolist() == np.arange(12).reshape(3, 4).T.tolist()
    with pytest.raises(RuntimeError, match=r"tensor.mH is only supported on matrices .* Got 1-D tensor"):
        _ = tg.ones(3).mH
    with pytest.raises(RuntimeError, match=r"tensor.adjoint\(\) is only supported on matrices"):
        tg.ones(3).adjoint()
    with pytest.raises(RuntimeError, match="H is only supported on matrices .* Got 3-D tensor. For batches"):
        _ = b.H
    with pytest.raises(RuntimeError, match="H is only supported on matrices .* Got 1-D tensor.$"):
        _ = tg.ones(3).H
    s = tg.tensor(2.0)
    with pytest.warns(UserWarning, match="Tensor.H is deprecated on 0-D tensors"):
        assert s.H is s
    a = leaf((2, 3, 4))
    assert gradcheck(lambda t: t.mH * t.adjoint(), [a]) and gradcheck(lambda t: t[0].H, [a])


# ---------------------------------------------------------------- in-place forms of one-input ops

# name: (the out-of-place op, input values in its domain, differentiable)
ONE_INPUT = {
    "negative_": (lambda t: t.neg(), [-1.5, 0.5, 2.0], True),
    "absolute_": (lambda t: t.abs(), [-1.5, 0.5, 2.0], True),
    "sign_": (lambda t: t.sign(), [-1.5, 0.5, 2.0], False),
    "sgn_": (lambda t: t.sign(), [-1.5, 0.5, 2.0], False),
    "square_": (lambda t: t * t, [-1.5, 0.5, 2.0], True),
    "expm1_": (lambda t: t.expm1(), [-1.5, 0.5, 2.0], True),
    "log1p_": (lambda t: t.log1p(), [0.2, 0.5, 2.0], True),
    "erf_": (lambda t: t.erf(), [-1.5, 0.5, 2.0], True),
    "erfinv_": (lambda t: t.erfinv(), [-0.7, 0.1, 0.5], True),
    "sinc_": (lambda t: t.sinc(), [-1.5, 0.5, 2.3], True),
    "logical_not_": (lambda t: t.logical_not(), [0.0, 0.5, -2.0], False),
    "bitwise_not_": None,  # (integers only: see the test of the bitwise ops)
}


@pytest.mark.parametrize("name", sorted(n for n in ONE_INPUT if ONE_INPUT[n]))
def test_one_input_in_place_forms_write_the_op_into_self(name):
    op, values, differentiable = ONE_INPUT[name]
    x = f64(values)
    memory, expected = x.data, op(f64(values)).data
    assert getattr(x, name)() is x and x.data is memory and x._version == 1
    np.testing.assert_allclose(x.data, expected.astype(np.float64), rtol=1e-15)
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad"):
        getattr(f64(values, requires_grad=True), name)()
    if differentiable:
        a = f64(values, requires_grad=True)
        assert gradcheck(changed_in_place(name), [a]) and gradgradcheck(changed_in_place(name), [a])
    else:  # a piecewise-constant op: the new values get a gradient of 0, as in PyTorch
        a = f64(values, requires_grad=True)
        changed_in_place(name)(a).sum().backward()
        assert a.grad.tolist() == [0.0, 0.0, 0.0]


def test_float_results_cannot_be_written_into_integer_tensors():
    for name in ("expm1_", "log1p_", "erf_", "erfinv_", "sinc_"):
        x = tg.tensor([0, 1])
        with pytest.raises(RuntimeError, match="Float can't be cast to the desired output type Long"):
            getattr(x, name)()
        assert x.tolist() == [0, 1] and x._version == 0  # unchanged
    x = tg.tensor([3, -2])
    with pytest.raises(RuntimeError, match="can't be cast to the desired output type Long"):
        x.true_divide_(2)
    assert x.square_().tolist() == [9, 4]


def test_logical_in_place_forms_write_ones_and_zeros_in_self_s_dtype():
    x = f64([1.0, 0.0, 2.0, NAN])
    x.logical_and_(f64([1.0, 1.0, 0.0, 1.0]))
    assert x.dtype == np.float64 and x.tolist() == [1.0, 0.0, 0.0, 1.0]  # (nan counts as true)
    i = tg.tensor([3, 0, 2])
    assert i.logical_or_(tg.tensor([0, 0, 1])).tolist() == [1, 0, 1]
    assert i.logical_xor_(tg.tensor([True, True, True])).tolist() == [0, 1, 0]
    assert i.logical_not_().tolist() == [1, 0, 1] and i.dtype == np.int64 and i._version == 3
    flags = tg.tensor([True, False])
    assert flags.logical_xor_(tg.tensor([True, True])).tolist() == [False, True]
    with pytest.raises(
        RuntimeError, match=r"output with shape \(2,\) doesn't match the broadcast shape \(2, 2\)"
    ):
        flags.logical_or_(tg.tensor([[True], [False]]))
    assert flags.tolist() == [False, True]
    y = f64([1.0, 0.0], requires_grad=True) * 1.0
    y.logical_and_(f64([1.0, 1.0]))
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad"):
        f64([1.0], requires_grad=True).logical_or_(f64([0.0]))


def test_heaviside_in_place():
    x = f64([-1.0, 0.0, 2.0, 0.0])
    assert x.heaviside_(f64(0.5)).tolist() == [0.0, 0.5, 1.0, 0.5]
    i = tg.tensor([-1, 0, 2])
    assert i.heaviside_(tg.tensor(5)).tolist() == [0, 5, 1]
    with pytest.raises(RuntimeError, match="must have one dtype"):
        f64([0.0]).heaviside_(tg.tensor([1.0]))


def test_running_sums_and_products_in_place():
    x = f64([[1.0, 2.0, 3.0], [4.0, -1.0, 0.5]])
    assert x.cumsum_(1).tolist() == [[1.0, 3.0, 6.0], [4.0, 3.0, 3.5]] and x._version == 1
    assert x.cumprod_(0).tolist() == [[1.0, 3.0, 6.0], [4.0, 9.0, 21.0]] and x._version == 2
    i = tg.tensor([[1, 2], [3, 4]], dtype=tg.int32)
    assert i.cumsum_(0).tolist() == [[1, 2], [4, 6]] and i.dtype == np.int32
    assert i.cumsum_(dim=1, dtype=tg.int32).tolist() == [[1, 3], [4, 10]]
    with pytest.raises(
        RuntimeError, match="Bad in-place call: input tensor dtype int32 and output tensor dtype"
    ):
        i.cumprod_(0, dtype=tg.int64)
    with pytest.raises(NotImplementedError, match="cumsum_ is not implemented for bool tensors"):
        tg.tensor([True, True]).cumsum_(0)
    with pytest.raises(TypeError):
        x.cumsum_()  # dim is required, as in PyTorch
    assert i.tolist() == [[1, 3], [4, 10]] and i._version == 2
    a = leaf((3, 4), low=0.5, high=2.0)
    for name in ("cumsum_", "cumprod_"):
        assert gradcheck(changed_in_place(name, 1), [a]) and gradgradcheck(changed_in_place(name, 0), [a])


def test_two_operand_in_place_forms_and_operators():
    x = tg.tensor([7, -7, 9])
    assert x.floor_divide_(2).tolist() == [3, -4, 4]
    assert x.remainder_(tg.tensor([2, 3, -4])).tolist() == [1, 2, 0] and x._version == 2
    y = f64([7.5, -7.5])
    assert y.true_divide_(2).tolist() == [3.75, -3.75]
    with pytest.raises(RuntimeError, match="can't be cast to the desired output type Long"):
        tg.tensor([3]).remainder_(2.5)
    # the operators change the tensor itself, as in PyTorch: every name for it sees the change
    z = tg.tensor([12, 10, -9])
    alias, memory = z, z.data
    z //= 4
    z %= 2
    z |= 4
    z &= 6
    z ^= 1
    z <<= 2
    z >>= 1
    assert z is alias and z.data is memory and z._version == 7
    expected = [((((v // 4) % 2 | 4) & 6) ^ 1) << 2 >> 1 for v in (12, 10, -9)]
    assert z.tolist() == expected
    a = leaf((2, 3), low=1.0, high=3.0)
    assert gradcheck(changed_in_place("remainder_", 0.7), [a])


# ---------------------------------------------------------------- bits of integers

PAIRS = [(12, 10), (-9, 6), (0, -1), (255, 3), (-128, 127), (2**40 + 5, 2**20 - 1)]


@pytest.mark.parametrize(
    "name, reference",
    [
        ("bitwise_and", lambda a, b: a & b),
        ("bitwise_or", lambda a, b: a | b),
        ("bitwise_xor", lambda a, b: a ^ b),
        ("gcd", math.gcd),
        ("lcm", math.lcm),
    ],
)
def test_bitwise_ops_gcd_and_lcm_match_python_integers(name, reference):
    a, b = (tg.tensor([p[i] for p in PAIRS]) for i in (0, 1))
    out = getattr(a, name)(b)
    assert out.dtype == np.int64 and out.tolist() == [reference(u, v) for u, v in PAIRS]


def test_operators_are_the_bitwise_ops():
    a, b = tg.tensor([12, -9, 5]), tg.tensor([10, 6, 0])
    assert (
        (a & b).tolist() == [8, 6, 0] and (a | b).tolist() == [14, -9, 5] and (a ^ b).tolist() == [6, -15, 5]
    )
    assert (~a).tolist() == [-13, 8, -6] and a.bitwise_not().tolist() == [-13, 8, -6]
    assert (6 & a).tolist() == [4, 6, 4] and (1 | b).tolist() == [11, 7, 1] and (3 ^ b).tolist() == [9, 5, 3]
    assert (a << 2).tolist() == [48, -36, 20] and (1 << tg.tensor([0, 3])).tolist() == [1, 8]
    assert (a >> 1).tolist() == [6, -5, 2] and (100 >> tg.tensor([1, 2])).tolist() == [50, 25]
    assert (np.array([3, 3, 3]) & a).tolist() == [0, 3, 1]  # a NumPy array on the left
    flags, other = tg.tensor([True, False, True]), tg.tensor([True, True, False])
    for result, expected in [
        (flags & other, [True, False, False]),
        (flags | other, [True, True, True]),
        (flags ^ other, [False, True, True]),
        (~flags, [False, True, False]),
    ]:
        assert result.dtype == np.bool_ and result.tolist() == expected


def test_shifts_past_the_width_or_by_negative_counts_give_pytorch_s_answers():
    # C leaves these undefined; PyTorch gives 0 (and -1 for a negative number shifted right)
    x = tg.tensor([1, -1, 5, 16, -16])
    assert (x << tg.tensor([63, 64, 100, -1, 1])).tolist() == [-(2**63), 0, 0, 0, -32]
    assert (x >> tg.tensor([0, 64, 100, -2, 64])).tolist() == [1, -1, 0, 0, -1]
    small = tg.tensor([1, -1], dtype=tg.int8)
    assert (small << tg.tensor([7, 8], dtype=tg.int8)).tolist() == [-128, 0]
    u = tg.tensor([128, 255], dtype=tg.uint8)
    assert (u >> tg.tensor([7, 8], dtype=tg.uint8)).tolist() == [1, 0]
    assert (tg.tensor([1, 255], dtype=tg.uint8) << 1).tolist() == [2, 254]  # wraps around in uint8


def test_bitwise_dtypes_follow_pytorch_s_promotion():
    i8, u8, i32, i64 = (tg.tensor([3], dtype=d) for d in (tg.int8, tg.uint8, tg.int32, tg.int64))
    flags = tg.tensor([True])
    assert (u8 | i8).dtype == np.int16 and (i32 & i64).dtype == np.int64 and (i32 ^ 1).dtype == np.int32
    assert (flags & 1).dtype == np.int64 and (flags & True).dtype == np.bool_ and (i8 & True).dtype == np.int8
    assert (flags & i32).dtype == np.int32 and (flags << 1).tolist() == [2]
    assert u8.gcd(i8).dtype == np.int16 and i32.lcm(i64).dtype == np.int64


def test_bitwise_ops_refuse_floats_and_gcd_refuses_bools():
    f, i = tg.tensor([1.0]), tg.tensor([1])
    for call in (
        lambda: f & i,
        lambda: i | 1.5,
        lambda: f.bitwise_xor(f),
        lambda: i << f,
        lambda: f.bitwise_not(),
    ):
        with pytest.raises(NotImplementedError, match="is not implemented for float32 tensors"):
            call()
    with pytest.raises(TypeError, match=r"~ \(operator.invert\) is only implemented on integer and Boolean"):
        _ = ~f
    with pytest.raises(
        NotImplementedError, match="bitwise_left_shift is not implemented for two bool tensors"
    ):
        tg.tensor([True]) << tg.tensor([True])
    for name in ("gcd", "lcm"):
        with pytest.raises(NotImplementedError, match=f"{name} is not implemented for float32 tensors"):
            getattr(f, name)(i)
        with pytest.raises(NotImplementedError, match=f"{name} is not implemented for bool tensors"):
            getattr(tg.tensor([True]), name)(tg.tensor([True]))
        with pytest.raises(
            TypeError, match=rf"{name}\(\): argument 'other' \(position 2\) must be Tensor, not int"
        ):
            getattr(i, name)(3)
    with pytest.raises(RuntimeError, match=r"bitwise_and: shapes \(2,\) and \(3,\) are not broadcastable"):
        tg.tensor([1, 2]) & tg.tensor([1, 2, 3])


def test_bitwise_in_place_forms_keep_self_s_dtype():
    x = tg.tensor([3, 5], dtype=tg.int32)
    assert x.bitwise_and_(tg.tensor([1, 4])).tolist() == [1, 4] and x.dtype == np.int32
    assert x.bitwise_or_(tg.tensor([True, False])).tolist() == [1, 4]
    assert x.bitwise_left_shift_(2).tolist() == [4, 16] and x.bitwise_right_shift_(1).tolist() == [2, 8]
    assert x.bitwise_xor_(3).tolist() == [1, 11] and x.bitwise_not_().tolist() == [-2, -12]
    assert x.gcd_(tg.tensor([4, 8])).tolist() == [2, 4] and x.lcm_(tg.tensor([3, 6])).tolist() == [6, 12]
    assert x._version == 8
    flags = tg.tensor([True, False])
    with pytest.raises(RuntimeError, match="Long can't be cast to the desired output type Bool"):
        flags.bitwise_and_(tg.tensor([1, 1]))
    assert flags.tolist() == [True, False] and flags._version == 0


# ---------------------------------------------------------------- powers


def test_logaddexp2_values_edges_and_dtypes():
    a = [0.0, 1000.0, -1000.0, 1.0, 3.0, -2.5]
    b = [0.0, 1000.0, -1001.0, -60.0, 3.5, 7.0]
    expected = [max(u, v) + math.log2(1 + 2 ** -abs(u - v)) for u, v in zip(a, b)]
    np.testing.assert_allclose(f64(a).logaddexp2(f64(b)).data, expected, rtol=1e-14)
    edges = f64([INF, -INF, INF, NAN]).logaddexp2(f64([-INF, -INF, INF, 0.0]))
    np.testing.assert_array_equal(edges.data, [INF, -INF, INF, NAN])
    assert tg.tensor([1], dtype=tg.int64).logaddexp2(tg.tensor([2.0])).dtype == np.float32
    assert tg.tensor([1.0], dtype=tg.float16).logaddexp2(tg.tensor([2.0])).dtype == np.float32
    with pytest.raises(NotImplementedError, match="logaddexp2 is not implemented for integer tensors"):
        tg.tensor([1]).logaddexp2(tg.tensor([2]))
    with pytest.raises(TypeError, match=r"logaddexp2\(\): argument 'other' \(position 2\) must be Tensor"):
        f64([1.0]).logaddexp2(2.0)
    with pytest.raises(RuntimeError, match=r"logaddexp2: shapes \(2,\) and \(3,\)"):
        f64([1.0, 2.0]).logaddexp2(f64([1.0, 2.0, 3.0]))
    x, y = leaf((3, 1)), leaf((4,), seed=1)
    assert gradcheck(tg.Tensor.logaddexp2, [x, y]) and gradgradcheck(tg.Tensor.logaddexp2, [x, y])
    g = f64([INF, 5.0], requires_grad=True)
    g.logaddexp2(f64([-INF, 5.0])).sum().backward()
    np.testing.assert_allclose(g.grad.data, [1.0, 0.5], rtol=1e-15)


def test_float_power_always_computes_in_float64():
    assert tg.tensor([2, 3]).float_power(2).tolist() == [4.0, 9.0]
    for base in (tg.tensor([2, 3]), tg.tensor([2.0, 3.0]), tg.tensor([True, True])):
        assert base.float_power(-1).dtype == np.float64
    third = tg.tensor([3.0]).float_power(tg.tensor([1.0 / 3.0]))
    assert third.dtype == np.float64 and third.item() == 3.0 ** np.float64(np.float32(1.0 / 3.0))
    assert tg.Tensor.float_power(2, tg.tensor([1, -1])).tolist() == [2.0, 0.5]  # a number as the base
    assert math.isnan(f64([-2.0]).float_power(0.5).item())
    with pytest.raises(TypeError, match="expected a Tensor as input or exponent"):
        tg.Tensor.float_power(2, 3)
    x = tg.tensor([2.0, 3.0], requires_grad=True)  # float32: the gradient comes back in float32
    x.float_power(2).sum().backward()
    assert x.grad.dtype == np.float32 and x.grad.tolist() == [4.0, 6.0]
    a, p = leaf((2, 3), low=0.5, high=2.0), leaf((3,), seed=1)
    assert gradcheck(tg.Tensor.float_power, [a, p]) and gradgradcheck(tg.Tensor.float_power, [a, p])


def test_float_power_in_place_needs_a_float64_tensor():
    x = f64([2.0, 3.0])
    assert x.float_power_(tg.tensor([3, 2])).tolist() == [8.0, 9.0] and x._version == 1
    y = tg.tensor([2.0])
    with pytest.raises(RuntimeError, match="the base given to float_power_ has dtype float32 but the"):
        y.float_power_(2)
    assert y.tolist() == [2.0] and y._version == 0


def test_ldexp_values_and_dtypes():
    mantissas, exponents = [1.0, 3.0, -0.75, 1.0, 1.0, 0.5], [2, -1, 10, 1023, -1074, 1024]
    out = f64(mantissas).ldexp(tg.tensor(exponents))
    # (0.5 * 2^1024 is exact, as in PyTorch, though 2^1024 alone would overflow)
    np.testing.assert_array_equal(out.data, [math.ldexp(m, e) for m, e in zip(mantissas, exponents)])
    i64 = tg.tensor([2])
    for x, other, dtype in [
        (tg.tensor([1.0], dtype=tg.float16), i64, np.float16),
        (tg.tensor([1], dtype=tg.int32), i64, np.float32),
        (tg.tensor([True]), i64, np.float32),
        (tg.tensor([1.0]), f64([2.0]), np.float64),
        (f64([1.0]), tg.tensor([2.0]), np.float64),
    ]:
        assert x.ldexp(other).dtype == dtype and x.ldexp(other).item() == 4.0
    with pytest.raises(
        TypeError, match=r"ldexp\(\): argument 'other' \(position 2\) must be Tensor, not int"
    ):
        f64([1.0]).ldexp(2)
    with pytest.raises(RuntimeError, match=r"ldexp: shapes \(2,\) and \(3,\)"):
        f64([1.0, 2.0]).ldexp(tg.tensor([1, 2, 3]))
    x = tg.tensor([1, 3])
    with pytest.raises(RuntimeError, match="can't be cast to the desired output type Long"):
        x.ldexp_(tg.tensor([2, -1]))
    y = f64([1.0, 3.0])
    assert y.ldexp_(tg.tensor([2, -1])).tolist() == [4.0, 1.5] and x.tolist() == [1, 3]


def test_ldexp_scales_exactly_by_integer_exponents_and_through_two_to_the_power_by_float_ones():
    """As PyTorch: an integer exponent never forms 2^e alone (0 * 2^2000 is 0); a float one does."""
    for dtype in (tg.float32, tg.float64):
        x = tg.tensor([0.0, 1.0, INF, 3.0], dtype=dtype)
        scaled = x.ldexp(tg.tensor([2000, 2000, -2000, -2000]))
        np.testing.assert_array_equal(scaled.data, [0.0, INF, INF, 0.0])
    with np.errstate(invalid="ignore"):
        assert math.isnan(f64([0.0]).ldexp(f64([2000.0])).item())
    a, e = leaf((2, 3)), leaf((3,), seed=1)
    assert gradcheck(tg.Tensor.ldexp, [a, e]) and gradgradcheck(tg.Tensor.ldexp, [a, e])


# ---------------------------------------------------------------- erfinv and sinc


def test_erfinv_inverts_erf_and_has_pytorch_s_edges():
    y = np.array([-0.999, -0.5, -1e-9, 0.0, 0.3, 0.9, 0.999999])
    x = f64(y).erfinv().data
    np.testing.assert_allclose([math.erf(v) for v in x], y, rtol=1e-13, atol=1e-300)
    edges = f64([-1.0, 1.0, 1.5, -2.0, NAN]).erfinv().data
    np.testing.assert_array_equal(edges, [-INF, INF, NAN, NAN, NAN])
    assert tg.tensor([0, 1]).erfinv().dtype == np.float32 and tg.tensor([0, 1]).erfinv().tolist() == [
        0.0,
        INF,
    ]
    half = tg.tensor([0.5], dtype=tg.float16).erfinv()
    assert half.dtype == np.float16 and abs(math.erf(float(half.item())) - 0.5) < 1e-3
    a = leaf((2, 3), low=-0.9, high=0.9)
    assert gradcheck(tg.Tensor.erfinv, [a]) and gradgradcheck(tg.Tensor.erfinv, [a])
    g = f64([1.0, -1.0, 0.0], requires_grad=True)
    g.erfinv().backward(f64([1.0, 1.0, 1.0]))
    assert g.grad.tolist() == [INF, INF, math.sqrt(math.pi) / 2]


def test_erfinv_stays_accurate_next_to_one():
    # there erf is flat: the answer x is checked by 1 - y = erfc(x) (Python's math.erfc)
    y = 1.0 - np.array([2.0**-52, 1e-15, 1e-12, 1e-9, 1e-6, 4e-5, 1e-3, 0.3])
    x = f64(y).erfinv().data
    np.testing.assert_allclose([math.erfc(v) for v in x], 1.0 - y, rtol=1e-11)  # (1 - y is exact)
    np.testing.assert_allclose(f64(-y).erfinv().data, -x, rtol=1e-15)


def test_sinc_is_the_normalized_one_with_1_and_slope_0_at_0():
    x = [0.0, 0.5, 1.0, -1.5, 1e-20, 2.3, -0.0]
    expected = [1.0 if v == 0 else math.sin(math.pi * v) / (math.pi * v) for v in x]
    np.testing.assert_allclose(f64(x).sinc().data, expected, rtol=1e-14, atol=1e-16)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # (sin of an infinity: nan, silently, as in PyTorch)
        assert np.isnan(f64([INF, -INF, NAN]).sinc().data).all()
    assert tg.tensor([0, 1]).sinc().dtype == np.float32
    assert tg.tensor([0.5], dtype=tg.float16).sinc().dtype == np.float16
    g = f64([0.0, 0.5, 2.3], requires_grad=True)
    g.sinc().sum().backward()
    slope = [(math.cos(math.pi * v) - math.sin(math.pi * v) / (math.pi * v)) / v for v in (0.5, 2.3)]
    np.testing.assert_allclose(g.grad.data, [0.0, *slope], rtol=1e-14)
    a = leaf((2, 3), low=0.1, high=3.0)
    assert gradcheck(tg.Tensor.sinc, [a]) and gradgradcheck(tg.Tensor.sinc, [a])


def test_sinc_keeps_its_slope_and_curvature_near_and_at_0():
    # the quotient's slope (cos u - sinc) / u loses every digit as u = pi x shrinks: a series there
    x = f64([1e-300, 1e-20, 1e-8, 0.01, -0.1, 0.159, 0.16], requires_grad=True)
    x.sinc().sum().backward()
    u = np.pi * x.data
    # sinc'(x) = pi * sum_k (-1)^k 2k u^(2k-1) / (2k+1)!, k = 1..7 (exact to 1e-16 here)
    k = np.arange(1, 8)
    signs, facts = (-1.0) ** k, np.array([math.factorial(2 * j + 1) for j in k], dtype=float)
    slope = np.pi * (signs * 2 * k * u[:, None] ** (2 * k - 1) / facts).sum(1)
    np.testing.assert_allclose(x.grad.data, slope, rtol=1e-10, atol=1e-300)
    tiny = tg.tensor([1e-20], requires_grad=True)  # float32 too
    tiny.sinc().backward()
    assert abs(tiny.grad.item()) < 1e-18  # (the quotient gave -6.9e13)
    at_0 = f64([0.0], requires_grad=True)
    (slope_0,) = tg.autograd.grad(at_0.sinc().sum(), at_0, create_graph=True)
    (curvature,) = tg.autograd.grad(slope_0.sum(), at_0)
    assert slope_0.item() == 0.0 and curvature.item() == pytest.approx(-(math.pi**2) / 3, rel=1e-14)
    far = tg.tensor([3e5, -2e5, 1e30], requires_grad=True)  # float32: u^10 of the series overflows here
    far.sinc().sum().backward()
    u = np.pi * far.data.astype(np.float64)  # |sinc'| <= pi (1/|u| + 1/u^2): small, and never nan
    assert (np.abs(far.grad.data) <= np.pi * (1 / np.abs(u) + 1 / u**2) * 1.01).all()


# ---------------------------------------------------------------- index_fill


def test_index_fill_fills_whole_slices_and_counts_negative_positions_from_the_end():
    x = tg.tensor([[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]])
    assert x.index_fill(1, tg.tensor([0, 2]), -1.0).tolist() == [[-1.0, 1.0, -1.0], [-1.0, 4.0, -1.0]]
    assert x.index_fill(1, tg.tensor([-1, -1]), 9.0).tolist() == [[0.0, 1.0, 9.0], [3.0, 4.0, 9.0]]
    assert x.index_fill(0, tg.tensor(1), f64(7.0)).tolist() == [[0.0, 1.0, 2.0], [7.0, 7.0, 7.0]]
    assert x.index_fill(1, tg.tensor([], dtype=tg.int64), 5.0).tolist() == x.tolist()
    assert tg.tensor(3.0).index_fill(0, tg.tensor([0]), 1.0).item() == 1.0
    ints = tg.arange(4).index_fill(0, tg.tensor([0]), 2.7)  # a float into integers: truncated
    assert ints.dtype == np.int64 and ints.tolist() == [2, 1, 2, 3]
    assert tg.tensor([True, False]).index_fill(0, tg.tensor([1]), True).tolist() == [True, True]


def test_index_fill_refuses_what_pytorch_refuses():
    x = tg.zeros(2, 3)
    cases = [
        (
            IndexError,
            "Expected dtype int64 for index",
            lambda: x.index_fill(1, tg.tensor([0], dtype=tg.int32), 1.0),
        ),
        (RuntimeError, "Index has to be a vector/scalar", lambda: x.index_fill(1, tg.tensor([[0]]), 1.0)),
        (
            RuntimeError,
            "only supports a 0-dimensional value tensor",
            lambda: x.index_fill(1, tg.tensor([0]), x[0]),
        ),
        (
            IndexError,
            "index 3 is out of bounds for dimension 1 with size 3",
            lambda: x.index_fill(1, tg.tensor([3]), 1),
        ),
        (IndexError, "index -4 is out of bounds", lambda: x.index_fill(1, tg.tensor([-4]), 1.0)),
        (IndexError, "Dimension out of range", lambda: x.index_fill(2, tg.tensor([0]), 1.0)),
    ]
    for error, message, call in cases:
        with pytest.raises(error, match=message):
            call()
    y = tg.zeros(2, 3)
    with pytest.raises(IndexError):
        y.index_fill_(1, tg.tensor([3]), 1.0)
    assert y.tolist() == [[0.0] * 3] * 2 and y._version == 0


def test_index_fill_gradients():
    a = leaf((3, 4))
    value = f64(0.7, requires_grad=True)
    index = tg.tensor([0, 0, 2])  # a repeated position is filled once, and counted once
    assert gradcheck(lambda t, v: t.index_fill(1, index, v), [a, value])
    assert gradgradcheck(lambda t, v: t.index_fill(1, index, v) * t, [a, value])
    upstream = np.arange(12.0).reshape(3, 4)
    a.index_fill(1, index, value).backward(tg.tensor(upstream))
    assert value.grad.item() == upstream[:, [0, 2]].sum()
    assert a.grad.tolist() == np.where(np.isin(np.arange(4), [0, 2]), 0.0, upstream).tolist()
    v32 = tg.tensor(0.5, requires_grad=True)  # a float32 value into a float64 tensor: its own dtype back
    a.index_fill(0, tg.tensor([1]), v32).sum().backward()
    assert v32.grad.dtype == np.float32 and v32.grad.item() == 4.0


# ---------------------------------------------------------------- index_copy


def test_index_copy_writes_source_slices_at_the_positions():
    x = tg.tensor([[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]])
    source = tg.tensor([[10.0, 20.0], [30.0, 40.0]])
    assert x.index_copy(1, tg.tensor([2, 0]), source).tolist() == [[20.0, 1.0, 10.0], [40.0, 4.0, 30.0]]
    assert x.index_copy(1, tg.tensor(2), source[:, :1]).tolist() == [[0.0, 1.0, 10.0], [3.0, 4.0, 30.0]]
    assert x.index_copy(0, tg.tensor([1]), source[:1, :1].expand(1, 3)).tolist()[1] == [10.0] * 3
    # scalars as one-element vectors
    assert tg.tensor(1.0).index_copy(0, tg.tensor([0]), tg.tensor(5.0)).item() == 5.0
    assert tg.tensor(1.0).index_copy(0, tg.tensor([0]), tg.tensor([5.0])).shape == ()
    assert tg.tensor([1.0, 2.0]).index_copy(0, tg.tensor(1), tg.tensor(5.0)).tolist() == [1.0, 5.0]


def test_index_copy_refuses_what_pytorch_refuses():
    x, source = tg.zeros(2, 3), tg.ones(2, 2)
    cases = [
        (
            RuntimeError,
            "Expected a long tensor for index, but got int32",
            tg.tensor([2, 0], dtype=tg.int32),
            source,
        ),
        (IndexError, "Index should have dimension 1 or 0 \\(got 2\\)", tg.tensor([[2, 0]]), source),
        (
            RuntimeError,
            "same dtype, but got \\(self\\) float32 and \\(source\\) float64",
            tg.tensor([2, 0]),
            source.double(),
        ),
        (
            IndexError,
            "Number of indices \\(3\\) should be equal to source.size\\(dim\\) \\(2\\)",
            tg.tensor([2, 0, 1]),
            source,
        ),
        (RuntimeError, "must have same slice shapes", tg.tensor([2, 0]), tg.ones(3, 2)),
        (
            IndexError,
            "Source dimensionality \\(1\\), destination dimensionality \\(2\\)",
            tg.tensor([2, 0]),
            tg.ones(2),
        ),
        (IndexError, "index -1 is out of bounds for dimension 1 with size 3", tg.tensor([-1, 0]), source),
        (IndexError, "index 3 is out of bounds", tg.tensor([3, 0]), source),
    ]
    for error, message, index, src in cases:
        with pytest.raises(error, match=message):
            x.index_copy(1, index, src)
        with pytest.raises(error, match=message):
            x.index_copy_(1, index, src)
    with pytest.raises(TypeError, match=r"index_copy\(\): argument 'source' \(position 3\) must be Tensor"):
        x.index_copy(1, tg.tensor([0]), 1.0)
    assert x.tolist() == [[0.0] * 3] * 2 and x._version == 0


def test_index_copy_gradients():
    a, source = leaf((3, 4)), leaf((3, 2), seed=1)
    index = tg.tensor([3, 1])
    assert gradcheck(lambda t, s: t.index_copy(1, index, s), [a, source])
    assert gradgradcheck(lambda t, s: t.index_copy(1, index, s) * t, [a, source])
    y = a * 1.0
    y.index_copy_(0, tg.tensor([2]), source[:1, :1].expand(1, 4))
    (y * y).sum().backward()
    assert a.grad.data[2].tolist() == [0.0] * 4 and np.allclose(a.grad.data[:2], 2 * a.data[:2])


# ---------------------------------------------------------------- index_put


def test_index_put_writes_or_adds_at_the_indexed_places():
    x = tg.tensor([[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]])
    rows, cols = tg.tensor([0, 1]), tg.tensor([2, 0])
    assert x.index_put((rows, cols), tg.tensor([10.0, 20.0])).tolist() == [[0.0, 1.0, 10.0], [20.0, 4.0, 5.0]]
    assert x.index_put([tg.tensor([1])], tg.tensor([7.0, 8.0, 9.0])).tolist()[1] == [7.0, 8.0, 9.0]
    assert x.index_put((rows, cols), tg.tensor(7.0)).tolist() == [[0.0, 1.0, 7.0], [7.0, 4.0, 5.0]]
    assert x.index_put((x > 2,), tg.tensor([1.0, 2.0, 3.0])).tolist() == [[0.0, 1.0, 2.0], [1.0, 2.0, 3.0]]
    assert x.index_put((tg.tensor([-1]),), tg.tensor(1.0)).tolist()[1] == [1.0] * 3
    assert x.index_put((tg.tensor([[0], [1]]), tg.tensor([0, 2])), tg.tensor(9.0)).tolist() == [
        [9.0, 1.0, 9.0],
        [9.0, 4.0, 9.0],
    ]
    # accumulate: repeated places add up (the reference: NumPy's unbuffered add)
    index = (tg.tensor([0, 0, 1, 0]), tg.tensor([2, 2, 1, 2]))
    values = np.array([10.0, 20.0, 30.0, 40.0])
    expected = np.arange(6.0).reshape(2, 3)
    np.add.at(expected, (index[0].data, index[1].data), values)
    assert x.index_put(index, tg.tensor(values.tolist()), accumulate=True).tolist() == expected.tolist()
    ones = x.index_put((tg.tensor([0, 0]),), tg.tensor([1.0, 1.0, 1.0]), accumulate=True)
    assert ones.tolist() == [[2.0, 3.0, 4.0], [3.0, 4.0, 5.0]]
    with pytest.warns(UserWarning, match="uint8 is deprecated"):
        masked = x.index_put((tg.tensor([0, 1], dtype=tg.uint8),), tg.tensor(5.0))
    assert masked.tolist() == [[0.0, 1.0, 2.0], [5.0, 5.0, 5.0]]


def test_index_put_refuses_what_pytorch_refuses():
    x = tg.zeros(2, 3)
    cases = [
        (
            TypeError,
            "must be tuple of Tensors, not Tensor",
            lambda: x.index_put(tg.tensor([1]), tg.tensor(1.0)),
        ),
        (
            TypeError,
            "expected Tensor as element 0 in argument 0, but got NoneType",
            lambda: x.index_put((None,), tg.tensor(1.0)),
        ),
        (
            TypeError,
            "expected Tensor as element 1 in argument 0, but got int",
            lambda: x.index_put((tg.tensor([0]), 1), tg.tensor(1.0)),
        ),
        (
            IndexError,
            "must be long, int, byte or bool tensors",
            lambda: x.index_put((tg.tensor([1.0]),), tg.tensor(1.0)),
        ),
        (
            TypeError,
            "argument 'values' \\(position 2\\) must be Tensor, not float",
            lambda: x.index_put((tg.tensor([0]),), 1.0),
        ),
        (
            RuntimeError,
            "dtypes match, got Float for the destination and Double for the source",
            lambda: x.index_put((tg.tensor([0]),), f64(1.0)),
        ),
        (IndexError, "out of bounds", lambda: x.index_put((tg.tensor([2]),), tg.tensor(1.0))),
        (
            IndexError,
            "out of bounds",
            lambda: x.index_put((tg.tensor([2]),), tg.tensor(1.0), accumulate=True),
        ),
        (IndexError, "too many indices", lambda: x.index_put((tg.tensor([0]),) * 3, tg.tensor(1.0))),
        (
            RuntimeError,
            "shape mismatch: value tensor of shape \\(2,\\) cannot be broadcast to indexing result of "
            "shape \\(2, 3\\)",
            lambda: x.index_put((tg.tensor([0, 1]),), tg.tensor([1.0, 2.0])),
        ),
    ]
    for error, message, call in cases:
        with pytest.raises(error, match=message):
            call()
    with pytest.raises(RuntimeError, match="shape mismatch"):
        x.index_put_((tg.tensor([0, 1]),), tg.tensor([1.0, 2.0]))
    assert x.tolist() == [[0.0] * 3] * 2 and x._version == 0


def test_index_put_gradients_in_both_modes():
    a, values = leaf((3, 4)), leaf((2, 4), seed=1)
    rows = tg.tensor([2, 0])
    repeated = (tg.tensor([0, 0, 2]), tg.tensor([1, 1, 3]))
    column = leaf((3,), seed=2)
    assert gradcheck(lambda t, v: t.index_put((rows,), v), [a, values])
    assert gradcheck(lambda t, v: t.index_put(repeated, v, accumulate=True), [a, column])
    assert gradgradcheck(lambda t, v: t.index_put(repeated, v, accumulate=True) * t, [a, column])
    assert gradcheck(lambda t, v: t.index_put((rows,), v[0, :1], accumulate=True), [a, values])  # broadcast
    mask = tg.tensor(np.arange(12).reshape(3, 4) % 3 == 0)
    assert gradcheck(lambda t, v: t.index_put((mask,), v[0]), [a, values])
    assert gradcheck(changed_in_place("index_put_", (rows,)), [a, values])


# ---------------------------------------------------------------- masked_scatter


def _masked_scatter_reference(x, mask, source):
    """x with source's first elements placed where mask is True, in row-major order (NumPy)."""
    out = np.array(np.broadcast_to(x, np.broadcast_shapes(x.shape, mask.shape)))
    m = np.broadcast_to(mask, out.shape)
    out[m] = source.reshape(-1)[: m.sum()]
    return out


def test_masked_scatter_fills_the_mask_in_order():
    x = np.arange(6.0).reshape(2, 3)
    mask = np.array([[True, False, True], [False, True, False]])
    source = np.arange(10.0, 18.0).reshape(2, 4)
    for xs, ms in [(x, mask), (x, mask[0]), (x[0], mask), (x, np.zeros((2, 3), bool))]:
        out = tg.tensor(xs).masked_scatter(tg.tensor(ms), tg.tensor(source))
        assert out.tolist() == _masked_scatter_reference(xs, ms, source).tolist()
    y = tg.tensor(x)
    assert y.masked_scatter_(tg.tensor(mask), tg.tensor(source)) is y and y._version == 1
    assert y.tolist() == _masked_scatter_reference(x, mask, source).tolist()
    with pytest.raises(
        RuntimeError, match=r"output with shape \(3,\) doesn't match the broadcast shape \(2, 3\)"
    ):
        tg.tensor(x[0]).masked_scatter_(tg.tensor(mask), tg.tensor(source))
    assert (
        tg.zeros(2, 3).masked_scatter(tg.zeros(2, 3, dtype=tg.bool_), tg.ones(0)).tolist() == [[0.0] * 3] * 2
    )


def test_masked_scatter_refuses_what_pytorch_refuses():
    x, mask = tg.zeros(2, 3), tg.tensor([[True, False, True], [False, True, False]])
    cases = [
        (
            RuntimeError,
            "Number of elements of source \\(2\\) < number of ones in mask \\(3\\)",
            mask,
            tg.ones(2),
        ),
        (RuntimeError, "only supports boolean masks, but got mask with dtype int64", mask.long(), tg.ones(6)),
        (RuntimeError, "same dtypes but got float32 and float64", mask, tg.ones(6, dtype=tg.float64)),
        (
            RuntimeError,
            "masked_scatter: shapes \\(2, 3\\) and \\(2,\\) are not broadcastable",
            mask[:, 0],
            tg.ones(6),
        ),
    ]
    for error, message, m, source in cases:
        with pytest.raises(error, match=message):
            x.masked_scatter_(m, source)
    with pytest.raises(
        TypeError, match=r"masked_scatter\(\): argument 'source' \(position 2\) must be Tensor"
    ):
        x.masked_scatter(mask, 1.0)
    assert x.tolist() == [[0.0] * 3] * 2 and x._version == 0


def test_masked_scatter_gradients():
    a, source = leaf((3, 4)), leaf((2, 5), seed=1)
    mask = tg.tensor(np.arange(12).reshape(3, 4) % 5 < 2)  # 6 places: 4 of source's 10 elements unused
    assert gradcheck(lambda t, s: t.masked_scatter(mask, s), [a, source])
    assert gradgradcheck(lambda t, s: t.masked_scatter(mask, s) * t, [a, source])
    row = leaf((4,), seed=2)  # self broadcast against the mask
    assert gradcheck(lambda t, s: t.masked_scatter(mask, s), [row, source])
    a.masked_scatter(mask, source).backward(tg.tensor(np.arange(1.0, 13.0).reshape(3, 4)))
    expected = np.zeros(10)
    expected[:6] = np.arange(1.0, 13.0)[(np.arange(12) % 5 < 2)]
    assert source.grad.data.reshape(-1).tolist() == expected.tolist()


# ---------------------------------------------------------------- put


def test_put_writes_into_the_flattened_tensor():
    x = tg.tensor([[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]])
    assert x.put(tg.tensor([1, 5]), tg.tensor([10.0, 20.0])).tolist() == [[0.0, 10.0, 2.0], [3.0, 4.0, 20.0]]
    assert x.put(tg.tensor([-1, 0]), tg.tensor([10.0, 20.0])).tolist() == [[20.0, 1.0, 2.0], [3.0, 4.0, 10.0]]
    assert x.put(tg.tensor([[1, 1]]), tg.tensor([10.0, 20.0]), accumulate=True).tolist()[0] == [
        0.0,
        31.0,
        2.0,
    ]
    assert x.put(tg.tensor(4), tg.tensor(9.0)).tolist()[1] == [3.0, 9.0, 5.0]
    assert tg.tensor(1.0).put(tg.tensor([0]), tg.tensor([5.0])).item() == 5.0
    assert tg.ones(0).put(tg.tensor([], dtype=tg.int64), tg.ones(0)).shape == (0,)
    y = x.clone()
    assert (
        y.put_(tg.tensor([2]), tg.tensor([-1.0])) is y
        and y.tolist()[0] == [0.0, 1.0, -1.0]
        and y._version == 1
    )


def test_put_refuses_what_pytorch_refuses():
    x = tg.zeros(2, 3)
    cases = [
        (
            RuntimeError,
            "Expected a long tensor for index, but got int32",
            tg.tensor([1], dtype=tg.int32),
            tg.ones(1),
        ),
        (
            RuntimeError,
            "self.dtype = float32 and source.dtype = float64",
            tg.tensor([1]),
            tg.ones(1, dtype=tg.float64),
        ),
        (IndexError, "source.numel\\(\\) = 3, index.numel\\(\\) = 2", tg.tensor([1, 2]), tg.ones(3)),
        (
            IndexError,
            "out of range: tried to access index 6 on a tensor of 6 elements",
            tg.tensor([6]),
            tg.ones(1),
        ),
        (IndexError, "tried to access index -7", tg.tensor([-7]), tg.ones(1)),
    ]
    for error, message, index, source in cases:
        with pytest.raises(error, match=message):
            x.put_(index, source)
    with pytest.raises(IndexError, match="Tried to put elements into an empty tensor"):
        tg.ones(0).put(tg.tensor([0]), tg.ones(1))
    with pytest.raises(
        TypeError, match=r"put\(\): argument 'source' \(position 2\) must be Tensor, not float"
    ):
        x.put(tg.tensor([1]), 1.0)
    assert x.tolist() == [[0.0] * 3] * 2 and x._version == 0


def test_put_gradients():
    a, source = leaf((3, 4)), leaf((2, 2), seed=1)
    index = tg.tensor([[1, 1], [-1, 6]])  # a repeated position and a negative one
    distinct = tg.tensor([[1, 0], [-1, 6]])
    assert gradcheck(lambda t, s: t.put(distinct, s), [a, source])
    assert gradcheck(lambda t, s: t.put(index, s, accumulate=True), [a, source])
    assert gradgradcheck(lambda t, s: t.put(index, s, accumulate=True) * t, [a, source])
    assert gradcheck(changed_in_place("put_", distinct), [a, source])


# ---------------------------------------------------------------- in-place writes: leaves, views, versions

WRITES = {
    "index_fill_": lambda x: x.index_fill_(1, tg.tensor([0]), 5.0),
    "index_copy_": lambda x: x.index_copy_(1, tg.tensor([0]), f64([[5.0], [5.0]])),
    "index_put_": lambda x: x.index_put_((tg.tensor([0, 1]), tg.tensor([0, 0])), f64([5.0, 5.0])),
    "masked_scatter_": lambda x: x.masked_scatter_(tg.tensor([True, False, False]), f64([5.0, 5.0])),
    "put_": lambda x: x.put_(tg.tensor([0, 3]), f64([5.0, 5.0])),
}


@pytest.mark.parametrize("name", sorted(WRITES))
def test_writes_refuse_leaves_that_require_grad_except_under_no_grad(name):
    write = WRITES[name]
    x = f64([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad"):
        write(x)
    with pytest.raises(RuntimeError, match="a view of a leaf Variable that requires grad"):
        write(x[:, :3])
    assert x._version == 0 and x.data[:, 0].tolist() == [1.0, 4.0]
    with tg.no_grad():
        write(x)
    assert x._version == 1 and x.data[:, 0].tolist() == [5.0, 5.0] and x.is_leaf and x.requires_grad
    # through a view of a non-leaf, the change reaches the base, and its gradient with it
    a = f64([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)
    y = a * 2.0
    write(y[:, :])
    assert y.data[:, 0].tolist() == [5.0, 5.0]
    (y * y).sum().backward()
    assert a.grad.data[:, 0].tolist() == [0.0, 0.0]
    assert a.grad.data[:, 1].tolist() == [16.0, 40.0]  # 2 y dy/da = 8 a


# ---------------------------------------------------------------- the shape-changing in-place forms


def _as_numpy(t):
    return t.detach().numpy() if hasattr(t, "detach") else t.data


def _dtype_name(t):
    return str(t.dtype).replace("torch.", "")


# Calls written once for both libraries: m is tinygrad_edu or torch, t makes a tensor
VALUE_CASES = [
    lambda m, t: t([[1.5, -2.0, 0.0]]).negative().absolute().sgn(),
    lambda m, t: t([[-3, 0, 2]], dtype=m.int8).sgn(),
    lambda m, t: t([[1.5, -2.0], [0.0, 3.0]]).mH.reshape_as(t([1.0, 2.0, 3.0, 4.0])).ravel(),
    lambda m, t: t([-2.0, 0.0, -0.0, 3.0]).sign(),
    lambda m, t: t([True, False]).sgn(),
    lambda m, t: t([True, False]).square(),
    lambda m, t: t([0.0, 1000.0, -1000.0, INF, -INF]).logaddexp2(t([0.0, 1000.0, -1001.0, -INF, -INF])),
    lambda m, t: t([1, 2], dtype=m.int64).logaddexp2(t([2.0])),
    lambda m, t: t([0.0, 0.5, 1.0, -1.5, INF, NAN, 1e-20]).sinc(),
    lambda m, t: t([0, 1, 2]).sinc(),
    lambda m, t: t([2, 3]).float_power(2),
    lambda m, t: t([2.0, 3.0]).float_power(t([0.5, -2.0])),
    lambda m, t: t([True, False]).float_power(t([3])),
    lambda m, t: t([1.0, 3.0], dtype=m.float16).ldexp(t([2, -1])),
    lambda m, t: t([1, 3], dtype=m.int32).ldexp(t([2, -1])),
    lambda m, t: t([1.0], dtype=m.float64).ldexp(t([1023, 1024, -1074, -1075])),
    lambda m, t: t([12, -18, 0, 0, 7]).gcd(t([18, 12, 5, 0, -21])),
    lambda m, t: t([12, -18, 0, 0, 7], dtype=m.int16).lcm(t([18, 12, 5, 0, -21], dtype=m.int8)),
    lambda m, t: t([12, 10], dtype=m.uint8) | t([10, 6], dtype=m.int8),
    lambda m, t: (t([True, False]) & 1) ^ t([3, 3], dtype=m.int32),
    lambda m, t: ~t([0, 5, -1], dtype=m.int16),
    lambda m, t: t([1, -3, 5, 16, -16]) << t([2, 1, 64, -1, 63]),
    lambda m, t: t([16, -16, 5, 16, -16]) >> t([2, 2, 100, -2, -1]),
    lambda m, t: 1 << t([1, 2], dtype=m.uint8),
    lambda m, t: t([-1.0, -0.5, 0.0, 0.5, 1.0, 1.5, NAN]).erfinv(),
    lambda m, t: t([0.25, 0.5], dtype=m.float16).erfinv(),
    lambda m, t: t([0, 1]).erfinv(),
    lambda m, t: t([[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]).index_fill(1, t([0, -1]), t(-1.0)),
    lambda m, t: t(np.arange(6).reshape(2, 3)).index_fill(0, t(1), 2.7),
    lambda m, t: t([[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]).index_copy(
        1, t([2, 0]), t([[10.0, 20.0], [30.0, 40.0]])
    ),
    lambda m, t: t([[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]).index_put(
        (t([0, 0, 1]), t([2, 2, 0])), t([1.0, 2.0, 4.0]), True
    ),
    lambda m, t: t([[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]).index_put((t([False, True]),), t([7.0, 8.0, 9.0])),
    lambda m, t: t([[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]).masked_scatter(
        t([True, False, True]), t([10.0, 11.0, 12.0, 13.0, 14.0, 15.0])
    ),
    lambda m, t: t([1.0, 2.0, 3.0]).masked_scatter(
        t([[True, False, True], [False, True, False]]), t([1.0, 2.0, 3.0, 4.0, 5.0])
    ),
    lambda m, t: t([[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]).put(
        t([[1, -1], [1, 0]]), t([[1.0, 2.0], [3.0, 4.0]]), True
    ),
    lambda m, t: t([[1.0, 0.0], [2.0, NAN]]).isreal(),
]


@pytest.mark.parametrize("case", range(len(VALUE_CASES)))
def test_values_and_dtypes_match_torch_if_installed(case):
    torch = pytest.importorskip("torch")
    call = VALUE_CASES[case]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (torch's resize warning for ldexp of a broadcast exponent)
        ours, theirs = call(tg, tg.tensor), call(torch, torch.tensor)
    assert _dtype_name(ours) == _dtype_name(theirs) and ours.shape == tuple(theirs.shape)
    expected = theirs.numpy()
    if expected.dtype.kind == "f":
        rtol = {np.float16: 1e-3, np.float32: 2e-6, np.float64: 1e-12}[expected.dtype.type]
        np.testing.assert_allclose(ours.data, expected, rtol=rtol)
    else:
        np.testing.assert_array_equal(ours.data, expected)


# (call on float64 leaves a, b, c; the input shapes; the range of their values)
GRADIENT_CASES = [
    (lambda m, a, b: a.logaddexp2(b), [(3, 1), (4,)], (-3, 3)),
    (lambda m, a, b: a.float_power(b), [(3, 1), (4,)], (0.3, 2)),
    (lambda m, a, b: a.ldexp(b), [(3, 4), (4,)], (-2, 2)),
    (lambda m, a, b: a.sinc() * b.erfinv(), [(3, 4), (3, 4)], (-0.9, 0.9)),
    (lambda m, a, b: a.index_fill(1, m.tensor([0, 0, 2]), b.sum()), [(3, 4), (2,)], (-2, 2)),
    (lambda m, a, b: a.index_copy(0, m.tensor([2, 0]), b), [(3, 4), (2, 4)], (-2, 2)),
    (
        lambda m, a, b: a.index_put((m.tensor([0, 0, 2]), m.tensor([1, 1, 3])), b, True),
        [(3, 4), (3,)],
        (-2, 2),
    ),
    (lambda m, a, b: a.index_put((m.tensor([0, 0, 2]),), b[0]), [(3, 4), (2, 4)], (-2, 2)),
    (lambda m, a, b: a.masked_scatter(m.tensor([True, False, True, True]), b), [(3, 4), (2, 5)], (-2, 2)),
    (lambda m, a, b: a.put(m.tensor([[1, 1], [-1, 6]]), b, accumulate=True), [(3, 4), (2, 2)], (-2, 2)),
    (lambda m, a, b: a.put(m.tensor([[1, 1], [-1, 6]]), b), [(3, 4), (2, 2)], (-2, 2)),
    (lambda m, a, b: (a * 1).cumprod_(1) + (b * 1).cumsum_(0), [(3, 4), (3, 4)], (0.5, 2)),
    (lambda m, a, b: (a.t().contiguous() * b).mH + a.adjoint().H.conj() * b.H, [(3, 4), (4, 3)], (-2, 2)),
]


@pytest.mark.parametrize("case", range(len(GRADIENT_CASES)))
def test_gradients_match_torch_if_installed(case):
    torch = pytest.importorskip("torch")
    call, shapes, (low, high) = GRADIENT_CASES[case]
    rng = np.random.default_rng(case)
    arrays = [rng.uniform(low, high, shape) for shape in shapes]
    ours = [tg.tensor(x, requires_grad=True) for x in arrays]
    theirs = [torch.tensor(x, requires_grad=True) for x in arrays]
    assert_values_and_gradients_agree(torch, rng, call(tg, *ours), call(torch, *theirs), ours, theirs)


ERROR_CASES = [
    lambda m, t: t([1.0]) & t([1.0]),
    lambda m, t: ~t([1.0]),
    lambda m, t: t([1.5]) << 1,
    lambda m, t: t([True]) << t([True]),
    lambda m, t: t([1]).gcd(t([2.0])),
    lambda m, t: t([1]).gcd(3),
    lambda m, t: t([1]).logaddexp2(t([2])),
    lambda m, t: t([1.0]).ldexp(2),
    lambda m, t: t([1.0]).float_power_(2),
    lambda m, t: t([1, 2]).expm1_(),
    lambda m, t: t([True]).bitwise_and_(t([1])),
    lambda m, t: t([1.0, 2.0]).cumsum_(0, dtype=m.float64),
    lambda m, t: t([1.0, 2.0], requires_grad=True).cumsum_(0),
    lambda m, t: t([[1.0]]).imag,
    lambda m, t: t([1.0]).mH,
    lambda m, t: t([1.0]).H,
    lambda m, t: t([1.0]).stride(1),
    lambda m, t: m.zeros(2, 3).index_fill(1, t([0], dtype=m.int32), 1.0),
    lambda m, t: m.zeros(2, 3).index_fill(1, t([3]), 1.0),
    lambda m, t: m.zeros(2, 3).index_copy(1, t([0], dtype=m.int32), m.zeros(2, 1)),
    lambda m, t: m.zeros(2, 3).index_copy(1, t([-1]), m.zeros(2, 1)),
    lambda m, t: m.zeros(2, 3).index_copy(1, t([0, 1]), m.zeros(2, 1)),
    lambda m, t: m.zeros(2, 3).index_copy(1, t([0]), 1.0),
    lambda m, t: m.zeros(2, 3).index_put(t([0]), t(1.0)),
    lambda m, t: m.zeros(2, 3).index_put((t([0.0]),), t(1.0)),
    lambda m, t: m.zeros(2, 3).index_put((t([2]),), t(1.0)),
    lambda m, t: m.zeros(2, 3).index_put((t([0]),), t([1.0], dtype=m.float64)),
    lambda m, t: m.zeros(2, 3).index_put((t([0, 1]),), t([1.0, 2.0])),
    lambda m, t: m.zeros(2, 3).masked_scatter(t([True, True, False]), t([1.0])),
    lambda m, t: m.zeros(2, 3).masked_scatter(t([1, 1, 0]), m.ones(6)),
    lambda m, t: m.zeros(2, 3).put(t([6]), t([1.0])),
    lambda m, t: m.zeros(2, 3).put(t([1, 2]), t([1.0])),
    lambda m, t: m.zeros(2, 3).put(t([1]), t([1.0], dtype=m.float64)),
]


@pytest.mark.parametrize("case", range(len(ERROR_CASES)))
def test_errors_have_torch_s_types_if_installed(case):
    torch = pytest.importorskip("torch")
    call = ERROR_CASES[case]
    with pytest.raises(Exception) as theirs:
        call(torch, torch.tensor)
    with pytest.raises(Exception) as ours:
        call(tg, tg.tensor)
    assert ours.type is theirs.type, (ours.value, theirs.value)


def test_strides_contiguity_and_versions_match_torch_if_installed():
    torch = pytest.importorskip("torch")

    def layouts(m):
        x = m.tensor(np.arange(24.0).reshape(2, 3, 4))
        return [
            x, x.transpose(0, 2), x.permute(1, 0, 2), x[:, ::2, 1:], x.unsqueeze(0), x.unsqueeze(-1),
            x[1], x[:, :, 0], x.reshape(6, 4), x[:, :1], x.transpose(0, 2).unsqueeze(0), x.mT,
            x.narrow(2, 1, 2), m.tensor(np.arange(3.0)).reshape(3, 1).expand(3, 4), m.zeros(3, 0, 2),
            m.tensor(1.0), x.t() if x.ndim == 2 else x[0].t(), x[0].t().contiguous(),
            m.cat([x[0].t(), x[1].t()], 1), m.stack([x[0].t(), x[1].t()], 2),  # (row-major, not NumPy's)
        ]  # fmt: skip

    for ours, theirs in zip(layouts(tg), layouts(torch)):
        assert ours.stride() == theirs.stride() and ours.is_contiguous() == theirs.is_contiguous()
        assert ours.nbytes == theirs.nbytes and ours.itemsize == theirs.itemsize

    def changes(m):
        x = m.tensor([3, 5, 6])
        versions = []
        for step in (
            lambda: x.bitwise_and_(m.tensor([1, 7, 7])),
            lambda: x.__ilshift__(1),
            lambda: x.gcd_(m.tensor([4, 4, 4])),
            lambda: x.index_fill_(0, m.tensor([0]), 9),
            lambda: x.index_put_((m.tensor([1]),), m.tensor(2), accumulate=True),
            lambda: x.put_(m.tensor([-1]), m.tensor([7])),
            lambda: x.masked_scatter_(m.tensor([True, False, True]), m.tensor([1, 2])),
            lambda: x.index_copy_(0, m.tensor([1]), m.tensor([5])),
            lambda: x.cumsum_(0),
            lambda: x.logical_not_(),
        ):
            step()
            versions.append((x._version, x.tolist()))
        return versions

    assert changes(tg) == changes(torch)


def test_integers_too_large_for_the_dtype_wrap_in_arithmetic_and_are_refused_as_fill_values():
    u = tg.tensor([44, 200], dtype=tg.uint8)
    values = np.array([44, 200])
    for got, want in [
        (u + 300, (values + 300) % 256),
        (u & 300, values & (300 % 256)),
        (u * -1, -values % 256),
        (u // 300, values // (300 % 256)),
        (tg.tensor([100], dtype=tg.int8) + 200, [44]),  # (100 + 200 - 256)
    ]:
        assert got.tolist() == list(want)
    assert u.masked_fill(u > 100, -1).tolist() == [44, 255]  # an unsigned dtype takes -255..255
    for call in (
        lambda: u.masked_fill(u > 0, 256),
        lambda: tg.where(u > 0, -256, u),
        lambda: u.fill_(300),
        lambda: u.__setitem__(0, 300),
    ):
        with pytest.raises(RuntimeError, match="cannot be converted to type uint8_t without overflow"):
            call()
    assert u.tolist() == [44, 200]


def test_tensor_of_numbers_an_integer_dtype_cannot_hold_follows_pytorch():
    assert tg.tensor([-2, 3], dtype=tg.uint8).tolist() == [254, 3]  # NumPy raises OverflowError here
    assert tg.tensor([-2.5], dtype=tg.int8).tolist() == [-2]  # truncated toward zero
    for data, dtype in [([300], tg.uint8), ([300], tg.int8), ([-2.5], tg.uint8)]:
        with pytest.raises(RuntimeError, match=f"cannot be converted to type {np.dtype(dtype)} without"):
            tg.tensor(data, dtype=dtype)
    with pytest.raises(ValueError, match="does not fit in 64 bits"):  # as torch's ValueError
        tg.tensor([2**70], dtype=tg.int64)
    # full: a negative integer wraps into an unsigned dtype (NumPy refuses it), a float is truncated
    assert tg.full((2,), -1, dtype=tg.uint8).tolist() == [255, 255]
    assert tg.full((2,), -2.7, dtype=tg.int64).tolist() == [-2, -2]


def test_integer_overflow_rules_match_torch_if_installed():
    torch = pytest.importorskip("torch")
    expressions = [
        lambda m, u: u + 300, lambda m, u: u & 300, lambda m, u: u * -1, lambda m, u: 300 - u,
        lambda m, u: u % 300, lambda m, u: m.where(u > 100, -1, u), lambda m, u: u.masked_fill(u > 0, 255),
        lambda m, u: u.masked_fill(u > 0, 256), lambda m, u: m.where(u > 0, u, -255),
        lambda m, u: m.where(u > 0, u, -256), lambda m, u: (u.to(m.int8) + 200),
        lambda m, u: u.to(m.int8).masked_fill(u > 0, -128),
        lambda m, u: u.to(m.int8).masked_fill(u > 0, -129),
    ]  # fmt: skip
    for expression in expressions:
        results = []
        for m in (tg, torch):
            try:
                results.append(expression(m, m.tensor([44, 200], dtype=m.uint8)).tolist())
            except RuntimeError as error:
                results.append(type(error))
        assert results[0] == results[1]


def test_todays_public_names_are_where_pytorch_keeps_them():
    """Each name is tested in its own file; here, that users find it at PyTorch's address."""
    import tinygrad_edu.nn.functional as F

    names = {
        tg: ["svd", "matrix_exp", "lgamma", "digamma", "polygamma", "mvlgamma", "i0", "erfc",
             "scatter_reduce", "index_reduce", "special"],
        tg.linalg: ["svd", "qr", "lstsq", "solve_triangular", "matrix_exp", "matrix_rank", "cond"],
        tg.special: ["gammaln", "digamma", "polygamma", "i0e", "erfcx", "ndtri", "log_ndtr", "zeta"],
        tg.optim: ["LBFGS", "Adafactor"],
        tg.nn: ["EmbeddingBag", "CTCLoss", "TripletMarginWithDistanceLoss"],
        F: ["embedding_bag", "ctc_loss", "triplet_margin_with_distance_loss", "grid_sample", "affine_grid"],
        tg.Tensor: ["svd", "matrix_exp", "lgamma", "scatter_reduce", "index_reduce_", "t_", "unsqueeze_"],
    }  # fmt: skip
    missing = [f"{m.__name__}.{n}" for m, ns in names.items() for n in ns if not hasattr(m, n)]
    assert not missing
    for module in (tg, tg.nn, F, tg.linalg, tg.optim):
        assert not [n for n in module.__all__ if not hasattr(module, n)]  # (every listed name is there)
    x = tg.tensor([[2.0, 0.0], [0.0, 3.0]])
    np.testing.assert_allclose(tg.matrix_exp(x).data, np.diag(np.exp([2.0, 3.0])), rtol=1e-6)
    assert tg.svd(x).S.tolist() == [3.0, 2.0] and tg.polygamma(0, tg.tensor([1.0])).item() == pytest.approx(
        -0.5772157
    )
