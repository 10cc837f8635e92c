"""The global random number generator behind `rand`, `randn`, `nn.init` and shuffling.

`manual_seed(n)` makes a whole run reproducible. Like PyTorch, the generator
starts from a fixed seed, so two fresh processes draw the same numbers.
"""

from __future__ import annotations

import numpy as np

_INITIAL_SEED = 67280421310721
_generator = [np.random.default_rng(_INITIAL_SEED)]


def manual_seed(seed: int) -> np.random.Generator:
    """Reseed the global generator; returns it."""
    if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool):
        raise TypeError(f"manual_seed expects an int, got {type(seed).__name__}")
    _generator[0] = np.random.default_rng(int(seed))
    return _generator[0]


def default_generator() -> np.random.Generator:
    """The global `numpy.random.Generator` (for code that draws its own numbers)."""
    return _generator[0]
