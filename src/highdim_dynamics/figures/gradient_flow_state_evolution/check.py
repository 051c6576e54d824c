"""Check of ``gradient_flow_state_evolution``: exact long-time identities of gradient flow."""

from __future__ import annotations

from highdim_dynamics.checking import at_most, require
from highdim_dynamics.figures._spiked_dmft_checks import (check_plateaus, escape_times_by,
                                                          not_monotonic)
from highdim_dynamics.figures._spiked_dmft_data import ESCAPE_LEVEL
from highdim_dynamics.spiked.algorithmic_lines import gradient_flow_line
from highdim_dynamics.spiked.fixed_points import ml_amp_fixed_point

PLATEAU = "ML-AMP fixed point m = Q'(m)/√(Q'(m)² + Q'(1)) and μ(∞) = B + Q''(1)/B"


def check(df, params, tolerance):
    """T = 0: escaped runs converge to the ML-AMP fixed point (``plateau_atol``) and
    μ → B + Q''(1)/B (``mu_rtol``), at least ``min_plateaus`` of them; the runs below the
    GF line (1/Δ2 < (1 − ``line_margin``) × closed form) have not escaped at t_max (their
    energy plateaus), and escape times decrease with 1/Δ2."""

    def reference(p, d2, dp):
        m, b = ml_amp_fixed_point(p, d2, dp)
        return m, b + (1.0 / d2 + (p - 1) / dp) / b

    records: list = []
    n = check_plateaus(records, df, tolerance, reference, PLATEAU)
    need = tolerance.get("min_plateaus", 1)
    require(records, f"at least {need} runs converged to a plateau ({n})", int(n < need),
            reference_name=PLATEAU)
    for (p, dp, y), g in df.groupby(["p", "delta_p", "inv_delta2"]):
        line = gradient_flow_line(int(p), dp)
        if y < line * (1 - tolerance["line_margin"]):
            at_most(records, f"max C̄ below the GF line (1/Δ2 = {y:.4g} < {line:.4g})",
                    g["cbar"].max(), ESCAPE_LEVEL,
                    reference_name="closed-form GF line 1/Δ2² = 1/Δ2 + (p−1)/Δp: no escape below it")
    esc = escape_times_by(df, "inv_delta2")
    require(records, "escape times decrease with 1/Δ2", not_monotonic(esc, increasing=False),
            reference_name="the GF line (faster escape further above it)",
            detail=f"escape times {esc}")
    return records
