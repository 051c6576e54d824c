"""Checks shared by the Gaussian-mixture SGD figures: DMFT against finite-p simulations,
and one GD step from w = 0 against its closed form.

The DMFT never sees a data matrix, so its agreement with the simulations within their
error bars is a comparison of two independent computations.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from highdim_dynamics.core.checking import at_most, compare
from highdim_dynamics.figures._gaussian_mixture_data import OBSERVABLES
from highdim_dynamics.gaussian_mixture.model import hebbian_one_step_error

SIMULATION_REFERENCE = "finite-p simulations (mean ± s.e. over runs on sampled data matrices)"


def agreement(
    df: pd.DataFrame, tolerance: dict, observables=OBSERVABLES, records: list | None = None
) -> list:
    """DMFT and simulation agree within the error bars on every plotted observable.

    For every curve, time and observable (m, C, generalisation error, training loss,
    training error): ``|dmft - sim| <= z_max * sqrt(sem_sim^2 + sem_dmft^2) + atol``.
    ``z_max`` covers the Monte-Carlo errors (the maximum over a few hundred strongly
    correlated times); ``atol`` the O(1/p) finite-size bias of the simulations (measured,
    see the figure table's justification).  ``t_min`` skips the first steps if asked.
    One record per (curve, observable), appended to ``records`` if given
    (and returned): the largest excess of |dmft − sim| over
    ``z_max`` combined standard errors, against the tolerance ``atol``.
    """
    z_max = float(tolerance["z_max"])
    atol = float(tolerance.get("atol", 0.0))
    t_min = float(tolerance.get("t_min", 0.0))
    sim = df[df.method == "simulation"]
    dm = df[df.method == "dmft"]
    if not (len(sim) and len(dm)):
        raise AssertionError("the figure needs both dmft and simulation rows")
    records = [] if records is None else records
    for curve in dict.fromkeys(dm.curve):
        if not (sim.curve == curve).any():
            raise AssertionError(f"curve {curve!r} has no simulation rows")
    for curve, s in sim.groupby("curve", sort=False):
        d = dm[dm.curve == curve]
        if not len(d):
            raise AssertionError(f"curve {curve!r} has no dmft rows")
        j = s.merge(d, on="t", suffixes=("_s", "_d"))
        j = j[j.t >= t_min - 1e-12]
        if len(j) < 2:
            raise AssertionError(f"curve {curve!r}: dmft and simulation share no times")
        for o in observables:
            diff = np.abs(j[o + "_d"] - j[o + "_s"]).to_numpy()
            err = np.hypot(j[o + "_sem_s"], j[o + "_sem_d"]).to_numpy()
            excess = diff - z_max * err
            k = int(np.argmax(excess))
            compare(
                records,
                f"{o} of {curve}: |DMFT − simulation| − {z_max:g} s.e. "
                f"(worst t = {j.t.iloc[k]:g}: DMFT {j[o + '_d'].iloc[k]:.5f}, "
                f"simulation {j[o + '_s'].iloc[k]:.5f} ± {j[o + '_sem_s'].iloc[k]:.5f})",
                max(float(excess[k]), 0.0),
                0.0,
                atol,
                reference_name=SIMULATION_REFERENCE,
            )
    return records


CLOSED_FORM = "closed form of one GD step from w = 0: erfc(sqrt(alpha/(2 Delta (alpha + Delta))))/2"


def one_step(records: list, df: pd.DataFrame, tolerance: dict) -> None:
    """One GD step from w = 0 against its closed form (the Bayes-optimal error).

    eps_g = erfc(sqrt(alpha/(2 Delta (alpha + Delta))))/2
    (:func:`~highdim_dynamics.gaussian_mixture.model.hebbian_one_step_error`): the DMFT
    within ``dmft_atol`` (its first step from R = 0 has no Monte-Carlo error), the
    simulation within ``z_max`` of its standard errors plus ``atol``.
    """
    rows = df[(df.R == 0.0) & (df.algorithm == "gd") & (df.clusters == 2)]
    if not len(rows):
        raise AssertionError("no GD curve from R = 0")
    for method, tol in (("dmft", float(tolerance["dmft_atol"])), ("simulation", None)):
        r = rows[rows.method == method]
        r1 = r[np.isclose(r.t, r.eta)]
        if len(r1) != 1:
            raise AssertionError(f"{method}: expected one row at t = eta")
        ref = hebbian_one_step_error(float(r1.alpha.iloc[0]), float(r1.delta.iloc[0]))
        got = float(r1.generalisation_error.iloc[0])
        if tol is None:
            tol = float(tolerance["z_max"]) * float(r1.generalisation_error_sem.iloc[0]) + float(
                tolerance.get("atol", 0.0)
            )
        compare(
            records,
            f"{method}: generalisation error after one GD step from w = 0",
            got,
            ref,
            tol,
            reference_name=CLOSED_FORM,
        )


def bayes_bound(records: list, df: pd.DataFrame, tolerance: dict) -> None:
    """No DMFT curve goes below the Bayes-optimal error (the one-step error from w = 0) by
    more than ``dmft_mc_atol`` (the DMFT's Monte-Carlo error)."""
    ref = hebbian_one_step_error(float(df.alpha.iloc[0]), float(df.delta.iloc[0]))
    worst = float(df[df.method == "dmft"].generalisation_error.min())
    at_most(
        records,
        "Bayes-optimal error − smallest DMFT generalisation error",
        ref - worst,
        float(tolerance["dmft_mc_atol"]),
        reference_name=CLOSED_FORM + " (no classifier beats it)",
    )
