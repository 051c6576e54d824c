"""Data of ``kac_rice_complexity_vs_energy``: Σ(ε) at m = 0 with and without the BBP cost."""

from __future__ import annotations

import numpy as np
import pandas as pd

from highdim_dynamics.core.validation import Int, ListOf, Real, Seed, constrained
from highdim_dynamics.spiked.theory.kac_rice import complexity_at_energy
from highdim_dynamics.spiked.theory.thresholds import threshold_energy


@constrained(
    dict(
        p=Int(3),
        delta_p=Real(gt=0),
        inv_delta2_values=ListOf(Real(gt=0)),
        n_energy=Int(11),
        energy_window=Real(gt=0, lt=10),
        seed=Seed(),
    )
)
def data(
    *, p: int, delta_p: float, inv_delta2_values, n_energy: int, energy_window: float, seed: int = 0
) -> pd.DataFrame:
    """Σ(ε) at m = 0 for several 1/Δ2, with and without the BBP cost (deterministic).

    Energies run over [ε_th − window, ε_th + window/4] around the threshold energy ε_th of
    each 1/Δ2 (energy of the t = 2 critical points with the optimal split).

    Returns
    -------
    DataFrame
        Columns ``p, delta_p, inv_delta2, kind, energy, complexity, t, method``; ``kind``
        is ``minima`` (Σ of minima) or ``bulk_positive`` (no BBP cost: minima plus
        saddles whose only negative direction is the outlier).
    """
    ys = inv_delta2_values
    n = n_energy
    window = energy_window
    frames = []
    for y in ys:
        e_th = float(threshold_energy(p, 1.0 / y, delta_p))
        energies = np.linspace(e_th - window, e_th + window / 4, n)
        for kind, bbp in (("minima", True), ("bulk_positive", False)):
            r = complexity_at_energy(0.0, energies, p, 1.0 / y, delta_p, bbp_cost=bbp)
            frames.append(
                pd.DataFrame(
                    dict(
                        p=p,
                        delta_p=delta_p,
                        inv_delta2=y,
                        kind=kind,
                        energy=energies,
                        complexity=r["sigma"],
                        t=r["t"],
                        method="theory",
                    )
                )
            )
    return pd.concat(frames, ignore_index=True)
