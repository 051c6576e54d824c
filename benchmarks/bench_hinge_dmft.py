"""Benchmark: the hinge-loss DMFT of ``sgd_regularisation`` (arXiv:2006.06098).

The hinge curve (two clusters, SGD b = 0.3, eta = 0.2, lambda = 0.1, alpha = 2, Delta = 0.5,
R = 0.01) is the smoothed hinge softplus(beta u)/beta solved at beta = 16 and 32 and
extrapolated in 1/beta^2 (:func:`highdim_dynamics.gaussian_mixture.dmft.hinge_dmft`).
Prints, at the quick (t <= 10, 4000 paths) or paper (t <= 40, 8000 paths) horizon:
1. the CPU seconds of the hinge DMFT (all threads) -- target: a small part of the figure's
   cost (the six logistic curves);
2. convergence in beta: the largest |eps_g(16, 32) - eps_g(32, 64)| over all times beside
   the combined Monte-Carlo error;
3. agreement with finite-p simulations that train with the hinge itself: the largest
   |DMFT - simulation| / combined standard error on eps_g and the training loss (the
   figure's check allows 4 standard errors + 0.001).

Run:  python benchmarks/bench_hinge_dmft.py [--scale quick|paper] [--threads 2]
Prints measured numbers only (not a timed test).
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from highdim_dynamics.core.jit import set_threads
from highdim_dynamics.gaussian_mixture.dmft import hinge_dmft
from highdim_dynamics.gaussian_mixture.simulation import simulate

CURVE = dict(alpha=2.0, delta=0.5, lam=0.1, algorithm="sgd", eta=0.2, b=0.3, R=0.01)
SCALES = {
    "quick": dict(t_max=10.0, n_paths=4000, p=1000, runs=8),
    "paper": dict(t_max=40.0, n_paths=8000, p=2000, runs=20),
}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", choices=sorted(SCALES), default="quick")
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    sc = SCALES[args.scale]
    set_threads(args.threads)
    hinge_dmft(**CURVE, t_max=0.4, n_paths=64)  # compile
    out = {}
    for betas in ((16.0, 32.0), (32.0, 64.0)):
        cpu = time.process_time()
        out[betas] = hinge_dmft(
            **CURVE, t_max=sc["t_max"], n_paths=sc["n_paths"], sharpness_values=betas, seed=3
        )
        print(
            f"hinge DMFT beta = {betas}, t <= {sc['t_max']:g}, {sc['n_paths']} paths: "
            f"{time.process_time() - cpu:.1f} CPU-s",
            flush=True,
        )
    a, b = out[(16.0, 32.0)], out[(32.0, 64.0)]
    diff = np.abs(a.generalisation_error - b.generalisation_error)
    err = np.hypot(a.generalisation_error_sem, b.generalisation_error_sem)
    k = int(np.argmax(diff))
    print(
        f"beta convergence: max |eps_g(16,32) - eps_g(32,64)| = {diff.iloc[k]:.5f} at t = {a.t.iloc[k]:g} "
        f"(combined Monte-Carlo error {err.iloc[k]:.5f})"
    )
    cpu = time.process_time()
    s = simulate(**CURVE, loss="hinge", t_max=sc["t_max"], p=sc["p"], runs=sc["runs"], seed=4)
    print(
        f"hinge simulations p = {sc['p']}, {sc['runs']} runs: {time.process_time() - cpu:.1f} CPU-s"
    )
    j = s.merge(a, on="t", suffixes=("_s", "_d"))
    for o in ("generalisation_error", "training_loss"):
        dd = (j[o + "_d"] - j[o + "_s"]).to_numpy()
        err = np.hypot(j[o + "_sem_s"], j[o + "_sem_d"]).to_numpy()
        excess = np.abs(dd) - (4.0 * err + 0.001)
        k = int(np.argmax(excess))
        print(
            f"{o}: largest |DMFT - simulation| - (4 errors + 0.001) = {excess[k]:+.4f} at t = {j.t.iloc[k]:g} "
            f"(check: <= 0; there |diff| = {abs(dd[k]):.4f}, error {err[k]:.4f}); mean difference {dd.mean():+.4f}"
        )


if __name__ == "__main__":
    main()
