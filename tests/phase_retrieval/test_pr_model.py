"""Phase-retrieval model: gradient / tangent Hessian against finite differences, bad input."""

import numpy as np
import pytest
from numpy.testing import assert_allclose

from highdim_dynamics.core.validation import ParameterError
from highdim_dynamics.phase_retrieval.model import (
    gradient,
    loss,
    overlap,
    random_sphere_points,
    sample_instance,
    tangent_hessian,
)


@pytest.fixture
def inst():
    return sample_instance(12, 3.0, np.random.default_rng(0))


def test_instance_conventions(inst):
    # |w*|^2 = p exactly (renormalised) and y = |X w*|
    assert_allclose(inst.w_star @ inst.w_star, inst.p, rtol=1e-12)
    assert_allclose(inst.y, np.abs(inst.X @ inst.w_star), rtol=1e-14)
    assert inst.n == 36
    assert_allclose(loss(inst, inst.w_star), 0.0, atol=1e-20)
    assert_allclose(overlap(inst, inst.w_star), 1.0, rtol=1e-14)


def test_gradient_finite_difference(inst):
    w = random_sphere_points(inst.p, 1, np.random.default_rng(1))[:, 0]
    g = gradient(inst, w)
    eps = 1e-6
    fd = np.array(
        [(loss(inst, w + eps * e) - loss(inst, w - eps * e)) / (2 * eps) for e in np.eye(inst.p)]
    )
    # central differences: O(eps^2) truncation, O(1e-16 L / eps) round-off -> ~1e-8 relative
    assert_allclose(g, fd, rtol=1e-6, atol=1e-8)
    # batched call gives the same columns
    W = np.stack([w, -w], axis=1)
    assert_allclose(gradient(inst, W)[:, 0], g, rtol=1e-13)


def test_tangent_hessian_is_second_derivative_on_sphere(inst):
    w = random_sphere_points(inst.p, 1, np.random.default_rng(2))[:, 0]
    H, B = tangent_hessian(inst, w)
    p = inst.p
    # second derivative of L along the geodesic w(s) = cos(s/sqrt p) w + sin(s/sqrt p) sqrt(p) u
    for k in range(3):
        u = B[:, k]

        def f(s, u=u):
            return loss(inst, np.cos(s / np.sqrt(p)) * w + np.sin(s / np.sqrt(p)) * np.sqrt(p) * u)

        h = 1e-3
        d2 = (f(h) - 2 * f(0) + f(-h)) / h**2
        # O(h^2) truncation relative to the O(1-10) curvature: 1e-4 relative
        assert_allclose(d2, H[k, k], rtol=1e-4, atol=1e-4)
    assert_allclose(B.T @ w, 0.0, atol=1e-12)
    assert_allclose(B.T @ B, np.eye(p - 1), atol=1e-12)


@pytest.mark.parametrize("p, alpha", [(1, 2.0), (0, 2.0), (10, 0.0), (10, -1.0), (2.5, 2.0)])
def test_bad_input(p, alpha):
    with pytest.raises(ParameterError):
        sample_instance(p, alpha, np.random.default_rng(0))
