"""Benchmark: cost and accuracy of the computed phase-retrieval thresholds.

* alpha_IT, alpha_AMP, alpha_WR (GLM free entropy / state evolution, quadrature): values,
  their independent routes, and CPU time; target: integrals to 1e-6, cost << 1 s;
* one marginal 1RSB threshold state (chi, x_hat, BBP criterion, energy, complexity, Hessian
  edge vs jump term) at the default and a finer quadrature;
* alpha_GD (zero of the BBP criterion) at the default and a finer quadrature, with CPU time;
  target: a few seconds per figure at quick scale.

Run:  python benchmarks/bench_phase_retrieval_thresholds.py [--fine]
Prints measured numbers beside the targets (not a timed test).  CPU seconds (process_time).
"""

from __future__ import annotations

import argparse
import time

from highdim_dynamics.phase_retrieval import bayes_optimal as bo
from highdim_dynamics.phase_retrieval import threshold_states as ts


def timed(f, *args, **kw):
    t0 = time.process_time()
    out = f(*args, **kw)
    return out, time.process_time() - t0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument(
        "--fine", action="store_true", help="also alpha_GD on the finer quadrature (~1 CPU-min)"
    )
    args = ap.parse_args()

    th, t = timed(bo.thresholds)
    print(f"GLM thresholds ({t:.2f} CPU-s; target: integrals to 1e-6, << 1 s):")
    print(f"  alpha_IT  = {th['alpha_IT']:.10f}  (free entropy at q -> 1; Barbier et al.: 1)")
    stab, t = timed(bo.perfect_recovery_stability)
    print(f"            = {stab:.10f}  (stability of q = 1 in the state evolution, {t:.2f} CPU-s)")
    print(
        f"  alpha_AMP = {th['alpha_AMP']:.10f}  (spinodal, q = {th['q_spinodal']:.6f}; Barbier et al.: ~1.13)"
    )
    print(f"  alpha_WR  = {th['alpha_WR']:.10f}  (stability of q = 0; closed form 1/2)")
    for f in (1 - 1e-3, 1 + 1e-3):
        r, t = timed(bo.iterate_state_evolution, th["alpha_AMP"] * f, 1 - 1e-3)
        print(
            f"  SE from q0 = 1e-3 at alpha_AMP x {f:g}: {r['outcome']} after {r['n_iter']} steps ({t:.2f} CPU-s)"
        )

    print("threshold states (zero-temperature marginal 1RSB):")
    for quad in (ts.QUADRATURE, (36, 8, 45, 8)):
        for a in (4.0, 14.0):
            st, t = timed(ts.threshold_state, a, quadrature=quad)
            off = ts.hessian_edge_offset(st)
            print(
                f"  alpha = {a:4.1f} quadrature {quad}: chi = {st.chi:.6f}, x_hat = {st.x_hat:.6f}, "
                f"criterion = {st.criterion:+.6f}, e = {st.energy:.5f}, Sigma = {st.complexity:+.2e}, "
                f"Hessian edge {off['edge']:.6f} vs jump term {off['jump_term']:.6f} ({t:.2f} CPU-s)"
            )
    a_gd, t = timed(ts.alpha_gd, 8.0, 20.0)
    print(
        f"  alpha_GD = {a_gd:.4f} (default quadrature, bracket [8, 20], xtol 1e-3; {t:.1f} CPU-s)"
    )
    if args.fine:
        a_fine, t = timed(ts.alpha_gd, 12.0, 16.0, quadrature=(36, 8, 45, 8))
        print(f"  alpha_GD = {a_fine:.4f} (finer quadrature (36, 8, 45, 8); {t:.1f} CPU-s)")


if __name__ == "__main__":
    main()
