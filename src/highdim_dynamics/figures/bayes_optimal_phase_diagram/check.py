"""Check of ``bayes_optimal_phase_diagram``: closed forms, direct state evolution, p = 3
tricritical point."""

from __future__ import annotations

import numpy as np
import pandas as pd

from highdim_dynamics.core.checking import compare, require
from highdim_dynamics.spiked.model import SpikedMatrixTensor
from highdim_dynamics.spiked.theory.bayes_optimal import free_entropy, iterate_state_evolution

CLOSED_FORM = "closed forms of the algorithmic lines (PRX 2020, Sec. VI; ICML 2019)"
STATE_EVOLUTION = "Bayes-AMP state evolution iterated directly (m0 = 1e-8 and m0 = 1)"
TRICRITICAL = "p = 3 tricritical point at Δp = 1 (PRX 2020)"


def _converged_overlaps(p: int, delta_p: float, y: float):
    """SE limits from an uninformative (m0 = 1e-8) and an informative (m0 = 1) start."""
    model = SpikedMatrixTensor(p, 1.0 / y, delta_p)
    return iterate_state_evolution(model, 1e-8), iterate_state_evolution(model, 1.0), model


def _probe_lines(p, lines, dp, eps, n_points):
    """Violations of the phase structure found by direct SE iteration on both sides of the
    AMP, IT and spinodal lines, at every ``len(dp) // n_points``-th Δp."""
    bad = {
        "amp_above": [],
        "amp_below": [],
        "it_sign": [],
        "spinodal_below": [],
        "spinodal_above": [],
    }
    y_min = 1e-3  # lines clipped at the bottom of the searched range are not probed
    for d in dp[:: max(1, len(dp) // n_points)]:
        y = lines["amp"].loc[d]
        m0, m1, _ = _converged_overlaps(p, d, y * (1 + eps))
        if not (m0 > 0 and abs(m0 - m1) < 1e-6):
            bad["amp_above"].append(d)
        m0, m1, _ = _converged_overlaps(p, d, y * (1 - eps))
        if not (m1 - m0 > 1e-6 or m1 < 1e-3):
            bad["amp_below"].append(d)
        y_it, y_sp = lines["it"].loc[d], lines["spinodal"].loc[d]
        if y_it < y * (1 - 2 * eps) and y_sp > y_min:
            gaps = []
            for yy in (y_it * (1 - eps), y_it * (1 + eps)):
                m0, m1, model = _converged_overlaps(p, d, yy)
                gaps.append(float(free_entropy(m1, model) - free_entropy(m0, model)))
            if not gaps[0] < 0 < gaps[1]:
                bad["it_sign"].append(d)
            m0, m1, _ = _converged_overlaps(p, d, y_sp * (1 - eps))
            if not abs(m1 - m0) < 1e-6:
                bad["spinodal_below"].append(d)
            m0, m1, _ = _converged_overlaps(p, d, y_sp * (1 + eps))
            if not m1 - m0 > 1e-6:
                bad["spinodal_above"].append(d)
    return bad


_PROBES = {
    "amp_above": "AMP converges to the informative fixed point just above the AMP line",
    "amp_below": "AMP stays uninformative just below the AMP line",
    "it_sign": "Φ(informative) − Φ(uninformative) changes sign at the IT line",
    "spinodal_below": "no informative fixed point just below the spinodal",
    "spinodal_above": "an informative fixed point just above the spinodal",
}


def check(df: pd.DataFrame, params: dict, tolerance: dict) -> list:
    """Closed-form identities, direct state-evolution iteration and the p = 3 tricritical point.

    ``tolerance`` keys: ``closed_form_rtol`` (lines that solve an equation in closed form),
    ``se_offset`` (relative offset in 1/Δ2 at which direct SE iteration must be on either
    side of a line), ``n_se_points`` (Δp values per p probed by iteration),
    ``tricritical_atol`` (AMP − IT gap: zero for Δp ≥ 1, positive for Δp ≤ 0.9 at p = 3).
    """
    rtol = tolerance["closed_form_rtol"]
    records: list = []
    for p, sub in df.groupby("p"):
        lines = {k: g.set_index("delta_p")["inv_delta2"] for k, g in sub.groupby("line")}
        dp = lines["ml_amp"].index.to_numpy()
        # ML-AMP and GF lines solve y² = y + c with c = 1/Δp and (p − 1)/Δp.
        for name, c in (("ml_amp", 1 / dp), ("gradient_flow", (p - 1) / dp)):
            y = lines[name].loc[dp].to_numpy()
            compare(
                records,
                f"{name} line, p = {p}: y² − y vs c",
                y * y - y,
                c,
                rtol,
                reference_name=CLOSED_FORM,
                relative=True,
            )
        if p == 3:  # Langevin T = 1: Δ2 = √(Δp/2) for Δp < 2, else Δ2 = 1 (PRX 2020, Sec. VI).
            compare(
                records,
                "Langevin T = 1 line, p = 3",
                lines["langevin_T1"].loc[dp].to_numpy(),
                np.where(dp < 2, np.sqrt(2 / dp), 1.0),
                rtol,
                reference_name=CLOSED_FORM + ": 1/Δ2 = √(2/Δp)",
                relative=True,
            )
        # Ordering of the Bayes-optimal lines and of the algorithms.
        for low, high in (("spinodal", "it"), ("it", "amp"), ("langevin_T1", "gradient_flow")):
            require(
                records,
                f"p = {p}: {low} line ≤ {high} line",
                int(np.sum(lines[low] > lines[high] * (1 + rtol))),
                reference_name="ordering of the phases and algorithms",
            )
        # Direct iteration of the state evolution on both sides of each line.
        bad = _probe_lines(p, lines, dp, tolerance["se_offset"], tolerance["n_se_points"])
        for key, what in _PROBES.items():
            require(
                records,
                f"p = {p}: {what} (±{tolerance['se_offset']:g} in 1/Δ2)",
                len(bad[key]),
                reference_name=STATE_EVOLUTION,
                detail=f"violated at Δp = {bad[key]}",
            )

    # p = 3: tricritical point at Δp = 1 (PRX 2020): a hard phase exists below it only.
    p3 = df[df["p"] == 3]
    if len(p3):
        wide = p3.pivot(index="delta_p", columns="line", values="inv_delta2")
        gap = wide["amp"] - wide["it"]
        compare(
            records,
            "p = 3: AMP − IT gap for Δp ≥ 1",
            gap[gap.index >= 1.0],
            0.0,
            tolerance["tricritical_atol"],
            reference_name=TRICRITICAL,
        )
        below = gap[gap.index <= 0.9]
        require(
            records,
            f"p = 3: AMP − IT gap > {tolerance['tricritical_atol']:g} for Δp ≤ 0.9 (a hard phase)",
            int((below <= tolerance["tricritical_atol"]).sum()),
            reference_name=TRICRITICAL,
            detail=f"smallest gap {below.min():.3g}",
        )
    return records
