"""Late-time exponent of the quadratic network's error curve (the overparam_success fit)."""

import numpy as np
import pytest
from numpy.testing import assert_allclose

from highdim_dynamics.core.validation import ParameterError
from highdim_dynamics.quadratic_network.gradient_flow import late_time_exponent

TAU = 2.0 ** np.arange(0, 9, 0.5)  # geometric grid of ratio sqrt(2), as the flow records


def test_power_laws_give_their_exponent():
    # exact power laws: the least-squares slope is exact up to rounding
    assert_allclose(late_time_exponent(TAU, 3.0 / TAU), -1.0, rtol=1e-12)
    assert_allclose(late_time_exponent(TAU, TAU**-2.5), -2.5, rtol=1e-12)


def test_only_the_last_window_counts():
    # flat, then 1/tau over the last factor 16 (tau >= 16 of tau_max = 256)
    err = np.where(TAU < 16, 1.0 / 16, 1.0 / TAU)
    assert_allclose(late_time_exponent(TAU, err, window=16.0), -1.0, rtol=1e-12)
    assert late_time_exponent(TAU, err, window=256.0) > -1.0


def test_too_few_points_and_bad_window():
    assert np.isnan(late_time_exponent([1.0, 2.0], [1.0, 0.5]))
    with pytest.raises(ParameterError, match="window"):
        late_time_exponent(TAU, 1.0 / TAU, window=0.0)
