"""Check of ``langevin_state_evolution``: escape times against independent converged values,
plateaus against the Bayes-AMP fixed point."""

from __future__ import annotations

from highdim_dynamics.core.checking import require
from highdim_dynamics.figures._spiked_dmft_checks import (
    check_escape_references,
    check_plateaus,
    escape_times_by,
    not_monotonic,
)
from highdim_dynamics.spiked.theory.bayes_optimal import bayes_amp_fixed_point

PLATEAU = "Bayes-AMP fixed point m = Q'(m)/(1 + Q'(m)) and μ(∞) = 1 + Q'(1)"


def check(df, params, tolerance):
    """T = 1: escape times within ``escape_rtol`` of independent converged values
    (``escape_references``, at least ``min_escape_references``); escaped runs converge to
    the Bayes-AMP fixed point m* (``plateau_atol``) and μ → 1 + Q'(1) (``mu_rtol``), at
    least ``min_plateaus`` of them; escape times grow with Δ2."""

    def reference(p, d2, dp):
        return bayes_amp_fixed_point(p, d2, dp), 1.0 + 1.0 / d2 + 1.0 / dp

    records: list = []
    n_esc = check_escape_references(records, df, tolerance, 1.0)
    need = tolerance.get("min_escape_references", 1)
    require(
        records,
        f"at least {need} escape times compared ({n_esc})",
        int(n_esc < need),
        reference_name="the table's escape_references",
    )
    n = check_plateaus(records, df, tolerance, reference, PLATEAU)
    need = tolerance.get("min_plateaus", 1)
    require(
        records,
        f"at least {need} runs converged to a plateau ({n})",
        int(n < need),
        reference_name=PLATEAU,
    )
    esc = escape_times_by(df, "delta2")
    require(
        records,
        "escape times grow with Δ2",
        not_monotonic(esc, increasing=True),
        reference_name="the Langevin threshold (slower escape closer to it)",
        detail=f"escape times {esc}",
    )
    return records
