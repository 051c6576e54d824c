"""Check of ``spiked_gd_finite_n``: finite-N end points against the Kac-Rice landscape."""

from __future__ import annotations

import numpy as np
import pandas as pd

from highdim_dynamics.core.checking import at_most, compare, require
from highdim_dynamics.figures._spiked_gd_fractions import SUCCESS_THRESHOLD, success_fractions
from highdim_dynamics.spiked.theory.algorithmic_lines import gradient_flow_line
from highdim_dynamics.spiked.theory.minima import isolated_minima


def check(df: pd.DataFrame, params: dict, tolerance: dict) -> list:
    """Finite-N end points vs the Kac-Rice landscape (trends and overlaps; see the table).

    * converged aligned end points (m > 0.5) at 1/Δ2 ≥ the GF line: mean overlap of the k
      runs within z·overlap_sd/√(N k) + bias_c/N of m*(1/Δ2) (Kac-Rice isolated minimum =
      ML-AMP fixed point);
    * every end point is a minimum (smallest Hessian eigenvalue > −``hessian_atol``) or
      still moving (not converged);
    * stuck end points (|m| < 0.5) sit at threshold-like minima: mean t_lagrange within
      ``threshold_t_atol`` of 2 at the largest N;
    * trend: the escape fraction at the largest 1/Δ2 ≥ ``escape_min_above`` for every N
      and exceeds the one at the smallest 1/Δ2.
    """
    p, dp = int(params["p"]), float(params["delta_p"])
    records: list = []
    ref = "Kac-Rice landscape: good minimum m* (ML-AMP fixed point), threshold states t = 2"
    runs = df[df["kind"] == "run"]
    counts = runs.groupby(["n", "inv_delta2"]).size()
    require(
        records,
        f"every (N, 1/Δ2) has {params['n_instances']} runs",
        int(counts.empty) + int((counts < params["n_instances"]).sum()),
        reference_name="the table",
    )
    y_gf = gradient_flow_line(p, dp)
    for (n, y), g in runs.groupby(["n", "inv_delta2"]):
        aligned = g[(g["m"] > SUCCESS_THRESHOLD) & (g["converged"] > 0)]
        if y >= y_gf and len(aligned):
            mstar = isolated_minima(p, 1.0 / y, dp)["good_minimum"]
            # z standard errors of the mean of k runs (per-run sd = overlap_sd/√N) plus a
            # finite-N bias allowance bias_c/N
            k = len(aligned)
            tol = (
                tolerance["z"] * tolerance["overlap_sd"] / np.sqrt(n * k) + tolerance["bias_c"] / n
            )
            compare(
                records,
                f"aligned overlap at N = {n:g}, 1/Δ2 = {y:g} ({k} runs)",
                aligned["m"].mean(),
                mstar,
                tol,
                reference_name=ref,
            )
        done = g[g["converged"] > 0]
        if len(done):
            at_most(
                records,
                f"−(smallest Hessian eigenvalue) of converged end points, N = {n:g}, 1/Δ2 = {y:g}",
                -done["hessian_min"],
                tolerance["hessian_atol"],
                reference_name="end points are minima",
            )
    n_max = runs["n"].max()
    stuck = runs[(runs["n"] == n_max) & (runs["m"].abs() < SUCCESS_THRESHOLD)]
    if len(stuck) >= 3:
        compare(
            records,
            f"mean t of the stuck end points at N = {n_max:g}",
            stuck["t_lagrange"].mean(),
            2.0,
            tolerance["threshold_t_atol"],
            reference_name=ref,
        )
    frac = success_fractions(df)
    for n, f in frac.groupby("n"):
        f = f.sort_values("inv_delta2")
        at_most(
            records,
            f"1 − escape fraction at 1/Δ2 = {f['inv_delta2'].iloc[-1]:g}, N = {n:g}",
            1 - f["escape"].iloc[-1],
            1 - tolerance["escape_min_above"],
            reference_name="above the GF line the runs escape",
        )
        require(
            records,
            f"escape fraction grows with 1/Δ2, N = {n:g}",
            int(not f["escape"].iloc[-1] > f["escape"].iloc[0]),
            reference_name=ref,
        )
    return records
