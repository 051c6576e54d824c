"""Data of ``sgd_three_clusters_batch``: SGD on 3 clusters per batch fraction, DMFT and simulations."""

from __future__ import annotations

import pandas as pd

from highdim_dynamics.core.validation import ListOf, Real, constrained
from highdim_dynamics.figures._gaussian_mixture_data import curve_rows, gm_constraints


@constrained(
    gm_constraints(
        "alpha",
        "delta",
        "L",
        "lam",
        "eta",
        "R",
        "m0",
        "loss",
        "t_max",
        "p",
        "runs",
        "n_paths",
        "seed",
        b_values=ListOf(Real(gt=0, le=1)),
    )
)
def data(
    *,
    alpha=3.0,
    delta=0.05,
    L=0.7,
    lam=0.0,
    eta=0.2,
    R=0.01,
    m0=0.1,
    b_values=(0.1, 0.3, 1.0),
    loss="logistic",
    t_max=20.0,
    p=1000,
    runs=10,
    n_paths=4000,
    seed=0,
) -> pd.DataFrame:
    """SGD on 3 clusters for several batch fractions b (b = 1 is GD).

    Paper Fig. 3 (arXiv:2006.06098).  ``m = 0`` is invariant for 3 clusters: DMFT and
    simulations both start from ``w(0) = m0 v* + sqrt(R) z``.  One ``curve`` per b, DMFT
    and simulation rows (:func:`~highdim_dynamics.figures._gaussian_mixture_data.curve_rows`).
    """
    specs = [
        dict(
            alpha=alpha,
            delta=delta,
            L=L,
            lam=lam,
            eta=eta,
            R=R,
            m0=m0,
            loss=loss,
            clusters=3,
            algorithm="gd" if bb == 1.0 else "sgd",
            b=bb,
            curve="GD" if bb == 1.0 else f"SGD b={bb:g}",
        )
        for bb in b_values
    ]
    return curve_rows(
        specs,
        p=p,
        runs=runs,
        n_paths=n_paths,
        t_max=t_max,
        seed=seed,
        what="sgd_three_clusters_batch",
    )
