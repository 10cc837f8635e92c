"""Group normalization: values, gradients, parameters, errors and repr.

Forward values are checked against the formula written out in NumPy, one
group at a time, gradients against float64 finite differences, and
everything against PyTorch where it is installed. Batch norm and layer norm
are tested in test_layers.py.
"""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_edu as tg
from tinygrad_edu.nn import GroupNorm
from tinygrad_edu.nn.functional import group_norm, layer_norm
from tinygrad_edu.testing import gradcheck, gradgradcheck

RNG = np.random.default_rng(5)


def _t(array: np.ndarray, requires_grad: bool = False) -> tg.Tensor:
    return tg.tensor(np.asarray(array, dtype=np.float64), requires_grad=requires_grad)


def _group_norm_reference(x, groups, weight, bias, eps):
    """Each example's channels g C/G .. (g + 1) C/G - 1, with all their positions, normalized together."""
    out = np.empty_like(x)
    size = x.shape[1] // groups
    for n in range(x.shape[0]):
        for g in range(groups):
            block = x[n, g * size : (g + 1) * size]
            out[n, g * size : (g + 1) * size] = (block - block.mean()) / np.sqrt(block.var() + eps)
    shape = (1, -1) + (1,) * (x.ndim - 2)
    return out * weight.reshape(shape) + bias.reshape(shape)


@pytest.mark.parametrize("shape, groups", [((2, 6, 3), 3), ((3, 4, 2, 3), 2), ((2, 4), 4), ((1, 4, 5), 1)])
def test_group_norm_normalizes_each_group_of_each_example(shape, groups):
    x = RNG.standard_normal(shape) * 3 + 1
    weight, bias = RNG.standard_normal(shape[1]), RNG.standard_normal(shape[1])
    y = group_norm(_t(x), groups, _t(weight), _t(bias), eps=1e-3).data
    np.testing.assert_allclose(y, _group_norm_reference(x, groups, weight, bias, 1e-3), atol=1e-12)


def test_group_norm_with_one_group_is_layer_norm_over_all_but_the_batch():
    x = _t(RNG.standard_normal((3, 4, 2, 5)))
    np.testing.assert_allclose(group_norm(x, 1).data, layer_norm(x, (4, 2, 5)).data, atol=1e-12)


def test_group_norm_gradients_match_finite_differences():
    x = _t(RNG.standard_normal((2, 4, 3)), requires_grad=True)
    weight, bias = _t(RNG.standard_normal(4), True), _t(RNG.standard_normal(4), True)
    assert gradcheck(lambda *t: group_norm(t[0], 2, t[1], t[2], 0.1), [x, weight, bias])
    assert gradgradcheck(lambda *t: group_norm(t[0], 2, t[1], t[2], 0.1), [x, weight, bias])


def test_group_norm_layer_parameters_state_and_repr():
    norm = GroupNorm(2, 4, eps=1e-3, dtype=tg.float64)
    np.testing.assert_array_equal(norm.weight.data, np.ones(4))
    np.testing.assert_array_equal(norm.bias.data, np.zeros(4))
    assert (norm.num_groups, norm.num_channels, norm.eps, norm.affine) == (2, 4, 1e-3, True)
    assert norm.weight.dtype == np.float64 and list(norm.state_dict()) == ["weight", "bias"]
    assert repr(norm) == "GroupNorm(2, 4, eps=0.001, affine=True, bias=True)"
    assert repr(GroupNorm(1, 3, affine=False)) == "GroupNorm(1, 3, eps=1e-05, affine=False, bias=False)"
    assert list(GroupNorm(1, 3, affine=False).state_dict()) == []
    assert list(GroupNorm(2, 4, bias=False).state_dict()) == ["weight"]
    x = RNG.standard_normal((2, 4, 3))
    with tg.no_grad():
        norm.weight.copy_(tg.tensor([1.0, 2.0, 3.0, 4.0]))
    expected = _group_norm_reference(x, 2, np.array([1.0, 2.0, 3.0, 4.0]), np.zeros(4), 1e-3)
    np.testing.assert_allclose(norm(_t(x)).data, expected, atol=1e-12)
    np.testing.assert_array_equal(norm.eval()(_t(x)).data, norm.train()(_t(x)).data)  # no running stats


def test_group_norm_errors():
    with pytest.raises(ValueError, match=r"num_channels \(3\) must be divisible by num_groups \(2\)"):
        GroupNorm(2, 3)
    x = tg.ones(2, 4, 3)
    runtime = [
        (lambda: group_norm(tg.ones(4), 2), "Expected at least 2 dimensions for input tensor but received 1"),
        (lambda: group_norm(x, -2), "Expected num groups to be greater than 0, got -2"),
        (
            lambda: group_norm(x, 3),
            r"divisible by num_groups, but got input of shape \[2, 4, 3\] and num_groups=3",
        ),
        (
            lambda: group_norm(x, 2, tg.ones(3)),
            r"Expected weight to be a vector of size equal to the number of channels in input, but got "
            r"weight of shape \[3\] and input of shape \[2, 4, 3\]",
        ),
        (lambda: GroupNorm(2, 4)(tg.ones(2, 3, 3)), r"input of shape \[2, 3, 3\] and num_groups=2"),
    ]
    for call, message in runtime:
        with pytest.raises(RuntimeError, match=message):
            call()
    # as PyTorch: a group of a single value, in a batch of one, cannot be normalized
    with pytest.raises(
        ValueError, match=r"more than 1 value per channel when training, got input size \[1, 4\]"
    ):
        group_norm(tg.ones(1, 4), 4)
    with pytest.raises(NotImplementedError, match="group_norm"):
        group_norm(tg.ones(2, 4, dtype=tg.int64), 2)


def test_group_norm_matches_torch():
    torch = pytest.importorskip("torch")
    ours, theirs = GroupNorm(3, 6, eps=1e-4).double(), torch.nn.GroupNorm(3, 6, eps=1e-4).double()
    assert repr(ours) == repr(theirs)
    with tg.no_grad():
        for p in ours.parameters():
            p.copy_(tg.tensor(RNG.standard_normal(p.shape)))
    theirs.load_state_dict({k: torch.tensor(np.asarray(v)) for k, v in ours.state_dict().items()})
    x = RNG.standard_normal((2, 6, 2, 3))
    mine, yours = _t(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    out, expected = ours(mine), theirs(yours)
    np.testing.assert_allclose(out.data, expected.detach().numpy(), atol=1e-10)
    upstream = RNG.standard_normal(x.shape)
    out.backward(tg.tensor(upstream))
    expected.backward(torch.tensor(upstream))
    np.testing.assert_allclose(mine.grad.data, yours.grad.numpy(), atol=1e-10)
    for p, q in zip(ours.parameters(), theirs.parameters()):
        np.testing.assert_allclose(p.grad.data, q.grad.numpy(), atol=1e-10)


def test_norms_refuse_an_input_of_another_dtype_than_their_parameters():
    nn = tg.nn
    float64_input = tg.tensor(np.ones((3, 2, 4)))
    for layer in (nn.BatchNorm1d(2), nn.LayerNorm(4), nn.GroupNorm(1, 2), nn.InstanceNorm1d(2, affine=True)):
        with pytest.raises(RuntimeError, match="mixed dtype.*the input is float64 but .* is float32"):
            layer(float64_input)
    assert nn.InstanceNorm1d(2)(float64_input).dtype == np.float64  # (nothing of its own to clash)
    assert nn.LayerNorm(4).double()(float64_input).dtype == np.float64
