"""The 4x4 chain of bench_core.py counted in machine instructions instead of seconds.

Wall-clock ratios on a shared machine swing with its load (the same code has
measured 4.1x and 5.2x the floor within an hour); the number of instructions
the CPU executes does not. This runs the chain under Valgrind's callgrind,
once and then `--runs` more times, for tinygrad_edu and for the NumPy floor;
the difference between the two counts, divided by the extra ops, is the cost
per op without Python's start-up and imports. Instructions are not time (a
cache miss costs more than an addition), so this complements `make bench`
rather than replacing it.

Needs the `valgrind` program (apt-get install valgrind); takes about three
minutes, as callgrind runs Python some 50 times slower.

Run: python benchmarks/instructions.py
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys

# One run of `numpy_chain` or `tg_chain`, `runs` times over: what callgrind counts.
_CHILD = """
import sys
sys.path.insert(0, {bench!r})
import numpy as np
import bench_core
rng = np.random.default_rng(0)
x0, c = rng.standard_normal((4, 4)), rng.uniform(0.5, 1.0, (4, 4))
chain = bench_core.{chain}
for _ in range({runs}):
    chain(x0, c, {ops})
"""


def instructions(chain: str, runs: int, ops: int) -> int:
    """Instructions callgrind counts for a Python process that runs `chain` `runs` times."""
    code = _CHILD.format(bench=os.path.dirname(os.path.abspath(__file__)), chain=chain, runs=runs, ops=ops)
    done = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"},
        check=True,
    )
    found = re.search(r"Collected : (\d+)", done.stderr)
    if found is None:
        raise RuntimeError(f"no instruction count in callgrind's output:\n{done.stderr[-2000:]}")
    return int(found.group(1))


def per_op(chain: str, runs: int, ops: int) -> float:
    """Instructions per op: (count for 1 + runs chains - count for 1 chain) / (runs * ops)."""
    return (instructions(chain, 1 + runs, ops) - instructions(chain, 1, ops)) / (runs * ops)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ops", type=int, default=2000, help="length of the 4x4 chain")
    parser.add_argument("--runs", type=int, default=5, help="extra chains counted beyond the first")
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        sys.exit("instructions.py needs the valgrind program (apt-get install valgrind)")
    floor = per_op("numpy_chain", args.runs, args.ops)
    ours = per_op("tg_chain", args.runs, args.ops)
    print(f"Chain of {args.ops} elementwise ops (mul, add, tanh) on 4x4 float64, forward + backward")
    print(f"{'implementation':<24}{'instructions/op':>16}{'x floor':>10}")
    for name, count in (("NumPy by hand (floor)", floor), ("tinygrad_edu", ours)):
        print(f"{name:<24}{count:>16,.0f}{count / floor:>10.2f}")


if __name__ == "__main__":
    main()
