"""Tests of finite-N projected gradient descent and of the threshold-Hessian theory."""

import math

import numba
import numpy as np
import pytest
from numpy.testing import assert_allclose

from highdim_dynamics.core.validation import ParameterError
from highdim_dynamics.spiked.finite_n.gradient_descent import descend, descent_runs
from highdim_dynamics.spiked.finite_n.instance import draw_instance
from highdim_dynamics.spiked.model import SpikedMatrixTensor
from highdim_dynamics.spiked.theory.threshold_hessian import semicircle_density, threshold_hessian


def test_descent_reaches_a_minimum_of_the_instance():
    model = SpikedMatrixTensor(3, 1 / 3.0, 1.0)
    inst = draw_instance(model, 40, 3)
    x0 = np.random.default_rng(4).standard_normal(40)
    res = descend(inst, x0, t_max=500.0, grad_tol=1e-7)
    assert res["converged"]
    assert_allclose(res["x"] @ res["x"], 40.0, rtol=1e-12)  # stays on the sphere
    assert np.linalg.norm(inst.riemannian_gradient(res["x"])) / math.sqrt(40) < 1e-7
    assert np.linalg.eigvalsh(inst.riemannian_hessian(res["x"]))[0] > 0  # a minimum
    # descent decreases the energy
    assert inst.energy(res["x"]) < inst.energy(x0 * math.sqrt(40) / np.linalg.norm(x0))


def test_equator_restriction_keeps_zero_overlap():
    model = SpikedMatrixTensor(3, 1 / 3.0, 1.0)
    inst = draw_instance(model, 30, 5)
    res = descend(inst, np.random.default_rng(6).standard_normal(30), t_max=50.0, equator=True)
    assert abs(inst.overlap(res["x"])) < 1e-12


def test_batch_runs_reproducible_whatever_the_thread_count():
    model = SpikedMatrixTensor(3, 0.5, 1.0)
    before = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        a, _ = descent_runs(model, 30, [1, 2, 3, 4], t_max=30.0)
        numba.set_num_threads(numba.config.NUMBA_NUM_THREADS)
        b, _ = descent_runs(model, 30, [1, 2, 3, 4], t_max=30.0)
    finally:
        numba.set_num_threads(before)
    assert a.equals(b)
    c, _ = descent_runs(model, 30, [1, 2, 3, 4], t_max=30.0, chunk=3)  # chunking is invisible
    assert a.equals(c)
    # the batch kernel matches the single-run API on the same instance and start
    rng = np.random.default_rng(2)
    inst = draw_instance(model, 30, rng)
    g = rng.standard_normal(30)
    single = descend(inst, g * math.sqrt(30) / np.linalg.norm(g), t_max=30.0)
    assert_allclose(a["overlap"].iloc[1], inst.overlap(single["x"]), rtol=1e-12, atol=1e-14)
    assert a["steps"].iloc[1] == single["steps"]


def test_spiked_goe_matches_threshold_hessian_theory():
    """σ(W + 2 − θvvᵀ) sampled at N = 1500: outlier and overlap vs σ(2 − θ − 1/θ), 1 − 1/θ²."""
    p, delta2, delta_p = 3, 1 / 3.5, 1.0
    th = threshold_hessian(p, delta2, delta_p)
    n = 1500
    rng = np.random.default_rng(0)
    a = rng.standard_normal((n, n)) / math.sqrt(n)
    w = (a + a.T) / math.sqrt(2)  # GOE, semicircle on [−2, 2]
    v = np.zeros(n)
    v[0] = 1.0
    h = th["sigma"] * (w + 2 * np.eye(n) - th["theta"] * np.outer(v, v))
    vals, vecs = np.linalg.eigh(h)
    # O(σ N^-1/2) fluctuations of the outlier (≈ 0.06 here), O(N^-1/2) for the overlap
    assert_allclose(vals[0], th["outlier"], atol=0.25)
    assert_allclose(vecs[0, 0] ** 2, th["outlier_overlap2"], atol=0.1)
    # bulk: semicircle touching 0 (edge within N^-2/3 σ scale)
    assert abs(vals[1]) < 0.15 * th["sigma"]
    hist, edges = np.histogram(vals[1:], bins=20, density=True)
    centres = 0.5 * (edges[1:] + edges[:-1])
    assert_allclose(
        hist,
        semicircle_density(centres, th["bulk_centre"], th["bulk_radius"]),
        atol=0.2 * semicircle_density(th["bulk_centre"], th["bulk_centre"], th["bulk_radius"]),
    )


def test_below_the_line_no_outlier_and_bad_input():
    th = threshold_hessian(3, 1 / 1.5, 1.0)
    assert th["theta"] < 1 and np.isnan(th["outlier"]) and th["outlier_overlap2"] == 0.0
    with pytest.raises(ParameterError, match="p"):
        threshold_hessian(2, 1.0, 1.0)
    with pytest.raises(ParameterError, match="delta2"):
        threshold_hessian(3, -1.0, 1.0)
    with pytest.raises(ParameterError, match="m"):
        threshold_hessian(3, 1.0, 1.0, m=1.2)
    model = SpikedMatrixTensor(3, 1.0, 1.0)
    with pytest.raises(ParameterError, match="step_factor"):
        descent_runs(model, 20, [1], step_factor=0.6)
    with pytest.raises(ParameterError, match="seeds"):
        descent_runs(model, 20, [-1])
    with pytest.raises(ParameterError, match="hessian"):
        descent_runs(model, 20, [1], hessian="all")
    with pytest.raises(ParameterError, match="delta_p"):
        SpikedMatrixTensor(3, 1.0, 0.0)
