"""Random number generators: the global one behind `rand`, `randn`, `nn.init` and shuffling, and `Generator`.

`manual_seed(n)` makes a whole run reproducible. Like PyTorch, the global
generator starts from a fixed seed, so two fresh processes draw the same
numbers. `get_rng_state` / `set_rng_state` save and restore the place in a
stream (to repeat a random augmentation, say); the state is a uint8 Tensor,
as PyTorch's is a ByteTensor, though of another size and layout (NumPy's
PCG64 state, then the seed), so states do not travel between the two.

A `Generator` of one's own (PyTorch's ``torch.Generator``) keeps a stream
apart from the global one, e.g. for a reproducible `random_split`::

    train, test = random_split(dataset, [0.8, 0.2], generator=tg.Generator().manual_seed(42))
"""

from __future__ import annotations

import secrets
from typing import Any

import numpy as np

from . import devices
from .tensor import Tensor, check_device

_INITIAL_SEED = 67280421310721
_STATE_BYTES = 56  # PCG64's state and increment (16 bytes each), its two cached-draw words, the seed


def _check_seed(seed: object) -> int:
    """A seed as `Generator.manual_seed` takes it: an int in [-2**63, 2**64), negative ones modulo 2**64.

    Strict, as PyTorch's ``Generator.manual_seed`` is (a float, bool or str is
    a RuntimeError there); the module-level `manual_seed` converts first.
    A NumPy integer is taken too, where PyTorch refuses it.
    """
    if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool):
        raise RuntimeError(f"manual_seed expected a long, but got {type(seed).__name__}")
    if not -(2**63) <= seed < 2**64:
        raise ValueError(f"manual_seed expects a seed in [-2**63, 2**64), got {seed}")
    return int(seed) % 2**64


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

    def seed(self) -> int:
        """Restart the stream from a fresh seed drawn from the operating system; returns that seed."""
        self.manual_seed(secrets.randbits(64))
        return self._seed

    @property
    def device(self) -> devices.device:
        """Always ``tg.device("cpu")``."""
        return devices.CPU

    def get_state(self) -> Tensor:
        """The place in the stream, as a uint8 Tensor for `set_state` (which also restores the seed)."""
        state = self.bit_generator.state
        words = [
            state["state"]["state"],
            state["state"]["inc"],
            state["has_uint32"],
            state["uinteger"],
            self._seed,
        ]
        sizes = [16, 16, 8, 8, 8]
        raw = b"".join(word.to_bytes(size, "little") for word, size in zip(words, sizes))
        return Tensor(np.frombuffer(raw, dtype=np.uint8).copy())

    def set_state(self, new_state: Tensor) -> Generator:
        """Go back to a place saved by `get_state`; returns self."""
        if not isinstance(new_state, Tensor) or new_state.dtype != np.uint8:
            raise TypeError(
                f"RNG state must be a uint8 Tensor (from get_rng_state), got {type(new_state).__name__}"
            )
        raw = new_state.data.tobytes()
        if len(raw) != _STATE_BYTES:
            raise RuntimeError(
                f"Expected an RNG state of {_STATE_BYTES} bytes (from get_rng_state), but got {len(raw)}"
            )
        state, inc, has_uint32, uinteger, seed = (
            int.from_bytes(raw[lo:hi], "little")
            for lo, hi in ((0, 16), (16, 32), (32, 40), (40, 48), (48, 56))
        )
        self.bit_generator.state = {
            "bit_generator": "PCG64",
            "state": {"state": state, "inc": inc},
            "has_uint32": has_uint32,
            "uinteger": uinteger,
        }
        self._seed = seed
        return self


_generator = Generator()


def manual_seed(seed: Any) -> Generator:
    """Reseed the global generator; returns it.

    As ``torch.manual_seed``, the seed first goes through ``int()``: 1.5 seeds
    with 1, True with 1, "7" with 7, and ``int()``'s own error is raised for
    what it cannot convert ("abc": ValueError, None: TypeError).
    """
    return _generator.manual_seed(int(seed))


def initial_seed() -> int:
    """The seed the global generator last started from."""
    return _generator.initial_seed()


def seed() -> int:
    """Reseed the global generator from the operating system's entropy; returns the new seed."""
    return _generator.seed()


def get_rng_state() -> Tensor:
    """The global generator's state, a uint8 Tensor, for `set_rng_state`."""
    return _generator.get_state()


def set_rng_state(new_state: Tensor) -> None:
    """Restore the global generator to a state from `get_rng_state`."""
    _generator.set_state(new_state)


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
