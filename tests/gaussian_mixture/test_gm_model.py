"""Model of the Gaussian mixture: losses, exact test error, selection process, bad input."""

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose

from highdim_dynamics.core.validation import ParameterError
from highdim_dynamics.gaussian_mixture import model
from highdim_dynamics.gaussian_mixture.dmft import solve_dmft
from highdim_dynamics.gaussian_mixture.simulation import simulate


@pytest.mark.parametrize("loss", ["logistic", "square", "smooth_hinge"])
@pytest.mark.parametrize("clusters", [2, 3])
def test_loss_derivatives_match_finite_differences(loss, clusters):
    code = model.LOSSES[loss]
    h = 1e-5
    for y in (-1.0, 1.0):
        for r in np.linspace(-2.5, 2.5, 11):
            v, d1, d2 = model.sample_loss(code, clusters, 0.49, 3.0, y, r)
            vp, d1p, _ = model.sample_loss(code, clusters, 0.49, 3.0, y, r + h)
            vm, d1m, _ = model.sample_loss(code, clusters, 0.49, 3.0, y, r - h)
            # central differences: O(h^2) ~ 1e-10 truncation, rounding ~ 1e-16/h = 1e-11
            assert_allclose(d1, (vp - vm) / (2 * h), rtol=1e-6, atol=1e-8)
            assert_allclose(d2, (d1p - d1m) / (2 * h), rtol=1e-6, atol=1e-8)


def test_logistic_is_stable_at_huge_margins():
    # lambda = 0 lets margins grow without bound: no overflow, correct asymptotes.
    v, d1, d2 = model.sample_loss(0, 2, 0.0, 1.0, 1.0, 800.0)
    assert v == 0.0 or v < 1e-300
    assert abs(d1) < 1e-300 and d2 < 1e-300
    v, d1, d2 = model.sample_loss(0, 2, 0.0, 1.0, 1.0, -800.0)
    assert_allclose([v, d1, d2], [800.0, -1.0, 0.0], rtol=1e-12, atol=1e-300)


def test_hinge_values():
    assert model.sample_loss(2, 2, 0.0, 1.0, 1.0, 0.5) == (0.5, -1.0, 0.0)
    assert model.sample_loss(2, 2, 0.0, 1.0, -1.0, -2.0) == (0.0, 0.0, 0.0)


def test_smooth_hinge_tends_to_the_hinge():
    # softplus(beta u)/beta - max(0, u) lies in [0, log(2)/beta] (0 up to rounding far from
    # the kink), the largest at the kink
    for beta in (4.0, 16.0, 64.0):
        for r in (-1.0, 0.5, 1.0, 3.0):
            v, d1, _ = model.sample_loss(3, 2, 0.0, beta, 1.0, r)
            h, _, _ = model.sample_loss(2, 2, 0.0, 1.0, 1.0, r)
            assert 0.0 <= v - h <= math.log(2.0) / beta + 1e-15
    with pytest.raises(ParameterError, match="sharpness"):
        simulate(alpha=2.0, delta=0.5, loss="smooth_hinge", algorithm="gd", p=10, runs=2)
    with pytest.raises(ParameterError, match="sharpness"):
        simulate(alpha=2.0, delta=0.5, loss="logistic", sharpness=2.0, algorithm="gd", p=10, runs=2)


@pytest.mark.parametrize("clusters", [2, 3])
def test_generalisation_error_matches_fresh_test_samples(clusters):
    # Independent check of the closed form: classify 10^6 fresh samples with an explicit w.
    rng = np.random.default_rng(1)
    p, n_test, delta, L = 200, 1_000_000, 0.3, 0.7
    w = 0.8 + rng.standard_normal(p) * 0.9
    m, C = w.sum() / p, w @ w / p
    c, y = model.draw_clusters(rng, n_test, clusters)
    # r = c m + sqrt(Delta) z.w/sqrt(p), and z.w/sqrt(p) ~ N(0, C) exactly
    r = c * m + math.sqrt(delta * C) * rng.standard_normal(n_test)
    phi = r if clusters == 2 else r**2 - L**2
    mc = np.mean(y * phi <= 0)
    exact = float(model.generalisation_error(m, C, delta, clusters, L))
    # binomial standard error sqrt(eps(1-eps)/n) <= 5e-4; 5 standard errors
    assert abs(mc - exact) < 5 * math.sqrt(exact * (1 - exact) / n_test) + 1e-12


def test_hebbian_one_step_value():
    # Brief: 0.10295 at alpha = 2, Delta = 0.5.
    assert_allclose(model.hebbian_one_step_error(2.0, 0.5), 0.10295, atol=5e-6)


def test_selection_chain_statistics():
    rng = np.random.default_rng(3)
    eta, b, tau = 0.2, 0.3, 2.0
    s = model.draw_selection(rng, 4000, 400, "persistent_sgd", eta, b, tau).astype(float)
    # stationary fraction b; lag-1 autocorrelation 1 - eta/(b tau) of the two-state chain
    assert_allclose(s.mean(), b, atol=0.005)  # std of the mean ~ 0.002 (correlated steps)
    x = s - s.mean()
    rho = (x[1:] * x[:-1]).mean() / x.var()
    assert_allclose(rho, 1 - eta / (b * tau), atol=0.01)


def test_persistent_sgd_at_tau_eta_over_b_draws_sgd_selections():
    eta, b = 0.2, 0.3
    s1 = model.draw_selection(np.random.default_rng(5), 500, 50, "sgd", eta, b, None)
    s2 = model.draw_selection(np.random.default_rng(5), 500, 50, "persistent_sgd", eta, b, eta / b)
    np.testing.assert_array_equal(s1, s2)


BASE = dict(alpha=2.0, delta=0.5, algorithm="sgd", eta=0.2, b=0.3, R=0.01, t_max=0.4)


@pytest.mark.parametrize("function", [simulate, solve_dmft])
@pytest.mark.parametrize(
    "bad, name",
    [
        (dict(alpha=0.0), "alpha"),
        (dict(alpha=-1.0), "alpha"),
        (dict(delta=0.0), "delta"),
        (dict(b=0.0), "b"),
        (dict(b=1.5), "b"),
        (dict(eta=0.0), "eta"),
        (dict(eta=-0.1), "eta"),
        (dict(loss="cross_entropy"), "loss"),
        (dict(algorithm="persistent_sgd", tau=0.4), "tau"),  # bound max(0.2, 0.467)
        (dict(algorithm="persistent_sgd", b=0.9, tau=0.1), "tau"),  # bound max(0.2, 0.022)
    ],
)
def test_bad_input_is_rejected_by_name(function, bad, name):
    with pytest.raises(ParameterError, match=name):
        function(**{**BASE, **bad})


def test_dmft_rejects_hinge_loss():
    with pytest.raises(ParameterError, match="loss"):
        solve_dmft(**{**BASE, "loss": "hinge"})


@pytest.mark.parametrize("algorithm, tau", [("sgd", None), ("persistent_sgd", 2.0)])
def test_stratified_selection_keeps_the_chain_law(algorithm, tau):
    # The DMFT's variance-reduced selections: same stationary fraction and persistence.
    rng = np.random.default_rng(4)
    eta, b = 0.2, 0.3
    s = model.draw_selection(rng, 1001, 400, algorithm, eta, b, tau, stratified=True).astype(float)
    assert_allclose(s.mean(), b, atol=0.005)
    x = s - s.mean()
    rho = (x[1:] * x[:-1]).mean() / x.var()
    expected = 0.0 if algorithm == "sgd" else 1 - eta / (b * tau)
    assert_allclose(rho, expected, atol=0.01)
