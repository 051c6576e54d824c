"""Data of ``kac_rice_complexity_vs_overlap``: Σ(m) curves and the isolated minima."""

from __future__ import annotations

import numpy as np
import pandas as pd

from highdim_dynamics.core.validation import Int, ListOf, Real, Seed, constrained
from highdim_dynamics.spiked.theory.kac_rice import max_complexity_over_t
from highdim_dynamics.spiked.theory.minima import isolated_minima


@constrained(
    dict(
        p=Int(3), delta_p=Real(gt=0), inv_delta2_values=ListOf(Real(gt=0)), n_m=Int(11), seed=Seed()
    )
)
def data(*, p: int, delta_p: float, inv_delta2_values, n_m: int, seed: int = 0) -> pd.DataFrame:
    """Σ(m) of minima, maximised over energies, for several 1/Δ2 (deterministic).

    Returns
    -------
    DataFrame
        Columns ``p, delta_p, inv_delta2, kind, m, complexity, t, energy, method``;
        ``kind`` is ``curve`` (a grid of n_m overlaps in (−1, 1), m = 0 included),
        ``good_minimum`` or ``anti_aligned_minimum`` (isolated minima, Σ = 0).
    """
    ys = inv_delta2_values
    m = np.unique(np.append(np.linspace(-0.995, 0.995, n_m), 0.0))
    frames = []
    for y in ys:
        r = max_complexity_over_t(m, p, 1.0 / y, delta_p)
        frames.append(
            pd.DataFrame(
                dict(
                    p=p,
                    delta_p=delta_p,
                    inv_delta2=y,
                    kind="curve",
                    m=m,
                    complexity=r["sigma_max"],
                    t=r["t"],
                    energy=r["energy"],
                    method="theory",
                )
            )
        )
        for kind, mi in isolated_minima(p, 1.0 / y, delta_p).items():
            ri = max_complexity_over_t(mi, p, 1.0 / y, delta_p)
            frames.append(
                pd.DataFrame(
                    dict(
                        p=p,
                        delta_p=delta_p,
                        inv_delta2=y,
                        kind=kind,
                        m=[mi],
                        complexity=ri["sigma_max"],
                        t=ri["t"],
                        energy=ri["energy"],
                        method="theory",
                    )
                )
            )
    return pd.concat(frames, ignore_index=True)
