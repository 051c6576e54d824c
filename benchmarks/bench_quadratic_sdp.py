"""Benchmark: the exact-uniqueness SDP of ``overparam_success`` (arXiv:2006.15459).

For each (d, alpha) of a scale, ``n_runs`` rank-one instances are tested with
:func:`highdim_dynamics.quadratic_network.uniqueness_sdp` (CVXOPT, gap
1e-8; Clarabel where CVXOPT does not converge; ``--solver`` to choose the first one).  Prints per point the CPU seconds per solve, P(A* unique), the classification gap
(largest objective of a unique instance, smallest of a non-unique one, both relative to
tr A*; threshold 1e-5), whether every unique instance has a verified dual certificate,
then the logistic 50% point of P(unique) per d beside the theorem's alpha = 2.
Target: the quick scale (d = 10, 20) within ~10 CPU-s, so that the figure stays cheap.

Run:  python benchmarks/bench_quadratic_sdp.py [--scale quick|paper] [--n-runs N] [--d 20,30] [--alpha 2,3]
Prints measured numbers only (not a timed test).
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np

from highdim_dynamics.phase_retrieval.finite_size import bootstrap_logistic
from highdim_dynamics.quadratic_network import SDP_SOLVERS, uniqueness_sdp_runs

SCALES = {
    "quick": dict(d=[10, 20], alpha=[1.0, 1.5, 2.0, 2.5, 3.0, 4.0], n_runs=16),
    "paper": dict(
        d=[20, 30, 50], alpha=[1.0, 1.5, 1.75, 2.0, 2.25, 2.5, 2.75, 3.0, 3.5, 4.0, 5.0], n_runs=64
    ),
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", choices=sorted(SCALES), default="quick")
    ap.add_argument("--n-runs", type=int, default=None)
    ap.add_argument("--d", default=None, help="comma-separated d values (default: the scale's)")
    ap.add_argument(
        "--alpha", default=None, help="comma-separated alpha values (default: the scale's)"
    )
    ap.add_argument("--solver", choices=SDP_SOLVERS, default=SDP_SOLVERS[0])
    args = ap.parse_args()
    sc = SCALES[args.scale]
    n_runs = args.n_runs or sc["n_runs"]
    ds = [int(v) for v in args.d.split(",")] if args.d else sc["d"]
    alphas = [float(v) for v in args.alpha.split(",")] if args.alpha else sc["alpha"]
    warnings.simplefilter("ignore", UserWarning)  # cvxpy's 'solution may be inaccurate'
    total = 0.0
    print(
        f"scale {args.scale}: n_runs = {n_runs}, {args.solver} tol 1e-8, threshold 1e-5 "
        "(relative to tr A*)"
    )
    for d in ds:
        a_all, u_all, cost = [], [], 0.0
        for i, alpha in enumerate(alphas):
            t0 = time.process_time()
            df = uniqueness_sdp_runs(
                d=d, alpha=alpha, n_runs=n_runs, seed=1000 * d + i, solver=args.solver
            )
            dt = time.process_time() - t0
            cost += dt
            u = df.unique.to_numpy()
            agree = bool((df.certified.to_numpy() == u).all())
            cmin = df.certificate[u].min() if u.any() else float("nan")
            hi = df.objective[u].max() if u.any() else float("nan")
            lo = df.objective[~u].min() if (~u).any() else float("nan")
            print(
                f"d = {d:3d} alpha = {alpha:5.2f}: {dt / len(df):6.3f} CPU-s/solve, P(unique) = {u.mean():.3f}, "
                f"max objective unique {hi:8.1e}, min non-unique {lo:8.1e}, certificates agree: {agree} (smallest {cmin:.1e}), "
                f"solvers {sorted(set(df.solver))}",
                flush=True,
            )
            a_all += [alpha] * len(df)
            u_all += list(u.astype(float))
        (a50, w), err = bootstrap_logistic(
            a_all, u_all, np.ones(len(u_all)), n_boot=200, rng=np.random.default_rng(d)
        )
        total += cost
        print(
            f"d = {d:3d}: 50% point of P(unique) {a50:.3f} +- {err:.3f} (theorem, d -> inf: 2), "
            f"width {w:.3f}; {cost:.1f} CPU-s for {len(u_all)} solves",
            flush=True,
        )
    print(
        f"total {total:.1f} CPU-s"
        + ("  (target <= ~10 CPU-s at the quick scale)" if args.scale == "quick" else "")
    )


if __name__ == "__main__":
    main()
