"""Data glue shared by the spiked-dynamics figures: parameter domains and DMFT curves as
tidy CSV rows."""

from __future__ import annotations

import numpy as np

from highdim_dynamics.core.validation import Int, Real, Seed

#: Level of C̄ whose first crossing is the escape time of the figures.
ESCAPE_LEVEL = 0.3

#: Domains of the figure parameters shared by the spiked-dynamics figures.
SPIKED = dict(
    p=Int(3),
    delta_p=Real(gt=0),
    delta2=Real(gt=0),
    cbar0=Real(gt=0, lt=1),
    t_max=Real(gt=0),
    temperature=Real(ge=0),
    seed=Seed(),
)


def spiked_constraints(*names, **extra):
    """Constraint table of a data function: the shared domains of ``names`` plus ``extra``."""
    return {**{n: SPIKED[n] for n in names}, **extra}


def _thin(df, n_keep=400):
    """Keep about ``n_keep`` rows log-spaced in time (the adaptive grid is dense early)."""
    if len(df) <= n_keep:
        return df
    t = df["t"].to_numpy()
    targets = np.concatenate([[0.0], np.geomspace(max(t[1], 1e-3), t[-1], n_keep)])
    idx = np.unique(np.clip(np.searchsorted(t, targets), 0, len(t) - 1))
    return df.iloc[idx]


def tidy_dmft(df, n_keep=400, **labels):
    """A DMFT trajectory as tidy figure rows: thinned to ``n_keep`` rows, ``method = dmft``,
    and ``labels`` (p, delta_p, delta2, temperature, cbar0) as constant columns."""
    out = _thin(df, n_keep)[["t", "cbar", "mu", "energy"]].copy()
    out.insert(0, "method", "dmft")
    for k, v in labels.items():
        out[k] = v
    return out
