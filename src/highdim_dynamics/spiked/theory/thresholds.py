"""Landscape thresholds of the spiked matrix-tensor model as values of 1/Δ2 at fixed (p, Δp).

``docs/landscape.md``; Passed & Spurious (ICML 2019), Big Bad Minima
(NeurIPS 2019), Marvels & Pitfalls (PRX 2020).

Trivialisation (Kac-Rice).  Numerically (checked over p = 3, 4, 5, Δp ∈ [0.1, 10],
1/Δ2 ∈ [0.3, 6] in the tests) every overlap at which the annealed complexity of minima
is positive has its maximum at the edge t = 2 of the allowed Lagrange multipliers: the
exponentially many spurious minima are *threshold* minima.  Isolated minima (the good
one at m* and, for odd p, the anti-aligned one at m < 0) sit where Σ touches 0 with
t > 2.  Hence "exponentially many spurious minima at overlap m" ⇔ S₂(m) ≡ Σ(m, t = 2) > 0,
a closed-form smooth function of m, and the trivialisation line is the largest 1/Δ2 at
which max_{m ∈ M} S₂(m) = 0, for three sets M:

* ``m0``       : M = {0}   (minima uncorrelated with the signal);
* ``m_nonneg`` : M = [0, 1);
* ``all_m``    : M = (−1, 1).  For odd p this does **not** count the isolated
  anti-aligned minimum, which survives at every 1/Δ2 (its complexity is exactly 0 and
  it never becomes a saddle: t > 2 and θ < 1 there); the band of threshold minima
  drifts to m < 0 as 1/Δ2 grows and disappears into it.

Gradient flow (T = 0): two independent routes that must agree (a test compares them
with ``spiked.theory.algorithmic_lines.gradient_flow_line``):

* BBP: the m = 0 threshold minima (t = 2) keep a positive Hessian while θ(m = 0) =
  (1/Δ2)/σ ≤ 1; the line is θ = 1, solved by bisection on the Kac-Rice θ;
* threshold states at temperature T → 0: q_th(T) → 1 with T/(1 − q_th) → √f''(1).

Langevin at temperature T (PRX 2020, Sec. VI): q_th the largest root in (0, 1] of
(1 − q)² f''(q) = T², success iff 1/Δ2 > T/(1 − q_th).  The root is found by scanning q
downwards from 1 (the largest root; a local solver can land on a spurious branch for
p = 4), then bisection on 1/Δ2.
"""

from __future__ import annotations

import numpy as np

from highdim_dynamics.core.validation import ParameterError, choice, integer, nonnegative, positive
from highdim_dynamics.spiked.model import d2Q, ml_amp_fixed_point
from highdim_dynamics.spiked.theory.kac_rice import (
    bbp_large_deviation,
    max_complexity_over_t,
    model_scales,
)

__all__ = [
    "TRIVIALISATION_DEFINITIONS",
    "threshold_complexity",
    "max_threshold_complexity",
    "trivialisation_line",
    "gradient_flow_line_bbp",
    "threshold_overlap",
    "langevin_line",
    "good_minimum",
    "threshold_energy",
    "ml_amp_line_stability",
]

TRIVIALISATION_DEFINITIONS = ("m0", "m_nonneg", "all_m")

#: m-grid for the maximisation of S₂ over overlaps; refined by golden section around the
#: best grid point (S₂ is smooth: the grid only has to isolate the right local maximum).
_M_GRID_SIZE = 801
_GOLDEN_STEPS = 40
#: A band of minima counts when its complexity exceeds this floor.  Above the ``all_m``
#: line for odd p, S₂ touches 0 at the anti-aligned minimum (t* = 2 there), where the
#: computed value is 0 up to rounding (|S₂| ≲ 1e-15: S₂ is a sum of O(1) terms); a strict
#: "> 0" made the line depend on rounding at the 1e-5 level.  The floor, ~50 ulp of the
#: O(1) terms, stays far below the complexities that matter: near the lines Σ ~ 1e-8 to
#: 1e-3, and even at Δp = 1e3 (where Σ ~ 4e-11 around 1/Δ2 = 1) the lines are resolved.
SIGMA_FLOOR = 1e-14
#: relative bracket width at which bisections on 1/Δ2 stop.
_Y_RTOL = 1e-10


def _delta_p_array(delta_p):
    arr = np.atleast_1d(np.asarray(delta_p, dtype=float))
    if arr.ndim != 1 or not np.all(np.isfinite(arr)) or np.any(arr <= 0):
        raise ParameterError(f"delta_p must be > 0 (a number or 1-D array), got {delta_p!r}")
    return arr


def threshold_complexity(m, p, delta2, delta_p):
    """S₂(m) = Σ(m, t = 2): complexity of threshold minima at overlap m (energies split optimally).

    Σ(m, 2) = base(m) − (2σ − mQ'(m))²/(2K) + Φ(2) − L(θ, 2), Φ(2) = 1 (module docstring of
    :mod:`~highdim_dynamics.spiked.theory.kac_rice`).
    """
    s = model_scales(m, p, delta2, delta_p)
    return (
        s["base"]
        - (2.0 * s["sigma"] - s["m"] * s["dq"]) ** 2 / (2.0 * s["K"])
        + 1.0
        - bbp_large_deviation(s["theta"], 2.0)
    )


def max_threshold_complexity(p, delta2, delta_p, definition: str):
    """max over m ∈ M of S₂(m), M given by ``definition`` (see module docstring).

    Vectorised over 1-D arrays ``delta2``, ``delta_p`` of equal length (or scalars).
    Returns (value, argmax m).
    """
    choice("definition", definition, TRIVIALISATION_DEFINITIONS)
    d2, dp = np.broadcast_arrays(
        np.atleast_1d(np.asarray(delta2, float)), np.atleast_1d(np.asarray(delta_p, float))
    )
    if definition == "m0":
        return threshold_complexity(0.0, p, d2, dp), np.zeros(d2.shape)
    lo_m = 0.0 if definition == "m_nonneg" else -1.0
    grid = np.linspace(lo_m, 1.0, _M_GRID_SIZE)[None, :]
    grid = grid[:, 1:-1] if lo_m < 0 else grid[:, :-1]
    vals = threshold_complexity(grid, p, d2[:, None], dp[:, None])
    k = np.argmax(vals, axis=1)
    h = grid[0, 1] - grid[0, 0]
    a = np.maximum(grid[0, k] - h, lo_m if lo_m == 0.0 else -1.0 + 1e-12)
    b = np.minimum(grid[0, k] + h, 1.0 - 1e-12)
    # golden section on [a, b] (vectorised); keep the grid value if refinement is worse
    g = (np.sqrt(5.0) - 1.0) / 2.0
    c, d = b - g * (b - a), a + g * (b - a)
    fc, fd = threshold_complexity(c, p, d2, dp), threshold_complexity(d, p, d2, dp)
    for _ in range(_GOLDEN_STEPS):
        left = fc > fd  # maximum in [a, d]
        a, b = np.where(left, a, c), np.where(left, d, b)
        new = np.where(left, b - g * (b - a), a + g * (b - a))
        f_new = threshold_complexity(new, p, d2, dp)
        c, d, fc, fd = (
            np.where(left, new, d),
            np.where(left, c, new),
            np.where(left, f_new, fd),
            np.where(left, fc, f_new),
        )
    m_ref = 0.5 * (a + b)
    v_ref = threshold_complexity(m_ref, p, d2, dp)
    v_grid = vals[np.arange(vals.shape[0]), k]
    better = v_ref > v_grid
    return np.where(better, v_ref, v_grid), np.where(better, m_ref, grid[0, k])


def _largest_crossing(positive_at, y_lo, y_hi, n_scan=64):
    """Largest y in [y_lo, y_hi] where ``positive_at(y)`` switches from True to False.

    Vectorised over Δp: ``positive_at`` maps an array of y (one per Δp) to booleans.
    Scans a geometric grid, then bisects between the last True and the next grid point.
    """
    ys = np.geomspace(y_lo, y_hi, n_scan)  # (n_scan, n_dp)
    flags = np.array([positive_at(y) for y in ys])
    if np.any(flags[-1]):
        raise ParameterError("threshold above the search range; raise y_max")
    last_true = np.where(flags.any(axis=0), flags.shape[0] - 1 - np.argmax(flags[::-1], axis=0), -1)
    if np.any(last_true < 0):
        raise ParameterError("threshold below the search range; lower y_min")
    idx = np.arange(ys.shape[1])
    lo, hi = ys[last_true, idx], ys[last_true + 1, idx]
    while np.any(hi - lo > _Y_RTOL * hi):
        mid = 0.5 * (lo + hi)
        up = positive_at(mid)
        lo, hi = np.where(up, mid, lo), np.where(up, hi, mid)
    return 0.5 * (lo + hi)


def trivialisation_line(p: int, delta_p, definition: str = "m0"):
    """1/Δ2 above which no exponential family of spurious minima remains (annealed Kac-Rice).

    Parameters
    ----------
    p : int
        Tensor order, ≥ 3.
    delta_p : float or 1-D array
        Tensor noise, > 0.
    definition : {'m0', 'm_nonneg', 'all_m'}
        The set of overlaps searched (module docstring).

    Returns
    -------
    ndarray
        The line, one value per Δp.

    Examples
    --------
    >>> from highdim_dynamics.spiked import trivialisation_line
    >>> trivialisation_line(3, [1.0]).round(4)   # above the gradient-flow line (2.0)
    array([2.4628])
    """
    p = integer("p", p, minimum=3)
    dp = _delta_p_array(delta_p)
    choice("definition", definition, TRIVIALISATION_DEFINITIONS)
    # the lines lie above the gradient-flow line (≥ 1) and below a few times it
    gf = gradient_flow_line_bbp(p, dp)
    return _largest_crossing(
        lambda y: max_threshold_complexity(p, 1.0 / y, dp, definition)[0] > SIGMA_FLOOR,
        np.full(dp.shape, 0.05),
        4.0 * gf + 4.0,
    )


def gradient_flow_line_bbp(p: int, delta_p):
    """1/Δ2 at which threshold minima at m = 0 acquire a BBP outlier: θ(m=0) = 1.

    Bisection on the Kac-Rice θ = (1/Δ2)/σ (an increasing function of 1/Δ2); independent
    of the closed form 1/Δ2² − 1/Δ2 = (p−1)/Δp it must reproduce.

    Examples
    --------
    >>> from highdim_dynamics.spiked import gradient_flow_line_bbp
    >>> gradient_flow_line_bbp(3, [0.5, 1.0, 2.0]).round(6)   # 1/Δ2² = 1/Δ2 + 2/Δp
    array([2.561553, 2.      , 1.618034])
    """
    p = integer("p", p, minimum=3)
    dp = _delta_p_array(delta_p)
    lo = np.full(dp.shape, 1e-6)
    hi = np.full(dp.shape, 1e6)
    while np.any(hi - lo > _Y_RTOL * hi):
        mid = np.sqrt(lo * hi) if np.any(hi / lo > 4) else 0.5 * (lo + hi)
        theta = model_scales(0.0, p, 1.0 / mid, dp)["theta"]
        lo, hi = np.where(theta < 1.0, mid, lo), np.where(theta < 1.0, hi, mid)
    return 0.5 * (lo + hi)


_Q_SCAN = np.linspace(0.0, 1.0, 20001)


def threshold_overlap(p: int, delta2: float, delta_p: float, temperature: float) -> float:
    """q_th(T): the largest root in (0, 1] of (1 − q)² f''(q) = T² (threshold states at T).

    T = 0 returns 1.  Returns 0 when there is no root in (0, 1] (the threshold states
    are at q = 0: paramagnet).
    """
    p = integer("p", p, minimum=3)
    delta2, delta_p = positive("delta2", delta2), positive("delta_p", delta_p)
    T = nonnegative("temperature", temperature)
    if T == 0.0:
        return 1.0
    q = _Q_SCAN
    g = (1.0 - q) ** 2 * d2Q(q, p, delta2, delta_p) - T * T
    # g(1) = −T² < 0; the largest root is the last sign change scanning from q = 1 down
    sign_change = np.flatnonzero((g[:-1] > 0) & (g[1:] <= 0))
    if sign_change.size == 0:
        return 0.0
    i = sign_change[-1]
    a, b = q[i], q[i + 1]
    fa = g[i]
    for _ in range(60):
        c = 0.5 * (a + b)
        fc = (1.0 - c) ** 2 * d2Q(c, p, delta2, delta_p) - T * T
        if (fc > 0) == (fa > 0):
            a, fa = c, fc
        else:
            b = c
    return 0.5 * (a + b)


def _langevin_ratio(p, delta2, delta_p, temperature):
    """T/(1 − q_th(T)); at T = 0 its limit √f''(1)."""
    if temperature == 0.0:
        return float(np.sqrt(d2Q(1.0, p, delta2, delta_p)))
    q = threshold_overlap(p, delta2, delta_p, temperature)
    return temperature / (1.0 - q)


def langevin_line(p: int, delta_p: float, temperature: float = 1.0) -> float:
    """1/Δ2 above which Langevin at temperature T escapes its threshold states.

    Solves 1/Δ2 = T/(1 − q_th(T; Δ2)) by bisection on 1/Δ2 (success ⇔ 1/Δ2 > T/(1−q_th)),
    T = 0 being gradient flow.
    """
    p = integer("p", p, minimum=3)
    delta_p = positive("delta_p", delta_p)
    T = nonnegative("temperature", temperature)
    ok = lambda y: y > _langevin_ratio(p, 1.0 / y, delta_p, T)  # noqa: E731
    lo, hi = 1e-3, 1e3
    if ok(lo) or not ok(hi):
        raise ParameterError(
            f"Langevin line for p={p}, delta_p={delta_p}, T={T} outside [1e-3, 1e3]"
        )
    while hi - lo > _Y_RTOL * hi:
        mid = 0.5 * (lo + hi)
        lo, hi = (lo, mid) if ok(mid) else (mid, hi)
    return 0.5 * (lo + hi)


def good_minimum(p: int, delta2: float, delta_p: float) -> dict:
    """The good (signal-correlated) minimum at m* > 0 and its Kac-Rice energy.

    m* is the largest root in (0, 1) of m = Q'(m)/√(Q'(m)² + f'(1)) (the ML-AMP fixed
    point); at it the annealed complexity of minima touches 0 (tested), and
    :func:`~highdim_dynamics.spiked.theory.kac_rice.max_complexity_over_t` gives the energy
    and Lagrange multiplier of that isolated minimum.  Returns NaN entries when no
    such root exists (checked by the caller).

    Examples
    --------
    >>> from highdim_dynamics.spiked import good_minimum
    >>> {k: round(v, 4) for k, v in good_minimum(3, 0.5, 1.0).items()}
    {'m': 0.7827, 'energy': -1.8505, 't': 2.1101, 'sigma': 0.0}
    """
    mstar, _ = ml_amp_fixed_point(p, delta2, delta_p)
    if mstar == 0.0:
        return dict(m=np.nan, energy=np.nan, t=np.nan, sigma=np.nan)
    r = max_complexity_over_t(mstar, p, delta2, delta_p)
    return dict(
        m=float(mstar), energy=float(r["energy"]), t=float(r["t"]), sigma=float(r["sigma_max"])
    )


def threshold_energy(p: int, delta2, delta_p):
    """Energy per site of the m = 0 threshold minima: t = 2 with the optimal split.

    ε_th = −2σ f'(1)/K (K = σ² + f'(1)); at m = 0 the complexity of minima (without BBP
    cost) is maximal there, and for Δ2 → ∞, Δp = 1/p it is −2√((p−1)/p), the threshold
    energy of the pure spherical p-spin.  Vectorised over Δ2, Δp.
    """
    s = model_scales(0.0, integer("p", p, minimum=3), delta2, delta_p)
    return -2.0 * s["sigma"] * s["f1"] / s["K"]


def ml_amp_line_stability(p: int, delta_p):
    """1/Δ2 above which m = 0 is unstable under the ML-AMP state evolution.

    The map m ↦ Q'(m)/√(Q'(m)² + f'(1)) (ICML 2019) is linearised numerically at m = 0
    (slope = map(ε)/ε, ε = 1e-9) and the slope = 1 crossing is bisected in 1/Δ2: an
    independent route to the closed form 1/Δ2² = 1/Δ2 + 1/Δp.  Vectorised over Δp.
    """
    p = integer("p", p, minimum=3)
    dp = _delta_p_array(delta_p)
    eps = 1e-9

    def slope(y):
        dq = eps * y + eps ** (p - 1) / dp
        return dq / np.sqrt(dq * dq + y + 1.0 / dp) / eps

    lo, hi = np.full(dp.shape, 1e-6), np.full(dp.shape, 1e6)
    while np.any(hi - lo > _Y_RTOL * hi):
        mid = np.sqrt(lo * hi) if np.any(hi / lo > 4) else 0.5 * (lo + hi)
        up = slope(mid) > 1.0
        lo, hi = np.where(up, lo, mid), np.where(up, mid, hi)
    return 0.5 * (lo + hi)
