"""Data of ``gradient_flow_state_evolution``: one T = 0 DMFT run per 1/Δ2."""

from __future__ import annotations

import pandas as pd

from highdim_dynamics.core.progress import Progress
from highdim_dynamics.core.validation import ListOf, Real, constrained
from highdim_dynamics.figures._spiked_dmft_data import spiked_constraints, tidy_dmft


@constrained(
    spiked_constraints(
        "p", "delta_p", "cbar0", "t_max", "seed", inv_delta2_values=ListOf(Real(gt=0))
    )
)
def data(*, p=3, delta_p=1.0, inv_delta2_values, cbar0=1e-4, t_max=400.0, seed=0) -> pd.DataFrame:
    """DMFT of gradient flow (T = 0): C̄(t), μ(t) and e(t) for several 1/Δ2 (NeurIPS 2019,
    Fig. 2).  Columns as ``langevin_state_evolution`` (temperature = 0) plus ``inv_delta2``.

    One :func:`highdim_dynamics.spiked.solve_dmft` run per 1/Δ2 at its defaults.
    """
    from highdim_dynamics.spiked.dmft import solve_dmft

    inv = inv_delta2_values
    bar = Progress("gradient_flow_state_evolution", len(inv))
    frames = []
    for y in inv:
        df = solve_dmft(
            p, 1.0 / y, delta_p, temperature=0.0, cbar0=cbar0, t_max=t_max, error_estimate=False
        )
        frames.append(
            tidy_dmft(df, 2000, p=p, delta_p=delta_p, delta2=1.0 / y, temperature=0.0, cbar0=cbar0)
        )
        bar.update()
    out = pd.concat(frames, ignore_index=True)
    out["inv_delta2"] = 1.0 / out["delta2"]
    return out
