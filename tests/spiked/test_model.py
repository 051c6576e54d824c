"""The spiked model's one definition: numba scalars (used by the DMFT kernels, the reference
solver and the simulations) agree with the numpy model, with and without annealing."""

import numpy as np
import pytest
from numpy.testing import assert_allclose

from highdim_dynamics.core.validation import ParameterError
from highdim_dynamics.spiked.dmft import AUTHORS_ANNEAL, Anneal
from highdim_dynamics.spiked.model import (
    SpikedMatrixTensor,
    anneal_weight,
    delta_p_eff,
    q_fun,
    q_prime,
    q_second,
)

X = np.linspace(-1.0, 1.0, 41)


@pytest.mark.parametrize("p, delta2, delta_p", [(3, 0.7, 1.3), (4, 0.5, 0.2), (5, 1.1, 2.0)])
@pytest.mark.parametrize("t", [None, 0.5, 10.0, 140.0])  # None: no annealing
def test_kernels_and_numpy_model_agree(p, delta2, delta_p, t):
    # the kernels evaluate Q, Q', Q'' at Δp_eff(t) = Δp / a(t); the numpy model is built
    # with that Δp.  Same formula, two compilers: agreement to rounding (rtol 1e-14)
    dpe = delta_p if t is None else delta_p / anneal_weight(t, delta_p, 100.0, 70.0, 1.0)
    model = SpikedMatrixTensor(p, delta2, dpe)
    for kernel, vectorised in ((q_fun, model.Q), (q_prime, model.dQ), (q_second, model.d2Q)):
        assert_allclose(
            [kernel(x, p, delta2, dpe) for x in X], vectorised(X), rtol=1e-14, atol=1e-300
        )
    # and Q' and Q'' are the derivatives of Q (central differences, error ~ h² ~ 1e-8)
    h = 1e-4
    assert_allclose((model.Q(X + h) - model.Q(X - h)) / (2 * h), model.dQ(X), rtol=1e-6, atol=1e-8)
    assert_allclose(
        (model.dQ(X + h) - model.dQ(X - h)) / (2 * h), model.d2Q(X), rtol=1e-6, atol=1e-8
    )


def test_annealing_schedule_is_the_engines():
    # the engine's Anneal and the reference solver's (c, τ, t_hold) share the model's a(t)
    ts = np.concatenate([np.linspace(0.0, 2.0, 21), np.geomspace(2.0, 2000.0, 50)])
    for t in ts:
        dpe = AUTHORS_ANNEAL.delta_p_eff(t, 0.8)
        assert dpe == delta_p_eff(t, 0.8, 100.0, 70.0, 1.0)
        assert AUTHORS_ANNEAL.weight(t, 0.8) == anneal_weight(t, 0.8, 100.0, 70.0, 1.0)
        assert_allclose(AUTHORS_ANNEAL.weight(t, 0.8), 0.8 / dpe, rtol=1e-15)
    # held constant up to t_hold = 1, then Δp + c e^{-t/τ}
    assert delta_p_eff(0.3, 1.0, 100.0, 70.0, 1.0) == 101.0
    assert_allclose(delta_p_eff(70.0, 1.0, 100.0, 70.0, 1.0), 1.0 + 100.0 / np.e, rtol=1e-15)
    assert anneal_weight(5.0, 1.0, 0.0, 70.0, 1.0) == 1.0  # no amplitude: exactly 1
    assert Anneal(c=0.0).weight(5.0, 1.0) == 1.0


def test_model_validates():
    with pytest.raises(ParameterError, match="p must be an integer"):
        SpikedMatrixTensor(3.5, 1.0, 1.0)
    with pytest.raises(ParameterError, match="delta2 must be > 0"):
        SpikedMatrixTensor(3, -1.0, 1.0)
    with pytest.raises(ParameterError, match="p must be an integer >= 3"):
        SpikedMatrixTensor(2, 1.0, 1.0)
    assert SpikedMatrixTensor(3, 0.5, 1.0).sigma2 == 1 / 0.5 + 2 / 1.0
