"""Fixed points of the AMP state evolutions of the spiked matrix-tensor model.

With Q'(m) = m/Δ2 + m^{p−1}/Δp (PRX 2020, Sec. III; ICML 2019, Sec. 3):

* Bayes-AMP: m = Q'(m)/(1 + Q'(m)), the overlap Langevin at T = 1 converges to once it
  has escaped (Bayes-optimal temperature);
* ML-AMP: m = Q'(m)/√(Q'(m)² + Q'(1)), the overlap gradient flow converges to (the
  isolated minima of the Kac-Rice landscape are in :mod:`.theory.minima`).

Roots are bracketed by sign changes on a grid and refined by ``brentq`` to 1e-14.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import brentq

from highdim_dynamics.core.validation import Int, Real, constrained

_MODEL = dict(p=Int(3), delta2=Real(gt=0), delta_p=Real(gt=0))


def _qp(m, p, delta2, delta_p):
    return m / delta2 + m ** (p - 1) / delta_p


def _largest_root(g):
    """Largest root of ``g`` in (0, 1) (None if ``g`` does not change sign there)."""
    grid = np.linspace(1e-6, 1 - 1e-9, 4000)
    vals = g(grid)
    idx = np.flatnonzero(np.sign(vals[:-1]) != np.sign(vals[1:]))
    if len(idx) == 0:
        return None
    k = idx[-1]
    return float(brentq(g, grid[k], grid[k + 1], xtol=1e-14))


@constrained(_MODEL)
def bayes_amp_fixed_point(p, delta2, delta_p):
    """Largest root of m = Q'(m)/(1 + Q'(m)) in (0, 1): the informative Bayes-AMP fixed point
    (0.0 if there is none)."""
    m = _largest_root(lambda m: m - _qp(m, p, delta2, delta_p) / (1 + _qp(m, p, delta2, delta_p)))
    return 0.0 if m is None else m


@constrained(_MODEL)
def ml_amp_fixed_point(p, delta2, delta_p):
    """Largest root m of m = Q'(m)/√(Q'(m)² + Q'(1)) in (0, 1) and B = √(Q'(m)² + Q'(1))
    (gradient flow ends at μ = B + Q''(1)/B); m = 0 if there is no root."""
    q1 = _qp(1.0, p, delta2, delta_p)
    m = _largest_root(lambda m: m - _qp(m, p, delta2, delta_p)
                      / np.sqrt(_qp(m, p, delta2, delta_p) ** 2 + q1))
    if m is None:
        return 0.0, np.sqrt(q1)
    return m, float(np.sqrt(_qp(m, p, delta2, delta_p) ** 2 + q1))
