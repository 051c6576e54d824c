"""Data of ``langevin_threshold``: growth rates, escape times and extrapolated thresholds."""

from __future__ import annotations

import numpy as np
import pandas as pd

from highdim_dynamics.core.numerics import power_law_divergence_fit
from highdim_dynamics.core.progress import Progress
from highdim_dynamics.core.validation import ListOf, Real, constrained
from highdim_dynamics.figures._spiked_dmft_data import ESCAPE_LEVEL, spiked_constraints
from highdim_dynamics.spiked.dmft.thresholds import (
    extrapolate_threshold,
    growth_rate,
    late_growth_rates,
)

#: Times at which the instantaneous growth rate λ(t) = d ln C̄/dt of the linear regime is
#: reported (those the reference DMFT tabulates).
GROWTH_TIMES = (300.0, 500.0, 1000.0, 2000.0)


@constrained(
    spiked_constraints(
        "p", "delta_p", "cbar0", "t_max", "temperature", "seed", delta2_values=ListOf(Real(gt=0))
    )
)
def data(
    *, p=3, delta_p=1.0, delta2_values, cbar0=1e-4, t_max=2000.0, temperature=1.0, seed=0
) -> pd.DataFrame:
    """Late growth rate (linear regime) and escape time (fixed C̄(0)) vs Δ2, and the
    extrapolated threshold Δ2* of both criteria (PRX 2020, Fig. 4).

    Both come from the DMFT engine (:func:`highdim_dynamics.spiked.solve_dmft` at its
    converged defaults): the growth rates from linear-regime runs
    (:func:`highdim_dynamics.spiked.dmft.thresholds.late_growth_rates`), the escape times
    t(C̄ = 0.3) from runs at C̄(0) = ``cbar0`` (``value_err``: the engine's error estimate;
    escape times not reached by ``t_max`` are written as NaN).  Deterministic (``seed``
    unused).

    Tidy columns ``method, p, delta_p, temperature, delta2, quantity, value, value_err``:
    ``quantity`` ∈ {lambda_late, lambda_early, growth_rate_<t> (λ(t) at t in
    :data:`GROWTH_TIMES` up to t_max), escape_time} (method ``dmft``) and ``threshold``
    (method ``growth_rate`` with error bar, ``escape_fit`` the power-law fit of the escape
    times at fixed C̄(0), ``theory`` the closed-form line).
    """
    from highdim_dynamics.spiked.dmft import solve_dmft
    from highdim_dynamics.spiked.theory.algorithmic_lines import langevin_line

    delta2_values = sorted(delta2_values)
    rows = []
    base = dict(p=p, delta_p=delta_p, temperature=temperature)
    lam_late, lam_early = [], []
    bar = Progress("growth rates", len(delta2_values))
    for d2 in delta2_values:
        r = late_growth_rates(p, d2, delta_p, temperature=temperature, t_max=t_max)
        lam_late.append(r["lambda_late"])
        lam_early.append(r["lambda_early"])
        for q in ("lambda_late", "lambda_early"):
            rows.append(
                dict(base, method="dmft", delta2=d2, quantity=q, value=r[q], value_err=np.nan)
            )
        t, lam = r["df"]["t"].to_numpy(), growth_rate(r["df"])
        for tg in GROWTH_TIMES:
            if tg <= r["t_end"]:
                rows.append(
                    dict(
                        base,
                        method="dmft",
                        delta2=d2,
                        quantity=f"growth_rate_{tg:g}",
                        value=float(np.interp(tg, t, lam)),
                        value_err=np.nan,
                    )
                )
        bar.update()
    esc = []
    bar = Progress("escape times", len(delta2_values))
    for d2 in delta2_values:
        df = solve_dmft(p, d2, delta_p, temperature=temperature, cbar0=cbar0, t_max=t_max)
        esc.append(df.attrs["escape_times"][ESCAPE_LEVEL])
        finite = np.isfinite(esc[-1])
        rows.append(
            dict(
                base,
                method="dmft",
                delta2=d2,
                quantity="escape_time",
                value=esc[-1] if finite else np.nan,
                value_err=esc[-1] * df.attrs["error"]["escape_time_rel"] if finite else np.nan,
            )
        )
        bar.update()
    star, err = extrapolate_threshold(delta2_values, lam_late, lam_early)
    rows.append(
        dict(
            base, method="growth_rate", delta2=star, quantity="threshold", value=star, value_err=err
        )
    )
    star_e, theta = power_law_divergence_fit(
        delta2_values, np.where(np.isfinite(esc), esc, np.nan), side="below"
    )
    rows.append(
        dict(
            base,
            method="escape_fit",
            delta2=star_e,
            quantity="threshold",
            value=star_e,
            value_err=np.nan,
        )
    )
    th = 1.0 / langevin_line(p, delta_p, temperature)
    rows.append(
        dict(base, method="theory", delta2=th, quantity="threshold", value=th, value_err=0.0)
    )
    return pd.DataFrame(rows)
