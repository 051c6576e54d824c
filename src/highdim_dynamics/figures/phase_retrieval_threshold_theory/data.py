"""Data of ``phase_retrieval_threshold_theory``: Lu–Li test case, end-point BBP criterion and
its linear extrapolation, end-point Hessian spectrum, and the criterion of the marginal 1RSB
states with its zero."""

from __future__ import annotations

import numpy as np
import pandas as pd

from highdim_dynamics.core.progress import Progress
from highdim_dynamics.core.seeding import spawn_generators
from highdim_dynamics.core.validation import (
    DivergenceError,
    Int,
    ListOf,
    ParameterError,
    Real,
    Seed,
    constrained,
)
from highdim_dynamics.phase_retrieval.lu_li import (
    endpoint_samples,
    law_from_samples,
    lu_li_curve,
    lu_li_outlier,
    lu_li_transition,
    optimal_phase_retrieval_law,
    sample_spectrum,
)
from highdim_dynamics.phase_retrieval.model import (
    random_sphere_points,
    sample_instance,
    tangent_hessian,
)
from highdim_dynamics.phase_retrieval.spherical_gradient_flow import spherical_gradient_descent
from highdim_dynamics.phase_retrieval.threshold_states import alpha_gd, threshold_state

COLUMNS = [
    "method",
    "panel",
    "alpha",
    "p",
    "overlap2",
    "overlap2_error",
    "top_eigenvalue",
    "bulk_edge",
    "criterion",
    "criterion_error",
    "lambda_min",
    "eigenvalue",
    "n_runs",
    "line",
]


@constrained(
    dict(
        p=Int(2),
        alpha_values=ListOf(Real(gt=0)),
        n_instances=Int(1),
        n_init=Int(1),
        spectrum_p=Int(2),
        delta_values=ListOf(Real(gt=0)),
        n_reps=Int(2),
        n_boot=Int(2),
        gd_alpha_values=ListOf(Real(gt=1)),
        seed=Seed(),
    )
)
def data(
    *,
    p: int,
    alpha_values,
    n_instances: int,
    n_init: int,
    spectrum_p: int,
    delta_values,
    n_reps: int,
    gd_alpha_values=(4.0, 8.0, 12.0, 16.0, 20.0),
    n_boot: int = 50,
    seed: int = 0,
) -> pd.DataFrame:
    """Lu--Li / BBP criterion: test case, end-point criterion vs alpha, end-point spectra.

    Rows (``panel`` column):

    * ``test_function``: Lu--Li theory for T = 1 - 1/y^2 on a fine delta grid
      (``method = theory``: ``overlap2, top_eigenvalue, bulk_edge, criterion``), its
      transition ``method = transition`` (bisection of the criterion), and finite-p spectra
      (``method = simulation``: mean squared overlap of the top eigenvector with the signal
      over ``n_reps`` matrices of size ``spectrum_p``, with its standard error);
    * ``endpoint_bbp``: for every alpha, gradient-descent runs (``n_instances`` x ``n_init``
      at size ``p``); the (s, T = 4 y^2 - 12 yhat^2) pairs of all failed end points give an
      empirical law whose Lu--Li criterion delta g(lambda_bar) - 1 (> 0: outlier toward the
      signal, i.e. an unstable direction) is reported with a bootstrap error over end
      points (``method = theory``); the measured end-point Hessians give, as
      ``method = simulation``, the mean smallest tangent-Hessian eigenvalue ``lambda_min``
      and the mean squared overlap ``overlap2`` of its eigenvector with the tangent signal
      direction, next to the Lu--Li prediction of the smallest bulk eigenvalue
      -(n/p) psi(lambda_bar) - mu_L (``bulk_edge``);
    * ``endpoint_bbp`` with ``method = fit``: :func:`extrapolation_rows`, the guide line
      through the end-point criterion;
    * ``hessian_spectrum``: all tangent-Hessian eigenvalues of the failed end points at the
      smallest alpha with failures (``eigenvalue``; ``method = simulation``);
    * ``endpoint_bbp`` with ``method = threshold_states``: :func:`threshold_state_rows`.
    """
    gd_alpha_values = sorted(gd_alpha_values)
    if len(gd_alpha_values) < 2:
        raise ParameterError(f"gd_alpha_values needs >= 2 values > 1, got {gd_alpha_values!r}")
    gens = spawn_generators(seed, len(alpha_values) * n_instances + len(delta_values) + 1)
    frames = []

    # (1) the test function T = 1 - 1/y^2
    law = optimal_phase_retrieval_law()
    grid = np.linspace(0.2, max(4.0, max(delta_values)), 96)
    th = lu_li_curve(law, grid).rename(columns={"delta": "alpha"})
    th.insert(0, "panel", "test_function")
    th.insert(0, "method", "theory")
    frames.append(
        th[["method", "panel", "alpha", "overlap2", "top_eigenvalue", "bulk_edge", "criterion"]]
    )
    frames.append(
        pd.DataFrame(
            dict(
                method="transition", panel="test_function", alpha=[lu_li_transition(law, 0.2, 2.0)]
            )
        )
    )
    t_of_y = lambda y: 1.0 - 1.0 / y**2  # noqa: E731
    bar = Progress(
        "phase_retrieval_threshold_theory",
        total=len(delta_values) + len(alpha_values) + len(gd_alpha_values) + 1,
    )
    for j, delta in enumerate(delta_values):
        rng = gens[len(alpha_values) * n_instances + j]
        res = [sample_spectrum(t_of_y, spectrum_p, delta, rng) for _ in range(n_reps)]
        ov = np.array([r["overlap2"] for r in res])
        frames.append(
            pd.DataFrame(
                dict(
                    method="simulation",
                    panel="test_function",
                    alpha=[res[0]["delta"]],
                    p=spectrum_p,
                    overlap2=ov.mean(),
                    overlap2_error=ov.std(ddof=1) / np.sqrt(n_reps),
                    top_eigenvalue=np.mean([r["top_eigenvalue"] for r in res]),
                    n_runs=n_reps,
                )
            )
        )
        bar.update(note=f"spectra delta={delta:g}")

    # (2) end points of gradient descent
    spectrum_done = False
    crit_alpha, crit_value = [], []
    for k, alpha in enumerate(alpha_values):
        S, T, mus, meas, eigs = [], [], [], [], []
        for i in range(n_instances):
            rng = gens[k * n_instances + i]
            inst = sample_instance(p, alpha, rng)
            runs, _, W = spherical_gradient_descent(
                inst, random_sphere_points(p, n_init, rng), grad_tol=1e-6, hessian_at_end=False
            )
            for r in np.flatnonzero(~runs.success.values):
                e = endpoint_samples(inst, W[:, r])
                H, B = tangent_hessian(inst, W[:, r])
                ev, evec = np.linalg.eigh(H)
                S.append(e["s"]), T.append(e["T"]), mus.append(e["mu_L"])
                meas.append((ev[0], float((evec[:, 0] @ (B.T @ e["v"])) ** 2)))
                eigs.append(ev)
        bar.update(note=f"alpha={alpha:g}: {len(S)} failed end points")
        if len(S) < 2:
            continue
        delta = inst.n / (p - 1)
        out = lu_li_outlier(law_from_samples(np.concatenate(S), np.concatenate(T)), delta)
        boot_rng = gens[-1]
        crit_b = []
        for _ in range(n_boot):
            idx = boot_rng.integers(0, len(S), size=len(S))
            lb = law_from_samples(
                np.concatenate([S[i] for i in idx]), np.concatenate([T[i] for i in idx])
            )
            crit_b.append(lu_li_outlier(lb, delta)["criterion"])
        meas = np.array(meas)
        edge = -(inst.n / p) * out["bulk_edge"] - np.mean(mus)
        crit_alpha.append(float(alpha)), crit_value.append(out["criterion"])
        frames.append(
            pd.DataFrame(
                dict(
                    method=["theory", "simulation"],
                    panel="endpoint_bbp",
                    alpha=float(alpha),
                    p=p,
                    criterion=[out["criterion"], np.nan],
                    criterion_error=[np.std(crit_b, ddof=1), np.nan],
                    bulk_edge=[edge, np.nan],
                    lambda_min=[np.nan, meas[:, 0].mean()],
                    overlap2=[out["overlap2"], meas[:, 1].mean()],
                    n_runs=len(S),
                )
            )
        )
        if not spectrum_done:
            spectrum_done = True
            frames.append(
                pd.DataFrame(
                    dict(
                        method="simulation",
                        panel="hessian_spectrum",
                        alpha=float(alpha),
                        p=p,
                        eigenvalue=np.concatenate(eigs),
                        n_runs=len(S),
                    )
                )
            )
            frames.append(
                pd.DataFrame(
                    dict(
                        method="theory",
                        panel="hessian_spectrum",
                        alpha=[float(alpha)],
                        p=p,
                        bulk_edge=edge,
                    )
                )
            )
    frames.append(threshold_state_rows(gd_alpha_values, bar))
    if len(crit_alpha) >= 2:
        frames.append(extrapolation_rows(crit_alpha, crit_value))
    return pd.concat(frames, ignore_index=True).reindex(columns=COLUMNS)


def extrapolation_rows(alpha, criterion) -> pd.DataFrame:
    """Least-squares line through the end-point criterion vs alpha, a guide to the eye.

    Two rows (``method = fit``, ``line = linear_extrapolation``, ``alpha``, ``criterion``):
    the line at the smallest alpha and at the larger of the largest alpha and the line's
    zero (if its slope is positive), i.e. the extrapolated zero of the criterion.  Needs
    two points or more.
    """
    if len(alpha) < 2:
        raise ParameterError(f"a line needs >= 2 points, got alpha={list(alpha)}")
    c = np.polyfit(alpha, criterion, 1)
    hi = max(-c[1] / c[0], max(alpha)) if c[0] > 0 else max(alpha)
    ends = np.array([min(alpha), hi])
    # rounded well below the plot's resolution, so that the CSV does not depend on the threads
    return pd.DataFrame(
        dict(
            method="fit",
            panel="endpoint_bbp",
            line="linear_extrapolation",
            alpha=np.round(ends, 9),
            criterion=np.round(np.polyval(c, ends), 9) + 0.0,  # + 0.0: no "-0" at the zero
        )
    )


def threshold_state_rows(alpha_values, bar: Progress) -> pd.DataFrame:
    """BBP criterion of the marginal 1RSB states on a grid (``method = threshold_states``,
    :func:`.threshold_states.threshold_state`) and its zero alpha_GD (``method = theory``,
    ``line = alpha_GD``: :func:`.threshold_states.alpha_gd` in the first sign change)."""
    crit = []
    for a in alpha_values:
        # rounded well below its accuracy, so that the CSV does not depend on the threads
        crit.append(round(threshold_state(a).criterion, 9))
        bar.update(note=f"threshold states alpha={a:g}: criterion {crit[-1]:+.3f}")
    rows = pd.DataFrame(
        dict(method="threshold_states", panel="endpoint_bbp", alpha=alpha_values, criterion=crit)
    )
    k = next((i for i in range(len(crit) - 1) if crit[i] < 0 <= crit[i + 1]), None)
    if k is None:
        raise DivergenceError(
            f"threshold states: the BBP criterion does not change sign on "
            f"gd_alpha_values={alpha_values} ({np.round(crit, 3).tolist()})"
        )
    line = pd.DataFrame(
        dict(
            method="theory",
            panel="endpoint_bbp",
            line=["alpha_GD"],
            alpha=round(alpha_gd(alpha_values[k], alpha_values[k + 1]), 6),
        )
    )
    bar.update(note=f"alpha_GD = {line.alpha.iloc[0]:.4f}")
    return pd.concat([rows, line], ignore_index=True)
