"""Gradient-flow convergence-time points (``spiked.dmft.thresholds``): bad input is named."""

import numpy as np
import pytest

from highdim_dynamics.spiked.dmft.thresholds import gradient_flow_convergence_points
from highdim_dynamics.core.validation import ParameterError


def test_convergence_points_bad_input_is_named():
    with pytest.raises(ParameterError, match="factors"):
        gradient_flow_convergence_points([3], [1.0], factors=(1.1, 1.2, 1.3))
    with pytest.raises(ParameterError, match="factors"):
        gradient_flow_convergence_points([3], [1.0], factors=(0.9, 1.2, 1.3, 1.5))
