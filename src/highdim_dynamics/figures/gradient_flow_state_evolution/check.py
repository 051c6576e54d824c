"""Check of ``gradient_flow_state_evolution``: exact long-time identities of gradient flow."""

from __future__ import annotations

import numpy as np

from highdim_dynamics.core.checking import at_most, compare, require
from highdim_dynamics.figures._spiked_dmft_checks import (
    check_plateaus,
    escape_times_by,
    not_monotonic,
)
from highdim_dynamics.figures._spiked_dmft_data import ESCAPE_LEVEL
from highdim_dynamics.spiked.dmft.thresholds import escape_time
from highdim_dynamics.spiked.model import ml_amp_fixed_point
from highdim_dynamics.spiked.theory.algorithmic_lines import gradient_flow_line

PLATEAU = "ML-AMP fixed point m = Q'(m)/√(Q'(m)² + Q'(1)) and μ(∞) = B + Q''(1)/B"
REFERENCE = "reference DMFT (spiked.dmft_reference, independent solver), T = 0"


def _check_against_reference(records, df, params, tolerance):
    """Escape times t(C̄ = 0.1, 0.3, 0.5) and the energy at t_max against the reference DMFT
    (T = 0, p = 3, Δp = 1, C̄(0) = 1e-4; escape runs, and plateau runs of length t_max)
    wherever it tabulates the figure's 1/Δ2: |x − ref| <= rtol·|ref| + n_sigma·uncertainty.
    Returns the number compared."""
    from highdim_dynamics.spiked.dmft_reference import reference_values

    ref = reference_values()
    ref = ref[
        (ref["temperature"] == 0.0) & ref["quantity"].str.startswith(("t_escape", "energy_end"))
    ]
    n = 0
    for r in ref.itertuples():
        g = df[np.isclose(df["inv_delta2"], r.inv_delta2, rtol=1e-6)].sort_values("t")
        if not len(g):
            continue
        if r.quantity == "energy_end":
            if not np.isclose(g["t"].iloc[-1], 300.0):  # the reference runs end at t = 300
                continue
            value, rtol, what = g["energy"].iloc[-1], tolerance["energy_rtol"], "e(t = 300)"
        else:
            level = float(r.quantity.rpartition("_")[2])
            value, rtol, what = escape_time(g, level), tolerance["escape_rtol"], f"t(C̄ = {level:g})"
        compare(
            records,
            f"{what} at 1/Δ2 = {r.inv_delta2:g}",
            value,
            r.value,
            rtol * abs(r.value) + tolerance["n_sigma"] * r.uncertainty,
            reference_name=f"{REFERENCE}: {r.value:.6g} ± {r.uncertainty:.2g}",
        )
        n += 1
    return n


def check(df, params, tolerance):
    """T = 0: escaped runs converge to the ML-AMP fixed point (``plateau_atol``) and
    μ → B + Q''(1)/B (``mu_rtol``), at least ``min_plateaus`` of them; the runs below the
    GF line (1/Δ2 < (1 − ``line_margin``) × closed form) have not escaped at t_max (their
    energy plateaus), and escape times decrease with 1/Δ2; at p = 3, Δp = 1, C̄(0) = 1e-4
    the escape times (``escape_rtol``) and the energy at t = 300 (``energy_rtol``) agree
    with the reference DMFT within those plus ``n_sigma`` of its uncertainty, at least
    ``min_reference`` values."""

    def reference(p, d2, dp):
        m, b = ml_amp_fixed_point(p, d2, dp)
        return m, b + (1.0 / d2 + (p - 1) / dp) / b

    records: list = []
    n = check_plateaus(records, df, tolerance, reference, PLATEAU)
    need = tolerance.get("min_plateaus", 1)
    require(
        records,
        f"at least {need} runs converged to a plateau ({n})",
        int(n < need),
        reference_name=PLATEAU,
    )
    for (p, dp, y), g in df.groupby(["p", "delta_p", "inv_delta2"]):
        line = gradient_flow_line(int(p), dp)
        if y < line * (1 - tolerance["line_margin"]):
            at_most(
                records,
                f"max C̄ below the GF line (1/Δ2 = {y:.4g} < {line:.4g})",
                g["cbar"].max(),
                ESCAPE_LEVEL,
                reference_name="closed-form GF line 1/Δ2² = 1/Δ2 + (p−1)/Δp: no escape below it",
            )
    esc = escape_times_by(df, "inv_delta2")
    require(
        records,
        "escape times decrease with 1/Δ2",
        not_monotonic(esc, increasing=False),
        reference_name="the GF line (faster escape further above it)",
        detail=f"escape times {esc}",
    )
    if (
        int(params.get("p", 3)) == 3
        and float(params.get("delta_p", 1.0)) == 1.0
        and float(params.get("cbar0", 1e-4)) == 1e-4
    ):
        n = _check_against_reference(records, df, params, tolerance)
        need = tolerance["min_reference"]
        require(
            records,
            f"at least {need} values compared with the reference DMFT ({n})",
            int(n < need),
            reference_name=REFERENCE,
        )
    return records
