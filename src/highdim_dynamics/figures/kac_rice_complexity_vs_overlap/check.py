"""Check of ``kac_rice_complexity_vs_overlap``: isolated minima against the ML-AMP fixed
point, the curves against the quadrature route."""

from __future__ import annotations

import numpy as np
import pandas as pd

from highdim_dynamics.core.checking import compare
from highdim_dynamics.figures._kac_rice_checks import QUADRATURE_REFERENCE, spread
from highdim_dynamics.spiked.theory.kac_rice_quadrature import max_complexity_quadrature
from highdim_dynamics.spiked.theory.minima import ml_fixed_point_residual
from highdim_dynamics.spiked.theory.thresholds import trivialisation_line


def check(df: pd.DataFrame, params: dict, tolerance: dict) -> list:
    """Check the curves against independent references.

    * isolated minima: the ML-AMP fixed-point equation m = Q'/√(Q'² + f'(1)) (residual
      < ``fixed_point_atol``) and the identity Σ = 0 there (``touch_atol``); the curve
      never exceeds 0 within 0.05 of m*;
    * ``n_quadrature`` curve points per 1/Δ2, the ends included, recomputed by the second
      route of :mod:`.kac_rice_quadrature` (quadrature for Φ and L, numerical maximisation
      over the energies, nothing from :mod:`.kac_rice`) within ``quadrature_atol``;
    * Σ(m = 0) > 0 exactly below the trivialisation line (m0 definition) and the band
      {Σ > 0} shrinks as 1/Δ2 grows and is empty above the all-m line.
    """
    p, dp = int(params["p"]), float(params["delta_p"])
    line_m0 = float(trivialisation_line(p, dp, "m0")[0])
    line_all = float(trivialisation_line(p, dp, "all_m")[0])
    widths = []
    records: list = []
    for y in sorted(params["inv_delta2_values"]):
        sub = df[np.isclose(df["inv_delta2"], y, rtol=1e-12)]
        assert len(sub), f"no rows for 1/Δ2 = {y}"
        cur = sub[sub["kind"] == "curve"].sort_values("m")
        iso = sub[sub["kind"] != "curve"]
        assert (iso["kind"] == "good_minimum").sum() == 1, f"no good minimum (m*) row at 1/Δ2 = {y}"
        for _, row in iso.iterrows():
            res = ml_fixed_point_residual(row["m"], p, 1 / y, dp)
            assert abs(res) < tolerance["fixed_point_atol"], (
                f"{row['kind']} is not an ML fixed point"
            )
            assert abs(row["complexity"]) < tolerance["touch_atol"], (
                f"Σ at the {row['kind']} (1/Δ2={y}) = {row['complexity']}, expected 0"
            )
            near = cur[(cur["m"] - row["m"]).abs() < 0.05]
            assert np.all(near["complexity"] <= tolerance["touch_atol"]), (
                "Σ > 0 next to an isolated minimum"
            )
        rows = spread(cur[cur["m"].abs() < 0.999], tolerance["n_quadrature"])
        compare(
            records,
            f"Σ(m) at 1/Δ2 = {y} ({len(rows)} overlaps)",
            rows["complexity"],
            [max_complexity_quadrature(m, p, 1 / y, dp) for m in rows["m"]],
            tolerance["quadrature_atol"],
            reference_name=QUADRATURE_REFERENCE,
        )
        s0 = float(cur.loc[cur["m"] == 0.0, "complexity"].iloc[0])
        if abs(y - line_m0) > 1e-3 * line_m0:
            assert (s0 > 0) == (y < line_m0), (
                f"Σ(0) = {s0} on the wrong side of the m = 0 line {line_m0}"
            )
        band = cur["complexity"].to_numpy() > tolerance["touch_atol"]
        widths.append(band.sum())
        if y > line_all * (1 + 1e-3):
            assert not band.any(), f"spurious band above the all-m trivialisation line (1/Δ2={y})"
    assert all(a >= b for a, b in zip(widths, widths[1:])), f"band must shrink with 1/Δ2: {widths}"
    return records
