"""Tests for LBFGS and its strong Wolfe line search.

Without torch: the two-loop recursion against the L-BFGS matrix built
densely from its definition, a whole fixed-step run against a dense NumPy
re-implementation, the cubic step against a cubic's known minimiser, the line
search's result against the Wolfe conditions, and convergence to minimisers
known in closed form. With torch: step-by-step agreement with
``torch.optim.LBFGS`` (parameters, evaluation counts, state) on a quadratic,
the Rosenbrock function and a small MLP, and loading its state dict.

NOTE on tolerances: PyTorch adds ``t * d`` with a fused multiply-add and sums
with its own reduction order, so the two differ in the last bit from the
first iteration on; an optimizer feeds its rounding back into the next
iteration, so the gap grows with the number of iterations (fastest on
Rosenbrock's curved valley). The tolerances are set per run from that, and
the evaluation counts, which would show any difference of algorithm, must be
equal.
"""

from __future__ import annotations

import copy
import inspect

import numpy as np
import pytest

import tinygrad_edu as tg
from tinygrad_edu.optim import LBFGS
from tinygrad_edu.optim.lbfgs import _two_loop
from tinygrad_edu.optim.line_search import cubic_minimizer, strong_wolfe

RNG = np.random.default_rng(11)
A = RNG.normal(size=(6, 6))
A = A @ A.T + 0.5 * np.eye(6)  # symmetric positive definite
X_STAR = RNG.normal(size=6)
ROSEN_X0 = np.array([-1.2, 1.0, -0.5, 0.8, 1.3])


def quadratic(x):
    """f(x) = (x - x*)^T A (x - x*) / 2 and its gradient.

    Written around x* so that f's rounding stays far below its decrease near
    x* (in the form x^T A x / 2 - b^T x, a line search, which compares values
    of f, could not see progress closer to x* than about sqrt(eps)).
    """
    r = x - X_STAR
    return 0.5 * r @ A @ r, A @ r


def rosenbrock(x):
    f = np.sum(100 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2)
    g = np.zeros_like(x)
    g[:-1] = -400 * x[:-1] * (x[1:] - x[:-1] ** 2) - 2 * (1 - x[:-1])
    g[1:] += 200 * (x[1:] - x[:-1] ** 2)
    return f, g


def numpy_closure(x, fn, counter=None):
    """A closure that sets x.grad from `fn`, computed in NumPy (no autograd)."""

    def closure():
        if counter is not None:
            counter.append(1)
        f, g = fn(x.data.copy())
        x.grad = tg.Tensor(g)
        return tg.Tensor(f)

    return closure


def run(fn, x0, steps, **kwargs):
    x = tg.Tensor(x0.copy(), requires_grad=True)
    opt = LBFGS([x], **kwargs)
    history = []
    for _ in range(steps):
        opt.step(numpy_closure(x, fn))
        history.append(x.data.copy())
    return x, opt, history


# --- Without torch --------------------------------------------------------------------


def lbfgs_matrix(pairs, gamma):
    """H = gamma I, updated by BFGS with each (s, y), oldest first: the matrix the two loops apply."""
    n = len(pairs[0][0])
    H = gamma * np.eye(n)
    for s, y in pairs:
        rho = 1 / (y @ s)
        V = np.eye(n) - rho * np.outer(y, s)
        H = V.T @ H @ V + rho * np.outer(s, s)
    return H


def test_two_loop_recursion_applies_the_lbfgs_inverse_hessian():
    rng = np.random.default_rng(0)
    pairs = []
    for _ in range(4):
        s = rng.normal(size=7)
        y = s + 0.3 * rng.normal(size=7)  # y^T s > 0: curvature positive
        pairs.append((s, y))
    g = rng.normal(size=7)
    gamma = 0.7
    rhos = [1 / (y @ s) for s, y in pairs]
    d, alpha = _two_loop(g, [y for _, y in pairs], [s for s, _ in pairs], rhos, gamma)
    np.testing.assert_allclose(d, -lbfgs_matrix(pairs, gamma) @ g, rtol=1e-12, atol=1e-12)
    # the alphas (PyTorch's state "al") as 0-d arrays; the newest one is rho_m s_m^T (-g)
    s, y = pairs[-1]
    assert len(alpha) == 4 and all(isinstance(a, np.ndarray) and a.shape == () for a in alpha)
    assert float(alpha[-1]) == pytest.approx(-rhos[-1] * (s @ g), rel=1e-12)
    # the matrix satisfies the secant equation for the newest pair: H y = s
    np.testing.assert_allclose(lbfgs_matrix(pairs, gamma) @ y, s, rtol=1e-12)


def dense_lbfgs(fn, x0, steps, lr, max_iter, history_size):
    """Fixed-step L-BFGS from its definition, with the matrix H formed densely.

    Tolerances are off (the runs below never meet them), so each step() does
    max_iter iterations and evaluates f at the start and after every
    iteration but the last.
    """
    x, pairs, gamma = x0.copy(), [], 1.0
    prev_g, prev_s, first = None, None, True
    out = []
    for _ in range(steps):
        _, g = fn(x)
        for k in range(max_iter):
            if first:
                d = -g
                t = min(1.0, 1 / np.abs(g).sum()) * lr
                first = False
            else:
                y = g - prev_g
                if y @ prev_s > 1e-10:
                    pairs = [*pairs, (prev_s, y)][-history_size:]
                    gamma = (y @ prev_s) / (y @ y)
                d = -lbfgs_matrix(pairs, gamma) @ g
                t = lr
            prev_g, prev_s = g, t * d
            x = x + t * d
            if k < max_iter - 1:
                _, g = fn(x)
        out.append(x.copy())
    return out


@pytest.mark.parametrize("history_size", [2, 100])
def test_fixed_step_run_matches_a_dense_reimplementation(history_size):
    kwargs = {"lr": 0.5, "max_iter": 4, "history_size": history_size}
    _, opt, ours = run(quadratic, np.zeros(6), 3, tolerance_grad=0, tolerance_change=0, **kwargs)
    reference = dense_lbfgs(quadratic, np.zeros(6), 3, **kwargs)
    for x, want in zip(ours, reference):
        np.testing.assert_allclose(x, want, rtol=1e-10, atol=1e-12)
    state = opt.state[opt.param_groups[0]["params"][0]]
    assert state["n_iter"] == 12 and state["func_evals"] == 3 * 4
    assert len(state["old_dirs"]) == min(history_size, 11)


def test_first_iteration_is_a_gradient_step_scaled_by_the_l1_norm():
    x0 = np.array([1.0, -2.0, 0.5])
    _, _, history = run(lambda x: (0.5 * x @ x, x), x0, 1, lr=0.8, max_iter=1)
    # g = x0, |g|_1 = 3.5: t = min(1, 1/3.5) * 0.8
    np.testing.assert_allclose(history[0], x0 - 0.8 / 3.5 * x0, rtol=1e-15)
    # with a gradient of l1 norm below 1 the step is lr itself
    _, _, history = run(lambda x: (0.5 * x @ x, x), 0.1 * x0, 1, lr=0.8, max_iter=1)
    np.testing.assert_allclose(history[0], 0.1 * x0 - 0.8 * 0.1 * x0, rtol=1e-15)


@pytest.mark.parametrize("line_search_fn", [None, "strong_wolfe"])
def test_one_step_reaches_the_minimiser_of_a_quadratic(line_search_fn):
    x, opt, _ = run(
        quadratic,
        np.zeros(6),
        1,
        max_iter=100,
        tolerance_grad=1e-12,
        tolerance_change=0,
        line_search_fn=line_search_fn,
    )
    np.testing.assert_allclose(x.data, X_STAR, rtol=0, atol=1e-10)
    # a BFGS method on a 6-d quadratic needs few iterations, far fewer than 100
    assert opt.state[x]["n_iter"] < 30


def test_rosenbrock_with_line_search_reaches_its_minimum():
    x, opt, _ = run(
        rosenbrock, ROSEN_X0, 1, max_iter=200, max_eval=400, tolerance_grad=1e-10, tolerance_change=0,
        line_search_fn="strong_wolfe",
    )  # fmt: skip
    np.testing.assert_allclose(x.data, np.ones(5), rtol=0, atol=1e-10)
    assert opt.state[x]["n_iter"] < 200  # stopped by the gradient test


def test_cubic_minimizer_finds_a_cubics_local_minimum():
    # f(x) = x^3 - 3x: local minimum at x = 1
    def f(x):
        return x**3 - 3 * x

    def df(x):
        return 3 * x**2 - 3

    for x1, x2 in [(0.0, 2.0), (2.0, 0.5), (0.2, 1.5)]:
        assert cubic_minimizer(x1, f(x1), df(x1), x2, f(x2), df(x2)) == pytest.approx(1.0, rel=1e-12)
    # clipped to the bounds, and the middle of the bounds when the cubic has no minimum
    assert cubic_minimizer(0.0, f(0.0), df(0.0), 2.0, f(2.0), df(2.0), bounds=(1.5, 3.0)) == 1.5
    # d1 = g1 + g2 - 3 (f1 - f2) / (x1 - x2) = 0 < g1 g2: no real turning point, the middle is taken
    assert cubic_minimizer(0.0, 0.0, 2.0, 1.0, 5 / 3, 3.0) == 0.5


@pytest.mark.parametrize("t0", [1e-3, 1.0, 30.0])
def test_strong_wolfe_returns_a_step_satisfying_the_wolfe_conditions(t0):
    x = ROSEN_X0
    f0, g0 = rosenbrock(x)
    d = -g0 / np.abs(g0).max()
    calls = []

    def evaluate(t):
        calls.append(t)
        return rosenbrock(x + t * d)

    f, g, t, evals = strong_wolfe(evaluate, t0, d, f0, g0, float(g0 @ d))
    assert evals == len(calls) and t in calls
    want_f, want_g = rosenbrock(x + t * d)
    assert f == want_f and np.array_equal(g, want_g)
    assert f <= f0 + 1e-4 * t * (g0 @ d)  # sufficient decrease
    assert abs(g @ d) <= 0.9 * abs(g0 @ d)  # curvature, strong form


def test_steps_continue_the_history_and_counters():
    x, opt, _ = run(rosenbrock, ROSEN_X0, 1, max_iter=4, line_search_fn="strong_wolfe")
    state = opt.state[x]
    assert state["n_iter"] == 4 and len(state["old_dirs"]) == len(state["old_stps"]) == len(state["ro"])
    evals = state["func_evals"]
    opt.step(numpy_closure(x, rosenbrock))
    assert state["n_iter"] == 8 and state["func_evals"] > evals
    # one run of 8 iterations and two of 4 meet the same iterates (the first eval of step 2 is f's
    # value at the point the first step reached, which a single run has already computed)
    _, _, single = run(rosenbrock, ROSEN_X0, 1, max_iter=8, max_eval=100, line_search_fn="strong_wolfe")
    np.testing.assert_allclose(x.data, single[0], rtol=0, atol=1e-12)


def test_stops_at_once_when_the_gradient_is_already_small():
    x = tg.Tensor(X_STAR, requires_grad=True)
    opt = LBFGS([x], tolerance_grad=1e-6)
    before = x.data.copy()
    loss = opt.step(numpy_closure(x, quadratic))
    assert isinstance(loss, tg.Tensor) and loss.item() == pytest.approx(quadratic(before)[0], rel=1e-14)
    np.testing.assert_array_equal(x.data, before)
    assert opt.state[x] == {"func_evals": 1, "n_iter": 0}


def test_max_eval_and_max_iter_bound_the_work():
    calls = []
    x = tg.Tensor(ROSEN_X0.copy(), requires_grad=True)
    opt = LBFGS([x], max_iter=50, max_eval=7)
    opt.step(numpy_closure(x, rosenbrock, calls))
    assert len(calls) == 7 and opt.state[x]["func_evals"] == 7
    calls.clear()
    opt = LBFGS([x], max_iter=3)  # max_eval = 3 * 5 // 4 = 3
    assert opt.param_groups[0]["max_eval"] == 3
    opt.step(numpy_closure(x, rosenbrock, calls))
    assert len(calls) == 3  # the start, then after iterations 1 and 2 (not after the last)


def test_several_parameters_and_autograd_closure():
    w = tg.Tensor(np.zeros((2, 3)), requires_grad=True)
    b = tg.Tensor(np.zeros(3), requires_grad=True)
    X = RNG.normal(size=(10, 2))
    target = X @ np.array([[1.0, -2.0, 0.5], [0.3, 0.0, 2.0]]) + np.array([0.1, 0.2, -0.3])
    opt = LBFGS([w, b], tolerance_grad=1e-12, tolerance_change=0, line_search_fn="strong_wolfe")

    def closure():
        opt.zero_grad()
        loss = ((tg.Tensor(X) @ w + b - tg.Tensor(target)) ** 2).mean()
        loss.backward()
        return loss

    with tg.no_grad():  # the closure still records: step turns grad mode on for it
        for _ in range(3):
            opt.step(closure)
    np.testing.assert_allclose(w.data, [[1.0, -2.0, 0.5], [0.3, 0.0, 2.0]], atol=1e-10)
    np.testing.assert_allclose(b.data, [0.1, 0.2, -0.3], atol=1e-10)
    assert w._version > 0


# --- state_dict ----------------------------------------------------------------------


@pytest.mark.parametrize("line_search_fn", [None, "strong_wolfe"])
def test_state_dict_round_trip_continues_identically(line_search_fn):
    kwargs = {"max_iter": 5, "history_size": 4, "line_search_fn": line_search_fn}
    _, _, full = run(rosenbrock, ROSEN_X0, 4, **kwargs)
    x, opt, _ = run(rosenbrock, ROSEN_X0, 2, **kwargs)
    saved = copy.deepcopy(opt.state_dict())
    assert list(saved["state"]) == [0]
    assert list(saved["state"][0]) == [
        "func_evals", "n_iter", "al", "d", "t", "old_dirs", "old_stps", "ro", "H_diag",
        "prev_flat_grad", "prev_loss",
    ]  # fmt: skip
    assert saved["param_groups"] == [
        {"lr": 1, "max_iter": 5, "max_eval": 6, "tolerance_grad": 1e-7, "tolerance_change": 1e-9,
         "history_size": 4, "line_search_fn": line_search_fn, "params": [0]}
    ]  # fmt: skip
    y = tg.Tensor(x.data.copy(), requires_grad=True)
    resumed = LBFGS([y], lr=0.3)
    resumed.load_state_dict(saved)
    assert resumed.param_groups[0]["lr"] == 1 and resumed.param_groups[0]["history_size"] == 4
    for _ in range(2):
        resumed.step(numpy_closure(y, rosenbrock))
    np.testing.assert_array_equal(y.data, full[-1])
    # loading copied the arrays: the resumed optimizer's steps did not change the dict
    assert saved["state"][0]["n_iter"] == opt.state_dict()["state"][0]["n_iter"]


def test_load_state_dict_refuses_vectors_of_the_wrong_size_and_changes_nothing():
    x, opt, _ = run(quadratic, np.zeros(6), 1, max_iter=3)
    saved = opt.state_dict()
    other = LBFGS([tg.Tensor(np.zeros(5), requires_grad=True)])
    with pytest.raises(ValueError, match="'d' of shape \\(6,\\).*5 elements"):
        other.load_state_dict(saved)
    assert len(other.state) == 0 and other.param_groups[0]["max_iter"] == 20


# --- errors --------------------------------------------------------------------------


def test_argument_errors():
    x = tg.Tensor(np.zeros(2), requires_grad=True)
    with pytest.raises(ValueError, match="^Invalid learning rate: -1$"):
        LBFGS([x], lr=-1)
    with pytest.raises(ValueError, match="^Invalid history_size value: 0$"):
        LBFGS([x], history_size=0)
    with pytest.raises(
        ValueError, match=r"^LBFGS doesn't support per-parameter options \(parameter groups\)$"
    ):
        LBFGS([{"params": [x]}, {"params": [tg.Tensor(np.zeros(1), requires_grad=True)]}])
    opt = LBFGS([x])
    with pytest.raises(TypeError, match="missing 1 required positional argument: 'closure'"):
        opt.step()  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="needs a closure"):
        opt.step(None)  # type: ignore[arg-type]
    assert len(opt.state) == 0
    opt.add_param_group({"params": [tg.Tensor(np.zeros(1), requires_grad=True)]})
    with pytest.raises(AssertionError, match="^Expected exactly one param_group, but got 2$"):
        opt.step(numpy_closure(x, lambda v: (v @ v, 2 * v)))


def test_unknown_line_search_is_refused_before_anything_changes():
    x = tg.Tensor(np.ones(6), requires_grad=True)
    opt = LBFGS([x], line_search_fn="backtracking")
    with pytest.raises(RuntimeError, match="^only 'strong_wolfe' is supported$"):
        opt.step(numpy_closure(x, quadratic))
    assert len(opt.state) == 0 and np.array_equal(x.data, np.ones(6))


@pytest.mark.parametrize("line_search_fn", [None, "strong_wolfe"])
def test_a_closure_that_fails_half_way_leaves_parameters_and_state_unchanged(line_search_fn):
    x, opt, _ = run(rosenbrock, ROSEN_X0, 1, max_iter=3, line_search_fn=line_search_fn)
    before, state = x.data.copy(), copy.deepcopy(opt.state_dict())
    calls = []

    def closure():
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return numpy_closure(x, rosenbrock)()

    with pytest.raises(KeyboardInterrupt):
        opt.step(closure)
    np.testing.assert_array_equal(x.data, before)
    after = opt.state_dict()
    assert after["state"][0].keys() == state["state"][0].keys()
    assert after["state"][0]["n_iter"] == state["state"][0]["n_iter"]
    np.testing.assert_array_equal(after["state"][0]["d"], state["state"][0]["d"])
    # and it goes on as if the failed call never happened
    opt.step(numpy_closure(x, rosenbrock))
    _, _, two = run(rosenbrock, ROSEN_X0, 2, max_iter=3, line_search_fn=line_search_fn)
    np.testing.assert_array_equal(x.data, two[-1])


def test_a_closure_failing_on_the_first_step_leaves_no_state():
    x = tg.Tensor(np.zeros(6), requires_grad=True)
    opt = LBFGS([x])

    def closure():
        raise ValueError("boom")

    with pytest.raises(ValueError, match="boom"):
        opt.step(closure)
    assert len(opt.state) == 0


# --- Optional: against PyTorch itself -------------------------------------------------


@pytest.fixture
def torch64():
    torch = pytest.importorskip("torch")
    dtype = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    yield torch
    torch.set_default_dtype(dtype)


def torch_run(torch, fn, x0, steps, **kwargs):
    p = torch.tensor(x0.copy(), requires_grad=True)
    opt = torch.optim.LBFGS([p], **kwargs)

    def closure():
        f, g = fn(p.detach().numpy().copy())
        p.grad = torch.from_numpy(g)
        return torch.tensor(f)

    history = []
    for _ in range(steps):
        opt.step(closure)
        history.append((p.detach().numpy().copy(), copy.deepcopy(opt.state[p])))
    return opt, history


def assert_same_kind(ours, theirs, key):
    """Where torch keeps a tensor, an array of its shape and dtype; else torch's own type."""
    torch = pytest.importorskip("torch")
    if key == "t":  # torch's t is a 0-d tensor or a number by the path taken; ours always a number
        assert isinstance(ours, (int, float)), key
    elif isinstance(theirs, torch.Tensor):
        assert isinstance(ours, np.ndarray) and ours.shape == tuple(theirs.shape), key
        assert ours.dtype == theirs.numpy().dtype, key
    else:
        assert type(ours) is type(theirs), key


def assert_state_matches(ours, theirs, atol):
    assert ours["func_evals"] == theirs["func_evals"] and ours["n_iter"] == theirs["n_iter"]
    assert list(ours) == list(theirs)  # the same keys, al included, in the same order
    for key in ("d", "prev_flat_grad"):
        assert_same_kind(ours[key], theirs[key], key)
        np.testing.assert_allclose(ours[key], theirs[key].numpy(), rtol=1e-9, atol=atol, err_msg=key)
    for key in ("old_dirs", "old_stps", "ro", "al"):
        if key not in theirs:
            continue
        assert isinstance(ours[key], list) and len(ours[key]) == len(theirs[key]), key
        for a, b in zip(ours[key], theirs[key]):
            assert_same_kind(a, b, key)
            if b is not None:
                # (al, the two-loop's scratch, comes from sums that cancel: it keeps fewer digits)
                rtol = 1e-6 if key == "al" else 1e-9
                np.testing.assert_allclose(a, np.asarray(b), rtol=rtol, atol=atol, err_msg=key)
    for key in ("t", "H_diag", "prev_loss"):
        assert_same_kind(ours[key], theirs[key], key)
        assert float(ours[key]) == pytest.approx(float(theirs[key]), rel=1e-9, abs=atol), key


@pytest.mark.parametrize(
    "fn, x0, steps, kwargs, atol",
    [
        (quadratic, np.zeros(6), 3, {"max_iter": 4}, 1e-13),
        (quadratic, np.zeros(6), 3, {"max_iter": 4, "line_search_fn": "strong_wolfe"}, 1e-13),
        (rosenbrock, ROSEN_X0, 6, {"max_iter": 5}, 1e-10),
        (rosenbrock, ROSEN_X0, 4, {"max_iter": 6, "history_size": 3, "lr": 0.5}, 1e-10),
        (rosenbrock, ROSEN_X0, 6, {"max_iter": 5, "line_search_fn": "strong_wolfe"}, 1e-11),
        (
            rosenbrock,
            ROSEN_X0,
            5,
            {"history_size": 3, "max_eval": 9, "line_search_fn": "strong_wolfe"},
            1e-10,
        ),
    ],
    ids=[
        "quadratic",
        "quadratic-wolfe",
        "rosenbrock",
        "rosenbrock-history3",
        "rosenbrock-wolfe",
        "rosenbrock-wolfe-evals",
    ],
)
def test_matches_torch_step_by_step(torch64, fn, x0, steps, kwargs, atol):
    _, theirs = torch_run(torch64, fn, x0, steps, **kwargs)
    x = tg.Tensor(x0.copy(), requires_grad=True)
    opt = LBFGS([x], **kwargs)
    for k, (x_theirs, state_theirs) in enumerate(theirs):
        opt.step(numpy_closure(x, fn))
        np.testing.assert_allclose(x.data, x_theirs, rtol=0, atol=atol, err_msg=f"step {k}")
        assert_state_matches(opt.state[x], state_theirs, atol)


def test_matches_torch_on_an_mlp_regression(torch64):
    torch = torch64
    rng = np.random.default_rng(3)
    X, init = rng.normal(size=(32, 3)), [rng.normal(size=s) * 0.5 for s in [(3, 8), (8,), (8, 1), (1,)]]
    Y = np.sin(X.sum(1, keepdims=True))

    def mlp_loss(params, x, y):
        w1, b1, w2, b2 = params
        return ((((x @ w1 + b1).tanh() @ w2) + b2 - y) ** 2).mean()

    for line_search_fn in [None, "strong_wolfe"]:
        ps = [torch.tensor(a.copy(), requires_grad=True) for a in init]
        qs = [tg.Tensor(a.copy(), requires_grad=True) for a in init]
        theirs = torch.optim.LBFGS(ps, history_size=5, max_iter=10, line_search_fn=line_search_fn)
        ours = LBFGS(qs, history_size=5, max_iter=10, line_search_fn=line_search_fn)

        def closure_theirs():
            theirs.zero_grad()
            loss = mlp_loss(ps, torch.tensor(X), torch.tensor(Y))
            loss.backward()
            return loss

        def closure_ours():
            ours.zero_grad()
            loss = mlp_loss(qs, tg.Tensor(X), tg.Tensor(Y))
            loss.backward()
            return loss

        # the two autograd engines round the gradients differently too
        for k, atol in enumerate([1e-14, 1e-12, 1e-11, 1e-10]):
            want = theirs.step(closure_theirs).item()
            assert ours.step(closure_ours).item() == pytest.approx(want, rel=1e-9)
            for p, q in zip(ps, qs):
                np.testing.assert_allclose(q.data, p.detach().numpy(), rtol=0, atol=atol, err_msg=f"step {k}")
            assert ours.state[qs[0]]["func_evals"] == theirs.state[ps[0]]["func_evals"]


def test_a_torch_state_dict_loads_and_the_run_goes_on_as_torchs(torch64):
    kwargs = {"max_iter": 5, "history_size": 4, "line_search_fn": "strong_wolfe"}
    theirs, history = torch_run(torch64, rosenbrock, ROSEN_X0, 4, **kwargs)
    # replay: torch's state after 2 steps (with its scratch "al"), then 2 more steps here
    mid, _ = torch_run(torch64, rosenbrock, ROSEN_X0, 2, **kwargs)
    saved = mid.state_dict()
    assert "al" in saved["state"][0]
    x = tg.Tensor(history[1][0].copy(), requires_grad=True)
    opt = LBFGS([x])
    opt.load_state_dict(saved)
    for k in (2, 3):
        opt.step(numpy_closure(x, rosenbrock))
        np.testing.assert_allclose(x.data, history[k][0], rtol=0, atol=1e-12)
        assert_state_matches(opt.state[x], history[k][1], 1e-12)


def test_signature_defaults_and_group_keys_match_torch():
    torch = pytest.importorskip("torch")

    def signature(fn):
        return [(p.name, p.kind, p.default) for p in inspect.signature(fn).parameters.values()]

    assert signature(LBFGS) == signature(torch.optim.LBFGS)
    ours = LBFGS([tg.Tensor(np.zeros(2), requires_grad=True)], max_iter=7)
    theirs = torch.optim.LBFGS([torch.zeros(2, requires_grad=True)], max_iter=7)
    assert ours.defaults == theirs.defaults and list(ours.defaults) == list(theirs.defaults)
    assert ours.state_dict() == theirs.state_dict()


LINE_FUNCTIONS = {
    "wavy": lambda x: (np.sum(np.sin(3 * x) + 0.1 * x**2), 3 * np.cos(3 * x) + 0.2 * x),
    "log": lambda x: (np.sum(np.log1p(100 * (x - 1) ** 2)), 200 * (x - 1) / (1 + 100 * (x - 1) ** 2)),
    "quartic": lambda x: (np.sum(x**4 - 3 * x**2 + x), 4 * x**3 - 6 * x + 1),
}


@pytest.mark.parametrize("name", list(LINE_FUNCTIONS))
def test_line_search_matches_torchs_trial_by_trial(torch64, name):
    # many starts and first steps, so that every branch of the zoom runs (the "wavy" start 5
    # with t0 = 100 moves a trial step away from the bracket's end twice in a row)
    from torch.optim.lbfgs import _strong_wolfe

    fn = LINE_FUNCTIONS[name]
    for seed in range(30):
        x = np.random.default_rng(seed).normal(size=3) * 2
        f0, g0 = fn(x)
        d = -g0
        for t0 in [0.01, 1.0, 10.0, 100.0]:
            ours, theirs = [], []

            def along(t, trials=ours):
                trials.append(t)
                return fn(x + t * d)

            def obj_func(_, t, direction, trials=theirs):
                trials.append(float(t))
                f, g = fn(x + float(t) * direction.numpy())
                return float(f), torch64.from_numpy(g)

            f, _, t, evals = strong_wolfe(along, t0, d, float(f0), g0, float(g0 @ d))
            want = _strong_wolfe(
                obj_func, None, t0, torch64.from_numpy(d), float(f0), torch64.from_numpy(g0), g0 @ d
            )
            np.testing.assert_allclose(ours, theirs, rtol=1e-12, err_msg=f"{seed}, {t0}")
            assert (
                evals == want[3]
                and t == pytest.approx(float(want[2]), rel=1e-12)
                and f == pytest.approx(want[0])
            )
