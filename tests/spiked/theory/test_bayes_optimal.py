"""Bayes-optimal state evolution, phases and closed-form algorithmic lines."""

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy.optimize import minimize_scalar

from highdim_dynamics.core.validation import ParameterError
from highdim_dynamics.spiked.model import SpikedMatrixTensor
from highdim_dynamics.spiked.theory.algorithmic_lines import (
    gradient_flow_line,
    langevin_line,
    ml_amp_line,
    threshold_overlap,
)
from highdim_dynamics.spiked.theory.bayes_optimal import (
    bayes_optimal_thresholds,
    fixed_points,
    free_entropy,
    iterate_state_evolution,
)


@pytest.mark.parametrize("p, delta2, delta_p", [(3, 0.5, 1.0), (3, 0.9, 0.4), (4, 0.8, 0.2)])
def test_fixed_points_are_stationary_points_of_the_free_entropy(p, delta2, delta_p):
    model = SpikedMatrixTensor(p, delta2, delta_p)
    points, stable = fixed_points(model)
    for m, is_stable in zip(points[1:], stable[1:]):
        # stable fixed points of SE are local maxima of Φ; compare with a direct optimiser
        if is_stable:
            res = minimize_scalar(
                lambda x: -free_entropy(x, model),
                bounds=(m - 0.05, min(m + 0.05, 1)),
                method="bounded",
                options=dict(xatol=1e-10),
            )
            assert_allclose(res.x, m, atol=1e-6)  # optimiser tolerance
        # and SE iterated from nearby lands on the stable ones
    m_high = points[-1]
    assert_allclose(iterate_state_evolution(model, 1.0), m_high, rtol=1e-10)


def test_p3_tricritical_point_and_known_lines():
    # p = 3: AMP at Δ2 = 1 for every Δp; hard phase only for Δp < 1 (PRX 2020)
    for dp in (0.3, 0.6, 0.9):
        th = bayes_optimal_thresholds(3, dp)
        assert_allclose(th["amp"], 1.0, atol=1e-9)
        assert th["it"] < th["amp"] - 1e-3
        assert th["spinodal"] <= th["it"]
    for dp in (1.0, 1.5, 3.0):
        th = bayes_optimal_thresholds(3, dp)
        assert_allclose([th["it"], th["spinodal"]], th["amp"], atol=1e-9)


def test_closed_form_lines():
    for dp in (0.25, 1.0, 4.0):
        y = ml_amp_line(3, dp)
        assert_allclose(y**2, y + 1 / dp, rtol=1e-13)
        y = gradient_flow_line(4, dp)
        assert_allclose(y**2, y + 3 / dp, rtol=1e-13)
    # Langevin T = 1, p = 3: Δ2 = √(Δp/2) below Δp = 2 (PRX 2020, Sec. VI); bisection to 1e-12
    dps = np.array([0.2, 0.7, 1.0, 1.9, 2.5, 4.0])
    expected = np.where(dps < 2, np.sqrt(2 / dps), 1.0)
    assert_allclose([langevin_line(3, d, 1.0) for d in dps], expected, rtol=1e-9)
    # p = 4: a dome only below Δp = 4/9
    assert langevin_line(4, 0.3) > 1.2 and abs(langevin_line(4, 0.6) - 1.0) < 1e-9
    # threshold states: the largest root is returned
    model = SpikedMatrixTensor(4, 0.5, 0.2)
    q = threshold_overlap(model, 1.0)
    assert_allclose((1 - q) ** 2 * model.d2Q(q), 1.0, atol=1e-12)
    grid = np.linspace(q + 1e-6, 1, 1000)
    assert np.all((1 - grid) ** 2 * model.d2Q(grid) < 1.0)


def test_ordering_langevin_gf_and_limit():
    for p in (3, 4):
        for dp in np.geomspace(0.05, 50, 12):
            assert langevin_line(p, dp) <= gradient_flow_line(p, dp) + 1e-12
        assert_allclose(gradient_flow_line(p, 1e8), 1.0, atol=1e-6)


def test_thresholds_below_the_search_range_are_refused_unless_clipped():
    # Δp = 1e-12: the tensor alone is informative, the hard phase reaches 1/Δ2 → 0, so the
    # spinodal lies below y_min; returning the search edge silently would look like a line.
    with pytest.raises(ParameterError, match="y_min"):
        bayes_optimal_thresholds(3, 1e-12)
    th = bayes_optimal_thresholds(3, 1e-12, clip=True)
    assert th["spinodal"] == 1e-3 and th["amp"] >= th["it"] >= th["spinodal"]
