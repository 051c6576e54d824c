"""Data of ``phase_retrieval_success``: simulations, logistic fits and computed thresholds."""

from __future__ import annotations

import numpy as np
import pandas as pd

from highdim_dynamics.core.progress import Progress
from highdim_dynamics.core.seeding import spawn_generators
from highdim_dynamics.core.validation import Int, ListOf, ParameterError, Real, Seed, constrained
from highdim_dynamics.phase_retrieval import bayes_optimal
from highdim_dynamics.phase_retrieval.finite_size import (
    bootstrap_logistic,
    cluster_bootstrap_std,
    logistic,
)
from highdim_dynamics.phase_retrieval.model import (
    check_success_threshold,
    random_sphere_points,
    sample_instance,
)
from highdim_dynamics.phase_retrieval.spherical_gradient_flow import spherical_gradient_descent
from highdim_dynamics.phase_retrieval.threshold_states import alpha_gd


def theory_lines(gd_bracket) -> pd.DataFrame:
    """``theory`` rows (``line``, ``alpha``): alpha_IT, alpha_AMP and alpha_GD, all computed.

    alpha_IT, alpha_AMP: :func:`.bayes_optimal.thresholds` (Barbier et al., PNAS 2019);
    alpha_GD: :func:`.threshold_states.alpha_gd` searched in ``gd_bracket``.
    """
    bo = bayes_optimal.thresholds()
    # Rounded well below their accuracy (1e-8; alpha_GD ~1e-4) and far above the last-digit
    # effect of a multithreaded BLAS reduction, so that the CSV does not depend on the threads.
    lines = {
        "alpha_IT": round(bo["alpha_IT"], 9),
        "alpha_AMP": round(bo["alpha_AMP"], 9),
        "alpha_GD": round(alpha_gd(*gd_bracket), 6),
    }
    return pd.DataFrame({"method": "theory", "line": list(lines), "alpha": list(lines.values())})


@constrained(
    dict(
        p_values=ListOf(Int(2)),
        alpha_values=ListOf(Real(gt=0)),
        n_instances=Int(2),
        n_init=Int(1),
        t_max=Real(gt=0),
        max_steps=Int(1),
        grad_tol=Real(gt=0),
        success_threshold=Real(gt=0, lt=1),
        n_boot=Int(2),
        gd_bracket=ListOf(Real(gt=1)),
        seed=Seed(),
    )
)
def data(
    *,
    p_values,
    alpha_values,
    n_instances: int,
    n_init: int,
    t_max: float = 1.0e3,
    max_steps: int = 100_000,
    grad_tol: float = 1.0e-4,
    success_threshold: float = 0.99,
    n_boot: int = 200,
    gd_bracket=(8.0, 20.0),
    seed: int = 0,
) -> pd.DataFrame:
    """P(success) of spherical gradient descent vs alpha for several p, with logistic fits.

    For every (p, alpha), ``n_instances`` instances are drawn and ``n_init`` initial
    conditions uniform on the sphere are run on each (batched, see
    :func:`.spherical_gradient_flow.spherical_gradient_descent`).  Success: |m| >
    ``success_threshold``.

    Returns a tidy frame with ``method`` = ``simulation`` (one row per (p, alpha):
    ``n_runs, n_success, success_probability, success_error`` (cluster-bootstrap standard
    error over instances), ``n_failed, n_failed_at_minimum`` (failed runs whose end point
    has a vanishing Riemannian gradient and a positive smallest tangent-Hessian eigenvalue),
    ``n_unresolved``), ``logistic_fit`` (fitted curve per p on an alpha grid, with
    ``alpha_50, alpha_50_error, logistic_width``) and ``theory`` (:func:`theory_lines`).
    """
    success_threshold = check_success_threshold("success_threshold", success_threshold)
    gd_bracket = list(gd_bracket)
    if len(gd_bracket) != 2 or not 1.0 < gd_bracket[0] < gd_bracket[1]:
        raise ParameterError(
            f"gd_bracket must be [low, high] with 1 < low < high, got {gd_bracket!r}"
        )

    points = [(p, a) for p in p_values for a in alpha_values]
    gens = spawn_generators(seed, len(points) * n_instances + len(p_values))
    bar = Progress("phase_retrieval_success", total=len(points))
    rows, per_instance = [], []
    for k, (p, alpha) in enumerate(points):
        counts = np.zeros((n_instances, 4), dtype=int)  # success, failed, at-minimum, unresolved
        for i in range(n_instances):
            rng = gens[k * n_instances + i]
            inst = sample_instance(p, alpha, rng)
            runs, _, _ = spherical_gradient_descent(
                inst,
                random_sphere_points(p, n_init, rng),
                t_max=t_max,
                max_steps=max_steps,
                grad_tol=grad_tol,
                success_threshold=success_threshold,
            )
            failed = ~runs.success
            at_min = failed & (runs.status == "minimum") & (runs.lambda_min > 0)
            counts[i] = [
                runs.success.sum(),
                failed.sum(),
                at_min.sum(),
                (runs.status == "unresolved").sum(),
            ]
            per_instance.append((p, alpha, counts[i, 0], n_init))
        tot = counts.sum(axis=0)
        rows.append(
            dict(
                method="simulation",
                p=p,
                alpha=float(alpha),
                n_runs=n_instances * n_init,
                n_success=int(tot[0]),
                success_probability=tot[0] / (n_instances * n_init),
                success_error=cluster_bootstrap_std(
                    counts[:, 0],
                    np.full(n_instances, n_init),
                    n_boot=n_boot,
                    rng=gens[k * n_instances],
                ),
                n_failed=int(tot[1]),
                n_failed_at_minimum=int(tot[2]),
                n_unresolved=int(tot[3]),
            )
        )
        bar.update(note=f"p={p} alpha={alpha:g} P={rows[-1]['success_probability']:.2f}")
    df = pd.DataFrame(rows)
    pi = pd.DataFrame(per_instance, columns=["p", "alpha", "k", "n"])
    grid = np.linspace(min(alpha_values), max(alpha_values), 51)
    fits = []
    for j, p in enumerate(p_values):
        sub = pi[pi.p == p]
        (a50, width), a50_err = bootstrap_logistic(
            sub.alpha, sub.k, sub.n, n_boot=n_boot, rng=gens[len(points) * n_instances + j]
        )
        fits.append(
            pd.DataFrame(
                dict(
                    method="logistic_fit",
                    p=p,
                    alpha=grid,
                    success_probability=logistic(grid, a50, width),
                    alpha_50=a50,
                    alpha_50_error=a50_err,
                    logistic_width=width,
                )
            )
        )
    return pd.concat([df, *fits, theory_lines(gd_bracket)], ignore_index=True)
