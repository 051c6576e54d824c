"""Annealed Kac-Rice complexity of local minima of the spiked matrix-tensor (2+p) model.

Passed & Spurious (ICML 2019, arXiv:1902.00139) and the NeurIPS 2019 follow-up
(arXiv:1907.08226): the complexity Σ(m, ε2, εp) of minima at overlap m and per-site
energies (ε2, εp), eq. (KR) of ``docs/numerics.md`` (Gaussian part, semicircle log-potential
Φ(t) and BBP large-deviation cost L(θ, t)), its closed-form maximum over the split of the
energy at fixed Lagrange multiplier t, and the maxima over t (bisection on the monotone
derivative of a concave function).  Closed forms to rounding; the independent quadrature
route is :mod:`.kac_rice_quadrature`.  All functions broadcast over numpy arrays of m, Δ2,
Δp (p is one integer).
"""

from __future__ import annotations

import numpy as np

from highdim_dynamics.core.validation import ParameterError, integer
from highdim_dynamics.spiked.model import d2Q, dQ

__all__ = [
    "semicircle_log_potential",
    "phi",
    "bbp_large_deviation",
    "model_scales",
    "complexity",
    "complexity_at_t",
    "max_complexity_over_t",
    "complexity_at_energy",
    "split_energies",
]

#: Bisection steps on the derivative: the bracket shrinks by 2^-80 (below double precision).
_BISECTION_STEPS = 80
#: t within this distance of the edge t = 2 is the edge (energies computed in floating point
#: at the threshold give t = 2 ± 1e-16, which must not flip Σ to −inf).
_EDGE_ROUNDING = 1e-12


# --------------------------------------------------------------------------- validation
def _array(name: str, values, low=None, high=None, closed: str = "neither") -> np.ndarray:
    arr = np.asarray(values, dtype=float)
    if not np.all(np.isfinite(arr)):
        raise ParameterError(f"{name} must be finite, got {values!r}")
    if low is not None:
        bad = arr < low if closed in ("left", "both") else arr <= low
        if np.any(bad):
            raise ParameterError(
                f"{name} must be {'>=' if closed in ('left', 'both') else '>'} {low}, "
                f"got {arr[bad].ravel()[0]!r}"
            )
    if high is not None:
        bad = arr > high if closed in ("right", "both") else arr >= high
        if np.any(bad):
            raise ParameterError(
                f"{name} must be {'<=' if closed in ('right', 'both') else '<'} {high}, "
                f"got {arr[bad].ravel()[0]!r}"
            )
    return arr


def _params(p, delta2, delta_p):
    p = integer("p", p, minimum=3)
    delta2 = _array("delta2", delta2, low=0.0)
    delta_p = _array("delta_p", delta_p, low=0.0)
    return p, delta2, delta_p


def _overlap(m):
    return _array("m", m, low=-1.0, high=1.0)


# --------------------------------------------------------------------------- random-matrix pieces
def semicircle_log_potential(t):
    """∫ log|t − y| ρ_sc(y) dy for the semicircle on [−2, 2] (vectorised).

    t²/4 − ½ for |t| ≤ 2; for |t| > 2 subtract |t|√(t²−4)/4 − log((|t| + √(t²−4))/2).
    """
    t = np.abs(np.asarray(t, dtype=float))
    out = t * t / 4.0 - 0.5
    outside = t > 2.0
    if np.any(outside):
        to = np.where(outside, t, 2.0)
        root = np.sqrt(to * to - 4.0)
        out = np.where(outside, out - to * root / 4.0 + np.log((to + root) / 2.0), out)
    return out


def phi(t):
    """Φ(t) = ½ + ∫ log|t − y| ρ_sc(y) dy (the Hessian determinant plus the volume constants)."""
    return 0.5 + semicircle_log_potential(t)


def _stieltjes(t):
    """G(t) = ∫ ρ_sc(y)/(t − y) dy = (t − √(t² − 4))/2 for t ≥ 2 (= dΦ/dt)."""
    return 0.5 * (t - np.sqrt(np.maximum(t * t - 4.0, 0.0)))


def _integral_sqrt(a, b):
    """∫_a^b √(y² − 4) dy for 2 ≤ a ≤ b (vectorised)."""

    def prim(y):
        r = np.sqrt(np.maximum(y * y - 4.0, 0.0))
        return 0.5 * y * r - 2.0 * np.log((y + r) / 2.0)

    return prim(b) - prim(a)


def bbp_large_deviation(theta, t):
    """L(θ, t): large-deviation cost for GOE + t − θvvᵀ (rank one, θ ≥ 0) to be positive.

    +inf for t < 2 (the bulk itself reaches below 0); 0 when θ ≤ 1 or t ≥ θ + 1/θ (no
    outlier, or the outlier is already positive); otherwise the formula of the module
    docstring.  Vectorised over θ and t.
    """
    theta, t = np.broadcast_arrays(np.asarray(theta, dtype=float), np.asarray(t, dtype=float))
    out = np.zeros(theta.shape)
    th = np.maximum(theta, 1.0)
    u = th + 1.0 / th
    active = (theta > 1.0) & (t < u) & (t >= 2.0)
    if np.any(active):
        tt = np.where(active, t, u)
        val = (
            (u * u - tt * tt) / 8.0
            - 0.25 * _integral_sqrt(tt, u)
            - (u - tt) ** 2 / 4.0
            - (u - tt) * (tt - th) / 2.0
        )
        out = np.where(active, val, out)
    return np.where(t < 2.0, np.inf, out)


def _bbp_large_deviation_slope(theta, t):
    """∂L/∂t = (t + √(t²−4))/4 − θ/2 where L is active, else 0 (t ≥ 2)."""
    u = np.maximum(theta, 1.0) + 1.0 / np.maximum(theta, 1.0)
    active = (theta > 1.0) & (t < u)
    slope = 0.25 * (t + np.sqrt(np.maximum(t * t - 4.0, 0.0))) - 0.5 * theta
    return np.where(active, slope, 0.0)


# --------------------------------------------------------------------------- model scales
def model_scales(m, p, delta2, delta_p):
    """Broadcast (m, Δ2, Δp) and return the scalars of (KR) as a dict of arrays.

    Keys: ``m, delta2, delta_p, sigma`` (σ = √f''(1)), ``f1`` (f'(1)), ``K`` (σ² + f'(1)),
    ``dq`` (Q'(m)), ``theta`` (θ), ``base`` (the t-independent part of Σ(m, t)),
    ``s2, sp`` (signal means −m²/(2Δ2), −m^p/(pΔp) of ε2, εp).
    """
    m, delta2, delta_p = np.broadcast_arrays(m, delta2, delta_p)
    f1 = dQ(1.0, p, delta2, delta_p)
    sigma2 = d2Q(1.0, p, delta2, delta_p)
    sigma = np.sqrt(sigma2)
    dq = dQ(m, p, delta2, delta_p)
    d2q = d2Q(m, p, delta2, delta_p)
    one_m2 = 1.0 - m * m
    base = 0.5 * np.log(sigma2 / f1) + 0.5 * np.log(one_m2) - 0.5 * dq * dq * one_m2 / f1
    return dict(
        m=m,
        delta2=delta2,
        delta_p=delta_p,
        sigma=sigma,
        f1=f1,
        K=sigma2 + f1,
        dq=dq,
        theta=one_m2 * d2q / sigma,
        base=base,
        s2=-m * m / (2.0 * delta2),
        sp=-(m**p) / (p * delta_p),
    )


# --------------------------------------------------------------------------- complexities
def complexity(m, eps2, eps_p, p, delta2, delta_p):
    """Σ(m, ε2, εp) of (KR): log-number of minima per N at overlap m and energies (ε2, εp).

    Returns −inf where t < 2 (no minima).  Broadcasts over all array arguments.

    Raises
    ------
    ParameterError
        If p < 3, Δ2 ≤ 0, Δp ≤ 0 or m outside (−1, 1).
    """
    p, delta2, delta_p = _params(p, delta2, delta_p)
    m = _overlap(m)
    eps2 = _array("eps2", eps2)
    eps_p = _array("eps_p", eps_p)
    s = model_scales(m, p, delta2, delta_p)
    t = -(2.0 * eps2 + p * eps_p) / s["sigma"]
    t = np.where(np.abs(t - 2.0) <= _EDGE_ROUNDING, 2.0, t)
    out = (
        s["base"]
        - s["delta2"] * (eps2 - s["s2"]) ** 2
        - 0.5 * p * s["delta_p"] * (eps_p - s["sp"]) ** 2
        + phi(t)
        - bbp_large_deviation(s["theta"], t)
    )
    return np.where(t < 2.0, -np.inf, out)


def split_energies(m, t, p, delta2, delta_p):
    """The energies (ε2, εp) maximising Σ at fixed (m, t) (closed form (split))."""
    p, delta2, delta_p = _params(p, delta2, delta_p)
    s = model_scales(_overlap(m), p, delta2, delta_p)
    lam = -(s["sigma"] * np.asarray(t, dtype=float) - s["m"] * s["dq"]) / s["K"]
    return s["s2"] + lam / s["delta2"], s["sp"] + lam / s["delta_p"]


def _sigma_at_t(s, t):
    return (
        s["base"]
        - (s["sigma"] * t - s["m"] * s["dq"]) ** 2 / (2.0 * s["K"])
        + phi(t)
        - bbp_large_deviation(s["theta"], t)
    )


def complexity_at_t(m, t, p, delta2, delta_p):
    """Σ(m, t): (KR) at the optimal split of the energies at fixed t (−inf for t < 2)."""
    p, delta2, delta_p = _params(p, delta2, delta_p)
    s = model_scales(_overlap(m), p, delta2, delta_p)
    t = np.asarray(t, dtype=float)
    t = np.where(np.abs(t - 2.0) <= _EDGE_ROUNDING, 2.0, t)
    return np.where(t < 2.0, -np.inf, _sigma_at_t(s, np.maximum(t, 2.0)))


def _maximise_concave(derivative, t_hi):
    """Maximiser over t ≥ 2 of a concave function given its derivative (vectorised bisection).

    If the derivative at t = 2 is ≤ 0 the maximum is at the edge t = 2.  Otherwise the root
    lies in (2, t_hi) (the caller guarantees derivative(t_hi) < 0).
    """
    lo = np.full(np.shape(t_hi), 2.0)
    hi = np.array(t_hi, dtype=float)
    edge = derivative(lo) <= 0.0
    for _ in range(_BISECTION_STEPS):
        mid = 0.5 * (lo + hi)
        up = derivative(mid) > 0.0
        lo = np.where(up, mid, lo)
        hi = np.where(up, hi, mid)
    return np.where(edge, 2.0, 0.5 * (lo + hi))


def max_complexity_over_t(m, p, delta2, delta_p):
    """Complexity of minima at overlap m maximised over the energies.

    Returns
    -------
    dict of arrays
        ``sigma_max`` (max_t Σ(m, t)), ``t`` (the maximiser, ≥ 2), ``eps2``, ``eps_p``,
        ``energy`` (ε2 + εp at the maximiser) and ``theta``.
    """
    p, delta2, delta_p = _params(p, delta2, delta_p)
    s = model_scales(_overlap(m), p, delta2, delta_p)
    sig, K, c0, th = s["sigma"], s["K"], s["m"] * s["dq"], s["theta"]

    def derivative(t):
        return -sig * (sig * t - c0) / K + _stieltjes(t) - _bbp_large_deviation_slope(th, t)

    # beyond u = θ + 1/θ and (c0 + K/σ)/σ the derivative is < −σ(σt−c0)/K + 1 < 0
    t_hi = np.maximum(np.maximum(th, 1.0) + 1.0 / np.maximum(th, 1.0), (c0 + K / sig) / sig) + 1.0
    t_star = _maximise_concave(derivative, np.maximum(t_hi, 3.0))
    lam = -(sig * t_star - c0) / K
    e2 = s["s2"] + lam / s["delta2"]
    ep = s["sp"] + lam / s["delta_p"]
    return dict(
        sigma_max=_sigma_at_t(s, t_star), t=t_star, eps2=e2, eps_p=ep, energy=e2 + ep, theta=th
    )


def complexity_at_energy(m, energy, p, delta2, delta_p, *, bbp_cost: bool = True):
    """Complexity of minima at overlap m and total energy ε = ε2 + εp, maximised over the split.

    On the line ε2 + εp = ε, t = −(2ε2 + pεp)/σ fixes (ε2, εp) (p > 2), so the split is a
    one-dimensional concave maximisation over t ≥ 2.  With ``bbp_cost=False`` the term
    L(θ, t) is dropped: the complexity of critical points whose Hessian *bulk* is positive
    (minima plus the saddles whose single negative direction is the BBP outlier).

    Returns
    -------
    dict of arrays
        ``sigma`` (the complexity), ``t`` (maximiser), ``eps2``, ``eps_p``, ``theta``.
    """
    p, delta2, delta_p = _params(p, delta2, delta_p)
    m, energy = np.broadcast_arrays(_overlap(m), _array("energy", energy))
    s = model_scales(m, p, delta2, delta_p)
    energy = np.broadcast_to(energy, s["m"].shape)
    sig, d2, dp = s["sigma"], s["delta2"], s["delta_p"]
    th = s["theta"] if bbp_cost else np.zeros_like(s["theta"])  # θ ≤ 1 ⇒ L ≡ 0

    def energies(t):
        ep = (-sig * t - 2.0 * energy) / (p - 2)
        return energy - ep, ep

    def value(t):
        e2, ep = energies(t)
        return (
            s["base"]
            - d2 * (e2 - s["s2"]) ** 2
            - 0.5 * p * dp * (ep - s["sp"]) ** 2
            + phi(t)
            - bbp_large_deviation(th, t)
        )

    def derivative(t):
        e2, ep = energies(t)
        return (
            (-2.0 * d2 * (e2 - s["s2"]) + p * dp * (ep - s["sp"])) * sig / (p - 2)
            + _stieltjes(t)
            - _bbp_large_deviation_slope(th, t)
        )

    # the quadratic part's slope is ≤ −c·t + b: bracket by doubling until negative
    t_hi = np.maximum(np.maximum(th, 1.0) + 1.0 / np.maximum(th, 1.0), 3.0)
    for _ in range(200):
        bad = derivative(t_hi) >= 0.0
        if not np.any(bad):
            break
        t_hi = np.where(bad, 2.0 * t_hi, t_hi)
    t_star = _maximise_concave(derivative, t_hi)
    e2, ep = energies(t_star)
    return dict(sigma=value(t_star), t=t_star, eps2=e2, eps_p=ep, theta=s["theta"])
