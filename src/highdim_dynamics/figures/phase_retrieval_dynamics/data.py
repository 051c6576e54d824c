"""Data of ``phase_retrieval_dynamics``: adaptive-step runs and their fixed-step reference."""

from __future__ import annotations

import numpy as np
import pandas as pd

from highdim_dynamics.core.progress import Progress
from highdim_dynamics.core.seeding import spawn_generators
from highdim_dynamics.core.validation import Int, ListOf, Real, Seed, constrained
from highdim_dynamics.phase_retrieval.model import random_sphere_points, sample_instance
from highdim_dynamics.phase_retrieval.spherical_gradient_flow import spherical_gradient_descent


@constrained(
    dict(
        p=Int(2),
        alpha_values=ListOf(Real(gt=0)),
        n_runs=Int(1),
        t_max=Real(gt=0),
        n_times=Int(2),
        reference_step_fraction=Real(gt=0, le=1),
        reference_t_max=Real(gt=0),
        seed=Seed(),
    )
)
def data(
    *,
    p: int,
    alpha_values,
    n_runs: int,
    t_max: float = 1.0e3,
    n_times: int = 61,
    reference_step_fraction: float = 0.1,
    reference_t_max: float = 30.0,
    seed: int = 0,
) -> pd.DataFrame:
    """Loss and overlap vs time of spherical gradient descent, below and above threshold.

    For each alpha one instance and ``n_runs`` initial conditions are run to a critical
    point (|P grad L|/sqrt(p) < 1e-7) without stopping at success, with the step capped at
    a quarter of its initial value dt0 = 1/(40 alpha + 12) (an accurate flow); (t, L/n, |m|)
    is recorded at ``n_times`` log-spaced times in [1e-3, t_max].  The same runs are
    integrated again with a fixed step ``reference_step_fraction / (40 alpha + 12)`` (a
    tenth of the initial adaptive step), ``method = fixed_step``, up to
    min(``reference_t_max``, 1.2 x the longest run), as a reference for the adaptive step
    control.  Runs still on a plateau at ``t_max`` end as ``unresolved``.  Columns:
    ``method, p, alpha, run, t, loss, overlap, status``.
    """
    frac = reference_step_fraction
    t_ref_max = reference_t_max
    times = np.logspace(-3, np.log10(t_max), n_times)
    gens = spawn_generators(seed, len(alpha_values))
    out = []
    bar = Progress("phase_retrieval_dynamics", total=len(alpha_values))
    for alpha, rng in zip(alpha_values, gens, strict=True):
        inst = sample_instance(p, alpha, rng)
        W0 = random_sphere_points(p, n_runs, rng)
        kw = dict(stop_on_success=False, grad_tol=1e-7, record_times=times, step_cap_factor=0.25)
        dt0 = 1.0 / (40.0 * inst.alpha + 12.0)
        runs, traj, _ = spherical_gradient_descent(
            inst, W0, t_max=t_max, max_steps=int(4 * t_max / dt0) + 1000, **kw
        )
        t_ref = min(t_max, t_ref_max, 1.2 * float(runs.t.max()))
        runs_r, traj_r, _ = spherical_gradient_descent(
            inst,
            W0,
            t_max=t_ref,
            max_steps=10**7,
            fixed_step=frac / (40.0 * inst.alpha + 12.0),
            **kw,
        )
        for method, r, tr in (("simulation", runs, traj), ("fixed_step", runs_r, traj_r)):
            end = r.rename(columns={"t": "t_end", "loss": "loss_end", "overlap": "overlap_end"})
            # append the end point itself as the last recorded time
            tr = pd.concat([tr, r[["run", "t", "loss", "overlap"]]], ignore_index=True)
            tr = tr.merge(end[["run", "status"]], on="run")
            tr["overlap"] = tr["overlap"].abs()
            tr.insert(0, "alpha", float(alpha))
            tr.insert(0, "p", p)
            tr.insert(0, "method", method)
            out.append(tr.sort_values(["run", "t"], kind="stable"))
        bar.update(note=f"alpha={alpha:g}")
    return pd.concat(out, ignore_index=True)
