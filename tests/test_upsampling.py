"""F.interpolate and the Upsample layers (nn/upsampling.py).

Values on small cases worked out by hand and against NumPy references
(np.interp for the linear modes), gradients written out by hand and against
finite differences (first and second order, float64), dtypes, reprs and
errors; and, when PyTorch is installed, values and gradients against
PyTorch's for many shapes, sizes and scale factors, error types, reprs and
signatures.
"""

from __future__ import annotations

import inspect

import numpy as np
import pytest

import tinygrad_edu as tg
import tinygrad_edu.nn as nn
import tinygrad_edu.nn.functional as F
from tinygrad_edu.testing import gradcheck, gradgradcheck

rng = np.random.default_rng(3)
LINEAR = {3: "linear", 4: "bilinear", 5: "trilinear"}


def row(values: list[float]) -> tg.Tensor:
    return tg.tensor(np.array(values, dtype=np.float64).reshape(1, 1, -1))


def test_small_cases_worked_out_by_hand():
    x = row([1.0, 2.0])
    assert F.interpolate(x, size=4).tolist() == [[[1.0, 1.0, 2.0, 2.0]]]
    # centres: output i sits at (i + 1/2) / 2 - 1/2 = -0.25 (read as 0), 0.25, 0.75, 1.25 (read as 1)
    assert F.interpolate(x, size=4, mode="linear").tolist() == [[[1.0, 1.25, 1.75, 2.0]]]
    # corners: output i sits at i (2 - 1) / (4 - 1) = i / 3
    np.testing.assert_allclose(
        F.interpolate(x, size=4, mode="linear", align_corners=True).data, [[[1.0, 4 / 3, 5 / 3, 2.0]]]
    )
    # downscaling 5 -> 2: nearest reads floor(i * 5/2) = 0, 2; nearest-exact floor((i + 1/2) * 5/2) = 1, 3
    five = row([0.0, 1.0, 2.0, 3.0, 4.0])
    assert F.interpolate(five, size=2).tolist() == [[[0.0, 2.0]]]
    assert F.interpolate(five, size=2, mode="nearest-exact").tolist() == [[[1.0, 3.0]]]
    # a scale factor: 5 * 1.3 = 6.5 -> 6 outputs; positions i / 1.3, or i * 5/6 with recompute_scale_factor
    assert F.interpolate(five, scale_factor=1.3).tolist() == [[[0.0, 0.0, 1.0, 2.0, 3.0, 3.0]]]
    recomputed = F.interpolate(five, scale_factor=1.3, recompute_scale_factor=True)
    assert recomputed.tolist() == [[[0.0, 0.0, 1.0, 2.0, 3.0, 4.0]]]


def test_images_take_pytorchs_shortcut_for_twice_the_size():
    # PyTorch's 4-d nearest kernel copies i // 2 when the output is twice the input, whatever the
    # scale factor that made it; the 3-d kernel uses the factor: floor(i / 2.0001) = 0, 0, 0, 1, 1, 2
    x = np.array([0.0, 1.0, 2.0])
    image = F.interpolate(tg.tensor(x.reshape(1, 1, 1, 3)), scale_factor=(1.0, 2.0001))
    assert image.data.ravel().tolist() == [0.0, 0.0, 1.0, 1.0, 2.0, 2.0]
    line = F.interpolate(tg.tensor(x.reshape(1, 1, 3)), scale_factor=2.0001)
    assert line.data.ravel().tolist() == [0.0, 0.0, 0.0, 1.0, 1.0, 2.0]


def _linear_reference(x: np.ndarray, sizes: tuple[int, ...], align_corners: bool) -> np.ndarray:
    """Resize each spatial dim in turn with np.interp (which holds the end values beyond the ends)."""
    for axis, n_out in zip(range(2, x.ndim), sizes):
        n_in = x.shape[axis]
        if align_corners:
            positions = np.arange(n_out) * ((n_in - 1) / (n_out - 1) if n_out > 1 else 0.0)
        else:
            positions = (np.arange(n_out) + 0.5) * n_in / n_out - 0.5
        x = np.apply_along_axis(lambda v: np.interp(positions, np.arange(n_in), v), axis, x)
    return x


def _nearest_reference(x: np.ndarray, sizes: tuple[int, ...], exact: bool) -> np.ndarray:
    for axis, n_out in zip(range(2, x.ndim), sizes):
        n_in = x.shape[axis]
        i = np.arange(n_out)
        source = np.floor((i + 0.5) * n_in / n_out) if exact else np.floor(i * n_in / n_out)
        x = np.take(x, np.minimum(source.astype(int), n_in - 1), axis=axis)
    return x


SIZES = [(1, 2, 5), (2, 3, 4, 6), (1, 2, 3, 4, 5)]


@pytest.mark.parametrize("align_corners", [False, True])
@pytest.mark.parametrize("shape", SIZES, ids=["3d", "4d", "5d"])
def test_linear_modes_match_np_interp(shape, align_corners):
    x = rng.standard_normal(shape)
    for sizes in [(7, 3, 2)[: len(shape) - 2], (2, 9, 6)[: len(shape) - 2], (1, 1, 1)[: len(shape) - 2]]:
        got = F.interpolate(tg.tensor(x), size=sizes, mode=LINEAR[len(shape)], align_corners=align_corners)
        want = _linear_reference(x, sizes, align_corners)
        np.testing.assert_allclose(got.data, want, rtol=1e-13, atol=1e-14)


@pytest.mark.parametrize("mode", ["nearest", "nearest-exact"])
@pytest.mark.parametrize("shape", SIZES, ids=["3d", "4d", "5d"])
def test_nearest_modes_match_numpy(shape, mode):
    x = rng.standard_normal(shape)
    for sizes in [(7, 3, 8)[: len(shape) - 2], (3, 12, 6)[: len(shape) - 2]]:
        got = F.interpolate(tg.tensor(x), size=sizes, mode=mode)
        np.testing.assert_array_equal(got.data, _nearest_reference(x, sizes, mode == "nearest-exact"))


def test_nearest_gradient_adds_up_the_copies():
    x = row([1.0, 2.0, 3.0])
    x.requires_grad_()
    F.interpolate(x, scale_factor=2).backward(row([1.0, 2.0, 3.0, 4.0, 5.0, 6.0]))
    assert x.grad.tolist() == [[[1 + 2, 3 + 4, 5 + 6]]]
    y = row([1.0, 2.0])
    y.requires_grad_()
    F.interpolate(y, size=4, mode="linear").backward(row([1.0, 10.0, 100.0, 1000.0]))
    # weights per output: (1, 0), (3/4, 1/4), (1/4, 3/4), (0, 1)
    np.testing.assert_allclose(y.grad.data, [[[1 + 7.5 + 25, 2.5 + 75 + 1000]]])


@pytest.mark.parametrize(
    "rank, mode, align_corners, size",
    [
        (3, "nearest", None, 7),
        (3, "nearest-exact", None, 2),
        (3, "linear", False, 7),
        (3, "linear", True, 2),
        (4, "nearest", None, (5, 2)),
        (4, "bilinear", False, (5, 2)),
        (4, "bilinear", True, (2, 7)),
        (5, "trilinear", False, (3, 1, 4)),
    ],
)
def test_gradients_against_finite_differences(rank, mode, align_corners, size):
    x = tg.tensor(rng.standard_normal((2, 2, 3, 4, 2)[:rank]), requires_grad=True)

    def fn(t):
        return F.interpolate(t, size=size, mode=mode, align_corners=align_corners)

    assert gradcheck(fn, [x]) and gradgradcheck(fn, [x])


def test_dtypes_and_the_unchanged_size():
    x32 = tg.tensor(rng.standard_normal((1, 2, 3, 3)).astype(np.float32))
    assert F.interpolate(x32, scale_factor=1.5, mode="bilinear").dtype == np.float32
    same = F.interpolate(x32, size=(3, 3), mode="bilinear")
    np.testing.assert_array_equal(same.data, x32.data)  # an unchanged size copies
    same += 1.0
    assert not np.array_equal(same.data, x32.data)  # ... into a new tensor
    byte = tg.tensor(np.array([[[1, 2, 3]]], dtype=np.uint8))
    up = F.interpolate(byte, size=5)
    assert up.dtype == np.uint8 and up.tolist() == [[[1, 1, 2, 2, 3]]]
    assert F.interpolate(tg.zeros(0, 2, 3), size=5).shape == (0, 2, 5)  # an empty batch


def test_errors():
    x3, x4 = tg.ones(1, 2, 3), tg.ones(1, 2, 3, 3)
    cases = [
        (lambda: F.interpolate(x3), ValueError, "either size or scale_factor"),
        (lambda: F.interpolate(x3, size=4, scale_factor=2), ValueError, "only one of size or scale_factor"),
        (lambda: F.interpolate(x3, size=(4, 4)), ValueError, r"spatial dimensions of \[3\] and output size"),
        (lambda: F.interpolate(x4, scale_factor=(2, 2, 2)), ValueError, "scale_factor of shape"),
        (lambda: F.interpolate(x3, size=(4.0,)), TypeError, "expected size to be one of int"),
        (lambda: F.interpolate(x3, size=4, align_corners=True), ValueError, "align_corners option"),
        (lambda: F.interpolate(x3, size=4, recompute_scale_factor=True), ValueError, "not meaningful"),
        (lambda: F.interpolate(x3, size=4, antialias=True), ValueError, "Anti-alias option"),
        (
            lambda: F.interpolate(x4, size=4, mode="bilinear", antialias=True),
            NotImplementedError,
            "antialias",
        ),
        (
            lambda: F.interpolate(x3, size=4, mode="bilinear"),
            NotImplementedError,
            "Got 3D input, but bilinear",
        ),
        (lambda: F.interpolate(x4, size=4, mode="linear"), NotImplementedError, "Got 4D input, but linear"),
        (lambda: F.interpolate(x4, size=4, mode="cubic"), NotImplementedError, r"\(got cubic\)"),
        (lambda: F.interpolate(x4, size=4, mode="bicubic", antialias=True), NotImplementedError, "antialias"),
        (
            lambda: F.interpolate(tg.ones(2, 3), size=4),
            NotImplementedError,
            r"Only 3D, 4D and 5D.*\(got 2D\)",
        ),
        (lambda: F.interpolate(x3, scale_factor=0.2), RuntimeError, r"input \(W: 3\) and output \(W: 0\)"),
        (lambda: F.interpolate(x4, size=(0, 2)), RuntimeError, r"input \(H: 3, W: 3\) output \(H: 0, W: 2\)"),
        (
            lambda: F.interpolate(tg.ones(1, 0, 3), size=4),
            RuntimeError,
            r"Non-empty 3D data tensor.*\[1, 0, 3\]",
        ),
        (lambda: F.interpolate(tg.tensor([[[1, 2]]]), size=4), NotImplementedError, "int64"),
        (lambda: F.interpolate(tg.tensor([[[1, 2]]]), size=4, mode="linear"), NotImplementedError, "float"),
    ]
    for call, error, message in cases:
        with pytest.raises(error, match=message):
            call()


# ---------------------------------------------------------------- layers


def test_upsample_layers_call_interpolate():
    x = tg.tensor(rng.standard_normal((2, 3, 4, 5)))
    up = nn.Upsample(scale_factor=2, mode="bilinear")
    assert up.scale_factor == 2.0 and isinstance(up.scale_factor, float) and up.name == "Upsample"
    np.testing.assert_array_equal(up(x).data, F.interpolate(x, scale_factor=2.0, mode="bilinear").data)
    sized = nn.Upsample(size=(6, 7), mode="bilinear", align_corners=True)
    want = F.interpolate(x, size=(6, 7), mode="bilinear", align_corners=True)
    np.testing.assert_array_equal(sized(x).data, want.data)
    np.testing.assert_array_equal(nn.UpsamplingBilinear2d(size=(6, 7))(x).data, want.data)
    np.testing.assert_array_equal(
        nn.UpsamplingNearest2d(scale_factor=3)(x).data, F.interpolate(x, scale_factor=3).data
    )
    assert nn.Upsample(scale_factor=(2, 3)).scale_factor == (2.0, 3.0)
    assert list(up.state_dict()) == [] and list(up.parameters()) == []
    with pytest.raises(ValueError, match="either size or scale_factor"):
        nn.Upsample(scale_factor=0)(x)  # 0 counts as none given, as in PyTorch


REPR = """Sequential(
  (0): Upsample(scale_factor=2.0, mode='nearest')
  (1): Upsample(size=(3, 4), mode='bilinear')
  (2): Upsample(scale_factor=(2.0, 3.0), mode='nearest')
  (3): UpsamplingNearest2d(scale_factor=2.0, mode='nearest')
  (4): UpsamplingBilinear2d(size=4, mode='bilinear')
  (5): Upsample(size=None, mode='nearest')
)"""


def _layers(lib):
    nn_ = lib.nn
    return nn_.Sequential(
        nn_.Upsample(scale_factor=2),
        nn_.Upsample(size=(3, 4), mode="bilinear"),
        nn_.Upsample(scale_factor=(2, 3)),
        nn_.UpsamplingNearest2d(scale_factor=2),
        nn_.UpsamplingBilinear2d(size=4),
        nn_.Upsample(),
    )


def test_reprs_are_pytorchs():
    assert repr(_layers(tg)) == REPR


def test_reprs_match_torch_if_installed():
    torch = pytest.importorskip("torch")
    assert repr(_layers(torch)) == REPR


# ---------------------------------------------------------------- against PyTorch


def _random_case(spatial: int) -> tuple[tuple[int, ...], dict]:
    shape = (int(rng.integers(1, 3)), int(rng.integers(1, 4)), *(int(n) for n in rng.integers(1, 8, spatial)))
    if rng.random() < 0.5:
        return shape, {"size": tuple(int(n) for n in rng.integers(1, 15, spatial))}
    factors = rng.choice([0.5, 0.75, 1.5, 2.0, 2.0001, 3.0, 1 / 3, 2.6], spatial)
    factors = tuple(float(f) if n * f >= 1 else 1.0 for n, f in zip(shape[2:], factors))
    return shape, {"scale_factor": factors, "recompute_scale_factor": bool(rng.random() < 0.3)}


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("rank", [3, 4, 5])
@pytest.mark.parametrize("mode", ["nearest", "nearest-exact", "linear", "linear-corners"])
def test_values_and_gradients_match_torch_if_installed(mode, rank, dtype):
    torch = pytest.importorskip("torch")
    align_corners = None if mode.startswith("nearest") else mode == "linear-corners"
    mode = LINEAR[rank] if align_corners is not None else mode
    # Nearest copies, so it must agree exactly; linear to a few roundings (PyTorch's kernel fuses
    # its last multiply-add, which this composition of Tensor ops cannot)
    tolerance = 0.0 if align_corners is None else 8 * np.finfo(dtype).eps
    for _ in range(25):
        shape, options = _random_case(rank - 2)
        x = rng.standard_normal(shape).astype(dtype)
        ours, theirs = tg.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
        y = F.interpolate(ours, mode=mode, align_corners=align_corners, **options)
        z = torch.nn.functional.interpolate(theirs, mode=mode, align_corners=align_corners, **options)
        assert y.shape == tuple(z.shape), (shape, options)
        np.testing.assert_allclose(
            y.data, z.detach().numpy(), rtol=tolerance, atol=tolerance, err_msg=str(options)
        )
        if mode == "nearest" and rank != 4 and _twice_by_another_factor(shape, options):
            continue  # (PyTorch's backward then copies from i // 2, unlike its forward: see below)
        upstream = rng.standard_normal(y.shape).astype(dtype)
        y.backward(tg.tensor(upstream))
        z.backward(torch.tensor(upstream))
        np.testing.assert_allclose(
            ours.grad.data, theirs.grad.numpy(), rtol=1e-5, atol=1e-5 if dtype == np.float32 else 1e-12
        )


def _twice_by_another_factor(shape: tuple[int, ...], options: dict) -> bool:
    factors = options.get("scale_factor", ())
    return any(f != 2.0 and int(n * f) == 2 * n for n, f in zip(shape[2:], factors))


def test_nearest_gradient_is_the_adjoint_of_the_forward_where_pytorchs_is_not():
    # 3 * 2.0001 -> 6 outputs, copying floor(i / 2.0001) = 0, 0, 0, 1, 1, 2 (PyTorch's forward too);
    # PyTorch's backward sends the gradients to i // 2 = 0, 0, 1, 1, 2, 2 instead (torch 2.13)
    x = tg.tensor(np.array([[[1.0, 2.0, 3.0]]]), requires_grad=True)
    y = F.interpolate(x, scale_factor=2.0001)
    assert y.tolist() == [[[1.0, 1.0, 1.0, 2.0, 2.0, 3.0]]]
    y.backward(tg.tensor(np.array([[[1.0, 2.0, 4.0, 8.0, 16.0, 32.0]]])))
    assert x.grad.tolist() == [[[1 + 2 + 4, 8 + 16, 32.0]]]
    torch = pytest.importorskip("torch")
    z = torch.nn.functional.interpolate(torch.tensor([[[1.0, 2.0, 3.0]]]), scale_factor=2.0001)
    assert z.tolist() == y.tolist()


BAD_CALLS = [
    lambda F_, x: F_.interpolate(x),
    lambda F_, x: F_.interpolate(x, size=4, scale_factor=2),
    lambda F_, x: F_.interpolate(x, size=(4, 4)),
    lambda F_, x: F_.interpolate(x, size=(4.0,)),
    lambda F_, x: F_.interpolate(x, size=4, align_corners=False),
    lambda F_, x: F_.interpolate(x, size=4, recompute_scale_factor=True),
    lambda F_, x: F_.interpolate(x, size=4, antialias=True),
    lambda F_, x: F_.interpolate(x, size=4, mode="bilinear"),
    lambda F_, x: F_.interpolate(x, size=4, mode="trilinear"),
    lambda F_, x: F_.interpolate(x, size=4, mode="cubic"),
    lambda F_, x: F_.interpolate(x, scale_factor=0.2),
    lambda F_, x: F_.interpolate(x, size=-1),
    lambda F_, x: F_.interpolate(x[0], size=4),
    lambda F_, x: F_.interpolate(x[:, :0], size=4),
    lambda F_, x: F_.interpolate(x.long(), size=4),
]


@pytest.mark.parametrize("call", BAD_CALLS)
def test_error_types_match_torch_if_installed(call):
    torch = pytest.importorskip("torch")
    with pytest.raises(Exception) as theirs:
        call(torch.nn.functional, torch.ones(1, 2, 3))
    with pytest.raises(type(theirs.value)):
        call(F, tg.ones(1, 2, 3))


def _parameters(fn):
    return [
        (p.name, p.kind, p.default) for p in inspect.signature(fn).parameters.values() if p.name != "self"
    ]


@pytest.mark.parametrize("name", ["Upsample", "UpsamplingNearest2d", "UpsamplingBilinear2d", "interpolate"])
def test_signatures_match_torch_if_installed(name):
    torch = pytest.importorskip("torch")
    if name == "interpolate":
        assert _parameters(F.interpolate) == _parameters(torch.nn.functional.interpolate)
    else:
        assert _parameters(getattr(nn, name).__init__) == _parameters(getattr(torch.nn, name).__init__)
