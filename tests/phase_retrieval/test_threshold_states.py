"""Marginal 1RSB threshold states: saddle point, marginality, resolvent identity, quadrature."""

import pytest
from numpy.testing import assert_allclose

from highdim_dynamics.core.validation import ParameterError
from highdim_dynamics.phase_retrieval import threshold_states as ts
from highdim_dynamics.phase_retrieval.lu_li import lu_li_outlier


@pytest.fixture(scope="module")
def state():
    return ts.threshold_state(6.0)


def test_saddle_point_and_energy_from_the_potential(state):
    # dG/dchi = 0 at the solution, and e = -dG/dx_hat: centred differences (step 1e-6 relative,
    # error ~1e-10 relative to G ~ 1) against the analytic equations
    c, x, a = state.chi, state.x_hat, state.alpha
    d = 1e-6
    dchi = (ts.potential(c * (1 + d), x, a) - ts.potential(c * (1 - d), x, a)) / (2 * d * c)
    dx = (ts.potential(c, x * (1 + d), a) - ts.potential(c, x * (1 - d), a)) / (2 * d * x)
    assert abs(dchi) < 1e-6
    assert_allclose(-dx, state.energy, rtol=1e-6)


def test_marginal_bulk_edge_and_resolvent_identity(state):
    # marginality (replicon = 0) is psi'(1/chi) = 0: the Lu-Li edge sits at lambda_bar = sup T;
    # the Hessian edge equals the jump term of the resolvent identity (measured 1e-5 relative)
    off = ts.hessian_edge_offset(state)
    assert off["lambda_bar_minus_tau"] == 0.0
    assert off["jump_term"] > 0
    assert_allclose(off["edge"], off["jump_term"], rtol=1e-3)


def test_criterion_is_the_direct_expectation(state):
    # lambda_bar = tau = 1/chi, so the Lu-Li criterion is alpha E[(s^2-1) T/(tau-T)] - 1
    law = state.law
    direct = state.alpha * law.E((law.s**2 - 1) * law.T / (law.tau - law.T)) - 1
    assert_allclose(state.criterion, direct, rtol=1e-10)
    assert_allclose(lu_li_outlier(law, state.alpha)["criterion"], state.criterion, rtol=1e-12)
    assert_allclose(law.weights.sum(), 1.0, rtol=1e-12)


def test_criterion_converged_in_the_quadrature():
    # default grid vs a finer one (1.5x panels, more nodes): measured 5e-5 at alpha = 14;
    # the criterion changes by 0.12 per unit alpha, so 2e-4 is 2e-3 in alpha_GD
    a = 14.0
    coarse = ts.threshold_state(a).criterion
    fine = ts.threshold_state(a, quadrature=(30, 6, 36, 6)).criterion
    assert_allclose(coarse, fine, atol=2e-4)


def test_bbp_sign_change():
    # the criterion is negative at small alpha (no unstable direction) and positive at large
    assert ts.threshold_state(8.0).criterion < 0 < ts.threshold_state(20.0).criterion


def test_bad_input():
    with pytest.raises(ParameterError, match="alpha"):
        ts.threshold_state(0.5)
    with pytest.raises(ParameterError, match="quadrature"):
        ts.threshold_state(4.0, quadrature=(10, 4, 10))
    with pytest.raises(ParameterError, match="alpha_low"):
        ts.alpha_gd(20.0, 8.0)
