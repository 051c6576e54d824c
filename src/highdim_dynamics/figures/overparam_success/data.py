"""Data of ``overparam_success``: gradient flow and exact uniqueness on the same instances,
and the convergence laws of the error."""

from __future__ import annotations

import numpy as np
import pandas as pd

from highdim_dynamics.core.progress import Progress
from highdim_dynamics.core.validation import (
    AnyOf,
    Choice,
    Int,
    ListOf,
    Real,
    Seed,
    constrained,
    positive,
)
from highdim_dynamics.phase_retrieval.finite_size import bootstrap_logistic, fit_logistic
from highdim_dynamics.quadratic_network import (
    quadratic_network_flow,
    uniqueness_sdp_runs,
)
from highdim_dynamics.quadratic_network.gradient_flow import late_time_exponent


def hidden_units(d: int, label) -> int:
    """Number of hidden units of the width label ``label`` (a ratio m/d, or ``"m=1"``)."""
    return 1 if label == "m=1" else max(1, int(round(float(label) * d)))


@constrained(
    dict(
        d_values=ListOf(Int(2)),
        alpha_values=ListOf(Real(gt=0)),
        width_ratios=AnyOf(ListOf(AnyOf(Real(gt=0), Choice("m=1"))), Real(gt=0), Choice("m=1")),
        n_runs=Int(1),
        tau_max=Real(gt=0),
        convergence_d=Int(2),
        convergence_alpha_rank_one=Real(gt=0),
        convergence_alpha_full_rank=Real(gt=0),
        convergence_runs=Int(1),
        sdp_tol=Real(gt=0),
        sdp_threshold=Real(gt=0),
        n_boot=Int(2),
        seed=Seed(),
    )
)
def data(
    *,
    d_values,
    alpha_values,
    width_ratios,
    n_runs: int,
    tau_max: float = 256.0,
    convergence_d: int = 10,
    convergence_alpha_rank_one: float = 4.0,
    convergence_alpha_full_rank: float = 10.0,
    convergence_runs: int = 4,
    sdp_tol: float = 1.0e-8,
    sdp_threshold: float = 1.0e-5,
    n_boot: int = 200,
    seed: int = 0,
) -> pd.DataFrame:
    """Quadratic network: P(success) vs alpha for several widths and d; convergence laws.

    ``panel = success`` (``method = simulation``): for each d, width m = ratio x d (and
    m = 1), alpha, ``n_runs`` independent runs with a rank-one teacher; success by the decay
    test of :func:`~highdim_dynamics.quadratic_network.quadratic_network_flow`;
    columns ``d, m, width (label), alpha, n_runs, success_probability, success_error``
    (binomial, with the (k+1)/(n+2) estimate so that it is not zero at 0 or 1), ``generalisation_error``
    (median final |A - A*|_F/|A*|_F), ``n_trapped`` (non-zero loss, not decreasing),
    ``n_nonunique`` (vanishing loss away from A*).  ``method = logistic_fit``: the fitted
    50% point ``alpha_50`` per (d, width).  ``method = theory``: the line alpha = 2.
    All widths at one (d, alpha) are trained on the same ``n_runs`` instances (own starts).

    ``method = sdp`` (``panel = success``): on those instances (alpha >= 1), the probability
    that A* is the unique psd zero-loss matrix, by the semidefinite program of
    :func:`~highdim_dynamics.quadratic_network.uniqueness_sdp` (CVXOPT, Clarabel where it
    does not converge; gap ``sdp_tol``; unique iff the optimum relative to tr A*, bounded by
    the verified dual certificate, is below ``sdp_threshold``): ``success_probability,
    success_error, n_runs, n_certified`` (instances with a verified dual certificate),
    ``objective_max_unique, objective_min_nonunique`` (the gap of the classification).  The
    simulation rows carry ``n_success_nonunique``: runs that reached A* on an instance that
    the program finds non-unique.  ``method = sdp_fit``: logistic 50% point of P(unique) per
    d with its bootstrap error over instances (``alpha_50, alpha_50_error``).

    ``panel = convergence`` (computed when ``convergence_d`` is one of ``d_values``, so that
    of jobs split by d only one draws it): error and loss vs tau at d = ``convergence_d``,
    m = d, for a
    rank-one teacher (alpha_rank_one) and a full-rank one (alpha_full_rank > (d+1)/2, where
    the zero-loss PSD matrix is generically unique), ``teacher`` column; ``method = fit``
    rows give the late-time exponent d log e / d log tau per rank-one run (``exponent``,
    :func:`~highdim_dynamics.quadratic_network.gradient_flow.late_time_exponent`).
    """
    labels = []
    for i, w in enumerate(
        width_ratios if isinstance(width_ratios, (list, tuple)) else [width_ratios]
    ):
        labels.append("m=1" if w == "m=1" else positive(f"width_ratios[{i}]", w))
    cd = convergence_d
    a1 = convergence_alpha_rank_one
    af = convergence_alpha_full_rank
    cr = convergence_runs

    instances = [(d, a) for d in d_values for a in alpha_values]
    points = [(d, lab, a) for d, a in instances for lab in labels]
    seeds = np.random.SeedSequence(seed).generate_state(len(points) + len(instances) + 3)
    inst_seed = {key: int(seeds[len(points) + 3 + i]) for i, key in enumerate(instances)}
    convergence = cd in d_values
    bar = Progress("overparam_success", total=len(points) + len(instances) + 2 * convergence)
    rows, per_run, sdp_rows, sdp_runs = [], [], [], []
    for d, alpha in instances:
        if int(round(alpha * d)) < d:
            continue
        sdp = uniqueness_sdp_runs(
            d=d,
            alpha=alpha,
            n_runs=n_runs,
            seed=inst_seed[(d, alpha)],
            tol=sdp_tol,
            threshold=sdp_threshold,
        )
        sdp_runs.append(sdp.assign(d=d, alpha=float(alpha)))
        ku = int(sdp.unique.sum())
        pt = (ku + 1) / (n_runs + 2)
        sdp_rows.append(
            dict(
                method="sdp",
                panel="success",
                d=d,
                alpha=float(alpha),
                n_runs=n_runs,
                success_probability=ku / n_runs,
                success_error=np.sqrt(pt * (1 - pt) / n_runs),
                n_certified=int(sdp.certified.sum()),
                objective_max_unique=sdp.objective[sdp.unique].max(),
                objective_min_nonunique=sdp.objective[~sdp.unique].min(),
            )
        )
        bar.update(note=f"SDP d={d} alpha={alpha:g} P(unique)={ku / n_runs:.2f}")
    unique = (
        {
            (int(r.d), float(r.alpha), int(r.run)): bool(r.unique)
            for r in pd.concat(sdp_runs).itertuples()
        }
        if sdp_runs
        else {}
    )
    for k, (d, lab, alpha) in enumerate(points):
        m = hidden_units(d, lab)
        runs, _ = quadratic_network_flow(
            d=d,
            m=m,
            m_star=1,
            alpha=alpha,
            n_runs=n_runs,
            seed=inst_seed[(d, alpha)],
            init_seed=int(seeds[k]),
            tau_max=tau_max,
        )
        ks = int(runs.success.sum())
        pt = (ks + 1) / (n_runs + 2)
        bad = [r for r in runs.run[runs.success] if not unique.get((d, float(alpha), int(r)), True)]
        rows.append(
            dict(
                method="simulation",
                panel="success",
                d=d,
                m=m,
                width=str(lab),
                alpha=float(alpha),
                n_runs=n_runs,
                success_probability=ks / n_runs,
                success_error=np.sqrt(pt * (1 - pt) / n_runs),
                generalisation_error=float(runs.error.median()),
                n_trapped=int((runs.status == "trapped").sum()),
                n_nonunique=int((runs.status == "nonunique").sum()),
                n_success_nonunique=len(bad),
            )
        )
        per_run.append((d, str(lab), float(alpha), ks, n_runs))
        bar.update(note=f"d={d} m={m} alpha={alpha:g} P={ks / n_runs:.2f}")
    df = pd.DataFrame(rows)
    rng = np.random.default_rng(int(seeds[len(points) + 2]))
    sdp_fits = []
    if sdp_runs:
        allr = pd.concat(sdp_runs, ignore_index=True)
        for d, g in allr.groupby("d", sort=False):
            if 0 < g.unique.sum() < len(g):
                (a50, wdt), err = bootstrap_logistic(
                    g.alpha, g.unique.astype(float), np.ones(len(g)), n_boot=n_boot, rng=rng
                )
                sdp_fits.append(
                    dict(
                        method="sdp_fit",
                        panel="success",
                        d=d,
                        alpha=a50,
                        alpha_50=a50,
                        alpha_50_error=err,
                        logistic_width=wdt,
                    )
                )
    pr = pd.DataFrame(per_run, columns=["d", "width", "alpha", "k", "n"])
    fits = []
    for (d, lab), g in pr.groupby(["d", "width"], sort=False):
        if 0 < g.k.sum() < g.n.sum():
            a50, wdt = fit_logistic(g.alpha, g.k, g.n)
            fits.append(
                dict(
                    method="logistic_fit",
                    panel="success",
                    d=d,
                    m=hidden_units(d, lab),
                    width=lab,
                    alpha=a50,
                    alpha_50=a50,
                    logistic_width=wdt,
                )
            )
    conv = []
    panels = (("rank_one", a1, 1), ("full_rank", af, "full")) if convergence else ()
    for j, (teacher, alpha, ms) in enumerate(panels):
        runs, traj = quadratic_network_flow(
            d=cd,
            m=cd,
            m_star=ms,
            alpha=alpha,
            n_runs=cr,
            seed=int(seeds[len(points) + j]),
            tau_max=tau_max,
            e_stop=1e-10,
        )
        traj = traj.assign(
            method="simulation",
            panel="convergence",
            d=cd,
            m=cd,
            alpha=float(alpha),
            teacher=teacher,
        )
        conv.append(traj)
        if teacher == "rank_one":
            for r, g in traj.groupby("run"):
                slope = late_time_exponent(g.tau, g.error, window=16.0)
                conv.append(
                    pd.DataFrame(
                        dict(
                            method="fit",
                            panel="convergence",
                            d=[cd],
                            m=cd,
                            alpha=float(alpha),
                            teacher=teacher,
                            run=r,
                            exponent=slope,
                        )
                    )
                )
        bar.update(note=f"convergence {teacher}")
    theory = pd.DataFrame(dict(method="theory", panel="success", alpha=[2.0], line="alpha_unique"))
    return pd.concat(
        [df, pd.DataFrame(fits), pd.DataFrame(sdp_rows), pd.DataFrame(sdp_fits), *conv, theory],
        ignore_index=True,
    )
