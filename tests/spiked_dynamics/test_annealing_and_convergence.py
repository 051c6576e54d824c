"""The gradient-flow convergence-time fit and points (``spiked.dmft.thresholds``).

References: the closed-form gradient-flow line; bad input is named.
"""

import numpy as np
import pytest

from highdim_dynamics.spiked.dmft.thresholds import (convergence_time_fit,
                                                     gradient_flow_convergence_points)
from highdim_dynamics.core.validation import ParameterError


def test_convergence_time_fit_recovers_the_divergence():
    x = np.array([2.2, 2.3, 2.5, 3.0])
    star, theta = convergence_time_fit(x, 7.0 * (x - 1.9) ** -1.4)
    assert star == pytest.approx(1.9, rel=1e-6)  # exact data: the fit's tolerance
    assert theta == pytest.approx(1.4, rel=1e-5)
    assert np.isnan(convergence_time_fit(x[:2], x[:2])[0])


def test_convergence_points_bad_input_is_named():
    with pytest.raises(ParameterError, match="factors"):
        gradient_flow_convergence_points([3], [1.0], factors=(1.1, 1.2, 1.3))
    with pytest.raises(ParameterError, match="factors"):
        gradient_flow_convergence_points([3], [1.0], factors=(0.9, 1.2, 1.3, 1.5))
