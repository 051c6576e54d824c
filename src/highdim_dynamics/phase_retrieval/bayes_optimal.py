"""Bayes-optimal thresholds of noiseless real phase retrieval (GLM, Gaussian prior, y = |z|).

Replica formula and AMP state evolution of the generalised linear model (Barbier, Krzakala,
Macris, Miolane, Zdeborová, PNAS 116, 5451 (2019), Eqs. of Sec. "Main results"), for the
Gaussian prior N(0, 1) and the deterministic channel y = |z|.  Both are written in the
variance V = 1 - q of the posterior (q the overlap), which keeps the perfect-recovery
end q -> 1 free of rounding.

With ω = √q ξ, z = ω + √V u (ξ, u ~ N(0, 1) independent) and y = |z|, the channel's
partition function is Z_out(y; ω, V) = N(y; ω, V) + N(-y; ω, V), so that

    ln Z_out = -½ ln(2πV) - (|z| - |ω|)²/(2V) + ln(1 + exp(-2|zω|/V)),
    g_out    = ∂_ω ln Z_out = (z tanh(zω/V) - ω)/V       (|z| tanh(|z|a) = z tanh(za)).

* **State evolution** (Bayes-AMP, Gaussian prior):  q̂ = α E[g_out²],
  q ← q̂/(1 + q̂), i.e. V ← 1/(1 + q̂).
* **Free entropy** (replica-symmetric potential, prior conjugate eliminated at
  q̂ = q/(1 - q)):  F(q) = ½ ln(1 - q) + q/2 + α Ψ_out(q),  Ψ_out = E ln Z_out,
  stationary exactly at the fixed points of the state evolution (dΨ_out/dq = E[g_out²]/2).

Thresholds (all in α = n/p):

* ``alpha_weak_recovery``: q = 0 is unstable above 1/E[(z² - 1)²] = 1/2 (closed form; the
  Lu–Li value of the spectral method with T = 1 - 1/y² is the same number);
* ``alpha_amp``: along the fixed points α(q) = q/((1 - q) E[g_out²]); its interior maximum
  is the spinodal where the AMP fixed point q* < 1 disappears: above it the state evolution
  from q → 0⁺ reaches q = 1 (perfect recovery by AMP).  This is the number called the
  algorithmic threshold α_alg ≈ 1.13 by Barbier et al.;
* ``alpha_it``: F(q) ~ ½(1 - α/α_IT) ln(1 - q) as q → 1, so the perfect-recovery end of the
  free entropy is -∞ below α_IT and +∞ above (Bayes-optimal error 0).  α_IT is computed from
  Ψ_out alone as -1/(2 s), s = lim_{V→0} dΨ_out/d ln V (Richardson-extrapolated in √V).

The independent routes used by the checks (:func:`amp_outcome`, :func:`perfect_recovery_stable`)
iterate the state evolution itself.  Quadrature: composite Gauss–Legendre in ξ ≥ 0 (panels
geometric from V/10, the integrands are even under (ξ, u) -> (-ξ, -u) and vary on the scale V
near ξ = 0) times Gauss–Hermite in u; relative error of E[g_out²] < 1e-9 for V >= 1e-10
(tested by refinement), thresholds to better than 1e-8.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import minimize_scalar
from scipy.special import roots_hermitenorm, roots_legendre

from highdim_dynamics.core.validation import (
    DivergenceError,
    ParameterError,
    in_interval,
    integer,
    positive,
)

#: quadrature resolution: (panels in ξ, Gauss-Legendre nodes per panel, Gauss-Hermite nodes in u)
_QUADRATURE = (40, 12, 200)
#: the V values of the Richardson extrapolation V -> 0 (error terms √V and V)
_V_EXTRAPOLATION = (1e-4, 1e-5, 1e-6)


def _grid(V: float, quadrature=_QUADRATURE):
    """Nodes (ξ ≥ 0 column, u row) and product weights of E over ξ, u ~ N(0, 1)."""
    n_panel, k, n_u = quadrature
    edges = np.concatenate([[0.0], np.geomspace(min(1e-3, V / 10.0), 12.0, n_panel)])
    x, w = roots_legendre(k)
    a, b = edges[:-1, None], edges[1:, None]
    xi = (a + (b - a) * (x + 1.0) / 2.0).ravel()
    w_xi = ((b - a) / 2.0 * w).ravel() * 2.0 * np.exp(-(xi**2) / 2.0) / np.sqrt(2.0 * np.pi)
    u, w_u = roots_hermitenorm(n_u)
    return xi[:, None], u[None, :], w_xi[:, None] * (w_u / w_u.sum())[None, :]


def _variance(name: str, V) -> float:
    return in_interval(name, V, 0.0, 1.0, closed="neither")


def channel_information(V: float, *, quadrature=_QUADRATURE) -> float:
    """E[g_out²] of the channel y = |z| at posterior variance V = 1 - q (q̂ = α × this).

    Parameters
    ----------
    V : float
        Posterior variance 1 - q, in (0, 1).
    quadrature : tuple of int
        (panels in ξ, Gauss-Legendre nodes per panel, Gauss-Hermite nodes in u).
    """
    V = _variance("V", V)
    xi, u, W = _grid(V, _check_quadrature(quadrature))
    om = np.sqrt(1.0 - V) * xi
    z = om + np.sqrt(V) * u
    g = (z * np.tanh(z * om / V) - om) / V
    return float(np.sum(W * g * g))


def channel_free_entropy(V: float, *, quadrature=_QUADRATURE) -> float:
    """Ψ_out = E ln Z_out(|z|; ω, V) of the channel y = |z| at V = 1 - q."""
    V = _variance("V", V)
    xi, u, W = _grid(V, _check_quadrature(quadrature))
    om = np.sqrt(1.0 - V) * xi
    z = om + np.sqrt(V) * u
    log_z = (
        -0.5 * np.log(2.0 * np.pi * V)
        - (np.abs(z) - np.abs(om)) ** 2 / (2.0 * V)
        + np.log1p(np.exp(-2.0 * np.abs(z * om) / V))
    )
    return float(np.sum(W * log_z))


def free_entropy(V: float, alpha: float) -> float:
    """Replica-symmetric potential F(q) = ½ ln V + q/2 + α Ψ_out(q), V = 1 - q."""
    V, alpha = _variance("V", V), positive("alpha", alpha)
    return 0.5 * np.log(V) + 0.5 * (1.0 - V) + alpha * channel_free_entropy(V)


def state_evolution_map(V: float, alpha: float) -> float:
    """One step of the Bayes-AMP state evolution in V = 1 - q: V ↦ 1/(1 + α E[g_out²])."""
    V, alpha = _variance("V", V), positive("alpha", alpha)
    return 1.0 / (1.0 + alpha * channel_information(V))


def fixed_point_alpha(V: float) -> float:
    """The α at which q = 1 - V is a fixed point of the state evolution: q/(V E[g_out²])."""
    V = _variance("V", V)
    return (1.0 - V) / (V * channel_information(V))


def alpha_weak_recovery(*, q: float = 1e-9) -> float:
    """Instability of q = 0: lim_{q→0} α(q) (closed form 1/2), evaluated at small ``q``."""
    q = in_interval("q", q, 0.0, 1e-3, closed="neither")
    return fixed_point_alpha(1.0 - q)


def alpha_amp(*, xtol: float = 1e-10) -> dict:
    """Spinodal of the AMP fixed point: the interior maximum of α(q) along the fixed points.

    Returns ``dict(alpha, q)``: above ``alpha`` the state evolution from q → 0⁺ reaches q = 1;
    ``q`` is the overlap at which the stable and unstable fixed points merge.
    """
    xtol = positive("xtol", xtol)
    res = minimize_scalar(
        lambda V: -fixed_point_alpha(V),
        bounds=(0.02, 0.6),
        method="bounded",
        options=dict(xatol=xtol),
    )
    if not res.success or not (0.02 + 1e-6 < res.x < 0.6 - 1e-6):
        raise DivergenceError(f"alpha_amp: no interior maximum of alpha(q) found (V = {res.x})")
    return dict(alpha=float(-res.fun), q=float(1.0 - res.x))


def _extrapolate_sqrt(values) -> float:
    """Value at V = 0 of a + b√V + cV fitted exactly through the points of _V_EXTRAPOLATION."""
    V = np.asarray(_V_EXTRAPOLATION)
    A = np.stack([np.ones_like(V), np.sqrt(V), V], axis=1)
    return float(np.linalg.solve(A, np.asarray(values))[0])


def alpha_it(*, log_step: float = 0.01) -> float:
    """Information-theoretic threshold from the free entropy at the perfect-recovery end.

    F(q) = ½ ln V + α Ψ_out + O(1) with Ψ_out = s ln V + O(1) as V → 0, so F(q → 1) = -∞ for
    α < -1/(2s) and +∞ above: α_IT = -1/(2s).  s is the slope of Ψ_out in ln V (centred
    differences of step ``log_step``), extrapolated to V = 0 in √V.
    """
    h = in_interval("log_step", log_step, 0.0, 0.5, closed="neither")
    slopes = [
        (channel_free_entropy(V * np.exp(h)) - channel_free_entropy(V * np.exp(-h))) / (2.0 * h)
        for V in _V_EXTRAPOLATION
    ]
    s = _extrapolate_sqrt(slopes)
    if not s < 0:
        raise DivergenceError(f"alpha_it: the free entropy does not diverge at q -> 1 (slope {s})")
    return -1.0 / (2.0 * s)


def perfect_recovery_stability() -> float:
    """α above which q = 1 attracts the state evolution: 1/lim_{V→0} V E[g_out²].

    Near q = 1 the state evolution is V ↦ V/(α V E[g_out²]) + O(V²): the multiplier is below
    one exactly for α above this value (the stability route to α_IT, independent of Ψ_out).
    """
    return 1.0 / _extrapolate_sqrt([V * channel_information(V) for V in _V_EXTRAPOLATION])


def iterate_state_evolution(
    alpha: float,
    V0: float,
    *,
    n_iter: int = 20_000,
    V_low: float = 1e-9,
    V_high: float = 1.0,
    rtol: float = 1e-9,
    quadrature=(24, 8, 120),
) -> dict:
    """Iterate the state evolution V ↦ 1/(1 + α E[g_out²]) from V0 = 1 - q0.

    Stops when V < ``V_low`` (perfect recovery reached: ``outcome = "perfect"``), when
    V > ``V_high`` (the iteration left the neighbourhood of q = 1: ``"escaped"``), when the
    relative change is below ``rtol`` (a fixed point q* < 1: ``"fixed_point"``), or after
    ``n_iter`` steps (``"unresolved"``).  The default quadrature is coarser than that of the
    thresholds (relative error of E[g_out²] ~ 1e-8, far below the 1e-3 offsets in α at which
    the iteration is used).  Returns ``dict(V, n_iter, outcome)``.
    """
    alpha, V = positive("alpha", alpha), _variance("V0", V0)
    n_iter = integer("n_iter", n_iter, minimum=1)
    V_low, V_high, rtol = (
        positive("V_low", V_low),
        positive("V_high", V_high),
        positive("rtol", rtol),
    )
    quadrature = _check_quadrature(quadrature)
    for k in range(1, n_iter + 1):
        V_new = 1.0 / (1.0 + alpha * channel_information(V, quadrature=quadrature))
        if V_new < V_low:
            return dict(V=V_new, n_iter=k, outcome="perfect")
        if V_new > V_high:
            return dict(V=V_new, n_iter=k, outcome="escaped")
        if abs(V_new - V) < rtol * V:
            return dict(V=V_new, n_iter=k, outcome="fixed_point")
        V = V_new
    return dict(V=V, n_iter=n_iter, outcome="unresolved")


def thresholds() -> dict:
    """α_IT (free entropy), α_AMP (spinodal of the state evolution) and α_WR (q = 0 stability)."""
    amp = alpha_amp()
    return dict(
        alpha_IT=alpha_it(),
        alpha_AMP=amp["alpha"],
        alpha_WR=alpha_weak_recovery(),
        q_spinodal=amp["q"],
    )


def _check_quadrature(quadrature) -> tuple:
    if len(quadrature) != 3:
        raise ParameterError(
            f"quadrature must be (panels, nodes per panel, Hermite nodes), got {quadrature!r}"
        )
    return tuple(integer(f"quadrature[{i}]", v, minimum=2) for i, v in enumerate(quadrature))
