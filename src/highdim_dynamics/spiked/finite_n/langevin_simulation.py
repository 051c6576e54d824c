"""Finite-N spherical Langevin dynamics and gradient descent on instances of the 2+p model.

Discretisation (as in the finite-N simulations of PRX 2020): with step dt,

    x ← x − dt ∇H(x) + √(2 T dt) ξ,     then x ← √N x/|x|,

the renormalisation enforcing the spherical constraint (it plays the role of the
Lagrange multiplier μ(t) of the continuous dynamics, reported as μ = T − x·∇H/N, the
quantity that the DMFT calls μ).  T = 1 is the Bayes-optimal Langevin algorithm, T = 0
gradient descent.  The instance (couplings and gradient kernel) comes from
:mod:`highdim_dynamics.spiked.finite_n.instance`.  The start has overlap exactly C̄(0) with x*
(x0 = C̄(0) x* + √(1 − C̄(0)²) u with u uniform on the sphere orthogonal to x*), so that
finite-N runs and the DMFT start from the same overlap.

Randomness: one integer seed per run, drawn in Python with
:func:`highdim_dynamics.core.seeding.spawn_seeds`; the instance and the start are drawn from
a generator seeded with it and the Langevin noise inside the (serial) kernel is seeded
with it too, so a run is reproducible whatever the thread count.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from highdim_dynamics.core.jit import jit
from highdim_dynamics.core.progress import Progress
from highdim_dynamics.core.seeding import spawn_seeds
from highdim_dynamics.core.validation import (
    check_trajectory,
    in_interval,
    integer,
    nonnegative,
    positive,
    step_bound,
)
from highdim_dynamics.spiked.finite_n.instance import draw_instance, energy_and_gradient
from highdim_dynamics.spiked.model import SpikedMatrixTensor


@jit
def langevin_kernel(
    x,
    x_star,
    matrix_couplings,
    tensor_couplings,
    p,
    temperature,
    dt,
    n_steps,
    record_every,
    seed,
    out_m,
    out_e,
    out_mu,
):
    """Run n_steps of projected Langevin from x (modified in place); record every
    ``record_every`` steps the overlap m, the energy per variable and μ = T − x·∇H/N."""
    np.random.seed(seed)
    n = x.shape[0]
    grad = np.empty(n)
    amp = math.sqrt(2.0 * temperature * dt)
    rec = 0
    for s in range(n_steps + 1):
        h2, hp = energy_and_gradient(x, matrix_couplings, tensor_couplings, p, grad)
        if s % record_every == 0:
            m = 0.0
            xg = 0.0
            for i in range(n):
                m += x[i] * x_star[i]
                xg += x[i] * grad[i]
            out_m[rec] = m / n
            out_e[rec] = (h2 + hp) / n
            out_mu[rec] = temperature - xg / n
            rec += 1
        if s == n_steps:
            break
        norm2 = 0.0
        for i in range(n):
            xi = x[i] - dt * grad[i]
            if amp > 0.0:
                xi += amp * np.random.standard_normal()
            x[i] = xi
            norm2 += xi * xi
        scale = math.sqrt(n / norm2)
        for i in range(n):
            x[i] *= scale
    return rec


def start_with_overlap(x_star, cbar0, rng):
    """x0 on the sphere |x|² = N with x0·x*/N = cbar0 exactly (uniform otherwise)."""
    n = x_star.shape[0]
    u = rng.standard_normal(n)
    u -= (u @ x_star) / n * x_star
    u *= math.sqrt(n) / np.linalg.norm(u)
    return np.ascontiguousarray(cbar0 * x_star + math.sqrt(1.0 - cbar0**2) * u)


def max_stable_dt(model: SpikedMatrixTensor, temperature: float) -> float:
    """Stability bound 2/Λ of the explicit Euler step of projected Langevin.

    Λ = T + Q'(1) + 2√Q''(1) bounds the fastest relaxation rate of the linearised
    dynamics on the sphere: the Lagrange multiplier μ (at most T + Q'(1) in modulus,
    PRX 2020 Sec. IV) plus the edge 2√Q''(1) of the tangent Hessian's semicircle.
    """
    rate = temperature + float(model.dQ(1.0)) + 2.0 * math.sqrt(model.sigma2)
    return 2.0 / rate


def check_dt(p, delta2, delta_p, temperature, dt) -> float:
    """Refuse a step ``dt`` above :func:`max_stable_dt` (ParameterError naming dt)."""
    model = SpikedMatrixTensor(p, delta2, delta_p)
    limit = max_stable_dt(model, nonnegative("temperature", temperature))
    return step_bound(
        "dt", positive("dt", dt), limit, "2/Λ, Λ = T + Q'(1) + 2√Q''(1) the fastest relaxation rate"
    )


def simulate_langevin(
    p,
    delta2,
    delta_p,
    *,
    n,
    temperature=1.0,
    cbar0=0.1,
    t_max=50.0,
    dt=0.01,
    record_dt=0.5,
    n_instances=4,
    seed=0,
    progress=False,
):
    """Langevin (or GD at T = 0) on ``n_instances`` independent instances of size N.

    Returns
    -------
    pandas.DataFrame
        One row per instance and recorded time: ``instance, n, t, cbar, energy, mu``.
    """
    model = SpikedMatrixTensor(p, delta2, delta_p)
    n = integer("n", n, minimum=max(p, 10))
    temperature = nonnegative("temperature", temperature)
    cbar0 = in_interval("cbar0", cbar0, 0.0, 1.0)
    t_max = positive("t_max", t_max)
    dt = check_dt(p, delta2, delta_p, temperature, dt)
    record_dt = positive("record_dt", record_dt)
    n_instances = integer("n_instances", n_instances, minimum=1)
    n_steps = int(round(t_max / dt))
    record_every = max(1, int(round(record_dt / dt)))
    n_rec = n_steps // record_every + 1
    seeds = spawn_seeds(seed, n_instances)
    bar = Progress(f"Langevin N={n}", n_instances) if progress else None
    frames = []
    for k, s in enumerate(seeds):
        rng = np.random.default_rng(int(s))
        inst = draw_instance(model, n, rng)
        x = start_with_overlap(inst.x_star, cbar0, rng)
        out = [np.empty(n_rec) for _ in range(3)]
        langevin_kernel(
            x,
            inst.x_star,
            inst.matrix_couplings,
            inst.tensor_couplings,
            p,
            temperature,
            dt,
            n_steps,
            record_every,
            int(s) % (2**32 - 1),
            *out,
        )
        check_trajectory(
            f"Langevin trajectory (N={n}, instance {k})",
            np.arange(n_rec) * record_every * dt,
            np.column_stack(out),
            hint=f"use a smaller dt (now {dt})",
        )
        frames.append(
            pd.DataFrame(
                {
                    "instance": k,
                    "n": n,
                    "t": np.arange(n_rec) * record_every * dt,
                    "cbar": out[0],
                    "energy": out[1],
                    "mu": out[2],
                }
            )
        )
        if bar is not None:
            bar.update()
    return pd.concat(frames, ignore_index=True)


def simulation_summary(runs: pd.DataFrame) -> pd.DataFrame:
    """Mean, standard deviation and standard error over instances at each (n, t)."""
    g = runs.groupby(["n", "t"])
    out = g[["cbar", "energy", "mu"]].mean()
    sd = g[["cbar", "energy", "mu"]].std(ddof=1).fillna(0.0)
    cnt = g["cbar"].count()
    for c in ("cbar", "energy", "mu"):
        out[c + "_sd"] = sd[c]
        out[c + "_se"] = sd[c] / np.sqrt(cnt)
    out["n_instances"] = cnt
    return out.reset_index()
