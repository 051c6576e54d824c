"""A second route to the Kac-Rice complexity, for the figure checks: quadrature, no closed forms.

The figures' complexities come from :mod:`.kac_rice` (closed-form log-potential Φ(t), BBP
cost L(θ, t) and energy split, concave maximisation by bisection).  This module evaluates
the same Kac-Rice expression (KR) of that module's docstring (Passed & Spurious, ICML 2019,
arXiv:1902.00139) without any of those closed forms:

* Φ(t) = ½ + ∫ log|t − y| ρ_sc(y) dy by adaptive quadrature over the semicircle;
* L(θ, t) with its √(y² − 4) integral by quadrature;
* the maximisation over the energies (ε2, εp) numerically (Brent's method), the energy
  split included, instead of the closed-form split.

It imports nothing from :mod:`.kac_rice`, so an error in a closed form, in the split or in
the optimiser shows up as a disagreement.  What it shares with :mod:`.kac_rice` is the
expression (KR) itself; its constants are tested separately against the pure p-spin
complexity of Auffinger, Ben Arous and Černý (``tests/spiked/theory/test_kac_rice.py``).
Accuracy: ~1e-11 in Σ (quadrature tolerances 1e-13, Brent xatol 1e-10).
"""

from __future__ import annotations

import numpy as np
from scipy import integrate, optimize

from highdim_dynamics.spiked.model import d2Q, dQ


def phi_quadrature(t: float) -> float:
    """Φ(t) = ½ + ∫_{−2}^{2} log|t − y| √(4 − y²)/(2π) dy, for t ≥ 2, by quadrature.

    With y = 2 cos a the semicircle weight becomes (2/π) sin² a da on [0, π].
    """
    val, _ = integrate.quad(
        lambda a: np.log(abs(t - 2.0 * np.cos(a))) * 2.0 * np.sin(a) ** 2 / np.pi,
        0.0,
        np.pi,
        epsabs=1e-12,
        epsrel=1e-12,
        limit=200,
    )
    return 0.5 + val


def bbp_cost_quadrature(theta: float, t: float) -> float:
    """L(θ, t) of (KR) for θ > 1 and 2 ≤ t < u = θ + 1/θ (zero otherwise), by quadrature."""
    if theta <= 1.0:
        return 0.0
    u = theta + 1.0 / theta
    if t >= u:
        return 0.0
    area, _ = integrate.quad(
        lambda y: np.sqrt(max(y * y - 4.0, 0.0)), t, u, epsabs=1e-14, epsrel=1e-13
    )
    return (u * u - t * t) / 8 - area / 4 - (u - t) ** 2 / 4 - (u - t) * (t - theta) / 2


def complexity_quadrature(
    m: float,
    eps2: float,
    eps_p: float,
    p: int,
    delta2: float,
    delta_p: float,
    *,
    bbp_cost: bool = True,
) -> float:
    """(KR) at one point (m, ε2, εp), −inf where t < 2 (no minima)."""
    f1 = dQ(1.0, p, delta2, delta_p)
    sigma2 = d2Q(1.0, p, delta2, delta_p)
    sigma = np.sqrt(sigma2)
    dq = dQ(m, p, delta2, delta_p)
    d2q = d2Q(m, p, delta2, delta_p)
    t = -(2.0 * eps2 + p * eps_p) / sigma
    if t < 2.0 - 1e-12:
        return -np.inf
    t = max(t, 2.0)
    theta = (1.0 - m * m) * d2q / sigma
    gauss = (
        0.5 * np.log(sigma2 / f1)
        + 0.5 * np.log(1.0 - m * m)
        - 0.5 * dq * dq * (1 - m * m) / f1
        - delta2 * (eps2 + m * m / (2 * delta2)) ** 2
        - 0.5 * p * delta_p * (eps_p + m**p / (p * delta_p)) ** 2
    )
    return gauss + phi_quadrature(t) - (bbp_cost_quadrature(theta, t) if bbp_cost else 0.0)


def _brent_max(f, lo, hi):
    res = optimize.minimize_scalar(
        lambda x: -f(x), bounds=(lo, hi), method="bounded", options=dict(xatol=1e-10, maxiter=500)
    )
    # the maximiser may be the bound itself (t = 2): compare with the edge value
    return max(-res.fun, f(lo), f(hi))


def complexity_at_energy_quadrature(m, energy, p, delta2, delta_p, *, bbp_cost=True) -> float:
    """max over the split ε2 + εp = ε of (KR) at overlap m (Brent's method over t ≥ 2)."""
    sigma = np.sqrt(d2Q(1.0, p, delta2, delta_p))

    def at_t(t):  # on the line ε2 + εp = ε, t fixes εp = (−σt − 2ε)/(p − 2)
        ep = (-sigma * t - 2.0 * energy) / (p - 2)
        return complexity_quadrature(m, energy - ep, ep, p, delta2, delta_p, bbp_cost=bbp_cost)

    return _brent_max(at_t, 2.0, 12.0)


def max_complexity_quadrature(m, p, delta2, delta_p) -> float:
    """max over (ε2, εp) of (KR) at overlap m: Brent over t ≥ 2 of Brent over ε2 at fixed t."""
    sigma = np.sqrt(d2Q(1.0, p, delta2, delta_p))

    def at_t(t):  # fixed t: εp = (−σt − 2ε2)/p; the ε2 dependence is a Gaussian cost
        def gaussian_part(e2):
            ep = (-sigma * t - 2.0 * e2) / p
            return -(
                delta2 * (e2 + m * m / (2 * delta2)) ** 2
                + 0.5 * p * delta_p * (ep + m**p / (p * delta_p)) ** 2
            )

        res = optimize.minimize_scalar(
            lambda e2: -gaussian_part(e2),
            bounds=(-20.0, 20.0),
            method="bounded",
            options=dict(xatol=1e-11, maxiter=500),
        )
        e2 = res.x
        return complexity_quadrature(m, e2, (-sigma * t - 2.0 * e2) / p, p, delta2, delta_p)

    return _brent_max(at_t, 2.0, 12.0)
