"""Random number generators: the global one behind `rand`, `randn`, `nn.init` and shuffling, and `Generator`.

`manual_seed(n)` makes a whole run reproducible. Like PyTorch, the global
generator starts from a fixed seed, so two fresh processes draw the same
numbers. A `Generator` of one's own (PyTorch's ``torch.Generator``) keeps a
stream apart from the global one, e.g. for a reproducible `random_split`::

    train, test = random_split(dataset, [0.8, 0.2], generator=tg.Generator().manual_seed(42))
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .tensor import check_device

_INITIAL_SEED = 67280421310721


def _check_seed(seed: object) -> int:
    if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool):
        raise TypeError(f"manual_seed expects an int, got {type(seed).__name__}")
    return int(seed)


class Generator(np.random.Generator):
    """A NumPy Generator with PyTorch's `manual_seed` and `initial_seed`.

    Being a ``numpy.random.Generator``, it is accepted wherever the library
    takes ``generator=``, and it draws with NumPy's methods as well.
    """

    def __init__(self, device: Any = "cpu") -> None:
        check_device(device)
        super().__init__(np.random.PCG64(_INITIAL_SEED))
        self._seed = _INITIAL_SEED

    def manual_seed(self, seed: int) -> Generator:
        """Restart the stream from `seed` (as ``np.random.default_rng(seed)`` would); returns self."""
        self._seed = _check_seed(seed)
        self.bit_generator.state = np.random.PCG64(self._seed).state
        return self

    def initial_seed(self) -> int:
        """The seed the stream last started from."""
        return self._seed


_generator = Generator()


def manual_seed(seed: int) -> Generator:
    """Reseed the global generator; returns it."""
    return _generator.manual_seed(seed)


def default_generator() -> Generator:
    """The global generator (for code that draws its own numbers)."""
    return _generator


def generator_or_default(generator: np.random.Generator | None) -> np.random.Generator:
    """The `generator=` a caller passed, or the global one."""
    if generator is None:
        return _generator
    if not isinstance(generator, np.random.Generator):
        raise TypeError(
            f"generator must be a tg.Generator (or numpy.random.Generator), got {type(generator).__name__}"
        )
    return generator


def generator_or_seed(generator: np.random.Generator | None, seed: int | None) -> np.random.Generator | None:
    """The generator a ``generator=``/``seed=`` pair names (give at most one); None: the global one.

    For the data loaders and samplers, whose draws follow ``tg.manual_seed``
    unless given their own generator (or a seed to make one from).
    """
    if generator is not None and seed is not None:
        raise ValueError("pass either generator or seed, not both")
    if generator is not None:
        return generator_or_default(generator)
    if seed is not None:
        if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
            raise TypeError(f"seed must be an int, got {type(seed).__name__}")
        return np.random.default_rng(int(seed))
    return None
