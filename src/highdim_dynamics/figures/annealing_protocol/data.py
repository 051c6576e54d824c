"""Data of ``annealing_protocol``: DMFT runs without and with annealing."""

from __future__ import annotations

import pandas as pd

from highdim_dynamics.core.validation import ListOf, Real, constrained
from highdim_dynamics.figures._spiked_dmft_data import spiked_constraints, tidy_dmft
from highdim_dynamics.spiked.dmft.anneal import AUTHORS_ANNEAL
from highdim_dynamics.spiked.theory.bayes_optimal import bayes_amp_fixed_point

#: The annealing protocol of PRX 2020 (Sec. VII) as the authors' public Langevin code defines
#: it: the tensor terms divided by Tp(t) = 1 + (c/Δp) e^{−t/τ}, i.e. Δp_eff = Δp + c e^{−t/τ}.
ANNEAL_C = AUTHORS_ANNEAL.c
ANNEAL_TAU = AUTHORS_ANNEAL.tau


@constrained(
    spiked_constraints(
        "p",
        "delta_p",
        "delta2",
        "cbar0",
        "t_max",
        "seed",
        anneal_c_values=ListOf(Real(gt=0)),
        anneal_tau=Real(gt=0),
    )
)
def data(
    *,
    p=3,
    delta_p=1.0,
    delta2=0.8,
    cbar0=1e-4,
    t_max=1000.0,
    anneal_c_values=(ANNEAL_C,),
    anneal_tau=ANNEAL_TAU,
    seed=0,
) -> pd.DataFrame:
    """Langevin (T = 1) DMFT with and without annealing of the tensor terms used by the
    algorithm, Δp_eff(t) = Δp + c e^{−t/τ} for t > 1 (Δp + c before; c = 0: no annealing;
    PRX 2020, Sec. VII: c = 100, τ = 70).

    One :func:`highdim_dynamics.spiked.solve_dmft` run per c at its converged defaults
    (``anneal`` = :class:`highdim_dynamics.spiked.dmft.Anneal`).  Columns of
    ``langevin_state_evolution`` plus ``anneal_c, anneal_tau`` and ``cbar_bayes_amp``, the
    Bayes-AMP fixed point the annealed run reaches (drawn by the plot).  Deterministic
    (``seed`` unused).
    """
    from highdim_dynamics.spiked.dmft import Anneal, solve_dmft

    cs = [0.0] + list(anneal_c_values)
    m_star = bayes_amp_fixed_point(p, delta2, delta_p)
    frames = []
    for c in cs:
        df = solve_dmft(
            p,
            delta2,
            delta_p,
            temperature=1.0,
            cbar0=cbar0,
            t_max=t_max,
            anneal=Anneal(c=c, tau=anneal_tau) if c > 0 else None,
            error_estimate=False,
        )
        g = tidy_dmft(df, 2000, p=p, delta_p=delta_p, delta2=delta2, temperature=1.0, cbar0=cbar0)
        g["anneal_c"] = c
        g["anneal_tau"] = anneal_tau
        g["cbar_bayes_amp"] = m_star
        frames.append(g)
    return pd.concat(frames, ignore_index=True)
