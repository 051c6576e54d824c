"""Reproducible random streams.

All randomness is decided in Python from a :class:`numpy.random.SeedSequence`; kernels
receive pre-drawn arrays or explicit per-run integer seeds.  Results are therefore the
same whatever the number of threads.
"""

from __future__ import annotations

import zlib

import numpy as np

from highdim_dynamics.core.validation import Int, Seed, constrained

#: The workflow's default global seed (workflow/config/config.yaml); the command line uses
#: it too, so that a CLI run and a Snakemake run give the same CSV.
DEFAULT_SEED = 20190209


@constrained(dict(global_seed=Seed()))
def figure_seed(global_seed: int, figure_id: str) -> int:
    """Seed of one figure: a hash of the global seed and the figure id (stable across runs)."""
    ss = np.random.SeedSequence([int(global_seed), zlib.crc32(figure_id.encode())])
    return int(ss.generate_state(1, dtype=np.uint32)[0])


@constrained(dict(seed=Seed(), n=Int(0)))
def spawn_generators(seed: int, n: int) -> list[np.random.Generator]:
    """``n`` independent generators spawned from one seed (one per run or instance)."""
    return [np.random.default_rng(s) for s in np.random.SeedSequence(int(seed)).spawn(n)]


@constrained(dict(seed=Seed(), n=Int(0)))
def spawn_seeds(seed: int, n: int) -> np.ndarray:
    """``n`` independent 63-bit integer seeds (for kernels that seed their own stream)."""
    states = [
        s.generate_state(2, dtype=np.uint32) for s in np.random.SeedSequence(int(seed)).spawn(n)
    ]
    return np.array([(int(a) << 31) ^ int(b) for a, b in states], dtype=np.int64)
