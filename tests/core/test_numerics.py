"""Crossing times, Richardson extrapolation and power-law divergence fits on exact data."""

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose

from highdim_dynamics.core.errors import ParameterError
from highdim_dynamics.core.numerics import (
    crossing_time,
    power_law_divergence_fit,
    richardson,
    richardson_extrapolation,
)


def test_crossing_time_linear_and_log_interpolation():
    t = np.array([0.0, 1.0, 2.0, 3.0])
    # linear curve: the linear interpolation is exact (rounding only)
    assert_allclose(crossing_time(t, 0.1 * t, 0.25), 2.5, rtol=1e-15)
    # exponential curve c = 1e-3 e^{2t}: interpolating ln c is exact, linear in c is not
    c = 1e-3 * np.exp(2.0 * t)
    exact = math.log(0.05 / 1e-3) / 2.0
    assert_allclose(crossing_time(t, c, 0.05, log=True), exact, rtol=1e-14)
    assert abs(crossing_time(t, c, 0.05) - exact) > 0.05  # linear in c: 0.053 early
    assert crossing_time(t, 0.1 * t, 0.5) == math.inf  # never reached
    assert crossing_time(t, 0.1 * t + 0.3, 0.2) == 0.0  # reached at the first sample


def test_richardson_is_exact_for_a_pure_power():
    # X(h) = 5 + 3 h² exactly: the extrapolation is exact and the observed order is 2
    hs = [0.1, 0.05, 0.025]
    xs = [5 + 3 * h * h for h in hs]
    assert_allclose(richardson(xs[0], xs[1]), 5.0, rtol=1e-13)  # rounding of 3h² only
    r = richardson_extrapolation(xs, hs)
    assert_allclose(r["extrapolated"], 5.0, rtol=1e-12)
    assert_allclose(r["observed_order"], 2.0, rtol=1e-9)
    assert r["error"] < 1e-12
    with pytest.raises(ParameterError, match="needs >= 2 values"):
        richardson_extrapolation([1.0], [0.1])


@pytest.mark.parametrize(
    "side, x",
    [("below", np.array([0.5, 0.55, 0.6, 0.65])), ("above", np.array([2.1, 2.2, 2.5, 3.0]))],
)
def test_power_law_divergence_fit_recovers_the_threshold(side, x):
    star, theta = (0.7, 1.3) if side == "below" else (1.9, 1.4)
    t = 7.0 * np.abs(x - star) ** -theta
    got = power_law_divergence_fit(x, t, side=side)
    # exact data, three parameters fitted on four points: least squares to ~1e-6
    assert_allclose(got, (star, theta), rtol=1e-5)
    assert np.isnan(power_law_divergence_fit(x[:2], t[:2], side=side)[0])  # < 3 points
    with pytest.raises(ParameterError, match="side must be"):
        power_law_divergence_fit(x, t, side="left")
