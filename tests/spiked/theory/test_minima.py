"""Isolated minima of the Kac-Rice landscape (``spiked.theory.minima``)."""

import pytest
from numpy.testing import assert_allclose

from highdim_dynamics.core.validation import ParameterError
from highdim_dynamics.spiked.model import ml_amp_fixed_point
from highdim_dynamics.spiked.theory.minima import isolated_minima, ml_fixed_point_residual
from highdim_dynamics.spiked.theory.thresholds import good_minimum


@pytest.mark.parametrize("y", [2.2, 2.5, 3.0])
def test_good_minimum_is_the_ml_amp_fixed_point(y):
    m = isolated_minima(3, 1 / y, 1.0)["good_minimum"]
    assert abs(ml_fixed_point_residual(m, 3, 1 / y, 1.0)) < 1e-12  # brentq to 1e-15
    # two other routes to the same root (bisection on the same equation): to rounding
    assert_allclose(m, ml_amp_fixed_point(3, 1 / y, 1.0)[0], atol=1e-9)
    assert_allclose(m, good_minimum(3, 1 / y, 1.0)["m"], atol=1e-9)


def test_odd_p_has_an_anti_aligned_minimum_at_large_snr():
    minima = isolated_minima(3, 1 / 3.0, 1.0)  # an anti-aligned minimum (t* > 2) from 1/Δ2 ≈ 3
    assert minima["anti_aligned_minimum"] < 0 < minima["good_minimum"]
    assert abs(ml_fixed_point_residual(minima["anti_aligned_minimum"], 3, 1 / 3.0, 1.0)) < 1e-12


def test_bad_input_is_named():
    with pytest.raises(ParameterError, match="delta2 must be > 0, got -1"):
        isolated_minima(3, -1, 1)
