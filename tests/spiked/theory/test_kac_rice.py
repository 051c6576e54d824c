"""Tests of the annealed Kac-Rice complexity of minima (spiked.theory.kac_rice)."""

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy import integrate, optimize

from highdim_dynamics.core.validation import ParameterError
from highdim_dynamics.spiked.theory.kac_rice import (
    bbp_large_deviation,
    complexity,
    complexity_at_energy,
    complexity_at_t,
    max_complexity_over_t,
    semicircle_log_potential,
    split_energies,
)
from highdim_dynamics.spiked.theory.thresholds import good_minimum, threshold_energy


def _rho(y):
    return np.sqrt(np.maximum(4.0 - y * y, 0.0)) / (2.0 * np.pi)


def test_semicircle_log_potential_against_quadrature():
    for t in (0.0, 1.3, 2.0, 2.5, 4.0, -3.0):
        val, _ = integrate.quad(
            lambda y, t=t: np.log(abs(t - y)) * _rho(y),
            -2,
            2,
            points=[t] if abs(t) < 2 else None,
            limit=200,
        )
        # adaptive quadrature with a log singularity: ~1e-9 absolute
        assert_allclose(semicircle_log_potential(t), val, atol=1e-8)


def _ldp_by_legendre(theta, t):
    """L(θ,t) = sup_{ζ≥0} −ζ² + ½∫log(1 + 2ζ/(t−y))ρ − ζ(t−θ): the Legendre transform, numerically."""

    def minus(z):
        integral, _ = integrate.quad(
            lambda y: np.log1p(2 * z / (t - y)) * _rho(y), -2, 2, limit=200
        )
        return -(-z * z + 0.5 * integral - z * (t - theta))

    res = optimize.minimize_scalar(
        minus, bounds=(0.0, 10.0), method="bounded", options=dict(xatol=1e-10)
    )
    return max(-res.fun, 0.0)


@pytest.mark.parametrize(
    "theta,t", [(1.5, 2.0), (1.5, 2.1), (2.0, 2.2), (3.0, 2.0), (3.0, 3.0), (1.1, 2.005)]
)
def test_bbp_large_deviation_closed_form_equals_legendre_transform(theta, t):
    # the closed form was derived from this variational formula: quadrature + 1-D
    # optimisation are accurate to ~1e-9
    assert_allclose(bbp_large_deviation(theta, t), _ldp_by_legendre(theta, t), atol=1e-8)


def test_bbp_large_deviation_limits():
    assert bbp_large_deviation(0.5, 2.0) == 0.0  # no outlier
    assert bbp_large_deviation(2.0, 2.5 + 1e-12) == 0.0  # outlier at t − θ − 1/θ ≥ 0
    assert np.isinf(bbp_large_deviation(2.0, 1.99))  # bulk below 0
    # C¹ at t = θ + 1/θ: L = O((u − t)²)
    assert bbp_large_deviation(2.0, 2.5 - 1e-4) < 1e-7


@pytest.mark.parametrize("p", [3, 4, 5])
def test_pure_p_spin_limit_reproduces_auffinger_ben_arous_cerny(p):
    """Δ2 → ∞, Δp = 1/p (f(q) = q^p), m = 0: complexity of minima of the pure spherical p-spin."""
    e_inf = 2.0 * np.sqrt((p - 1) / p)
    u = np.linspace(-e_inf - 0.15, -e_inf, 12)
    r = np.sqrt(u * u - e_inf**2)
    i1 = -u / e_inf**2 * r - np.log(-u + r) + np.log(e_inf)
    abc = 0.5 * np.log(p - 1) - (p - 2) / (4 * (p - 1)) * u**2 - i1  # ABC (2013), Θ_0(u)
    delta2 = 1e12
    # full expression at ε2 = 0 (the matrix channel is switched off)
    assert_allclose(complexity(0.0, 0.0, u, p, delta2, 1.0 / p), abc, atol=1e-9)
    # and the maximisation over the split at fixed total energy
    res = complexity_at_energy(0.0, u, p, delta2, 1.0 / p)
    assert_allclose(res["sigma"], abc, atol=1e-9)
    # threshold energy: maximum over energies, ½ log(p−1) − (p−2)/p at t = 2
    best = max_complexity_over_t(0.0, p, delta2, 1.0 / p)
    assert_allclose(best["sigma_max"], 0.5 * np.log(p - 1) - (p - 2) / p, atol=1e-9)
    assert_allclose(best["energy"], -e_inf, rtol=1e-9)
    assert_allclose(threshold_energy(p, delta2, 1.0 / p), -e_inf, rtol=1e-9)


CASES = [  # (m, p, Δ2, Δp): edge t* = 2, interior t* > 2, BBP cost active, negative m
    (0.0, 3, 1.0, 1.0),
    (0.0, 3, 1 / 3.0, 1.0),
    (0.3, 3, 0.5, 1.0),
    (0.78, 3, 0.5, 1.0),
    (-0.57, 3, 1 / 3.0, 1.0),
    (0.0, 4, 0.4, 0.5),
    (0.5, 4, 0.3, 2.0),
    (0.9, 3, 0.25, 0.3),
]


@pytest.mark.parametrize("m,p,delta2,delta_p", CASES)
def test_closed_form_split_equals_brute_force(m, p, delta2, delta_p):
    best = max_complexity_over_t(m, p, delta2, delta_p)
    f = lambda e: -float(complexity(m, e[0], e[1], p, delta2, delta_p))  # noqa: E731
    # dense grid around a broad box, then Nelder-Mead from the best grid point
    e2 = np.linspace(best["eps2"] - 0.3, best["eps2"] + 0.3, 241)
    ep = np.linspace(best["eps_p"] - 0.3, best["eps_p"] + 0.3, 241)
    grid = complexity(m, e2[:, None], ep[None, :], p, delta2, delta_p)
    i, j = np.unravel_index(np.argmax(grid), grid.shape)
    res = optimize.minimize(
        f,
        [e2[i], ep[j]],
        method="Nelder-Mead",
        options=dict(xatol=1e-10, fatol=1e-14, maxiter=4000),
    )
    brute = max(-res.fun, grid[i, j])
    # both maximise the same function; the brute force can only be lower (1e-9: NM accuracy)
    assert best["sigma_max"] >= brute - 1e-10
    assert_allclose(best["sigma_max"], brute, atol=1e-9)
    # split energies: the optimum is strictly concave, Nelder-Mead locates it to ~1e-4
    if best["t"] > 2.0 + 1e-6:
        assert_allclose(res.x, [best["eps2"], best["eps_p"]], atol=2e-4)
    # split_energies agrees with the maximiser
    assert_allclose(
        split_energies(m, best["t"], p, delta2, delta_p), [best["eps2"], best["eps_p"]], rtol=1e-12
    )


@pytest.mark.parametrize("m,p,delta2,delta_p", CASES)
def test_t_maximisation_robust_at_the_kink(m, p, delta2, delta_p):
    best = max_complexity_over_t(m, p, delta2, delta_p)
    t = np.concatenate([2.0 + np.geomspace(1e-10, 1.0, 4000), np.linspace(2, 12, 200001)])
    brute = complexity_at_t(m, t, p, delta2, delta_p).max()
    assert best["sigma_max"] >= brute - 1e-12
    assert_allclose(
        best["sigma_max"], brute, atol=1e-8
    )  # grid spacing 5e-5 in t, quadratic peak: error ~ curvature × 1e-9


@pytest.mark.parametrize(
    "p,delta_p,inv_delta2", [(3, 1.0, 2.0), (3, 1.0, 3.0), (4, 1.0, 3.0), (3, 0.5, 4.0)]
)
def test_complexity_touches_zero_at_the_good_minimum(p, delta_p, inv_delta2):
    """Independent identity: the ML-AMP fixed point m* is an isolated minimum, Σ(m*) = 0 (local max)."""
    g = good_minimum(p, 1 / inv_delta2, delta_p)
    m = g["m"] + np.array([-1e-3, 0.0, 1e-3])
    s = max_complexity_over_t(m, p, 1 / inv_delta2, delta_p)["sigma_max"]
    assert_allclose(s[1], 0.0, atol=1e-10)
    assert s[0] < s[1] and s[2] < s[1]
    assert g["t"] > 2.0


def test_energy_and_overlap_maximisations_agree():
    m, p, d2, dp = 0.2, 3, 0.6, 1.2
    best = max_complexity_over_t(m, p, d2, dp)
    at_e = complexity_at_energy(m, best["energy"], p, d2, dp)
    assert_allclose(at_e["sigma"], best["sigma_max"], atol=1e-12)
    energies = np.linspace(best["energy"] - 0.1, best["energy"] + 0.02, 50)
    assert np.all(
        complexity_at_energy(m, energies, p, d2, dp)["sigma"] <= best["sigma_max"] + 1e-12
    )


def test_bad_input_is_named():
    with pytest.raises(ParameterError, match="p"):
        max_complexity_over_t(0.0, 2, 1.0, 1.0)
    with pytest.raises(ParameterError, match="delta2"):
        max_complexity_over_t(0.0, 3, 0.0, 1.0)
    with pytest.raises(ParameterError, match="delta_p"):
        complexity(0.0, -1.0, -1.0, 3, 1.0, -2.0)
    with pytest.raises(ParameterError, match="m"):
        max_complexity_over_t(1.0, 3, 1.0, 1.0)
    with pytest.raises(ParameterError, match="m"):
        complexity_at_energy(np.array([0.0, -1.5]), -1.0, 3, 1.0, 1.0)


def _abc_pure_p_spin_minima(u, p):
    """Complexity of minima at energy u < −E∞ of the pure spherical p-spin, E[H H'] = N q^p.

    Auffinger, Ben Arous, Černý, Comm. Pure Appl. Math. 66 (2013), Theorem 2.8 (k = 0):
    ½ log(p−1) − (p−2)u²/(4(p−1)) − I₁(u), E∞ = 2√((p−1)/p),
    I₁(u) = −(u/E∞²)√(u² − E∞²) − log(−u + √(u² − E∞²)) + log E∞.
    """
    e_inf = 2.0 * np.sqrt((p - 1) / p)
    s = np.sqrt(u * u - e_inf**2)
    i1 = -u / e_inf**2 * s - np.log(-u + s) + np.log(e_inf)
    return 0.5 * np.log(p - 1) - (p - 2) / (4 * (p - 1)) * u * u - i1


@pytest.mark.parametrize("p, delta_p", [(3, 1.0), (4, 0.5)])
def test_pure_p_spin_limit_over_the_whole_curve(p, delta_p):
    """At m = 0 and 1/Δ2 → 0 only the tensor survives, Hp = H_ABC/√(pΔp): Σ(ε) of minima must
    be ABC's complexity at u = ε√(pΔp), from the ground state to the threshold −E∞."""
    from highdim_dynamics.spiked.theory.kac_rice_quadrature import complexity_at_energy_quadrature

    e_inf = 2.0 * np.sqrt((p - 1) / p)
    # ground state: where the ABC complexity vanishes
    u0 = optimize.brentq(lambda u: _abc_pure_p_spin_minima(u, p), -3.0, -e_inf - 1e-9)
    u = np.linspace(u0, -e_inf - 1e-6, 25)
    eps = u / np.sqrt(p * delta_p)
    # the matrix part contributes O(1/Δ2) (measured 0.8/Δ2 at p = 3): 1e-7 at Δ2 = 1e7
    got = complexity_at_energy(0.0, eps, p, 1e7, delta_p)["sigma"]
    assert_allclose(got, _abc_pure_p_spin_minima(u, p), atol=1e-6)
    quad = [complexity_at_energy_quadrature(0.0, e, p, 1e7, delta_p) for e in eps[::6]]
    assert_allclose(quad, _abc_pure_p_spin_minima(u[::6], p), atol=1e-6)
