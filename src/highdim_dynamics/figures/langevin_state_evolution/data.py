"""Data of ``langevin_state_evolution``: one DMFT run per Δ2."""

from __future__ import annotations

import pandas as pd

from highdim_dynamics.core.progress import Progress
from highdim_dynamics.core.validation import ListOf, Real, constrained
from highdim_dynamics.figures._spiked_dmft_data import spiked_constraints, tidy_dmft


@constrained(
    spiked_constraints(
        "p", "delta_p", "cbar0", "t_max", "temperature", "seed", delta2_values=ListOf(Real(gt=0))
    )
)
def data(
    *,
    p=3,
    delta_p=1.0,
    delta2_values,
    cbar0=1e-4,
    t_max=2000.0,
    extrapolate=False,
    temperature=1.0,
    seed=0,
) -> pd.DataFrame:
    """DMFT C̄(t), μ(t), e(t) of Langevin at T = 1 for several Δ2 (PRX 2020, Fig. 3).

    One :func:`highdim_dynamics.spiked.solve_dmft` run per Δ2 at its (converged) defaults;
    ``extrapolate`` uses its Richardson pair instead.  Columns ``method, p, delta_p,
    delta2, temperature, cbar0, t, cbar, mu, energy``.  Deterministic (``seed`` unused).
    """
    from highdim_dynamics.spiked.dmft import solve_dmft

    bar = Progress("langevin_state_evolution", len(delta2_values))
    frames = []
    for d2 in delta2_values:
        df = solve_dmft(
            p,
            d2,
            delta_p,
            temperature=temperature,
            cbar0=cbar0,
            t_max=t_max,
            extrapolate=bool(extrapolate),
            error_estimate=False,
        )
        # 2000 log-spaced rows: the escape times read from the CSV move by < 0.05%
        frames.append(
            tidy_dmft(
                df, 2000, p=p, delta_p=delta_p, delta2=d2, temperature=temperature, cbar0=cbar0
            )
        )
        bar.update()
    return pd.concat(frames, ignore_index=True)
