"""Check of ``langevin_vs_simulation``: DMFT (N → ∞) against finite-N simulations at two sizes."""

from __future__ import annotations

import numpy as np

from highdim_dynamics.core.checking import compare, require


def _time_averaged_deviation(g, d, q):
    """Time average over the recorded times of simulation − DMFT (DMFT interpolated in t),
    and a standard error bounding the true one from above (the mean of the per-time
    standard errors: the spread of a time average is at most the average spread)."""
    dev = g[q].to_numpy() - np.interp(g["t"], d["t"], d[q])
    se = (g[q + "_sd"] / np.sqrt(g["n_instances"])).to_numpy()
    return float(dev.mean()), float(se.mean())


def check(df, params, tolerance):
    """DMFT (N → ∞) against finite-N simulations at two sizes, for C̄, e and μ.

    For each observable q and size N, D_N = time average of (simulation − DMFT) with its
    standard error s_N (an upper bound, see :func:`_time_averaged_deviation`):

    * simulation rows at every size of ``params["n_values"]`` (at least two), each with
      ``n_instances`` instances;
    * the finite-size bias shrinks with N: |D_N2| ≤ |D_N1| + z s_N1 (N1 < N2);
    * its 1/N extrapolation vanishes: D_∞ = (N2 D_N2 − N1 D_N1)/(N2 − N1) within
      z s_∞ + ``atol_<q>`` (s_∞ the propagated error);
    * at every recorded time of the largest N, simulation − DMFT lies between 0 and the
      signed allowance ``bias_<q>`` (finite-N runs lag the N → ∞ escape: C̄ and μ below,
      e above the DMFT; measured at both sizes, see the table's justification), widened
      by z standard errors.
    """
    records: list = []
    ref = "finite-N Langevin on independent instances (two sizes, mean ± s.e.)"
    d = df[df["method"] == "dmft"].sort_values("t")
    sim = df[df["method"] == "simulation"]
    sizes = sorted(int(n) for n in params["n_values"])
    require(records, "DMFT rows present", int(len(d) == 0), reference_name=ref)
    missing = [
        n
        for n in sizes
        if not (np.isclose(sim["n"], n) & (sim["n_instances"] >= params["n_instances"])).any()
    ]
    require(
        records,
        f"simulation rows at N = {sizes}, {params['n_instances']} instances each",
        len(missing) + int(len(sizes) < 2),
        reference_name=ref,
        detail=f"missing N = {missing}",
    )
    z = tolerance["z"]
    n1, n2 = sizes[0], sizes[-1]
    g1, g2 = (sim[np.isclose(sim["n"], n)].sort_values("t") for n in (n1, n2))
    for q in ("cbar", "energy", "mu"):
        (d1, s1), (d2, s2) = (_time_averaged_deviation(g, d, q) for g in (g1, g2))
        compare(
            records,
            f"{q}: finite-size bias |D_N| shrinks from N = {n1} to {n2} "
            f"(D = {d1:+.4f} ± {s1:.4f}, {d2:+.4f} ± {s2:.4f})",
            max(abs(d2) - abs(d1), 0.0),
            0.0,
            z * s1,
            reference_name=ref,
        )
        d_inf = (n2 * d2 - n1 * d1) / (n2 - n1)
        s_inf = np.hypot(n2 * s2, n1 * s1) / (n2 - n1)
        compare(
            records,
            f"{q}: 1/N extrapolation of the time-averaged deviation "
            f"(D_∞ = {d_inf:+.4f} ± {s_inf:.4f})",
            d_inf,
            0.0,
            z * s_inf + tolerance["atol_" + q],
            reference_name=ref,
        )
        dev = g2[q].to_numpy() - np.interp(g2["t"], d["t"], d[q])
        se = (g2[q + "_sd"] / np.sqrt(g2["n_instances"])).to_numpy()
        bias = tolerance["bias_" + q]  # signed: the side on which finite-N runs lag
        lo, hi = min(bias, 0.0) - z * se, max(bias, 0.0) + z * se
        compare(
            records,
            f"{q}: simulation − DMFT within [{min(bias, 0.0):+g}, {max(bias, 0.0):+g}] "
            f"± {z:g} s.e. at every time, N = {n2}",
            max(float(np.max(np.maximum(dev - hi, lo - dev))), 0.0),
            0.0,
            1e-12,
            reference_name=ref,
        )  # 1e-12: the t = 0 rows agree to rounding (s.e. 0)
    return records
