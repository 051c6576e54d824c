"""Lu--Li solver: closed forms (alpha_c = 1/2, Marchenko-Pastur) and finite-p spectra."""

import numpy as np
import pytest
from numpy.testing import assert_allclose

from highdim_dynamics.phase_retrieval.lu_li import (
    law_from_preprocessing,
    lu_li_outlier,
    lu_li_transition,
    optimal_phase_retrieval_law,
    sample_spectrum,
)


def test_transition_is_one_half():
    # closed form: criterion = 2 delta - 1 at lambda = sup T = 1 (tight: bisection to 1e-12)
    assert_allclose(lu_li_transition(optimal_phase_retrieval_law(), 0.2, 2.0), 0.5, atol=1e-9)


@pytest.mark.parametrize("delta", [0.1, 0.3, 0.45])
def test_criterion_below_transition(delta):
    out = lu_li_outlier(optimal_phase_retrieval_law(), delta)
    # Gauss-Hermite is exact for the polynomial integrand at lambda = 1
    assert_allclose(out["criterion"], 2 * delta - 1, rtol=1e-10)
    assert out["overlap2"] == 0.0


@pytest.mark.parametrize("delta", [0.5, 1.0, 4.0])
def test_marchenko_pastur_edge(delta):
    # T = 1: D is a Wishart matrix with top edge (1 + 1/sqrt(delta))^2 and no outlier
    law = law_from_preprocessing(lambda y: np.ones_like(y), tau=1.0, n_nodes=40)
    out = lu_li_outlier(law, delta)
    assert_allclose(out["bulk_edge"], (1 + 1 / np.sqrt(delta)) ** 2, rtol=1e-10)
    assert out["criterion"] < 0


def test_overlap_against_finite_p_spectra():
    law = optimal_phase_retrieval_law()
    rng = np.random.default_rng(0)
    p = 400
    for delta in (1.5, 3.0):
        ov = [sample_spectrum(lambda y: 1 - 1 / y**2, p, delta, rng)["overlap2"] for _ in range(4)]
        theory = lu_li_outlier(law, delta)["overlap2"]
        # O(p^{-1/2}) finite-size corrections plus sampling error of a mean of 4
        assert abs(np.mean(ov) - theory) < 2 / np.sqrt(p) + 3 * np.std(ov) / 2
