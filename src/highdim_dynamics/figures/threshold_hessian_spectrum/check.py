"""Check of ``threshold_hessian_spectrum``: finite-N spectra against the threshold-state theory."""

from __future__ import annotations

import numpy as np
import pandas as pd

from highdim_dynamics.core.checking import at_most, compare
from highdim_dynamics.spiked.theory.threshold_hessian import threshold_hessian


def check(df: pd.DataFrame, params: dict, tolerance: dict) -> list:
    """Finite-N spectra vs the threshold-state theory.

    With n_inst instances of size N, σ = √f''(1), θ = (1/Δ2)/σ:

    * bulk (all but the lowest eigenvalue of each instance): variance σ² within
      ``bulk_variance_rtol`` (checks the GOE normalisation σ² = f''(1)); lower edge (mean
      second-lowest eigenvalue) within ``edge_atol_sigma``·σ of 0 (threshold states touch 0);
    * θ > 1: mean lowest eigenvalue within ``outlier_c``·σ/√(N n_inst) of σ(2 − θ − 1/θ) and
      mean squared overlap within ``overlap_c``/√(N n_inst) of 1 − 1/θ²;
    * θ < 1: the lowest eigenvalue stays at the bulk edge (|mean| < ``edge_atol_sigma``·σ)
      and its overlap is below ``max_overlap_below``.
    """
    p, dp = int(params["p"]), float(params["delta_p"])
    records: list = []
    for y in params["inv_delta2_values"]:
        sub = df[np.isclose(df["inv_delta2"], y, rtol=1e-12) & (df["kind"] == "eigenvalue")]
        assert len(sub), f"no spectrum at 1/Δ2 = {y}"
        th = threshold_hessian(p, 1.0 / y, dp)
        sigma, theta = th["sigma"], th["theta"]
        n = int(sub["n"].iloc[0])
        k = sub["instance"].nunique()
        assert k == params["n_instances"], "one spectrum per instance expected"
        order = sub.sort_values(["instance", "eigenvalue"])
        groups = [g["eigenvalue"].to_numpy() for _, g in order.groupby("instance")]
        overlaps = [g["signal_overlap2"].to_numpy() for _, g in order.groupby("instance")]
        assert all(len(g) == n - 1 for g in groups), "tangent spectrum must have N − 1 eigenvalues"
        lowest = np.array([g[0] for g in groups])
        lowest_ov = np.array([o[0] for o in overlaps])
        bulk = np.concatenate([g[1:] for g in groups])
        var = bulk.var()
        ref = "threshold-state theory: Kac-Rice Hessian σ(GOE + 2 − θvvᵀ)"
        compare(
            records,
            f"bulk variance / σ² at 1/Δ2 = {y}",
            var / sigma**2,
            1.0,
            tolerance["bulk_variance_rtol"],
            reference_name=ref,
        )
        edge = np.mean([g[1] for g in groups])
        compare(
            records,
            f"bulk lower edge / σ at 1/Δ2 = {y}",
            edge / sigma,
            0.0,
            tolerance["edge_atol_sigma"],
            reference_name=ref,
        )
        se = 1.0 / np.sqrt(n * k)
        if theta > 1:
            compare(
                records,
                f"BBP outlier at 1/Δ2 = {y}",
                lowest.mean(),
                th["outlier"],
                tolerance["outlier_c"] * sigma * se,
                reference_name=ref + ", σ(2 − θ − 1/θ)",
            )
            compare(
                records,
                f"outlier overlap² at 1/Δ2 = {y}",
                lowest_ov.mean(),
                th["outlier_overlap2"],
                tolerance["overlap_c"] * se,
                reference_name=ref + ", 1 − 1/θ²",
            )
        else:
            compare(
                records,
                f"θ < 1: lowest eigenvalue / σ at 1/Δ2 = {y}",
                lowest.mean() / sigma,
                0.0,
                tolerance["edge_atol_sigma"],
                reference_name=ref + " (no outlier)",
            )
            at_most(
                records,
                f"θ < 1: lowest eigenvector overlap² at 1/Δ2 = {y}",
                lowest_ov.mean(),
                tolerance["max_overlap_below"],
                reference_name=ref + " (no outlier)",
            )
    return records
