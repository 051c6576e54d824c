"""Threshold extraction from the DMFT: escape times, growth rates, the threshold fit."""

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from highdim_dynamics.core.validation import ParameterError
from highdim_dynamics.spiked.dmft.thresholds import (
    escape_time,
    extrapolate_threshold,
    gradient_flow_convergence_points,
    growth_rate,
    window_slope,
)


def test_escape_time_interpolates_and_inf_when_never_reached():
    df = pd.DataFrame({"t": [0.0, 1.0, 2.0, 3.0], "cbar": [0.0, 0.1, 0.5, 0.6]})
    assert_allclose(escape_time(df, 0.3), 1.5, rtol=1e-14)  # linear interpolation
    assert escape_time(df, 0.9) == np.inf


def test_growth_rate_of_an_exponential():
    t = np.linspace(0, 10, 201)
    df = pd.DataFrame({"t": t, "cbar": 1e-9 * np.exp(0.3 * t)})
    # np.gradient is exact on a linear function (ln C̄ = ln 1e-9 + 0.3 t)
    assert_allclose(growth_rate(df), 0.3, rtol=1e-10)
    assert_allclose(window_slope(t, np.log(df.cbar.to_numpy()), 5, 10), 0.3, rtol=1e-10)


def test_extrapolation_recovers_the_zero_of_a_line():
    x = np.array([0.4, 0.5, 0.6, 0.65])
    lam = 0.2 * (0.7 - x)  # exactly linear: every variant gives 0.7, error bar 0
    star, err = extrapolate_threshold(x, lam, 1.5 * lam)
    assert_allclose(star, 0.7, rtol=1e-12)
    assert err < 1e-10
    with pytest.raises(ParameterError):
        extrapolate_threshold(x[:2], lam[:2], lam[:2])


def test_gradient_flow_dmft_threshold_point_brackets_closed_form():
    # the interface used by the landscape figure: one (p, Δp) point, growth-rate criterion.
    # Measured 1.979 ± 0.110 vs the closed form 2.0 (p = 3, Δp = 1).
    from highdim_dynamics.spiked.dmft.thresholds import gradient_flow_dmft_threshold_points
    from highdim_dynamics.spiked.theory.algorithmic_lines import gradient_flow_line

    df = gradient_flow_dmft_threshold_points([3], [1.0])
    assert list(df.columns[:2]) == ["p", "delta_p"]
    r = df.iloc[0]
    line = gradient_flow_line(3, 1.0)
    assert r.inv_delta2_err < 0.1 * line
    assert abs(r.inv_delta2 - line) <= r.inv_delta2_err


def test_convergence_points_bad_input_is_named():
    with pytest.raises(ParameterError, match="factors"):
        gradient_flow_convergence_points([3], [1.0], factors=(1.1, 1.2, 1.3))
    with pytest.raises(ParameterError, match="factors"):
        gradient_flow_convergence_points([3], [1.0], factors=(0.9, 1.2, 1.3, 1.5))
