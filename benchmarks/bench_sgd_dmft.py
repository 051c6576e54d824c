"""Benchmark of the sampled DMFT for SGD on the Gaussian mixture.

    python benchmarks/bench_sgd_dmft.py [--threads 2] [--skip-reference] [--skip-quick]

Prints:
1. the wall time of the whole ``sgd_two_clusters_persistence`` DMFT at paper horizon
   (t <= 50, dt = eta = 0.2, T = 250 steps; SGD b = 0.3 and persistent SGD at three tau;
   paper-scale n_paths) -- target <= 60 s on 2 cores;
2. its error on eps_g: the largest |eps_g(n_paths) - eps_g(reference)| over all times and
   curves, the reference being the same DMFT with 4x the paths and a different seed --
   target <= 0.002;
3. the wall time of the data functions of the four figures at quick scale (numba cache
   warm; excludes the interpreter start) -- target <= 3 minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from highdim_dynamics.core.figure_table import load_figure_table
from highdim_dynamics.core.jit import set_threads
from highdim_dynamics.gaussian_mixture.dmft import solve_dmft

PERSISTENCE = dict(alpha=2.0, delta=0.5, lam=0.0, eta=0.2, R=0.01, b=0.3, t_max=50.0)
CURVES = [dict(algorithm="sgd")] + [
    dict(algorithm="persistent_sgd", tau=t) for t in (1.0, 2.0, 4.0)
]


def persistence_dmft(n_paths: int, seed: int):
    start, cpu = time.perf_counter(), time.process_time()
    out = []
    for i, c in enumerate(CURVES):
        d, info = solve_dmft(**PERSISTENCE, **c, n_paths=n_paths, seed=seed + i, return_info=True)
        out.append(d)
        print(f"  {c}: iterations per horizon {info['iterations']}", flush=True)
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(f"  (CPU time of all threads {cpu:.1f} s; wall time depends on the machine's load)")
    return out, wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--n-paths", type=int, default=4000)
    parser.add_argument("--skip-reference", action="store_true")
    parser.add_argument("--skip-quick", action="store_true")
    args = parser.parse_args()
    set_threads(args.threads)
    solve_dmft(**PERSISTENCE, algorithm="sgd", n_paths=64, seed=0)  # compile / load cache

    print(f"[1] sgd_two_clusters_persistence DMFT, T = 250 steps, n_paths = {args.n_paths}")
    curves, wall = persistence_dmft(args.n_paths, seed=100)
    print(f"    wall time {wall:.1f} s on {args.threads} threads (target <= 60 s)")

    if not args.skip_reference:
        print(f"[2] reference with n_paths = {4 * args.n_paths} (other seed)")
        ref, wall_ref = persistence_dmft(4 * args.n_paths, seed=200)
        errs = [
            float(np.max(np.abs(a.generalisation_error - b.generalisation_error)))
            for a, b in zip(curves, ref)
        ]
        est = [float(np.max(a.generalisation_error_sem)) for a in curves]
        print(
            f"    max |eps_g - eps_g(ref)| per curve: {[f'{e:.5f}' for e in errs]} "
            f"(target <= 0.002); reference took {wall_ref:.1f} s"
        )
        print(f"    reported Monte-Carlo error estimate (max over t): {[f'{e:.5f}' for e in est]}")

    if not args.skip_quick:
        print("[3] quick scale, data functions of the four figures")
        table = load_figure_table()
        total = 0.0
        for fid in (
            "sgd_two_clusters_persistence",
            "gd_two_clusters_init_variance",
            "sgd_three_clusters_batch",
            "sgd_regularisation",
        ):
            spec = table[fid]
            start = time.perf_counter()
            spec.data_function(**spec.parameters("quick"), seed=1)
            dt = time.perf_counter() - start
            total += dt
            print(f"    {fid:34s} {dt:6.1f} s", flush=True)
        print(f"    all four: {total:.1f} s (target <= 180 s)")


if __name__ == "__main__":
    main()
