"""Tests of nn.Module bookkeeping, the layers, their initialisation and their gradients."""

from __future__ import annotations

import copy
import math
from collections import OrderedDict

import numpy as np
import pytest

import tinygrad_edu as tg
import tinygrad_edu.nn as nn
import tinygrad_edu.nn.functional as F
from tinygrad_edu.testing import gradcheck


@pytest.fixture
def float64():
    """Build modules in float64 for gradcheck; restore the default afterwards."""
    tg.set_default_dtype(np.float64)
    yield
    tg.set_default_dtype(np.float32)


def mlp() -> nn.Sequential:
    return nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10))


class Block(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.layer1 = nn.Linear(3, 4)
        self.act = nn.Tanh()
        self.inner = nn.Sequential(
            nn.Linear(4, 4), nn.Sequential(nn.Dropout(0.2), nn.Linear(4, 2, bias=False))
        )
        self.register_buffer("running", tg.zeros(2))
        self.register_buffer("scratch", tg.zeros(5), persistent=False)

    def forward(self, x: tg.Tensor) -> tg.Tensor:
        return self.inner(self.act(self.layer1(x))) + self.running


# ---------------------------------------------------------------- registration and naming


def test_named_parameters_nested_order_and_names():
    names = [name for name, _ in Block().named_parameters()]
    assert names == ["layer1.weight", "layer1.bias", "inner.0.weight", "inner.0.bias", "inner.1.1.weight"]


def test_shared_parameters_listed_once():
    shared = nn.Linear(2, 2)
    model = nn.Sequential(shared, nn.ReLU(), shared)
    assert len(list(model.parameters())) == 2
    assert [n for n, _ in model.named_parameters()] == ["0.weight", "0.bias"]


def test_buffers_children_modules():
    block = Block()
    assert [n for n, _ in block.named_buffers()] == ["running", "scratch"]
    assert [n for n, _ in block.named_children()] == ["layer1", "act", "inner"]
    names = [n for n, _ in block.named_modules()]
    assert names == ["", "layer1", "act", "inner", "inner.0", "inner.1", "inner.1.0", "inner.1.1"]
    assert len(list(block.modules())) == 8


def test_setattr_rules():
    m = nn.Linear(2, 3)
    with pytest.raises(TypeError):
        m.weight = tg.zeros(3, 2)  # a plain Tensor cannot replace a Parameter
    m.extra = 5
    assert "extra" not in m._parameters and m.extra == 5
    with pytest.raises(KeyError):
        m.register_buffer("a.b", tg.zeros(1))
    with pytest.raises(AttributeError):
        m.missing  # noqa: B018
    # the layer's class where a layer belongs, a common slip: the message says what to write
    with pytest.raises(TypeError, match=r"ReLU is a Module class, not a module: write ReLU\(\)"):
        nn.Sequential(nn.Linear(2, 2), nn.ReLU)
    with pytest.raises(TypeError, match="function is not a Module subclass"):
        nn.Sequential(tg.relu)


def test_get_submodule_parameter_and_buffer_by_dotted_path():
    block = Block()
    assert block.get_submodule("") is block
    assert block.get_submodule("inner.1.1") is block.inner[1][1]
    assert block.get_parameter("inner.0.bias") is block.inner[0].bias
    assert block.get_parameter("layer1.weight") is block.layer1.weight
    assert block.get_buffer("running") is block.running
    assert block.get_buffer("scratch") is block.scratch  # non-persistent buffers too
    # every name named_parameters and named_buffers gives leads back to its tensor
    assert all(block.get_parameter(name) is p for name, p in block.named_parameters())
    assert all(block.get_buffer(name) is b for name, b in block.named_buffers())


@pytest.mark.parametrize(
    "method, target, message",
    [
        ("get_submodule", "inner.7", "Sequential has no attribute `7`"),
        ("get_submodule", "nope.0", "Block has no attribute `nope`"),
        ("get_submodule", "layer1.weight", "`weight` is not an nn.Module"),
        ("get_submodule", "training", "`training` is not an nn.Module"),
        ("get_parameter", "inner.1.1.bias", "`bias` is not an nn.Parameter"),  # bias=False: None
        ("get_parameter", "running", "`running` is not an nn.Parameter"),
        ("get_parameter", "inner.0.nope", "Linear has no attribute `nope`"),
        ("get_buffer", "layer1.weight", "`weight` is not a buffer"),
        ("get_buffer", "inner.nope.running", "Sequential has no attribute `nope`"),
    ],
)
def test_get_submodule_parameter_and_buffer_errors(method, target, message):
    with pytest.raises(AttributeError) as error:
        getattr(Block(), method)(target)
    assert str(error.value) == message


def test_parameter_shares_memory_and_repr():
    t = tg.ones(2)
    p = nn.Parameter(t)
    assert p.data is t.data and p.requires_grad and p.is_leaf
    assert repr(p) == "Parameter containing:\ntensor([1., 1.], requires_grad=True)"


def test_assigning_a_parameters_data_stores_an_array_as_pytorch_idiom_expects():
    model = nn.Linear(3, 2)
    model(tg.randn(4, 3)).sum().backward()
    before = {name: p.data.copy() for name, p in model.named_parameters()}
    for p in model.parameters():
        p.data = p.data - 0.1 * p.grad  # the right side is a Tensor here
    for name, p in model.named_parameters():
        assert type(p.data) is np.ndarray
        np.testing.assert_allclose(p.data, before[name] - 0.1 * p.grad.data)
    assert all(type(v) is np.ndarray for v in model.state_dict().values())
    assert "Parameter containing" in repr(model.weight)
    zeros = tg.zeros(2, 3)
    model.weight.data = zeros
    assert model.weight.data is zeros.data  # shares the Tensor's memory, as PyTorch shares storage
    with pytest.raises(TypeError, match="Parameter.data must be a Tensor or a NumPy array, not list"):
        model.weight.data = [1.0, 2.0]
    assert model.weight.data is zeros.data  # a refused assignment changes nothing


def test_deepcopy_of_a_parameter_drops_its_grad_as_pytorch_does():
    model = nn.Sequential(nn.Linear(3, 2), nn.Linear(2, 2))
    model[1].bias.requires_grad_(False)
    model(tg.randn(4, 3)).sum().backward()
    assert model[0].weight.grad is not None
    clone = copy.deepcopy(model)
    w = clone[0].weight
    assert type(w) is nn.Parameter and w.grad is None and w.requires_grad
    assert clone[1].bias.requires_grad is False  # requires_grad is kept
    np.testing.assert_array_equal(w.data, model[0].weight.data)
    assert not np.shares_memory(w.data, model[0].weight.data)
    # one copy of a parameter used twice, through the memo
    p = nn.Parameter(tg.ones(2))
    a, b = copy.deepcopy([p, p])
    assert a is b and a is not p
    # a plain Tensor's deepcopy keeps its gradient (as in PyTorch)
    t = tg.ones(2, requires_grad=True)
    t.grad = tg.full((2,), 3.0)
    assert copy.deepcopy(t).grad.tolist() == [3.0, 3.0]


# ---------------------------------------------------------------- state dict


def test_state_dict_keys_shapes_and_shared_arrays():
    model = mlp()
    sd = model.state_dict()
    assert isinstance(sd, OrderedDict)
    assert list(sd) == ["0.weight", "0.bias", "2.weight", "2.bias"]
    assert [v.shape for v in sd.values()] == [(32, 64), (32,), (10, 32), (10,)]
    snapshot = copy.deepcopy(sd)
    sd["0.bias"][:] = 123.0  # the arrays themselves, as PyTorch's tensors share storage
    assert np.all(model[0].bias.data == 123.0) and not np.any(snapshot["0.bias"] == 123.0)
    model[0].weight = nn.Parameter(tg.zeros(32, 64))  # replacing keeps the order
    model[0] = nn.Linear(64, 32)
    assert list(model.state_dict()) == ["0.weight", "0.bias", "2.weight", "2.bias"]


def test_state_dict_buffers_persistent_only():
    # PyTorch's order: a module's own parameters, then its own buffers, then each child's
    assert list(Block().state_dict()) == [
        "running",
        "layer1.weight",
        "layer1.bias",
        "inner.0.weight",
        "inner.0.bias",
        "inner.1.1.weight",
    ]


def test_load_state_dict_round_trip_in_place():
    tg.manual_seed(1)
    a, b = mlp(), mlp()
    weight_array = b[0].weight.data
    version = b[0].weight._version
    result = b.load_state_dict(a.state_dict())
    assert result.missing_keys == [] and result.unexpected_keys == []
    assert repr(result) == "<All keys matched successfully>"
    assert b[0].weight.data is weight_array and b[0].weight._version == version + 1
    x = tg.randn(4, 64)
    np.testing.assert_array_equal(a(x).data, b(x).data)


@pytest.mark.parametrize("problem", ["missing", "unexpected", "shape", "strings", "none", "list"])
def test_load_state_dict_errors_leave_module_unchanged(problem):
    model = mlp()
    before = {k: v.copy() for k, v in model.state_dict().items()}
    sd = OrderedDict((k, v + 1.0) for k, v in before.items())
    if problem == "missing":
        del sd["2.bias"]
        expected = 'Missing key(s) in state_dict: "2.bias"'
    elif problem == "unexpected":
        sd["3.weight"] = np.zeros(3)
        expected = 'Unexpected key(s) in state_dict: "3.weight"'
    elif problem == "shape":
        sd["2.weight"] = np.zeros((10, 31))
        expected = (
            "size mismatch for 2.weight: copying a param with shape (10, 31) from checkpoint, "
            "the shape in current model is (10, 32)"
        )
    elif problem == "strings":  # the last key: every other one would be copied before its cast failed
        sd["2.bias"] = np.array(["a"] * 10)
        expected = "value for 2.bias is not an array of numbers: got ndarray"
    elif problem == "none":
        sd["2.bias"] = None
        expected = "value for 2.bias is a NoneType, not a Tensor or a NumPy array"
    else:  # a list of numbers: refused, as PyTorch refuses it, after every other key has passed
        sd["2.bias"] = sd["2.bias"].tolist()
        expected = "value for 2.bias is a list, not a Tensor or a NumPy array"
    with pytest.raises(RuntimeError) as info:
        model.load_state_dict(sd)
    assert expected in str(info.value)
    assert "Sequential" in str(info.value)
    for key, value in model.state_dict().items():
        np.testing.assert_array_equal(value, before[key])


@pytest.mark.parametrize("lib_name", ["tinygrad_edu", "torch"])
def test_load_state_dict_refuses_lists_and_numbers_as_torch(lib_name):
    lib = pytest.importorskip(lib_name)
    layer = lib.nn.Linear(2, 2)
    with lib.no_grad():
        layer.weight.zero_()
        layer.bias.zero_()
    for bad, key in [
        ({"weight": [[1.0, 2.0], [3.0, 4.0]], "bias": lib.ones(2)}, "weight"),
        ({"weight": lib.ones(2, 2), "bias": 1.0}, "bias"),
    ]:
        with pytest.raises(RuntimeError, match=f"{key}.*(list|float)"):
            layer.load_state_dict(bad)
    if lib_name == "tinygrad_edu":  # (PyTorch copies the valid values before it meets the list)
        assert not layer.weight.data.any() and not layer.bias.data.any()
    layer.load_state_dict({"weight": lib.ones(2, 2), "bias": lib.ones(2)})  # Tensors load
    assert layer.bias.tolist() == [1.0, 1.0]


def test_load_state_dict_non_strict_reports_keys():
    model = mlp()
    sd = model.state_dict()
    del sd["0.bias"]
    sd["extra"] = np.zeros(1)
    result = model.load_state_dict(sd, strict=False)
    assert result.missing_keys == ["0.bias"] and result.unexpected_keys == ["extra"]


def test_a_checkpoint_without_num_batches_tracked_loads_and_keeps_the_count():
    # (PyTorch's checkpoints before 0.4.1 had no count; PyTorch loads them the same way)
    model = nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3))
    model(tg.randn(4, 2))
    model(tg.randn(4, 2))
    sd = {k: v.copy() for k, v in model.state_dict().items() if k != "1.num_batches_tracked"}
    sd["1.running_mean"][...] = 5.0
    result = model.load_state_dict(sd)  # strict
    assert result.missing_keys == [] and result.unexpected_keys == []
    assert int(model[1].num_batches_tracked.item()) == 2 and model[1].running_mean.tolist() == [5.0] * 3
    del sd["1.running_var"]  # any other missing key still counts
    with pytest.raises(RuntimeError, match='Missing key.*"1.running_var"'):
        model.load_state_dict(sd)

    class Counter(nn.Module):  # a buffer of that name on another module is an ordinary key
        def __init__(self):
            super().__init__()
            self.register_buffer("num_batches_tracked", tg.tensor(0))

    with pytest.raises(RuntimeError, match='Missing key.*"num_batches_tracked"'):
        Counter().load_state_dict({})


# ---------------------------------------------------------------- repr, modes, apply


def test_repr_matches_pytorch():
    expected = (
        "Sequential(\n"
        "  (0): Linear(in_features=64, out_features=32, bias=True)\n"
        "  (1): ReLU()\n"
        "  (2): Linear(in_features=32, out_features=10, bias=True)\n"
        ")"
    )
    assert repr(mlp()) == expected


def test_gradient_clipping_as_torch_nn_utils():
    a, b, unused = (nn.Parameter(tg.zeros(n, dtype=np.float64)) for n in (2, 3, 1))
    a.grad, b.grad = tg.tensor([3.0, 4.0], dtype=np.float64), tg.tensor([0.0, 12.0, 0.0], dtype=np.float64)
    held = a.grad
    total = nn.utils.clip_grad_norm_([a, b, unused], max_norm=6.5)
    assert total.item() == 13.0  # sqrt(9 + 16 + 144), the norm of all the elements together
    scale = 6.5 / (13.0 + 1e-6)
    np.testing.assert_allclose(a.grad.data, [3.0 * scale, 4.0 * scale])  # one factor for all
    assert a.grad is held and unused.grad is None  # in place
    assert nn.utils.clip_grad_norm_(b, max_norm=100.0).item() == 12.0 * scale  # below max_norm: unchanged
    assert nn.utils.clip_grad_norm_(a, 1.0, norm_type="inf").item() == 4.0 * scale
    a.grad = tg.tensor([3.0, -4.0], dtype=np.float64)
    nn.utils.clip_grad_value_(a, 2.0)
    assert a.grad.tolist() == [2.0, -2.0]
    a.grad = tg.tensor([np.nan, 1.0], dtype=np.float64)
    with pytest.raises(RuntimeError, match="total norm of order 2.0 .* is non-finite"):
        nn.utils.clip_grad_norm_(a, 1.0, error_if_nonfinite=True)
    assert a.grad.tolist()[1] == 1.0  # (refused before any change)
    empty = nn.Parameter(tg.zeros(0, dtype=np.float64))
    empty.grad = tg.zeros(0, dtype=np.float64)
    with pytest.raises(RuntimeError, match="cannot compute the inf norm on an empty tensor"):
        nn.utils.clip_grad_norm_([empty, a], 1.0, norm_type="inf")  # (the largest of no elements)
    assert a.grad.tolist()[1] == 1.0
    b.grad = tg.tensor([1.0, 2.0, 3.0], dtype=np.float64)
    assert np.isnan(nn.utils.clip_grad_norm_([a, b], 1.0).item())  # scaled by nan, as in PyTorch:
    assert np.isnan(a.grad.data).all() and np.isnan(b.grad.data).all()  # a diverged run shows it everywhere
    b.grad = tg.tensor([0.0, 3.0, 4.0], dtype=np.float64)
    assert nn.utils.clip_grad_norm_(b, max_norm=tg.tensor(1.0)).item() == 5.0  # a 0-d Tensor as max_norm
    np.testing.assert_allclose(b.grad.data, [0.0, 0.6, 0.8], rtol=1e-6)
    c32, c64 = nn.Parameter(tg.zeros(1, dtype=np.float32)), nn.Parameter(tg.zeros(1, dtype=np.float64))
    c32.grad, c64.grad = tg.tensor([3.0], dtype=np.float32), tg.tensor([4.0], dtype=np.float64)
    total = nn.utils.clip_grad_norm_([c32, c64], 1.0)  # the norm in the gradients' promoted dtype,
    assert total.dtype == np.float64 and c32.grad.dtype == np.float32  # each gradient in its own
    np.testing.assert_allclose(c32.grad.data, [3.0 / (5.0 + 1e-6)], rtol=1e-6)


def test_clip_grad_norm_without_underscore_is_deprecated_as_in_pytorch():
    a = nn.Parameter(tg.zeros(2, dtype=np.float64))
    a.grad = tg.tensor([3.0, 4.0], dtype=np.float64)
    with pytest.warns(FutureWarning, match="clip_grad_norm_") as caught:
        total = nn.utils.clip_grad_norm(a, max_norm=1.0)
    assert caught[0].filename == __file__  # points at the caller
    assert total.item() == 5.0  # then it does what clip_grad_norm_ does
    np.testing.assert_allclose(a.grad.data, [3.0 / (5.0 + 1e-6), 4.0 / (5.0 + 1e-6)])


def test_clip_grad_norm_warning_class_matches_torch_if_installed():
    torch = pytest.importorskip("torch")
    p = torch.nn.Parameter(torch.ones(2))
    p.grad = torch.ones(2)
    with pytest.warns(FutureWarning, match="deprecated"):
        torch.nn.utils.clip_grad_norm(p, 1.0)


def test_parameters_to_vector_and_back():
    model = nn.Sequential(nn.Linear(3, 2), nn.ReLU(), nn.Linear(2, 1))
    params = list(model.parameters())
    vec = nn.utils.parameters_to_vector(model.parameters())
    assert vec.shape == (sum(p.numel() for p in params),)
    np.testing.assert_array_equal(vec.data, np.concatenate([p.data.ravel() for p in params]))
    new = tg.arange(float(vec.numel())) * 0.5
    shapes = [p.shape for p in params]
    nn.utils.vector_to_parameters(new, model.parameters())
    assert [p.shape for p in model.parameters()] == shapes
    assert all(p is q for p, q in zip(model.parameters(), params))  # the same Parameters, new values
    np.testing.assert_array_equal(nn.utils.parameters_to_vector(model.parameters()).data, new.data)
    new.data[0] = -7.0  # as in PyTorch the parameters now share vec's memory
    assert params[0].data[0, 0] == -7.0


def test_parameters_to_vector_carries_gradients_and_checks_its_input():
    a, b = nn.Parameter(tg.tensor([1.0, 2.0])), nn.Parameter(tg.tensor([[3.0], [4.0]]))
    (nn.utils.parameters_to_vector([a, b]) ** 2).sum().backward()
    assert a.grad.tolist() == [2.0, 4.0] and b.grad.tolist() == [[6.0], [8.0]]
    with pytest.raises(TypeError, match="expected Tensor, but got: list"):
        nn.utils.vector_to_parameters([0.0, 0.0, 0.0], [a, b])
    with pytest.raises(RuntimeError, match="invalid for input of size 1"):
        nn.utils.vector_to_parameters(tg.zeros(3), [a, b])  # b's piece is 1 element short
    assert a.tolist() == [1.0, 2.0]  # checked before anything changed


def test_module_list_repr_folds_runs_of_equal_modules_as_pytorch():
    layers = nn.ModuleList([nn.Linear(2, 2) for _ in range(3)] + [nn.ReLU(), nn.ReLU(), nn.Linear(2, 3)])
    assert repr(layers) == (
        "ModuleList(\n"
        "  (0-2): 3 x Linear(in_features=2, out_features=2, bias=True)\n"
        "  (3-4): 2 x ReLU()\n"
        "  (5): Linear(in_features=2, out_features=3, bias=True)\n"
        ")"
    )
    assert repr(nn.ModuleList()) == "ModuleList()"


def test_repr_nested_and_extra():
    model = nn.Sequential(nn.Sequential(nn.Dropout(0.1)), nn.Softmax(dim=1), nn.Linear(2, 2, bias=False))
    assert repr(model) == (
        "Sequential(\n"
        "  (0): Sequential(\n"
        "    (0): Dropout(p=0.1, inplace=False)\n"
        "  )\n"
        "  (1): Softmax(dim=1)\n"
        "  (2): Linear(in_features=2, out_features=2, bias=False)\n"
        ")"
    )
    assert repr(nn.LeakyReLU()) == "LeakyReLU(negative_slope=0.01)"
    assert repr(nn.GELU()) == "GELU(approximate='none')"
    assert repr(nn.Softplus()) == "Softplus(beta=1.0, threshold=20.0)"
    assert repr(nn.Softplus(2, 10)) == "Softplus(beta=2, threshold=10)"
    assert repr(nn.Flatten()) == "Flatten(start_dim=1, end_dim=-1)"


def test_train_eval_recurse():
    block = Block()
    assert all(m.training for m in block.modules())
    assert block.eval() is block
    assert not any(m.training for m in block.modules())
    block.train()
    assert all(m.training for m in block.modules())
    with pytest.raises(ValueError):
        block.train("yes")


def test_apply_visits_children_first():
    seen = []
    mlp().apply(lambda m: seen.append(type(m).__name__))
    assert seen == ["Linear", "ReLU", "Linear", "Sequential"]


def test_zero_grad():
    model = mlp()
    model(tg.randn(2, 64)).sum().backward()
    held = [p.grad for p in model.parameters()]
    model.zero_grad(set_to_none=False)  # in place, as PyTorch: a held gradient sees the zeros
    assert all(p.grad is g and not g.data.any() for p, g in zip(model.parameters(), held))
    model.zero_grad()
    assert all(p.grad is None for p in model.parameters())


# ---------------------------------------------------------------- Sequential


def test_sequential_indexing():
    model = mlp()
    assert len(model) == 3 and isinstance(model[-1], nn.Linear) and model[-1] is model[2]
    head = model[1:]
    assert isinstance(head, nn.Sequential) and list(head._modules) == ["1", "2"]
    assert [type(m).__name__ for m in model] == ["Linear", "ReLU", "Linear"]
    with pytest.raises(IndexError):
        model[3]
    model.append(nn.Sigmoid())
    assert list(model._modules) == ["0", "1", "2", "3"]
    del model[1]
    assert list(model._modules) == ["0", "1", "2"] and isinstance(model[1], nn.Linear)


def test_sequential_insert_extend_and_pop_as_pytorch():
    first, relu, last, tanh = nn.Linear(1, 2), nn.ReLU(), nn.Linear(2, 3), nn.Tanh()
    model = nn.Sequential(first, relu, last)
    assert model.insert(1, tanh) is model and list(model) == [first, tanh, relu, last]
    assert model.pop(0) is first and list(model._modules) == ["0", "1", "2"]
    model.extend([nn.Sigmoid()]).insert(-1, nn.Identity())
    assert [type(m).__name__ for m in model] == ["Tanh", "ReLU", "Linear", "Identity", "Sigmoid"]
    assert list(model.state_dict()) == ["2.weight", "2.bias"]  # renumbered, as PyTorch does
    with pytest.raises(IndexError, match="out of range"):
        model.insert(9, nn.ReLU())
    with pytest.raises(AssertionError, match="Module"):
        model.insert(0, "relu")
    assert len(model) == 5


def test_sequential_ordered_dict_and_module_list():
    model = nn.Sequential(OrderedDict([("fc", nn.Linear(2, 3)), ("act", nn.ReLU())]))
    assert list(model.state_dict()) == ["fc.weight", "fc.bias"]
    layers = nn.ModuleList([nn.Linear(2, 2), nn.Linear(2, 2)])
    assert len(layers) == 2 and [n for n, _ in layers.named_parameters()][2] == "1.weight"


def test_module_list_is_a_list_as_pytorchs():
    a, b, c, d = nn.Linear(1, 1), nn.ReLU(), nn.Linear(1, 2), nn.Tanh()
    layers = nn.ModuleList([a, b, c])
    assert layers.insert(0, d) is layers and list(layers) == [d, a, b, c]
    assert layers.pop(-1) is c and list(layers) == [d, a, b]
    del layers[0]
    assert list(layers) == [a, b] and list(layers.state_dict()) == ["0.weight", "0.bias"]
    layers += [c]
    assert list(layers.state_dict()) == ["0.weight", "0.bias", "2.weight", "2.bias"]
    both = layers + nn.ModuleList([d])
    assert type(both) is nn.ModuleList and list(both) == [a, b, c, d] and list(layers) == [a, b, c]
    assert type(layers[1:]) is nn.ModuleList and list(layers[1:]) == [b, c]


def test_sequentials_add_up_to_a_new_sequential():
    first, second = nn.Sequential(nn.Linear(2, 3)), nn.Sequential(nn.ReLU(), nn.Linear(3, 1))
    model = first + second
    assert type(model) is nn.Sequential and len(model) == 3 and len(first) == 1
    assert model(tg.ones(4, 2)).shape == (4, 1)
    first += second
    assert len(first) == 3 and first[2] is second[1]
    with pytest.raises(ValueError, match="only objects of Sequential"):
        first + [nn.ReLU()]


# ---------------------------------------------------------------- ModuleDict


def test_module_dict_registers_in_insertion_order():
    enc, act, dec = nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2)
    layers = nn.ModuleDict({"enc": enc, "act": act})
    layers["dec"] = dec
    assert list(layers) == ["enc", "act", "dec"] and list(layers.keys()) == ["enc", "act", "dec"]
    assert list(layers.values()) == [enc, act, dec] and list(layers.items())[2] == ("dec", dec)
    assert len(layers) == 3 and "act" in layers and "nope" not in layers and layers["enc"] is enc
    assert list(layers.state_dict()) == ["enc.weight", "enc.bias", "dec.weight", "dec.bias"]
    assert [n for n, _ in layers.named_modules()] == ["", "enc", "act", "dec"]
    assert [id(p) for p in layers.parameters()] == [
        id(p) for p in (enc.weight, enc.bias, dec.weight, dec.bias)
    ]
    layers["enc"] = nn.Linear(4, 3)  # replacing keeps the key's place
    assert list(layers) == ["enc", "act", "dec"] and layers["enc"] is not enc
    pairs = nn.ModuleDict([("b", nn.Tanh()), ("a", nn.Sigmoid())])  # pairs keep their order, not sorted
    assert list(pairs) == ["b", "a"]


def test_module_dict_update_pop_del_and_clear():
    relu, tanh, sig, lin = nn.ReLU(), nn.Tanh(), nn.Sigmoid(), nn.Linear(1, 1)
    layers = nn.ModuleDict({"a": relu, "b": tanh})
    layers.update({"c": sig, "a": lin})  # "a" replaced in place, "c" appended
    assert list(layers.items()) == [("a", lin), ("b", tanh), ("c", sig)]
    layers.update(nn.ModuleDict({"d": relu}))
    layers.update([["e", tanh]])
    assert list(layers) == ["a", "b", "c", "d", "e"]
    assert layers.pop("b") is tanh and list(layers) == ["a", "c", "d", "e"]
    del layers["a"]
    assert list(layers) == ["c", "d", "e"] and list(layers.state_dict()) == []
    layers.clear()
    assert len(layers) == 0 and list(layers.parameters()) == [] and repr(layers) == "ModuleDict()"


@pytest.mark.parametrize(
    "act, error",
    [
        (lambda d: d["missing"], KeyError),
        (lambda d: d.pop("missing"), KeyError),
        (lambda d: d.__delitem__("missing"), KeyError),
        (lambda d: d.__setitem__("x", "relu"), TypeError),  # not a Module
        (lambda d: d.__setitem__("a.b", nn.ReLU()), KeyError),  # names hold no "."
        (lambda d: d.__setitem__("keys", nn.ReLU()), KeyError),  # would hide the method
        (lambda d: d.__setitem__(3, nn.ReLU()), TypeError),
        (lambda d: d.update(5), TypeError),
        (lambda d: d.update([5]), TypeError),
        (lambda d: d.update([("x", nn.ReLU(), nn.Tanh())]), ValueError),
        (lambda d: d(tg.ones(1)), NotImplementedError),  # a dict has no forward
    ],
)
def test_module_dict_errors_as_pytorch(act, error):
    layers = nn.ModuleDict({"relu": nn.ReLU()})
    with pytest.raises(error):
        act(layers)
    assert list(layers) == ["relu"]


def test_forward_hooks_see_and_may_replace_inputs_and_outputs():
    model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
    seen = {}
    handle = model[1].register_forward_hook(lambda m, args, out: seen.update(relu=(m, args, out)))
    x = tg.randn(5, 3)
    y = model(x)
    module, args, out = seen["relu"]
    assert module is model[1] and len(args) == 1 and args[0].shape == (5, 4)
    np.testing.assert_array_equal(out.data, np.maximum(args[0].data, 0))
    handle.remove()
    seen.clear()
    model(x)
    assert seen == {}
    # a pre-hook may replace the input (a non-tuple is wrapped), a forward hook the output
    model[2].register_forward_pre_hook(lambda m, args: args[0] * 0.0)
    model.register_forward_hook(lambda m, args, out: out + 1.0)
    np.testing.assert_allclose(model(x).data, np.broadcast_to(model[2].bias.data + 1.0, (5, 2)))
    assert not np.allclose(model(x).data, y.data)


def test_forward_hook_order_kwargs_and_handles_as_context_managers():
    calls = []
    layer = nn.Identity()
    layer.register_forward_hook(lambda m, a, o: calls.append("second"))
    layer.register_forward_hook(lambda m, a, o: calls.append("first"), prepend=True)

    def pre(module, args, kwargs):
        calls.append(f"pre {sorted(kwargs)}")
        return args, kwargs

    with layer.register_forward_pre_hook(pre, with_kwargs=True):
        layer(tg.ones(1))
    layer(tg.ones(1))  # the pre-hook is gone after its with block
    assert calls == ["pre []", "first", "second", "first", "second"]
    layer.register_forward_pre_hook(lambda m, a, k: "not a pair", with_kwargs=True)
    with pytest.raises(RuntimeError, match="new_args, new_kwargs"):
        layer(tg.ones(1))


def test_a_hook_may_remove_itself_while_hooks_run():
    layer, calls = nn.Identity(), []

    def once(module, args, output):
        calls.append("once")
        handle.remove()

    handle = layer.register_forward_hook(once)
    layer.register_forward_hook(lambda m, a, o: calls.append("always"))
    layer(tg.ones(1))
    layer(tg.ones(1))
    assert calls == ["once", "always", "always"]


# ---------------------------------------------------------------- Linear


def test_linear_init_bounds_shapes_and_dtype():
    layer = nn.Linear(100, 50)
    assert layer.weight.shape == (50, 100) and layer.bias.shape == (50,)
    assert layer.weight.dtype == np.float32
    bound = 1 / np.sqrt(100)
    assert np.abs(layer.weight.data).max() <= bound and np.abs(layer.bias.data).max() <= bound
    # a uniform sample of 5000 values fills most of the interval
    assert np.abs(layer.weight.data).max() > 0.95 * bound
    assert abs(layer.weight.data.std() - bound / np.sqrt(3)) < 0.005


def test_linear_init_reproducible_with_manual_seed():
    tg.manual_seed(7)
    a = nn.Linear(5, 3)
    tg.manual_seed(7)
    b = nn.Linear(5, 3)
    c = nn.Linear(5, 3)
    np.testing.assert_array_equal(a.weight.data, b.weight.data)
    assert not np.array_equal(b.weight.data, c.weight.data)


def test_linear_forward_value_and_shape_error():
    layer = nn.Linear(3, 2)
    x = np.arange(6.0, dtype=np.float32).reshape(2, 3)
    expected = x @ layer.weight.data.T + layer.bias.data
    np.testing.assert_allclose(layer(tg.tensor(x)).data, expected, rtol=1e-6)
    with pytest.raises(RuntimeError, match="in_features=3"):
        layer(tg.randn(2, 4))


def test_functional_linear_is_one_node_and_names_bad_shapes():
    x, w, b = tg.randn(5, 3, requires_grad=True), tg.randn(2, 3, requires_grad=True), tg.randn(2)
    y = F.linear(x, w, b)
    assert y.grad_fn.name() == "LinearBackward" and y.shape == (5, 2)
    with pytest.raises(RuntimeError, match=r"\(5, 3\).*\(3, 2\)"):
        F.linear(x, w.T)
    with pytest.raises(RuntimeError, match=r"bias of shape \(3,\).*\(2, 3\)"):
        F.linear(x, w, tg.randn(3))
    with pytest.raises(RuntimeError, match=r"bias of dtype float64.*weight of dtype float32"):
        F.linear(x, w, b.double())  # as in PyTorch, not silently float32 or float64
    # PyTorch promotes no input to the weight's dtype: a float64 or integer batch is an error
    with pytest.raises(RuntimeError, match=r"input of dtype float64.*weight of dtype float32"):
        F.linear(x.double(), w, b)
    with pytest.raises(RuntimeError, match=r"input of dtype int64.*weight of dtype float32"):
        nn.Linear(3, 2)(tg.tensor([[1, 2, 3]]))


def test_module_to_casts_float_parameters_in_place():
    model = nn.Sequential(nn.Linear(3, 2), nn.Tanh(), nn.Linear(2, 1))
    weight = model[0].weight
    opt = tg.optim.SGD(model.parameters(), lr=0.1)
    model(tg.ones(1, 3)).sum().backward()
    assert model.to("cpu", non_blocking=True) is model and model.cpu() is model and model.double() is model
    assert weight is model[0].weight and weight.dtype == np.float64 and weight.grad.dtype == np.float64
    assert model(tg.ones(4, 3, dtype=np.float64)).dtype == np.float64
    opt.step()  # the optimizer made before the cast still updates the same parameters
    assert all(p.dtype == np.float64 for p in model.parameters())
    before = {k: v.copy() for k, v in model.state_dict().items()}
    with pytest.raises(TypeError, match="floating point dtypes, but got desired dtype=int64"):
        model.to(np.int64)
    with pytest.raises(RuntimeError, match="device 'cuda'"):
        model.to("cuda", np.float32)
    assert all(np.array_equal(before[k], v) and v.dtype == np.float64 for k, v in model.state_dict().items())
    assert model.float()[2].bias.dtype == np.float32 and model.to(dtype="float64")[2].bias.dtype == np.float64


def test_linear_float64_gradcheck(float64):
    layer = nn.Linear(3, 2)
    assert layer.weight.dtype == np.float64
    x = tg.randn(4, 3, requires_grad=True)
    assert gradcheck(lambda x, w, b: F.linear(x, w, b), [x, layer.weight, layer.bias])
    assert gradcheck(lambda x: layer(x), [x])


# ---------------------------------------------------------------- activations and other layers


@pytest.mark.parametrize(
    "make",
    [
        nn.ReLU,
        nn.Sigmoid,
        nn.Tanh,
        lambda: nn.LeakyReLU(0.2),
        nn.GELU,
        lambda: nn.GELU("tanh"),
        nn.Softplus,
        lambda: nn.Softplus(beta=2, threshold=1.5),
        lambda: nn.Softmax(dim=1),
        lambda: nn.LogSoftmax(dim=0),
        nn.Flatten,
        lambda: nn.Unflatten(-1, (3, 1)),
        nn.Identity,
    ],
)
def test_activation_gradcheck(make, float64):
    x = tg.tensor(np.array([[0.3, -1.2, 2.0], [-0.7, 0.5, 1.1]]), requires_grad=True)
    layer = make()
    assert gradcheck(lambda x: layer(x), [x])


def test_activation_values():
    x = np.array([[-2.0, 0.5, 3.0]])
    t = tg.tensor(x)
    np.testing.assert_allclose(nn.LeakyReLU(0.1)(t).data, np.where(x > 0, x, 0.1 * x))
    np.testing.assert_allclose(
        nn.Softplus(2.0, 5.0)(t).data, np.where(2 * x > 5, x, np.log1p(np.exp(2 * x)) / 2)
    )
    e = np.exp(x - x.max(1, keepdims=True))
    np.testing.assert_allclose(nn.Softmax(1)(t).data, e / e.sum(1, keepdims=True))
    np.testing.assert_allclose(nn.LogSoftmax(1)(t).data, np.log(e / e.sum(1, keepdims=True)))
    assert nn.Flatten()(tg.zeros(2, 3, 4)).shape == (2, 12)


@pytest.mark.parametrize(
    "dim, sizes, shape",
    [
        (1, (3, 4), (2, 3, 4, 5)),
        (1, (-1, 2), (2, 6, 2, 5)),
        (-2, [2, 2, 3], (2, 2, 2, 3, 5)),
        (-1, (5, 1), (2, 12, 5, 1)),
        (0, (1, 2, -1), (1, 2, 1, 12, 5)),
    ],
)
def test_unflatten_shapes(dim, sizes, shape):
    x = np.arange(120.0).reshape(2, 12, 5)
    y = nn.Unflatten(dim, sizes)(tg.tensor(x))
    assert y.shape == shape
    np.testing.assert_array_equal(y.data, x.reshape(shape))  # the elements keep their order


def test_unflatten_undoes_flatten_and_passes_gradients():
    model = nn.Sequential(nn.Linear(4, 6), nn.Unflatten(1, (2, 3)), nn.Flatten(), nn.Linear(6, 1))
    x = tg.randn(5, 4)
    assert model[1](model[0](x)).shape == (5, 2, 3)
    model(x).sum().backward()
    assert model[0].weight.grad.shape == (6, 4) and model[0].weight.grad.data.any()
    np.testing.assert_allclose(model[0].bias.grad.data, 5 * model[3].weight.data[0], rtol=1e-5)


@pytest.mark.parametrize(
    "dim, sizes, error",
    [
        (1, 6, TypeError),
        (1, (2.0, 3), TypeError),
        (1.0, (2, 3), TypeError),
        (1, (), RuntimeError),
        (1, (-1, -1), RuntimeError),
        (1, (-2, -3), RuntimeError),
    ],
)
def test_unflatten_checks_its_arguments_when_built(dim, sizes, error):
    with pytest.raises(error):
        nn.Unflatten(dim, sizes)


@pytest.mark.parametrize(
    "dim, sizes, error, message",
    [
        (1, (4, -1), RuntimeError, r"sizes \[4, -1\] don't multiply up to the size of dim 1 \(6\)"),
        (-1, (2, 2), RuntimeError, r"sizes \[2, 2\] don't multiply up to the size of dim 1 \(6\)"),
        (2, (6,), IndexError, "Dimension out of range"),
    ],
)
def test_unflatten_sizes_must_fit_the_input(dim, sizes, error, message):
    with pytest.raises(error, match=message):
        nn.Unflatten(dim, sizes)(tg.ones(2, 6))


def test_functional_softplus():
    out = F.softplus(tg.tensor([1.0, 30.0]), beta=2.0, threshold=10.0)  # linear past the threshold
    np.testing.assert_allclose(out.data, [np.log1p(np.exp(2.0)) / 2.0, 30.0], rtol=1e-6)


def test_softmax_without_dim_guesses_as_pytorch_and_warns():
    t = tg.tensor([[-2.0, 0.5, 3.0]])
    for call in (lambda: F.softmax(t), lambda: nn.Softmax()(t), lambda: F.log_softmax(t).exp()):
        with pytest.warns(UserWarning, match="Implicit dimension choice") as caught:
            out = call()
        assert caught[0].filename == __file__  # the warning points at the caller's line
        np.testing.assert_allclose(out.data.sum(1), [1.0], rtol=1e-6)  # dim 1 for a 2-d input


def test_one_hot_as_pytorchs():
    rows = F.one_hot(tg.tensor([0, 2, 1]), 4)
    assert rows.dtype == np.int64 and rows.tolist() == [[1, 0, 0, 0], [0, 0, 1, 0], [0, 1, 0, 0]]
    assert F.one_hot(tg.tensor([[0], [2]])).shape == (2, 1, 3)  # num_classes from the largest
    assert F.one_hot(tg.tensor(np.zeros(0, dtype=np.int64)), 3).shape == (0, 3)
    for bad, message in [
        (tg.tensor([0, 5]), "smaller than num_classes"),
        (tg.tensor([-1]), "non-negative"),
        (tg.tensor([1.0]), "LongTensor"),
    ]:
        with pytest.raises(RuntimeError, match=message):
            F.one_hot(bad, 3)


def test_dropout_train_and_eval():
    x = tg.ones(200, 100)
    layer = nn.Dropout(0.25)
    y = layer(x).data
    kept = y != 0
    np.testing.assert_allclose(y[kept], 1 / 0.75, rtol=1e-6)  # inverted dropout scaling
    assert abs(kept.mean() - 0.75) < 0.01
    layer.eval()
    assert layer(x) is x
    assert not nn.Dropout(1.0)(x).data.any()
    for p in (-0.1, 1.5):
        with pytest.raises(ValueError):
            nn.Dropout(p)


def test_dropout_gradient_follows_mask():
    x = tg.ones(10, 10, requires_grad=True)
    y = F.dropout(x, 0.5, training=True)
    y.sum().backward()
    np.testing.assert_allclose(x.grad.data, y.data)


def test_dropout_reproducible():
    tg.manual_seed(3)
    a = F.dropout(tg.ones(50), 0.5).data
    tg.manual_seed(3)
    b = F.dropout(tg.ones(50), 0.5).data
    np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize(
    "cls, kwargs", [(nn.ReLU, {}), (nn.LeakyReLU, {"negative_slope": 0.1}), (nn.Dropout, {})]
)
def test_inplace_layers_overwrite_their_input_and_keep_gradients_right(cls, kwargs):
    x0 = np.linspace(-1.0, 1.0, 12).reshape(3, 4)  # no zeros, where these maps have kinks
    tg.manual_seed(5)
    want = cls(**kwargs)(tg.tensor(2 * x0)).data
    x = tg.tensor(x0, requires_grad=True)
    h = x * 2
    tg.manual_seed(5)  # the same dropout mask
    assert cls(**kwargs, inplace=True)(h) is h
    np.testing.assert_allclose(h.data, want)
    (h * h).sum().backward()
    # d/dx sum f(2x)^2 = 4 f(2x) f'(2x), and f'(z) = f(z) / z for these piecewise-linear maps
    np.testing.assert_allclose(x.grad.data, 4 * want * want / (2 * x0), rtol=1e-6)


def test_inplace_activation_refuses_a_leaf_and_a_saved_value():
    leaf = tg.randn(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf Variable"):
        nn.ReLU(inplace=True)(leaf)
    h = leaf * 2
    saved = h * h  # Mul saves h
    F.relu(h, inplace=True)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        saved.sum().backward()
    assert repr(nn.ReLU(inplace=True)) == "ReLU(inplace=True)"
    assert repr(nn.LeakyReLU(0.2, inplace=True)) == "LeakyReLU(negative_slope=0.2, inplace=True)"
    assert repr(nn.Dropout(0.2, inplace=True)) == "Dropout(p=0.2, inplace=True)"


# ---------------------------------------------------------------- scope and init


def test_graph_nodes_record_their_module():
    model = mlp()
    y = model(tg.randn(2, 64))
    assert y.grad_fn.scope is model[2]
    # walk the graph back to the first Linear's nodes
    scopes, stack, seen = set(), [y.grad_fn], set()
    while stack:
        node = stack.pop()
        if id(node) in seen or not hasattr(node, "parents"):
            continue
        seen.add(id(node))
        scopes.add(id(node.scope))
        stack.extend(p for p in node.parents if p is not None)
    assert {id(model[0]), id(model[1]), id(model[2])} <= scopes
    from tinygrad_edu.autograd.grad_mode import _state

    assert _state.scope is None  # restored after the call
    assert (tg.randn(2, requires_grad=True) * 2).grad_fn.scope is None


def test_scope_restored_after_exception():
    from tinygrad_edu.autograd.grad_mode import _state

    with pytest.raises(RuntimeError):
        nn.Linear(3, 2)(tg.randn(1, 5))
    assert _state.scope is None


def test_init_functions():
    w = tg.zeros(30, 20)
    version = w._version
    assert nn.init.uniform_(w, -2, 3) is w and w._version == version + 1
    assert w.data.min() >= -2 and w.data.max() <= 3
    nn.init.constant_(w, 0.5)
    assert np.all(w.data == 0.5)
    nn.init.ones_(w)
    assert np.all(w.data == 1)
    nn.init.zeros_(w)
    assert not w.data.any()
    big = tg.zeros(400, 300)
    nn.init.normal_(big, 1.0, 2.0)
    assert abs(big.data.mean() - 1.0) < 0.05 and abs(big.data.std() - 2.0) < 0.05
    nn.init.xavier_uniform_(big)
    assert np.abs(big.data).max() <= np.sqrt(6 / 700)
    nn.init.xavier_normal_(big, gain=2.0)
    assert abs(big.data.std() - 2.0 * np.sqrt(2 / 700)) < 0.003
    nn.init.kaiming_normal_(big, nonlinearity="relu")
    assert abs(big.data.std() - np.sqrt(2 / 300)) < 0.003
    nn.init.kaiming_uniform_(big, mode="fan_out", nonlinearity="relu")
    assert np.abs(big.data).max() <= np.sqrt(6 / 400)


def test_init_gains_and_errors():
    assert nn.init.calculate_gain("relu") == pytest.approx(np.sqrt(2))
    assert nn.init.calculate_gain("tanh") == pytest.approx(5 / 3)
    assert nn.init.calculate_gain("leaky_relu", 0.2) == pytest.approx(np.sqrt(2 / 1.04))
    with pytest.raises(ValueError):
        nn.init.calculate_gain("swish")
    with pytest.raises(ValueError):
        nn.init.xavier_uniform_(tg.zeros(3))
    with pytest.raises(ValueError):
        nn.init.kaiming_uniform_(tg.zeros(3, 3), mode="fan_middle")


RANDOM_INITS = [
    ("uniform_", {"a": -1.0, "b": 2.0}),
    ("normal_", {"mean": 1.0, "std": 0.5}),
    ("trunc_normal_", {"std": 0.5}),
    ("orthogonal_", {"gain": 2.0}),
    ("xavier_uniform_", {}),
    ("xavier_normal_", {}),
    ("kaiming_uniform_", {"a": 5**0.5}),
    ("kaiming_normal_", {"mode": "fan_out"}),
]


@pytest.mark.parametrize("name, kwargs", RANDOM_INITS, ids=[name for name, _ in RANDOM_INITS])
def test_init_draws_from_the_generator_it_is_given(name, kwargs):
    init = getattr(nn.init, name)
    tg.manual_seed(0)
    untouched = tg.rand(3).tolist()
    g = tg.Generator().manual_seed(7)
    tg.manual_seed(0)
    first = init(tg.zeros(4, 6), **kwargs, generator=g).data.copy()
    assert tg.rand(3).tolist() == untouched  # the global generator was not used
    tg.manual_seed(1)
    again = init(tg.zeros(4, 6), **kwargs, generator=g.manual_seed(7)).data
    np.testing.assert_array_equal(first, again)  # g alone decides the values
    tg.manual_seed(8)  # (seeded 7, the global stream would be g's)
    assert not np.array_equal(first, init(tg.zeros(4, 6), **kwargs).data)  # default: the global one
    with pytest.raises(TypeError, match="generator must be a tg.Generator"):
        init(tg.zeros(4, 6), **kwargs, generator=np.random.RandomState(0))


def test_init_generator_is_pytorchs_last_argument():
    torch = pytest.importorskip("torch")
    import inspect

    for name, _ in RANDOM_INITS:
        ours = list(inspect.signature(getattr(nn.init, name)).parameters.items())
        theirs = list(inspect.signature(getattr(torch.nn.init, name)).parameters.items())
        assert [(k, p.kind, p.default) for k, p in ours] == [(k, p.kind, p.default) for k, p in theirs]


def test_init_is_not_recorded():
    p = nn.Parameter(tg.zeros(3, 3))
    nn.init.normal_(p)
    assert p.is_leaf and p.grad_fn is None


def test_erfinv_inverts_erf():
    from tinygrad_edu.ops.special import erf, erfinv

    x = np.concatenate([np.linspace(-3.5, 3.5, 2001), [1e-9, -3e-12]])  # beyond, y rounds too coarsely
    np.testing.assert_allclose(erfinv(erf(x)), x, rtol=1e-9, atol=1e-15)
    y = np.linspace(-0.999, 0.999, 2001)
    np.testing.assert_allclose(erf(erfinv(y)), y, rtol=1e-14, atol=1e-15)
    assert erfinv(np.array([-1.0, 1.0])).tolist() == [-np.inf, np.inf]


def _truncated_normal_moments(mean: float, std: float, a: float, b: float) -> tuple[float, float]:
    """The mean and std of N(mean, std^2) restricted to [a, b], from the textbook formulas."""
    alpha, beta = (a - mean) / std, (b - mean) / std
    pdf = [np.exp(-z * z / 2) / np.sqrt(2 * np.pi) for z in (alpha, beta)]
    mass = 0.5 * (math.erf(beta / np.sqrt(2)) - math.erf(alpha / np.sqrt(2)))
    shift = (pdf[0] - pdf[1]) / mass
    variance = 1 + (alpha * pdf[0] - beta * pdf[1]) / mass - shift**2
    return mean + std * shift, std * np.sqrt(variance)


@pytest.mark.parametrize(
    "mean, std, a, b", [(0.0, 1.0, -2.0, 2.0), (1.0, 2.0, 0.0, 3.0), (-1.0, 0.5, -1.2, 5.0)]
)
def test_trunc_normal_bounds_and_moments(mean, std, a, b):
    w = tg.zeros(500, 400)
    version = w._version
    assert nn.init.trunc_normal_(w, mean=mean, std=std, a=a, b=b) is w and w._version == version + 1
    assert a <= w.data.min() and w.data.max() <= b
    expected_mean, expected_std = _truncated_normal_moments(mean, std, a, b)
    assert abs(w.data.mean() - expected_mean) < 0.005 and abs(w.data.std() - expected_std) < 0.005
    assert len(np.unique(w.data)) > 0.9 * w.numel()  # draws, not a few repeated values


def test_trunc_normal_reproducible_and_errors():
    tg.manual_seed(3)
    first = nn.init.trunc_normal_(tg.zeros(4, 5), std=0.02).data.copy()
    tg.manual_seed(3)
    again = nn.init.trunc_normal_(tg.zeros(4, 5), std=0.02).data
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first, nn.init.trunc_normal_(tg.zeros(4, 5), std=0.02).data)
    with pytest.raises(RuntimeError):
        nn.init.trunc_normal_(tg.zeros(3), a=1.0, b=-1.0)
    with pytest.warns(UserWarning, match="more than 2 std"):
        w = nn.init.trunc_normal_(tg.zeros(1000), mean=0.0, std=1.0, a=2.5, b=3.5)
    assert 2.5 <= w.data.min() and w.data.max() <= 3.5


@pytest.mark.parametrize("shape", [(3, 7), (7, 3), (5, 5), (4, 2, 3)])
def test_orthogonal_rows_or_columns_are_orthonormal(shape):
    w = nn.init.orthogonal_(tg.zeros(*shape, dtype=np.float64), gain=1.5)
    m = w.data.reshape(shape[0], -1)  # dims after the first are flattened, as in PyTorch
    gram = m @ m.T if m.shape[0] <= m.shape[1] else m.T @ m
    np.testing.assert_allclose(gram, 1.5**2 * np.eye(len(gram)), atol=1e-12)


def test_orthogonal_is_uniform_over_signs():
    # QR alone fixes each column's sign by its own convention (LAPACK's makes W[0, 0] < 0 every
    # time); the sign fix leaves W uniformly distributed, so W[0, 0] is positive half the time
    tg.manual_seed(0)
    for shape in [(3, 3), (2, 4), (4, 2)]:
        corners = [nn.init.orthogonal_(tg.zeros(shape)).data[0, 0] for _ in range(400)]
        assert 0.4 < np.mean(np.array(corners) > 0) < 0.6


def test_orthogonal_reproducible_and_errors():
    tg.manual_seed(5)
    first = nn.init.orthogonal_(tg.zeros(4, 6)).data.copy()
    tg.manual_seed(5)
    np.testing.assert_array_equal(first, nn.init.orthogonal_(tg.zeros(4, 6)).data)
    with pytest.raises(ValueError, match="2 or more dimensions"):
        nn.init.orthogonal_(tg.zeros(5))
    assert nn.init.orthogonal_(tg.zeros(0, 3)).shape == (0, 3)  # nothing to fill


@pytest.mark.parametrize("shape", [(3, 5), (5, 3), (0, 2)])
def test_eye_fills_the_identity(shape):
    w = nn.Parameter(tg.full(shape, 7.0))
    version = w._version
    assert nn.init.eye_(w) is w and w._version == version + 1 and w.is_leaf and w.requires_grad
    np.testing.assert_array_equal(w.data, np.eye(*shape))
    layer = nn.Linear(3, 5, bias=False)
    nn.init.eye_(layer.weight)  # a Linear that passes its inputs on, padded with zeros
    assert layer(tg.tensor([[1.0, 2.0, 3.0]])).tolist() == [[1.0, 2.0, 3.0, 0.0, 0.0]]
    assert nn.init.eye_(tg.zeros(2, 2, dtype=tg.int64)).tolist() == [[1, 0], [0, 1]]  # any dtype


@pytest.mark.parametrize("lib_name", ["tinygrad_edu", "torch"])
def test_init_errors_for_the_wrong_ndim_or_dtype_as_torch(lib_name):
    lib = pytest.importorskip(lib_name)
    for shape in ((3,), (2, 2, 2), ()):
        with pytest.raises(ValueError, match="Only tensors with 2 dimensions are supported"):
            lib.nn.init.eye_(lib.zeros(shape))
    with pytest.raises(ValueError, match="Only tensors with 2 or more dimensions are supported"):
        lib.nn.init.orthogonal_(lib.zeros(3))
    assert lib.nn.init.trunc_normal_(lib.zeros(())).shape == ()  # any ndim
    for init in (lib.nn.init.orthogonal_, lib.nn.init.trunc_normal_):
        with pytest.raises(NotImplementedError):
            init(lib.zeros(3, 2, dtype=lib.int64))  # the samples are floats


def test_matches_torch_if_installed():
    torch = pytest.importorskip("torch")
    model = mlp()
    reference = torch.nn.Sequential(torch.nn.Linear(64, 32), torch.nn.ReLU(), torch.nn.Linear(32, 10))
    reference.load_state_dict({k: torch.from_numpy(v) for k, v in model.state_dict().items()})
    assert repr(model) == repr(reference)
    x = np.random.default_rng(0).standard_normal((3, 64)).astype(np.float32)
    np.testing.assert_allclose(
        model(tg.tensor(x)).data, reference(torch.from_numpy(x)).detach().numpy(), rtol=1e-5, atol=1e-6
    )


def test_module_dict_and_unflatten_match_torch_if_installed():
    torch = pytest.importorskip("torch")

    def build(lib):
        return lib.nn.ModuleDict(
            {
                "enc": lib.nn.Sequential(lib.nn.Linear(6, 6), lib.nn.Unflatten(1, (2, -1))),
                "heads": lib.nn.ModuleDict([("b", lib.nn.Linear(3, 1)), ("a", lib.nn.Linear(3, 2))]),
                "act": lib.nn.ReLU(),
            }
        )

    ours, theirs = build(tg), build(torch)
    assert repr(ours) == repr(theirs)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert [n for n, _ in ours.named_modules()] == [n for n, _ in theirs.named_modules()]
    assert repr(nn.Unflatten(-1, [2, 3])) == repr(torch.nn.Unflatten(-1, [2, 3]))
    x = np.arange(24.0).reshape(2, 3, 4)
    for dim, sizes in [(1, (3, 1)), (-1, (2, -1)), (0, (-1, 1, 2))]:
        expected = torch.nn.Unflatten(dim, sizes)(torch.from_numpy(x)).numpy()
        np.testing.assert_array_equal(nn.Unflatten(dim, sizes)(tg.tensor(x)).data, expected)


def test_erfinv_and_lookup_errors_match_torch_if_installed():
    torch = pytest.importorskip("torch")
    from tinygrad_edu.ops.special import erfinv

    y = np.linspace(-1 + 1e-6, 1 - 1e-6, 10001)
    np.testing.assert_allclose(erfinv(y), torch.special.erfinv(torch.from_numpy(y)).numpy(), rtol=1e-10)
    ours = nn.Sequential(nn.Linear(2, 2, bias=False))
    theirs = torch.nn.Sequential(torch.nn.Linear(2, 2, bias=False))
    for method, target in [("get_submodule", "0.x"), ("get_parameter", "0.bias"), ("get_buffer", "0.weight")]:
        messages = []
        for model in (ours, theirs):
            with pytest.raises(AttributeError) as error:
                getattr(model, method)(target)
            messages.append(str(error.value))
        assert messages[0] == messages[1]


def _scheduler_before_optimizer() -> None:
    sgd = tg.optim.SGD([nn.Parameter(tg.ones(2))], lr=0.1)
    tg.optim.lr_scheduler.StepLR(sgd, 1).step()


def _hooked_first_layer_backward() -> None:
    layer = nn.Linear(3, 2)
    layer.register_full_backward_hook(lambda module, grad_input, grad_output: None)
    layer(tg.ones(1, 3)).sum().backward()  # its input needs no gradient: the hook warns


# calls that warn from different depths of the library, each written in this file
WARNING_CALLS = {
    "softmax deep in a Sequential": lambda: nn.Sequential(nn.Linear(2, 3), nn.Softmax())(tg.ones(1, 2)),
    "loss module with broadcast target": lambda: nn.MSELoss()(tg.ones(3, 1), tg.ones(3)),
    "loss function": lambda: F.l1_loss(tg.ones(3, 1), tg.ones(3)),
    ".grad of a non-leaf": lambda: (tg.ones(2, requires_grad=True) * 2).grad,
    "optimizer with a parameter twice": lambda: tg.optim.SGD([p := nn.Parameter(tg.ones(2)), p], lr=0.1),
    "init of an empty tensor": lambda: nn.init.kaiming_uniform_(tg.empty(0, 3)),
    "scheduler stepped first": _scheduler_before_optimizer,
    "module backward hook, in backward": _hooked_first_layer_backward,
}


@pytest.mark.parametrize("call", WARNING_CALLS.values(), ids=WARNING_CALLS.keys())
def test_warnings_point_at_the_users_line_not_inside_the_library(call):
    with pytest.warns(UserWarning) as caught:
        call()
    assert [w.filename for w in caught] == [__file__] * len(caught)


@pytest.mark.parametrize("lib_name", ["tinygrad_edu", "torch"])
def test_some_activations_refuse_integers_and_softmax_checks_a_0d_dim_as_torch(lib_name):
    lib = pytest.importorskip(lib_name)
    fn, ints = lib.nn.functional, lib.tensor([1, 2, -3])
    for call in (fn.softplus, fn.gelu, fn.leaky_relu):
        with pytest.raises(NotImplementedError):
            call(ints)  # NumPy would have given rounded integers
    assert fn.relu(ints).tolist() == [1, 2, 0] and fn.sigmoid(ints).dtype == lib.float32
    with pytest.raises(RuntimeError):
        fn.gelu(lib.ones(2), approximate="bogus")
    scalar = lib.tensor(1.0)
    for dim in (1, -2):
        with pytest.raises(IndexError, match="Dimension out of range"):
            fn.softmax(scalar, dim=dim)
        with pytest.raises(IndexError, match="Dimension out of range"):
            scalar.log_softmax(dim)
    assert fn.softmax(scalar, dim=-1).item() == 1.0 and scalar.log_softmax(0).item() == 0.0


@pytest.mark.parametrize("lib_name", ["tinygrad_edu", "torch"])
def test_negative_features_and_classless_inputs_raise_torchs_types(lib_name):
    lib = pytest.importorskip(lib_name)
    for sizes in ((-1, 2), (2, -1)):
        with pytest.raises(RuntimeError):
            lib.nn.Linear(*sizes)
    with pytest.raises(RuntimeError):
        lib.nn.functional.cross_entropy(lib.tensor(1.0), lib.tensor(0))
    with pytest.raises(ValueError):
        lib.nn.functional.nll_loss(lib.tensor(1.0), lib.tensor(0))


# ---------------------------------------------------------------- state dicts from other libraries


class ArrayLike:
    """Another library's tensor, as NumPy sees it: an object with __array__ (as torch.Tensor has)."""

    def __init__(self, values: np.ndarray) -> None:
        self.values = values

    def __array__(self, dtype=None, copy=None) -> np.ndarray:
        return self.values


class Unconvertible:
    def __array__(self, dtype=None, copy=None) -> np.ndarray:
        raise RuntimeError("Can't call numpy() on Tensor that requires grad")


def test_load_state_dict_takes_anything_with_array_interface():
    source, target = (
        nn.Sequential(nn.Linear(3, 2), nn.BatchNorm1d(2)),
        nn.Sequential(nn.Linear(3, 2), nn.BatchNorm1d(2)),
    )
    arrays = {key: value + 1 for key, value in source.state_dict().items()}
    wrapped = {key: ArrayLike(value) for key, value in arrays.items()}
    wrapped["1.num_batches_tracked"] = np.int64(7)  # a NumPy scalar, for the 0-d buffer
    weight = target[0].weight
    target.load_state_dict(wrapped)
    assert target[0].weight is weight  # copied in place
    for key, value in target.state_dict().items():
        if key != "1.num_batches_tracked":
            np.testing.assert_array_equal(value, arrays[key])
    assert int(target[1].num_batches_tracked.item()) == 7


def test_load_state_dict_names_foreign_types_and_failed_conversions():
    from types import SimpleNamespace

    layer = nn.Linear(2, 2)
    before = {k: v.copy() for k, v in layer.state_dict().items()}
    with pytest.raises(RuntimeError) as info:
        layer.load_state_dict({"weight": SimpleNamespace(), "bias": Unconvertible()})
    message = str(info.value)
    assert "value for weight is a types.SimpleNamespace, not a Tensor or a NumPy array" in message
    assert f"value for bias, a {__name__}.Unconvertible, is not convertible to an array: Can't" in message
    for key, value in layer.state_dict().items():
        np.testing.assert_array_equal(value, before[key])


def test_weights_move_from_torch_in_one_call():
    torch = pytest.importorskip("torch")
    theirs = torch.nn.Sequential(
        torch.nn.Linear(4, 3), torch.nn.BatchNorm1d(3), torch.nn.ReLU(), torch.nn.Linear(3, 2)
    )
    theirs.train()
    theirs(torch.randn(8, 4))  # running statistics that are not the initial ones
    theirs.eval()
    ours = nn.Sequential(nn.Linear(4, 3), nn.BatchNorm1d(3), nn.ReLU(), nn.Linear(3, 2)).eval()
    assert repr(ours.load_state_dict(theirs.state_dict())) == "<All keys matched successfully>"
    x = np.random.default_rng(0).standard_normal((5, 4)).astype(np.float32)
    np.testing.assert_allclose(
        ours(tg.tensor(x)).data, theirs(torch.from_numpy(x)).detach().numpy(), rtol=1e-5
    )
    with pytest.raises(RuntimeError, match="value for 0.weight, a torch.nn.parameter.Parameter, is not"):
        ours.load_state_dict(theirs.state_dict(keep_vars=True))  # Parameters that require grad


# ---------------------------------------------------------------- distance modules


def test_cosine_similarity_and_pairwise_distance_modules():
    rng = np.random.default_rng(5)
    a, b = rng.standard_normal((4, 3)), rng.standard_normal((4, 3))
    cos = nn.CosineSimilarity(dim=0, eps=1e-6)
    assert (cos.dim, cos.eps, repr(cos)) == (0, 1e-6, "CosineSimilarity()")
    expected = (a * b).sum(0) / (np.linalg.norm(a, axis=0) * np.linalg.norm(b, axis=0))
    np.testing.assert_allclose(cos(tg.tensor(a), tg.tensor(b)).data, expected, rtol=1e-12)
    assert nn.CosineSimilarity()(tg.tensor(a), tg.tensor(b)).shape == (4,)  # dim=1 by default
    dist = nn.PairwiseDistance(p=1.0, eps=0.0, keepdim=True)
    assert (dist.norm, dist.eps, dist.keepdim, repr(dist)) == (1.0, 0.0, True, "PairwiseDistance()")
    np.testing.assert_allclose(dist(tg.tensor(a), tg.tensor(b)).data, np.abs(a - b).sum(1, keepdims=True))
    default = nn.PairwiseDistance()
    assert (default.norm, default.eps, default.keepdim) == (2.0, 1e-6, False)
    np.testing.assert_allclose(
        default(tg.tensor(a), tg.tensor(b)).data, np.linalg.norm(a - b + 1e-6, axis=1), rtol=1e-12
    )


def test_distance_modules_match_torch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(6)
    a, b = rng.standard_normal((5, 3)), rng.standard_normal((5, 3))
    for make in (
        lambda lib: lib.nn.CosineSimilarity(),
        lambda lib: lib.nn.CosineSimilarity(dim=0, eps=1e-3),
        lambda lib: lib.nn.PairwiseDistance(),
        lambda lib: lib.nn.PairwiseDistance(3.0, 1e-3, True),
    ):
        ours, theirs = make(tg), make(torch)
        assert repr(ours) == repr(theirs)
        want = theirs(torch.from_numpy(a), torch.from_numpy(b)).numpy()
        np.testing.assert_allclose(ours(tg.tensor(a), tg.tensor(b)).data, want, rtol=1e-12)


LAYERS_WITH_STATE = {
    "Linear": (3, 2),
    "Bilinear": (2, 3, 2),
    "Conv1d": (2, 3, 2),
    "Conv2d": (2, 3, 2),
    "ConvTranspose1d": (2, 3, 2),
    "ConvTranspose2d": (2, 3, 2),
    "BatchNorm1d": (3,),
    "BatchNorm2d": (3,),
    "InstanceNorm1d": (3, 1e-5, 0.1, True, True),
    "InstanceNorm2d": (3, 1e-5, 0.1, True, True),
    "LayerNorm": (3,),
    "GroupNorm": (2, 4),
    "RMSNorm": (3,),
    "Embedding": (5, 3),
    "PReLU": (),
    "RNN": (2, 3),
    "LSTM": (2, 3, 1, True, False, 0.0, False, 2),
    "GRU": (2, 3),
    "RNNCell": (2, 3),
    "LSTMCell": (2, 3),
    "GRUCell": (2, 3),
    "MultiheadAttention": (4, 2),
    "TransformerEncoderLayer": (4, 2, 8),
    "TransformerDecoderLayer": (4, 2, 8),
}


@pytest.mark.parametrize("name", sorted(LAYERS_WITH_STATE))
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_layers_make_their_floating_state_in_the_default_dtype(name, dtype):
    tg.set_default_dtype(dtype)
    try:
        layer = getattr(nn, name)(*LAYERS_WITH_STATE[name])
    finally:
        tg.set_default_dtype(np.float32)
    state = {k: v for k, v in layer.state_dict().items() if v.dtype.kind == "f"}
    assert state, name  # (the table lists layers that have some)
    assert {k: v.dtype for k, v in state.items()} == dict.fromkeys(state, np.dtype(dtype))
