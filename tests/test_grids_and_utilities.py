"""meshgrid, broadcast_tensors/shapes (ops/grids.py), logspace, empty_like (more_factories.py),
cdist, Tensor.unfold (ops/windows.py), clamp_min/max, finfo/iinfo (dtype_info.py),
nn.init.dirac_/sparse_ and nn.utils.get_total_norm/clip_grads_with_norm_."""

import warnings

import numpy as np
import pytest

import tinygrad_edu as tg
from tinygrad_edu.dtype_info import finfo, iinfo
from tinygrad_edu.more_factories import empty_like, logspace
from tinygrad_edu.nn import init
from tinygrad_edu.nn.utils.clip_grad import clip_grads_with_norm_, get_total_norm
from tinygrad_edu.ops.cdist import cdist
from tinygrad_edu.ops.clamping import clamp_max, clamp_min
from tinygrad_edu.ops.grids import broadcast_shapes, broadcast_tensors, meshgrid
from tinygrad_edu.ops.windows import unfold
from tinygrad_edu.testing import gradcheck, gradgradcheck


def t64(*args, **kw):
    return tg.tensor(np.asarray(*args, dtype=np.float64), **kw)


# ---------------------------------------------------------------- grids and broadcasting


def test_meshgrid_matches_numpy_in_both_orders():
    a, b, c = tg.arange(2), tg.arange(3), tg.arange(4)
    for indexing in ("ij", "xy"):
        ours = meshgrid(a, b, c, indexing=indexing)
        for got, expected in zip(ours, np.meshgrid(a.data, b.data, c.data, indexing=indexing)):
            np.testing.assert_array_equal(got.data, expected)
    assert [g.shape for g in meshgrid([a, b], indexing="ij")] == [(2, 3), (2, 3)]
    assert meshgrid(tg.tensor(2), b, indexing="ij")[0].tolist() == [[2, 2, 2]]


def test_meshgrid_warns_without_indexing_and_checks_its_inputs():
    with pytest.warns(UserWarning, match="indexing"):
        grids = meshgrid(tg.arange(2), tg.arange(3))
    assert grids[0].shape == (2, 3)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        meshgrid(tg.arange(2), indexing="xy")
    with pytest.raises(RuntimeError, match="same dtype"):
        meshgrid(tg.arange(2), tg.arange(3.0), indexing="ij")
    with pytest.raises(RuntimeError, match="non-empty"):
        meshgrid(indexing="ij")
    with pytest.raises(RuntimeError, match="indexing"):
        meshgrid(tg.arange(2), indexing="ji")
    with pytest.raises(RuntimeError, match="0D or 1D"):
        meshgrid(tg.ones(2, 2), indexing="ij")


def test_meshgrid_and_broadcast_tensors_gradients_sum_over_the_copies():
    x, y = t64([1.0, 2.0], requires_grad=True), t64([3.0, 4.0, 5.0], requires_grad=True)
    assert gradcheck(lambda a, b: [g * g for g in meshgrid(a, b, indexing="xy")], [x, y])
    assert gradgradcheck(lambda a, b: meshgrid(a, b, indexing="ij")[0] ** 3, [x, y])
    u = t64([[1.0], [2.0]], requires_grad=True)
    assert gradcheck(lambda a, b: broadcast_tensors(a, b)[0] * broadcast_tensors(a, b)[1], [u, y])


def test_broadcast_tensors_and_shapes():
    p, q = broadcast_tensors(tg.ones(2, 1), tg.ones(3, dtype=tg.int64))
    assert p.shape == q.shape == (2, 3) and q.dtype == np.int64
    assert broadcast_tensors() == ()
    with pytest.raises(RuntimeError):
        broadcast_tensors(tg.ones(2), tg.ones(3))
    assert (
        broadcast_shapes((2, 1), (3,))
        == (2, 3)
        == broadcast_shapes((2, 1), 3)
        == broadcast_shapes([2, 1], [3])
    )
    assert broadcast_shapes() == () and broadcast_shapes((2, 0), (1,)) == (2, 0)
    with pytest.raises(RuntimeError):
        broadcast_shapes(2, 3)
    with pytest.raises(ValueError, match="negative"):
        broadcast_shapes((2, 1), (-1,))


# ---------------------------------------------------------------- factories


def test_logspace_and_empty_like():
    np.testing.assert_allclose(logspace(0, 2, 3).data, [1.0, 10.0, 100.0])
    assert logspace(0, 2, 3).dtype == np.float32
    np.testing.assert_array_equal(logspace(0, 3, 4, base=2, dtype=tg.float64).data, [1.0, 2.0, 4.0, 8.0])
    np.testing.assert_array_equal(logspace(-1, 1, 5).data, np.logspace(-1, 1, 5).astype(np.float32))
    assert logspace(0, 2, 3, dtype=tg.int64).tolist() == [1, 10, 100]
    assert logspace(0, 2, 0).shape == (0,) and logspace(0, 2, 1).tolist() == [1.0]
    with pytest.raises(RuntimeError):
        logspace(0, 2, -1)
    with pytest.raises(TypeError):
        logspace(0, 2, 2.5)
    e = empty_like(tg.ones(2, 3, dtype=tg.int32))
    assert e.shape == (2, 3) and e.dtype == np.int32 and not e.requires_grad
    assert empty_like(tg.ones(2), dtype=tg.float64, requires_grad=True).requires_grad


# ---------------------------------------------------------------- cdist


@pytest.mark.parametrize("p", [0.0, 0.5, 1.0, 2.0, 3.0, float("inf")])
def test_cdist_values_against_a_direct_formula(p):
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal((2, 3, 4)), rng.standard_normal((5, 4))
    diff = np.abs(a[:, :, None, :] - b[None, None, :, :])
    if p == 0:
        expected = (diff != 0).sum(-1)
    elif p == float("inf"):
        expected = diff.max(-1)
    else:
        expected = (diff**p).sum(-1) ** (1 / p)
    out = cdist(t64(a), t64(b), p=p)
    assert out.shape == (2, 3, 5) and out.dtype == np.float64
    np.testing.assert_allclose(out.data, expected, rtol=1e-12)


def test_cdist_gradients_and_errors():
    rng = np.random.default_rng(1)
    a, b = (
        t64(rng.standard_normal((3, 2)), requires_grad=True),
        t64(rng.standard_normal((4, 2)), requires_grad=True),
    )
    for p in (1.0, 2.0, 3.0, float("inf")):
        assert gradcheck(lambda x, y: cdist(x, y, p=p), [a, b])
    assert gradgradcheck(lambda x, y: cdist(x, y), [a, b])
    # a distance of 0 (a point with itself) sends no gradient, as in PyTorch
    same = t64([[0.0, 0.0], [1.0, 1.0]], requires_grad=True)
    cdist(same, same).sum().backward()
    np.testing.assert_allclose(same.grad.data, [[-(2**0.5)] * 2, [2**0.5] * 2])
    for call, words in [
        (lambda: cdist(tg.ones(3), tg.ones(2, 3)), "2D"),
        (lambda: cdist(tg.ones(2, 3), tg.ones(2, 4)), "columns"),
        (lambda: cdist(tg.ones(2, 3), tg.ones(2, 3), p=-1), "non-negative"),
        (lambda: cdist(tg.ones(2, 3, dtype=tg.int64), tg.ones(2, 3, dtype=tg.int64)), "floating"),
    ]:
        with pytest.raises(RuntimeError, match=words):
            call()
    with pytest.raises(ValueError):
        cdist(tg.ones(2, 3), tg.ones(2, 3), compute_mode="fast")


# ---------------------------------------------------------------- unfold, clamp_min / clamp_max


def test_unfold_windows_shape_values_and_errors():
    x = tg.arange(7.0)
    assert unfold(x, 0, 3, 2).tolist() == [[0.0, 1.0, 2.0], [2.0, 3.0, 4.0], [4.0, 5.0, 6.0]]
    assert unfold(tg.arange(24.0).reshape(2, 3, 4), 1, 2, 1).shape == (2, 2, 4, 2)
    assert unfold(x, 0, 0, 1).shape == (8, 0) and unfold(tg.tensor(5.0), 0, 1, 1).tolist() == [5.0]
    expected = np.lib.stride_tricks.sliding_window_view(np.arange(7.0), 3)[::2]
    np.testing.assert_array_equal(unfold(x, 0, 3, 2).data, expected)
    for args, words in [((0, 8, 1), "maximum size"), ((0, -1, 1), "size is -1"), ((0, 2, 0), "step")]:
        with pytest.raises(RuntimeError, match=words):
            unfold(x, *args)
    with pytest.raises(IndexError):
        unfold(x, 1, 2, 1)


def test_unfold_gradient_sums_over_overlapping_windows():
    x = t64(np.random.default_rng(2).standard_normal((3, 5)), requires_grad=True)
    assert gradcheck(lambda a: unfold(a, 1, 3, 1), [x])
    assert gradgradcheck(lambda a: unfold(a, -1, 2, 2) ** 2, [x])
    y = tg.ones(5, requires_grad=True)
    unfold(y, 0, 3, 1).sum().backward()
    assert y.grad.tolist() == [1.0, 2.0, 3.0, 2.0, 1.0]


def test_clamp_min_and_clamp_max():
    assert clamp_min(tg.tensor([1, 5]), 3).tolist() == [3, 5]
    assert clamp_min(tg.tensor([1, 5]), 3.5).dtype == np.float32
    assert clamp_max(tg.tensor([1.0, 5.0]), tg.tensor([2.0, 1.0])).tolist() == [1.0, 1.0]
    assert np.isnan(clamp_min(tg.tensor([1.0, float("nan")]), 3.0).data[1])
    with pytest.raises(TypeError):
        clamp_min(tg.ones(2), None)
    x = t64([0.5, 2.0, 3.5], requires_grad=True)
    assert gradcheck(lambda a: clamp_min(a, 1.0) + clamp_max(a, 3.0), [x])


# ---------------------------------------------------------------- finfo / iinfo


def test_finfo_and_iinfo():
    for dtype in (tg.float16, tg.float32, tg.float64):
        info, ref = finfo(dtype), np.finfo(dtype)
        assert (info.bits, info.eps, info.max, info.min, info.tiny) == (
            ref.bits,
            float(ref.eps),
            float(ref.max),
            float(ref.min),
            float(ref.smallest_normal),
        )
        assert info.dtype == str(np.dtype(dtype)) and isinstance(info.eps, float)
    assert finfo() == finfo(tg.float32) and finfo(tg.float32).resolution == 1e-06
    assert (1.0 + finfo(tg.float32).eps) > 1.0 and np.float32(1.0) + np.float32(finfo().eps / 2) == 1.0
    assert (iinfo(tg.int32).max, iinfo(tg.int32).min, iinfo(tg.uint8).max, iinfo(tg.int8).bits) == (
        2**31 - 1,
        -(2**31),
        255,
        8,
    )
    assert repr(iinfo(tg.uint8)) == "iinfo(min=0, max=255, dtype=uint8)"
    for call in (lambda: finfo(tg.int32), lambda: iinfo(tg.float32), lambda: iinfo(tg.bool)):
        with pytest.raises(TypeError):
            call()


# ---------------------------------------------------------------- nn.init, nn.utils


def test_dirac_passes_the_input_through_a_convolution():
    w = init.dirac_(tg.empty(4, 2, 3), groups=2)
    expected = np.zeros((4, 2, 3))
    expected[[0, 1, 2, 3], [0, 1, 0, 1], 1] = 1
    np.testing.assert_array_equal(w.data, expected)
    x = tg.randn(1, 3, 5, 5)
    out = tg.nn.functional.conv2d(x, init.dirac_(tg.empty(3, 3, 3, 3)), padding=1)
    np.testing.assert_allclose(out.data, x.data, rtol=1e-6)
    with pytest.raises(ValueError, match="3, 4, or 5"):
        init.dirac_(tg.empty(3, 2))
    with pytest.raises(ValueError, match="divisible"):
        init.dirac_(tg.empty(3, 2, 3), groups=2)


def test_sparse_zeroes_the_same_count_in_every_column():
    tg.manual_seed(0)
    w = init.sparse_(tg.empty(10, 6), 0.3, std=2.0)
    assert ((w.data == 0).sum(0) == 3).all()
    assert ((init.sparse_(tg.empty(5, 3), -0.5).data == 0).sum(0) == 3).all()  # a slice [:-2], as PyTorch's
    big = init.sparse_(tg.empty(4000, 2), 0.0, std=2.0)
    assert abs(big.data.std() - 2.0) < 0.1
    first = init.sparse_(tg.empty(6, 4), 0.5, generator=tg.Generator().manual_seed(3))
    assert np.array_equal(
        first.data, init.sparse_(tg.empty(6, 4), 0.5, generator=tg.Generator().manual_seed(3)).data
    )
    with pytest.raises(ValueError):
        init.sparse_(tg.empty(5), 0.5)


def test_get_total_norm_and_clip_grads_with_norm():
    ts = [tg.tensor([3.0, 4.0]), tg.tensor([[12.0]])]
    assert get_total_norm(ts).item() == 13.0
    assert get_total_norm(ts, 1).item() == 19.0 and get_total_norm(ts, "inf").item() == 12.0
    assert (
        get_total_norm(ts, -float("inf")).item() == 3.0 and get_total_norm(ts, 0).item() == 2.0
    )  # (tensors, as PyTorch)
    assert (
        get_total_norm([]).item() == 0.0
        and get_total_norm([t64([1.0]), tg.tensor([1.0])]).dtype == np.float64
    )
    with pytest.raises(RuntimeError, match="non-finite"):
        get_total_norm([tg.tensor([1.0, float("inf")])], error_if_nonfinite=True)
    with pytest.raises(RuntimeError, match="floating point"):
        get_total_norm([tg.tensor([3, 4])])
    for q in ("inf", -float("inf"), -1.0):  # a max, a min or 1/sum(|x|^q) of no elements: refused
        with pytest.raises(RuntimeError, match="norm on an empty tensor"):
            get_total_norm([tg.tensor([3.0]), tg.tensor([])], q)
    assert get_total_norm([tg.tensor([3.0]), tg.tensor([])], 1).item() == 3.0  # (a sum: 0 for none)
    params = [tg.nn.Parameter(tg.tensor([1.0, 2.0])), tg.nn.Parameter(tg.tensor([3.0]))]
    params[0].grad, params[1].grad = tg.tensor([3.0, 4.0]), tg.tensor([12.0])
    total = get_total_norm([p.grad for p in params])
    clip_grads_with_norm_(params, 1.0, total)
    np.testing.assert_allclose(get_total_norm([p.grad for p in params]).item(), 1.0, rtol=1e-5)
    clip_grads_with_norm_(params, 100.0, total)  # a factor above 1 is clamped to 1
    np.testing.assert_allclose(params[0].grad.data, np.array([3.0, 4.0]) / (13 + 1e-6), rtol=1e-6)
    with pytest.raises(TypeError):
        clip_grads_with_norm_(params, 1.0, 13.0)


def test_against_torch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(4)
    a, b = rng.standard_normal((2, 3, 4)), rng.standard_normal((2, 5, 4))
    for p in (0.0, 1.0, 2.0, 3.0, float("inf")):
        ta, tb = torch.tensor(a, requires_grad=True), torch.tensor(b, requires_grad=True)
        torch.cdist(ta, tb, p=p).sum().backward()
        ga, gb = t64(a, requires_grad=True), t64(b, requires_grad=True)
        out = cdist(ga, gb, p=p)
        out.sum().backward()
        np.testing.assert_allclose(out.data, torch.cdist(ta, tb, p=p).detach().numpy(), rtol=1e-10)
        np.testing.assert_allclose(ga.grad.data, ta.grad.numpy(), rtol=1e-10, atol=1e-12)
    x = rng.standard_normal((3, 7))
    for size, step in ((2, 1), (3, 2), (7, 3)):
        np.testing.assert_array_equal(
            unfold(t64(x), 1, size, step).data, torch.tensor(x).unfold(1, size, step).numpy()
        )
    for dtype, tdtype in (
        (tg.float16, torch.float16),
        (tg.float32, torch.float32),
        (tg.float64, torch.float64),
    ):
        assert repr(finfo(dtype)) == repr(torch.finfo(tdtype))
    np.testing.assert_array_equal(
        init.dirac_(tg.empty(4, 2, 3, 3), groups=2).data,
        torch.nn.init.dirac_(torch.empty(4, 2, 3, 3), groups=2).numpy(),
    )
    for indexing in ("ij", "xy"):
        ours = meshgrid(tg.arange(2), tg.arange(3), tg.arange(4), indexing=indexing)
        theirs = torch.meshgrid(torch.arange(2), torch.arange(3), torch.arange(4), indexing=indexing)
        for o, t in zip(ours, theirs):
            np.testing.assert_array_equal(o.data, t.numpy())
