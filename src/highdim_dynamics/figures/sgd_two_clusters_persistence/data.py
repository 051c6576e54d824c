"""Data of ``sgd_two_clusters_persistence``: SGD and persistent SGD, DMFT and simulations."""

from __future__ import annotations

import pandas as pd

from highdim_dynamics.core.validation import ListOf, Real, constrained
from highdim_dynamics.figures._gaussian_mixture_data import STEP, curve_rows, gm_constraints


@constrained(
    gm_constraints(
        "alpha",
        "delta",
        "lam",
        "eta",
        "R",
        "b",
        "loss",
        "t_max",
        "p",
        "runs",
        "n_paths",
        "seed",
        tau_values=ListOf(Real(gt=0)),
    ),
    [STEP],
)
def data(
    *,
    alpha=2.0,
    delta=0.5,
    lam=0.0,
    eta=0.2,
    R=0.01,
    b=0.3,
    tau_values=(1.0, 2.0, 4.0),
    loss="logistic",
    t_max=50.0,
    p=1000,
    runs=10,
    n_paths=4000,
    seed=0,
) -> pd.DataFrame:
    """SGD (batch fraction b) and persistent SGD (same b, several tau) on 2 clusters.

    Paper Fig. 2 (left/centre; arXiv:2006.06098): persistent SGD approaches SGD as tau
    decreases towards ``eta/b`` (where it *is* SGD).  One ``curve`` per algorithm,
    DMFT and simulation rows
    (:func:`~highdim_dynamics.figures._gaussian_mixture_data.curve_rows`).
    """
    base = dict(alpha=alpha, delta=delta, lam=lam, eta=eta, R=R, loss=loss, b=b)
    specs = [dict(base, algorithm="sgd", curve=f"SGD b={b:g}")]
    specs += [
        dict(base, algorithm="persistent_sgd", tau=t, curve=f"p-SGD τ={t:g}") for t in tau_values
    ]
    return curve_rows(
        specs,
        p=p,
        runs=runs,
        n_paths=n_paths,
        t_max=t_max,
        seed=seed,
        what="sgd_two_clusters_persistence",
    )
