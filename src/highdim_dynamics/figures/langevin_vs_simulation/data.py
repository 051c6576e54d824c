"""Data of ``langevin_vs_simulation``: the DMFT and finite-N Langevin at each N."""

from __future__ import annotations

import numpy as np
import pandas as pd

from highdim_dynamics.core.validation import Int, ListOf, Real, Rule, constrained
from highdim_dynamics.figures._spiked_dmft_data import spiked_constraints
from highdim_dynamics.spiked.finite_n.langevin_simulation import check_dt


@constrained(
    spiked_constraints(
        "p",
        "delta_p",
        "delta2",
        "temperature",
        "cbar0",
        "t_max",
        "seed",
        n_values=ListOf(Int(10)),
        n_instances=Int(2),
        dt=Real(gt=0),
    ),
    [Rule(check_dt, "p", "delta2", "delta_p", "temperature", "dt")],
)
def data(
    *,
    p=3,
    delta_p=1.0,
    delta2=0.5,
    temperature=1.0,
    cbar0=0.2,
    t_max=20.0,
    n_values,
    n_instances,
    dt=0.01,
    seed=0,
) -> pd.DataFrame:
    """DMFT C̄(t), e(t), μ(t) against finite-N spherical Langevin on real instances.

    Columns ``method, p, delta_p, delta2, temperature, cbar0, n, t, cbar, energy, mu`` and,
    for simulation rows (mean over instances), ``cbar_sd, energy_sd, mu_sd, n_instances``.
    The start has overlap exactly C̄(0) (a moderately informative start, so that the sign
    ambiguity of the matrix channel at small N does not split the instances).
    """
    from highdim_dynamics.spiked.dmft import solve_dmft
    from highdim_dynamics.spiked.finite_n.langevin_simulation import (
        simulate_langevin,
        simulation_summary,
    )

    base = dict(p=p, delta_p=delta_p, delta2=delta2, temperature=temperature, cbar0=cbar0)
    d = solve_dmft(
        p, delta2, delta_p, temperature=temperature, cbar0=cbar0, t_max=t_max, error_estimate=False
    )
    frames = [
        pd.DataFrame(
            dict(
                base,
                method="dmft",
                n=np.nan,
                t=d["t"],
                cbar=d["cbar"],
                energy=d["energy"],
                mu=d["mu"],
            )
        )
    ]
    for k, n in enumerate(n_values):
        runs = simulate_langevin(
            p,
            delta2,
            delta_p,
            n=n,
            temperature=temperature,
            cbar0=cbar0,
            t_max=t_max,
            dt=dt,
            record_dt=0.25,
            n_instances=n_instances,
            seed=int(seed) + 7919 * k,
            progress=True,
        )
        s = simulation_summary(runs)
        frames.append(
            pd.DataFrame(
                dict(
                    base,
                    method="simulation",
                    n=s["n"],
                    t=s["t"],
                    cbar=s["cbar"],
                    energy=s["energy"],
                    mu=s["mu"],
                    cbar_sd=s["cbar_sd"],
                    energy_sd=s["energy_sd"],
                    mu_sd=s["mu_sd"],
                    n_instances=s["n_instances"],
                )
            )
        )
    return pd.concat(frames, ignore_index=True)
