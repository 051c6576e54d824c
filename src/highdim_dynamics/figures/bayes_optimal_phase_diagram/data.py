"""Data of ``bayes_optimal_phase_diagram``: the threshold lines in the (Δp, 1/Δ2) plane."""

from __future__ import annotations

import numpy as np
import pandas as pd

from highdim_dynamics.core.progress import Progress
from highdim_dynamics.core.validation import Int, Less, ListOf, Real, Seed, constrained
from highdim_dynamics.spiked.theory.algorithmic_lines import (
    gradient_flow_line,
    langevin_line,
    ml_amp_line,
)
from highdim_dynamics.spiked.theory.bayes_optimal import bayes_optimal_thresholds


def delta_p_grid(delta_p_min: float, delta_p_max: float, n_delta_p: int) -> np.ndarray:
    """Evenly spaced Δp values, with Δp = 1 (the p = 3 tricritical point) always included."""
    grid = np.linspace(delta_p_min, delta_p_max, n_delta_p)
    if delta_p_min <= 1.0 <= delta_p_max:
        grid = np.unique(np.append(grid, 1.0))
    return grid


@constrained(
    dict(
        p_values=ListOf(Int(3)),
        delta_p_min=Real(gt=0),
        delta_p_max=Real(gt=0),
        n_delta_p=Int(2),
        seed=Seed(),
    ),
    [Less("delta_p_min", "delta_p_max")],
)
def data(
    *, p_values, delta_p_min: float, delta_p_max: float, n_delta_p: int, seed: int = 0
) -> pd.DataFrame:
    """Threshold lines in the (Δp, 1/Δ2) plane for each p (deterministic: ``seed`` unused).

    Returns
    -------
    DataFrame
        Columns ``p, delta_p, line, inv_delta2, method`` (method = ``theory``); ``line`` is
        one of ``amp, it, spinodal`` (Bayes-AMP state evolution and RS free entropy,
        :func:`highdim_dynamics.spiked.theory.bayes_optimal.bayes_optimal_thresholds`) or
        ``ml_amp, gradient_flow, langevin_T1`` (closed forms of
        :mod:`highdim_dynamics.spiked.theory.algorithmic_lines`).
    """
    grid = delta_p_grid(delta_p_min, delta_p_max, n_delta_p)
    bar = Progress("bayes_optimal_phase_diagram", total=len(p_values) * len(grid))
    rows = []
    for p in p_values:
        for dp in grid:
            lines = bayes_optimal_thresholds(p, dp, clip=True)
            lines.update(
                ml_amp=ml_amp_line(p, dp),
                gradient_flow=gradient_flow_line(p, dp),
                langevin_T1=langevin_line(p, dp, 1.0),
            )
            rows += [
                dict(p=p, delta_p=dp, line=k, inv_delta2=float(v), method="theory")
                for k, v in lines.items()
            ]
            bar.update(note=f"p = {p}, Δp = {dp:.3g}")
    return pd.DataFrame(rows)
