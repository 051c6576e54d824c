"""Check of ``kac_rice_complexity_vs_energy``: closed forms at m = 0 and the quadrature route."""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.testing import assert_allclose

from highdim_dynamics.core.checking import compare
from highdim_dynamics.figures._kac_rice_checks import QUADRATURE_REFERENCE, spread
from highdim_dynamics.spiked.theory.kac_rice_quadrature import complexity_at_energy_quadrature
from highdim_dynamics.spiked.theory.thresholds import gradient_flow_line_bbp


def check(df: pd.DataFrame, params: dict, tolerance: dict) -> list:
    """Check against closed forms and a brute-force maximisation.

    * below the gradient-flow line (θ = (1/Δ2)/σ ≤ 1 at m = 0) the two kinds coincide and
      the maximum over ε equals the closed form Σ(m=0, t=2) = ½log(σ²/f'(1)) − 2σ²/K + 1,
      reached at ε_th = −2σ f'(1)/K (``closed_form_atol``, plus the energy grid step for
      the location);
    * above it the minima curve lies strictly below the bulk-positive one at ε_th (BBP
      cost L(θ, 2) > 0, equal to the closed-form difference) and the two coincide at
      energies where t ≥ θ + 1/θ;
    * ``n_quadrature`` points per curve (ends included) recomputed on the line
      ε2 + εp = ε by the second route of :mod:`.kac_rice_quadrature` (``quadrature_atol``).
    """
    p, dp = int(params["p"]), float(params["delta_p"])
    gf = float(gradient_flow_line_bbp(p, dp)[0])
    records: list = []
    atol = tolerance["closed_form_atol"]
    for y in sorted(params["inv_delta2_values"]):
        sub = df[np.isclose(df["inv_delta2"], y, rtol=1e-12)]
        mins = sub[sub["kind"] == "minima"].sort_values("energy")
        bulk = sub[sub["kind"] == "bulk_positive"].sort_values("energy")
        assert (
            len(mins) >= 2
            and len(mins) == len(bulk)
            and np.allclose(
                mins["energy"].to_numpy(), bulk["energy"].to_numpy(), rtol=0, atol=1e-12
            )
        ), f"1/Δ2 = {y}: the minima and bulk-positive curves must share their energy grid"
        d2 = 1 / y
        sigma2, f1 = y + (p - 1) / dp, y + 1 / dp
        K = sigma2 + f1
        s_t2 = 0.5 * np.log(sigma2 / f1) - 2 * sigma2 / K + 1.0
        e_th = -2 * np.sqrt(sigma2) * f1 / K
        step = float(np.diff(bulk["energy"]).max())
        i_max = int(np.argmax(bulk["complexity"].to_numpy()))
        assert abs(bulk["energy"].iloc[i_max] - e_th) <= step, (
            "bulk-positive maximum away from ε_th"
        )
        # the grid max is within (curvature × step²) of the closed-form value
        assert bulk["complexity"].max() <= s_t2 + atol
        compare(
            records,
            f"max Σ over ε at 1/Δ2 = {y}",
            bulk["complexity"].max(),
            s_t2,
            atol + 50 * step**2,
            reference_name="closed form Σ(m = 0, t = 2)",
        )
        theta = y / np.sqrt(sigma2)
        diff = bulk["complexity"].to_numpy() - mins["complexity"].to_numpy()
        if y < gf * (1 - 1e-9):
            assert_allclose(diff, 0.0, atol=atol, err_msg=f"θ < 1 must give no BBP cost (1/Δ2={y})")
        else:
            assert theta >= 1 - 1e-9
            u = theta + 1 / theta
            free = mins["t"].to_numpy() >= u
            assert_allclose(diff[free], 0.0, atol=atol)
            near_th = np.argmin(np.abs(mins["energy"].to_numpy() - e_th))
            assert diff[near_th] > 0 or theta < 1 + 1e-6, "threshold minima must pay the BBP cost"
        for kind, curve in (("minima", mins), ("bulk_positive", bulk)):
            rows = spread(curve, tolerance["n_quadrature"])
            compare(
                records,
                f"Σ({kind}) vs energy at 1/Δ2 = {y} ({len(rows)} energies)",
                rows["complexity"],
                [
                    complexity_at_energy_quadrature(0.0, e, p, d2, dp, bbp_cost=kind == "minima")
                    for e in rows["energy"]
                ],
                tolerance["quadrature_atol"],
                reference_name=QUADRATURE_REFERENCE,
            )
    return records
