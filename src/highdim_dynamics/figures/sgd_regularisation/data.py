"""Data of ``sgd_regularisation``: SGD with ridge penalty on 2 and 3 clusters (and the hinge),
DMFT and simulations."""

from __future__ import annotations

import pandas as pd

from highdim_dynamics.core.validation import ListOf, Real, constrained
from highdim_dynamics.figures._gaussian_mixture_data import STEP_LAMS, curve_rows, gm_constraints


@constrained(
    gm_constraints(
        "eta",
        "b",
        "R",
        "alpha",
        "delta",
        "alpha3",
        "delta3",
        "L",
        "m0",
        "loss",
        "t_max",
        "p",
        "runs",
        "n_paths",
        "seed",
        lam_values=ListOf(Real(ge=0)),
        hinge_lam_values=ListOf(Real(ge=0)),
        hinge_sharpness=ListOf(Real(gt=0)),
    ),
    [STEP_LAMS],
)
def data(
    *,
    lam_values=(0.0, 0.1, 0.3),
    eta=0.2,
    b=0.3,
    R=0.01,
    alpha=2.0,
    delta=0.5,
    alpha3=3.0,
    delta3=0.05,
    L=0.7,
    m0=0.1,
    loss="logistic",
    t_max=20.0,
    p=1000,
    runs=10,
    n_paths=4000,
    hinge_lam_values=(0.1,),
    hinge_sharpness=(16.0, 32.0),
    seed=0,
) -> pd.DataFrame:
    """SGD (batch fraction b) with ridge penalty lambda, on 2 clusters and on 3 clusters.

    Paper Fig. 4 / App. (arXiv:2006.06098): effect of lambda on the generalisation error.
    Two-cluster curves with the hinge loss at ``hinge_lam_values`` (``loss = hinge``):
    simulations with the hinge itself, DMFT of the smoothed hinge at the two sharpnesses
    ``hinge_sharpness`` extrapolated to the hinge
    (:func:`~highdim_dynamics.gaussian_mixture.dmft.hinge_dmft`).  One ``curve`` per
    (clusters, lambda, loss), DMFT and simulation rows
    (:func:`~highdim_dynamics.figures._gaussian_mixture_data.curve_rows`).
    """
    specs = [
        dict(
            alpha=alpha,
            delta=delta,
            lam=lv,
            eta=eta,
            R=R,
            b=b,
            loss=loss,
            algorithm="sgd",
            curve=f"2 clusters λ={lv:g}",
        )
        for lv in lam_values
    ]
    specs += [
        dict(
            alpha=alpha,
            delta=delta,
            lam=lv,
            eta=eta,
            R=R,
            b=b,
            loss="hinge",
            sharpness_values=list(hinge_sharpness),
            algorithm="sgd",
            curve=f"2 clusters λ={lv:g} hinge",
        )
        for lv in hinge_lam_values
    ]
    specs += [
        dict(
            alpha=alpha3,
            delta=delta3,
            L=L,
            m0=m0,
            clusters=3,
            lam=lv,
            eta=eta,
            R=R,
            b=b,
            loss=loss,
            algorithm="sgd",
            curve=f"3 clusters λ={lv:g}",
        )
        for lv in lam_values
    ]
    return curve_rows(
        specs, p=p, runs=runs, n_paths=n_paths, t_max=t_max, seed=seed, what="sgd_regularisation"
    )
