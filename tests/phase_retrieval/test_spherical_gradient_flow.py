"""Spherical gradient descent: classification, step control, reproducibility."""

import numpy as np
import pytest
from numpy.testing import assert_allclose

from highdim_dynamics.core.validation import DivergenceError, ParameterError
from highdim_dynamics.phase_retrieval.model import random_sphere_points, sample_instance
from highdim_dynamics.phase_retrieval.spherical_gradient_flow import spherical_gradient_descent


def _run(p, alpha, R, seed, **kw):
    rng = np.random.default_rng(seed)
    inst = sample_instance(p, alpha, rng)
    return inst, spherical_gradient_descent(inst, random_sphere_points(p, R, rng), **kw)


def test_large_alpha_succeeds():
    _, (runs, _, _) = _run(50, 12.0, 8, 0)
    assert runs.success.all()
    assert (runs.status == "success").all()


def test_small_alpha_fails_at_genuine_minima():
    inst, (runs, _, W) = _run(50, 2.0, 8, 1)
    failed = runs[~runs.success]
    assert len(failed) >= 6
    assert (failed.status == "minimum").all()
    assert (failed.lambda_min > 0).all()
    assert (failed.grad_norm < 1e-4).all()


def test_oversized_steps_are_rejected_not_failures():
    # a ceiling 1000x the initial step lets the step run into instability; the loss test must
    # reject those steps (counted) and the runs still end as successes or minima
    _, (runs, traj, _) = _run(
        40, 8.0, 4, 2, step_cap_factor=1000.0, record_times=np.logspace(-3, 2, 30)
    )
    assert runs.rejected.sum() > 0
    assert set(runs.status) <= {"success", "minimum"}
    for _, g in traj.groupby("run"):
        assert np.all(np.diff(g.loss.values) <= 1e-12 * g.loss.values[:-1])


def test_non_finite_data_raise_divergence():
    # every trial step gives a non-finite loss: the step is halved until it underflows and a
    # DivergenceError (not a "failed run") is raised
    from highdim_dynamics.phase_retrieval.model import PhaseRetrievalInstance

    rng = np.random.default_rng(3)
    inst = sample_instance(20, 3.0, rng)
    y = inst.y.copy()
    y[0] = np.inf
    bad = PhaseRetrievalInstance(X=inst.X, w_star=inst.w_star, y=y)
    with pytest.raises(DivergenceError):
        spherical_gradient_descent(bad, random_sphere_points(20, 2, rng))


def test_reproducible():
    a = _run(30, 5.0, 4, 4)[1][0]
    b = _run(30, 5.0, 4, 4)[1][0]
    assert a.equals(b)


@pytest.mark.parametrize("thr", [0.0, 1.0, 1.5, -0.1])
def test_bad_success_threshold(thr):
    with pytest.raises(ParameterError, match="success_threshold"):
        _run(20, 3.0, 1, 0, success_threshold=thr)


def test_adaptive_matches_fixed_small_step():
    # same instance and start: the adaptive (step <= dt0/4) and a fixed dt0/20 integration
    # end at the same critical point (both stop at |grad| < 1e-7)
    rng = np.random.default_rng(5)
    inst = sample_instance(40, 8.0, rng)
    W0 = random_sphere_points(40, 2, rng)
    kw = dict(stop_on_success=False, grad_tol=1e-7, t_max=50.0, max_steps=10**6)
    a = spherical_gradient_descent(inst, W0, step_cap_factor=0.25, **kw)[0]
    b = spherical_gradient_descent(inst, W0, fixed_step=1 / (20 * (40 * inst.alpha + 12)), **kw)[0]
    assert list(a.status) == list(b.status)
    assert_allclose(a.overlap, b.overlap, atol=1e-4)  # distance to the critical point ~ grad/lambda
