"""Accuracy and cost of ``solve_dmft`` at its defaults (p = 3, Δp = 1, one core, CPU seconds).

Targets: escape times t(C̄ = 0.1, 0.3, 0.5) from C̄(0) = 1e-4 within 1% of converged values
at T = 1, Δ2 ∈ {0.5, 0.6, 0.65, 0.7} and T = 0, 1/Δ2 ∈ {2.2, 2.5, 3.0}; a whole curve to
t = 2000 in <= 10 CPU s at Δ2 = 0.6 and 0.7; t = 1e4 in <= 60 CPU s; two-time arrays
<= 200 MB; plateaus within 1e-4 of the Bayes-AMP (T = 1) / ML-AMP (T = 0) fixed points and
μ_∞ within 2e-4 (relative); linear-regime growth rates d ln C̄/dt within 2% at
t = 300–2000 for Δ2 ∈ {0.6, 0.65, 0.7, 0.75}.

Converged values ("ladder"): the engine's own refinement, Richardson (order 2) in the step
from h = 0.05, 0.025 at B = 16, plus the change from B = 16 to 32 at h = 0.05; printed with
that correction as its uncertainty, beside the independent references that exist: the
uniform-grid solver (Richardson, Δ2 = 0.5: 74.77 ± 0.03), the multi-resolution solver
(Δ2 = 0.6: 251.3 ± 0.5) and the authors' public Kim–Latz solver (Δ2 = 0.6, t(0.3):
247.0 / 248.9 / 250.3 at Nt = 256 / 512 / 1024, converging from below; Δ2 = 0.7, t(0.1):
1346 / 1354 / 1357).

Error estimate (``attrs['error']``): the change of the escape times against a companion run
at the coarser step ``coarse_step`` (2h, capped by the explicit scheme's stability), computed
only until both curves have settled (``t_checked``).  For every escape case the benchmark
prints whether it bounds the true error (against the converged values, and against the
independent ``spiked.dmft_reference.reference_values()`` within their uncertainty) and
checks that it equals the estimate of a companion run to t_max.  A companion at 4h with the
factor 1/15 is not an option at T = 1: 4h·(T + 1 + 1/Δ2 + 1/Δp) > 1 breaks the explicit
scheme.

Run: ``python benchmarks/bench_dmft_engine.py`` (defaults and targets; ~5 CPU min) or with
``--ladder`` (also recompute the converged values; ~30 CPU min).  The machine load
(1-minute load average) is printed beside each cost: on a shared machine CPU seconds grow
with it (cache and memory-bandwidth contention).
"""

import os

os.environ.setdefault("NUMBA_NUM_THREADS", "1")

import math  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

from highdim_dynamics.spiked.dmft import engine, escape_times, solve_dmft  # noqa: E402
from highdim_dynamics.spiked.dmft_reference import reference_value  # noqa: E402
from highdim_dynamics.spiked.model import ml_amp_fixed_point  # noqa: E402
from highdim_dynamics.spiked.theory.bayes_optimal import bayes_amp_fixed_point  # noqa: E402

P, DP = 3, 1.0
LEVELS = (0.1, 0.3, 0.5)
#: (T, Δ2, t_max of the escape runs)
ESCAPE_CASES = [
    (1.0, 0.5, 400.0),
    (1.0, 0.6, 2000.0),
    (1.0, 0.65, 2000.0),
    (1.0, 0.7, 2000.0),
    (0.0, 1 / 2.2, 400.0),
    (0.0, 1 / 2.5, 400.0),
    (0.0, 1 / 3.0, 400.0),
]
GROWTH_DELTA2 = (0.6, 0.65, 0.7, 0.75)
GROWTH_TIMES = (300.0, 500.0, 1000.0, 2000.0)

#: Converged values of the engine's refinement (``--ladder`` recomputes them; Δ2 = 0.6 and
#: 0.7 from the longer ladders h = 0.2 ... 0.0125 and B = 8, 16, 32 run for the README):
#: {(T, Δ2): {level: (t, uncertainty)}}.
CONVERGED = {
    (1.0, 0.5): {0.1: (65.20, 0.01), 0.3: (74.77, 0.01), 0.5: (78.89, 0.01)},
    (1.0, 0.6): {0.1: (227.87, 0.1), 0.3: (251.38, 0.1), 0.5: (261.04, 0.1)},
    (1.0, 0.65): {0.1: (505.36, 0.3), 0.3: (543.70, 0.3), 0.5: (562.26, 0.3)},
    (1.0, 0.7): {0.1: (1378.2, 2.0), 0.3: (1442.9, 2.0)},
    (0.0, round(1 / 2.2, 6)): {0.1: (70.84, 0.01), 0.3: (83.42, 0.01), 0.5: (86.97, 0.01)},
    (0.0, round(1 / 2.5, 6)): {0.1: (30.617, 0.005), 0.3: (36.731, 0.005), 0.5: (38.916, 0.005)},
    (0.0, round(1 / 3.0, 6)): {0.1: (13.775, 0.005), 0.3: (16.689, 0.005), 0.5: (17.922, 0.005)},
}
#: Independent references: {(T, Δ2): {level: (value, uncertainty, source)}}.
INDEPENDENT = {
    (1.0, 0.5): {0.3: (74.77, 0.03, "uniform grid, Richardson")},
    (1.0, 0.6): {0.3: (251.3, 0.5, "multi-resolution, Richardson + B")},
}


def cpu(fn, *a, **k):
    c0 = time.process_time()
    out = fn(*a, **k)
    return out, time.process_time() - c0


def load():
    return f"load {os.getloadavg()[0]:.1f}"


def independent_reference(T, d2, lv):
    """(value, uncertainty) of t(C̄ = lv) from spiked.dmft_reference, or None."""
    try:
        return reference_value(f"t_escape_{lv:g}", temperature=T, delta2=d2, kind="escape")
    except Exception:  # no reference value at this level
        return None


def companion_check(df, T, d2, t_max):
    """The settled companion's estimate against that of a companion run to t_max."""
    st = df.attrs["accuracy"]
    full, sec = cpu(
        engine.single_run,
        P,
        d2,
        DP,
        temperature=T,
        cbar0=1e-4,
        t_max=t_max,
        h=st["coarse_step"],
        B=st["points_per_octave"],
    )
    e_full, e = engine._change(full, df), df.attrs["error"]
    same = all(
        e[k] == e_full[k] or (math.isnan(e[k]) and math.isnan(e_full[k]))
        for k in ("escape_time_rel", "cbar_abs")
    )
    print(
        f"{'':>17} companion to t_checked = {e['t_checked']:g} instead of {t_max:g}: "
        f"estimate {'identical' if same else 'DIFFERENT'} to the run to t_max "
        f"(escape {e_full['escape_time_rel']:.3e}, |ΔC̄| {e_full['cbar_abs']:.2e}; "
        f"that run alone {sec:.1f} CPU s)"
    )
    return same


def ladder_escape(T, d2, t_max):
    """Converged escape times: Richardson in h (0.05, 0.025 at B = 16) + B change 16 -> 32."""

    def run(h, B):
        return escape_times(
            engine.single_run(
                P, d2, DP, temperature=T, cbar0=1e-4, t_max=t_max, h=h, B=B, cbar_stop=0.55
            )
        )

    a, b, c = run(0.05, 16), run(0.025, 16), run(0.05, 32)
    out = {}
    for lv in LEVELS:
        if not math.isfinite(a[lv] + b[lv] + c[lv]):
            continue
        rich = b[lv] + (b[lv] - a[lv]) / 3.0
        out[lv] = (rich + (c[lv] - a[lv]), abs(b[lv] - a[lv]) / 3.0 + abs(c[lv] - a[lv]))
    return out


def growth(df, t):
    tt, lc = df["t"].to_numpy(), np.log(df["cbar"].to_numpy())
    k = np.searchsorted(tt, t)
    return (lc[k + 5] - lc[k - 5]) / (tt[k + 5] - tt[k - 5])


def main(ladder):
    solve_dmft(P, 0.6, DP, t_max=5.0)  # compile / load the kernels
    print(
        f"{'T':>3} {'Δ2':>7} {'level':>5} {'t(defaults)':>12} {'converged':>16} "
        f"{'error':>8} {'target':>7} {'CPU s':>6} {'estimate':>11} (error <= estimate?)"
    )
    bounded = []
    for T, d2, t_max in ESCAPE_CASES:
        df, sec = cpu(solve_dmft, P, d2, DP, temperature=T, t_max=t_max)
        est = df.attrs["error"]["escape_time_rel"]
        conv = ladder_escape(T, d2, t_max) if ladder else CONVERGED.get((T, round(d2, 6)), {})
        for lv in LEVELS:
            t = df.attrs["escape_times"][lv]
            ref = conv.get(lv)
            err = (t - ref[0]) / ref[0] if ref and math.isfinite(t) else math.nan
            refs = f"{ref[0]:.2f}±{ref[1]:.2f}" if ref else "n/a"
            ok = "bounds" if abs(err) <= est else ("n/a" if math.isnan(err) else "MISSES")
            print(
                f"{T:>3g} {d2:>7.4f} {lv:>5} {t:>12.3f} {refs:>16} {100 * err:>7.2f}% "
                f"{'1%':>7} {sec:>6.1f} {100 * est:>10.3f}% {ok} ({load()})"
            )
            if not math.isnan(err):
                bounded.append(abs(err) <= est)
            ind = INDEPENDENT.get((T, round(d2, 6)), {}).get(lv)
            if ind:
                print(
                    f"{'':>17} independent: {ind[0]} ± {ind[1]} ({ind[2]}): "
                    f"{100 * (t - ind[0]) / ind[0]:+.2f}%"
                )
            rv = independent_reference(T, d2, lv)
            if rv and math.isfinite(t):
                e_ref, u_ref = (t - rv[0]) / rv[0], rv[1] / rv[0]
                print(
                    f"{'':>17} dmft_reference {rv[0]:.3f} ± {rv[1]:.3f}: "
                    f"{100 * e_ref:+.3f}% (± {100 * u_ref:.3f}%); estimate "
                    f"{'covers it' if abs(e_ref) <= est + u_ref else 'DOES NOT cover it'}"
                    f" within the reference's uncertainty"
                    f"{'' if abs(e_ref) <= est else ' (not without it)'}"
                )
        companion_check(df, T, d2, t_max)
        # plateau identities
        if T == 1.0:
            m_ref, mu_ref = bayes_amp_fixed_point(P, d2, DP), 1 + 1 / d2 + 1 / DP
        else:
            m_ref, bb = ml_amp_fixed_point(P, d2, DP)
            mu_ref = bb + (1 / d2 + 2 / DP) / bb
        last = df.iloc[-1]
        if last["cbar"] > 0.9 * m_ref:
            print(
                f"{'':>17} plateau: |ΔC̄| = {abs(last['cbar'] - m_ref):.1e} (target 1e-4), "
                f"|Δμ|/μ = {abs(last['mu'] - mu_ref) / mu_ref:.1e} (target 2e-4) at "
                f"t = {last['t']:g}"
            )
    print("\nlinear regime (C̄(0) = 1e-200): growth rate d ln C̄/dt, target 2%")
    for d2 in GROWTH_DELTA2:
        df, sec = cpu(solve_dmft, P, d2, DP, cbar0=1e-200, t_max=2000.0, error_estimate=False)
        lam = [growth(df, t) for t in GROWTH_TIMES[:-1]] + [
            (math.log(df["cbar"].iloc[-1]) - math.log(df["cbar"].iloc[-11]))
            / (df["t"].iloc[-1] - df["t"].iloc[-11])
        ]
        line = " ".join(f"λ({t:g})={v:.5f}" for t, v in zip(GROWTH_TIMES, lam))
        if ladder:
            f1 = engine.single_run(
                P, d2, DP, temperature=1.0, cbar0=1e-200, t_max=2000.0, h=0.05, B=16
            )
            f2 = engine.single_run(
                P, d2, DP, temperature=1.0, cbar0=1e-200, t_max=2000.0, h=0.025, B=16
            )
            for t, v in zip(GROWTH_TIMES[:-1], lam):
                r = growth(f2, t) + (growth(f2, t) - growth(f1, t)) / 3.0
                line += f" | conv λ({t:g})={r:.5f} err {100 * (v - r) / r:+.2f}%"
        print(f"  Δ2 = {d2}: {line} ({sec:.1f} CPU s)")
    print(
        f"\nerror estimate bounds |error| against the converged values in "
        f"{sum(bounded)} of {len(bounded)} escape times"
    )
    print("\ncost (T = 1, defaults incl. the error-estimate run, one core)")
    for d2, t_max, target in ((0.6, 2000.0, 10.0), (0.7, 2000.0, 10.0), (0.6, 1e4, 60.0)):
        st = engine.settings(temperature=1.0, delta2=d2, delta_p=DP, t_max=t_max)
        df, sec = cpu(solve_dmft, P, d2, DP, t_max=t_max)
        mb = engine.memory_bytes(t_max, st) / 2**20
        print(
            f"  Δ2 = {d2}, t_max = {t_max:g}: {sec:.1f} CPU s (target {target:g}; companion "
            f"to t = {df.attrs['error']['t_checked']:g}), two-time arrays {mb:.0f} MB "
            f"(target 200) ({load()})"
        )
    df, sec = cpu(solve_dmft, P, 0.6, DP, t_max=1e4, error_estimate=False)
    print(f"  Δ2 = 0.6, t_max = 1e4 without the error estimate: {sec:.1f} CPU s ({load()})")


if __name__ == "__main__":
    main("--ladder" in sys.argv[1:])
