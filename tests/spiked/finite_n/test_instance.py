"""Tests of the finite-N 2+p instance (energy, gradients, Hessians, statistics)."""

import itertools
import math

import numpy as np
import pytest
from numpy.testing import assert_allclose

from highdim_dynamics.core.validation import ParameterError
from highdim_dynamics.spiked.finite_n.instance import (
    draw_instance,
    energy_and_gradient,
    tangent_basis,
)
from highdim_dynamics.spiked.model import SpikedMatrixTensor


def _on_sphere(rng, n):
    g = rng.standard_normal(n)
    return g * math.sqrt(n) / np.linalg.norm(g)


def _brute_energy(inst, x):
    """Energy from the definition with explicit loops over i<j and i1<…<ip."""
    n, p = inst.n, inst.p
    h2 = -0.5 * x @ inst.matrix_couplings @ x
    hp = 0.0
    for ell, comb in enumerate(itertools.combinations(range(n), p)):
        hp -= inst.tensor_couplings[ell] * np.prod(x[list(comb)])
    return h2, hp


@pytest.mark.parametrize("p", [3, 4])
def test_energy_matches_explicit_sum_and_packing(p):
    model = SpikedMatrixTensor(p, 0.7, 1.3)
    inst = draw_instance(model, 9, seed=1)
    x = _on_sphere(np.random.default_rng(2), 9)
    # same arithmetic up to summation order: 1e-12 relative
    assert_allclose(inst.energies(x), _brute_energy(inst, x), rtol=1e-12, atol=1e-12)
    # the signal part of the packed tensor is √((p−1)!)/N^((p−1)/2) x*…x* scaled by that/Δp
    pref = math.sqrt(math.factorial(p - 1)) / 9 ** ((p - 1) / 2)
    combs = list(itertools.combinations(range(9), p))
    signal = np.array([pref * np.prod(inst.x_star[list(c)]) for c in combs]) * pref / model.delta_p
    noise = (inst.tensor_couplings - signal) * model.delta_p / pref
    assert noise.size == math.comb(9, p)
    assert 0.3 < noise.std() / math.sqrt(model.delta_p) < 1.7  # Var ξ = Δp (45-126 draws)


@pytest.mark.parametrize("p", [3, 4])
def test_gradient_and_hessian_against_finite_differences(p):
    inst = draw_instance(SpikedMatrixTensor(p, 0.5, 2.0), 12, seed=3)
    x = _on_sphere(np.random.default_rng(4), 12)
    g = inst.gradient(x)
    h = 1e-6
    fd = np.array([(inst.energy(x + h * e) - inst.energy(x - h * e)) / (2 * h) for e in np.eye(12)])
    # central differences: O(h²) truncation + O(eps/h) round-off ≈ 1e-9 relative
    assert_allclose(g, fd, rtol=1e-7, atol=1e-7)
    hess = inst.hessian(x)
    fdh = np.array(
        [(inst.gradient(x + h * e) - inst.gradient(x - h * e)) / (2 * h) for e in np.eye(12)]
    )
    assert_allclose(hess, fdh, rtol=1e-6, atol=1e-6)
    # homogeneity: x·∇H = 2 H2 + p Hp (exact identity)
    h2, hp = inst.energies(x)
    assert_allclose(x @ g, 2 * h2 + p * hp, rtol=1e-12)


def test_riemannian_gradient_and_hessian_along_geodesics():
    inst = draw_instance(SpikedMatrixTensor(3, 0.8, 1.0), 15, seed=5)
    rng = np.random.default_rng(6)
    x = _on_sphere(rng, 15)
    b = tangent_basis(x)
    assert_allclose(b.T @ b, np.eye(14), atol=1e-12)
    assert_allclose(b.T @ x, 0.0, atol=1e-12)
    rg = inst.riemannian_gradient(x)
    assert_allclose(rg @ x, 0.0, atol=1e-10)
    hr = inst.riemannian_hessian(x, b)
    n = 15
    for _ in range(3):
        u = b @ rng.standard_normal(14)
        u /= np.linalg.norm(u)

        def path(s, u=u):
            return x * np.cos(s / math.sqrt(n)) + math.sqrt(n) * u * np.sin(s / math.sqrt(n))

        s = 1e-4
        d1 = (inst.energy(path(s)) - inst.energy(path(-s))) / (2 * s)
        d2 = (inst.energy(path(s)) - 2 * inst.energy(x) + inst.energy(path(-s))) / s**2
        coef = b.T @ u
        # geodesic derivatives: first = grad_S·u, second = uᵀ Hess_S u; FD error ~1e-5
        assert_allclose(d1, rg @ u, rtol=1e-7, atol=1e-7)
        assert_allclose(d2, coef @ hr @ coef, rtol=1e-4, atol=1e-4)


def test_energy_mean_and_covariance_match_n_f_q():
    """Over noise draws at fixed x*, E H(x) = −N Q(m) and Cov(H(x), H(y)) = N Q(q) + O(1)."""
    p, n, reps = 3, 40, 3000
    model = SpikedMatrixTensor(p, 0.5, 0.8)
    rng = np.random.default_rng(7)
    xs = _on_sphere(rng, n)
    x = _on_sphere(rng, n)
    # y correlated with x at q ≈ 0.6
    y = 0.6 * x + 0.8 * _on_sphere(rng, n)
    y *= math.sqrt(n) / np.linalg.norm(y)
    q, m = x @ y / n, x @ xs / n
    hx, hy = np.empty(reps), np.empty(reps)
    grad = np.empty(n)
    for r, g in enumerate(np.random.SeedSequence(8).spawn(reps)):
        inst = draw_instance(model, n, np.random.default_rng(g), x_star=xs)
        hx[r] = sum(energy_and_gradient(x, inst.matrix_couplings, inst.tensor_couplings, p, grad))
        hy[r] = sum(energy_and_gradient(y, inst.matrix_couplings, inst.tensor_couplings, p, grad))

    # exact finite-N moments: sums over distinct indices (elementary symmetric polynomials)
    def e_k(v, k):
        e = np.zeros(k + 1)
        e[0] = 1.0
        for vi in v:
            e[1:] = e[1:] + vi * e[:-1]
        return e[k]

    pref2 = math.factorial(p - 1) / n ** (p - 1)
    mean_exact = -e_k(x * xs, 2) / (model.delta2 * n) - pref2 * e_k(x * xs, p) / model.delta_p
    cov_exact = e_k(x * y, 2) / (model.delta2 * n) + pref2 * e_k(x * y, p) / model.delta_p
    var_exact = e_k(x * x, 2) / (model.delta2 * n) + pref2 * e_k(x * x, p) / model.delta_p
    sd = math.sqrt(var_exact / reps)
    # Monte-Carlo: 4 standard errors
    assert abs(hx.mean() - mean_exact) < 4 * sd
    assert_allclose(np.cov(hx, hy)[0, 1], cov_exact, rtol=4 * math.sqrt(2 / reps) * 2)
    assert_allclose(hx.var(ddof=1), var_exact, rtol=4 * math.sqrt(2 / reps))
    # the exact moments approach N Q: excluded diagonal terms are O(1) (relative O(1/N))
    assert_allclose(mean_exact, -n * model.Q(m), atol=3.0)
    assert_allclose(cov_exact, n * model.Q(q), rtol=6.0 / n)
    assert_allclose(var_exact, n * model.Q(1.0), rtol=6.0 / n)


def test_reproducible_and_bad_input():
    model = SpikedMatrixTensor(3, 1.0, 1.0)
    a, b = draw_instance(model, 10, 11), draw_instance(model, 10, 11)
    assert np.array_equal(a.tensor_couplings, b.tensor_couplings)
    assert np.array_equal(a.matrix_couplings, b.matrix_couplings)
    with pytest.raises(ParameterError, match="n"):
        draw_instance(model, 2, 0)
    with pytest.raises(ParameterError, match="x must have shape"):
        a.energy(np.ones(3))
    with pytest.raises(ParameterError, match="x_star"):
        draw_instance(model, 10, 0, x_star=np.zeros(10))
