"""Isolated minima of the Kac-Rice landscape of the spiked matrix-tensor model.

ICML 2019 ("Passed & Spurious"), Sec. 4: the annealed complexity of minima touches 0 at
isolated overlaps m, the roots of the ML-AMP fixed-point equation
m = Q'(m)/√(Q'(m)² + Q'(1)) at which the maximising Lagrange multiplier is t* > 2: the good
minimum m* > 0 and, for odd p at large enough 1/Δ2, one anti-aligned with the signal.
Roots by sign changes on a grid of 20001 points refined by ``brentq`` to 1e-15.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import brentq

from highdim_dynamics.core.validation import Int, Real, constrained
from highdim_dynamics.spiked.theory.kac_rice import max_complexity_over_t

_MODEL = dict(p=Int(3), delta2=Real(gt=0), delta_p=Real(gt=0))


def ml_fixed_point_residual(m, p, delta2, delta_p):
    """m √(Q'(m)² + Q'(1)) − Q'(m): zero at the ML-AMP fixed points (any sign of m)."""
    dq = m / delta2 + m ** (p - 1) / delta_p  # Q'(m)
    return m * np.sqrt(dq * dq + 1.0 / delta2 + 1.0 / delta_p) - dq


@constrained(_MODEL)
def isolated_minima(p: int, delta2: float, delta_p: float) -> dict:
    """Overlaps of the isolated minima: roots of m = Q'(m)/√(Q'(m)² + f'(1)) with Σ* = 0, t* > 2.

    Returns a dict ``{"good_minimum": m* > 0, "anti_aligned_minimum": m < 0}`` with the
    entries that exist (roots on a grid of 20001 points in (−1, 1) refined by brentq; a
    root counts as an isolated minimum when the maximiser of the Kac-Rice complexity over
    the energies there has t* > 2).
    """
    grid = np.linspace(-1 + 1e-9, 1 - 1e-9, 20001)
    g = ml_fixed_point_residual(grid, p, delta2, delta_p)
    out = {}
    for i in np.flatnonzero(np.sign(g[:-1]) * np.sign(g[1:]) < 0):
        root = brentq(
            ml_fixed_point_residual,
            grid[i],
            grid[i + 1],
            args=(p, delta2, delta_p),
            xtol=1e-15,
            rtol=1e-15,
        )
        if abs(root) < 1e-6:
            continue
        r = max_complexity_over_t(root, p, delta2, delta_p)
        if r["t"] > 2.0:
            out["good_minimum" if root > 0 else "anti_aligned_minimum"] = root
    return out
