"""Annealing schedule of the tensor terms, as defined by Sarao Mannelli et al. (PRX 2020).

Every tensor term of the Hamiltonian used by the algorithm at time t is divided by
Tp(t) = 1 + (c/Δp) e^{−t/τ} for t > t_hold and by 1 + c/Δp for t <= t_hold (t_hold = 1),
i.e. Δp_eff(t) = Δp Tp(t) = Δp + c e^{−t/τ}.  The constants of the paper's protocol are
c = 100, τ = 70 (:data:`AUTHORS_SCHEDULE`).  In the DMFT the signal term at time t
carries a(t) = 1/Tp(t) and the noise kernel between times t and s carries a(t) a(s)
(the tensor noise is the same Gaussian tensor at both times, each scaled once).
"""

from __future__ import annotations

import numpy as np

from highdim_dynamics.core.validation import ParameterError, nonnegative, positive

#: (c, τ, t_hold) of the paper's annealing protocol.
AUTHORS_SCHEDULE = (100.0, 70.0, 1.0)
#: No annealing (a(t) = 1).
NO_SCHEDULE = (0.0, 1.0, 0.0)


def as_schedule(anneal) -> np.ndarray:
    """``None`` / ``(c, tau)`` / ``(c, tau, t_hold)`` / dict -> float array (c, τ, t_hold)."""
    if anneal is None:
        return np.array(NO_SCHEDULE)
    if isinstance(anneal, dict):
        unknown = set(anneal) - {"c", "tau", "t_hold"}
        if unknown:
            raise ParameterError(
                f"anneal has unknown keys {sorted(unknown)!r} (use c, tau, t_hold)"
            )
        anneal = (
            anneal.get("c", AUTHORS_SCHEDULE[0]),
            anneal.get("tau", AUTHORS_SCHEDULE[1]),
            anneal.get("t_hold", AUTHORS_SCHEDULE[2]),
        )
    try:
        vals = tuple(anneal)
    except TypeError:
        raise ParameterError(
            f"anneal must be None, (c, tau[, t_hold]) or a dict, got {anneal!r}"
        ) from None
    if len(vals) not in (2, 3):
        raise ParameterError(f"anneal must be (c, tau[, t_hold]), got {anneal!r}")
    c = nonnegative("anneal c", vals[0])
    tau = positive("anneal tau", vals[1])
    t_hold = nonnegative("anneal t_hold", vals[2]) if len(vals) == 3 else AUTHORS_SCHEDULE[2]
    return np.array([c, tau, t_hold], dtype=float)
