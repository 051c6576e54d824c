"""Data of ``gd_two_clusters_init_variance``: full-batch GD from several R, DMFT and simulations."""

from __future__ import annotations

import pandas as pd

from highdim_dynamics.core.validation import ListOf, Real, constrained, nonnegative, sequence
from highdim_dynamics.figures._gaussian_mixture_data import STEP, curve_rows, gm_constraints


@constrained(
    gm_constraints(
        "alpha",
        "delta",
        "lam",
        "eta",
        "loss",
        "t_max",
        "p",
        "runs",
        "n_paths",
        "seed",
        R_values=ListOf(Real(ge=0)),
    ),
    [STEP],
)
def data(
    *,
    alpha=2.0,
    delta=0.5,
    lam=0.0,
    eta=0.2,
    R_values=(0.0, 0.01, 0.1, 1.0),
    loss="logistic",
    t_max=20.0,
    p=1000,
    runs=10,
    n_paths=4000,
    seed=0,
) -> pd.DataFrame:
    """Full-batch GD (b = 1) on 2 clusters from several initial variances R.

    Paper Fig. 1 (arXiv:2006.06098): from R = 0 the first step is the Hebbian,
    Bayes-optimal classifier; later steps (and every R > 0) do worse.  One ``curve`` per R,
    DMFT and simulation rows
    (:func:`~highdim_dynamics.figures._gaussian_mixture_data.curve_rows`).
    """
    R_values = sequence("R_values", R_values, nonnegative)
    specs = [
        dict(
            alpha=alpha,
            delta=delta,
            lam=lam,
            eta=eta,
            R=r,
            loss=loss,
            algorithm="gd",
            curve=f"R={r:g}",
        )
        for r in R_values
    ]
    return curve_rows(
        specs,
        p=p,
        runs=runs,
        n_paths=n_paths,
        t_max=t_max,
        seed=seed,
        what="gd_two_clusters_init_variance",
    )
