"""RMSNorm, LocalResponseNorm, Softmax2d, RReLU, gumbel_softmax, MaxUnpool1d/2d, LPPool1d/2d,
pdist, MultiMarginLoss and MultiLabelMarginLoss (the nn modules rmsnorm, local_response_norm,
softmax_variants, rrelu, unpooling, lp_pooling, pairwise_distances and multi_margin_losses).

Values against NumPy formulas and direct loops, gradients against finite
differences (first and second order, float64), random draws against the
generator's own numbers, reprs, errors (and that a failed call changes
nothing); and, when PyTorch is installed, values, gradients, reprs,
signatures and error types against PyTorch's.
"""

from __future__ import annotations

import inspect
import math
import warnings
from types import SimpleNamespace

import numpy as np
import pytest

import tinygrad_edu as tg
from tinygrad_edu.nn.local_response_norm import LocalResponseNorm, local_response_norm
from tinygrad_edu.nn.lp_pooling import LPPool1d, LPPool2d, lp_pool1d, lp_pool2d
from tinygrad_edu.nn.multi_margin_losses import (
    MultiLabelMarginLoss,
    MultiMarginLoss,
    multi_margin_loss,
    multilabel_margin_loss,
)
from tinygrad_edu.nn.pairwise_distances import pdist
from tinygrad_edu.nn.pooling import max_pool2d
from tinygrad_edu.nn.pooling1d import max_pool1d
from tinygrad_edu.nn.rmsnorm import RMSNorm, rms_norm
from tinygrad_edu.nn.rrelu import RReLU, rrelu, rrelu_
from tinygrad_edu.nn.softmax_variants import Softmax2d, gumbel_softmax
from tinygrad_edu.nn.unpooling import MaxUnpool1d, MaxUnpool2d, max_unpool1d, max_unpool2d
from tinygrad_edu.random import default_generator
from tinygrad_edu.testing import gradcheck, gradgradcheck

rng = np.random.default_rng(23)
# shaped like `torch` (lib.nn.functional.f, lib.ones, lib.tensor), to make the same call on both
OURS_F = SimpleNamespace(rms_norm=rms_norm, rrelu=rrelu, gumbel_softmax=gumbel_softmax)
OURS = SimpleNamespace(nn=SimpleNamespace(functional=OURS_F), ones=tg.ones, tensor=tg.tensor)


def _t(array, requires_grad: bool = False) -> tg.Tensor:
    return tg.tensor(np.asarray(array, dtype=np.float64), requires_grad=requires_grad)


def _softmax_np(x: np.ndarray, axis: int) -> np.ndarray:
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def _matches_torch(ours, theirs, arrays, rtol=1e-10, atol=1e-12, ints=()):
    """Same values and, for a random upstream gradient, the same input gradients as PyTorch's.

    `arrays` are float64 inputs (all differentiated); `ints` are integer arguments passed to both.
    """
    torch = pytest.importorskip("torch")
    a = [_t(x, requires_grad=True) for x in arrays]
    b = [torch.tensor(np.asarray(x, dtype=np.float64), requires_grad=True) for x in arrays]
    y = ours(*a, *[tg.tensor(i) for i in ints])
    z = theirs(*b, *[torch.tensor(i) for i in ints])
    np.testing.assert_allclose(y.data, z.detach().numpy(), rtol=rtol, atol=atol)
    assert y.shape == tuple(z.shape)
    upstream = rng.standard_normal(y.shape)
    y.backward(_t(upstream))
    z.backward(torch.tensor(upstream))
    for mine, yours in zip(a, b):
        np.testing.assert_allclose(mine.grad.data, yours.grad.numpy(), rtol=rtol, atol=atol)


def _parameters(fn):
    return [
        (p.name, p.kind, p.default) for p in inspect.signature(fn).parameters.values() if p.name != "self"
    ]


# ---------------------------------------------------------------- RMSNorm


def _rms_np(x, dims, weight=None, eps=None):
    eps = np.finfo(x.dtype).eps if eps is None else eps
    axes = tuple(range(-dims, 0))
    out = x / np.sqrt((x * x).mean(axis=axes, keepdims=True) + eps)
    return out if weight is None else out * weight


def test_rms_norm_values():
    x, w = rng.standard_normal((2, 3, 4, 5)) * 3, rng.standard_normal((4, 5))
    np.testing.assert_allclose(rms_norm(_t(x), [4, 5], _t(w)).data, _rms_np(x, 2, w), rtol=1e-13)
    np.testing.assert_allclose(rms_norm(_t(x), (5,), eps=0.5).data, _rms_np(x, 1, eps=0.5), rtol=1e-13)
    unit = rms_norm(_t(x), [5]).data
    np.testing.assert_allclose((unit * unit).mean(-1), 1.0, rtol=1e-12)  # each row's mean square is 1
    assert not np.allclose(unit.mean(-1), 0.0)  # and, unlike layer norm, it is not centred


def test_rms_norm_eps_defaults_to_the_machine_epsilon_of_the_dtype():
    # a row of zeros but one tiny value: eps is most of its mean square, so it shows in the result
    x = np.zeros((1, 4))
    x[0, 0] = 1e-8
    for dtype in (np.float32, np.float64):
        got = rms_norm(tg.tensor(x.astype(dtype)), [4]).data
        eps = np.finfo(dtype).eps
        assert got.dtype == dtype
        np.testing.assert_allclose(got[0, 0], 1e-8 / np.sqrt(1e-16 / 4 + eps), rtol=1e-5)
    assert RMSNorm(4).eps is None


def test_rms_norm_at_zero_has_slope_one_over_sqrt_eps():
    x = _t(np.zeros((2, 3)), requires_grad=True)
    out = rms_norm(x, [3])
    assert out.tolist() == [[0.0] * 3] * 2
    out.sum().backward()
    np.testing.assert_allclose(x.grad.data, 1 / np.sqrt(np.finfo(np.float64).eps), rtol=1e-12)


def test_rms_norm_gradients_against_finite_differences():
    x, w = _t(rng.standard_normal((3, 2, 4)), True), _t(rng.standard_normal((2, 4)), True)
    fn = lambda t, weight: rms_norm(t, [2, 4], weight, eps=1e-3)
    assert gradcheck(fn, [x, w]) and gradgradcheck(fn, [x, w])
    assert gradgradcheck(lambda t: rms_norm(t, [4]), [x])


def test_rms_norm_keeps_the_input_dtype():
    x = tg.tensor(rng.standard_normal((2, 3)).astype(np.float32))
    out = rms_norm(x, [3], _t(np.full(3, 2.0)))
    assert out.dtype == np.float32
    np.testing.assert_allclose(out.data, 2 * _rms_np(x.data.astype(np.float64), 1, eps=1.2e-7), rtol=1e-5)


def test_rms_norm_layer():
    layer = RMSNorm([3, 4])
    assert layer.normalized_shape == (3, 4) and layer.weight.dtype == np.float32
    assert list(layer.state_dict()) == ["weight"] and layer.weight.tolist() == [[1.0] * 4] * 3
    assert repr(layer) == "RMSNorm((3, 4), eps=None, elementwise_affine=True)"
    plain = RMSNorm(4, eps=1e-3, elementwise_affine=False, dtype=tg.float64)
    assert plain.weight is None and list(plain.state_dict()) == []
    assert repr(plain) == "RMSNorm((4,), eps=0.001, elementwise_affine=False)"
    x = rng.standard_normal((2, 3, 4))
    with tg.no_grad():
        layer.weight.data[...] = rng.standard_normal((3, 4))
    np.testing.assert_allclose(layer(_t(x)).data, _rms_np(x, 2, layer.weight.data), rtol=1e-6)
    np.testing.assert_allclose(plain(_t(x)).data, _rms_np(x, 1, eps=1e-3), rtol=1e-13)
    layer(_t(x)).sum().backward()
    assert layer.weight.grad.shape == (3, 4)
    assert RMSNorm(4, dtype=tg.float64).weight.dtype == np.float64


def test_rms_norm_errors_leave_the_layer_alone():
    x = tg.ones(2, 3, 4)
    for call, error, message in [
        (lambda: rms_norm(x, 4), TypeError, "must be tuple of ints, not int"),
        (lambda: rms_norm(x, [4.0]), TypeError, "found element of type float at pos 0"),
        (lambda: rms_norm(x, []), RuntimeError, "at least 1-dimensional"),
        (lambda: rms_norm(x, [3]), RuntimeError, r"expected input with shape \[\*3\], but got input of size"),
        (lambda: rms_norm(x, [5, 3, 4]), RuntimeError, r"expected input with shape \[\*5, 3, 4\]"),
        (lambda: rms_norm(x, [4], tg.ones(3)), RuntimeError, r"got weight of shape \[3\]"),
        (lambda: rms_norm(tg.tensor([[1, 2]]), [2]), NotImplementedError, "rms_norm"),
        (lambda: RMSNorm(-2), RuntimeError, "negative dimension -2"),
    ]:
        with pytest.raises(error, match=message):
            call()
    layer = RMSNorm(4)
    with pytest.raises(RuntimeError, match="expected input with shape"):
        layer(tg.ones(4, 3))
    assert layer.weight.tolist() == [1.0] * 4 and layer.weight.grad is None
    assert RMSNorm(-1, elementwise_affine=False).normalized_shape == (-1,)  # no weight to make


def test_rms_norm_matches_torch_if_installed():
    torch = pytest.importorskip("torch")
    x, w = rng.standard_normal((2, 3, 4)), rng.standard_normal((3, 4))
    _matches_torch(
        lambda t, weight: rms_norm(t, [3, 4], weight),
        lambda t, weight: torch.nn.functional.rms_norm(t, [3, 4], weight),
        [x, w],
    )
    _matches_torch(lambda t: rms_norm(t, (4,), eps=0.1), lambda t: torch.rms_norm(t, (4,), eps=0.1), [x])
    zeros = np.zeros((2, 4))  # the slope 1 / sqrt(eps) at 0
    _matches_torch(lambda t: rms_norm(t, [4]), lambda t: torch.rms_norm(t, [4]), [zeros])
    for args in [(4,), ([3, 4], 1e-3, False)]:
        assert repr(RMSNorm(*args)) == repr(torch.nn.RMSNorm(*args))
    for call in (
        lambda lib: lib.nn.functional.rms_norm(lib.ones(2, 3), 3),
        lambda lib: lib.nn.functional.rms_norm(lib.ones(2, 3), [2]),
        lambda lib: lib.nn.functional.rms_norm(lib.ones(2, 3), []),
        lambda lib: lib.nn.functional.rms_norm(lib.ones(2, 3), [3], lib.ones(2)),
        lambda lib: lib.nn.functional.rms_norm(lib.tensor([[1, 2]]), [2]),
    ):
        with pytest.raises(Exception) as theirs:
            call(torch)
        with pytest.raises(type(theirs.value)):
            call(OURS)


# ---------------------------------------------------------------- LocalResponseNorm


def _lrn_np(x, size, alpha=1e-4, beta=0.75, k=1.0):
    """Channel by channel: the window c - size // 2 .. c + (size - 1) // 2, cut at the ends."""
    out, channels = np.empty_like(x), x.shape[1]
    for c in range(channels):
        lo, hi = max(c - size // 2, 0), min(c + (size - 1) // 2 + 1, channels)
        out[:, c] = x[:, c] / (k + alpha / size * (x[:, lo:hi] ** 2).sum(1)) ** beta
    return out


@pytest.mark.parametrize("shape, size", [((2, 5, 3), 3), ((2, 4, 3, 2), 2), ((1, 3, 2, 2, 2), 7)])
def test_local_response_norm_values(shape, size):
    x = rng.standard_normal(shape) * 3
    got = local_response_norm(_t(x), size, alpha=0.3, beta=0.6, k=1.5).data
    np.testing.assert_allclose(got, _lrn_np(x, size, 0.3, 0.6, 1.5), rtol=1e-13)
    np.testing.assert_allclose(LocalResponseNorm(size)(_t(x)).data, _lrn_np(x, size), rtol=1e-13)


def test_local_response_norm_gradients_against_finite_differences():
    x = _t(rng.standard_normal((2, 4, 3)), True)
    for size in (1, 2, 3):
        fn = lambda t: local_response_norm(t, size, alpha=0.5, beta=0.7, k=0.8)
        assert gradcheck(fn, [x]) and gradgradcheck(fn, [x])
    image = _t(rng.standard_normal((1, 3, 2, 2)), True)
    assert gradcheck(lambda t: local_response_norm(t, 2, alpha=1.0), [image])


def test_local_response_norm_errors_and_edges():
    with pytest.raises(ValueError, match=r"Expected 3D or higher dimensionality input \(got 2 dimensions\)"):
        local_response_norm(tg.ones(2, 3), 2)
    with pytest.raises(RuntimeError, match="size should be greater than zero, but got 0"):
        local_response_norm(tg.ones(2, 3, 4), 0)
    with pytest.raises(TypeError, match="size must be an int"):
        local_response_norm(tg.ones(2, 3, 4), 2.5)
    empty = tg.ones(0, 3, 4)
    assert local_response_norm(empty, 2) is empty
    assert repr(LocalResponseNorm(3)) == "LocalResponseNorm(3, alpha=0.0001, beta=0.75, k=1.0)"
    assert repr(LocalResponseNorm(2, 0.1, 0.5, 2)) == "LocalResponseNorm(2, alpha=0.1, beta=0.5, k=2)"


def test_local_response_norm_matches_torch_if_installed():
    torch = pytest.importorskip("torch")
    for shape, size in [((2, 5, 3), 3), ((2, 3, 4, 2), 4), ((2, 3, 2, 2, 2), 2), ((1, 2, 3), 9)]:
        _matches_torch(
            lambda t: local_response_norm(t, size, alpha=0.5, beta=0.6, k=1.2),
            lambda t: torch.nn.functional.local_response_norm(t, size, alpha=0.5, beta=0.6, k=1.2),
            [rng.standard_normal(shape)],
        )
    for args in [(3,), (2, 0.1, 0.5, 2.0)]:
        assert repr(LocalResponseNorm(*args)) == repr(torch.nn.LocalResponseNorm(*args))
    with pytest.raises(ValueError):
        torch.nn.functional.local_response_norm(torch.ones(2, 3), 2)
    assert torch.nn.functional.local_response_norm(torch.ones(0, 3, 2), 2).shape == (0, 3, 2)


# ---------------------------------------------------------------- Softmax2d


def test_softmax2d_is_a_softmax_over_the_channels():
    for shape in [(2, 3, 4, 5), (3, 4, 5)]:
        x = rng.standard_normal(shape)
        got = Softmax2d()(_t(x)).data
        np.testing.assert_allclose(got, _softmax_np(x, -3), rtol=1e-14)
        np.testing.assert_allclose(got.sum(-3), 1.0, rtol=1e-14)
    for shape in [(3, 4), (1, 2, 3, 4, 5)]:
        with pytest.raises(ValueError, match=f"Softmax2d: expected input to be 3D or 4D, got {len(shape)}D"):
            Softmax2d()(tg.ones(shape))
    x = _t(rng.standard_normal((2, 3, 2, 2)), True)
    assert gradcheck(Softmax2d(), [x]) and gradgradcheck(Softmax2d(), [x])
    assert repr(Softmax2d()) == "Softmax2d()"


def test_softmax2d_matches_torch_if_installed():
    torch = pytest.importorskip("torch")
    _matches_torch(Softmax2d(), torch.nn.Softmax2d(), [rng.standard_normal((2, 3, 4, 5))])
    assert repr(Softmax2d()) == repr(torch.nn.Softmax2d())


# ---------------------------------------------------------------- RReLU


def test_rrelu_in_evaluation_is_the_leaky_relu_of_the_mean_slope():
    x = rng.standard_normal((4, 5))
    expected = np.where(x > 0, x, x * (0.1 + 0.3) / 2)
    np.testing.assert_allclose(rrelu(_t(x), 0.1, 0.3).data, expected, rtol=1e-15)  # training=False default
    np.testing.assert_allclose(RReLU(0.1, 0.3).eval()(_t(x)).data, expected, rtol=1e-15)
    zero = _t([0.0], True)
    rrelu(zero).backward(_t([1.0]))
    assert zero.grad.item() == pytest.approx((1 / 8 + 1 / 3) / 2)  # x = 0 takes the negative side


def test_rrelu_in_training_draws_a_slope_per_element_from_the_generator():
    x = rng.standard_normal((50, 40))
    x[0, 0] = 0.0
    tg.manual_seed(8)
    t = _t(x, True)
    out = rrelu(t, 0.2, 0.45, training=True)
    tg.manual_seed(8)
    slopes = default_generator().uniform(0.2, 0.45, x.shape)  # the same draw
    np.testing.assert_allclose(out.data, np.where(x > 0, x, x * slopes), rtol=1e-15)
    out.sum().backward()
    np.testing.assert_allclose(t.grad.data, np.where(x > 0, 1.0, slopes), rtol=1e-15)
    negative = x < 0
    ratios = out.data[negative] / x[negative]
    assert ratios.min() >= 0.2 and ratios.max() <= 0.45 and ratios.std() > 0.05  # spread over the range
    assert abs(ratios.mean() - 0.325) < 5 * 0.25 / np.sqrt(12 * negative.sum())
    again = rrelu(_t(x), 0.2, 0.45, training=True).data  # a new call, new slopes
    assert not np.array_equal(again, out.data)


def test_rrelu_gradients_against_finite_differences():
    x = _t(rng.standard_normal((3, 4)), True)

    def seeded(t):  # the same slopes at every evaluation
        tg.manual_seed(5)
        return rrelu(t, 0.1, 0.6, training=True)

    assert gradcheck(seeded, [x]) and gradgradcheck(seeded, [x])
    assert gradcheck(lambda t: rrelu(t, 0.2, 0.4), [x]) and gradgradcheck(lambda t: rrelu(t, 0.2, 0.4), [x])


def test_rrelu_in_place():
    x = _t(rng.standard_normal((3, 4)), True)
    h = x * 2.0
    tg.manual_seed(3)
    expected = rrelu(x * 2.0, training=True)
    tg.manual_seed(3)
    assert rrelu(h, training=True, inplace=True) is h
    np.testing.assert_array_equal(h.data, expected.data)
    h.sum().backward()
    np.testing.assert_allclose(x.grad.data, expected.data / x.data, rtol=1e-14)  # 2, or 2 * slope
    y = x.detach() * 1.0
    assert rrelu_(y, 0.5, 0.5) is y
    np.testing.assert_allclose(y.data, np.where(x.data > 0, x.data, 0.5 * x.data), rtol=1e-15)
    layer = RReLU(inplace=True)
    z = x.detach() * 1.0
    assert layer(z) is z


def test_rrelu_errors_change_nothing():
    leaf = _t([-1.0, 2.0], True)
    tg.manual_seed(4)
    state = default_generator().bit_generator.state
    with pytest.raises(RuntimeError, match="leaf Variable"):
        rrelu(leaf, training=True, inplace=True)
    assert default_generator().bit_generator.state == state and leaf.tolist() == [-1.0, 2.0]
    for training in (True, False):
        with pytest.raises(RuntimeError, match="Lower bound should be less than or equal to the upper bound"):
            rrelu(leaf, 0.5, 0.1, training)
        with pytest.raises(NotImplementedError, match="rrelu"):
            rrelu(tg.tensor([1, -2]), training=training)
    assert default_generator().bit_generator.state == state
    assert repr(RReLU(0.5, 0.1)) == "RReLU(lower=0.5, upper=0.1)"  # as PyTorch: checked at the call


def test_rrelu_layer_follows_the_module_mode():
    x = _t(rng.standard_normal((20, 30)))
    layer = RReLU()
    tg.manual_seed(1)
    trained = layer(x).data
    tg.manual_seed(1)
    np.testing.assert_array_equal(trained, rrelu(x, training=True).data)
    layer.eval()
    np.testing.assert_array_equal(layer(x).data, rrelu(x).data)
    assert repr(RReLU()) == "RReLU(lower=0.125, upper=0.3333333333333333)"
    assert repr(RReLU(0.1, 0.3, True)) == "RReLU(lower=0.1, upper=0.3, inplace=True)"


def test_rrelu_matches_torch_if_installed():
    torch = pytest.importorskip("torch")
    x = rng.standard_normal((4, 5))
    x[0, 0] = 0.0
    _matches_torch(
        lambda t: rrelu(t, 0.2, 0.3), lambda t: torch.nn.functional.rrelu(t, 0.2, 0.3), [x], rtol=1e-15
    )
    for args in [(), (0.1, 0.3, True)]:
        assert repr(RReLU(*args)) == repr(torch.nn.RReLU(*args))
    for call in (
        lambda lib: lib.nn.functional.rrelu(lib.ones(3), 0.5, 0.1),
        lambda lib: lib.nn.functional.rrelu(lib.tensor([1, 2]), training=True),
    ):
        with pytest.raises(Exception) as theirs:
            call(torch)
        with pytest.raises(type(theirs.value)):
            call(OURS)


# ---------------------------------------------------------------- gumbel_softmax


def test_gumbel_softmax_is_a_softmax_of_logits_plus_gumbel_noise():
    logits = rng.standard_normal((3, 5))
    for dim, tau in [(-1, 1.0), (0, 0.5)]:
        tg.manual_seed(6)
        got = gumbel_softmax(_t(logits), tau=tau, dim=dim).data
        tg.manual_seed(6)
        noise = default_generator().gumbel(size=logits.shape)  # the same draw
        np.testing.assert_allclose(got, _softmax_np((logits + noise) / tau, dim), rtol=1e-14)
        np.testing.assert_allclose(got.sum(dim), 1.0, rtol=1e-14)


def test_gumbel_softmax_hard_is_one_hot_with_the_soft_gradient():
    logits = rng.standard_normal((4, 6))
    upstream = rng.standard_normal((4, 6))
    grads = []
    for hard in (False, True):
        x = _t(logits, True)
        tg.manual_seed(9)
        y = gumbel_softmax(x, tau=0.7, hard=hard)
        y.backward(_t(upstream))
        grads.append((y.data, x.grad.data))
    (soft, soft_grad), (one_hot, hard_grad) = grads
    np.testing.assert_allclose(one_hot, np.eye(6)[soft.argmax(1)], atol=1e-15)  # the soft sample's argmax
    np.testing.assert_allclose(hard_grad, soft_grad, rtol=1e-14)  # straight through
    tg.manual_seed(9)
    along_0 = gumbel_softmax(_t(logits), hard=True, dim=0).data
    np.testing.assert_allclose(along_0.sum(0), 1.0, atol=1e-15)
    scalar = gumbel_softmax(_t(0.3), hard=True)
    assert scalar.shape == () and scalar.item() == pytest.approx(1.0)


def test_gumbel_softmax_samples_the_categorical_distribution():
    # the Gumbel-max trick: the argmax of logits + Gumbel noise is a sample of softmax(logits)
    logits = np.log([0.5, 0.3, 0.15, 0.05])
    samples = gumbel_softmax(_t(np.tile(logits, (20000, 1))), hard=True).data
    frequencies = samples.mean(0)
    np.testing.assert_allclose(frequencies, [0.5, 0.3, 0.15, 0.05], atol=5 * np.sqrt(0.25 / 20000))


def test_gumbel_softmax_gradients_against_finite_differences():
    x = _t(rng.standard_normal((2, 4)), True)

    def seeded(t):
        tg.manual_seed(2)
        return gumbel_softmax(t, tau=0.8)

    assert gradcheck(seeded, [x]) and gradgradcheck(seeded, [x])


def test_gumbel_softmax_warnings_and_errors():
    with pytest.warns(UserWarning, match="`eps` parameter is deprecated and has no effect.") as caught:
        gumbel_softmax(tg.ones(3), eps=1e-3)
    assert caught[0].filename == __file__
    state = default_generator().bit_generator.state
    with pytest.raises(RuntimeError, match="floating point"):
        gumbel_softmax(tg.tensor([1, 2]))
    with pytest.raises(IndexError, match="Dimension out of range"):
        gumbel_softmax(tg.ones(3, 4), dim=2)
    assert default_generator().bit_generator.state == state  # refused before any noise was drawn


def test_gumbel_softmax_matches_torch_if_installed():
    torch = pytest.importorskip("torch")
    with warnings.catch_warnings(record=True) as theirs:
        warnings.simplefilter("always")
        torch.nn.functional.gumbel_softmax(torch.ones(3), eps=1e-3)
    with warnings.catch_warnings(record=True) as ours:
        warnings.simplefilter("always")
        gumbel_softmax(tg.ones(3), eps=1e-3)
    assert [str(w.message) for w in ours] == [str(w.message) for w in theirs]
    for call in (
        lambda lib: lib.nn.functional.gumbel_softmax(lib.tensor([1, 2])),
        lambda lib: lib.nn.functional.gumbel_softmax(lib.ones(3, 4), dim=2),
    ):
        with pytest.raises(Exception) as theirs_error:
            call(torch)
        with pytest.raises(type(theirs_error.value)):
            call(OURS)


# ---------------------------------------------------------------- MaxUnpool


def test_max_unpool2d_puts_each_maximum_back_in_its_place():
    x = rng.standard_normal((2, 3, 6, 8))
    pooled, indices = max_pool2d(_t(x), 2, return_indices=True)
    out = max_unpool2d(pooled, indices, 2).data
    # every 2 x 2 window keeps its maximum where it was, and zeros elsewhere
    windows = x.reshape(2, 3, 3, 2, 4, 2)
    is_max = windows == windows.max(axis=(3, 5), keepdims=True)
    np.testing.assert_array_equal(out, np.where(is_max, windows, 0.0).reshape(x.shape))
    assert MaxUnpool2d(2)(pooled, indices).shape == (2, 3, 6, 8)
    unbatched = max_unpool2d(pooled[0], indices[0], (2, 2), stride=2).data
    np.testing.assert_array_equal(unbatched, out[0])


def test_max_unpool1d_and_output_size():
    x = rng.standard_normal((2, 3, 9))
    pooled, indices = max_pool1d(_t(x), 3, stride=2, return_indices=True)  # 4 windows, overlapping
    assert pooled.shape == (2, 3, 4)
    out = max_unpool1d(pooled, indices, 3, stride=2, output_size=[9]).data
    assert out.shape == (2, 3, 9)
    kept = np.zeros_like(x, dtype=bool)
    np.put_along_axis(kept, indices.data, True, axis=2)
    np.testing.assert_array_equal(out, np.where(kept, x, 0.0))
    # the default size is the largest input the pool could have come from: (4 - 1) 2 + 3 = 9
    assert max_unpool1d(pooled, indices, 3, 2).shape == (2, 3, 9)
    assert max_unpool1d(pooled, indices, 3, 2, output_size=(2, 3, 10)).shape == (2, 3, 10)  # (N, C, L)
    assert MaxUnpool1d(3, 2)(pooled[0], indices[0], output_size=[8]).shape == (3, 8)
    with pytest.raises(ValueError, match=r'invalid output_size "\[11\]" \(dim 0 must be between 7 and 11\)'):
        max_unpool1d(pooled, indices, 3, 2, output_size=[11])
    with pytest.raises(ValueError, match="containing 1 or 3 elements, but it has a length of '2'"):
        max_unpool1d(pooled, indices, 3, 2, output_size=[9, 9])


def test_max_unpool_repeated_indices_keep_the_last_value_and_share_the_gradient():
    values = _t([[[1.0, 2.0, 3.0]]], True)
    indices = tg.tensor(np.array([[[0, 0, 1]]]))  # what overlapping windows can give
    out = max_unpool1d(values, indices, 2, stride=1)
    assert out.tolist() == [[[2.0, 3.0, 0.0, 0.0]]]
    out.backward(_t([[[5.0, 7.0, 11.0, 13.0]]]))
    assert values.grad.tolist() == [[[5.0, 5.0, 7.0]]]  # the output gradient read at each index


def test_max_unpool_gradients_against_finite_differences():
    values = _t(rng.standard_normal((2, 2, 3)), True)
    indices = tg.tensor(rng.permutation(6)[:3].reshape(1, 1, 3).repeat(2, 0).repeat(2, 1))
    fn = lambda t: max_unpool1d(t, indices, 2) * _t(np.arange(6.0) + 1)  # an uneven upstream
    assert gradcheck(fn, [values]) and gradgradcheck(fn, [values])
    image = _t(rng.standard_normal((1, 2, 2, 2)), True)
    flat = tg.tensor(np.array([0, 5, 10, 15, 3, 4, 9, 14]).reshape(1, 2, 2, 2))
    fn2 = lambda t: max_unpool2d(t, flat, 2) ** 2
    assert gradcheck(fn2, [image]) and gradgradcheck(fn2, [image])


def test_max_unpool_errors():
    values, indices = tg.ones(1, 2, 2, 2), tg.tensor(np.zeros((1, 2, 2, 2), dtype=np.int64))
    for call, error, message in [
        (lambda: max_unpool2d(values, indices.int(), 2), RuntimeError, "indices should be type int64"),
        (lambda: max_unpool2d(values, indices[:, :1], 2), RuntimeError, r"same as that of the input tensor"),
        (lambda: max_unpool2d(values[0, 0], indices[0, 0], 2), RuntimeError, "3D .unbatched. or 4D"),
        (lambda: max_unpool1d(values, indices, 2), RuntimeError, "2D .unbatched. or 3D"),
        (lambda: max_unpool2d(values, indices + 16, 2), RuntimeError, "invalid max index: 16 .* size 4x4"),
        (lambda: max_unpool2d(values, indices - 1, 2), RuntimeError, "invalid max index: -1"),
        (lambda: max_unpool2d(values.long(), indices, 2), NotImplementedError, "max_unpool2d"),
        (lambda: max_unpool2d(values[:, :, :0], indices[:, :, :0], 2), RuntimeError, "non-zero size"),
        (lambda: max_unpool2d(values, indices, 2, padding=3), ValueError, r"output_size\[0\]=-2"),
        (lambda: max_unpool2d(values, indices, (2, 2, 2)), RuntimeError, "kernel_size must be an int or"),
        (lambda: max_unpool2d(values, indices, 2, output_size=(2,)), ValueError, "2 or 4 elements"),
    ]:
        with pytest.raises(error, match=message):
            call()
    assert max_unpool2d(values[:0], indices[:0], 2).shape == (0, 2, 4, 4)  # an empty batch is fine


def test_max_unpool_reprs():
    assert repr(MaxUnpool2d(2)) == "MaxUnpool2d(kernel_size=(2, 2), stride=(2, 2), padding=(0, 0))"
    assert (
        repr(MaxUnpool2d((2, 3), 1, (1, 0)))
        == "MaxUnpool2d(kernel_size=(2, 3), stride=(1, 1), padding=(1, 0))"
    )
    assert repr(MaxUnpool1d(2)) == "MaxUnpool1d(kernel_size=(2,), stride=(2,), padding=(0,))"


def test_max_unpool_matches_torch_if_installed():
    torch = pytest.importorskip("torch")
    F = torch.nn.functional
    x = torch.tensor(rng.standard_normal((2, 3, 6, 7)))
    for kernel, stride, padding, size in [
        (2, None, 0, (6, 7)),
        (3, 1, 1, None),
        ((2, 3), (2, 1), (1, 0), None),
    ]:
        pooled, indices = F.max_pool2d(x, kernel, stride, padding, return_indices=True)
        _matches_torch(
            lambda t, i: max_unpool2d(t, i, kernel, stride, padding, size),
            lambda t, i: F.max_unpool2d(t, i, kernel, stride, padding, size),
            [pooled.numpy()],
            ints=[indices.numpy()],
        )
    pooled, indices = F.max_pool1d(x[0, :, 0], 2, 1, return_indices=True)  # unbatched, overlapping
    _matches_torch(
        lambda t, i: max_unpool1d(t, i, 2, 1),
        lambda t, i: F.max_unpool1d(t, i, 2, 1),
        [pooled.numpy()],
        ints=[indices.numpy()],
    )
    for args in [(2,), ((2, 3), 1, (1, 0))]:
        assert repr(MaxUnpool2d(*args)) == repr(torch.nn.MaxUnpool2d(*args))
    assert repr(MaxUnpool1d(3, 2, 1)) == repr(torch.nn.MaxUnpool1d(3, 2, 1))
    values, indices = np.ones((1, 2, 2, 2)), np.zeros((1, 2, 2, 2), dtype=np.int64)
    for case in [
        dict(indices=indices + 16),
        dict(indices=indices.astype(np.int32)),
        dict(indices=indices[:, :1]),
        dict(output_size=(9, 4)),
        dict(output_size=(2,)),
        dict(padding=3),
    ]:
        args = {"indices": indices, **case}
        theirs_args = {k: torch.tensor(v) if isinstance(v, np.ndarray) else v for k, v in args.items()}
        ours_args = {k: tg.tensor(v) if isinstance(v, np.ndarray) else v for k, v in args.items()}
        with pytest.raises(Exception) as theirs:
            F.max_unpool2d(torch.tensor(values), kernel_size=2, **theirs_args)
        with pytest.raises(type(theirs.value)):
            max_unpool2d(_t(values), kernel_size=2, **ours_args)


# ---------------------------------------------------------------- LPPool


def _lp_np(x, p, kernel, stride):
    """The p-norm of each window (no padding, floor mode), by a loop over the output positions."""
    (kh, kw), (sh, sw) = kernel, stride
    oh, ow = (x.shape[-2] - kh) // sh + 1, (x.shape[-1] - kw) // sw + 1
    out = np.empty(x.shape[:-2] + (oh, ow))
    for i in range(oh):
        for j in range(ow):
            window = x[..., i * sh : i * sh + kh, j * sw : j * sw + kw]
            out[..., i, j] = (window**p).sum((-2, -1)) ** (1 / p)
    return out


@pytest.mark.parametrize("p", [1, 2, 3, 1.5, 4.0])
def test_lp_pool2d_is_the_p_norm_of_each_window(p):
    x = np.abs(rng.standard_normal((2, 3, 5, 7))) + 0.1
    np.testing.assert_allclose(lp_pool2d(_t(x), p, 2).data, _lp_np(x, p, (2, 2), (2, 2)), rtol=1e-13)
    got = lp_pool2d(_t(x), p, (2, 3), stride=(1, 2)).data
    np.testing.assert_allclose(got, _lp_np(x, p, (2, 3), (1, 2)), rtol=1e-13)
    np.testing.assert_allclose(LPPool2d(p, 3, 1)(_t(x[0])).data, _lp_np(x[0], p, (3, 3), (1, 1)), rtol=1e-13)


def test_lp_pool_limits_and_signs():
    x = rng.standard_normal((2, 3, 4, 4))
    windows = np.abs(x).reshape(2, 3, 2, 2, 2, 2)
    np.testing.assert_array_equal(lp_pool2d(_t(x), math.inf, 2).data, windows.max(axis=(3, 5)))
    np.testing.assert_array_equal(lp_pool2d(_t(x), -math.inf, 2).data, windows.min(axis=(3, 5)))
    # a large p is close to the largest |x|; p = 1 is the plain (signed) sum
    np.testing.assert_allclose(lp_pool2d(_t(np.abs(x)), 60, 2).data, windows.max(axis=(3, 5)), rtol=0.03)
    sums = x.reshape(2, 3, 2, 2, 2, 2).sum(axis=(3, 5))
    np.testing.assert_allclose(lp_pool2d(_t(x), 1, 2).data, sums, rtol=1e-13)
    with np.errstate(invalid="ignore"):  # (a fractional power of a negative sum is NaN)
        cubed = lp_pool1d(_t([[-2.0, 1.0, 1.0, 1.0]]), 3, 2).data
    assert np.isnan(cubed[0, 0]) and cubed[0, 1] == pytest.approx(2 ** (1 / 3))


def test_lp_pool1d_values_and_ceil_mode():
    x = np.abs(rng.standard_normal((2, 3, 9))) + 0.1
    got = lp_pool1d(_t(x), 2, 3, stride=2).data
    np.testing.assert_allclose(got, _lp_np(x[:, :, None], 2, (1, 3), (1, 2))[:, :, 0], rtol=1e-13)
    np.testing.assert_allclose(LPPool1d(2, 3, 2)(_t(x[0])).data, got[0], rtol=1e-15)
    # ceil_mode: the last window [5] hangs over the end; as in PyTorch, its mean (25) times the kernel
    # size (2) is taken as its sum
    row = _t(np.arange(1.0, 6.0).reshape(1, 1, 5))
    np.testing.assert_allclose(lp_pool1d(row, 2, 2, ceil_mode=True).data[0, 0], np.sqrt([5, 25, 50]))


def test_lp_pool_gradient_is_zero_on_a_window_of_zeros():
    x = _t([[[[0.0, 0.0, 1.0, 2.0], [0.0, 0.0, 3.0, -1.0]]]], True)
    out = lp_pool2d(x, 2, 2)
    assert out.data[0, 0, 0, 0] == 0.0
    out.sum().backward()
    assert np.isfinite(x.grad.data).all()
    assert x.grad.data[0, 0, :, :2].tolist() == [[0.0, 0.0], [0.0, 0.0]]
    np.testing.assert_allclose(x.grad.data[0, 0, :, 2:], [[1, 2], [3, -1]] / np.sqrt(15), rtol=1e-14)
    negative_p = _t([[[1.0, -1.0, 1.0, 2.0]]], True)
    out = lp_pool1d(negative_p, -1, 2)  # p < 0: a sum 1/1 + 1/-1 = 0 gives inf, still with gradient 0
    assert out.data[0, 0, 0] == math.inf
    out.sum().backward()
    assert negative_p.grad.data[0, 0, :2].tolist() == [0.0, 0.0]


def test_lp_pool_gradients_against_finite_differences():
    x = _t(np.abs(rng.standard_normal((1, 2, 4, 5))) + 0.2, True)
    for p in (2, 3, 1.5):
        fn = lambda t: lp_pool2d(t, p, (2, 3), 1)
        assert gradcheck(fn, [x]) and gradgradcheck(fn, [x])
    row = _t(rng.standard_normal((2, 7)), True)  # signed values: p = 1 and 2 take them
    for p in (1, 2, math.inf, -math.inf):
        fn = lambda t: lp_pool1d(t, p, 3, 2, True)
        assert gradcheck(fn, [row]) and gradgradcheck(fn, [row])


def test_lp_pool_errors_and_reprs():
    with pytest.raises(ZeroDivisionError):
        lp_pool2d(tg.ones(1, 1, 2, 2), 0, 2)
    with pytest.raises(TypeError, match="kernel_size must be an int"):
        lp_pool1d(tg.ones(1, 1, 4), 2, (2,))
    with pytest.raises(RuntimeError, match="Output size is too small"):
        lp_pool2d(tg.ones(1, 1, 2, 2), 2, 3)
    assert repr(LPPool2d(2, 3)) == "LPPool2d(norm_type=2, kernel_size=3, stride=None, ceil_mode=False)"
    assert (
        repr(LPPool1d(1.5, 2, 1, True)) == "LPPool1d(norm_type=1.5, kernel_size=2, stride=1, ceil_mode=True)"
    )


def test_lp_pool_matches_torch_if_installed():
    torch = pytest.importorskip("torch")
    F = torch.nn.functional
    x = rng.standard_normal((2, 3, 5, 6))
    cases = [
        (2, 2, None, False),
        (3, (2, 3), 1, True),
        (1, 3, 2, True),
        (math.inf, 2, 1, False),
        (-1, 2, None, False),
    ]
    for p, kernel, stride, ceil in cases:
        data = np.abs(x) + 0.1 if p == 3 else x  # (an odd p of mixed signs can give NaN)
        _matches_torch(
            lambda t: lp_pool2d(t, p, kernel, stride, ceil),
            lambda t: F.lp_pool2d(t, p, kernel, stride, ceil),
            [data],
        )
    _matches_torch(lambda t: lp_pool2d(t, 1.5, 2), lambda t: F.lp_pool2d(t, 1.5, 2), [np.abs(x)])
    for p, kernel, stride, ceil in [(2, 2, None, True), (3, 3, 1, False), (-math.inf, 2, 1, True)]:
        _matches_torch(
            lambda t: lp_pool1d(t, p, kernel, stride, ceil),
            lambda t: F.lp_pool1d(t, p, kernel, stride, ceil),
            [np.abs(x[0, :, 0]) + 0.1 if p == 3 else x[0, :, 0]],
        )
    zeros = np.zeros((1, 1, 2, 4))
    zeros[..., 2:] = rng.standard_normal((1, 1, 2, 2))
    _matches_torch(lambda t: lp_pool2d(t, 2, 2), lambda t: F.lp_pool2d(t, 2, 2), [zeros])
    cancelling = np.array([[[1.0, -1.0, 1.0, 2.0]]])  # p = -1: a sum of 0, so inf, with gradient 0
    _matches_torch(lambda t: lp_pool1d(t, -1, 2), lambda t: F.lp_pool1d(t, -1, 2), [cancelling])
    for args in [(2, 3), (1.5, (2, 3), 1, True)]:
        assert repr(LPPool2d(*args)) == repr(torch.nn.LPPool2d(*args))
        assert repr(LPPool1d(*args)) == repr(torch.nn.LPPool1d(*args))


# ---------------------------------------------------------------- pdist


def _pdist_np(x, p):
    n = len(x)
    return np.array([np.linalg.norm(x[i] - x[j], ord=p) for i in range(n) for j in range(i + 1, n)])


@pytest.mark.parametrize("p", [2, 1, 3, 0.5, 0, math.inf])
def test_pdist_lists_the_distance_of_every_pair_of_rows(p):
    x = rng.standard_normal((5, 3))
    x[4, 1] = x[3, 1]  # a coordinate where two rows agree
    got = pdist(_t(x), p).data
    assert got.shape == (10,)
    np.testing.assert_allclose(got, _pdist_np(x, p), rtol=1e-13)


def test_pdist_gradient_is_zero_where_it_would_be_zero_over_zero():
    x = np.array([[1.0, 2.0], [1.0, 2.0], [0.0, 1.0], [1.0, 5.0]])  # rows 0 and 1 equal
    for p in (2, 1, 0.5, 3, 0):
        t = _t(x, True)
        out = pdist(t, p)
        assert out.data[0] == 0.0
        out.sum().backward()
        assert np.isfinite(t.grad.data).all()
        if p == 0:  # a count: no slope anywhere
            assert not t.grad.data.any()
    t = _t(x, True)
    pdist(t, 0.5)[0:1].sum().backward()  # only the pair of equal rows
    assert not t.grad.data.any()


def test_pdist_gradients_against_finite_differences():
    x = _t(rng.standard_normal((4, 3)), True)
    for p in (2, 1, 3, 0.7, math.inf):
        fn = lambda t: pdist(t, p)
        assert gradcheck(fn, [x]) and gradgradcheck(fn, [x])


def test_pdist_edges_and_errors():
    assert pdist(tg.ones(1, 3)).shape == (0,) and pdist(tg.ones(0, 3)).shape == (0,)
    assert pdist(tg.ones(3, 0)).tolist() == [0.0] * 3 and pdist(tg.ones(3, 0), math.inf).tolist() == [0.0] * 3
    assert pdist(tg.ones(3, 2)).dtype == np.float32
    for call, message in [
        (lambda: pdist(tg.ones(3)), "only supports 2D tensors, got: 1D"),
        (lambda: pdist(tg.ones(2, 3, 4)), "only supports 2D tensors, got: 3D"),
        (lambda: pdist(tg.tensor([[1, 2]])), "only supports floating-point dtypes"),
        (lambda: pdist(tg.ones(2, 3), -1), "only supports non-negative p values"),
    ]:
        with pytest.raises(RuntimeError, match=message):
            call()


def test_pdist_matches_torch_if_installed():
    torch = pytest.importorskip("torch")
    x = rng.standard_normal((5, 4))
    x[1] = x[0]  # equal rows: gradient 0
    x[3, 2] = x[2, 2]
    for p in (2, 1, 3, 0.5, 0):
        _matches_torch(lambda t: pdist(t, p), lambda t: torch.pdist(t, p), [x])
    distinct = rng.standard_normal((4, 3))  # (for p = inf: no ties, where the two differ)
    _matches_torch(lambda t: pdist(t, math.inf), lambda t: torch.pdist(t, math.inf), [distinct])
    for make, p in [
        (lambda lib: lib.ones(3), 2),
        (lambda lib: lib.tensor([[1, 2]]), 2),
        (lambda lib: lib.ones(2, 2), -1),
    ]:
        with pytest.raises(RuntimeError):
            torch.pdist(make(torch), p)
        with pytest.raises(RuntimeError):
            pdist(make(tg), p)


# ---------------------------------------------------------------- MultiMarginLoss and MultiLabelMarginLoss


def _multi_margin_np(x, y, p=1, margin=1.0, weight=None):
    n, c = x.shape
    losses = np.zeros(n)
    for s in range(n):
        for i in range(c):
            z = margin - x[s, y[s]] + x[s, i]
            if i != y[s] and z > 0:
                losses[s] += (1.0 if weight is None else weight[y[s]]) * z**p / c
    return losses


def _multilabel_np(x, y):
    n, c = x.shape
    losses = np.zeros(n)
    for s in range(n):
        listed = []
        for j in y[s]:
            if j < 0:
                break
            listed.append(j)
        for j in listed:
            for i in range(c):
                if i not in listed:
                    losses[s] += max(0.0, 1.0 - x[s, j] + x[s, i]) / c
    return losses


def test_multi_margin_loss_values():
    x, y = rng.standard_normal((6, 4)), rng.integers(0, 4, 6)
    w = rng.random(4)
    target = tg.tensor(y)
    for p, margin, weight in [(1, 1.0, None), (2, 0.5, w), (1, 2.0, w)]:
        expected = _multi_margin_np(x, y, p, margin, weight)
        weight_t = None if weight is None else _t(weight)
        got = multi_margin_loss(_t(x), target, p, margin, weight_t, reduction="none").data
        np.testing.assert_allclose(got, expected, rtol=1e-13)
        np.testing.assert_allclose(
            multi_margin_loss(_t(x), target, p, margin, weight_t).item(), expected.mean()
        )
        loss = MultiMarginLoss(p, margin, weight_t, reduction="sum")
        np.testing.assert_allclose(loss(_t(x), target).item(), expected.sum(), rtol=1e-13)
    # one sample: (C,) with a 0-d or a one-element target
    assert multi_margin_loss(_t(x[0]), tg.tensor(y[0]), reduction="none").shape == ()
    assert multi_margin_loss(_t(x[0]), tg.tensor(y[:1]), reduction="none").shape == (1,)
    assert multi_margin_loss(_t(0.5), tg.tensor(0)).item() == 0.0  # one class: no rival
    assert multi_margin_loss(_t(np.ones((0, 4))), tg.tensor(np.zeros(0, dtype=np.int64))).item() == 0.0


def test_multilabel_margin_loss_values():
    x = rng.standard_normal((3, 5))
    y = np.array([[3, 0, -1, 1, 2], [0, 1, 2, 3, 4], [-1, 1, 2, 3, 0]])  # after the first -1: ignored
    got = multilabel_margin_loss(_t(x), tg.tensor(y), reduction="none").data
    np.testing.assert_allclose(got, _multilabel_np(x, y), rtol=1e-13)
    assert got[1] == 0.0 and got[2] == 0.0  # every class listed; none listed
    np.testing.assert_allclose(MultiLabelMarginLoss()(_t(x), tg.tensor(y)).item(), got.mean(), rtol=1e-13)
    repeated = np.array([1, 1, -1, 0])  # a class listed twice counts twice
    single = multilabel_margin_loss(_t(x[0, :4]), tg.tensor(repeated), reduction="none")
    assert single.shape == ()
    np.testing.assert_allclose(single.item(), _multilabel_np(x[:1, :4], repeated[None])[0], rtol=1e-13)
    empty = multilabel_margin_loss(_t(np.ones((0, 4))), tg.tensor(np.zeros((0, 4), dtype=np.int64)))
    assert empty.item() == 0.0


def test_margin_losses_have_slope_zero_at_the_kink():
    x = _t([[1.0, 1.0, 0.0]], True)  # class 1 exactly at the margin 0 below class 0: z = 0
    multi_margin_loss(x, tg.tensor(np.array([0])), margin=0.0).backward()
    assert x.grad.tolist() == [[0.0, 0.0, 0.0]]
    x = _t([[1.0, 0.0, 0.0]], True)  # 1 - x[0] + x[1] = 0 and 1 - x[0] + x[2] = 0
    multilabel_margin_loss(x, tg.tensor(np.array([[0, -1, 0]]))).backward()
    assert x.grad.tolist() == [[0.0, 0.0, 0.0]]


def test_margin_losses_gradients_against_finite_differences():
    x = _t(rng.standard_normal((4, 5)), True)
    y = tg.tensor(np.array([0, 4, 2, 2]))
    w = _t(rng.random(5))
    for p in (1, 2):
        fn = lambda t: multi_margin_loss(t, y, p, 0.8, w, reduction="sum")
        assert gradcheck(fn, [x]) and gradgradcheck(fn, [x])
    labels = tg.tensor(np.array([[1, 3, -1, 0, 0], [4, -1, 2, 2, 2], [0, 1, 2, 3, 4], [2, 2, 0, -1, 1]]))
    fn = lambda t: multilabel_margin_loss(t, labels, reduction="none")
    assert gradcheck(fn, [x]) and gradgradcheck(fn, [x])


def test_margin_losses_errors():
    x, y = tg.ones(3, 4), tg.tensor(np.array([0, 3, 1]))
    for call, error, message in [
        (lambda: multi_margin_loss(x, y, p=3), ValueError, "only p == 1 and p == 2 supported"),
        (lambda: multi_margin_loss(x, y, weight=tg.ones(1, 4)), ValueError, "weight must be one-dimensional"),
        (lambda: multi_margin_loss(x, y, weight=tg.ones(3)), RuntimeError, "inconsistent weight size"),
        (lambda: multi_margin_loss(x, y, weight=_t(np.ones(4))), RuntimeError, "does not match input"),
        (
            lambda: multi_margin_loss(x, y, weight=tg.ones(4, requires_grad=True)),
            RuntimeError,
            "differentiable",
        ),
        (lambda: multi_margin_loss(x, y[:2]), RuntimeError, r"Expected target size \[3\], but got \[2\]"),
        (lambda: multi_margin_loss(x, y + 1), RuntimeError, "out of range"),
        (lambda: multi_margin_loss(x, y.int()), RuntimeError, "int64"),
        (lambda: multi_margin_loss(tg.ones(1, 3, 4), y), RuntimeError, "non-empty vector or matrix"),
        (lambda: multi_margin_loss(tg.ones(3, 0), y), RuntimeError, "non-empty vector or matrix"),
        (lambda: multi_margin_loss(tg.tensor([[1, 2]]), y[:1]), NotImplementedError, "multi_margin_loss"),
        (lambda: multi_margin_loss(x, y, reduction="all"), ValueError, "all is not a valid value"),
        (lambda: multilabel_margin_loss(x, tg.tensor(np.full((3, 4), 4))), RuntimeError, "out of range"),
        (lambda: multilabel_margin_loss(x, tg.tensor(np.full((3, 4), -2))), RuntimeError, "out of range"),
        (
            lambda: multilabel_margin_loss(x, tg.tensor(np.zeros((2, 4), dtype=np.int64))),
            RuntimeError,
            "size",
        ),
        (lambda: multilabel_margin_loss(x, tg.zeros(3, 4)), RuntimeError, "int64"),
        (lambda: MultiMarginLoss(p=0), ValueError, "only p == 1 and p == 2 supported"),
        (
            lambda: MultiMarginLoss(weight=tg.ones(2, 2)),
            ValueError,
            "expected weight to be None or 1D tensor",
        ),
    ]:
        with pytest.raises(error, match=message):
            call()


def test_margin_loss_modules():
    weight = tg.ones(4)
    loss = MultiMarginLoss(weight=weight)
    assert list(loss.state_dict()) == ["weight"] and loss.weight is weight
    assert (loss.p, loss.margin, loss.reduction) == (1, 1.0, "mean")
    assert repr(loss) == "MultiMarginLoss()" and repr(MultiLabelMarginLoss()) == "MultiLabelMarginLoss()"
    with pytest.warns(UserWarning, match="reduction='sum'"):
        assert MultiLabelMarginLoss(size_average=False).reduction == "sum"


def test_margin_losses_match_torch_if_installed():
    torch = pytest.importorskip("torch")
    F = torch.nn.functional
    x, y = rng.standard_normal((5, 4)), rng.integers(0, 4, 5)
    w = rng.random(4)
    for p, margin, reduction in [(1, 1.0, "mean"), (2, 0.3, "none"), (1, 1.5, "sum")]:
        _matches_torch(
            lambda t, target: multi_margin_loss(t, target, p, margin, _t(w), reduction=reduction),
            lambda t, target: F.multi_margin_loss(t, target, p, margin, torch.tensor(w), reduction=reduction),
            [x],
            ints=[y],
        )
    _matches_torch(
        lambda t, target: multi_margin_loss(t, target, reduction="none"),
        lambda t, target: F.multi_margin_loss(t, target, reduction="none"),
        [x[0]],
        ints=[y[0]],
    )
    labels = np.array([[3, 0, -1, 1], [0, 1, 2, 3], [1, 1, -1, 0], [2, -1, 3, 3], [-1, 0, 0, 0]])
    for reduction in ("mean", "sum", "none"):
        _matches_torch(
            lambda t, target: multilabel_margin_loss(t, target, reduction=reduction),
            lambda t, target: F.multilabel_margin_loss(t, target, reduction=reduction),
            [x],
            ints=[labels],
        )
    assert repr(MultiMarginLoss(2, 0.5)) == repr(torch.nn.MultiMarginLoss(2, 0.5))
    for ours, theirs in [
        (
            lambda: multi_margin_loss(_t(x), tg.tensor(y + 4)),
            lambda: F.multi_margin_loss(torch.tensor(x), torch.tensor(y + 4)),
        ),
        (
            lambda: multi_margin_loss(_t(x), tg.tensor(y), p=3),
            lambda: F.multi_margin_loss(torch.tensor(x), torch.tensor(y), p=3),
        ),
        (
            lambda: multilabel_margin_loss(_t(x), tg.tensor(labels[:2])),
            lambda: F.multilabel_margin_loss(torch.tensor(x), torch.tensor(labels[:2])),
        ),
        (
            lambda: multilabel_margin_loss(_t(x), tg.tensor(labels + 4)),
            lambda: F.multilabel_margin_loss(torch.tensor(x), torch.tensor(labels + 4)),
        ),
    ]:
        with pytest.raises(Exception) as error:
            theirs()
        with pytest.raises(type(error.value)):
            ours()


# ---------------------------------------------------------------- signatures


MODULES = {
    "RMSNorm": RMSNorm,
    "RReLU": RReLU,
    "MaxUnpool1d": MaxUnpool1d,
    "MaxUnpool2d": MaxUnpool2d,
    "LPPool1d": LPPool1d,
    "LPPool2d": LPPool2d,
    "LocalResponseNorm": LocalResponseNorm,
    "MultiMarginLoss": MultiMarginLoss,
    "MultiLabelMarginLoss": MultiLabelMarginLoss,
}
FUNCTIONS = {
    "rms_norm": rms_norm,
    "rrelu": rrelu,
    "gumbel_softmax": gumbel_softmax,
    "max_unpool1d": max_unpool1d,
    "max_unpool2d": max_unpool2d,
    "lp_pool1d": lp_pool1d,
    "lp_pool2d": lp_pool2d,
    "local_response_norm": local_response_norm,
    "multi_margin_loss": multi_margin_loss,
    "multilabel_margin_loss": multilabel_margin_loss,
}


@pytest.mark.parametrize("name", MODULES)
def test_module_signatures_match_torch_if_installed(name):
    torch = pytest.importorskip("torch")
    assert _parameters(MODULES[name].__init__) == _parameters(getattr(torch.nn, name).__init__)
    forward = getattr(torch.nn, name).forward
    assert [p[0] for p in _parameters(MODULES[name].forward)] == [p[0] for p in _parameters(forward)]


@pytest.mark.parametrize("name", FUNCTIONS)
def test_function_signatures_match_torch_if_installed(name):
    torch = pytest.importorskip("torch")
    assert _parameters(FUNCTIONS[name]) == _parameters(getattr(torch.nn.functional, name))


def test_rrelu_in_place_function_signature_matches_torch_docs():
    # torch.nn.functional.rrelu_ is a builtin without a signature; its documented one is this
    assert [(p[0], p[2]) for p in _parameters(rrelu_)] == [
        ("input", inspect.Parameter.empty),
        ("lower", 1.0 / 8),
        ("upper", 1.0 / 3),
        ("training", False),
    ]
