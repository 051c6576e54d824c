"""GLM thresholds of noiseless real phase retrieval: closed forms, identities, independent routes."""

import pytest
from numpy.testing import assert_allclose

from highdim_dynamics.core.validation import ParameterError
from highdim_dynamics.phase_retrieval import bayes_optimal as bo


def test_weak_recovery_closed_form():
    # q -> 0: E[g_out^2] = q E[(z^2 - 1)^2] + O(q^2) = 2q, so alpha_WR = 1/2; at q = 1e-9 the
    # O(q) correction is ~2.5e-9
    assert_allclose(bo.alpha_weak_recovery(), 0.5, atol=1e-8)


@pytest.mark.parametrize("V", [0.7, 0.15, 1e-6])
def test_quadrature_converged(V):
    # default grid vs a grid with 2.5x the nodes in each direction: measured agreement ~1e-11
    fine = (80, 16, 400)
    assert_allclose(
        bo.channel_information(V), bo.channel_information(V, quadrature=fine), rtol=1e-9
    )
    assert_allclose(
        bo.channel_free_entropy(V),
        bo.channel_free_entropy(V, quadrature=fine),
        rtol=1e-9,
        atol=1e-10,
    )


@pytest.mark.parametrize("q", [0.3, 0.85])
def test_free_entropy_derivative_is_the_state_evolution(q):
    # dPsi_out/dq = E[g_out^2]/2 (two different integrands); centred difference h = 1e-5 has
    # truncation ~h^2 |Psi'''| ~ 1e-9 and rounding ~1e-16/h ~ 1e-11
    h = 1e-5
    d = (bo.channel_free_entropy(1 - q - h) - bo.channel_free_entropy(1 - q + h)) / (2 * h)
    assert_allclose(d, bo.channel_information(1 - q) / 2, rtol=1e-7)


def test_alpha_it_two_routes():
    # free entropy (E ln Z_out, slope in ln V) vs stability of q = 1 (E g_out^2): different
    # integrands and extrapolations, measured agreement 2e-11; literature value 1 as a bound
    a_free, a_stab = bo.alpha_it(), bo.perfect_recovery_stability()
    assert_allclose(a_free, a_stab, rtol=1e-7)
    assert abs(a_free - 1.0) < 1e-3


def test_alpha_amp_is_a_saddle_node_of_the_state_evolution():
    amp = bo.alpha_amp()
    assert 1.10 < amp["alpha"] < 1.16  # Barbier et al.: alpha_alg ~ 1.13 (sanity bound only)
    V = 1 - amp["q"]
    # at the spinodal the fixed point is marginal: the map has slope 1 there (and maps V to V)
    assert_allclose(bo.state_evolution_map(V, amp["alpha"]), V, rtol=1e-9)
    h = 1e-5
    slope = (
        bo.state_evolution_map(V + h, amp["alpha"]) - bo.state_evolution_map(V - h, amp["alpha"])
    ) / (2 * h)
    # slope - 1 is quadratic in the distance to the optimum (located to 1e-10): ~1e-6 here
    assert_allclose(slope, 1.0, atol=1e-5)


def test_state_evolution_on_both_sides_of_alpha_amp():
    a = bo.alpha_amp()["alpha"]
    below = bo.iterate_state_evolution(a * (1 - 1e-3), 1 - 1e-3)
    above = bo.iterate_state_evolution(a * (1 + 1e-3), 1 - 1e-3)
    assert below["outcome"] == "fixed_point" and below["V"] > 0.1
    assert above["outcome"] == "perfect"


def test_fixed_point_maximises_the_free_entropy():
    # alpha = 0.8: the AMP fixed point is the global maximum of F (F -> -inf at q -> 1)
    res = bo.iterate_state_evolution(0.8, 1 - 1e-3)
    assert res["outcome"] == "fixed_point"
    V = res["V"]
    f0 = bo.free_entropy(V, 0.8)
    assert f0 > bo.free_entropy(V * 1.05, 0.8) and f0 > bo.free_entropy(V / 1.05, 0.8)
    assert f0 > bo.free_entropy(1e-6, 0.8) and f0 > bo.free_entropy(0.999, 0.8)


def test_bad_input():
    with pytest.raises(ParameterError, match="V"):
        bo.channel_information(1.0)
    with pytest.raises(ParameterError, match="alpha"):
        bo.state_evolution_map(0.5, -1.0)
    with pytest.raises(ParameterError, match="quadrature"):
        bo.channel_information(0.5, quadrature=(10, 4))
    with pytest.raises(ParameterError, match="V0"):
        bo.iterate_state_evolution(1.0, 0.0)
