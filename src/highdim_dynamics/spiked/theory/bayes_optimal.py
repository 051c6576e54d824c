"""Bayes-optimal theory of the spiked matrix-tensor model: AMP state evolution and phases.

With a spherical prior the Bayes-AMP state evolution and the replica-symmetric free
entropy are one-dimensional (PRX 2020, Sec. III):

    m_{t+1} = Q'(m_t) / (1 + Q'(m_t)),                                   (SE)
    Φ(m)    = ψ(Q'(m)) − [m Q'(m) − Q(m)]/2,   ψ(r) = [r − ln(1 + r)]/2.    (RS)

Φ is stationary exactly at the fixed points of (SE) (dΦ/dm = Q''(m)/2 · [Q'/(1+Q') − m]).
From the fixed points we read, at fixed (p, Δp), three values of Δ2:

* ``amp``: largest Δ2 at which SE started from m → 0⁺ reaches the highest fixed point
  (AMP is Bayes-optimal below it: the *easy* phase);
* ``spinodal``: largest Δ2 at which an informative stable fixed point coexists with the
  one reached by AMP (above it only the uninformative solution exists);
* ``it``: the information-theoretic threshold, where Φ at the informative fixed point
  equals Φ at the fixed point reached by AMP (*hard* phase between ``amp`` and ``it``,
  *impossible* above ``it``).

For p = 3 the three coincide at Δ2 = 1 for Δp ≥ 1 (tricritical point at Δp = 1).
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import brentq

from highdim_dynamics.core.validation import (
    DivergenceError,
    Int,
    Less,
    ParameterError,
    Real,
    constrained,
    integer,
    positive,
)
from highdim_dynamics.spiked.model import MODEL_CONSTRAINTS, SpikedMatrixTensor

#: Grid on which sign changes of the fixed-point function are located before brentq:
#: dense near m = 0, where the fixed points of a nearly continuous transition live.
_M_GRID = np.unique(np.concatenate([np.geomspace(1e-16, 1e-2, 600), np.linspace(1e-2, 1.0, 2000)]))


def state_evolution_map(m, model: SpikedMatrixTensor):
    """One step of the Bayes-AMP state evolution, m ↦ Q'(m)/(1 + Q'(m))."""
    r = model.dQ(m)
    return r / (1.0 + r)


def free_entropy(m, model: SpikedMatrixTensor):
    """Replica-symmetric free entropy Φ(m) = ψ(Q'(m)) − [mQ'(m) − Q(m)]/2 (up to a constant)."""
    m = np.asarray(m, dtype=float)
    r = model.dQ(m)
    return 0.5 * (r - np.log1p(r)) - 0.5 * (m * r - model.Q(m))


def iterate_state_evolution(
    model: SpikedMatrixTensor,
    m0: float,
    *,
    rtol: float = 1e-13,
    floor: float = 1e-30,
    max_iter: int = 5_000_000,
) -> float:
    """Iterate (SE) from ``m0`` to its limit.

    Stops when the relative change |m_{t+1} − m_t| < rtol·m_t (a relative test, so that a
    slow escape from the unstable m = 0 is not mistaken for convergence), or returns 0 once
    m falls below ``floor`` (m = 0 is a fixed point).

    Examples
    --------
    >>> from highdim_dynamics.spiked import SpikedMatrixTensor, iterate_state_evolution
    >>> round(iterate_state_evolution(SpikedMatrixTensor(3, 0.5, 1.0), 1e-8), 6)
    0.618034
    """
    m = float(m0)
    for _ in range(max_iter):
        m_new = float(state_evolution_map(m, model))
        if m_new < floor:
            return 0.0
        if abs(m_new - m) < rtol * m:
            return m_new
        m = m_new
    raise DivergenceError(
        f"state evolution did not converge in {max_iter} iterations from m0 = {m0} at {model}"
    )


def fixed_points(model: SpikedMatrixTensor) -> tuple[np.ndarray, np.ndarray]:
    """All fixed points of (SE) in [0, 1] and whether each is stable.

    Returns
    -------
    points, stable : ndarray
        Sorted fixed points (m = 0 always included) and a boolean stability flag
        (|d map/dm| < 1, i.e. the fixed-point function crosses from + to −).
    """
    g = lambda m: state_evolution_map(m, model) - m  # noqa: E731
    values = g(_M_GRID)
    points = [0.0]
    stable = [1.0 / model.delta2 < 1.0]  # map'(0) = Q''(0) = 1/Δ2
    sign_change = np.flatnonzero(np.sign(values[:-1]) * np.sign(values[1:]) < 0)
    for i in sign_change:
        root = brentq(g, _M_GRID[i], _M_GRID[i + 1], xtol=1e-15, rtol=1e-15)
        points.append(root)
        stable.append(values[i] > 0 > values[i + 1])
    return np.array(points), np.array(stable)


@constrained(MODEL_CONSTRAINTS)
def bayes_amp_fixed_point(p, delta2, delta_p) -> float:
    """The informative Bayes-AMP fixed point: the largest root of m = Q'(m)/(1 + Q'(m)) in
    [0, 1] (PRX 2020 Sec. III; 0 when only m = 0 exists), from :func:`fixed_points`."""
    return float(fixed_points(SpikedMatrixTensor(p, delta2, delta_p))[0][-1])


def phase(model: SpikedMatrixTensor) -> dict:
    """Fixed points reached by AMP from m → 0⁺ and the informative (highest) one.

    Returns a dict with ``m_amp`` (limit of SE from 0⁺), ``m_high`` (largest fixed point),
    ``phi_gap`` = Φ(m_high) − Φ(m_amp), and booleans ``amp_succeeds`` (AMP reaches an
    informative m_high > 0) and ``coexistence`` (two distinct stable fixed points).
    """
    points, stable = fixed_points(model)
    if stable[0] or not stable[1:].any():  # (a root below the grid counts as m = 0)
        m_amp = 0.0
    else:  # m = 0 unstable: SE climbs to the first stable fixed point above 0
        m_amp = float(points[1:][stable[1:]][0])
    m_high = float(points[-1])
    informative = m_high > 0.0
    coexist = informative and m_high - m_amp > 1e-6
    gap = float(free_entropy(m_high, model) - free_entropy(m_amp, model))
    return dict(
        m_amp=m_amp,
        m_high=m_high,
        phi_gap=gap,
        amp_succeeds=informative and not coexist,
        coexistence=coexist,
    )


def _validate(p, delta_p):
    return integer("p", p, minimum=3), positive("delta_p", delta_p)


def _bisect_inv_delta2(predicate, lo: float, hi: float, tol: float = 1e-11) -> float:
    """Bisection on y = 1/Δ2 for the change of a boolean predicate (False at lo, True at hi)."""
    if predicate(lo) or not predicate(hi):
        raise ParameterError(f"no threshold bracketed in 1/delta2 ∈ [{lo}, {hi}]")
    while hi - lo > tol * max(1.0, hi):
        mid = 0.5 * (lo + hi)
        if predicate(mid):
            hi = mid
        else:
            lo = mid
    return 0.5 * (lo + hi)


@constrained(
    dict(p=Int(3), delta_p=Real(gt=0), y_max=Real(gt=0), y_min=Real(gt=0)), [Less("y_min", "y_max")]
)
def bayes_optimal_thresholds(
    p: int, delta_p: float, *, y_max: float = 50.0, y_min: float = 1e-3, clip: bool = False
) -> dict:
    """AMP, information-theoretic and spinodal thresholds at fixed (p, Δp), as values of 1/Δ2.

    The algorithm or estimator works **above** each returned 1/Δ2 (more signal).

    Parameters
    ----------
    p : int
        Tensor order (>= 3).
    delta_p : float
        Tensor noise variance (> 0).
    y_max, y_min : float
        Range of 1/Δ2 searched.
    clip : bool
        Where the hard phase extends below ``y_min`` (the tensor alone is informative, so
        the spinodal and possibly the IT line lie at or near 1/Δ2 = 0), return ``y_min``
        for them; without ``clip`` that raises :class:`ParameterError` instead of
        returning the search edge as if it were a threshold.

    Returns
    -------
    dict
        ``amp``, ``it``, ``spinodal`` (values of 1/Δ2).

    Examples
    --------
    >>> from highdim_dynamics.spiked import bayes_optimal_thresholds
    >>> lines = bayes_optimal_thresholds(3, 0.5)   # p = 3, Δp = 0.5: a hard phase
    >>> {name: round(float(y), 4) for name, y in lines.items()}
    {'amp': 1.0, 'it': 0.8512, 'spinodal': 0.8284}
    """
    p, delta_p = _validate(p, delta_p)
    at = lambda y: phase(SpikedMatrixTensor(p, 1.0 / y, delta_p))  # noqa: E731
    # AMP succeeds for all large 1/Δ2 and never for 1/Δ2 < 1 (m = 0 stable, Q''(0) = 1/Δ2).
    y_amp = _bisect_inv_delta2(lambda y: at(y)["amp_succeeds"], 0.5, y_max)
    # Coexistence (hard phase) is an interval (y_sp, y_amp); find its lower end by scanning.
    # Where coexistence extends down to 1/Δ2 → 0 (pure tensor channel informative on its
    # own), the spinodal and IT lines are clipped at y_min.
    ys = np.linspace(y_min, y_amp, 400)[:-1]
    coexist = np.array([at(y)["coexistence"] for y in ys])
    if not coexist.any():
        return dict(amp=y_amp, it=y_amp, spinodal=y_amp)
    first = int(np.argmax(coexist))
    if first == 0:
        if not clip:
            raise ParameterError(
                f"bayes_optimal_thresholds: at p = {p!r}, delta_p = {delta_p!r} the hard phase "
                f"extends below 1/delta2 = y_min = {y_min!r}, so the spinodal (and maybe the IT "
                "line) lies below the searched range; lower y_min, or pass clip=True to get "
                "y_min for the lines below it"
            )
        y_sp = y_min
    else:
        # The spinodal is where coexistence starts.  Bisect on the coexistence alone: at
        # p = 4 near the end of the hard phase (Δp ≈ 0.26) AMP is re-entrant (a weak
        # informative fixed point just above 1/Δ2 = 1, then the coexistence window), so
        # "AMP succeeds" is not monotone below the window.
        y_sp = _bisect_inv_delta2(lambda y: at(y)["coexistence"], ys[first - 1], ys[first])

    def informative_wins(y):
        ph = at(y)
        return ph["amp_succeeds"] or (ph["coexistence"] and ph["phi_gap"] > 0)

    if informative_wins(y_sp * (1 + 1e-9)):
        return dict(amp=y_amp, it=y_sp, spinodal=y_sp)
    y_it = _bisect_inv_delta2(informative_wins, y_sp * (1 + 1e-9), y_amp)
    return dict(amp=y_amp, it=y_it, spinodal=y_sp)
