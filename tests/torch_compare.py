"""One check shared by the tests that compare a new op with PyTorch's (when it is installed)."""

from __future__ import annotations

import numpy as np

import tinygrad_edu as tg


def assert_values_and_gradients_agree(torch, rng, ours_out, theirs_out, ours, theirs) -> None:
    """Equal values, and equal gradients of the inputs for one random upstream gradient."""
    np.testing.assert_allclose(ours_out.data, theirs_out.detach().numpy(), rtol=1e-12, atol=1e-14)
    upstream = rng.standard_normal(ours_out.shape)
    ours_out.backward(tg.tensor(upstream))
    theirs_out.backward(torch.tensor(upstream))
    for x, t in zip(ours, theirs):
        np.testing.assert_allclose(x.grad.data, t.grad.numpy(), rtol=1e-10, atol=1e-12)
