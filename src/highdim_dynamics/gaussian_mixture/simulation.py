"""Finite-p simulations of GD, SGD and persistent SGD on the Gaussian mixture.

Mignacco et al. (NeurIPS 2020, arXiv:2006.06098), Sec. 2, Eqs. (3)-(5): the update
``w(t + eta) = w(t) - eta [lam w(t) + sum_mu s_mu(t) Lambda'(y_mu, r_mu(t)) x_mu/sqrt(p)]``
with selection variables ``s_mu(t)`` (GD: 1; SGD: i.i.d. Bernoulli(b); persistent SGD: a
two-state Markov chain of persistence time tau), see :mod:`.model`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from highdim_dynamics.core.jit import set_threads
from highdim_dynamics.core.progress import Progress
from highdim_dynamics.core.seeding import spawn_generators
from highdim_dynamics.core.validation import check_trajectory, integer, nonnegative, positive

from . import _kernels
from .model import (
    DIVERGED_C,
    LOSSES,
    check_step,
    draw_clusters,
    draw_selection,
    generalisation_error,
    validate_algorithm,
    validate_problem,
    validate_sharpness,
)

SIM_CHUNKS = 8  # fixed split of the gradient sum over samples (thread-count independent)


def simulate_runs(
    *,
    alpha,
    delta,
    lam=0.0,
    loss="logistic",
    clusters=2,
    L=0.7,
    algorithm="gd",
    eta=0.2,
    b=None,
    tau=None,
    R=0.01,
    m0=0.0,
    p=1000,
    t_max=10.0,
    runs=10,
    seed=0,
    threads=None,
    sharpness=None,
):
    """Simulate ``runs`` independent data sets and initialisations; one row per run and step.

    Parameters
    ----------
    alpha, delta : float
        Sample ratio n/p and cluster variance Delta (both > 0).
    lam : float
        Ridge penalty lambda >= 0.
    loss : {'logistic', 'square', 'hinge', 'smooth_hinge'}
    clusters : {2, 3}
    L : float
        Threshold of the 3-cluster output ``r^2 - L^2``.
    algorithm : {'gd', 'sgd', 'persistent_sgd'}
    eta : float
        Learning rate = time step.
    b, tau : float
        Batch fraction in (0, 1] and persistence time (persistent SGD only).
    R : float
        Initial variance: ``w(0) = m0 v* + sqrt(R) N(0, I_p)``.
    m0 : float
        Initial mean overlap (3 clusters: ``m = 0`` is invariant, start from m0 > 0).
    p : int
        Dimension; ``n = round(alpha p)`` samples.
    t_max : float
        Final time; ``round(t_max/eta)`` steps.
    runs : int
        Independent runs (fresh data, initialisation and selections each).
    seed : int
    threads : int, optional
        Numba threads (results do not depend on it).
    sharpness : float, optional
        beta of ``smooth_hinge`` (required there, not allowed for the other losses).

    Returns
    -------
    pandas.DataFrame
        Columns ``run, step, t, m, C, generalisation_error, training_loss, training_error``.
    """
    alpha, delta, lam, loss, clusters, L = validate_problem(alpha, delta, lam, loss, clusters, L)
    algorithm, eta, b, tau = validate_algorithm(algorithm, eta, b, tau)
    beta = validate_sharpness(loss, sharpness)
    check_step(eta, alpha, delta, lam, loss, clusters)
    R = nonnegative("R", R)
    m0 = nonnegative("m0", m0)
    p = integer("p", p, minimum=2)
    t_max = positive("t_max", t_max)
    runs = integer("runs", runs, minimum=1)
    steps = max(1, int(round(t_max / eta)))
    n = max(1, int(round(alpha * p)))
    set_threads(threads)
    frames = []
    bar = Progress(f"simulate {algorithm} p={p}", total=runs)
    for run, rng in enumerate(spawn_generators(seed, runs)):
        c, y = draw_clusters(rng, n, clusters)
        X = (c[:, None] / np.sqrt(p) + np.sqrt(delta) * rng.standard_normal((n, p))).astype(
            np.float32
        )
        w = m0 + np.sqrt(R) * rng.standard_normal(p)
        sel = draw_selection(rng, n, steps, algorithm, eta, b, tau)
        out = [np.empty(steps + 1) for _ in range(4)]
        _kernels.simulate_run(
            X,
            np.ascontiguousarray(X.T),
            y,
            w,
            sel,
            eta,
            lam,
            LOSSES[loss],
            clusters,
            L * L,
            beta,
            SIM_CHUNKS,
            *out,
        )
        m, C, tl, te = out
        check_trajectory(
            f"{algorithm} simulation (run {run})",
            eta * np.arange(steps + 1),
            C,
            limit=DIVERGED_C,
            hint="reduce eta or increase lam",
        )
        frames.append(
            pd.DataFrame(
                {
                    "run": run,
                    "step": np.arange(steps + 1),
                    "t": eta * np.arange(steps + 1),
                    "m": m,
                    "C": C,
                    "generalisation_error": generalisation_error(m, C, delta, clusters, L),
                    "training_loss": tl,
                    "training_error": te,
                }
            )
        )
        bar.update()
    return pd.concat(frames, ignore_index=True)


def simulate(**kwargs) -> pd.DataFrame:
    """Mean over runs and standard error of the mean, per time (see :func:`simulate_runs`).

    Returns columns ``t, m, C, generalisation_error, training_loss, training_error`` and
    ``<column>_sem`` (std over runs / sqrt(runs); 0 for a single run).
    """
    df = simulate_runs(**kwargs)
    cols = ["m", "C", "generalisation_error", "training_loss", "training_error"]
    grouped = df.groupby("t", sort=True)[cols]
    mean = grouped.mean()
    runs = df["run"].nunique()
    sem = grouped.std(ddof=1).fillna(0.0) / np.sqrt(runs) if runs > 1 else mean * 0.0
    out = mean.join(sem.add_suffix("_sem")).reset_index()
    return out
