"""Data of ``langevin_phase_diagram``: DMFT threshold points and the theory lines."""

from __future__ import annotations

import numpy as np
import pandas as pd

from highdim_dynamics.core.validation import (
    Int,
    ParameterError,
    constrained,
    integer,
    positive,
    sequence,
)
from highdim_dynamics.figures._spiked_dmft_data import spiked_constraints


def _model_pair(name, pair):
    """Validate one [p, Δp] pair of a ``points`` list."""
    if isinstance(pair, (str, bytes)) or not hasattr(pair, "__len__") or len(pair) != 2:
        raise ParameterError(f"{name} must be a pair [p, delta_p], got {pair!r}")
    return integer(f"{name} p", pair[0], minimum=3), positive(f"{name} delta_p", pair[1])


@constrained(spiked_constraints("t_max", "seed", n_points=Int(3), n_line=Int(2)))
def data(*, points, t_max=1000.0, n_points=5, n_line=40, seed=0) -> pd.DataFrame:
    """DMFT Langevin (T = 1) threshold points vs the closed-form line and the AMP / IT lines.

    ``points`` lists the (p, Δp) pairs where a DMFT threshold point is computed (the p = 4
    dome of the Langevin line lies at Δp < 0.5, the p = 3 points at Δp ~ 1).  Each point
    is the growth-rate extrapolation of
    :func:`highdim_dynamics.spiked.dmft.thresholds.dmft_threshold_points` on linear-regime
    runs of the DMFT engine (defaults; its step is capped by the explicit stability bound,
    as on the p = 4 dome).  Deterministic (``seed`` unused).

    Columns ``p, delta_p, line, inv_delta2, inv_delta2_err, method``: ``method`` = ``dmft``
    (``line`` = ``langevin_T1``, with error bar) or ``theory`` (``langevin_T1``, ``amp``,
    ``it`` on a grid of ``n_line`` values of Δp spanning each p's points).
    """
    from highdim_dynamics.spiked.dmft.thresholds import dmft_threshold_points
    from highdim_dynamics.spiked.theory.algorithmic_lines import langevin_line
    from highdim_dynamics.spiked.theory.bayes_optimal import bayes_optimal_thresholds

    pairs = sequence("points", points, _model_pair)
    p_values = sorted({p for p, _ in pairs})
    rows = []
    for p in p_values:
        dps = [dp for q, dp in pairs if q == p]
        pts = dmft_threshold_points(
            [p],
            dps,
            temperature=1.0,
            guess=lambda p, dp: langevin_line(p, dp, 1.0),
            t_max=t_max,
            n_points=n_points,
            progress=True,
        )
        rows += [
            dict(
                p=r.p,
                delta_p=r.delta_p,
                line="langevin_T1",
                inv_delta2=r.inv_delta2,
                inv_delta2_err=r.inv_delta2_err,
                method="dmft",
            )
            for r in pts.itertuples()
        ]
        for dp in np.linspace(min(dps) * 0.8, max(dps) * 1.2, n_line):
            lines = bayes_optimal_thresholds(p, dp, clip=True)
            lines["langevin_T1"] = langevin_line(p, dp, 1.0)
            for k in ("amp", "it", "langevin_T1"):
                rows.append(
                    dict(
                        p=p,
                        delta_p=dp,
                        line=k,
                        inv_delta2=float(lines[k]),
                        inv_delta2_err=np.nan,
                        method="theory",
                    )
                )
    return pd.DataFrame(rows)
