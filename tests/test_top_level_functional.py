"""PyTorch's top-level forms of the network functions (tg.conv2d, tg.dropout, tg.embedding, ...).

Their signatures differ from F's (embedding takes the table first, batch_norm
weight and bias before the running statistics, dropout has a required train
and no inplace), so each wrapper is checked against the F function it wraps,
with the arguments mapped by hand here: a swapped argument would give other
values. Where torch is installed, each is also checked against torch's
top-level function: values, dtypes, gradients and errors.
"""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_edu as tg
import tinygrad_edu.nn.functional as F
from tinygrad_edu.nn import top_level as T

RNG = np.random.default_rng(7)
X3 = RNG.standard_normal((2, 4, 6))  # (N, C, L)
X4 = RNG.standard_normal((2, 4, 5, 6))  # (N, C, H, W)
X5 = RNG.standard_normal((1, 2, 4, 4, 5))
C4 = [RNG.standard_normal(4) for _ in range(3)] + [RNG.random(4) + 0.5]  # weight, bias, mean, var (C=4)
TABLE = RNG.standard_normal((5, 3))
INDICES = np.array([[0, 3, 1], [4, 3, 3]])


def t(a: np.ndarray, grad: bool = False) -> tg.Tensor:
    return tg.tensor(a, requires_grad=grad)


def same(ours: tg.Tensor, expected: tg.Tensor) -> None:
    assert ours.dtype == expected.dtype and ours.shape == expected.shape
    np.testing.assert_array_equal(ours.data, expected.data)


# ---------------------------------------------------------------- against F, argument mapping by hand


SHARED = ["conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d",
          "avg_pool1d", "adaptive_avg_pool1d", "bilinear", "prelu", "hardshrink", "pixel_shuffle",
          "pixel_unshuffle", "channel_shuffle", "celu_", "selu_", "threshold_"]  # fmt: skip


@pytest.mark.parametrize("name", SHARED)
def test_shared_signatures_are_fs_own_function(name):
    # torch.conv2d is torch.nn.functional.conv2d (and so on): the same function, one signature
    assert getattr(T, name) is getattr(F, name)


def test_embedding_takes_the_table_first():
    w = t(TABLE, grad=True)
    out = T.embedding(w, t(INDICES), 3)
    same(out, F.embedding(t(INDICES), t(TABLE), padding_idx=3))
    out.sum().backward()
    counts = np.bincount(INDICES.ravel(), minlength=5).astype(float)
    counts[3] = 0  # the padding row gets no gradient
    np.testing.assert_array_equal(w.grad.data, np.repeat(counts[:, None], 3, axis=1))


@pytest.mark.parametrize("padding_idx", [-1, -2, 5, 9])
def test_embedding_negative_or_outside_padding_idx_means_none(padding_idx):
    w = t(TABLE, grad=True)
    T.embedding(w, t(INDICES), padding_idx).sum().backward()
    w2 = t(TABLE, grad=True)
    F.embedding(t(INDICES), w2).sum().backward()
    np.testing.assert_array_equal(w.grad.data, w2.grad.data)


def test_batch_and_instance_norm_take_weight_and_bias_first():
    weight, bias, mean, var = C4
    out = T.batch_norm(t(X3), t(weight), t(bias), t(mean), t(var), False, 0.1, 1e-5, True)
    same(out, F.batch_norm(t(X3), t(mean), t(var), t(weight), t(bias), False, 0.1, 1e-5))
    out = T.instance_norm(t(X3), t(weight), t(bias), None, None, True, 0.1, 1e-3, True)
    same(out, F.instance_norm(t(X3), None, None, t(weight), t(bias), True, 0.1, 1e-3))
    out = T.instance_norm(t(X3), t(weight), t(bias), t(mean), t(var), False, 0.1, 1e-3, True)
    same(out, F.instance_norm(t(X3), t(mean), t(var), t(weight), t(bias), False, 0.1, 1e-3))


@pytest.mark.parametrize("op", [T.batch_norm, T.instance_norm])
def test_norms_update_the_running_statistics_as_f_does(op):
    weight, bias, mean, var = C4
    stats, f_stats = (t(mean.copy()), t(var.copy())), (t(mean.copy()), t(var.copy()))
    op(t(X3), t(weight), t(bias), *stats, True, 0.3, 1e-5, False)
    f_op = F.batch_norm if op is T.batch_norm else F.instance_norm
    f_op(t(X3), *f_stats, t(weight), t(bias), True, 0.3, 1e-5)
    for ours, theirs in zip(stats, f_stats):
        same(ours, theirs)
    assert not np.array_equal(stats[0].data, mean)


def test_layer_group_and_rms_norm():
    weight, bias = C4[0][:3].repeat(2), C4[1][:3].repeat(2)
    same(
        T.layer_norm(t(X3), [6], t(weight), t(bias), 1e-3, False),
        F.layer_norm(t(X3), [6], t(weight), t(bias), 1e-3),
    )
    same(T.rms_norm(t(X3), (6,), t(weight), 1e-3), F.rms_norm(t(X3), (6,), t(weight), 1e-3))
    g_weight, g_bias = C4[0], C4[1]
    same(
        T.group_norm(t(X3), 2, t(g_weight), t(g_bias), 1e-2),
        F.group_norm(t(X3), 2, t(g_weight), t(g_bias), 1e-2),
    )


@pytest.mark.parametrize("op", [T.layer_norm, T.rms_norm])
def test_normalized_shape_must_be_a_sequence(op):
    with pytest.raises(TypeError, match="normalized_shape"):
        op(t(X3), 6)


@pytest.mark.parametrize(
    ("ours", "theirs", "x", "kernel"),
    [
        (T.max_pool1d, F.max_pool1d, X3, 3),
        (T.max_pool2d, F.max_pool2d, X4, 2),
        (T.max_pool3d, F.max_pool3d, X5, 2),
    ],
)
def test_max_pools_empty_stride_means_the_kernel_size(ours, theirs, x, kernel):
    same(ours(t(x), kernel), theirs(t(x), kernel))
    same(ours(t(x), kernel, []), theirs(t(x), kernel))
    same(ours(t(x), kernel, 1, 1, 1, True), theirs(t(x), kernel, 1, 1, 1, True))
    with pytest.raises(TypeError):
        ours(t(x), kernel, return_indices=True)  # the top-level forms have no return_indices


def test_the_pools_that_return_indices():
    values, indices = T.max_pool1d_with_indices(t(X3), 3, 2, 1)
    f_values, f_indices = F.max_pool1d(t(X3), 3, 2, 1, return_indices=True)
    same(values, f_values)
    same(indices, f_indices)
    values, indices = T.adaptive_max_pool1d(t(X3), 4)
    f_values, f_indices = F.adaptive_max_pool1d(t(X3), 4, return_indices=True)
    same(values, f_values)
    same(indices, f_indices)


DROPOUTS = [
    (T.dropout, T.dropout_, lambda x, p: F.dropout(x, p, True), X3),
    (T.alpha_dropout, T.alpha_dropout_, lambda x, p: F.alpha_dropout(x, p, True), X3),
    (T.feature_dropout, T.feature_dropout_, lambda x, p: F.dropout2d(x, p, True), X4),
    (T.feature_alpha_dropout, T.feature_alpha_dropout_, lambda x, p: F.feature_alpha_dropout(x, p, True), X4),
]


@pytest.mark.parametrize(("op", "op_", "f_op", "x"), DROPOUTS, ids=[d[0].__name__ for d in DROPOUTS])
def test_dropouts_draw_the_masks_of_f(op, op_, f_op, x):
    tg.manual_seed(3)
    expected = f_op(t(x), 0.4)
    tg.manual_seed(3)
    same(op(t(x), 0.4, True), expected)
    tg.manual_seed(3)
    target = t(x)
    assert op_(target, 0.4, True) is target
    same(target, expected)
    same(op(t(x), 0.4, False), t(x))  # train=False: the identity


@pytest.mark.parametrize("op", [d[i] for d in DROPOUTS for i in (0, 1)], ids=lambda op: op.__name__)
def test_dropouts_need_p_and_train_and_refuse_a_bad_p(op):
    with pytest.raises(TypeError):
        op(t(X4), 0.5)
    with pytest.raises(RuntimeError, match="between 0 and 1, but got 1.5"):
        op(t(X4), 1.5, False)  # (F raises a ValueError; the top-level form a RuntimeError, even in eval)


def test_feature_dropout_takes_one_draw_per_channel_of_any_rank():
    x = t(np.ones((3, 5, 2, 2, 2)))
    tg.manual_seed(0)
    out = T.feature_dropout(x, 0.5, True).data.reshape(3, 5, -1)
    assert set(np.unique(out)) <= {0.0, 2.0}
    assert (out == out[..., :1]).all() and 0 < (out == 0).sum() < out.size


def test_activations_without_inplace():
    x = t(X3)
    same(T.celu(x, 0.7), F.celu(x, 0.7))
    same(T.selu(x), F.selu(x))
    same(T.threshold(x, 0.2, -3.0), F.threshold(x, 0.2, -3.0))
    same(T.rrelu(x, 0.1, 0.3), F.rrelu(x, 0.1, 0.3))
    tg.manual_seed(1)
    expected = F.rrelu(x, 0.1, 0.3, True)
    tg.manual_seed(1)
    same(T.rrelu(x, 0.1, 0.3, True), expected)
    target = t(X3)
    tg.manual_seed(1)
    assert T.rrelu_(target, 0.1, 0.3, True) is target
    same(target, expected)
    for op in (T.celu, T.selu, T.threshold, T.rrelu):
        with pytest.raises(TypeError):
            op(x, inplace=True)
    with pytest.raises(NotImplementedError, match="generator"):
        T.rrelu(x, generator=tg.Generator())


def test_constant_pad_nd_is_constant_pad():
    same(T.constant_pad_nd(t(X3), [1, 2, -1, 0], 0.5), F.pad(t(X3), [1, 2, -1, 0], value=0.5))
    same(T.constant_pad_nd(t(np.array([1, 2])), [2, 1]), tg.tensor([0, 0, 1, 2, 0]))


def test_rsub_is_other_minus_alpha_input():
    x, y = t(X3[0]), t(X3[1])
    same(T.rsub(x, y), y - x)
    same(T.rsub(x, y, alpha=2.5), y - x * 2.5)
    same(T.rsub(x, 3.0), 3.0 - x)
    same(T.rsub(tg.tensor([1, 2]), 5, 3), tg.tensor([2, -1]))
    same(T.rsub(tg.tensor([1, 2]), 2.5), tg.tensor([1.5, 0.5]))
    with pytest.raises(RuntimeError, match="alpha must not be a floating point"):
        T.rsub(tg.tensor([1, 2]), 5, 0.5)
    with pytest.raises(RuntimeError, match="bool"):
        T.rsub(tg.tensor([True]), 1)


def test_scalar_tensor_is_a_0d_tensor_of_the_default_dtype():
    same(T.scalar_tensor(3), tg.tensor(3.0))
    same(T.scalar_tensor(True), tg.tensor(1.0))
    same(T.scalar_tensor(tg.tensor(4)), tg.tensor(4.0))
    same(T.scalar_tensor(-2.7, dtype=tg.int64), tg.tensor(-2))
    assert T.scalar_tensor(1.5, requires_grad=True).requires_grad
    with pytest.raises(TypeError, match="must be Number, not Tensor"):
        T.scalar_tensor(tg.tensor([1.0, 2.0]))


def test_gradients_through_the_mapped_arguments():
    weight, bias, mean, var = (t(a, grad=True) for a in C4)

    def norms(x, w, b):
        return T.batch_norm(x, w, b, None, None, True, 0.1, 1e-5, True) + T.instance_norm(
            x, b, w, mean.detach(), var.detach(), False, 0.1, 1e-5, True
        )

    assert tg.testing.gradcheck(norms, (t(X3, True), weight, bias))
    assert tg.testing.gradcheck(lambda w: T.embedding(w, t(INDICES), -1), (t(TABLE, True),))
    assert tg.testing.gradcheck(lambda x, y: T.rsub(x, y, alpha=0.5), (t(X3[0], True), t(X3[1], True)))
    assert tg.testing.gradcheck(lambda x: T.constant_pad_nd(x, [1, -1], 2.0), (t(X3, True),))
    assert tg.testing.gradcheck(lambda x: T.max_pool2d(x, 2, [], 1), (t(X4, True),))


# ---------------------------------------------------------------- against torch


class G:
    """An array that becomes a tensor requiring grad (plain arrays become constants)."""

    def __init__(self, array: np.ndarray) -> None:
        self.array = array


W, B, MEAN, VAR = C4
# (name, arguments, keyword arguments): float64 inputs, deterministic settings
TORCH_CASES = [
    ("conv2d", (G(X4), G(RNG.standard_normal((4, 2, 2, 3))), G(RNG.standard_normal(4)), 1, 1, 1, 2), {}),
    ("conv_transpose1d", (G(X3), G(RNG.standard_normal((4, 2, 3))), None, 2, 1, 1), {}),
    ("max_pool1d", (G(X3), 3, [], 1), {}),
    ("max_pool2d", (G(X4), (2, 3), (1, 2), 1, 1, True), {}),
    ("max_pool3d", (G(X5), 2), {}),
    ("max_pool1d_with_indices", (G(X3), 2), {"dilation": 2}),
    ("avg_pool1d", (G(X3), 3, [], 1), {}),
    ("adaptive_avg_pool1d", (G(X3), 4), {}),
    ("adaptive_max_pool1d", (G(X3), 4), {}),
    ("dropout", (G(X3), 0.3, False), {}),
    ("dropout", (G(X3), 1.0, True), {}),
    ("alpha_dropout", (G(X3), 0.0, True), {}),
    ("feature_dropout", (G(X3), 0.3, False), {}),
    ("feature_alpha_dropout", (G(X4), 0.5, False), {}),
    ("embedding", (G(TABLE), INDICES, 3), {}),
    ("embedding", (G(TABLE), INDICES), {"padding_idx": -2}),
    ("layer_norm", (G(X3), [4, 6], None, None, 1e-3), {"cudnn_enable": False}),
    ("layer_norm", (G(X3), (6,), G(W[:3].repeat(2)), G(B[:3].repeat(2))), {}),
    ("rms_norm", (G(X3), [6], G(W[:3].repeat(2))), {}),
    ("group_norm", (G(X3), 2, G(W), G(B), 1e-4, True), {}),
    ("batch_norm", (G(X3), G(W), G(B), MEAN, VAR, False, 0.1, 1e-5, True), {}),
    ("batch_norm", (G(X3), G(W), None, MEAN.copy(), VAR.copy(), True, 0.2, 1e-5, False), {}),
    ("instance_norm", (G(X3), None, G(B), MEAN.copy(), VAR.copy(), True, 0.1, 1e-5, True), {}),
    ("instance_norm", (G(X3), G(W), G(B), MEAN, VAR, False, 0.1, 1e-5, True), {}),
    ("bilinear", (G(X3[0]), G(X3[1, :, :5]), G(RNG.standard_normal((2, 6, 5))), None), {}),
    # (alpha 0.5: torch rounds 1 / alpha to float32 in celu's float64 backward, 1e-7 off for 0.6)
    ("celu", (G(X3), 0.5), {}),
    ("selu", (G(X3),), {}),
    ("prelu", (G(X3), G(W)), {}),
    ("rrelu", (G(X3), 0.2, 0.4), {}),
    ("threshold", (G(X3), 0.1, -2.0), {}),
    ("hardshrink", (G(X3), 0.3), {}),
    ("pixel_shuffle", (G(RNG.standard_normal((1, 8, 2, 3))), 2), {}),
    ("pixel_unshuffle", (G(X4[:, :, :4]), 2), {}),
    ("channel_shuffle", (G(X4), 2), {}),
    ("constant_pad_nd", (G(X3), [2, -1, 1, 1], 0.25), {}),
    ("constant_pad_nd", (np.arange(4), [1, 2], 2.7), {}),
    ("rsub", (G(X3[0]), G(X3[1])), {"alpha": 2}),
    ("rsub", (G(X3), 1.5, 3), {}),
    ("rsub", (np.arange(4, dtype=np.int32), 2.5), {}),
    ("scalar_tensor", (5,), {}),
    ("scalar_tensor", (2.5,), {"requires_grad": True}),
]


def _convert(lib, arg):
    if isinstance(arg, G):
        return lib.tensor(arg.array, requires_grad=True)
    return lib.tensor(arg) if isinstance(arg, np.ndarray) else arg


@pytest.mark.parametrize(("name", "args", "kwargs"), TORCH_CASES, ids=[c[0] for c in TORCH_CASES])
def test_against_torch(name, args, kwargs):
    torch = pytest.importorskip("torch")
    ours_in, theirs_in = [_convert(tg, a) for a in args], [_convert(torch, a) for a in args]
    ours, theirs = getattr(T, name)(*ours_in, **kwargs), getattr(torch, name)(*theirs_in, **kwargs)
    ours, theirs = (ours, theirs) if isinstance(ours, tuple) else ((ours,), (theirs,))
    assert len(ours) == len(theirs)
    for o, th in zip(ours, theirs):
        assert str(o.dtype).removeprefix("tinygrad_edu.") == str(th.dtype).removeprefix("torch.")
        np.testing.assert_allclose(o.data, th.detach().numpy(), rtol=1e-10, atol=1e-12)
    for o, th in zip(ours_in, theirs_in):  # running statistics updated alike (in training)
        if isinstance(o, tg.Tensor) and not o.requires_grad:
            np.testing.assert_allclose(o.data, th.numpy(), rtol=1e-10, atol=1e-12)
    if not ours[0].requires_grad:
        assert not theirs[0].requires_grad
        return
    upstream = RNG.standard_normal(ours[0].shape)
    ours[0].backward(tg.tensor(upstream))
    theirs[0].backward(torch.tensor(upstream))
    for o, th in zip(ours_in, theirs_in):
        if isinstance(o, tg.Tensor) and o.requires_grad:
            np.testing.assert_allclose(o.grad.data, th.grad.numpy(), rtol=1e-10, atol=1e-12)


INPLACE = [("dropout_", (1.0, True)), ("alpha_dropout_", (0.5, False)), ("feature_dropout_", (1.0, True)),
           ("feature_alpha_dropout_", (0.0, True)), ("celu_", (0.5,)), ("selu_", ()), ("rrelu_", (0.1, 0.2)),
           ("threshold_", (0.2, 7.0))]  # fmt: skip


@pytest.mark.parametrize(("name", "args"), INPLACE, ids=[c[0] for c in INPLACE])
def test_in_place_forms_against_torch(name, args):
    torch = pytest.importorskip("torch")
    ours, theirs = tg.tensor(X4), torch.tensor(X4)
    assert getattr(T, name)(ours, *args) is ours
    assert getattr(torch, name)(theirs, *args) is theirs
    np.testing.assert_allclose(ours.data, theirs.numpy(), rtol=1e-12, atol=1e-14)


# (name, arguments too few): torch raises a TypeError for a missing required argument
MISSING = [("dropout", (X3, 0.5)), ("dropout_", (X3, 0.5)), ("alpha_dropout", (X3, 0.5)),
           ("feature_dropout", (X3,)), ("feature_alpha_dropout_", (X3, 0.5)), ("embedding", (TABLE,)),
           ("layer_norm", (X3,)), ("group_norm", (X3,)), ("rms_norm", (X3,)), ("max_pool2d", (X4,)),
           ("max_pool1d_with_indices", (X3,)),
           ("adaptive_max_pool1d", (X3,)), ("threshold", (X3, 0.5)), ("threshold_", (X3, 0.5)),
           ("batch_norm", (X3, None, None, None, None, True, 0.1, 1e-5)),
           ("instance_norm", (X3, None, None, None, None, True, 0.1, 1e-5)), ("constant_pad_nd", (X3,)),
           ("rsub", (X3,)), ("prelu", (X3,)), ("pixel_shuffle", (X4,)), ("scalar_tensor", ())]  # fmt: skip


@pytest.mark.parametrize(("name", "args"), MISSING, ids=[c[0] for c in MISSING])
def test_missing_required_arguments_are_type_errors(name, args):
    with pytest.raises(TypeError):
        getattr(T, name)(*[_convert(tg, a) for a in args])
    torch = pytest.importorskip("torch")
    with pytest.raises(TypeError):
        getattr(torch, name)(*[_convert(torch, a) for a in args])


ERRORS = [
    ("dropout", (X3, 1.5, False), RuntimeError),
    ("feature_dropout", (X3[0, 0], 0.5, True), RuntimeError),
    ("layer_norm", (X3, 6), TypeError),
    ("rms_norm", (X3, 6), TypeError),
    ("group_norm", (X3, 3), RuntimeError),
    ("batch_norm", (X3, None, None, None, None, False, 0.1, 1e-5, True), RuntimeError),
    ("embedding", (TABLE, np.array([5])), IndexError),
    ("rsub", (np.array([1, 2]), 5, 0.5), RuntimeError),
    ("scalar_tensor", (np.array([1.0, 2.0]),), TypeError),
]


@pytest.mark.parametrize(("name", "args", "error"), ERRORS, ids=[c[0] for c in ERRORS])
def test_errors_match_torch(name, args, error):
    with pytest.raises(error):
        getattr(T, name)(*[_convert(tg, a) for a in args])
    torch = pytest.importorskip("torch")
    with pytest.raises(error):
        getattr(torch, name)(*[_convert(torch, a) for a in args])


def test_each_top_level_name_is_the_wrapper():
    imported = {"Tensor", "get_default_dtype", "tensor"}  # (what the module itself uses)
    names = [n for n in dir(T) if callable(getattr(T, n)) and n in tg.__all__ and n not in imported]
    assert len(names) == 44
    for name in names:
        assert getattr(tg, name) is getattr(T, name), name
