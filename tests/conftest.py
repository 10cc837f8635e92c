"""Test settings: a deterministic Hypothesis profile, and a searching one for development.

"ci", the default, draws the same 12 examples per test on every run, so `make test`
passes or fails the same way everywhere. HYPOTHESIS_PROFILE=dev draws 25 fresh
random examples per test each run, to look further for bugs.
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
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(autouse=True)
def _fixed_seed():
    """Every test starts from the same global random state."""
    import tinygrad_edu as tg

    tg.manual_seed(0)
    np.random.seed(0)
    yield
