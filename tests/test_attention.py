"""Attention and the Transformer layers: values, masks, gradients, parameters, errors, training.

scaled_dot_product_attention is checked against a NumPy reference that
writes out softmax(Q K^T scale + M) V (so those tests run without PyTorch);
MultiheadAttention and the Transformer layers against PyTorch's modules,
whose state_dict is loaded into ours, where PyTorch is installed. Gradients
are checked against finite differences in float64.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

import tinygrad_edu as tg
from tinygrad_edu import optim
from tinygrad_edu.nn import (
    GELU,
    Embedding,
    LayerNorm,
    Linear,
    MultiheadAttention,
    Parameter,
    Transformer,
    TransformerDecoder,
    TransformerDecoderLayer,
    TransformerEncoder,
    TransformerEncoderLayer,
)
from tinygrad_edu.nn import functional as F
from tinygrad_edu.nn.functional import multi_head_attention_forward, scaled_dot_product_attention
from tinygrad_edu.nn.transformer import _detect_is_causal_mask
from tinygrad_edu.testing import gradcheck, gradgradcheck

RNG = np.random.default_rng(5)


def _t(array, requires_grad: bool = False) -> tg.Tensor:
    array = np.asarray(array)
    return tg.tensor(array, requires_grad=requires_grad and array.dtype.kind == "f")


def _causal(length: int, source: int | None = None) -> np.ndarray:
    """The float causal mask: 0 on and below the diagonal, -inf above."""
    return np.triu(np.full((length, source or length), -np.inf), 1)


# ---------------------------------------------------------------- NumPy reference


def _reference_sdpa(q, k, v, mask=None, causal=False, scale=None, p_keep=None):
    """softmax(q k^T scale + mask) v in NumPy; a query with no key to look at gives 0."""
    scale = 1 / math.sqrt(q.shape[-1]) if scale is None else scale
    scores = q @ np.swapaxes(k, -1, -2) * scale
    if causal:
        mask = np.tril(np.ones(scores.shape[-2:], bool))
    if mask is not None:
        scores = np.where(mask, scores, -np.inf) if mask.dtype == bool else scores + mask
    dead = np.isneginf(scores).all(-1, keepdims=True)
    scores = np.where(dead, 0.0, scores)
    e = np.exp(scores - scores.max(-1, keepdims=True))
    weights = np.where(dead, 0.0, e / e.sum(-1, keepdims=True))
    return weights @ v


SDPA_CASES = {  # name: (query, key, value shapes, keyword arguments as arrays)
    "plain": ((2, 3, 4, 8), (2, 3, 5, 8), (2, 3, 5, 6), {}),
    "bool mask": ((2, 3, 4, 8), (2, 3, 5, 8), (2, 3, 5, 6), {"attn_mask": ("bool", (4, 5))}),
    "float mask per batch": (
        (2, 3, 4, 8),
        (2, 3, 5, 8),
        (2, 3, 5, 6),
        {"attn_mask": ("float", (2, 1, 4, 5))},
    ),
    "causal": ((2, 5, 4), (2, 5, 4), (2, 5, 3), {"is_causal": True}),
    "causal, more queries": ((6, 4), (3, 4), (3, 2), {"is_causal": True}),
    "causal, more keys": ((2, 4), (5, 4), (5, 2), {"is_causal": True}),
    "scale": ((3, 4), (5, 4), (5, 2), {"scale": 0.3}),
    "query broadcast over batch": ((4, 8), (2, 3, 5, 8), (2, 3, 5, 6), {"attn_mask": ("bool", (3, 4, 5))}),
}


def _sdpa_arguments(name: str):
    """The case's arrays: query, key, value and the keyword arguments (masks as arrays)."""
    q_shape, k_shape, v_shape, options = SDPA_CASES[name]
    q, k, v = (RNG.standard_normal(s) for s in (q_shape, k_shape, v_shape))
    kwargs = dict(options)
    if "attn_mask" in kwargs:
        kind, shape = kwargs["attn_mask"]
        kwargs["attn_mask"] = RNG.random(shape) > 0.4 if kind == "bool" else RNG.standard_normal(shape)
    return q, k, v, kwargs


@pytest.mark.parametrize("name", SDPA_CASES)
def test_sdpa_matches_the_numpy_reference(name):
    q, k, v, kwargs = _sdpa_arguments(name)
    tensors = {n: _t(a) if isinstance(a, np.ndarray) else a for n, a in kwargs.items()}
    ours = scaled_dot_product_attention(_t(q), _t(k), _t(v), **tensors)
    expected = _reference_sdpa(
        q, k, v, kwargs.get("attn_mask"), kwargs.get("is_causal", False), kwargs.get("scale")
    )
    assert ours.shape == expected.shape
    np.testing.assert_allclose(ours.data, expected, atol=1e-12)


def test_sdpa_grouped_query_attention_shares_each_key_head_among_consecutive_query_heads():
    q, k, v = (
        RNG.standard_normal((2, 6, 3, 4)),
        RNG.standard_normal((2, 2, 5, 4)),
        RNG.standard_normal((2, 2, 5, 3)),
    )
    ours = scaled_dot_product_attention(_t(q), _t(k), _t(v), enable_gqa=True)
    expected = _reference_sdpa(q, np.repeat(k, 3, axis=1), np.repeat(v, 3, axis=1))
    np.testing.assert_allclose(ours.data, expected, atol=1e-12)


@pytest.mark.parametrize("kind", ["bool", "float"])
def test_sdpa_a_query_that_may_see_no_key_gives_zeros_and_no_gradient(kind):
    allowed = RNG.random((3, 4)) > 0.3
    allowed[:, 0], allowed[1] = True, False  # row 1 sees nothing
    mask = allowed if kind == "bool" else np.where(allowed, RNG.standard_normal((3, 4)), -np.inf)
    q, k, v = (_t(RNG.standard_normal(s), True) for s in [(2, 3, 5), (2, 4, 5), (2, 4, 2)])
    out = scaled_dot_product_attention(q, k, v, _t(mask))
    assert not np.isnan(out.data).any()
    np.testing.assert_array_equal(out.data[:, 1], 0.0)
    out.backward(_t(RNG.standard_normal(out.shape)))
    np.testing.assert_array_equal(q.grad.data[:, 1], 0.0)
    assert np.isfinite(k.grad.data).all() and np.isfinite(v.grad.data).all()


@pytest.mark.parametrize("options", [{}, {"mask": "float"}, {"mask": "bool"}, {"is_causal": True}])
def test_sdpa_gradients_match_finite_differences(options):
    q, k, v = (_t(RNG.standard_normal(s), True) for s in [(2, 3, 4), (2, 3, 4), (2, 3, 2)])
    inputs = [q, k, v]
    mask = None
    if options.get("mask") == "float":
        mask = _t(RNG.standard_normal((3, 3)), True)
        inputs.append(mask)
    elif options.get("mask") == "bool":
        mask = _t(np.tril(np.ones((3, 3), bool)) | (RNG.random((3, 3)) > 0.5))

    def fn(q, k, v, *rest):
        return scaled_dot_product_attention(
            q, k, v, rest[0] if rest else mask, is_causal=options.get("is_causal", False)
        )

    assert gradcheck(fn, inputs)
    assert gradgradcheck(fn, inputs)


def test_sdpa_dropout_drops_attention_weights_with_the_global_generator():
    q, k, v = RNG.standard_normal((2, 4, 3)), RNG.standard_normal((2, 5, 3)), RNG.standard_normal((2, 5, 2))
    tg.manual_seed(3)
    ours = scaled_dot_product_attention(_t(q), _t(k), _t(v), dropout_p=0.4).data
    weights = _reference_sdpa(q, k, np.broadcast_to(np.eye(5), (2, 5, 5)))  # the weights themselves
    tg.manual_seed(3)  # the same draws, on the weights
    dropped = F.dropout(_t(weights), 0.4).data
    assert (dropped == 0).any()
    np.testing.assert_allclose(ours, dropped @ v, atol=1e-12)
    assert not np.allclose(ours, scaled_dot_product_attention(_t(q), _t(k), _t(v), dropout_p=0.4).data)
    np.testing.assert_array_equal(scaled_dot_product_attention(_t(q), _t(k), _t(v), dropout_p=1.0).data, 0.0)


def _sdpa_error_cases():
    q, k, v = tg.randn(2, 4, 3), tg.randn(2, 5, 3), tg.randn(2, 5, 6)
    mask = tg.tensor(np.ones((4, 5), bool))
    return [
        ((q.numpy(), k, v), {}, TypeError, r"argument 'query' \(position 1\) must be Tensor, not numpy"),
        ((q, k, v, mask), {"is_causal": True}, RuntimeError, "Explicit attn_mask should not be set"),
        ((q[0, 0], k, v), {}, RuntimeError, "at least 2 dimensional"),
        ((q, k.double(), v), {}, RuntimeError, "to have the same dtype"),
        ((q.long(), k.long(), v.long()), {}, RuntimeError, "floating-point"),
        ((q, k, v, tg.ones(4, 5).long()), {}, RuntimeError, "Expected attn_mask dtype to be bool or float"),
        ((q, k, v, tg.ones(4, 5).double()), {}, RuntimeError, "Expected attn_mask dtype to be bool or float"),
        ((q, k[..., :2], v), {}, RuntimeError, r"query \(2, 4, 3\), key \(2, 5, 2\) and value"),
        ((q, k, v[:, :4]), {}, RuntimeError, "do not fit"),
        ((q, k[:1].expand(3, 5, 3), v), {}, RuntimeError, "batch dims"),
        (
            (q, k, v, tg.tensor(np.ones((3, 4, 5), bool))),
            {},
            RuntimeError,
            r"does not broadcast to the weights",
        ),
        ((q, k, v, tg.tensor(np.ones(5, bool))), {}, IndexError, "attn_mask needs dims"),
        ((q, k, v), {"dropout_p": 1.5}, RuntimeError, "dropout probability has to be between 0 and 1"),
        (
            (q[None], tg.randn(1, 3, 5, 3), tg.randn(1, 3, 5, 6)),
            {"enable_gqa": True},
            RuntimeError,
            "must divide",
        ),
        ((q[0], k[0], v[0]), {"enable_gqa": True}, IndexError, "heads dim"),
    ]


@pytest.mark.parametrize("case", range(len(_sdpa_error_cases())))
def test_sdpa_errors_are_pytorchs(case):
    args, kwargs, error, message = _sdpa_error_cases()[case]
    with pytest.raises(error, match=message):
        scaled_dot_product_attention(*args, **kwargs)


def test_sdpa_scale_and_enable_gqa_are_keyword_only():
    q = tg.randn(2, 3)
    with pytest.raises(TypeError):
        scaled_dot_product_attention(q, q, q, None, 0.0, False, 0.5)  # type: ignore[misc]


# ---------------------------------------------------------------- PyTorch: the comparison


def _torch_tensor(torch, array, grad: bool):
    array = np.asarray(array)
    return torch.tensor(array, requires_grad=grad and array.dtype.kind == "f")


def _flat(result) -> list:
    if isinstance(result, (tuple, list)):
        return [t for part in result for t in _flat(part)]
    return [result]


def _compare(torch, ours, theirs, args: list, kwargs: dict, modules=None, grads: bool = True):
    """ours(*args, **kwargs) against theirs(...) (arrays made into each library's tensors): values, gradients.

    Every float array is an input that requires grad; the gradients of all of
    them, and of the modules' parameters (ours, theirs), must agree too.
    """
    mine = [_t(a, True) if isinstance(a, np.ndarray) else a for a in args]
    my_kwargs = {n: _t(a, True) if isinstance(a, np.ndarray) else a for n, a in kwargs.items()}
    yours = [_torch_tensor(torch, a, True) if isinstance(a, np.ndarray) else a for a in args]
    your_kwargs = {
        n: _torch_tensor(torch, a, True) if isinstance(a, np.ndarray) else a for n, a in kwargs.items()
    }
    got, expected = _flat(ours(*mine, **my_kwargs)), _flat(theirs(*yours, **your_kwargs))
    assert len(got) == len(expected)
    for g, e in zip(got, expected):
        assert (g is None) == (e is None)
        if g is not None:
            assert g.shape == tuple(e.shape)
            np.testing.assert_allclose(g.data, e.detach().numpy(), atol=1e-12)
    if not grads:
        return
    pairs = [(g, e) for g, e in zip(got, expected) if g is not None]
    upstream = [RNG.standard_normal(g.shape) for g, _ in pairs]
    tg.autograd.backward([g for g, _ in pairs], [_t(u) for u in upstream])
    torch.autograd.backward([e for _, e in pairs], [torch.tensor(u) for u in upstream])
    for m, y in zip(mine + list(my_kwargs.values()), yours + list(your_kwargs.values())):
        if isinstance(m, tg.Tensor) and m.requires_grad:  # (no gradient at all: zeros)
            mine_grad = np.zeros(m.shape) if m.grad is None else m.grad.data
            np.testing.assert_allclose(
                mine_grad, np.zeros(m.shape) if y.grad is None else y.grad.numpy(), atol=1e-12
            )
    if modules is not None:
        for (name, p), q in zip(modules[0].named_parameters(), modules[1].parameters(), strict=True):
            np.testing.assert_allclose(p.grad.data, q.grad.numpy(), atol=1e-12, err_msg=name)


@pytest.mark.parametrize("name", SDPA_CASES)
def test_sdpa_matches_pytorch(name):
    torch = pytest.importorskip("torch")
    q, k, v, kwargs = _sdpa_arguments(name)
    _compare(
        torch,
        scaled_dot_product_attention,
        torch.nn.functional.scaled_dot_product_attention,
        [q, k, v],
        kwargs,
    )


def test_sdpa_matches_pytorch_with_gqa_and_a_fully_masked_row():
    torch = pytest.importorskip("torch")
    q, k, v = (
        RNG.standard_normal((1, 4, 3, 2)),
        RNG.standard_normal((1, 2, 4, 2)),
        RNG.standard_normal((1, 2, 4, 3)),
    )
    mask = np.where(RNG.random((3, 4)) > 0.5, RNG.standard_normal((3, 4)), -np.inf)
    mask[0], mask[1, 0] = -np.inf, 0.0
    kwargs = {"attn_mask": mask, "enable_gqa": True}
    _compare(
        torch,
        scaled_dot_product_attention,
        torch.nn.functional.scaled_dot_product_attention,
        [q, k, v],
        kwargs,
    )


# ---------------------------------------------------------------- MultiheadAttention

MHA_OPTIONS = [
    {},
    {"batch_first": True},
    {"kdim": 3, "vdim": 5},
    {"bias": False},
    {"add_bias_kv": True},
    {"add_zero_attn": True},
    {"add_bias_kv": True, "add_zero_attn": True, "kdim": 3, "vdim": 2},
]
MASKS = [
    "none",
    "bool padding",
    "float padding",
    "bool attn 2-D",
    "float attn 3-D",
    "both bool",
    "causal hint",
]


def _mha_inputs(options: dict, batched: bool, n: int = 2, heads: int = 2, length: int = 3, source: int = 5):
    """query, key, value arrays for a MultiheadAttention(4, heads, **options), in its layout."""
    shapes = [(length, 4), (source, options.get("kdim", 4)), (source, options.get("vdim", 4))]
    if batched:
        at = 0 if options.get("batch_first") else 1
        shapes = [s[:at] + (n,) + s[at:] for s in shapes]
    return [RNG.standard_normal(s) for s in shapes]


def _mha_masks(
    kind: str, batched: bool, n: int = 2, heads: int = 2, length: int = 3, source: int = 5
) -> dict:
    """The keyword arguments for one kind of mask; no query is left without a key to look at."""
    padding = np.zeros((n, source), bool)
    padding[0, -2:] = True  # the first sequence's last two keys are padding
    padding = padding if batched else padding[0]
    blocked = RNG.random((length, source)) > 0.6
    blocked[:, 0] = False
    kwargs: dict = {}
    if kind in ("bool padding", "both bool"):
        kwargs["key_padding_mask"] = padding
    if kind == "float padding":
        kwargs["key_padding_mask"] = np.where(padding, -np.inf, RNG.standard_normal(padding.shape))
    if kind in ("bool attn 2-D", "both bool"):
        kwargs["attn_mask"] = blocked
    if kind == "float attn 3-D":
        kwargs["attn_mask"] = RNG.standard_normal(((n if batched else 1) * heads, length, source))
    if kind == "causal hint":
        kwargs.update(attn_mask=_causal(length, source), is_causal=True)
    return kwargs


def _mha_pair(torch, options: dict, **extra):
    ours = MultiheadAttention(4, 2, dtype=tg.float64, **options, **extra)
    theirs = torch.nn.MultiheadAttention(4, 2, dtype=torch.float64, **options, **extra)
    ours.load_state_dict(theirs.state_dict())
    return ours, theirs


def test_mha_parameters_follow_pytorchs_names_shapes_and_order():
    assert [(n, p.shape) for n, p in MultiheadAttention(4, 2).named_parameters()] == [
        ("in_proj_weight", (12, 4)),
        ("in_proj_bias", (12,)),
        ("out_proj.weight", (4, 4)),
        ("out_proj.bias", (4,)),
    ]
    module = MultiheadAttention(4, 2, bias=False, add_bias_kv=True, kdim=3, vdim=5)
    assert [(n, p.shape) for n, p in module.named_parameters()] == [
        ("q_proj_weight", (4, 4)),
        ("k_proj_weight", (4, 3)),
        ("v_proj_weight", (4, 5)),
        ("bias_k", (1, 1, 4)),
        ("bias_v", (1, 1, 4)),
        ("out_proj.weight", (4, 4)),
    ]
    assert module.in_proj_weight is None and module.in_proj_bias is None and module.head_dim == 2
    assert repr(module) == (
        "MultiheadAttention(\n"
        "  (out_proj): NonDynamicallyQuantizableLinear(in_features=4, out_features=4, bias=False)\n"
        ")"
    )


@pytest.mark.parametrize("options", MHA_OPTIONS)
def test_mha_parameters_state_dict_and_repr_equal_pytorchs(options):
    torch = pytest.importorskip("torch")
    ours = MultiheadAttention(4, 2, **options)
    theirs = torch.nn.MultiheadAttention(4, 2, **options)
    assert [(n, p.shape) for n, p in ours.named_parameters()] == [
        (n, tuple(p.shape)) for n, p in theirs.named_parameters()
    ]
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert repr(ours) == repr(theirs)
    assert all(p.dtype == np.float32 for p in ours.parameters())


def test_mha_initialisation_follows_pytorch():
    e = 256
    module = MultiheadAttention(e, 4, add_bias_kv=True)
    bound = math.sqrt(6 / (e + 3 * e))  # xavier_uniform_ on (3E, E)
    w = module.in_proj_weight.data
    assert -bound <= w.min() < -0.99 * bound and 0.99 * bound < w.max() <= bound
    assert abs(w.var() - bound**2 / 3) < 0.03 * bound**2 / 3
    np.testing.assert_array_equal(module.in_proj_bias.data, 0.0)
    np.testing.assert_array_equal(module.out_proj.bias.data, 0.0)
    out_bound = 1 / math.sqrt(e)  # out_proj.weight keeps Linear's kaiming_uniform_
    assert 0.99 * out_bound < np.abs(module.out_proj.weight.data).max() <= out_bound
    std = math.sqrt(2 / (2 * e))  # xavier_normal_ on (1, 1, E): fan_in = fan_out = E
    both = np.concatenate([module.bias_k.data.ravel(), module.bias_v.data.ravel()])
    assert abs(both.std() / std - 1) < 0.1 and abs(both.mean()) < 0.15 * std
    separate = MultiheadAttention(8, 2, kdim=24, vdim=40)
    for weight, fan in [
        (separate.q_proj_weight, 8),
        (separate.k_proj_weight, 24),
        (separate.v_proj_weight, 40),
    ]:
        assert np.abs(weight.data).max() <= math.sqrt(6 / (8 + fan))


@pytest.mark.parametrize("options", MHA_OPTIONS)
@pytest.mark.parametrize("masks", MASKS)
@pytest.mark.parametrize("need_weights", [True, False])
@pytest.mark.parametrize("batched", [True, False])
def test_mha_matches_pytorch(options, masks, need_weights, batched):
    torch = pytest.importorskip("torch")
    ours, theirs = _mha_pair(torch, options)
    kwargs = _mha_masks(masks, batched) | {"need_weights": need_weights}
    _compare(torch, ours, theirs, _mha_inputs(options, batched), kwargs, modules=(ours, theirs))


@pytest.mark.parametrize("options", [{}, {"batch_first": True}, {"add_bias_kv": True}])
@pytest.mark.parametrize("batched", [True, False])
def test_mha_self_attention_and_per_head_weights_match_pytorch(options, batched):
    """query, key and value one tensor (one matmul projects all three), weights of each head."""
    torch = pytest.importorskip("torch")
    ours, theirs = _mha_pair(torch, options)
    x = _mha_inputs(options, batched)[0]
    mine, yours = _t(x, True), _torch_tensor(torch, x, True)
    got = ours(mine, mine, mine, average_attn_weights=False)
    expected = theirs(yours, yours, yours, average_attn_weights=False)
    for g, e in zip(got, expected, strict=True):
        np.testing.assert_allclose(g.data, e.detach().numpy(), atol=1e-12)
    upstream = [RNG.standard_normal(g.shape) for g in got]
    tg.autograd.backward(list(got), [_t(u) for u in upstream])
    torch.autograd.backward(list(expected), [torch.tensor(u) for u in upstream])
    np.testing.assert_allclose(mine.grad.data, yours.grad.numpy(), atol=1e-12)


def test_mha_functional_form_with_static_keys_matches_pytorch():
    torch = pytest.importorskip("torch")
    ours, theirs = _mha_pair(torch, {})
    q, k, v = _mha_inputs({}, True)
    static = [RNG.standard_normal((4, 6, 2)) for _ in range(2)]  # (N heads, S, head_dim)

    def call(module, f, q, k, v, static_k, static_v):
        weights = (module.in_proj_weight, module.in_proj_bias, None, None, False, 0.0)
        out = (module.out_proj.weight, module.out_proj.bias)
        return f(q, k, v, 4, 2, *weights, *out, static_k=static_k, static_v=static_v)

    _compare(
        torch,
        lambda *a: call(ours, multi_head_attention_forward, *a),
        lambda *a: call(theirs, torch.nn.functional.multi_head_attention_forward, *a),
        [q, k, v, *static],
        {},
        modules=(ours, theirs),
    )


def test_mha_functional_form_checks_its_weights_as_pytorch_does():
    q, out_weight = tg.randn(3, 2, 4), tg.randn(4, 4)

    def call(in_proj_weight=None, bias_k=None, bias_v=None, **kwargs):
        args = (q, q, q, 4, 2, in_proj_weight, None, bias_k, bias_v, False, 0.0, out_weight, None)
        return multi_head_attention_forward(*args, **kwargs)

    w, b = tg.randn(12, 4), tg.randn(1, 1, 4)
    separate = {
        "use_separate_proj_weight": True,
        "q_proj_weight": tg.randn(4, 4),
        "v_proj_weight": tg.randn(4, 4),
    }
    cases = [
        ({}, "use_separate_proj_weight is False but in_proj_weight is None"),
        ({"use_separate_proj_weight": True}, "use_separate_proj_weight is True but q_proj_weight is None"),
        ({"in_proj_weight": w, "bias_k": b}, "bias_k is set but bias_v is None"),
        (
            {"in_proj_weight": w, "bias_k": b, "bias_v": b, "static_k": tg.randn(4, 3, 2)},
            "bias cannot be added",
        ),
        (
            {"in_proj_weight": w, "static_k": tg.randn(3, 3, 2)},
            r"expecting static_k.size\(0\) of 4, but got 3",
        ),
        (
            {"in_proj_weight": w, "static_v": tg.randn(4, 3, 3)},
            r"expecting static_v.size\(2\) of 2, but got 3",
        ),
        (
            separate | {"k_proj_weight": tg.randn(4, 5)},
            r"expecting key weights shape of \(4, 4\), but got \(4, 5",
        ),
    ]
    for kwargs, message in cases:
        with pytest.raises(AssertionError, match=message):
            call(**kwargs)


def test_mha_gradients_match_finite_differences():
    module = MultiheadAttention(4, 2, dtype=tg.float64, kdim=3, add_bias_kv=True)
    q, k, v = (_t(a, True) for a in _mha_inputs({"kdim": 3}, True, n=1, length=2, source=3))
    mask = _t(RNG.standard_normal((2, 3)), True)

    def fn(q, k, v, mask, *params):
        return module(q, k, v, attn_mask=mask)

    inputs = [q, k, v, mask, *module.parameters()]
    assert gradcheck(fn, inputs)
    assert gradgradcheck(fn, [q, k, v, mask, module.q_proj_weight, module.bias_v])


@pytest.mark.parametrize("length, source", [(0, 3), (3, 0), (0, 0)])
def test_mha_and_the_encoder_layer_take_empty_sequences(length, source):
    """As in PyTorch: empty results of the right shapes; with no key at all the output is the bias."""
    module = MultiheadAttention(4, 2, batch_first=True, dtype=tg.float64)
    with tg.no_grad():
        module.out_proj.bias.copy_(tg.arange(1.0, 5.0, dtype=tg.float64))  # (PyTorch starts it at 0)
    q, k = tg.ones(2, length, 4, dtype=tg.float64), tg.ones(2, source, 4, dtype=tg.float64)
    out, weights = module(q, k, k)
    assert out.shape == (2, length, 4) and weights.shape == (2, length, source)
    assert module(q, k, k, average_attn_weights=False)[1].shape == (2, 2, length, source)
    if length:  # no key: attention gives zeros, so only the output projection's bias is left
        bias = module.out_proj.bias.detach().numpy()
        np.testing.assert_allclose(out.detach().numpy(), np.broadcast_to(bias, out.shape))
    layer = tg.nn.TransformerEncoderLayer(4, 2, 8, dropout=0.0, batch_first=True, dtype=tg.float64)
    assert layer(q).shape == (2, length, 4)


def _reference_mha(module: MultiheadAttention, q, k, v, attn_mask=None, padding=None):
    """Multi-head attention in NumPy for (L, N, E) inputs: (output, weights averaged over the heads).

    attn_mask (L, S) is added to the scores; padding (N, S) is True at keys no query may see.
    """
    w = {name: np.asarray(value) for name, value in module.state_dict().items()}
    e, heads = module.embed_dim, module.num_heads
    if "in_proj_weight" in w:
        w_q, w_k, w_v = np.split(w["in_proj_weight"], 3)
    else:
        w_q, w_k, w_v = w["q_proj_weight"], w["k_proj_weight"], w["v_proj_weight"]
    b_q, b_k, b_v = np.split(w.get("in_proj_bias", np.zeros(3 * e)), 3)
    mask = np.zeros((q.shape[1], 1, q.shape[0], k.shape[0])) if attn_mask is None else attn_mask + 0.0
    if padding is not None:
        mask = mask + np.where(padding, -np.inf, 0.0)[:, None, None, :]  # (N, 1, 1, S)

    def split(x):  # (S, N, E) -> (N, heads, S, E / heads)
        return x.reshape(x.shape[0], x.shape[1], heads, -1).transpose(1, 2, 0, 3)

    qh, kh, vh = split(q @ w_q.T + b_q), split(k @ w_k.T + b_k), split(v @ w_v.T + b_v)
    mask = np.broadcast_to(mask, (q.shape[1], heads, q.shape[0], k.shape[0]))
    out = _reference_sdpa(qh, kh, vh, mask)
    weights = _reference_sdpa(qh, kh, np.eye(k.shape[0]), mask)  # (the weights times the identity)
    out = out.transpose(2, 0, 1, 3).reshape(q.shape[0], q.shape[1], e) @ w["out_proj.weight"].T
    return out + w.get("out_proj.bias", 0.0), weights.mean(1)


@pytest.mark.parametrize("options", [{}, {"bias": False}, {"kdim": 3, "vdim": 5}])
@pytest.mark.parametrize("masks", ["none", "both bool", "float attn 2-D"])
def test_mha_matches_the_numpy_reference(options, masks):
    module = MultiheadAttention(4, 2, dtype=tg.float64, **options)
    if options.get("bias", True):  # (zeros at first)
        module.in_proj_bias.data[:] = RNG.standard_normal(12)
    q, k, v = _mha_inputs(options, True)
    kwargs = (
        _mha_masks(masks, True) if masks != "float attn 2-D" else {"attn_mask": RNG.standard_normal((3, 5))}
    )
    out, weights = module(_t(q), _t(k), _t(v), **{n: _t(m) for n, m in kwargs.items()})
    blocked = kwargs.get("attn_mask")
    additive = np.where(blocked, -np.inf, 0.0) if blocked is not None and blocked.dtype == bool else blocked
    expected_out, expected_weights = _reference_mha(module, q, k, v, additive, kwargs.get("key_padding_mask"))
    np.testing.assert_allclose(out.data, expected_out, atol=1e-12)
    np.testing.assert_allclose(weights.data, expected_weights, atol=1e-12)


def test_mha_unbatched_and_batch_first_are_the_same_computation():
    module = MultiheadAttention(4, 2, dtype=tg.float64)
    q, k, v = _mha_inputs({}, True)  # (L, N, E)
    out, weights = module(_t(q), _t(k), _t(v))
    for i in range(2):
        single_out, single_weights = module(_t(q[:, i]), _t(k[:, i]), _t(v[:, i]))
        np.testing.assert_allclose(single_out.data, out.data[:, i], atol=1e-12)
        np.testing.assert_allclose(single_weights.data, weights.data[i], atol=1e-12)
    module.batch_first = True
    swapped = [_t(a.transpose(1, 0, 2)) for a in (q, k, v)]
    bf_out, bf_weights = module(*swapped)
    np.testing.assert_allclose(bf_out.data, out.data.transpose(1, 0, 2), atol=1e-12)
    np.testing.assert_allclose(bf_weights.data, weights.data, atol=1e-12)
    np.testing.assert_allclose(weights.data.sum(-1), 1.0, atol=1e-12)  # each query's weights: a distribution


def test_mha_bool_masks_equal_minus_inf_float_masks_and_padding_is_never_seen():
    module = MultiheadAttention(4, 2, dtype=tg.float64)
    q, k, v = _mha_inputs({}, True)
    kwargs = _mha_masks("both bool", True)
    as_float = {n: _t(np.where(m, -np.inf, 0.0)) for n, m in kwargs.items()}
    out, weights = module(_t(q), _t(k), _t(v), **{n: _t(m) for n, m in kwargs.items()})
    float_out, float_weights = module(_t(q), _t(k), _t(v), **as_float)
    np.testing.assert_allclose(out.data, float_out.data, atol=1e-12)
    np.testing.assert_allclose(weights.data, float_weights.data, atol=1e-12)
    assert (weights.data[0, :, -2:] == 0).all() and (weights.data[1, :, -2:] > 0).any()
    assert (weights.data[:, kwargs["attn_mask"]] == 0).all()


def test_mha_a_query_that_may_see_no_key_gives_nan_weights_or_zeros_as_in_pytorch():
    module = MultiheadAttention(4, 2, dtype=tg.float64, bias=False)
    q, k, v = (_t(a) for a in _mha_inputs({}, True))
    padding = _t(np.ones((2, 5), bool))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # (NumPy's for the 0/0 of the softmax)
        out, weights = module(q, k, v, key_padding_mask=padding)
    assert np.isnan(out.data).all() and np.isnan(weights.data).all()
    out, weights = module(q, k, v, key_padding_mask=padding, need_weights=False)
    assert weights is None
    np.testing.assert_array_equal(out.data, 0.0)  # no bias: the zero output stays zero


def test_mha_dropout_drops_weights_in_training_only():
    module = MultiheadAttention(4, 2, dropout=0.5, dtype=tg.float64)
    q, k, v = (_t(a) for a in _mha_inputs({}, True))
    module.eval()
    out, clean = module(q, k, v, average_attn_weights=False)
    np.testing.assert_allclose(module(q, k, v)[0].data, out.data, atol=0)
    module.train()
    _, dropped = module(q, k, v, average_attn_weights=False)  # the weights returned are after dropout
    kept = dropped.data != 0
    assert kept.any() and (~kept).any()
    np.testing.assert_allclose(dropped.data[kept], 2 * clean.data[kept], atol=1e-12)
    assert not np.allclose(module(q, k, v, need_weights=False)[0].data, out.data)


def test_mha_causal_hint_gives_the_masks_result():
    module = MultiheadAttention(4, 2, dtype=tg.float64)
    x = _t(_mha_inputs({}, True, source=3)[0])
    mask = _t(_causal(3))
    expected = module(x, x, x, attn_mask=mask)[0].data
    for need_weights in (True, False):
        got = module(x, x, x, attn_mask=mask, is_causal=True, need_weights=need_weights)[0]
        np.testing.assert_allclose(got.data, expected, atol=1e-12)


def test_mha_constructor_errors_are_pytorchs():
    with pytest.raises(ValueError, match="embed_dim and num_heads must be greater than 0, got embed_dim=0"):
        MultiheadAttention(0, 2)
    with pytest.raises(ValueError, match="num_heads=-1"):
        MultiheadAttention(4, -1)
    with pytest.raises(AssertionError, match="embed_dim must be divisible by num_heads"):
        MultiheadAttention(5, 2)
    with pytest.raises(RuntimeError, match="device 'cuda' is not available"):
        MultiheadAttention(4, 2, device="cuda")


def _mha_error_cases():
    q, k = tg.randn(3, 2, 4), tg.randn(5, 2, 4)
    bools = lambda *shape: tg.tensor(np.zeros(shape, bool))  # noqa: E731
    one = (q[:, 0], k[:, 0], k[:, 0])  # unbatched
    return [
        (
            (q[0, 0], k, k),
            {},
            AssertionError,
            "query should be unbatched 2D or batched 3D tensor but received 1-D",
        ),
        (
            (q, k[:, 0], k),
            {},
            AssertionError,
            r"For batched \(3-D\) `query`, expected `key` and `value` to be 3",
        ),
        (
            (q[:, 0], k, k),
            {},
            AssertionError,
            r"For unbatched \(2-D\) `query`, expected `key` and `value` to",
        ),
        ((q, k, k[:4]), {}, AssertionError, r"key shape \(5, 2, 4\) does not match value shape \(4, 2, 4\)"),
        ((q[..., :3], k, k), {}, AssertionError, "was expecting embedding dimension of 4, but got 3"),
        (
            (q, k, k),
            {"key_padding_mask": tg.zeros(2, 5).long()},
            AssertionError,
            "only bool and floating types of key_padding_mask are supported",
        ),
        (
            (q, k, k),
            {"attn_mask": tg.zeros(3, 5).long()},
            AssertionError,
            "only bool and floating types of attn",
        ),
        (
            (q, k, k),
            {"key_padding_mask": bools(2, 5, 1)},
            AssertionError,
            "`key_padding_mask` to be `None` or 2-D",
        ),
        (
            (q, k, k),
            {"key_padding_mask": bools(3, 5)},
            AssertionError,
            r"Expected key_padded_mask.shape\[0\] to be 2, but got 3",
        ),
        ((q, k, k), {"key_padding_mask": bools(2, 4)}, AssertionError, r"shape\[1\] to be 5, but got 4"),
        (
            (q, k, k),
            {"attn_mask": bools(3, 4)},
            RuntimeError,
            r"The shape of the 2D attn_mask is \(3, 4\), but",
        ),
        (
            (q, k, k),
            {"attn_mask": bools(1, 3, 5)},
            RuntimeError,
            r"3D attn_mask is \(1, 3, 5\), but should be \(4",
        ),
        (
            (q, k, k),
            {"attn_mask": bools(1, 1, 3, 5)},
            AssertionError,
            "`attn_mask` to be `None`, 2-D or 3-D but",
        ),
        (
            one,
            {"attn_mask": bools(3, 3, 5)},
            AssertionError,
            r"`attn_mask` shape to be \(2, 3, 5\) but got \(3",
        ),
        ((q, k, k), {"is_causal": True}, RuntimeError, "Need attn_mask if specifying the is_causal hint"),
        ((q.double(), k.double(), k.double()), {}, RuntimeError, "linear: input of dtype float64 does not"),
        ((q.numpy(), k, k), {}, TypeError, "MultiheadAttention"),
    ]


@pytest.mark.parametrize("case", range(len(_mha_error_cases())))
def test_mha_forward_errors_are_pytorchs(case):
    args, kwargs, error, message = _mha_error_cases()[case]
    with pytest.raises(error, match=message):
        MultiheadAttention(4, 2)(*args, **kwargs)


def test_mha_mixing_bool_and_float_masks_warns_as_pytorch_does():
    q, k = tg.randn(3, 2, 4), tg.randn(5, 2, 4)
    with pytest.warns(
        UserWarning, match="Support for mismatched key_padding_mask and attn_mask is deprecated"
    ):
        MultiheadAttention(4, 2)(
            q, k, k, key_padding_mask=tg.zeros(2, 5), attn_mask=tg.tensor(np.zeros((3, 5), bool))
        )


# ---------------------------------------------------------------- the Transformer layers

LAYER_OPTIONS = [
    {},
    {"batch_first": True},
    {"norm_first": True},
    {"activation": "gelu", "bias": False, "layer_norm_eps": 1e-3},
    {"activation": "gelu module", "norm_first": True, "batch_first": True},
]


def _layer_options(options: dict, library) -> dict:
    """The options for one library: "gelu module" becomes that library's GELU()."""
    if options.get("activation") == "gelu module":
        return options | {"activation": library.nn.GELU()}
    return options


def _sequence(length: int, batched: bool, batch_first: bool, n: int = 2) -> np.ndarray:
    shape = ((n, length, 4) if batch_first else (length, n, 4)) if batched else (length, 4)
    return RNG.standard_normal(shape)


def _padding(length: int, batched: bool) -> np.ndarray:
    padding = np.zeros((2, length), bool)
    padding[1, -2:] = True
    return padding if batched else padding[0]


def _encoder_pair(torch, options: dict, stack: bool):
    """(ours, theirs): an encoder layer, or two in a stack with a final norm; PyTorch's weights loaded."""
    ours = TransformerEncoderLayer(4, 2, 8, dtype=tg.float64, **_layer_options(options, tg))
    theirs = torch.nn.TransformerEncoderLayer(4, 2, 8, dtype=torch.float64, **_layer_options(options, torch))
    if stack:
        ours = TransformerEncoder(ours, 2, norm=LayerNorm(4, dtype=tg.float64))
        with warnings.catch_warnings():  # (PyTorch's note that its fast path for padded batches is off)
            warnings.simplefilter("ignore")
            theirs = torch.nn.TransformerEncoder(theirs, 2, norm=torch.nn.LayerNorm(4, dtype=torch.float64))
    ours.load_state_dict(theirs.state_dict())
    ours.eval(), theirs.eval()  # no dropout
    return ours, theirs


@pytest.mark.parametrize("options", LAYER_OPTIONS)
@pytest.mark.parametrize("stack", [False, True])
@pytest.mark.parametrize("masks", ["none", "causal", "padding", "both", "bool mask and causal hint"])
@pytest.mark.parametrize("batched", [True, False])
def test_encoders_match_pytorch(options, stack, masks, batched):
    torch = pytest.importorskip("torch")
    ours, theirs = _encoder_pair(torch, options, stack)
    kwargs: dict = {}
    if masks in ("causal", "both"):
        kwargs["mask" if stack else "src_mask"] = _causal(5)
    if masks == "padding":
        kwargs["src_key_padding_mask"] = _padding(5, batched)
    if masks == "both":  # (a float padding mask: mixing bool and float is deprecated, with a warning)
        kwargs["src_key_padding_mask"] = np.where(_padding(5, batched), -np.inf, 0.0)
    if masks == "bool mask and causal hint":
        kwargs["mask" if stack else "src_mask"] = np.triu(np.ones((5, 5), bool), 1)
        kwargs["is_causal"] = True
    x = _sequence(5, batched, options.get("batch_first", False))
    _compare(torch, ours, theirs, [x], kwargs, modules=(ours, theirs))


@pytest.mark.parametrize(
    "options, stack",
    [(o, False) for o in LAYER_OPTIONS]
    + [(o, True) for o in LAYER_OPTIONS if o.get("activation") != "gelu module"],
)
@pytest.mark.parametrize("batched", [True, False])
def test_decoders_match_pytorch(options, stack, batched):
    """(Not a stack of decoder layers with an activation module: PyTorch's copies use ReLU, see below.)"""
    torch = pytest.importorskip("torch")
    ours = TransformerDecoderLayer(4, 2, 8, dtype=tg.float64, **_layer_options(options, tg))
    theirs = torch.nn.TransformerDecoderLayer(4, 2, 8, dtype=torch.float64, **_layer_options(options, torch))
    if stack:
        ours = TransformerDecoder(ours, 2, norm=LayerNorm(4, dtype=tg.float64))
        theirs = torch.nn.TransformerDecoder(theirs, 2, norm=torch.nn.LayerNorm(4, dtype=torch.float64))
    ours.load_state_dict(theirs.state_dict())
    ours.eval(), theirs.eval()
    batch_first = options.get("batch_first", False)
    tgt, memory = _sequence(3, batched, batch_first), _sequence(5, batched, batch_first)
    blocked = RNG.random((3, 5)) > 0.6
    blocked[:, 0] = False
    kwargs = {"tgt_mask": np.triu(np.ones((3, 3), bool), 1), "memory_key_padding_mask": _padding(5, batched)}
    kwargs |= {"memory_mask": blocked, "tgt_key_padding_mask": _padding(3, batched)}
    _compare(torch, ours, theirs, [tgt, memory], kwargs, modules=(ours, theirs))


@pytest.mark.parametrize("options", [{}, {"batch_first": True, "norm_first": True}])
def test_transformer_matches_pytorch(options):
    torch = pytest.importorskip("torch")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = torch.nn.Transformer(4, 2, 2, 1, 8, dtype=torch.float64, **options)
    ours = Transformer(4, 2, 2, 1, 8, dtype=tg.float64, **options)
    assert list(ours.state_dict()) == list(theirs.state_dict()) and repr(ours) == repr(theirs)
    ours.load_state_dict(theirs.state_dict())
    ours.eval(), theirs.eval()
    batch_first = options.get("batch_first", False)
    src, tgt = _sequence(5, True, batch_first), _sequence(3, True, batch_first)
    kwargs = {"tgt_mask": _causal(3), "src_key_padding_mask": _padding(5, True)}
    kwargs |= {"memory_key_padding_mask": _padding(5, True)}
    _compare(torch, ours, theirs, [src, tgt], kwargs, modules=(ours, theirs))


@pytest.mark.parametrize("options", LAYER_OPTIONS)
def test_layer_names_shapes_and_reprs_equal_pytorchs(options):
    torch = pytest.importorskip("torch")
    for ours, theirs in [
        (TransformerEncoderLayer(4, 2, 8, **_layer_options(options, tg)),
         torch.nn.TransformerEncoderLayer(4, 2, 8, **_layer_options(options, torch))),
        (TransformerDecoderLayer(4, 2, 8, **_layer_options(options, tg)),
         torch.nn.TransformerDecoderLayer(4, 2, 8, **_layer_options(options, torch))),
    ]:  # fmt: skip
        assert [(n, p.shape) for n, p in ours.named_parameters()] == [
            (n, tuple(p.shape)) for n, p in theirs.named_parameters()
        ]
        assert list(ours.state_dict()) == list(theirs.state_dict())
        assert repr(ours) == repr(theirs)
        assert all(p.dtype == np.float32 for p in ours.parameters())
    assert ours.activation_relu_or_gelu if hasattr(ours, "activation_relu_or_gelu") else True


def test_encoder_layer_submodules_and_activation_flag():
    layer = TransformerEncoderLayer(4, 2, 8)
    assert [name for name, _ in layer.named_children()] == [
        "self_attn", "linear1", "dropout", "linear2", "norm1", "norm2", "dropout1", "dropout2",
    ]  # fmt: skip
    assert layer.activation is F.relu and layer.activation_relu_or_gelu == 1
    assert TransformerEncoderLayer(4, 2, activation="gelu").activation_relu_or_gelu == 2
    module = TransformerEncoderLayer(4, 2, activation=GELU())
    assert module.activation_relu_or_gelu == 2 and list(module.named_children())[-1][0] == "activation"
    assert TransformerEncoderLayer(4, 2, activation=F.silu).activation_relu_or_gelu == 0
    decoder = TransformerDecoderLayer(4, 2, 8)
    assert [name for name, _ in decoder.named_children()] == [
        "self_attn", "multihead_attn", "linear1", "dropout", "linear2", "norm1", "norm2", "norm3",
        "dropout1", "dropout2", "dropout3",
    ]  # fmt: skip


def test_a_custom_activation_function_is_used():
    layer = TransformerEncoderLayer(4, 2, 8, dropout=0.0, activation=lambda x: x * 0, dtype=tg.float64)
    x = _t(RNG.standard_normal((3, 2, 4)))
    attended = layer.norm1(x + layer.self_attn(x, x, x)[0])
    # a feed-forward net with a zero activation adds only linear2's bias
    expected = layer.norm2(attended + layer.linear2.bias)
    np.testing.assert_allclose(layer(x).data, expected.data, atol=1e-12)


def test_stacks_hold_independent_deep_copies_of_the_layer():
    layer = TransformerEncoderLayer(4, 2, 8)
    encoder = TransformerEncoder(layer, 3)
    assert len(encoder.layers) == 3 and encoder.num_layers == 3 and encoder.norm is None
    first, second = encoder.layers[0], encoder.layers[1]
    assert first is not layer and first.linear1.weight is not second.linear1.weight
    np.testing.assert_array_equal(first.linear1.weight.data, layer.linear1.weight.data)
    with tg.no_grad():
        first.linear1.weight.add_(1.0)
    np.testing.assert_array_equal(second.linear1.weight.data, layer.linear1.weight.data)
    assert len(list(encoder.parameters())) == 3 * len(list(layer.parameters()))
    assert not encoder.use_nested_tensor and encoder.enable_nested_tensor and encoder.mask_check


@pytest.mark.parametrize("norm_first", [False, True])
def test_encoder_layer_matches_the_numpy_reference(norm_first):
    layer = TransformerEncoderLayer(4, 2, 8, norm_first=norm_first, dtype=tg.float64).eval()
    w = {name: np.asarray(value) for name, value in layer.state_dict().items()}
    x, padding, mask = _sequence(5, True, False), _padding(5, True), RNG.standard_normal((5, 5))

    def norm(x, i):
        normed = (x - x.mean(-1, keepdims=True)) / np.sqrt(x.var(-1, keepdims=True) + 1e-5)
        return normed * w[f"norm{i}.weight"] + w[f"norm{i}.bias"]

    def attend(x):
        return _reference_mha(layer.self_attn, x, x, x, mask, padding)[0]

    def feed_forward(x):
        hidden = np.maximum(x @ w["linear1.weight"].T + w["linear1.bias"], 0)
        return hidden @ w["linear2.weight"].T + w["linear2.bias"]

    if norm_first:
        h = x + attend(norm(x, 1))
        expected = h + feed_forward(norm(h, 2))
    else:
        h = norm(x + attend(x), 1)
        expected = norm(h + feed_forward(h), 2)
    got = layer(_t(x), src_mask=_t(mask), src_key_padding_mask=_t(np.where(padding, -np.inf, 0.0)))
    np.testing.assert_allclose(got.data, expected, atol=1e-12)


def test_layers_are_the_same_computation_unbatched_and_batch_first():
    layer = TransformerEncoderLayer(4, 2, 8, dtype=tg.float64).eval()
    x, padding = _sequence(5, True, False), _padding(5, True)
    out = layer(_t(x), src_key_padding_mask=_t(padding)).data
    for i in range(2):
        one = layer(_t(x[:, i]), src_key_padding_mask=_t(padding[i])).data
        np.testing.assert_allclose(one, out[:, i], atol=1e-12)
    layer.self_attn.batch_first = True
    swapped = layer(_t(x.transpose(1, 0, 2)), src_key_padding_mask=_t(padding)).data
    np.testing.assert_allclose(swapped, out.transpose(1, 0, 2), atol=1e-12)


def test_padding_never_changes_the_other_positions():
    layer = TransformerEncoderLayer(4, 2, 8, dtype=tg.float64).eval()
    x = _sequence(5, True, False)
    padding = _padding(5, True)
    out = layer(_t(x), src_key_padding_mask=_t(padding)).data
    x[-2:, 1] = RNG.standard_normal((2, 4))  # new values at sequence 1's padding
    again = layer(_t(x), src_key_padding_mask=_t(padding)).data
    np.testing.assert_allclose(again[:3], out[:3], atol=1e-12)
    np.testing.assert_allclose(again[:, 0], out[:, 0], atol=1e-12)


def test_dropout_only_in_training():
    layer = TransformerEncoderLayer(4, 2, 8, dropout=0.3, dtype=tg.float64)
    x = _t(_sequence(5, True, False))
    assert not np.allclose(layer(x).data, layer(x).data)
    layer.eval()
    np.testing.assert_array_equal(layer(x).data, layer(x).data)


@pytest.mark.parametrize("norm_first", [False, True])
def test_encoder_layer_gradients_match_finite_differences(norm_first):
    layer = TransformerEncoderLayer(
        4, 2, 3, dropout=0.0, activation="gelu", norm_first=norm_first, dtype=tg.float64
    )
    x = _t(_sequence(3, True, False, n=1), True)
    mask = _t(RNG.standard_normal((3, 3)), True)

    def fn(x, mask, *params):
        return layer(x, src_mask=mask)

    assert gradcheck(fn, [x, mask, *layer.parameters()])
    assert gradgradcheck(
        fn, [x, mask, layer.self_attn.in_proj_weight, layer.linear1.weight, layer.norm1.weight]
    )


def test_decoder_layer_gradients_match_finite_differences():
    layer = TransformerDecoderLayer(4, 2, 3, dropout=0.0, activation="gelu", dtype=tg.float64)
    tgt, memory = _t(_sequence(2, True, False, n=1), True), _t(_sequence(3, True, False, n=1), True)
    mask = _t(_causal(2))

    def fn(tgt, memory, *params):
        return layer(tgt, memory, tgt_mask=mask)

    some = [layer.self_attn.in_proj_bias, layer.multihead_attn.in_proj_weight, layer.norm3.weight]
    assert gradcheck(fn, [tgt, memory, *some])
    assert gradgradcheck(fn, [tgt, memory, layer.multihead_attn.in_proj_weight])


def test_generate_square_subsequent_mask():
    mask = Transformer.generate_square_subsequent_mask(3)
    assert mask.dtype == np.float32
    np.testing.assert_array_equal(mask.data, [[0, -np.inf, -np.inf], [0, 0, -np.inf], [0, 0, 0]])
    assert Transformer.generate_square_subsequent_mask(2, dtype=tg.float64).dtype == np.float64


def test_is_causal_is_detected_only_for_the_exact_causal_mask():
    causal = _t(_causal(4))
    assert _detect_is_causal_mask(causal, None, 4)
    assert not _detect_is_causal_mask(causal, None, 5)
    assert not _detect_is_causal_mask(_t(np.zeros((4, 4))), None, 4)
    assert not _detect_is_causal_mask(causal, False, 4) and _detect_is_causal_mask(None, True, 4)
    assert not _detect_is_causal_mask(None, None, 4)


def test_decoder_copies_keep_an_activation_module():
    """PyTorch's deep copies of a TransformerDecoderLayer whose activation is a module (GELU())
    compute ReLU instead (its __setstate__ puts F.relu in front of the module); here they keep it."""
    decoder = TransformerDecoder(TransformerDecoderLayer(4, 2, 8, dropout=0.0, activation=GELU()), 2)
    assert all(isinstance(layer.activation, GELU) for layer in decoder.layers)
    x = tg.randn(3, 8)
    np.testing.assert_array_equal(decoder.layers[1].activation(x).data, F.gelu(x).data)


def test_transformer_initialisation_is_xavier_uniform_for_every_matrix():
    model = Transformer(16, 2, 1, 1, 32)
    for name, p in model.named_parameters():
        if p.ndim > 1:
            fan_out, fan_in = p.shape
            bound = math.sqrt(6 / (fan_in + fan_out))
            assert np.abs(p.data).max() <= bound and np.abs(p.data).max() > 0.9 * bound, name
    assert model.d_model == 16 and model.nhead == 2 and not model.batch_first
    assert all(p.dtype == np.float32 for p in model.parameters())  # LayerNorm's too


def test_transformer_takes_custom_encoder_and_decoder():
    encoder = TransformerEncoder(TransformerEncoderLayer(4, 2, 8), 1)
    model = Transformer(4, 2, custom_encoder=encoder, num_decoder_layers=1, dim_feedforward=8)
    assert model.encoder is encoder and model.encoder.norm is None
    assert model(tg.randn(5, 2, 4), tg.randn(3, 2, 4)).shape == (3, 2, 4)


def test_transformer_layer_errors_are_pytorchs():
    with pytest.raises(RuntimeError, match="activation should be relu/gelu, not tanh"):
        TransformerEncoderLayer(4, 2, activation="tanh")
    with pytest.raises(AssertionError, match="embed_dim must be divisible by num_heads"):
        TransformerDecoderLayer(4, 3)
    with pytest.raises(ValueError, match="dropout probability has to be between 0 and 1"):
        TransformerEncoderLayer(4, 2, dropout=1.5)
    model = Transformer(4, 2, 1, 1, 8)
    with pytest.raises(RuntimeError, match="the batch number of src and tgt must be equal"):
        model(tg.randn(5, 2, 4), tg.randn(3, 3, 4))
    with pytest.raises(RuntimeError, match="the feature number of src and tgt must be equal to d_model"):
        model(tg.randn(5, 2, 4), tg.randn(3, 2, 3))
    with pytest.raises(RuntimeError, match="Need attn_mask if specifying the is_causal hint"):
        TransformerEncoderLayer(4, 2, 8)(tg.randn(5, 2, 4), is_causal=True)
    with pytest.warns(UserWarning, match="mismatched src_key_padding_mask and src_mask is deprecated"):
        padding = tg.tensor(np.zeros((2, 5), bool))
        TransformerEncoderLayer(4, 2, 8)(
            tg.randn(5, 2, 4), src_mask=tg.zeros(5, 5), src_key_padding_mask=padding
        )


# ---------------------------------------------------------------- training


def test_a_one_layer_encoder_learns_to_reverse_four_digits():
    """Token embeddings plus learned positions, one encoder layer, a linear read-out, Adam."""
    tg.manual_seed(1)
    rng = np.random.default_rng(1)
    length, digits, width = 4, 10, 32
    embed, position = Embedding(digits, width), Parameter(tg.randn(length, width) * 0.1)
    layer = TransformerEncoderLayer(width, 4, 64, dropout=0.0, batch_first=True)
    head = Linear(width, digits)
    params = [*embed.parameters(), position, *layer.parameters(), *head.parameters()]
    opt = optim.Adam(params, lr=1e-2)

    def loss_of(x: np.ndarray):
        logits = head(layer(embed(tg.tensor(x)) + position))
        return F.cross_entropy(logits.reshape(-1, digits), tg.tensor(x[:, ::-1].reshape(-1)))

    losses = []
    for _ in range(60):
        loss = loss_of(rng.integers(0, digits, (32, length)))
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert losses[0] > 2.0  # about log(10): a guess
    with tg.no_grad():
        assert loss_of(rng.integers(0, digits, (256, length))).item() < losses[0] / 10
