"""EmbeddingBag and embedding_bag (nn/embedding_bag.py): bags from 2-D input or offsets, sum/mean/max,
per_sample_weights, padding_idx, empty bags, errors, the module's parameters, and PyTorch's values."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import tinygrad_edu as tg
from tinygrad_edu.nn.embedding_bag import EmbeddingBag, embedding_bag
from tinygrad_edu.testing import gradcheck, gradgradcheck


@st.composite
def bags(draw: st.DrawFn) -> tuple:
    """(weight with distinct values, 1-D indices, offsets) with some empty bags possible."""
    rows, dim = draw(st.integers(2, 5)), draw(st.integers(1, 3))
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    n = draw(st.integers(0, 7))
    indices = rng.integers(0, rows, n)
    starts = np.sort(rng.integers(0, n + 1, draw(st.integers(0, 3))))
    offsets = np.concatenate([[0], starts]).astype(np.int64)
    weight = (rng.permutation(rows * dim).reshape(rows, dim) - rows * dim / 2) * 0.4
    return weight, indices, offsets


@pytest.mark.parametrize("mode", ["sum", "mean", "max"])
@given(case=bags(), padding=st.sampled_from([None, 0, -1]))
def test_derivatives_match_finite_differences(mode, case, padding):
    weight, indices, offsets = case
    idx, off = tg.tensor(indices), tg.tensor(offsets)

    def f(w):
        return embedding_bag(idx, w, off, mode=mode, padding_idx=padding) ** 2

    w = tg.tensor(weight, requires_grad=True)
    assert gradcheck(f, [w])
    assert gradgradcheck(f, [w])


@given(case=bags())
def test_per_sample_weights_are_differentiable_too(case):
    weight, indices, offsets = case
    idx, off = tg.tensor(indices), tg.tensor(offsets)
    scale = np.random.default_rng(indices.size).standard_normal(indices.shape)

    def f(w, s):
        return embedding_bag(idx, w, off, mode="sum", per_sample_weights=s) ** 2

    inputs = [tg.tensor(weight, requires_grad=True), tg.tensor(scale, requires_grad=True)]
    assert gradcheck(f, inputs)
    assert gradgradcheck(f, inputs)


def test_bags_by_hand_empty_bags_and_padding():
    weight = tg.tensor(np.arange(12.0).reshape(4, 3), requires_grad=True)
    indices = tg.tensor([1, 3, 2, 0, 0])
    offsets = tg.tensor([0, 2, 2, 5])  # bags (1, 3), (), (2, 0, 0), ()
    rows = weight.data
    out = embedding_bag(indices, weight, offsets, mode="sum")
    np.testing.assert_array_equal(out.data, [rows[1] + rows[3], [0, 0, 0], rows[2] + 2 * rows[0], [0, 0, 0]])
    # padding row 0 is left out, and so is its count: the third bag's mean is row 2 alone
    out = embedding_bag(indices, weight, offsets, mode="mean", padding_idx=0)
    np.testing.assert_array_equal(out.data, [(rows[1] + rows[3]) / 2, [0, 0, 0], rows[2], [0, 0, 0]])
    out.sum().backward()
    np.testing.assert_array_equal(weight.grad.data[:, 0], [0.0, 0.5, 1.0, 0.5])
    weight.grad = None
    out = embedding_bag(indices, weight, offsets, mode="max")
    np.testing.assert_array_equal(out.data, [rows[3], [0, 0, 0], rows[2], [0, 0, 0]])
    # include_last_offset: the last offset ends the bags
    out = embedding_bag(indices, weight, tg.tensor([0, 2, 5]), mode="sum", include_last_offset=True)
    np.testing.assert_array_equal(out.data, [rows[1] + rows[3], rows[2] + 2 * rows[0]])
    # a 2-D input: fixed-size bags, with per-sample weights
    out = embedding_bag(
        tg.tensor([[1, 2], [3, 3]]),
        weight,
        mode="sum",
        per_sample_weights=tg.tensor(np.array([[1.0, 2.0], [0.5, 0.5]])),
    )
    np.testing.assert_array_equal(out.data, [rows[1] + 2 * rows[2], rows[3]])


def test_max_sends_the_gradient_to_the_first_row_holding_the_maximum():
    weight = tg.tensor([[1.0, 2.0], [1.0, 3.0], [0.0, 2.0]], requires_grad=True)
    embedding_bag(tg.tensor([[2, 1, 0]]), weight, mode="max").sum().backward()
    np.testing.assert_array_equal(weight.grad.data, [[0.0, 0.0], [1.0, 1.0], [0.0, 0.0]])


def test_errors_are_pytorchs():
    w = tg.randn(6, 3)
    inp, off = tg.tensor([1, 2, 4, 5]), tg.tensor([0, 2])
    cases = [
        (
            lambda: embedding_bag(inp, w, off, mode="foo"),
            ValueError,
            "mode has to be one of sum, mean or max",
        ),
        (lambda: embedding_bag(inp, w), ValueError, "offsets has to be a 1D Tensor but got None"),
        (
            lambda: embedding_bag(inp.reshape(2, 2), w, off),
            ValueError,
            "if input is 2D, then offsets has to be None",
        ),
        (lambda: embedding_bag(inp.reshape(1, 2, 2), w), ValueError, "input has to be 1D or 2D Tensor"),
        (lambda: embedding_bag(inp, w[0], off), ValueError, "weight has to be a 2D Tensor"),
        (lambda: embedding_bag(inp, w, off.reshape(1, 2)), ValueError, "offsets has to be a 1D Tensor"),
        (lambda: embedding_bag(inp, w, tg.tensor([1, 2])), RuntimeError, r"offsets\[0\] has to be 0"),
        (lambda: embedding_bag(inp, w, tg.tensor([0, 9])), RuntimeError, r"offsets\[-1\] can not be greater"),
        (lambda: embedding_bag(inp + 2, w, off), RuntimeError, "Expected idx >= 0 && idx < num_embeddings"),
        (lambda: embedding_bag(inp.float(), w, off), RuntimeError, "argument #1 'indices'"),
        (
            lambda: embedding_bag(inp, w, off, per_sample_weights=tg.ones(4)),
            NotImplementedError,
            "per_sample_weights is only supported for mode='sum' \\(got mode='mean'\\)",
        ),
        (
            lambda: embedding_bag(inp, w, off, mode="sum", per_sample_weights=tg.ones(3)),
            ValueError,
            "must have the same shape as the input",
        ),
        (
            lambda: embedding_bag(inp, w, off, padding_idx=6),
            RuntimeError,
            "padding_idx must be within the number",
        ),
        (lambda: embedding_bag(inp, w, off, max_norm=1.0), NotImplementedError, "max_norm"),
        (lambda: EmbeddingBag(6, 3, sparse=True), NotImplementedError, "sparse"),
        (
            lambda: EmbeddingBag(6, 3, padding_idx=6),
            AssertionError,
            "padding_idx must be within num_embeddings",
        ),
        (
            lambda: EmbeddingBag(6, 3, _weight=tg.zeros(4, 3)),
            AssertionError,
            "Shape of weight does not match",
        ),
        (
            lambda: EmbeddingBag.from_pretrained(tg.zeros(2, 3, 1)),
            AssertionError,
            "expected to be 2-dimensional",
        ),
    ]
    for call, error, message in cases:
        with pytest.raises(error, match=message):
            call()


def test_the_module_draws_its_weight_as_embedding_does_and_keeps_pytorchs_names():
    tg.manual_seed(5)
    bag = EmbeddingBag(7, 4, padding_idx=-2)
    tg.manual_seed(5)
    table = tg.nn.Embedding(7, 4, padding_idx=-2)
    np.testing.assert_array_equal(bag.weight.data, table.weight.data)  # N(0, 1), padding row zeroed
    assert bag.padding_idx == 5 and not bag.weight.data[5].any()
    assert list(bag.state_dict()) == ["weight"] and bag.weight.requires_grad
    indices, offsets = tg.tensor([0, 5, 6, 2]), tg.tensor([0, 1])
    expected = embedding_bag(indices, bag.weight, offsets, mode="mean", padding_idx=5)
    np.testing.assert_array_equal(bag(indices, offsets).data, expected.data)
    frozen = EmbeddingBag.from_pretrained(bag.weight.detach(), mode="max")
    assert not frozen.weight.requires_grad and frozen.mode == "max"
    np.testing.assert_array_equal(frozen.weight.data, bag.weight.data)
    assert EmbeddingBag.from_pretrained(bag.weight.detach(), freeze=False).weight.requires_grad


def test_values_gradients_and_repr_agree_with_pytorch():
    torch = pytest.importorskip("torch")
    from .torch_compare import assert_values_and_gradients_agree

    rng = np.random.default_rng(0)
    weight = rng.integers(-2, 3, (6, 3)).astype(float)  # small integers: ties for max
    indices = np.array([1, 2, 4, 5, 4, 3, 2, 0, 1, 1])
    configs = [([0, 4], False), ([0, 0, 8, 8], False), ([0, 3, 3, 10], True), ([0, 2, 5], True)]
    for mode in ["sum", "mean", "max"]:
        for padding in [None, 4, -2]:
            for offsets, last in configs:
                kwargs = {"mode": mode, "padding_idx": padding, "include_last_offset": last}
                scale = rng.standard_normal(indices.shape) if mode == "sum" else None
                ours = [tg.tensor(weight, requires_grad=True)]
                theirs = [torch.tensor(weight, requires_grad=True)]
                if scale is not None:
                    ours.append(tg.tensor(scale, requires_grad=True))
                    theirs.append(torch.tensor(scale, requires_grad=True))
                out = embedding_bag(
                    tg.tensor(indices),
                    ours[0],
                    tg.tensor(offsets),
                    per_sample_weights=(ours + [None])[1],
                    **kwargs,
                )
                expected = torch.nn.functional.embedding_bag(
                    torch.tensor(indices),
                    theirs[0],
                    torch.tensor(offsets),
                    per_sample_weights=(theirs + [None])[1],
                    **kwargs,
                )
                assert_values_and_gradients_agree(torch, rng, out, expected, ours, theirs)
            ours, theirs = [tg.tensor(weight, requires_grad=True)], [torch.tensor(weight, requires_grad=True)]
            two_d = indices.reshape(5, 2)
            out = embedding_bag(tg.tensor(two_d), ours[0], mode=mode, padding_idx=padding)
            expected = torch.nn.functional.embedding_bag(
                torch.tensor(two_d), theirs[0], mode=mode, padding_idx=padding
            )
            assert_values_and_gradients_agree(torch, rng, out, expected, ours, theirs)
    for kwargs in [
        {"padding_idx": 2},
        {"mode": "max", "norm_type": 3.0},
        {"mode": "sum", "include_last_offset": True},
    ]:
        assert repr(EmbeddingBag(5, 3, **kwargs)) == repr(torch.nn.EmbeddingBag(5, 3, **kwargs))
    theirs = torch.nn.EmbeddingBag(5, 3)
    ours = EmbeddingBag(5, 3)
    ours.load_state_dict({k: tg.tensor(v.detach().numpy()) for k, v in theirs.state_dict().items()})
    np.testing.assert_array_equal(ours.weight.data, theirs.weight.detach().numpy())
