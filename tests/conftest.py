"""Test settings: a deterministic Hypothesis profile for CI, a faster one for development.

Choose with HYPOTHESIS_PROFILE=ci|dev (CI sets CI=true, which selects "ci").
"""

import os

import numpy as np
import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    max_examples=12,
    derandomize=True,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
settings.register_profile(
    "dev",
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))


@pytest.fixture(autouse=True)
def _fixed_seed():
    """Every test starts from the same global random state."""
    import tinygrad_edu as tg

    tg.manual_seed(0)
    np.random.seed(0)
    yield
