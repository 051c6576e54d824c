"""AMP / ML-AMP fixed points (``spiked.fixed_points``) and the isolated minima
(``spiked.theory.minima``)."""

import numpy as np
import pytest
from numpy.testing import assert_allclose

from highdim_dynamics.spiked.theory.thresholds import good_minimum
from highdim_dynamics.spiked.fixed_points import bayes_amp_fixed_point, ml_amp_fixed_point
from highdim_dynamics.spiked.theory.minima import isolated_minima
from highdim_dynamics.core.validation import ParameterError


def _qp(m, d2, dp, p=3):
    return m / d2 + m ** (p - 1) / dp


@pytest.mark.parametrize("d2", [0.5, 0.6, 0.8])
def test_bayes_amp_fixed_point_solves_its_equation(d2):
    m = bayes_amp_fixed_point(3, d2, 1.0)
    q = _qp(m, d2, 1.0)
    assert 0 < m < 1
    assert_allclose(m, q / (1 + q), atol=1e-12)  # brentq to xtol 1e-14


@pytest.mark.parametrize("y", [2.2, 2.5, 3.0])
def test_ml_amp_fixed_point_solves_its_equation_and_matches_the_good_minimum(y):
    m, b = ml_amp_fixed_point(3, 1 / y, 1.0)
    q = _qp(m, 1 / y, 1.0)
    assert_allclose(b, np.sqrt(q * q + _qp(1.0, 1 / y, 1.0)), rtol=1e-12)
    assert_allclose(m, q / b, atol=1e-12)
    # the Kac-Rice good minimum (bisection, spiked.theory.thresholds) is the same root
    assert_allclose(isolated_minima(3, 1 / y, 1.0)["good_minimum"], m, atol=1e-9)
    assert_allclose(good_minimum(3, 1 / y, 1.0)["m"], m, atol=1e-9)


def test_no_informative_fixed_point_is_zero():
    assert bayes_amp_fixed_point(3, 5.0, 50.0) == 0.0
    assert ml_amp_fixed_point(3, 5.0, 50.0)[0] == 0.0


def test_odd_p_has_an_anti_aligned_minimum_at_large_snr():
    minima = isolated_minima(3, 1 / 3.0, 1.0)  # an anti-aligned minimum (t* > 2) from 1/Δ2 ≈ 3
    assert minima["anti_aligned_minimum"] < 0 < minima["good_minimum"]


def test_bad_input_is_named():
    with pytest.raises(ParameterError, match="delta2 must be > 0, got -1"):
        bayes_amp_fixed_point(3, -1, 1)
    with pytest.raises(ParameterError, match="p must be an integer"):
        ml_amp_fixed_point(2.5, 0.5, 1.0)
