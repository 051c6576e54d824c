"""Benchmark: cost of one spherical-gradient-descent step for phase retrieval.

A step costs two passes over X (n x p): X W (predictions of the trial point) and
X^T G (gradient).  Target: >= 50% of the machine's measured memory bandwidth
for a single run (matrix-vector, bandwidth-bound) or of the measured dgemm throughput
when R initial conditions are batched (matrix-matrix), at p = 1000, alpha = 10.

Run:  python benchmarks/bench_phase_retrieval.py [--p 1000] [--alpha 10] [--steps 40]
Prints measured numbers only (not a timed test).
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from highdim_dynamics.phase_retrieval.model import random_sphere_points, sample_instance
from highdim_dynamics.phase_retrieval.spherical_gradient_flow import spherical_gradient_descent


def best_of(f, repeat=5):
    best = np.inf
    for _ in range(repeat):
        t0 = time.perf_counter()
        f()
        best = min(best, time.perf_counter() - t0)
    return best


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--p", type=int, default=1000)
    ap.add_argument("--alpha", type=float, default=10.0)
    ap.add_argument("--steps", type=int, default=40)
    args = ap.parse_args()

    # --- machine: read bandwidth (sum over a 400 MB array) and dgemm throughput
    big = np.ones(50_000_000)
    t = best_of(big.sum)
    bw = big.nbytes / t / 1e9
    A = np.random.default_rng(0).standard_normal((2000, 2000))
    t = best_of(lambda: A @ A, repeat=3)
    gflops = 2 * 2000**3 / t / 1e9
    print(
        f"machine: read bandwidth {bw:.1f} GB/s (numpy sum, 400 MB), dgemm {gflops:.1f} GFLOP/s (2000^3)"
    )
    del big

    rng = np.random.default_rng(1)
    inst = sample_instance(args.p, args.alpha, rng)
    n, p = inst.X.shape
    xbytes = inst.X.nbytes
    print(f"p = {p}, alpha = {args.alpha}, n = {n}, X = {xbytes / 1e6:.0f} MB")

    # --- raw two-pass cost (matrix-vector): the floor of one step
    w = random_sphere_points(p, 1, rng)[:, 0]
    y2 = inst.y**2

    def raw_step():
        yh = inst.X @ w
        return inst.X.T @ (yh * (yh**2 - y2))

    t_raw = best_of(raw_step)
    print(
        f"raw two passes (R = 1): {t_raw * 1e3:.2f} ms = {2 * xbytes / t_raw / 1e9:.1f} GB/s "
        f"({100 * 2 * xbytes / t_raw / 1e9 / bw:.0f}% of read bandwidth)"
    )

    # --- the library's step (including step control, classification bookkeeping)
    for R in (1, 4, 16, 64):
        W0 = random_sphere_points(p, R, rng)
        kw = dict(
            t_max=1e9,
            max_steps=args.steps,
            grad_tol=1e-30,
            stop_on_success=False,
            hessian_at_end=False,
        )
        spherical_gradient_descent(
            inst, W0, max_steps=2, **{k: v for k, v in kw.items() if k != "max_steps"}
        )
        t0 = time.perf_counter()
        runs, _, _ = spherical_gradient_descent(inst, W0, **kw)
        dt = time.perf_counter() - t0
        per_step = dt / args.steps  # per step of the batch (all R runs advance together)
        bytes_rate = 2 * xbytes / per_step / 1e9
        flop_rate = 4 * n * p * R / per_step / 1e9
        print(
            f"library step, R = {R:3d}: {per_step * 1e3:7.2f} ms/step ({per_step / R * 1e3:6.2f} ms per run-step): "
            f"{bytes_rate:5.1f} GB/s over X ({100 * bytes_rate / bw:3.0f}% of bandwidth), "
            f"{flop_rate:5.1f} GFLOP/s ({100 * flop_rate / gflops:3.0f}% of dgemm)"
        )


if __name__ == "__main__":
    main()
