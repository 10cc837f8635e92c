"""(To add as tests/test_public_names_G.py once the lead has wired helper G's names.)
The public paths of the names from sampling.py, ops/searching.py, ops/quantiles.py, ops/grids.py,
ops/cdist.py, ops/windows.py, ops/clamping.py, more_factories.py, dtype_info.py and
testing/assert_close.py; their behaviour is tested in the modules' own test files."""

import numpy as np
import pytest

import tinygrad_edu as tg
from tinygrad_edu import nn


def test_function_forms_exist_and_delegate():
    x = tg.tensor([[1.0, 5.0, 3.0], [2.0, 2.0, 7.0]])
    tg.manual_seed(0)
    assert tg.multinomial(x, 2).shape == (2, 2) and tg.bernoulli(x / 10).shape == (2, 3)
    assert tg.normal(0.0, 1.0, (2,)).shape == (2,) and tg.poisson(x).shape == (2, 3)
    assert tg.logspace(0, 2, 3).tolist() == [1.0, 10.0, 100.0] and tg.empty_like(x).shape == (2, 3)
    assert [g.shape for g in tg.meshgrid(tg.arange(2), tg.arange(3), indexing="ij")] == [(2, 3)] * 2
    assert tg.broadcast_shapes((2, 1), (3,)) == (2, 3) and tg.broadcast_tensors(x, tg.ones(3))[1].shape == (
        2,
        3,
    )
    assert tg.take_along_dim(x, tg.tensor([[0], [2]]), 1).tolist() == [[1.0], [7.0]]
    assert tg.argwhere(x > 4).tolist() == [[0, 1], [1, 2]]
    assert (
        tg.searchsorted(tg.tensor([1, 3, 5]), 4).item() == 2
        and tg.bucketize(4, tg.tensor([1, 3, 5])).item() == 2
    )
    assert tg.cdist(x, x).shape == (2, 2) and tg.quantile(x, 0.5).item() == 2.5
    assert tg.nanquantile(x, 0.5).item() == 2.5 and tg.nanmedian(x).item() == 2.0
    assert tg.mode(x, 1).values.tolist() == [1.0, 2.0] and tg.msort(x).tolist() == [
        [1.0, 2.0, 3.0],
        [2.0, 5.0, 7.0],
    ]
    assert tg.clamp_min(x, 2.0).min().item() == 2.0 and tg.clamp_max(x, 2.0).max().item() == 2.0
    assert tg.finfo(tg.float32).eps == float(np.finfo(np.float32).eps) and tg.iinfo(tg.int8).max == 127
    assert tg.randint_like(x, 3).dtype == x.dtype
    tg.testing.assert_close(x, x.clone())
    with pytest.raises(AssertionError, match="Mismatched elements: 1 / 6"):
        tg.testing.assert_close(x, x.masked_fill(x == 7.0, 0.0))
    assert callable(nn.utils.get_total_norm) and callable(nn.utils.clip_grads_with_norm_)
    assert callable(nn.init.dirac_) and callable(nn.init.sparse_)


def test_tensor_methods_exist_and_delegate():
    x = tg.tensor([[1.0, 5.0, 3.0], [2.0, 2.0, 7.0]])
    assert x.multinomial(1).shape == (2, 1) and x.bernoulli(0.0).tolist() == [[0.0] * 3] * 2
    assert tg.zeros(3).bernoulli_(1.0).tolist() == [1.0] * 3
    for filled in (
        tg.zeros(4).exponential_(),
        tg.zeros(4).geometric_(0.5),
        tg.zeros(4).log_normal_(),
        tg.zeros(4).cauchy_(),
        tg.zeros(4).random_(3),
    ):
        assert filled.shape == (4,)
    assert x.take_along_dim(tg.tensor([[2], [0]]), 1).tolist() == [[3.0], [2.0]] and x.argwhere().shape == (
        6,
        2,
    )
    assert x.msort()[0].tolist() == [1.0, 2.0, 3.0] and x.quantile(0.5, 1).tolist() == [3.0, 2.0]
    assert x.nanquantile(0.5).item() == 2.5 and x.nanmedian(1).indices.tolist() == [2, 1]  # (as torch 2.13)
    assert x.mode(1).indices.tolist() == [0, 1]
    assert x.clamp_min(2.0)[0].tolist() == [2.0, 5.0, 3.0] and x.clamp_max(3.0)[1].tolist() == [2.0, 2.0, 3.0]
    y = x.clone()
    assert y.clamp_min_(2.5) is y and y[0].tolist() == [2.5, 5.0, 3.0]
    z = tg.tensor([1, 5])
    assert z.clamp_max_(3).tolist() == [1, 3]
    assert tg.arange(7.0).unfold(0, 3, 2).shape == (3, 3) and x.where(x > 2, 0.0)[1].tolist() == [
        0.0,
        0.0,
        7.0,
    ]
    assert (x.nelement(), x.ndimension()) == (6, 2)
    assert tg.tensor([1.7, -2.0]).byte().tolist() == [1, 254] and tg.tensor([-2.0]).char().dtype == np.int8
    assert tg.tensor([3.0]).short().dtype == np.int16
