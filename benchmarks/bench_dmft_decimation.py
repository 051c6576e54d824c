"""Where the adaptive DMFT solver loses accuracy: fixed step versus decimated grid.

Compares :func:`langevin_dmft` with the independent uniform-grid reference
(:func:`uniform_grid_dmft`, Richardson-extrapolated from two steps) at *exactly* the same
times (dyadic steps, so that t_end and t_end - τ are grid nodes of both solvers):
μ(t_end), ln C̄(t_end) and C(t_end, t_end - τ).  T = 1, p = 3, Δp = 1, Δ2 = 0.6,
C̄(0) = 1e-4 (the Δ2 where escape times still move by a few % per window doubling).

1. t_end = 4 (``--short``): the adaptive kernel with a fixed step (no decimation) and
   with decimations from h0 = 1/512.  Both are second order while the step resolves the
   fast relaxation (h μ < 0.2); this is also a unit test
   (``tests/spiked_dynamics/test_uniform_reference.py``).
2. t_end = 64 (default): windows 64 ... 512, where the step reaches h = 1/8 ... 1 and the
   near-diagonal closures (defect clamps, carried sub-grid corrections, FDT closure) carry
   the fast structure across decimations.

Measured (2026-11-29, errors against the reference):

==========  ======  =========  ==========  ==========  ==========
t_end = 4    step    μ          ln C̄        C(τ = 1)    C(τ = 3)
==========  ======  =========  ==========  ==========  ==========
fixed h     1/16    +1.8e-2    -2.8e-2     +7.5e-4     +2.1e-3
fixed h     1/32    +5.5e-3    -3.4e-3     -2.5e-5     -1.8e-4
fixed h     1/64    +1.5e-3    -9.1e-4     -2.5e-6     -4.8e-5
n = 128     1/16    +5.0e-3    -1.6e-3     -2.4e-4     -3.5e-4
n = 256     1/32    +2.0e-3    -3.6e-4     -7.3e-5     -9.4e-5
==========  ======  =========  ==========  ==========  ==========

(the n rows: decimated grid from h0 = 1/512, final step in the second column; at this
step the decimated grid is as accurate as the fixed one or better).  At t_end = 64
(reference from h = 1/32, 1/64; its own error estimate 1.9e-3 in μ, 5.5e-3 in ln C̄,
3e-4 in C):

==========  ======  =========  ==========  ==========  ==========
t_end = 64   step    μ          ln C̄        C(τ = 2)    C(τ = 8)
==========  ======  =========  ==========  ==========  ==========
n = 64      2       +5.3e-3    +6.0e-2     -9.7e-3     -2.6e-2
n = 128     1       -2.7e-3    +2.8e-2     -9.0e-3     -1.3e-2
n = 256     1/2     +3e-5      +4.2e-3     -6.0e-3     -5.6e-3
n = 512     1/4     +4.8e-3    -4.1e-4     -2.6e-3     -3.0e-3
==========  ======  =========  ==========  ==========  ==========

and at t = 50
(same comparison with h0 = 50/2^16, reference h = 0.025 / 0.0125) the decimated solver's
C(t, t - 10) errors are -2.0e-2 / -8.8e-3 / -4.2e-3 / -2.3e-3 for n = 64 / 128 / 256 / 512
(final step 1.56 / 0.78 / 0.39 / 0.20): first order in the step, and μ errors of
+2.4e-3 / -2.1e-3 / +2.2e-3 / +5.7e-3 that do not decrease.  The carried interval
integrals at t = 130 (n = 256, h = 1.02) give dR/dC = 0.945 on the intervals 1-10 steps
from the diagonal, where the reference has X = R/∂_s C = 1.00 - 0.97: next to the
diagonal C decays ~5% too fast.  The integrated growth rate, hence the escape time near
the threshold, inherits these errors (Δ2 = 0.6: t_esc = 231.3 / 238.1 / 248.1 / 251.3 for
n = 128 / 256 / 512 / 1024).  No variant of n_band, n_defect, n_fdt or h_fdt tried
(``--variants``) makes the late-time error second order: the closures need replacing, not
tuning.

Run: ``python benchmarks/bench_dmft_decimation.py [--short] [--variants]`` (default
about 4 CPU-minutes, 2.7 of them the reference at h = 1/64).
"""

import sys
import time

import numpy as np

from highdim_dynamics.spiked.langevin_dmft import langevin_dmft
from highdim_dynamics.spiked.dmft_reference.uniform_grid import richardson, uniform_grid_dmft

MODEL = dict(p=3, delta2=0.6, delta_p=1.0)
START = dict(temperature=1.0, cbar0=1e-4)


def observables(t_end, taus, mu, cbar, s, c):
    """[μ, ln C̄, C(t_end, t_end - τ)...] from a solver's last row."""
    return np.r_[mu, np.log(cbar), np.interp(t_end - taus, s, c)]


def reference(t_end, taus, steps):
    vals = []
    for h in steps:
        c0 = time.process_time()
        df, C, _ = uniform_grid_dmft(**MODEL, **START, t_max=t_end, h=h, two_time=True)
        vals.append(observables(t_end, taus, df.mu.iloc[-1], df.cbar.iloc[-1], df.t, C[-1]))
        print(f"reference h={h:g}: {time.process_time() - c0:.1f} CPU-s", flush=True)
    ref = richardson(*vals, ratio=steps[0] / steps[1])
    return ref, ref - vals[1]


def adaptive(t_end, taus, n_window, h0, **kwargs):
    df, two = langevin_dmft(**MODEL, **START, t_max=t_end, n_window=n_window, h0=h0,
                            waiting_times=list(t_end - taus), return_two_time=True, **kwargs)
    if abs(df.t.iloc[-1] - t_end) > 1e-9:
        raise RuntimeError(f"last row at t = {df.t.iloc[-1]}, not {t_end}: use a dyadic h0")
    last = two[np.isclose(two.t, t_end)].sort_values("t_w")
    return observables(t_end, taus, df.mu.iloc[-1], df.cbar.iloc[-1], last.t_w, last.C), \
        df.h.iloc[-1]


def report(label, err, h):
    print(f"{label:28s} final h={h:<8g} " + " ".join(f"{x:+.2e}" for x in err), flush=True)


if __name__ == "__main__":
    short = "--short" in sys.argv
    t_end = 4.0 if short else 64.0
    taus = np.array([1.0, 2.0, 3.0]) if short else np.array([1.0, 2.0, 4.0, 8.0, 16.0])
    ref, ref_err = reference(t_end, taus, [1 / 128, 1 / 256] if short else [1 / 32, 1 / 64])
    print("columns: μ, ln C̄, " + ", ".join(f"C(τ={t:g})" for t in taus))
    report("reference error estimate", ref_err, 0)
    if short:
        for n, h0 in [(128, 1 / 16), (256, 1 / 32), (512, 1 / 64)]:
            e, h = adaptive(t_end, taus, n, h0)
            report(f"fixed step, n={n}", e - ref, h)
    variants = [{}]
    if "--variants" in sys.argv:
        variants += [dict(n_fdt=0), dict(n_fdt=4), dict(n_defect=0), dict(n_defect=4),
                     dict(n_band=3)]
    for kw in variants:
        for n in (64, 128, 256) + (() if short else (512,)):
            e, h = adaptive(t_end, taus, n, 1 / 512, **kw)
            report(f"decimated n={n} {kw}", e - ref, h)
