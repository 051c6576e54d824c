"""Data of ``spiked_gd_finite_n``: gradient-descent end points on fresh instances, plus the
Kac-Rice overlaps."""

from __future__ import annotations

import numpy as np
import pandas as pd

from highdim_dynamics.core.progress import Progress
from highdim_dynamics.core.seeding import spawn_seeds
from highdim_dynamics.core.validation import Int, ListOf, Real, Seed, constrained, integer, sequence
from highdim_dynamics.spiked.finite_n.gradient_descent import descent_runs
from highdim_dynamics.spiked.model import SpikedMatrixTensor
from highdim_dynamics.spiked.theory.minima import isolated_minima


@constrained(
    dict(
        p=Int(3),
        delta_p=Real(gt=0),
        inv_delta2_values=ListOf(Real(gt=0)),
        n_values=ListOf(Int(4)),
        n_instances=Int(1),
        t_max=Real(gt=0),
        grad_tol=Real(gt=0),
        step_factor=Real(gt=0, lt=0.5),
        n_theory=Int(2),
        seed=Seed(),
    )
)
def data(
    *,
    p: int,
    delta_p: float,
    inv_delta2_values,
    n_values,
    n_instances: int,
    t_max: float,
    grad_tol: float,
    step_factor: float = 0.4,
    n_theory: int = 60,
    seed: int,
) -> pd.DataFrame:
    """Gradient-descent end points on fresh instances, plus the Kac-Rice overlaps.

    Returns
    -------
    DataFrame
        Columns ``p, delta_p, inv_delta2, n, kind, instance, m, energy, t_lagrange,
        hessian_min, is_minimum, converged, time, method``.  ``kind = run`` (method
        ``simulation``): one row per run (``m`` is the final overlap, ``time`` = η ×
        steps to |grad|/√N < grad_tol or t_max); ``kind = good_minimum`` /
        ``anti_aligned_minimum`` (method ``theory``): Kac-Rice isolated minima on a grid
        of ``n_theory`` values of 1/Δ2 (run-only columns NaN).
    """
    ys = inv_delta2_values
    ns = sequence("n_values", n_values, integer, minimum=p + 1)
    n_inst = n_instances
    seeds = spawn_seeds(seed, len(ns) * len(ys) * n_inst).reshape(len(ns), len(ys), n_inst)
    bar = Progress("spiked_gd_finite_n", total=seeds.size)
    frames = []
    for n, by_y in zip(ns, seeds):
        for y, ss in zip(ys, by_y):
            model = SpikedMatrixTensor(p, 1.0 / y, delta_p)
            runs, _ = descent_runs(
                model,
                n,
                [int(s) for s in ss],
                step_factor=step_factor,
                t_max=t_max,
                grad_tol=grad_tol,
                hessian="min",
                progress=bar,
            )
            frames.append(
                pd.DataFrame(
                    dict(
                        p=p,
                        delta_p=delta_p,
                        inv_delta2=y,
                        n=n,
                        kind="run",
                        instance=np.arange(len(runs)),
                        m=runs["overlap"],
                        energy=runs["energy"],
                        t_lagrange=runs["t_lagrange"],
                        hessian_min=runs["hessian_min"],
                        is_minimum=runs["is_minimum"].astype(float),
                        converged=runs["converged"].astype(float),
                        time=runs["time"],
                        method="simulation",
                    )
                )
            )
    grid = np.linspace(min(ys), max(ys), n_theory)
    rows = []
    for y in grid:
        for kind, m in isolated_minima(p, 1.0 / y, delta_p).items():
            rows.append(
                dict(
                    p=p,
                    delta_p=delta_p,
                    inv_delta2=y,
                    n=np.nan,
                    kind=kind,
                    instance=np.nan,
                    m=m,
                    energy=np.nan,
                    t_lagrange=np.nan,
                    hessian_min=np.nan,
                    is_minimum=np.nan,
                    converged=np.nan,
                    time=np.nan,
                    method="theory",
                )
            )
    frames.append(pd.DataFrame(rows))
    return pd.concat(frames, ignore_index=True)
