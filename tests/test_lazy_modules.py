"""Tests of the lazy layers (nn/lazy.py, nn/lazy3d.py) and uninitialized parameters (nn/parameter.py).

A lazy layer reads its input size off the first batch, materializes its
parameters (the same objects) with the ordinary layer's initialization and
becomes the ordinary layer. Each behaviour is stated as PyTorch 2.x has it;
the last tests compare with PyTorch directly where it is installed.
"""

from __future__ import annotations

import copy

import numpy as np
import pytest

import tinygrad_edu as tg
import tinygrad_edu.nn as nn
from tinygrad_edu.nn.lazy import (
    LazyBatchNorm1d,
    LazyBatchNorm2d,
    LazyConv1d,
    LazyConv2d,
    LazyConvTranspose1d,
    LazyConvTranspose2d,
    LazyInstanceNorm1d,
    LazyInstanceNorm2d,
    LazyLinear,
    LazyModuleMixin,
)
from tinygrad_edu.nn.lazy3d import LazyBatchNorm3d, LazyConv3d, LazyConvTranspose3d, LazyInstanceNorm3d
from tinygrad_edu.nn.parameter import UninitializedBuffer, UninitializedParameter, is_lazy

# (make the lazy layer, input shape, the class it becomes, the inferred attribute and value,
#  the shapes of its state_dict once materialized)
CASES = [
    (lambda: LazyLinear(3), (2, 5), nn.Linear, "in_features", 5, {"weight": (3, 5), "bias": (3,)}),
    (lambda: LazyLinear(3, bias=False), (4, 2, 7), nn.Linear, "in_features", 7, {"weight": (3, 7)}),
    (lambda: LazyConv1d(4, 3), (2, 3, 8), nn.Conv1d, "in_channels", 3, {"weight": (4, 3, 3), "bias": (4,)}),
    (lambda: LazyConv1d(4, 3, groups=2), (6, 8), nn.Conv1d, "in_channels", 6,
     {"weight": (4, 3, 3), "bias": (4,)}),
    (lambda: LazyConv2d(4, (3, 2), padding=1, bias=False), (2, 3, 5, 5), nn.Conv2d, "in_channels", 3,
     {"weight": (4, 3, 3, 2)}),
    (lambda: LazyConvTranspose1d(4, 3, stride=2), (3, 8), nn.ConvTranspose1d, "in_channels", 3,
     {"weight": (3, 4, 3), "bias": (4,)}),
    (lambda: LazyConvTranspose2d(4, 2, groups=2), (2, 6, 4, 4), nn.ConvTranspose2d, "in_channels", 6,
     {"weight": (6, 2, 2, 2), "bias": (4,)}),
    (lambda: LazyBatchNorm1d(), (4, 3), nn.BatchNorm1d, "num_features", 3,
     {"weight": (3,), "bias": (3,), "running_mean": (3,), "running_var": (3,), "num_batches_tracked": ()}),
    (lambda: LazyBatchNorm2d(affine=False), (2, 3, 2, 2), nn.BatchNorm2d, "num_features", 3,
     {"running_mean": (3,), "running_var": (3,), "num_batches_tracked": ()}),
    (lambda: LazyInstanceNorm1d(track_running_stats=False), (2, 3, 5), nn.InstanceNorm1d, "num_features", 3,
     {"weight": (3,), "bias": (3,)}),
    (lambda: LazyInstanceNorm2d(bias=False), (2, 3, 4, 4), nn.InstanceNorm2d, "num_features", 3,
     {"weight": (3,), "running_mean": (3,), "running_var": (3,), "num_batches_tracked": ()}),
    (lambda: LazyConv3d(2, 2), (1, 3, 3, 3, 3), nn.Conv3d, "in_channels", 3,
     {"weight": (2, 3, 2, 2, 2), "bias": (2,)}),
    (lambda: LazyConvTranspose3d(2, 2), (3, 2, 2, 2), nn.ConvTranspose3d, "in_channels", 3,
     {"weight": (3, 2, 2, 2, 2), "bias": (2,)}),
    (lambda: LazyBatchNorm3d(), (2, 3, 2, 2, 2), nn.BatchNorm3d, "num_features", 3,
     {"weight": (3,), "bias": (3,), "running_mean": (3,), "running_var": (3,), "num_batches_tracked": ()}),
    (lambda: LazyInstanceNorm3d(affine=False, track_running_stats=False), (2, 3, 2, 2, 2), nn.InstanceNorm3d,
     "num_features", 3, {}),
]  # fmt: skip
IDS = [f"{case[2].__name__}-{i}" for i, case in enumerate(CASES)]


@pytest.mark.parametrize(("make", "shape", "becomes", "attr", "size", "shapes"), CASES, ids=IDS)
def test_first_forward_infers_the_size_and_becomes_the_ordinary_layer(
    make, shape, becomes, attr, size, shapes
):
    m = make()
    assert isinstance(m, LazyModuleMixin) and getattr(m, attr) == 0
    assert m.has_uninitialized_params() == bool(shapes)  # (a norm without weights or statistics has none)
    before = dict(m.named_parameters())
    assert all(type(p) is UninitializedParameter for p in before.values())
    m(tg.randn(shape))
    assert type(m) is becomes
    assert getattr(m, attr) == size
    assert {k: v.shape for k, v in m.state_dict().items()} == shapes
    for name, param in m.named_parameters():  # the same objects, now ordinary Parameters
        assert param is before[name] and type(param) is nn.Parameter
    for buffer in m.buffers():
        assert type(buffer) is tg.Tensor
    assert m._forward_pre_hooks == [] and not hasattr(m, "_initialize_hook")  # the hook is gone


@pytest.mark.parametrize(
    ("lazy", "ordinary", "shape"),
    [
        (lambda: LazyLinear(3), lambda: nn.Linear(5, 3), (2, 5)),
        (lambda: LazyConv1d(4, 3, groups=2), lambda: nn.Conv1d(6, 4, 3, groups=2), (2, 6, 7)),
        (lambda: LazyConv2d(4, 3), lambda: nn.Conv2d(5, 4, 3), (2, 5, 6, 6)),
        (lambda: LazyConvTranspose1d(4, 3), lambda: nn.ConvTranspose1d(5, 4, 3), (5, 6)),
        (lambda: LazyConvTranspose2d(4, 3), lambda: nn.ConvTranspose2d(5, 4, 3), (2, 5, 6, 6)),
        (lambda: LazyConv3d(2, 2), lambda: nn.Conv3d(3, 2, 2), (1, 3, 3, 3, 3)),
    ],
)
def test_initialization_draws_the_numbers_of_the_ordinary_layer(lazy, ordinary, shape):
    x = tg.randn(shape)  # (drawn before the seed: the draws compared are the layers' own)
    tg.manual_seed(7)
    m = lazy()
    m(x)
    tg.manual_seed(7)
    reference = ordinary()
    for (name, ours), (_, theirs) in zip(m.state_dict().items(), reference.state_dict().items()):
        np.testing.assert_array_equal(ours, theirs, err_msg=name)
    np.testing.assert_array_equal(m(x).data, reference(x).data)


def test_a_second_forward_runs_no_lazy_code():
    m = LazyLinear(2)
    calls = []
    m.initialize_parameters = lambda *a: calls.append(a) or LazyLinear.initialize_parameters(m, *a)
    x = tg.randn(3, 4)
    m(x)
    m(x)
    assert len(calls) == 1 and type(m) is nn.Linear


def test_initialize_parameters_alone_materializes_but_forward_switches_the_class():
    m = LazyLinear(3)
    m.initialize_parameters(tg.randn(2, 4))
    assert type(m) is LazyLinear and m.in_features == 4 and not m.has_uninitialized_params()
    assert repr(m) == "LazyLinear(in_features=4, out_features=3, bias=True)"
    m(tg.randn(2, 4))
    assert type(m) is nn.Linear


def test_lazy_layers_in_a_model_infer_one_after_another():
    model = nn.Sequential(LazyConv2d(4, 3), nn.ReLU(), nn.Flatten(), LazyLinear(2))
    assert model(tg.randn(5, 3, 6, 6)).shape == (5, 2)
    assert [type(layer) for layer in model] == [nn.Conv2d, nn.ReLU, nn.Flatten, nn.Linear]
    assert model[3].in_features == 4 * 4 * 4


# ---------------------------------------------------------------- training


@pytest.mark.parametrize("make_optimizer", [
    lambda ps: tg.optim.SGD(ps, lr=0.1, momentum=0.9),
    lambda ps: tg.optim.Adam(ps, lr=0.1),
])  # fmt: skip
def test_an_optimizer_built_before_the_first_forward_trains_the_materialized_parameters(make_optimizer):
    m = LazyLinear(1)
    optimizer = make_optimizer(m.parameters())  # over uninitialized parameters: allowed, as in PyTorch
    optimizer.zero_grad()
    optimizer.step()  # nothing has a gradient yet: nothing to do
    x = tg.randn(16, 3)
    y = x @ tg.tensor([[1.0], [-2.0], [0.5]])
    losses = []
    for _ in range(30):
        optimizer.zero_grad()
        loss = ((m(x) - y) ** 2).mean()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    assert optimizer.param_groups[0]["params"][0] is m.weight
    assert losses[-1] < 0.1 * losses[0]


def test_gradients_flow_to_the_materialized_parameters():
    x = tg.randn(3, 2, 5, dtype=tg.float64)
    m = LazyConv1d(2, 3, dtype=tg.float64)
    m(x)
    tg.testing.gradcheck(lambda x, w, b: m(x), (x.requires_grad_(), m.weight, m.bias))
    m(x).sum().backward()
    assert m.weight.grad.shape == m.weight.shape == (2, 2, 3) and m.bias.grad.shape == (2,)


@pytest.mark.parametrize(
    "cast", [lambda m: m.double(), lambda m: m.to(tg.float64), lambda m: m.to(dtype=np.float64)]
)
def test_a_dtype_set_before_the_first_forward_is_the_materialized_one(cast):
    m = LazyBatchNorm1d()
    cast(m)
    assert m.weight.dtype == np.float64 and m.running_mean.dtype == np.float64
    m(tg.randn(4, 3, dtype=tg.float64))
    assert all(t.dtype == np.float64 for t in [m.weight, m.bias, m.running_mean, m.running_var])
    assert m.num_batches_tracked.dtype == np.int64 and m.num_batches_tracked.item() == 1


def test_dtype_given_to_the_constructor():
    m = LazyLinear(2, dtype=tg.float64)
    assert m.weight.dtype == np.float64
    m(tg.randn(1, 3, dtype=tg.float64))
    assert m.weight.dtype == np.float64 and m.bias.dtype == np.float64


# ---------------------------------------------------------------- state_dict


def test_state_dict_of_an_uninitialized_module_holds_the_uninitialized_parameters():
    m = LazyBatchNorm1d()
    state = m.state_dict()
    assert list(state) == ["weight", "bias", "running_mean", "running_var", "num_batches_tracked"]
    assert state["weight"] is m.weight and state["running_var"] is m.running_var
    assert isinstance(state["num_batches_tracked"], np.ndarray)  # an ordinary buffer: its array


def test_load_state_dict_materializes_a_lazy_module_with_the_loaded_shapes():
    trained = nn.Linear(4, 3)
    m = LazyLinear(3)
    weight = m.weight
    optimizer = tg.optim.SGD(m.parameters(), lr=0.1)
    assert repr(m.load_state_dict(trained.state_dict())) == "<All keys matched successfully>"
    assert m.weight is weight and type(weight) is nn.Parameter
    np.testing.assert_array_equal(m.weight.data, trained.weight.data)
    assert type(m) is LazyLinear and m.in_features == 0  # (as in PyTorch, until the first forward)
    with pytest.raises(AssertionError, match="in_features inferred from input: 5 is not equal"):
        m(tg.randn(2, 5))
    x = tg.randn(2, 4)
    np.testing.assert_array_equal(m(x).data, trained(x).data)  # loaded values, not redrawn ones
    assert type(m) is nn.Linear and m.in_features == 4
    assert optimizer.param_groups[0]["params"][0] is m.weight


def test_load_state_dict_round_trip_of_a_lazy_batch_norm():
    trained = LazyBatchNorm2d()
    trained(tg.randn(4, 3, 2, 2))
    m = LazyBatchNorm2d()
    m.load_state_dict(trained.state_dict())
    for key, value in trained.state_dict().items():
        np.testing.assert_array_equal(m.state_dict()[key], value)
    m.eval()
    trained.eval()
    x = tg.randn(2, 3, 2, 2)
    np.testing.assert_array_equal(m(x).data, trained(x).data)
    assert type(m) is nn.BatchNorm2d and m.num_features == 3


def test_loading_uninitialized_state():
    lazy = LazyLinear(3)
    other = LazyLinear(3)
    assert not other.load_state_dict(lazy.state_dict()).missing_keys  # into a lazy module: nothing to load
    assert other.has_uninitialized_params()
    with pytest.raises(RuntimeError, match="Can't access the shape of an uninitialized parameter"):
        nn.Linear(4, 3).load_state_dict(lazy.state_dict())


def test_a_failed_load_leaves_the_lazy_module_uninitialized():
    state = dict(nn.Linear(4, 3).state_dict(), extra=np.zeros(1))
    m = LazyLinear(3)
    with pytest.raises(RuntimeError, match='Unexpected key.*"extra"'):
        m.load_state_dict(state)
    assert type(m.weight) is UninitializedParameter and m.has_uninitialized_params()


def test_partly_loaded_module_fails_as_pytorch_does():
    state = nn.Linear(4, 3).state_dict()
    del state["bias"]
    m = LazyLinear(3)
    assert m.load_state_dict(state, strict=False).missing_keys == ["bias"]
    with pytest.raises(AttributeError, match="'Parameter' object has no attribute 'materialize'"):
        m(tg.randn(2, 4))


def test_deepcopy_of_a_lazy_module_is_lazy_and_independent():
    m = LazyLinear(3, dtype=tg.float64)
    twin = copy.deepcopy(m)
    assert twin.weight is not m.weight and type(twin.weight) is UninitializedParameter
    assert twin.weight.dtype == np.float64
    twin(tg.randn(2, 4, dtype=tg.float64))
    assert type(twin) is nn.Linear and type(m) is LazyLinear and m.has_uninitialized_params()


# ---------------------------------------------------------------- errors


@pytest.mark.parametrize("use", [
    lambda w: w + 1, lambda w: w * tg.ones(3), lambda w: w.sum(), lambda w: tg.ones(2, 3) @ w,
    lambda w: w.exp(), lambda w: w[0], lambda w: w.numel(), lambda w: w.item(), lambda w: w.detach(),
    lambda w: w.requires_grad_(False), lambda w: len(w), lambda w: nn.init.zeros_(w), lambda w: w.data,
])  # fmt: skip
def test_computing_with_an_uninitialized_parameter_raises_value_error(use):
    with pytest.raises(ValueError, match="Attempted to use an uninitialized parameter in"):
        use(UninitializedParameter())


def test_what_an_uninitialized_parameter_allows():
    p = UninitializedParameter(dtype=tg.float64)
    with pytest.raises(RuntimeError, match="Can't access the shape of an uninitialized parameter or buffer"):
        p.shape  # noqa: B018
    assert repr(p) == "<UninitializedParameter>" and repr(UninitializedBuffer()) == "<UninitializedBuffer>"
    assert p.dtype == np.float64 and p.requires_grad and p.grad is None and p.is_leaf
    assert p.size() == (0,) and p.ndim == 1  # (the placeholder's, as in PyTorch)
    assert isinstance(p, nn.Parameter) and is_lazy(p) and not is_lazy(nn.Parameter(tg.ones(1)))
    p.requires_grad = False  # (the setter is allowed, requires_grad_() is not, as in PyTorch)
    assert not p.requires_grad
    b = UninitializedBuffer()
    assert not b.requires_grad and not isinstance(b, nn.Parameter) and b.persistent


def test_materialize():
    p = UninitializedParameter()
    with pytest.raises(RuntimeError, match="floating point"):
        p.materialize((2,), dtype=np.int64)
    assert type(p) is UninitializedParameter  # unchanged by the failed call
    p.materialize((2, 3), dtype=tg.float64)
    assert type(p) is nn.Parameter and p.shape == (2, 3) and p.dtype == np.float64 and p.requires_grad
    b = UninitializedBuffer()
    b.materialize((4,))
    assert type(b) is tg.Tensor and b.shape == (4,) and not b.requires_grad
    with pytest.raises(TypeError, match="requires_grad"):
        UninitializedParameter(1)


@pytest.mark.parametrize(("make", "x", "error", "message"), [
    (lambda: LazyConv2d(4, 3), (3, 5), RuntimeError,
     r"Expected 3D \(unbatched\) or 4D \(batched\) input to LazyConv2d, but got input of size: \[3, 5\]"),
    (lambda: LazyConv1d(4, 3), (1, 2, 3, 5), RuntimeError, "Expected 2D .* or 3D .* input to LazyConv1d"),
    (lambda: LazyBatchNorm2d(), (3, 5), ValueError, r"expected 4D input \(got 2D input\)"),
    (lambda: LazyBatchNorm1d(), (3,), ValueError, r"expected 2D or 3D input \(got 1D input\)"),
    (lambda: LazyLinear(3), (), RuntimeError, "LazyLinear infers in_features"),
    (lambda: LazyConv2d(4, 3, groups=2), (1, 3, 5, 5), ValueError, "in_channels must be divisible by groups"),
])  # fmt: skip
def test_an_input_the_layer_cannot_take_leaves_it_uninitialized(make, x, error, message):
    m = make()
    with pytest.raises(error, match=message):
        m(tg.randn(x))
    assert type(m).__name__.startswith("Lazy") and m.has_uninitialized_params() and m._forward_pre_hooks


def test_an_array_input_is_refused_as_by_the_ordinary_layer():
    m = LazyLinear(3)
    with pytest.raises(TypeError, match="LazyLinear: argument 'input' .* must be Tensor, not numpy.ndarray"):
        m(np.ones((2, 3)))
    assert m.has_uninitialized_params()


def test_a_lazy_module_must_define_initialize_parameters_and_use_it():
    class NoInit(LazyModuleMixin, nn.Module):
        def __init__(self):
            super().__init__()
            self.w = UninitializedParameter()

        def forward(self, x):
            return x

    with pytest.raises(NotImplementedError, match="initialize_parameters is not implemented for NoInit"):
        NoInit()(tg.ones(1))

    class HalfInit(NoInit):
        def initialize_parameters(self, x):
            pass

    with pytest.raises(RuntimeError, match="module HalfInit has not been fully initialized"):
        HalfInit()(tg.ones(1))


def test_lazy_instance_norm_takes_the_channels_of_an_unbatched_input():
    # (PyTorch reads dim 1, the length, here, and then fails: a bug not copied)
    m = LazyInstanceNorm1d()
    m(tg.randn(3, 5))
    assert m.num_features == 3 and m.weight.shape == (3,)


# ---------------------------------------------------------------- PyTorch


def _torch_lazy(torch, name: str, *args, **kwargs):
    return getattr(torch.nn, name)(*args, **kwargs)


@pytest.mark.parametrize(("name", "args", "kwargs", "shape"), [
    ("LazyLinear", (3,), {}, (2, 5)),
    ("LazyConv1d", (4, 3), {"dilation": 2}, (2, 3, 9)),
    ("LazyConv2d", (4, 3), {"padding": 1, "bias": False}, (2, 3, 5, 5)),
    ("LazyConvTranspose1d", (4, 3), {"stride": 2, "output_padding": 1}, (2, 3, 5)),
    ("LazyConvTranspose2d", (4, 2), {"groups": 2}, (2, 6, 4, 4)),
    ("LazyBatchNorm1d", (), {"momentum": None}, (4, 3)),
    ("LazyBatchNorm2d", (), {"affine": False}, (2, 3, 2, 2)),
    ("LazyInstanceNorm1d", (), {}, (2, 3, 5)),
    ("LazyInstanceNorm2d", (), {"track_running_stats": False}, (2, 3, 4, 4)),
])  # fmt: skip
def test_matches_pytorch(name, args, kwargs, shape):
    torch = pytest.importorskip("torch")
    theirs = _torch_lazy(torch, name, *args, **kwargs)
    ours = getattr(__import__("tinygrad_edu.nn.lazy", fromlist=[name]), name)(*args, **kwargs)
    assert repr(ours) == repr(theirs)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert [type(v).__name__ for v in ours.state_dict().values()] == [
        "ndarray" if type(v).__name__ == "Tensor" else type(v).__name__ for v in theirs.state_dict().values()
    ]
    x = np.random.default_rng(0).standard_normal(shape).astype(np.float32)
    theirs(torch.from_numpy(x))
    ours(tg.tensor(x))
    assert repr(ours) == repr(theirs) and type(ours).__name__ == type(theirs).__name__
    # the inferred shapes agree, and with PyTorch's values loaded the outputs do too
    assert {k: v.shape for k, v in ours.state_dict().items()} == {
        k: tuple(v.shape) for k, v in theirs.state_dict().items()
    }
    fresh = getattr(__import__("tinygrad_edu.nn.lazy", fromlist=[name]), name)(*args, **kwargs)
    fresh.load_state_dict(theirs.state_dict())
    x2 = np.random.default_rng(1).standard_normal(shape).astype(np.float32)
    expected = theirs(torch.from_numpy(x2)).detach().numpy()
    np.testing.assert_allclose(fresh(tg.tensor(x2)).data, expected, rtol=1e-5, atol=1e-5)


def test_errors_match_pytorch():
    torch = pytest.importorskip("torch")
    for use in [lambda w: w + 1, lambda w: w.sum(), lambda w: w.numel(), lambda w: w.requires_grad_()]:
        with pytest.raises(ValueError, match="uninitialized parameter"):
            use(torch.nn.UninitializedParameter())
        with pytest.raises(ValueError, match="uninitialized parameter"):
            use(UninitializedParameter())
    for p in [torch.nn.UninitializedParameter(), UninitializedParameter()]:
        with pytest.raises(RuntimeError, match="Can't access the shape of an uninitialized parameter"):
            p.shape  # noqa: B018
    with pytest.raises(RuntimeError, match="Can't access the shape"):
        torch.nn.Linear(4, 3).load_state_dict(torch.nn.LazyLinear(3).state_dict())
