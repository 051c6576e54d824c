"""Logistic fit of P(success) vs alpha (the figure checks: tests/figures/)."""

import numpy as np
from numpy.testing import assert_allclose

from highdim_dynamics.phase_retrieval.finite_size import fit_logistic, logistic


def test_logistic_fit_recovers_parameters():
    rng = np.random.default_rng(0)
    a = np.repeat(np.linspace(2, 8, 13), 50)
    k = rng.random(a.size) < logistic(a, 4.5, 0.7)
    a50, w = fit_logistic(a, k.astype(float), np.ones(a.size))
    # 650 Bernoulli draws: standard error of alpha_50 ~ 0.05
    assert_allclose(a50, 4.5, atol=0.2)
    assert_allclose(w, 0.7, rtol=0.3)
