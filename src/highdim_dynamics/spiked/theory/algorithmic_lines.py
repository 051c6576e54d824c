"""Closed-form algorithmic thresholds of the spiked matrix-tensor model, as values of 1/Δ2.

Each function returns the value of 1/Δ2 above which the algorithm recovers the signal
(for N → ∞), at fixed (p, Δp); see ``docs/spiked.md`` and ``docs/landscape.md``.

* ML-AMP (Passed & Spurious, ICML 2019): stability of m = 0 in
  m' = Q'(m)/√(Q'(m)² + Q'(1)): 1/Δ2² = 1/Δ2 + 1/Δp.
* Gradient flow (Big Bad Minima, NeurIPS 2019): BBP instability of the threshold states,
  1/Δ2² = 1/Δ2 + (p−1)/Δp.
* Langevin at temperature T (PRX 2020, Sec. VI): with q_th the largest root in (0, 1] of
  (1−q)² Q''(q) = T² (the threshold states), Langevin succeeds iff 1/Δ2 > T/(1−q_th).
  For T = 1, p = 3 this gives Δ2 = √(Δp/2) for Δp < 2 and Δ2 = 1 above.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import brentq

from highdim_dynamics.core.validation import integer, nonnegative, positive
from highdim_dynamics.spiked.model import SpikedMatrixTensor


def _positive_root(linear: float) -> float:
    """Positive root of y² − y − linear = 0."""
    return 0.5 * (1.0 + np.sqrt(1.0 + 4.0 * linear))


def ml_amp_line(p: int, delta_p: float) -> float:
    """1/Δ2 of the ML-AMP threshold: 1/Δ2² = 1/Δ2 + 1/Δp (independent of p).

    Examples
    --------
    >>> from highdim_dynamics.spiked import ml_amp_line
    >>> round(float(ml_amp_line(3, 1.0)), 6)   # the golden ratio
    1.618034
    """
    integer("p", p, minimum=3)
    return _positive_root(1.0 / positive("delta_p", delta_p))


def gradient_flow_line(p: int, delta_p: float) -> float:
    """1/Δ2 of the gradient-flow threshold: 1/Δ2² = 1/Δ2 + (p−1)/Δp.

    Examples
    --------
    >>> from highdim_dynamics.spiked import gradient_flow_line
    >>> float(gradient_flow_line(3, 1.0))
    2.0
    """
    p = integer("p", p, minimum=3)
    return _positive_root((p - 1) / positive("delta_p", delta_p))


_Q_GRID = np.linspace(0.0, 1.0, 4001)


def threshold_overlap(model: SpikedMatrixTensor, temperature: float) -> float:
    """q_th: the largest root in (0, 1] of (1−q)² Q''(q) = T²; 0 when there is none.

    The function is scanned from q = 1 downwards so that the *largest* root is returned
    (a plain root solve can land on a spurious branch for p = 4).
    """
    T2 = nonnegative("temperature", temperature) ** 2
    F = lambda q: (1.0 - q) ** 2 * model.d2Q(q) - T2  # noqa: E731
    values = F(_Q_GRID)
    crossing = np.flatnonzero(np.sign(values[:-1]) != np.sign(values[1:]))
    crossing = crossing[_Q_GRID[crossing + 1] > 0]
    if crossing.size == 0:
        return 0.0
    i = crossing[-1]
    if values[i + 1] == 0.0:
        return float(_Q_GRID[i + 1])
    return float(brentq(F, _Q_GRID[i], _Q_GRID[i + 1], xtol=1e-15))


def langevin_succeeds(model: SpikedMatrixTensor, temperature: float) -> bool:
    """Whether Langevin at temperature T escapes the threshold states: 1/Δ2 > T/(1 − q_th)."""
    q = threshold_overlap(model, temperature)
    return 1.0 / model.delta2 > temperature / (1.0 - q)


def langevin_line(
    p: int, delta_p: float, temperature: float = 1.0, *, y_max: float = 50.0
) -> float:
    """1/Δ2 of the Langevin threshold at temperature T (T > 0), by bisection on 1/Δ2.

    Success is monotone in 1/Δ2; the bisection brackets [T·1e-3, y_max] and converges to
    1e-12 relative.

    Examples
    --------
    >>> from highdim_dynamics.spiked import langevin_line
    >>> round(langevin_line(3, 1.0), 6)   # p = 3, T = 1: Δ2 = √(Δp/2)
    1.414214
    """
    p = integer("p", p, minimum=3)
    delta_p = positive("delta_p", delta_p)
    T = positive("temperature", temperature)
    ok = lambda y: langevin_succeeds(SpikedMatrixTensor(p, 1.0 / y, delta_p), T)  # noqa: E731
    lo, hi = 1e-3 * T, y_max
    while hi - lo > 1e-12 * hi:
        mid = 0.5 * (lo + hi)
        lo, hi = (lo, mid) if ok(mid) else (mid, hi)
    return 0.5 * (lo + hi)
