"""Data of ``gradient_flow_phase_diagram``: theory lines on a Δp grid and DMFT points."""

from __future__ import annotations

import numpy as np
import pandas as pd

from highdim_dynamics.core.progress import Progress
from highdim_dynamics.core.validation import Int, Less, ListOf, Optional, Real, Seed, constrained
from highdim_dynamics.spiked.dmft.thresholds import (
    CONVERGENCE_CBAR0,
    gradient_flow_convergence_points,
    gradient_flow_dmft_threshold_points,
)
from highdim_dynamics.spiked.theory.bayes_optimal import bayes_optimal_thresholds
from highdim_dynamics.spiked.theory.thresholds import (
    gradient_flow_line_bbp,
    langevin_line,
    ml_amp_line_stability,
    trivialisation_line,
)

#: Line name → definition of the trivialisation (``spiked.theory.thresholds.trivialisation_line``).
TRIVIALISATION_LINES = {
    "trivialisation_m0": "m0",
    "trivialisation_m_nonneg": "m_nonneg",
    "trivialisation_all_m": "all_m",
}


def delta_p_grid(delta_p_min: float, delta_p_max: float, n_delta_p: int) -> np.ndarray:
    """``n_delta_p`` evenly spaced values of Δp, plus Δp = 1 exactly when inside the range."""
    grid = np.linspace(delta_p_min, delta_p_max, n_delta_p)
    if delta_p_min <= 1.0 <= delta_p_max:
        near = np.abs(grid - 1.0) < 1e-9
        grid = grid[~near]  # a linspace point at 1 ± 1 ulp would duplicate Δp = 1
        grid = np.sort(np.append(grid, 1.0))
    return grid


@constrained(
    dict(
        p_values=ListOf(Int(3)),
        delta_p_min=Real(gt=0),
        delta_p_max=Real(gt=0),
        n_delta_p=Int(2),
        dmft_delta_p_values=Optional(ListOf(Real(gt=0))),
        dmft_t_max=Real(gt=0),
        convergence_delta_p_values=Optional(ListOf(Real(gt=0))),
        convergence_cbar0=Real(gt=0, lt=0.3),
        seed=Seed(),
    ),
    [Less("delta_p_min", "delta_p_max")],
)
def data(
    *,
    p_values,
    delta_p_min: float,
    delta_p_max: float,
    n_delta_p: int,
    dmft_delta_p_values=None,
    dmft_t_max: float = 400.0,
    convergence_delta_p_values=None,
    convergence_cbar0: float = CONVERGENCE_CBAR0,
    seed: int = 0,
) -> pd.DataFrame:
    """Landscape and algorithmic thresholds in the (Δp, 1/Δ2) plane (deterministic).

    Parameters
    ----------
    p_values : list of int
        Tensor orders (each ≥ 3), one panel each.
    delta_p_min, delta_p_max : float
        Range of Δp (> 0); Δp = 1 is added to the grid when inside the range.
    n_delta_p : int
        Number of evenly spaced Δp values (≥ 2).
    dmft_delta_p_values : list of float, optional
        Δp of the gradient-flow DMFT threshold points (zero of the late growth rate of
        the overlap in the linear regime, ``spiked.dmft.thresholds``); none if omitted.
    dmft_t_max : float
        Length of each DMFT run for those points.
    convergence_delta_p_values : list of float, optional
        Δp of the gradient-flow points obtained as in Passed & Spurious, Fig. 1: the T = 0
        DMFT convergence time t(C̄ = 0.3) from C̄(0) = ``convergence_cbar0`` at four 1/Δ2
        above the line, fitted by A (1/Δ2 − x*)^(−θ) and extrapolated to its divergence x*
        (``spiked.dmft.thresholds.gradient_flow_convergence_points``); none if omitted.
    convergence_cbar0 : float
        C̄(0) of the convergence-time runs.
    seed : int
        Unused (the figure is deterministic).

    Returns
    -------
    DataFrame
        Columns ``p, delta_p, line, inv_delta2, method`` (+ ``inv_delta2_err``, the DMFT
        extrapolation error, NaN for theory rows).  ``line``: ``trivialisation_m0``,
        ``trivialisation_m_nonneg``, ``trivialisation_all_m`` (Kac-Rice),
        ``gradient_flow`` (θ = 1 BBP route), ``ml_amp`` (numerical stability of m = 0 in
        the ML-AMP state evolution), ``langevin_T1`` (threshold states
        at T = 1), and the Bayes-optimal ``amp``, ``it`` lines (``method = theory``), and
        ``gradient_flow_dmft`` (``method = dmft``), ``gradient_flow_convergence``
        (``method = dmft_convergence``: the extrapolated x*, with its error) and
        ``convergence_time`` (``method = dmft_convergence_time``: the fitted times, column
        ``t_conv``, at ``inv_delta2``).
    """
    dp = delta_p_grid(delta_p_min, delta_p_max, n_delta_p)
    bar = Progress("gradient_flow_phase_diagram (theory lines)", total=len(p_values))
    frames = []
    for p in p_values:
        lines = {
            name: trivialisation_line(p, dp, definition)
            for name, definition in TRIVIALISATION_LINES.items()
        }
        lines["gradient_flow"] = gradient_flow_line_bbp(p, dp)
        lines["ml_amp"] = ml_amp_line_stability(p, dp)
        lines["langevin_T1"] = np.array([langevin_line(p, d, 1.0) for d in dp])
        bayes = [bayes_optimal_thresholds(p, d, clip=True) for d in dp]
        lines["amp"] = np.array([b["amp"] for b in bayes])
        lines["it"] = np.array([b["it"] for b in bayes])
        for name, values in lines.items():
            frames.append(
                pd.DataFrame(
                    dict(
                        p=p,
                        delta_p=dp,
                        line=name,
                        inv_delta2=values,
                        inv_delta2_err=np.nan,
                        method="theory",
                    )
                )
            )
        bar.update(note=f"p = {p}")
    if dmft_delta_p_values is not None:
        pts = gradient_flow_dmft_threshold_points(
            p_values, dmft_delta_p_values, t_max=dmft_t_max, progress=True
        )
        frames.append(
            pd.DataFrame(
                dict(
                    p=pts["p"],
                    delta_p=pts["delta_p"],
                    line="gradient_flow_dmft",
                    inv_delta2=pts["inv_delta2"],
                    inv_delta2_err=pts["inv_delta2_err"],
                    method="dmft",
                )
            )
        )
    if convergence_delta_p_values is not None:
        pts, times = gradient_flow_convergence_points(
            p_values, convergence_delta_p_values, cbar0=convergence_cbar0, progress=True
        )
        frames.append(
            pd.DataFrame(
                dict(
                    p=pts["p"],
                    delta_p=pts["delta_p"],
                    line="gradient_flow_convergence",
                    inv_delta2=pts["inv_delta2"],
                    inv_delta2_err=pts["inv_delta2_err"],
                    method="dmft_convergence",
                )
            )
        )
        frames.append(
            pd.DataFrame(
                dict(
                    p=times["p"],
                    delta_p=times["delta_p"],
                    line="convergence_time",
                    inv_delta2=times["inv_delta2"],
                    inv_delta2_err=np.nan,
                    t_conv=times["t_conv"],
                    method="dmft_convergence_time",
                )
            )
        )
    return pd.concat(frames, ignore_index=True)
