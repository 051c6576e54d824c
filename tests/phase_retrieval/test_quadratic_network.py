"""Quadratic network: gradient formula, bad input, theorem checks at small d."""

import numpy as np
import pytest
from numpy.testing import assert_allclose

from highdim_dynamics.phase_retrieval.quadratic_network import (labels, quadratic_network_flow,
                                                                sample_inputs, sample_teacher)
from highdim_dynamics.validation import ParameterError


def test_gradient_formula():
    # dL/dW = (4/m) W M with M = sum (yhat - y) x x^T: the update used by the kernel
    rng = np.random.default_rng(0)
    d, m = 5, 3
    As = sample_teacher(d, 1, rng)
    X = sample_inputs(d, 2.0, rng)
    y = labels(X, As)
    W = rng.standard_normal((m, d))
    L = lambda W: np.sum((labels(X, W.T @ W / m) - y) ** 2)  # noqa: E731
    M = X.T @ ((labels(X, W.T @ W / m) - y)[:, None] * X)
    eps = 1e-6
    fd = np.zeros_like(W)
    for i in range(m):
        for j in range(d):
            E = np.zeros_like(W)
            E[i, j] = eps
            fd[i, j] = (L(W + E) - L(W - E)) / (2 * eps)
    assert_allclose(fd, 4 / m * W @ M, rtol=1e-6, atol=1e-9)  # central differences


@pytest.mark.parametrize("kw", [dict(d=1), dict(m=0), dict(m_star="two"), dict(m_star=0), dict(alpha=0.0),
                                dict(alpha=-2.0), dict(m_star=1.5)])
def test_bad_input(kw):
    args = dict(d=6, m=6, m_star=1, alpha=2.0, n_runs=1, seed=0)
    args.update(kw)
    with pytest.raises(ParameterError):
        quadratic_network_flow(**args)


def test_overparametrised_unique_above_two_not_trapped_below():
    hi, _ = quadratic_network_flow(d=8, m=8, m_star=1, alpha=4.0, n_runs=6, seed=1)
    lo, _ = quadratic_network_flow(d=8, m=16, m_star=1, alpha=1.0, n_runs=6, seed=2)
    assert hi.success.all()
    assert not lo.success.any()
    assert (lo.status == "nonunique").all()  # zero loss reached, not trapped
    assert (lo.loss < 1e-4).all()  # loss decreasing to zero (slowly in some runs), error stalled


def test_rank_one_power_law_full_rank_exponential():
    _, t1 = quadratic_network_flow(d=8, m=8, m_star=1, alpha=4.0, n_runs=2, seed=3, tau_max=128.0, e_stop=1e-12)
    late = t1[t1.tau >= 16]
    slope = np.polyfit(np.log(late.tau), np.log(late.error), 1)[0]
    assert -1.3 < slope < -0.75  # 1/tau, approached from above at these times
    _, tf = quadratic_network_flow(d=6, m=6, m_star="full", alpha=10.0, n_runs=2, seed=4, tau_max=128.0,
                                   e_stop=1e-10)
    assert tf.groupby("run").error.min().max() < 1e-8


def test_reproducible_across_calls():
    a, _ = quadratic_network_flow(d=6, m=3, m_star=1, alpha=2.0, n_runs=4, seed=5, tau_max=32.0)
    b, _ = quadratic_network_flow(d=6, m=3, m_star=1, alpha=2.0, n_runs=4, seed=5, tau_max=32.0)
    assert a.equals(b)
