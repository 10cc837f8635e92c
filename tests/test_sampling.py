"""tinygrad_edu/sampling.py: multinomial, bernoulli(_), normal, poisson, randint_like and the
in-place fillers. Draws are checked for shape, dtype, support, reproducibility under
tg.manual_seed, and their distribution (means and frequencies within a few standard errors)."""

import numpy as np
import pytest

import tinygrad_edu as tg
from tinygrad_edu import sampling as S

N = 20000


def _freq(samples, k):
    return np.bincount(np.asarray(samples).reshape(-1), minlength=k) / np.asarray(samples).size


def test_multinomial_with_replacement_follows_the_weights():
    tg.manual_seed(0)
    w = tg.tensor([1.0, 0.0, 3.0, 6.0])  # weights, not normalised; a 0 is never drawn
    out = S.multinomial(w, N, replacement=True)
    assert out.dtype == np.int64 and out.shape == (N,)
    freq = _freq(out.data, 4)
    assert freq[1] == 0
    np.testing.assert_allclose(freq, [0.1, 0.0, 0.3, 0.6], atol=4 * np.sqrt(0.25 / N))


def test_multinomial_without_replacement_draws_distinct_categories_in_order():
    tg.manual_seed(1)
    w = tg.tensor(np.tile([0.2, 0.3, 0.5], (N, 1)))
    out = S.multinomial(w, 3).data
    assert out.shape == (N, 3) and (np.sort(out, 1) == [0, 1, 2]).all()
    # first draw ~ w; second: P(j) = sum_i w_i w_j / (1 - w_i)
    np.testing.assert_allclose(_freq(out[:, 0], 3), [0.2, 0.3, 0.5], atol=0.015)
    second = [
        sum(wi * wj / (1 - wi) for i, wi in enumerate([0.2, 0.3, 0.5]) if i != j)
        for j, wj in enumerate([0.2, 0.3, 0.5])
    ]
    np.testing.assert_allclose(_freq(out[:, 1], 3), second, atol=0.015)
    assert S.multinomial(tg.tensor([0.0, 1.0, 0.0]), 2)[0].item() == 1  # zero weights come last
    assert S.multinomial(tg.ones(0, 3), 1).shape == (0, 1)


def test_multinomial_is_reproducible_and_takes_a_generator():
    tg.manual_seed(5)
    a = S.multinomial(tg.ones(2, 10), 4)
    tg.manual_seed(5)
    assert np.array_equal(a.data, S.multinomial(tg.ones(2, 10), 4).data)
    g = tg.Generator().manual_seed(1)
    b = S.multinomial(tg.ones(10), 4, generator=g)
    assert np.array_equal(b.data, S.multinomial(tg.ones(10), 4, generator=tg.Generator().manual_seed(1)).data)


@pytest.mark.parametrize(
    "args, words",
    [
        ((tg.tensor([0.2, 0.3, 0.5]), 4), "without replacement"),
        ((tg.tensor([-1.0, 2.0]), 1), "element < 0"),
        ((tg.tensor([1.0, float("nan")]), 1), "nan"),
        ((tg.tensor([1.0, float("inf")]), 1, True), "inf"),
        ((tg.tensor([0.0, 0.0]), 1, True), "sum of probabilities <= 0"),
        ((tg.tensor([1, 2]), 1), "floating-point"),
        ((tg.ones(2, 2, 2), 1), "1 or 2 dim"),
        ((tg.ones(3), 0), "n_sample <= 0"),
    ],
)
def test_multinomial_errors_leave_the_generator_alone(args, words):
    tg.manual_seed(3)
    with pytest.raises(RuntimeError, match=words):
        S.multinomial(*args)
    after = tg.rand(2)
    tg.manual_seed(3)
    assert np.array_equal(after.data, tg.rand(2).data)


def test_bernoulli():
    tg.manual_seed(0)
    p = tg.tensor([0.0, 0.25, 0.5, 0.75, 1.0])
    draws = np.stack([S.bernoulli(p).data for _ in range(2000)])
    assert draws.dtype == np.float32 and set(np.unique(draws)) <= {0.0, 1.0}
    np.testing.assert_allclose(draws.mean(0), p.data, atol=0.05)
    assert draws[:, 0].max() == 0 and draws[:, -1].min() == 1
    assert S.bernoulli(tg.ones(3, dtype=tg.float64), 0.0).dtype == np.float64
    assert S.bernoulli(tg.ones(3), 0.0).tolist() == [0.0, 0.0, 0.0]
    x = tg.full((3,), 0.5, requires_grad=True)
    y = S.bernoulli(x)
    assert y.requires_grad
    y.sum().backward()
    assert x.grad.tolist() == [0.0, 0.0, 0.0]  # no reparameterisation, as PyTorch
    with pytest.raises(RuntimeError):
        S.bernoulli(tg.tensor([0.5, 1.5]))
    with pytest.raises(RuntimeError, match="p=1.3"):
        S.bernoulli(tg.ones(3), 1.3)
    with pytest.raises(NotImplementedError):
        S.bernoulli(tg.tensor([1, 0]))


def test_bernoulli_in_place():
    tg.manual_seed(0)
    x = tg.zeros(3, dtype=tg.int64)
    assert S.bernoulli_(x, tg.tensor([0.0, 1.0, 1.0])) is x and x.tolist() == [0, 1, 1]
    m = tg.zeros(2, 3)
    assert S.bernoulli_(m, tg.tensor([0.0, 1.0, 1.0])).tolist() == [[0.0, 1.0, 1.0]] * 2
    assert abs(S.bernoulli_(tg.zeros(N)).data.mean() - 0.5) < 0.02
    before = m.data.copy()
    for bad in (1.5, tg.tensor([0.0, 1.0]), tg.tensor([0.0, 1.0, 2.0])):
        with pytest.raises(RuntimeError):
            S.bernoulli_(m, bad)
    assert np.array_equal(m.data, before)


def test_normal_overloads_shapes_dtypes_and_moments():
    tg.manual_seed(0)
    out = S.normal(tg.full((N,), 2.0), tg.full((N,), 3.0))
    assert out.dtype == np.float32 and abs(out.data.mean() - 2) < 0.1 and abs(out.data.std() - 3) < 0.1
    assert S.normal(tg.zeros(2, 3), tg.ones(3)).shape == (2, 3)
    assert S.normal(tg.zeros(2), 1.0).shape == (2,) and S.normal(0.0, tg.ones(2)).shape == (2,)
    assert S.normal(tg.zeros(2, dtype=tg.float64), tg.ones(2)).dtype == np.float64
    sized = S.normal(1.0, 0.5, (N,), dtype=tg.float64)
    assert (
        sized.dtype == np.float64 and abs(sized.data.mean() - 1) < 0.03 and abs(sized.data.std() - 0.5) < 0.03
    )
    assert S.normal(0.0, 0.0, size=(3,)).tolist() == [0.0, 0.0, 0.0]
    mean, std = tg.zeros(2, requires_grad=True), tg.ones(2, requires_grad=True)
    S.normal(mean, std).sum().backward()
    assert mean.grad.tolist() == [0.0, 0.0] and std.grad.tolist() == [0.0, 0.0]  # as PyTorch


def test_normal_errors():
    with pytest.raises(TypeError):
        S.normal(0.0, 1.0)
    with pytest.raises(RuntimeError, match="std >= 0.0"):
        S.normal(tg.zeros(2), -1.0)
    with pytest.raises(RuntimeError, match="all elements of std"):
        S.normal(tg.zeros(2), tg.tensor([1.0, -1.0]))
    with pytest.raises(RuntimeError):
        S.normal(tg.zeros(2), tg.ones(3))
    with pytest.raises(NotImplementedError):
        S.normal(tg.zeros(2, dtype=tg.int64), 1.0)


def test_poisson_and_randint_like():
    tg.manual_seed(0)
    rates = tg.tensor([0.0, 1.0, 4.0])
    draws = np.stack([S.poisson(rates).data for _ in range(3000)])
    np.testing.assert_allclose(draws.mean(0), [0.0, 1.0, 4.0], atol=0.15)
    assert draws.dtype == np.float32 and (draws == np.round(draws)).all()
    with pytest.raises(RuntimeError, match="non-negative"):
        S.poisson(tg.tensor([-1.0]))
    r = S.randint_like(tg.zeros(N, dtype=tg.int32), 2, 5)
    assert r.dtype == np.int32 and set(np.unique(r.data)) == {2, 3, 4}
    assert S.randint_like(tg.zeros(3), 5).dtype == np.float32


def test_in_place_fillers_follow_their_distributions():
    tg.manual_seed(0)
    e = S.exponential_(tg.zeros(N), 2.0)
    assert e.data.min() >= 0 and abs(e.data.mean() - 0.5) < 0.02
    g = S.geometric_(tg.zeros(N, dtype=tg.int64), 0.25)
    assert g.data.min() >= 1 and abs(g.data.mean() - 4) < 0.15  # trials up to the first success
    ln = S.log_normal_(tg.zeros(N, dtype=tg.float64), 0.0, 0.5)
    assert abs(np.log(ln.data).mean()) < 0.02 and abs(np.log(ln.data).std() - 0.5) < 0.02
    c = S.cauchy_(tg.zeros(N, dtype=tg.float64), 1.0, 2.0)
    assert (
        abs(np.median(c.data) - 1.0) < 0.1 and abs(np.subtract(*np.percentile(c.data, [75, 25])) - 4.0) < 0.3
    )
    assert set(np.unique(S.random_(tg.zeros(N), 5).data)) == {0, 1, 2, 3, 4}
    assert set(np.unique(S.random_(tg.zeros(N), 2, 4).data)) == {2, 3}
    u8 = S.random_(tg.zeros(N, dtype=tg.uint8))
    assert u8.data.max() > 240 and u8.dtype == np.uint8


@pytest.mark.parametrize(
    "call, error",
    [
        (lambda t: S.exponential_(t, 0.0), RuntimeError),
        (lambda t: S.exponential_(tg.zeros(3, dtype=tg.int64)), RuntimeError),
        (lambda t: S.geometric_(t, 1.0), RuntimeError),
        (lambda t: S.log_normal_(t, 1.0, 0.0), RuntimeError),
        (lambda t: S.log_normal_(tg.zeros(3, dtype=tg.int64)), NotImplementedError),
        (lambda t: S.cauchy_(t, 0.0, -1.0), RuntimeError),
        (lambda t: S.random_(t, 5, 2), RuntimeError),
    ],
)
def test_in_place_filler_errors_change_nothing(call, error):
    t = tg.full((3,), 7.0)
    with pytest.raises(error):
        call(t)
    assert t.tolist() == [7.0, 7.0, 7.0]


def test_against_torch_errors():
    torch = pytest.importorskip("torch")
    for ours, theirs in [
        (
            lambda: S.multinomial(tg.tensor([0.2, 0.8]), 3),
            lambda: torch.multinomial(torch.tensor([0.2, 0.8]), 3),
        ),
        (
            lambda: S.multinomial(tg.tensor([0.0, 0.0]), 1),
            lambda: torch.multinomial(torch.tensor([0.0, 0.0]), 1),
        ),
        (lambda: S.bernoulli(tg.tensor([2.0])), lambda: torch.bernoulli(torch.tensor([2.0]))),
        (lambda: S.normal(tg.zeros(2), -1.0), lambda: torch.normal(torch.zeros(2), -1.0)),
        (lambda: S.geometric_(tg.zeros(2), 0.0), lambda: torch.zeros(2).geometric_(0.0)),
    ]:
        with pytest.raises(Exception) as mine:
            ours()
        with pytest.raises(Exception) as reference:
            theirs()
        assert type(mine.value) is type(reference.value)
