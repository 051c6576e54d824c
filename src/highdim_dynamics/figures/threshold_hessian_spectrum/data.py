"""Data of ``threshold_hessian_spectrum``: finite-N Hessian spectra at equator-restricted GD
end points, and the threshold-state theory."""

from __future__ import annotations

import numpy as np
import pandas as pd

from highdim_dynamics.core.progress import Progress
from highdim_dynamics.core.seeding import spawn_seeds
from highdim_dynamics.core.validation import Int, ListOf, Real, Seed, constrained
from highdim_dynamics.spiked.finite_n.gradient_descent import descent_runs
from highdim_dynamics.spiked.model import SpikedMatrixTensor
from highdim_dynamics.spiked.theory.threshold_hessian import semicircle_density, threshold_hessian


@constrained(
    dict(
        p=Int(3),
        delta_p=Real(gt=0),
        inv_delta2_values=ListOf(Real(gt=0)),
        n=Int(10),
        n_instances=Int(2),
        t_max=Real(gt=0),
        grad_tol=Real(gt=0),
        step_factor=Real(gt=0, lt=0.5),
        seed=Seed(),
    )
)
def data(
    *,
    p: int,
    delta_p: float,
    inv_delta2_values,
    n: int,
    n_instances: int,
    t_max: float,
    grad_tol: float,
    step_factor: float = 0.4,
    seed: int,
) -> pd.DataFrame:
    """Eigenvalues of the Riemannian Hessian at equator-restricted GD end points, plus theory.

    Returns
    -------
    DataFrame
        Columns ``p, delta_p, inv_delta2, n, kind, instance, eigenvalue, density,
        signal_overlap2, t_lagrange, method``.  ``kind``: ``eigenvalue`` (method
        ``simulation``: every eigenvalue of every instance, with the squared overlap of its
        eigenvector with x*; ``t_lagrange`` = −μ/σ of the end point), ``density`` (method
        ``theory``: semicircle density on a grid), ``outlier`` (method ``theory``: the BBP
        outlier and its squared overlap; only for θ > 1).
    """
    ys = inv_delta2_values
    n_inst = n_instances
    seeds = spawn_seeds(seed, len(ys) * n_inst).reshape(len(ys), n_inst) & 0x7FFFFFFFFFFF
    bar = Progress("threshold_hessian_spectrum", total=len(ys) * n_inst)
    frames = []
    for y, ss in zip(ys, seeds):
        model = SpikedMatrixTensor(p, 1.0 / y, delta_p)
        runs, spectra = descent_runs(
            model,
            n,
            [int(s) for s in ss],
            step_factor=step_factor,
            t_max=t_max,
            grad_tol=grad_tol,
            equator=True,
            hessian="full",
            progress=bar,
        )
        base = dict(p=p, delta_p=delta_p, inv_delta2=y, n=n)
        for k, (vals, ov) in enumerate(spectra):
            frames.append(
                pd.DataFrame(
                    dict(
                        **base,
                        kind="eigenvalue",
                        instance=k,
                        eigenvalue=vals,
                        density=np.nan,
                        signal_overlap2=ov,
                        t_lagrange=runs["t_lagrange"].iloc[k],
                        method="simulation",
                    )
                )
            )
        th = threshold_hessian(p, 1.0 / y, delta_p)
        grid = np.linspace(
            th["bulk_centre"] - th["bulk_radius"], th["bulk_centre"] + th["bulk_radius"], 201
        )
        frames.append(
            pd.DataFrame(
                dict(
                    **base,
                    kind="density",
                    instance=np.nan,
                    eigenvalue=grid,
                    density=semicircle_density(grid, th["bulk_centre"], th["bulk_radius"]),
                    signal_overlap2=np.nan,
                    t_lagrange=2.0,
                    method="theory",
                )
            )
        )
        if th["theta"] > 1:
            frames.append(
                pd.DataFrame(
                    dict(
                        **base,
                        kind="outlier",
                        instance=[np.nan],
                        eigenvalue=[th["outlier"]],
                        density=[np.nan],
                        signal_overlap2=[th["outlier_overlap2"]],
                        t_lagrange=[2.0],
                        method="theory",
                    )
                )
            )
    return pd.concat(frames, ignore_index=True)
