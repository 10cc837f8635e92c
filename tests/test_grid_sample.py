"""F.affine_grid and F.grid_sample (nn/grid_sampling.py).

Values on small cases worked out by hand (the identity grid, a point between
four pixels, points beyond the edges under each padding mode), gradients
against finite differences (first and second order, float64, points kept off
the kinks), PyTorch's warnings and errors; and, when PyTorch is installed,
values and gradients against PyTorch's for every mode, padding mode and
align_corners, at random points and on the pixel lattice and its edges.
"""

from __future__ import annotations

import inspect
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tinygrad_edu as tg
from tinygrad_edu.nn.grid_sampling import affine_grid, grid_sample
from tinygrad_edu.testing import gradcheck, gradgradcheck

from .torch_compare import assert_values_and_gradients_agree

MODES = ["bilinear", "nearest", "bicubic"]
PADDINGS = ["zeros", "border", "reflection"]
SEEDS = st.integers(0, 2**32 - 1)


def t(a, grad: bool = False) -> tg.Tensor:
    return tg.tensor(np.asarray(a, dtype=np.float64), requires_grad=grad)


def identity(n: int, h: int, w: int, align_corners: bool) -> tg.Tensor:
    theta = np.broadcast_to(np.eye(2, 3), (n, 2, 3))
    return affine_grid(t(theta), (n, 1, h, w), align_corners=align_corners)


# ---------------------------------------------------------------- values by hand


@pytest.mark.parametrize("align_corners", [False, True])
def test_affine_grid_of_the_identity_lists_the_pixel_positions(align_corners):
    grid = identity(1, 2, 3, align_corners).data[0]
    # along W (3 points): -1, 0, 1, or the pixel centres -2/3, 0, 2/3; along H (2): -1, 1 or -1/2, 1/2
    xs = [-1.0, 0.0, 1.0] if align_corners else [-2 / 3, 0.0, 2 / 3]
    ys = [-1.0, 1.0] if align_corners else [-0.5, 0.5]
    np.testing.assert_allclose(grid[..., 0], [xs, xs], atol=1e-15)
    np.testing.assert_allclose(grid[..., 1], [[ys[0]] * 3, [ys[1]] * 3], atol=1e-15)


def test_affine_grid_applies_each_map_to_the_base_grid():
    rng = np.random.default_rng(0)
    theta = rng.standard_normal((2, 2, 3))
    grid = affine_grid(t(theta), (2, 5, 3, 4), align_corners=False).data
    base = identity(1, 3, 4, False).data[0]
    want = np.einsum("hwk,nik->nhwi", base, theta[:, :, :2]) + theta[:, None, None, :, 2]
    np.testing.assert_allclose(grid, want, rtol=1e-14, atol=1e-15)
    # 3-d: (N, 3, 4) maps onto (N, D, H, W, 3) points (x along W, y along H, z along D)
    theta3 = rng.standard_normal((1, 3, 4))
    grid3 = affine_grid(t(theta3), (1, 1, 2, 3, 4), align_corners=True).data[0]
    z, y, x = np.meshgrid(np.linspace(-1, 1, 2), np.linspace(-1, 1, 3), np.linspace(-1, 1, 4), indexing="ij")
    points = np.stack([x, y, z, np.ones_like(x)], -1)
    np.testing.assert_allclose(grid3, points @ theta3[0].T, rtol=1e-14, atol=1e-15)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("padding_mode", PADDINGS)
@pytest.mark.parametrize("align_corners", [False, True])
def test_the_identity_grid_reads_the_image_back(mode, padding_mode, align_corners):
    image = np.random.default_rng(1).standard_normal((2, 3, 4, 5))
    out = grid_sample(t(image), identity(2, 4, 5, align_corners), mode, padding_mode, align_corners)
    np.testing.assert_allclose(out.data, image, rtol=1e-13, atol=1e-14)


def test_bilinear_blends_the_four_pixels_around_the_point():
    image = t([[[[1.0, 2.0], [3.0, 4.0]]]])
    # (0, 0) is the middle of the four centres; (0.5, -1) is 3/4 of the way along the top row
    grid = t([[[[0.0, 0.0], [0.5, -1.0], [-1.0, 0.5]]]])
    out = grid_sample(image, grid, align_corners=True)
    np.testing.assert_allclose(out.data.ravel(), [2.5, 1.75, 1 + 0.75 * 2])
    # nearest rounds halves to even: u = 0.5 -> pixel 0, u = 0.75 (x = 0.5) -> pixel 1
    near = grid_sample(image, grid, mode="nearest", align_corners=True)
    assert near.data.ravel().tolist() == [1.0, 2.0, 3.0]


def test_padding_modes_beyond_the_edges():
    row = t([[[[1.0, 2.0, 3.0]]]])
    grid = t([[[[x, 0.0] for x in (-2.0, -1.5, 1.5, 3.0)]]])
    # align_corners=True: u = x + 1 = -1, -0.5, 2.5, 4 (the pixels sit at 0, 1, 2)
    zeros = grid_sample(row, grid, padding_mode="zeros", align_corners=True).data.ravel()
    np.testing.assert_allclose(zeros, [0.0, 0.5 * 1.0, 0.5 * 3.0, 0.0])  # halfway to a 0 outside
    border = grid_sample(row, grid, padding_mode="border", align_corners=True).data.ravel()
    np.testing.assert_allclose(border, [1.0, 1.0, 3.0, 3.0])
    # reflection about the corner centres 0 and 2: -1 -> 1, -0.5 -> 0.5, 2.5 -> 1.5, 4 -> 0 (twice)
    reflection = grid_sample(row, grid, padding_mode="reflection", align_corners=True).data.ravel()
    np.testing.assert_allclose(reflection, [2.0, 1.5, 2.5, 1.0])
    # align_corners=False: u = (x + 1) 3/2 - 1/2 = -2, -1.25, 3.25, 5.5, reflected about the outer
    # edges -1/2 and 5/2 to 1, 0.25, 1.75, -0.5 (the last then clamped to 0)
    outer = grid_sample(row, grid, padding_mode="reflection", align_corners=False).data.ravel()
    np.testing.assert_allclose(outer, [2.0, 1.25, 2.75, 1.0])


def test_gradients_at_the_edges_follow_pytorchs_kernels():
    # border: the clamp passes no gradient at the edge itself; reflection flips the gradient's sign
    row = t([[[[1.0, 2.0, 5.0]]]])
    for padding, x, want in [("border", 1.0, 0.0), ("border", 0.5, 3.0 * 1.0), ("reflection", 1.5, -3.0)]:
        grid = t([[[[x, 0.0]]]], grad=True)
        grid_sample(row, grid, padding_mode=padding, align_corners=True).sum().backward()
        # d out / d x = slope between the pixels (3 per pixel) times du/dx = (3 - 1) / 2 = 1
        np.testing.assert_allclose(grid.grad.data[0, 0, 0], [want, 0.0])


def test_nearest_gives_the_grid_a_zero_gradient_and_the_input_the_reads():
    image = t(np.arange(6.0).reshape(1, 1, 2, 3), grad=True)
    grid = t([[[[-1.0, -1.0], [-1.0, -1.0], [1.0, 1.0]]]], grad=True)
    grid_sample(image, grid, mode="nearest", align_corners=True).sum().backward()
    assert grid.grad.tolist() == np.zeros((1, 1, 3, 2)).tolist()  # (piecewise constant, as round: as PyTorch)
    assert image.grad.data.ravel().tolist() == [2.0, 0.0, 0.0, 0.0, 0.0, 1.0]


# ---------------------------------------------------------------- finite differences


def _off_kinks(rng, n, h, w, spread=1.3):
    """Grid points whose pixel positions keep 1e-3 from every whole and half number (the kinks)."""
    grid = rng.uniform(-spread, spread, (n, h, w, 2))
    for k, size in ((0, 4), (1, 3)):  # x runs along W = 4, y along H = 3
        for u in ((grid[..., k] + 1) * (size - 1) / 2, (grid[..., k] + 1) * size / 2 - 0.5):
            near = np.abs(u * 2 - np.round(u * 2)) < 2e-3
            grid[..., k] = np.where(near, grid[..., k] + 0.01, grid[..., k])
    return grid


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("padding", PADDINGS)
@pytest.mark.parametrize("align", [False, True])
@settings(max_examples=3)
@given(seed=SEEDS)
def test_gradients_match_finite_differences(mode, padding, align, seed):
    rng = np.random.default_rng(seed)
    image = t(rng.standard_normal((1, 2, 3, 4)), grad=True)
    grid = t(_off_kinks(rng, 1, 2, 2), grad=True)
    assert gradcheck(lambda x, g: grid_sample(x, g, mode, padding, align), (image, grid))


@pytest.mark.parametrize("mode", ["bilinear", "bicubic"])
@pytest.mark.parametrize("padding", PADDINGS)
def test_second_derivatives_match_finite_differences(mode, padding):
    rng = np.random.default_rng(3)
    image = t(rng.standard_normal((1, 1, 3, 4)), grad=True)
    grid = t(_off_kinks(rng, 1, 1, 2), grad=True)
    assert gradgradcheck(lambda x, g: grid_sample(x, g, mode, padding, False), (image, grid))


def test_affine_grid_gradients_match_finite_differences():
    rng = np.random.default_rng(2)
    for size, shape in (((2, 1, 3, 4), (2, 2, 3)), ((1, 1, 2, 2, 3), (1, 3, 4))):
        theta = t(rng.standard_normal(shape), grad=True)
        assert gradcheck(lambda th, size=size: affine_grid(th, size, align_corners=False), (theta,))
    theta = t(rng.standard_normal((1, 2, 3)), grad=True)
    image = t(rng.standard_normal((1, 2, 3, 4)))

    def transform(th):  # a spatial transformer: the map's parameters get gradients through the sampling
        return grid_sample(image, affine_grid(th, (1, 2, 3, 4), align_corners=False), align_corners=False)

    assert gradcheck(transform, (theta,))


# ---------------------------------------------------------------- warnings and errors


def test_align_corners_none_warns_and_means_false():
    image, grid = t(np.ones((1, 1, 2, 2))), t(np.zeros((1, 1, 1, 2)))
    with pytest.warns(UserWarning, match="Default grid_sample and affine_grid behavior has changed"):
        out = grid_sample(image, grid)
    assert out.tolist() == grid_sample(image, grid, align_corners=False).tolist()
    with pytest.warns(UserWarning, match="Default grid_sample and affine_grid behavior"):
        affine_grid(t(np.eye(2, 3)[None]), (1, 1, 2, 2))
    with pytest.warns(UserWarning, match="unit-size grids when align_corners=True"):
        affine_grid(t(np.eye(2, 3)[None]), (1, 1, 1, 2), align_corners=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        grid_sample(image, grid, align_corners=True)


def _error_cases(lib, F_):
    """(call, exception type, message) for each way to call the two functions wrongly."""
    f64 = {"dtype": lib.float64}
    x, g = lib.ones(2, 3, 4, 5, **f64), lib.zeros(2, 3, 6, 2, **f64)
    th = lib.zeros(2, 2, 3, **f64)
    return [
        (lambda: F_.grid_sample(x, g, "foo", align_corners=False), ValueError, "expected mode to be"),
        (lambda: F_.grid_sample(x, g, padding_mode="foo", align_corners=False), ValueError, "padding_mode"),
        (lambda: F_.grid_sample(x, g[:1], align_corners=False), RuntimeError, "same batch size"),
        (lambda: F_.grid_sample(x[0], g, align_corners=False), RuntimeError, "same batch size"),
        (
            lambda: F_.grid_sample(x, lib.zeros(2, 3, 6, 3, **f64), align_corners=False),
            RuntimeError,
            r"expected grid to have size 2 in last dimension, but got grid with sizes \[2, 3, 6, 3\]",
        ),
        (
            lambda: F_.grid_sample(x, lib.zeros(2, 3, 6, 1, 2, **f64), align_corners=False),
            RuntimeError,
            "expected 4D input and grid with same number of dimensions",
        ),
        (
            lambda: F_.grid_sample(lib.ones(2, 3, 0, 5, **f64), g, align_corners=False),
            RuntimeError,
            r"non-empty spatial dimensions, but input has sizes \[2, 3, 0, 5\] with dimension 2",
        ),
        (
            lambda: F_.grid_sample(x, g.float(), align_corners=False),
            RuntimeError,
            "expected scalar type Double but found Float",
        ),
        (
            lambda: F_.grid_sample(
                lib.ones(1, 1, 2, 2, 2, **f64),
                lib.zeros(1, 1, 1, 1, 3, **f64),
                "bicubic",
                align_corners=False,
            ),
            RuntimeError,
            "bicubic interpolation only supports 4D input",
        ),
        (lambda: F_.grid_sample(x.long(), g.long(), align_corners=False), NotImplementedError, "Long"),
        (lambda: F_.affine_grid(th.long(), (2, 3, 4, 5), False), ValueError, "floating point type"),
        (lambda: F_.affine_grid(th, (2, 3, 4), False), NotImplementedError, "only supports 4D and 5D sizes"),
        (lambda: F_.affine_grid(th, (2, 3, 4, 5, 6), False), ValueError, "shape Nx3x4"),
        (lambda: F_.affine_grid(lib.zeros(2, 3, 4), (2, 3, 4, 5), False), ValueError, "shape Nx2x3"),
        (lambda: F_.affine_grid(th, (2, 3, 4, 0), False), ValueError, "non-zero, positive output size"),
        (lambda: F_.affine_grid(th, (3, 3, 4, 5), False), RuntimeError, "3"),
    ]


def test_errors_name_the_problem():
    import tinygrad_edu.nn.grid_sampling as ours

    for call, error, message in _error_cases(tg, ours):
        with pytest.raises(error, match=message):
            call()


def test_error_types_and_messages_match_torch_if_installed():
    torch = pytest.importorskip("torch")
    for call, error, message in _error_cases(torch, torch.nn.functional):
        with pytest.raises(error, match=message):
            call()


def test_5d_inputs_are_refused_as_not_supported():
    with pytest.raises(NotImplementedError, match="5-d"):
        grid_sample(t(np.ones((1, 1, 2, 2, 2))), t(np.zeros((1, 1, 1, 1, 3))), align_corners=False)


# ---------------------------------------------------------------- against PyTorch


def _compare(torch, rng, image, grid, mode, padding, align):
    ours = [t(image, grad=True), t(grid, grad=True)]
    theirs = [torch.tensor(image, requires_grad=True), torch.tensor(grid, requires_grad=True)]
    out = grid_sample(*ours, mode, padding, align)
    ref = torch.nn.functional.grid_sample(*theirs, mode, padding, align)
    assert_values_and_gradients_agree(torch, rng, out, ref, ours, theirs)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("padding", PADDINGS)
@pytest.mark.parametrize("align", [False, True])
def test_values_and_gradients_match_torch_if_installed(mode, padding, align):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(7)
    for h, w in [(4, 5), (1, 3), (3, 1), (1, 1)]:
        _compare(
            torch,
            rng,
            rng.standard_normal((2, 3, h, w)),
            rng.uniform(-2.5, 2.5, (2, 3, 4, 2)),
            mode,
            padding,
            align,
        )
    # the pixel lattice, its edges and beyond (the kinks): PyTorch's one-sided gradients there
    xs, ys = np.meshgrid(np.linspace(-1.5, 1.5, 13), np.linspace(-1, 1, 5))
    _compare(
        torch, rng, rng.standard_normal((1, 2, 3, 4)), np.stack([xs, ys], -1)[None], mode, padding, align
    )


@pytest.mark.filterwarnings("ignore:invalid value encountered")  # (NumPy's, for inf - inf)
def test_nan_and_infinite_points_match_torch_if_installed():
    torch = pytest.importorskip("torch")
    image = np.random.default_rng(8).standard_normal((1, 1, 3, 4))
    grid = np.array([[[[np.nan, 0.0], [np.inf, 0.0], [-np.inf, 0.5], [0.5, np.nan]]]])
    for mode in ("bilinear", "nearest"):  # (PyTorch's border and reflection kernels may crash on NaN)
        ours = grid_sample(t(image), t(grid), mode, "zeros", False).data
        theirs = torch.nn.functional.grid_sample(
            torch.tensor(image), torch.tensor(grid), mode, "zeros", False
        )
        np.testing.assert_array_equal(ours, theirs.numpy())


def test_float32_matches_torch_if_installed():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(9)
    image = rng.standard_normal((2, 3, 4, 5)).astype(np.float32)
    grid = rng.uniform(-1.2, 1.2, (2, 3, 4, 2)).astype(np.float32)
    for mode in MODES:
        out = grid_sample(tg.tensor(image), tg.tensor(grid), mode, "reflection", False)
        assert out.dtype == np.float32
        ref = torch.nn.functional.grid_sample(
            torch.tensor(image), torch.tensor(grid), mode, "reflection", False
        )
        np.testing.assert_allclose(out.data, ref.numpy(), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("align", [False, True])
def test_affine_grid_matches_torch_if_installed(align):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(10)
    for size in [(2, 3, 4, 5), (2, 1, 1, 3), (2, 1, 3, 1), (2, 1, 2, 3, 4)]:
        k = len(size) - 2
        theta = rng.standard_normal((2, k, k + 1))
        ours, theirs = t(theta, grad=True), torch.tensor(theta, requires_grad=True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # (the unit-size warning)
            out, ref = affine_grid(ours, size, align), torch.nn.functional.affine_grid(theirs, size, align)
        assert_values_and_gradients_agree(torch, rng, out, ref, [ours], [theirs])


@pytest.mark.parametrize("name", ["grid_sample", "affine_grid"])
def test_signatures_match_torch_if_installed(name):
    torch = pytest.importorskip("torch")
    import tinygrad_edu.nn.grid_sampling as ours

    def parameters(fn):
        return [(p.name, p.kind, p.default) for p in inspect.signature(fn).parameters.values()]

    assert parameters(getattr(ours, name)) == parameters(getattr(torch.nn.functional, name))
