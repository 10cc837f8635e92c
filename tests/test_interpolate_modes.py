"""F.interpolate's "bicubic" and "area" modes, and nn.Upsample with them (nn/upsampling.py).

Values against NumPy references written out position by position (Keys'
cubic kernel with clamped taps; the mean of each adaptive window), small
cases by hand, gradients against finite differences (first and second
order, float64), errors; and, when PyTorch is installed, values, gradients,
error types and reprs against PyTorch's.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tinygrad_edu as tg
from tinygrad_edu.nn.upsampling import Upsample, interpolate
from tinygrad_edu.testing import gradcheck, gradgradcheck

from .torch_compare import assert_values_and_gradients_agree

SEEDS = st.integers(0, 2**32 - 1)
A = -0.75


def t(a, grad: bool = False) -> tg.Tensor:
    return tg.tensor(np.asarray(a, dtype=np.float64), requires_grad=grad)


def keys_kernel(d: float) -> float:
    d = abs(d)
    if d <= 1:
        return (A + 2) * d**3 - (A + 3) * d**2 + 1
    if d < 2:
        return A * d**3 - 5 * A * d**2 + 8 * A * d - 4 * A
    return 0.0


def cubic_reference(x: np.ndarray, sizes, align_corners: bool, scales=(None, None)) -> np.ndarray:
    """Resize W, then H: output i reads inputs floor(s) - 1 .. floor(s) + 2 (clamped) at distance s - j."""
    for axis, n_out, scale in ((3, sizes[1], scales[1]), (2, sizes[0], scales[0])):
        n_in = x.shape[axis]
        out = np.zeros(x.shape[:axis] + (n_out,) + x.shape[axis + 1 :])
        for i in range(n_out):
            if align_corners:
                source = i * (n_in - 1) / (n_out - 1) if n_out > 1 else 0.0
            else:
                step = 1 / scale if scale else n_in / n_out
                source = (i + 0.5) * step - 0.5
            base = math.floor(source)
            for j in range(base - 1, base + 3):
                tap = np.take(x, [min(max(j, 0), n_in - 1)], axis=axis)
                index = [slice(None)] * x.ndim
                index[axis] = slice(i, i + 1)
                out[tuple(index)] += keys_kernel(source - j) * tap
        x = out
    return x


def area_reference(x: np.ndarray, sizes) -> np.ndarray:
    """The mean of each window [floor(i n / out), ceil((i + 1) n / out)) along each spatial dim."""
    for axis, n_out in zip(range(2, x.ndim), sizes):
        n = x.shape[axis]
        windows = [
            np.take(x, range(i * n // n_out, -(-(i + 1) * n // n_out)), axis=axis) for i in range(n_out)
        ]
        x = np.concatenate([w.mean(axis=axis, keepdims=True) for w in windows], axis=axis)
    return x


# ---------------------------------------------------------------- values


def test_small_cases_worked_out_by_hand():
    # a constant stays constant (the weights sum to 1); the cubic overshoots at a step
    flat = interpolate(t(np.full((1, 1, 2, 3), 5.0)), size=(4, 7), mode="bicubic", align_corners=False)
    np.testing.assert_allclose(flat.data, 5.0, rtol=1e-14)
    step = interpolate(t([[[[0.0, 0.0, 1.0, 1.0]]]]), size=(1, 8), mode="bicubic", align_corners=True)
    assert step.data.min() < 0.0 and step.data.max() > 1.0
    # align_corners=True, 2 -> 3: the middle output sits halfway, t = 1/2, taps clamped to 0, 0, 1, 1:
    # W(1.5) + W(0.5) on the left value, W(0.5) + W(1.5) on the right: the mean
    mid = interpolate(t([[[[2.0, 4.0]]]]), size=(1, 3), mode="bicubic", align_corners=True)
    np.testing.assert_allclose(mid.data.ravel(), [2.0, 3.0, 4.0], rtol=1e-15)
    # area 4 -> 2 is the mean of pairs; 5 -> 3 of the overlapping windows [0, 2), [1, 4), [3, 5)
    pairs = interpolate(t([[[1.0, 3.0, 5.0, 9.0]]]), size=2, mode="area")
    assert pairs.tolist() == [[[2.0, 7.0]]]
    five = interpolate(t([[[1.0, 2.0, 3.0, 4.0, 5.0]]]), size=3, mode="area")
    np.testing.assert_allclose(five.data.ravel(), [1.5, 3.0, 4.5])


@settings(max_examples=8)
@given(SEEDS)
def test_bicubic_matches_the_position_by_position_reference(seed):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((2, 2, int(rng.integers(1, 6)), int(rng.integers(1, 6))))
    sizes = (int(rng.integers(1, 9)), int(rng.integers(1, 9)))
    for align in (False, True):
        got = interpolate(t(x), size=sizes, mode="bicubic", align_corners=align)
        np.testing.assert_allclose(got.data, cubic_reference(x, sizes, align), rtol=1e-12, atol=1e-13)
    factors = (float(rng.uniform(0.6, 2.5)), float(rng.uniform(0.6, 2.5)))
    sizes = tuple(int(n * f) for n, f in zip(x.shape[2:], factors))
    if min(sizes) > 0:
        got = interpolate(t(x), scale_factor=factors, mode="bicubic")
        np.testing.assert_allclose(
            got.data, cubic_reference(x, sizes, False, factors), rtol=1e-12, atol=1e-13
        )


@settings(max_examples=8)
@given(SEEDS)
def test_area_matches_the_window_means(seed):
    rng = np.random.default_rng(seed)
    for rank in (3, 4, 5):
        x = rng.standard_normal((2, 2) + tuple(int(n) for n in rng.integers(1, 7, rank - 2)))
        sizes = tuple(int(n) for n in rng.integers(1, 7, rank - 2))
        got = interpolate(t(x), size=sizes, mode="area")
        np.testing.assert_allclose(got.data, area_reference(x, sizes), rtol=1e-13)
    # a scale factor gives the size floor(n * factor), whatever recompute_scale_factor says
    x = rng.standard_normal((1, 1, 5, 7))
    for recompute in (None, False, True):
        got = interpolate(t(x), scale_factor=(0.5, 1.3), mode="area", recompute_scale_factor=recompute)
        np.testing.assert_allclose(got.data, area_reference(x, (2, 9)), rtol=1e-13)


def test_upsample_layer_takes_the_new_modes():
    x = t(np.random.default_rng(1).standard_normal((1, 2, 3, 4)))
    layer = Upsample(scale_factor=2, mode="bicubic", align_corners=True)
    assert repr(layer) == "Upsample(scale_factor=2.0, mode='bicubic')"
    assert layer(x).tolist() == interpolate(x, scale_factor=2, mode="bicubic", align_corners=True).tolist()
    area = Upsample(size=(2, 3), mode="area")
    assert area(x).tolist() == interpolate(x, size=(2, 3), mode="area").tolist()


def test_float32_stays_float32():
    x = tg.tensor(np.random.default_rng(2).standard_normal((1, 1, 3, 4)).astype(np.float32))
    assert interpolate(x, size=(5, 6), mode="bicubic").dtype == np.float32
    assert interpolate(x, size=(2, 3), mode="area").dtype == np.float32


# ---------------------------------------------------------------- gradients


@settings(max_examples=3)
@given(SEEDS)
def test_gradients_match_finite_differences(seed):
    rng = np.random.default_rng(seed)
    x = t(rng.standard_normal((1, 2, 3, 4)), grad=True)
    for align in (False, True):
        assert gradcheck(
            lambda v, a=align: interpolate(v, size=(5, 3), mode="bicubic", align_corners=a), (x,)
        )
    # the same size with a scale factor still blends (PyTorch's backward copies there instead: its
    # gradient disagrees with its own forward, so it is not the one to compare with)
    assert gradcheck(lambda v: interpolate(v, scale_factor=1.1, mode="bicubic"), (x,))
    assert gradcheck(lambda v: interpolate(v, size=(2, 3), mode="area"), (x,))
    assert gradcheck(lambda v: interpolate(v, size=(2, 2, 3), mode="area"), (x.unsqueeze(2),))


def test_second_derivatives_match_finite_differences():
    x = t(np.random.default_rng(3).standard_normal((1, 1, 3, 3)), grad=True)
    assert gradgradcheck(lambda v: interpolate(v, size=(4, 2), mode="bicubic", align_corners=False), (x,))
    assert gradgradcheck(lambda v: interpolate(v, size=(2, 2), mode="area"), (x,))


# ---------------------------------------------------------------- errors


def _bad_calls(F_, lib):
    x3, x4 = lib.ones(1, 2, 3, dtype=lib.float64), lib.ones(1, 2, 3, 3, dtype=lib.float64)
    return [
        (
            lambda: F_.interpolate(x4, size=2, mode="area", align_corners=False),
            ValueError,
            "align_corners option",
        ),
        (
            lambda: F_.interpolate(x3, size=4, mode="bicubic"),
            NotImplementedError,
            r"\(got 3D\).*\(got bicubic\)",
        ),
        (lambda: F_.interpolate(x4, size=4, mode="area", antialias=True), ValueError, "Anti-alias option"),
        (
            lambda: F_.interpolate(x4, size=4, mode="lanczos"),
            ValueError,
            "Lanczos mode requires antialias=True",
        ),
        (
            lambda: F_.interpolate(x4, size=4, mode="lanczos", align_corners=True),
            ValueError,
            "Lanczos mode does not support align_corners=True",
        ),
        (lambda: F_.interpolate(x4.long(), size=2, mode="area"), NotImplementedError, ""),
        (lambda: F_.interpolate(x4.long(), size=2, mode="bicubic"), NotImplementedError, ""),
        (lambda: F_.interpolate(x4, size=(0, 2), mode="bicubic"), RuntimeError, r"output \(H: 0, W: 2\)"),
        (
            lambda: F_.interpolate(lib.ones(1, 2, 0, 4, dtype=lib.float64), size=2, mode="area"),
            RuntimeError,
            "adaptive_avg_pool2d",
        ),
        (lambda: F_.interpolate(lib.ones(2, 3), size=4, mode="area"), NotImplementedError, r"\(got 2D\)"),
    ]


def test_errors_name_the_problem():
    import tinygrad_edu.nn.upsampling as ours

    for call, error, message in _bad_calls(ours, tg):
        with pytest.raises(error, match=message or None):
            call()
    with pytest.raises(NotImplementedError, match="antialias=True is not supported"):  # (PyTorch has it)
        interpolate(t(np.ones((1, 1, 2, 2))), size=4, mode="bicubic", antialias=True)


def test_error_types_match_torch_if_installed():
    torch = pytest.importorskip("torch")
    for call, error, message in _bad_calls(torch.nn.functional, torch):
        with pytest.raises(error, match=message or None):
            call()


def test_empty_outputs_and_batches_as_torch():
    assert interpolate(t(np.ones((1, 2, 5, 7))), size=(0, 3), mode="area").shape == (1, 2, 0, 3)
    assert interpolate(t(np.ones((0, 2, 5, 7))), size=(2, 3), mode="bicubic").shape == (0, 2, 2, 3)


# ---------------------------------------------------------------- against PyTorch


@pytest.mark.parametrize("mode, align", [("bicubic", False), ("bicubic", True), ("area", None)])
def test_values_and_gradients_match_torch_if_installed(mode, align):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(4)
    for _ in range(25):
        shape = (2, 2, int(rng.integers(1, 7)), int(rng.integers(1, 7)))
        kwargs: dict = {"size": (int(rng.integers(1, 11)), int(rng.integers(1, 11)))}
        if rng.random() < 0.5:
            kwargs = {"scale_factor": (float(rng.uniform(0.4, 3)), float(rng.uniform(0.4, 3)))}
            sizes = [int(n * f) for n, f in zip(shape[2:], kwargs["scale_factor"])]
            if min(sizes) < 1 or (mode == "bicubic" and list(shape[2:]) == sizes):
                continue  # (nothing to read; or PyTorch's copying backward, see above)
        x = rng.standard_normal(shape)
        ours, theirs = t(x, grad=True), torch.tensor(x, requires_grad=True)
        out = interpolate(ours, mode=mode, align_corners=align, **kwargs)
        ref = torch.nn.functional.interpolate(theirs, mode=mode, align_corners=align, **kwargs)
        assert_values_and_gradients_agree(torch, rng, out, ref, [ours], [theirs])


@pytest.mark.filterwarnings("ignore:invalid value encountered")  # (NumPy's, for 0 * inf)
def test_area_3d_and_5d_and_nonfinite_values_match_torch_if_installed():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(5)
    for shape, size in [
        ((1, 2, 5), 3),
        ((1, 2, 5), 7),
        ((1, 2, 5, 4, 3), (3, 2, 1)),
        ((2, 1, 4, 6, 5), (2, 4, 7)),
    ]:
        x = rng.standard_normal(shape)
        ours, theirs = t(x, grad=True), torch.tensor(x, requires_grad=True)
        out = interpolate(ours, size=size, mode="area")
        ref = torch.nn.functional.interpolate(theirs, size=size, mode="area")
        assert_values_and_gradients_agree(torch, rng, out, ref, [ours], [theirs])
    # an inf spreads as in PyTorch's blend, NaN (0 * inf) where its weight is 0
    x = np.zeros((1, 1, 4, 4))
    x[0, 0, 1, 1] = np.inf
    for size in [(4, 4), (4, 5), (6, 3)]:
        ours = interpolate(t(x), size=size, mode="bicubic").data
        theirs = torch.nn.functional.interpolate(torch.tensor(x), size=size, mode="bicubic").numpy()
        np.testing.assert_array_equal(ours, theirs)


def test_float32_matches_torch_if_installed():
    torch = pytest.importorskip("torch")
    x = np.random.default_rng(6).standard_normal((2, 3, 5, 4)).astype(np.float32)
    for kwargs in ({"size": (7, 9)}, {"scale_factor": 1.7}, {"size": (3, 2), "align_corners": True}):
        out = interpolate(tg.tensor(x), mode="bicubic", **kwargs)
        ref = torch.nn.functional.interpolate(torch.tensor(x), mode="bicubic", **kwargs)
        np.testing.assert_allclose(out.data, ref.numpy(), rtol=1e-5, atol=1e-6)


def test_upsample_reprs_match_torch_if_installed():
    torch = pytest.importorskip("torch")
    for kwargs in ({"scale_factor": 2, "mode": "bicubic"}, {"size": (2, 3), "mode": "area"}):
        assert repr(Upsample(**kwargs)) == repr(torch.nn.Upsample(**kwargs))
