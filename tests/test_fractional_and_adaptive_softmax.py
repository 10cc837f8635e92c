"""Fractional max pooling (2-d, 3-d) and AdaptiveLogSoftmaxWithLoss.

Without PyTorch: fractional pooling against ordinary max pooling where the
two coincide (u = 0 and an integer step), indices that point at the values,
output sizes, errors, gradients and second derivatives in float64;
the adaptive softmax's outputs against its own full distribution
(log_prob), which must sum to one, predict against log_prob's argmax,
errors, and gradients. With PyTorch: values, indices and gradients of the
pools for the same random samples, in float32 and float64; the adaptive
softmax with PyTorch's weights copied across: outputs, loss, gradients,
log_prob, predict, repr and state-dict keys.
"""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_edu as tg
from tinygrad_edu.nn.adaptive_log_softmax import AdaptiveLogSoftmaxWithLoss
from tinygrad_edu.nn.fractional_pooling import (
    FractionalMaxPool2d,
    FractionalMaxPool3d,
    fractional_max_pool2d,
    fractional_max_pool3d,
)
from tinygrad_edu.nn.pooling import max_pool2d
from tinygrad_edu.nn.pooling3d import max_pool3d
from tinygrad_edu.testing import gradcheck, gradgradcheck

rng = np.random.default_rng(29)


def _distinct(*shape: int) -> np.ndarray:
    """Values with no ties (so that every window has one maximum), in a random order."""
    return rng.permutation(np.arange(np.prod(shape), dtype=np.float64)).reshape(shape) / 7.0


# ---------------------------------------------------------------- fractional max pooling


def test_with_u_zero_and_an_integer_step_it_is_max_pooling():
    x = tg.tensor(_distinct(2, 3, 9, 11))
    samples = tg.tensor(np.zeros((2, 3, 2)))
    # (9 - 3) / (4 - 1) = 2 and (11 - 3) / (5 - 1) = 2: windows every 2 places
    out, idx = fractional_max_pool2d(x, 3, (4, 5), return_indices=True, _random_samples=samples)
    ref, ref_idx = max_pool2d(x, 3, 2, return_indices=True)
    np.testing.assert_array_equal(out.data, ref.data)
    np.testing.assert_array_equal(idx.data, ref_idx.data)
    x3 = tg.tensor(_distinct(1, 2, 7, 5, 9))
    out3, idx3 = fractional_max_pool3d(
        x3, (3, 1, 3), (3, 3, 4), return_indices=True, _random_samples=tg.tensor(np.zeros((1, 2, 3)))
    )
    ref3, ref_idx3 = max_pool3d(x3, (3, 1, 3), 2, return_indices=True)
    np.testing.assert_array_equal(out3.data, ref3.data)
    np.testing.assert_array_equal(idx3.data, ref_idx3.data)


@pytest.mark.parametrize("dims", [2, 3])
def test_indices_point_at_the_values_and_windows_cover_the_ends(dims):
    shape = (2, 3, 10, 9) if dims == 2 else (2, 3, 7, 8, 9)
    x = _distinct(*shape)
    pool = fractional_max_pool2d if dims == 2 else fractional_max_pool3d
    out, idx = pool(tg.tensor(x), 2, output_ratio=0.5, return_indices=True)
    expected = tuple(int(m * 0.5) for m in shape[2:])
    assert out.shape == shape[:2] + expected and idx.dtype == np.int64
    flat = x.reshape(2, 3, -1)
    np.testing.assert_array_equal(
        out.data, np.take_along_axis(flat, idx.data.reshape(2, 3, -1), 2).reshape(out.shape)
    )
    # the last window ends on the last place: the bottom-right corner's value is never above its output
    corner = x[(...,) + (-1,) * dims]
    assert np.all(out.data[(...,) + (-1,) * dims] >= corner)


def test_samples_are_drawn_from_the_global_generator_and_unbatched_inputs_work():
    x = tg.tensor(_distinct(3, 8, 8))
    tg.manual_seed(4)
    a = fractional_max_pool2d(x, 2, output_size=3)
    tg.manual_seed(4)
    b = FractionalMaxPool2d(2, output_size=3)(x)
    np.testing.assert_array_equal(a.data, b.data)
    assert a.shape == (3, 3, 3)
    assert FractionalMaxPool3d(2, output_ratio=(0.5, 0.5, 0.75))(tg.tensor(_distinct(2, 6, 6, 8))).shape == (
        2,
        3,
        3,
        6,
    )


def test_layer_arguments():
    layer = FractionalMaxPool2d(3, output_size=4, return_indices=True)
    assert (layer.kernel_size, layer.output_size, layer.output_ratio) == ((3, 3), (4, 4), None)
    assert repr(layer) == "FractionalMaxPool2d()"
    assert "_random_samples" not in layer.state_dict()
    with pytest.raises(
        ValueError, match="FractionalMaxPool2d requires specifying either an output size, or a pooling"
    ):
        FractionalMaxPool2d(2)
    with pytest.raises(ValueError, match="only one of output_size and output_ratio may be specified"):
        FractionalMaxPool3d(2, output_size=2, output_ratio=0.5)
    with pytest.raises(ValueError, match=r"output_ratio must be between 0 and 1 \(got 1.5\)"):
        FractionalMaxPool2d(2, output_ratio=1.5)
    with pytest.raises(ValueError, match="kernel_size must be greater than 0, but got 0"):
        FractionalMaxPool3d(0, output_size=2)


def test_function_errors():
    x = tg.tensor(_distinct(2, 3, 7, 8))
    s = tg.tensor(np.zeros((2, 3, 2)))
    with pytest.raises(ValueError, match="requires specifying either an output_size or an output_ratio"):
        fractional_max_pool2d(x, 2)
    with pytest.raises(
        RuntimeError, match=r"fractional_max_pool2d\(\): pool height 2 too large relative to input height 7"
    ):
        fractional_max_pool2d(x, 2, (7, 7), _random_samples=s)
    with pytest.raises(RuntimeError, match="pool width 2 too large relative to input width 8"):
        fractional_max_pool2d(x, 2, (6, 8), _random_samples=s)
    with pytest.raises(RuntimeError, match=r"Expected 3D or 4D tensor, but got: \[7, 8\]"):
        fractional_max_pool2d(x[0, 0], 2, 3)
    with pytest.raises(RuntimeError, match="kernel_size must either be a single Int or tuple of Ints"):
        fractional_max_pool2d(x, (2, 2, 2), 3)
    with pytest.raises(RuntimeError, match="Expect _random_samples to have the same dtype as input"):
        fractional_max_pool2d(x, 2, 3, _random_samples=s.float())
    with pytest.raises(
        RuntimeError, match=r"Expect _random_samples.size\(0\) no less then input batch size."
    ):
        fractional_max_pool2d(x, 2, 3, _random_samples=s[:1])
    with pytest.raises(RuntimeError, match=r"Expect _random_samples.size\(2\) equals to 2; got 3."):
        fractional_max_pool2d(x, 2, 3, _random_samples=tg.tensor(np.zeros((2, 3, 3))))
    x3 = tg.tensor(_distinct(1, 1, 5, 6, 7))
    s3 = tg.tensor(np.zeros((1, 1, 3)))
    # the 3-d pool's windows must stop short of the end, and it checks width before height
    with pytest.raises(
        RuntimeError, match=r"fractional_max_pool3d_out\(\): pool time 2 too large relative to input time 5"
    ):
        fractional_max_pool3d(x3, 2, (4, 4, 4), _random_samples=s3)
    with pytest.raises(RuntimeError, match="pool width 2 too large relative to input width 7"):
        fractional_max_pool3d(x3, 2, (3, 5, 6), _random_samples=s3)
    with pytest.raises(NotImplementedError):
        fractional_max_pool3d(x3.long(), 2, 2, _random_samples=tg.tensor(np.zeros((1, 1, 3), dtype=np.int64)))


@pytest.mark.parametrize("dims", [2, 3])
def test_fractional_pooling_gradients(dims):
    shape = (1, 2, 5, 6) if dims == 2 else (1, 2, 4, 5, 4)
    x = tg.tensor(_distinct(*shape), requires_grad=True)
    samples = tg.tensor(rng.random((1, 2, dims)))
    pool = fractional_max_pool2d if dims == 2 else fractional_max_pool3d

    def f(t):  # overlapping windows (kernel 2, about 1.5 places apart): gradients add up
        return pool(t, 2, 3 if dims == 2 else 2, _random_samples=samples)

    assert gradcheck(f, [x])
    assert gradgradcheck(f, [x])


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize(
    "dims, shape, kernel, size",
    [
        (2, (2, 3, 13, 17), 2, (6, 9)),
        (2, (3, 11, 10), (3, 2), (4, 9)),
        (2, (2, 2, 25, 30), 3, (1, 11)),
        (3, (2, 2, 9, 8, 11), 2, (4, 6, 5)),
        (3, (2, 7, 9, 6), (1, 3, 2), (6, 3, 2)),
    ],
)
def test_fractional_pooling_matches_torch(dims, shape, kernel, size, dtype):
    torch = pytest.importorskip("torch")
    x = rng.standard_normal(shape).astype(dtype)
    samples = rng.random((shape[0] if len(shape) == dims + 2 else 1, shape[-dims - 1], dims)).astype(dtype)
    ours = fractional_max_pool2d if dims == 2 else fractional_max_pool3d
    theirs = getattr(torch.nn.functional, f"fractional_max_pool{dims}d")
    a, b = tg.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    out, idx = ours(a, kernel, size, return_indices=True, _random_samples=tg.tensor(samples))
    expected, expected_idx = theirs(
        b, kernel, size, return_indices=True, _random_samples=torch.tensor(samples)
    )
    np.testing.assert_array_equal(out.data, expected.detach().numpy())
    np.testing.assert_array_equal(idx.data, expected_idx.numpy())
    g = rng.standard_normal(out.shape).astype(dtype)
    out.backward(tg.tensor(g))
    expected.backward(torch.tensor(g))
    np.testing.assert_allclose(a.grad.data, b.grad.numpy(), rtol=1e-6)


def test_fractional_pooling_ratios_nans_and_reprs_match_torch():
    torch = pytest.importorskip("torch")
    x = rng.standard_normal((2, 2, 10, 12, 9))
    x[0, 0, :4, :4, :4] = np.nan  # several NaNs in a window: PyTorch keeps the last
    s = rng.random((2, 2, 3))
    out, idx = fractional_max_pool3d(
        tg.tensor(x), 3, output_ratio=(0.5, 0.4, 0.6), return_indices=True, _random_samples=tg.tensor(s)
    )
    t_out, t_idx = torch.nn.functional.fractional_max_pool3d(
        torch.tensor(x), 3, output_ratio=(0.5, 0.4, 0.6), return_indices=True, _random_samples=torch.tensor(s)
    )
    np.testing.assert_array_equal(out.data, t_out.numpy())
    np.testing.assert_array_equal(idx.data, t_idx.numpy())
    assert repr(FractionalMaxPool3d(2, output_size=3)) == repr(torch.nn.FractionalMaxPool3d(2, output_size=3))


# ---------------------------------------------------------------- adaptive log-softmax


def _model(dtype=np.float64, **kw):
    tg.manual_seed(0)
    return AdaptiveLogSoftmaxWithLoss(8, 12, [3, 7, 10], div_value=2.0, dtype=dtype, **kw)


def test_output_is_the_full_distribution_read_at_the_targets():
    m = _model(head_bias=True)
    x = tg.tensor(rng.standard_normal((8, 8)))
    target = np.array([0, 2, 3, 6, 7, 9, 10, 11])
    out, loss = m(x, tg.tensor(target))
    full = m.log_prob(x).data
    assert full.shape == (8, 12)
    np.testing.assert_allclose(np.exp(full).sum(1), np.ones(8), rtol=1e-12)
    np.testing.assert_allclose(out.data, full[np.arange(8), target], rtol=1e-12)
    np.testing.assert_allclose(loss.data, -full[np.arange(8), target].mean(), rtol=1e-12)
    one = m(x[3], tg.tensor(np.int64(6)))
    assert one.output.shape == () and np.isclose(one.output.data, full[3, 6])
    assert one.loss.data == -one.output.data


def test_predict_is_the_argmax_of_log_prob():
    m = _model()
    for p in m.parameters():  # large weights: the head's best entry is often a cluster
        p.data *= 6
    x = tg.tensor(rng.standard_normal((40, 8)))
    predicted = m.predict(x)
    assert predicted.dtype == np.int64
    np.testing.assert_array_equal(predicted.data, m.log_prob(x).data.argmax(1))
    assert (predicted.data >= 3).any() and (predicted.data < 3).any()  # both paths were taken


def test_structure_and_errors():
    m = _model(head_bias=True)
    assert m.cutoffs == [3, 7, 10, 12] and m.shortlist_size == 3 and m.n_clusters == 3 and m.head_size == 6
    shapes = {k: v.shape for k, v in m.state_dict().items()}
    assert shapes == {
        "head.weight": (6, 8),
        "head.bias": (6,),
        "tail.0.0.weight": (4, 8),  # 8 // 2 hidden features
        "tail.0.1.weight": (4, 4),
        "tail.1.0.weight": (2, 8),  # 8 // 4
        "tail.1.1.weight": (3, 2),
        "tail.2.0.weight": (1, 8),  # 8 // 8
        "tail.2.1.weight": (2, 1),
    }
    with pytest.raises(ValueError, match="cutoffs should be a sequence of length larger than 0"):
        AdaptiveLogSoftmaxWithLoss(6, 12, [])
    for bad in ([5, 3], [0, 3], [3, 12], [3, 3], [2.5]):
        with pytest.raises(ValueError, match="cutoffs should be a sequence of unique, positive integers"):
            AdaptiveLogSoftmaxWithLoss(6, 12, bad)
    x = tg.tensor(rng.standard_normal((4, 8)))
    with pytest.raises(
        RuntimeError, match=r"Target values should be in \[0, 11\], but values in range \[-1, 12\]"
    ):
        m(x, tg.tensor(np.array([-1, 0, 5, 12])))
    with pytest.raises(
        RuntimeError, match="Input and target should have the same size in the batch dimension."
    ):
        m(x, tg.tensor(np.array([0, 1])))
    with pytest.raises(RuntimeError, match="0D target tensor expects 1D input tensors"):
        m(x, tg.tensor(np.int64(1)))
    with pytest.raises(RuntimeError, match="0D or 1D target tensor expected, multi-target not supported"):
        m(x, tg.tensor(np.zeros((4, 1), dtype=np.int64)))


def test_adaptive_softmax_gradients():
    m = _model(head_bias=True)
    target = tg.tensor(np.array([1, 4, 8, 11, 5]))
    x = tg.tensor(rng.standard_normal((5, 8)), requires_grad=True)
    params = list(m.parameters())

    def loss(x, *ps):
        return m(x, target).loss

    assert gradcheck(loss, [x, *params])
    assert gradgradcheck(lambda x: m(x, target).output, [x])


@pytest.mark.parametrize("head_bias", [False, True])
def test_adaptive_softmax_matches_torch(head_bias):
    torch = pytest.importorskip("torch")
    torch.manual_seed(1)
    theirs = torch.nn.AdaptiveLogSoftmaxWithLoss(
        8, 30, [5, 12, 20], div_value=2.0, head_bias=head_bias
    ).double()
    ours = AdaptiveLogSoftmaxWithLoss(
        8, 30, [5, 12, 20], div_value=2.0, head_bias=head_bias, dtype=np.float64
    )
    assert repr(ours) == repr(theirs)
    ours.load_state_dict({k: tg.tensor(v.detach().numpy()) for k, v in theirs.state_dict().items()})
    x = rng.standard_normal((12, 8)) * 3
    target = rng.permutation(np.r_[0, 7, 15, 25, rng.integers(0, 30, 8)])  # every cluster
    a, b = tg.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    out, t_out = ours(a, tg.tensor(target)), theirs(b, torch.tensor(target))
    np.testing.assert_allclose(out.output.data, t_out.output.detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose(out.loss.data, t_out.loss.detach().numpy(), rtol=1e-12)
    out.loss.backward()
    t_out.loss.backward()
    np.testing.assert_allclose(a.grad.data, b.grad.numpy(), rtol=1e-10, atol=1e-14)
    for (name, p), (t_name, t_p) in zip(ours.named_parameters(), theirs.named_parameters()):
        assert name == t_name
        np.testing.assert_allclose(p.grad.data, t_p.grad.numpy(), rtol=1e-10, atol=1e-14)
    x_t = torch.tensor(x)
    np.testing.assert_allclose(
        ours.log_prob(tg.tensor(x)).data, theirs.log_prob(x_t).detach().numpy(), rtol=1e-12
    )
    np.testing.assert_array_equal(ours.predict(tg.tensor(x)).data, theirs.predict(x_t).numpy())
