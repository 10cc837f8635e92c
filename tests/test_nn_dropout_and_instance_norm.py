"""Channel dropout and alpha dropout (nn/dropout.py), and instance norm (nn/instancenorm.py).

Dropout: whole channels zeroed and the rest scaled, the accepted ranks with
PyTorch's warnings and errors, reproducibility under tg.manual_seed, the
identity in eval, in-place forms, alpha dropout's formula and the mean and
variance it keeps. Instance norm: values, gradients and running statistics
against NumPy, the layers' options, unbatched inputs and errors. Gradients
against finite differences (first and second order, float64); and, when
PyTorch is installed, reprs, signatures, warnings, error types, and instance
norm's values and running statistics against PyTorch's.
"""

from __future__ import annotations

import inspect
import warnings

import numpy as np
import pytest

import tinygrad_edu as tg
import tinygrad_edu.nn as nn
import tinygrad_edu.nn.functional as F
from tinygrad_edu.random import default_generator
from tinygrad_edu.testing import gradcheck, gradgradcheck

rng = np.random.default_rng(17)
SELU_ALPHA = 1.6732632423543772848170429916717 * 1.0507009873554804934193349852946


def _channel_masks(out: np.ndarray, x: np.ndarray, p: float, lead: int) -> np.ndarray:
    """Each channel (the first `lead` dims) is all zeros or all x / (1 - p); returns which are kept."""
    flat_out = out.reshape(*out.shape[:lead], -1)
    flat_x = x.reshape(*x.shape[:lead], -1)
    kept = np.all(np.isclose(flat_out, flat_x / (1 - p), rtol=1e-6), axis=-1)
    dropped = np.all(flat_out == 0, axis=-1)
    assert np.all(kept ^ dropped), "a channel is neither dropped nor kept whole"
    return kept


@pytest.mark.parametrize(
    "fn, shape, lead",
    [
        (F.dropout1d, (40, 50, 3), 2),
        (F.dropout1d, (400, 3), 1),  # unbatched (C, L): one draw per channel
        (F.dropout2d, (40, 50, 2, 3), 2),
    ],
)
def test_channel_dropout_zeroes_whole_channels_and_scales_the_rest(fn, shape, lead):
    x = rng.random(shape) + 0.5  # no zeros of its own
    out = fn(tg.tensor(x), p=0.3)
    kept = _channel_masks(out.data, x, 0.3, lead)
    # about 70% kept: 2000 (or 400) draws, within 5 standard deviations
    assert abs(kept.mean() - 0.7) < 5 * np.sqrt(0.21 / kept.size)


def test_dropout2d_reads_3d_input_as_n_c_l_and_other_ranks_as_deprecated():
    x = rng.random((30, 40, 5)) + 0.5
    with pytest.warns(UserWarning, match="assuming that channel-wise 1D dropout behavior") as caught:
        out = F.dropout2d(tg.tensor(x), 0.5)
    assert caught[0].filename == __file__
    _channel_masks(out.data, x, 0.5, 2)
    with pytest.warns(UserWarning, match="Received a 2-D input to dropout2d, which is deprecated"):
        flat = F.dropout2d(tg.tensor(x[:, :, 0]), 0.5)  # one draw per element of (N, C)
    assert set(np.unique(flat.data / x[:, :, 0]).round(12)) == {0.0, 2.0}
    with pytest.warns(UserWarning, match="Received a 5-D input"):
        _channel_masks(F.dropout2d(tg.tensor(x.reshape(30, 40, 5, 1, 1)), 0.5).data, x, 0.5, 2)
    with (
        pytest.warns(UserWarning, match="1-D input"),
        pytest.raises(RuntimeError, match="at least 2 dimensions"),
    ):
        F.dropout2d(tg.ones(4), 0.5)
    with pytest.warns(UserWarning, match="1-D input"):
        assert F.dropout2d(tg.ones(4), 0.5, training=False).tolist() == [1.0] * 4


def test_dropout1d_refuses_other_ranks_even_in_eval():
    for shape in [(3,), (2, 3, 4, 5)]:
        for training in (True, False):
            with pytest.raises(
                RuntimeError, match=f"Expected 2D or 3D input, but received a {len(shape)}D input"
            ):
                F.dropout1d(tg.ones(shape), 0.5, training)


@pytest.mark.parametrize("fn", [F.dropout1d, F.dropout2d, F.alpha_dropout])
def test_identity_in_eval_and_for_p_0_zeros_for_p_1(fn):
    x = tg.tensor(rng.standard_normal((2, 3, 4, 4)[: 3 if fn is F.dropout1d else 4]))
    assert fn(x, 0.5, False) is x and fn(x, 0.0, True) is x
    assert not fn(x, 1.0, True).data.any()
    for p in (-0.1, 1.5):
        with pytest.raises(ValueError, match=f"dropout probability has to be between 0 and 1, but got {p}"):
            fn(x, p, True)


def test_alpha_dropout_defaults_to_eval_and_keeps_mean_and_variance():
    x = tg.tensor(rng.standard_normal((400, 500)))
    assert F.alpha_dropout(x) is x  # training=False by default, as in PyTorch
    out = F.alpha_dropout(x, 0.3, True).data
    # for standard-normal inputs the output keeps mean 0 and variance 1 (200000 samples)
    assert abs(out.mean()) < 0.01 and abs(out.var() - 1.0) < 0.02


def test_alpha_dropout_formula_with_the_mask_it_drew():
    x = rng.standard_normal((6, 7))
    tg.manual_seed(123)
    out = F.alpha_dropout(tg.tensor(x), 0.25, True).data
    tg.manual_seed(123)
    keep = default_generator().random(x.shape) >= 0.25  # the same draw
    a = ((1 - 0.25) * (1 + 0.25 * SELU_ALPHA**2)) ** -0.5
    b = a * SELU_ALPHA * 0.25
    np.testing.assert_allclose(out, np.where(keep, a * x + b, -a * SELU_ALPHA + b), rtol=1e-14)
    assert 0 < keep.sum() < keep.size


def test_masks_follow_manual_seed():
    x = tg.tensor(rng.random((8, 9, 5)))
    for fn in (F.dropout1d, F.dropout2d, lambda t: F.alpha_dropout(t, 0.5, True)):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # (dropout2d of a 3-d input)
            tg.manual_seed(5)
            first = fn(x).data
            tg.manual_seed(5)
            again = fn(x).data
            different = fn(x).data
        np.testing.assert_array_equal(first, again)
        assert not np.array_equal(first, different)


@pytest.mark.parametrize(
    "fn",
    [
        lambda t: F.dropout1d(t, 0.4),
        lambda t: F.dropout1d(t[0], 0.4),
        lambda t: F.dropout2d(t.reshape(2, 3, 2, 2), 0.4),
        lambda t: F.alpha_dropout(t, 0.4, True),
    ],
    ids=["dropout1d", "dropout1d_unbatched", "dropout2d", "alpha_dropout"],
)
def test_gradients_against_finite_differences(fn):
    def seeded(t):  # the same mask at every evaluation
        tg.manual_seed(2)
        return fn(t)

    x = tg.tensor(rng.standard_normal((2, 3, 4)), requires_grad=True)
    assert gradcheck(seeded, [x]) and gradgradcheck(seeded, [x])


def test_in_place_forms():
    x = tg.tensor(rng.random((4, 5, 3)) + 0.5, requires_grad=True)
    tg.manual_seed(9)
    expected = F.dropout1d(x * 2.0, 0.5)
    h = x * 2.0
    tg.manual_seed(9)
    assert F.dropout1d(h, 0.5, inplace=True) is h
    np.testing.assert_array_equal(h.data, expected.data)
    h.sum().backward()
    np.testing.assert_array_equal(x.grad.data, expected.data / x.data)  # 2 * mask / (1 - p)
    # a leaf that requires grad is refused, before the mask is drawn: the stream is untouched
    tg.manual_seed(4)
    state = default_generator().bit_generator.state
    leaf = tg.ones(2, 3, requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf Variable"):
        nn.Dropout2d(inplace=True)(leaf.reshape(1, 2, 3, 1).detach().requires_grad_())
    assert default_generator().bit_generator.state == state
    assert leaf.tolist() == [[1.0] * 3] * 2
    with pytest.raises(RuntimeError, match="can't be cast to the desired output type Long"):
        F.dropout1d(tg.tensor([[1, 2], [3, 4]]), 0.5)


def test_dropout_layers():
    x = tg.tensor(rng.random((20, 30, 4)) + 0.5)
    layer = nn.Dropout1d(0.25)
    _channel_masks(layer(x).data, x.data, 0.25, 2)
    layer.eval()
    assert layer(x) is x
    alpha = nn.AlphaDropout(0.2, inplace=True)  # PyTorch's layer ignores inplace
    h = x * 1.0
    out = alpha(h)
    assert out is not h and np.array_equal(h.data, x.data)
    assert alpha.eval()(x) is x
    with pytest.raises(ValueError, match="between 0 and 1, but got 2"):
        nn.Dropout2d(2)
    assert [repr(m) for m in (nn.Dropout1d(), nn.Dropout2d(0.2, True), nn.AlphaDropout(0.3))] == [
        "Dropout1d(p=0.5, inplace=False)",
        "Dropout2d(p=0.2, inplace=True)",
        "AlphaDropout(p=0.3, inplace=False)",
    ]


def test_dropout_warnings_errors_and_reprs_match_torch_if_installed():
    torch = pytest.importorskip("torch")
    for shape in [(2, 3), (2, 3, 4), (1, 2, 3, 4, 5)]:
        with warnings.catch_warnings(record=True) as theirs:
            warnings.simplefilter("always")
            torch.nn.functional.dropout2d(torch.ones(*shape), 0.5)
        with warnings.catch_warnings(record=True) as ours:
            warnings.simplefilter("always")
            F.dropout2d(tg.ones(shape), 0.5)
        assert [str(w.message) for w in ours] == [str(w.message) for w in theirs]
    for call in (
        lambda lib: lib.nn.functional.dropout1d(lib.ones(2, 3, 4, 5)),
        lambda lib: lib.nn.functional.dropout2d(lib.ones(3), 0.5),
        lambda lib: lib.nn.functional.alpha_dropout(lib.ones(3), 1.5),
        lambda lib: lib.nn.functional.dropout1d(lib.tensor([[1, 2]]), 0.5),
    ):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with pytest.raises(Exception) as theirs:
                call(torch)
            with pytest.raises(type(theirs.value)):
                call(tg)
    for name in ("Dropout1d", "Dropout2d", "AlphaDropout"):
        assert repr(getattr(nn, name)(0.2, True)) == repr(getattr(torch.nn, name)(0.2, True))


# ---------------------------------------------------------------- instance norm


def _instance_norm_np(x, weight=None, bias=None, eps=1e-5):
    axes = tuple(range(2, x.ndim))
    out = (x - x.mean(axes, keepdims=True)) / np.sqrt(x.var(axes, keepdims=True) + eps)
    shape = (1, -1) + (1,) * (x.ndim - 2)
    if weight is not None:
        out = out * weight.reshape(shape)
    return out if bias is None else out + bias.reshape(shape)


def test_instance_norm_values():
    x = rng.standard_normal((3, 4, 5, 6)) * 3 + 1
    w, b = rng.standard_normal(4), rng.standard_normal(4)
    out = F.instance_norm(tg.tensor(x), weight=tg.tensor(w), bias=tg.tensor(b)).data
    np.testing.assert_allclose(out, _instance_norm_np(x, w, b), rtol=1e-12, atol=1e-13)
    plain = F.instance_norm(tg.tensor(x)).data
    np.testing.assert_allclose(plain.mean(axis=(2, 3)), 0.0, atol=1e-14)  # each example's channel alone
    np.testing.assert_allclose(plain.var(axis=(2, 3)), 1.0, rtol=1e-5)
    np.testing.assert_allclose(
        F.instance_norm(tg.tensor(x[:1])).data, plain[:1], rtol=1e-14
    )  # no batch effect


def test_instance_norm_gradients_against_finite_differences():
    x = tg.tensor(rng.standard_normal((2, 3, 4)), requires_grad=True)
    w, b = (
        tg.tensor(rng.standard_normal(3), requires_grad=True),
        tg.tensor(rng.standard_normal(3), requires_grad=True),
    )

    def fn(t, weight, bias):
        return F.instance_norm(t, weight=weight, bias=bias)

    assert gradcheck(fn, [x, w, b]) and gradgradcheck(fn, [x, w, b])
    rm, rv = tg.tensor(rng.standard_normal(3)), tg.tensor(rng.random(3) + 0.5)
    assert gradcheck(lambda t: F.instance_norm(t, rm, rv, use_input_stats=False), [x])


def test_instance_norm_running_statistics():
    x = rng.standard_normal((4, 3, 6)) * 2 + 0.5
    rm, rv = tg.tensor(np.zeros(3)), tg.tensor(np.ones(3))
    out = F.instance_norm(tg.tensor(x), rm, rv, momentum=0.3)
    np.testing.assert_allclose(out.data, _instance_norm_np(x), rtol=1e-12)  # training uses the input's
    # the batch average of each example's mean and unbiased variance
    np.testing.assert_allclose(rm.data, 0.3 * x.mean(axis=2).mean(axis=0), rtol=1e-13)
    np.testing.assert_allclose(rv.data, 0.7 + 0.3 * x.var(axis=2, ddof=1).mean(axis=0), rtol=1e-13)
    evaluated = F.instance_norm(tg.tensor(x), rm, rv, use_input_stats=False).data
    want = (x - rm.data[:, None]) / np.sqrt(rv.data[:, None] + 1e-5)
    np.testing.assert_allclose(evaluated, want, rtol=1e-13)


def test_instance_norm_layers():
    layer = nn.InstanceNorm1d(3, affine=True, track_running_stats=True).double()
    assert list(layer.state_dict()) == [
        "weight",
        "bias",
        "running_mean",
        "running_var",
        "num_batches_tracked",
    ]
    assert list(nn.InstanceNorm2d(3).state_dict()) == [] and nn.InstanceNorm2d(3).weight is None
    x = rng.standard_normal((2, 3, 5))
    np.testing.assert_allclose(layer(tg.tensor(x)).data, _instance_norm_np(x), rtol=1e-12)
    assert not np.allclose(layer.running_mean.data, 0.0) and layer.num_batches_tracked.item() == 0
    layer.eval()  # now the running statistics
    want = (x - layer.running_mean.data[:, None]) / np.sqrt(layer.running_var.data[:, None] + 1e-5)
    np.testing.assert_allclose(layer(tg.tensor(x)).data, want, rtol=1e-12)
    untracked = nn.InstanceNorm1d(3).eval()  # no running statistics: the input's, in eval too
    np.testing.assert_allclose(untracked(tg.tensor(x)).data, _instance_norm_np(x), rtol=1e-5)
    frozen = nn.InstanceNorm1d(3, momentum=None, track_running_stats=True)  # momentum None: never moves
    frozen(tg.tensor(x.astype(np.float32)))
    assert frozen.running_mean.tolist() == [0.0] * 3
    # unbatched inputs: (C, L) and (C, H, W)
    np.testing.assert_allclose(untracked(tg.tensor(x[0])).data, _instance_norm_np(x[:1])[0], rtol=1e-5)
    image = rng.standard_normal((3, 4, 5))
    np.testing.assert_allclose(
        nn.InstanceNorm2d(3)(tg.tensor(image)).data, _instance_norm_np(image[None])[0], rtol=1e-5
    )


def test_instance_norm_errors_leave_the_statistics_alone():
    layer = nn.InstanceNorm2d(3, affine=True, track_running_stats=True)
    before = [layer.running_mean.tolist(), layer.running_var.tolist()]
    for bad, message in [
        (tg.ones(2, 3, 4, 5, 6), r"expected 3D or 4D input \(got 5D input\)"),
        (tg.ones(3, 4), r"expected 3D or 4D input \(got 2D input\)"),
        (tg.ones(1, 2, 3, 4), r"expected input's size at dim=1 to match num_features \(3\), but got: 2"),
        (tg.ones(2, 3, 1, 1), "Expected more than 1 spatial element when training"),
    ]:
        with pytest.raises(ValueError, match=message):
            layer(bad)
    assert [layer.running_mean.tolist(), layer.running_var.tolist()] == before
    with pytest.warns(UserWarning, match="input's size at dim=0 does not match num_features"):
        nn.InstanceNorm1d(3)(tg.tensor(rng.standard_normal((2, 4))))  # (C=2, L=4) when unbatched
    x = tg.tensor(rng.standard_normal((2, 3, 4)))
    rm, rv = tg.zeros(3), tg.ones(3)
    with pytest.raises(
        RuntimeError,
        match=r"weight should contain 3 elements \(one per channel of the input of shape \(2, 3, 4\)\) not 4",
    ):
        F.instance_norm(x, rm, rv, weight=tg.ones(4))
    assert rm.tolist() == [0.0] * 3 and rv.tolist() == [1.0] * 3
    with pytest.raises(ValueError, match="must either both be None or neither be None"):
        F.instance_norm(x, running_mean=rm)
    with pytest.raises(RuntimeError, match="to be defined when use_input_stats is false"):
        F.instance_norm(x, use_input_stats=False)
    with pytest.raises(NotImplementedError):
        F.instance_norm(tg.tensor([[[1, 2], [3, 4]]]))


def test_instance_norm_matches_torch_if_installed():
    torch = pytest.importorskip("torch")
    x = rng.standard_normal((3, 4, 5, 6))
    ours = nn.InstanceNorm2d(4, momentum=0.2, affine=True, track_running_stats=True).double()
    theirs = torch.nn.InstanceNorm2d(4, momentum=0.2, affine=True, track_running_stats=True).double()
    with torch.no_grad():
        theirs.weight.copy_(torch.tensor(rng.standard_normal(4)))
        theirs.bias.copy_(torch.tensor(rng.standard_normal(4)))
    ours.load_state_dict({k: v.numpy() for k, v in theirs.state_dict().items()})
    a, b = tg.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    y, z = ours(a), theirs(b)
    np.testing.assert_allclose(y.data, z.detach().numpy(), rtol=1e-12, atol=1e-13)
    upstream = rng.standard_normal(x.shape)
    y.backward(tg.tensor(upstream))
    z.backward(torch.tensor(upstream))
    np.testing.assert_allclose(a.grad.data, b.grad.numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(ours.weight.grad.data, theirs.weight.grad.numpy(), rtol=1e-12)
    for name in ("running_mean", "running_var", "num_batches_tracked"):
        np.testing.assert_allclose(ours.state_dict()[name], theirs.state_dict()[name].numpy(), rtol=1e-13)
    ours.eval()
    theirs.eval()
    np.testing.assert_allclose(ours(tg.tensor(x)).data, theirs(torch.tensor(x)).detach().numpy(), rtol=1e-12)
    for args in [(4,), (4, 1e-3, 0.1, True, False)]:
        for name in ("InstanceNorm1d", "InstanceNorm2d"):
            assert repr(getattr(nn, name)(*args)) == repr(getattr(torch.nn, name)(*args))
    assert repr(nn.InstanceNorm2d(3, affine=True, bias=False)) == repr(
        torch.nn.InstanceNorm2d(3, affine=True, bias=False)
    )


def _parameters(fn):
    return [
        (p.name, p.kind, p.default) for p in inspect.signature(fn).parameters.values() if p.name != "self"
    ]


@pytest.mark.parametrize(
    "name",
    ["Dropout1d", "Dropout2d", "AlphaDropout", "InstanceNorm1d", "InstanceNorm2d"]
    + ["dropout1d", "dropout2d", "alpha_dropout", "instance_norm"],
)
def test_signatures_match_torch_if_installed(name):
    torch = pytest.importorskip("torch")
    if name[0].isupper():
        assert _parameters(getattr(nn, name).__init__) == _parameters(getattr(torch.nn, name).__init__)
    else:
        assert _parameters(getattr(F, name)) == _parameters(getattr(torch.nn.functional, name))
