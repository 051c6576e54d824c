"""The finite-N Langevin simulation (PRX 2020): start, reproducibility, T = 0 limit, input."""

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from highdim_dynamics.core.validation import ParameterError
from highdim_dynamics.spiked.finite_n.langevin_simulation import (
    simulate_langevin,
    simulation_summary,
    start_with_overlap,
)


def test_start_has_exact_overlap():
    rng = np.random.default_rng(0)
    xs = rng.standard_normal(50)
    xs *= np.sqrt(50) / np.linalg.norm(xs)
    x0 = start_with_overlap(xs, 0.3, rng)
    assert_allclose(x0 @ xs / 50, 0.3, rtol=1e-12)
    assert_allclose(x0 @ x0, 50, rtol=1e-12)


def test_simulation_is_reproducible_and_stays_on_sphere():
    kw = dict(n=20, temperature=1.0, cbar0=0.3, t_max=1.0, dt=0.01, record_dt=0.5, n_instances=2)
    a = simulate_langevin(3, 0.5, 1.0, seed=7, **kw)
    b = simulate_langevin(3, 0.5, 1.0, seed=7, **kw)
    pd.testing.assert_frame_equal(a, b)  # same seed: identical (noise seeded per run)
    c = simulate_langevin(3, 0.5, 1.0, seed=8, **kw)
    assert not np.allclose(a["cbar"], c["cbar"])
    assert_allclose(a.groupby("instance")["cbar"].first(), 0.3, rtol=1e-12)
    s = simulation_summary(a)
    assert {"cbar_sd", "energy_se", "n_instances"} <= set(s.columns)


def test_gradient_descent_reaches_ml_amp_like_overlap():
    # T = 0 at 1/Δ2 = 3 (above the GF line): finite-N GD from C̄(0) = 0.5 converges near
    # the ML-AMP fixed point 0.869 (finite-N spread ~ N^-1/2 = 0.1).
    r = simulate_langevin(
        3,
        1 / 3,
        1.0,
        n=60,
        temperature=0.0,
        cbar0=0.5,
        t_max=20.0,
        dt=0.01,
        record_dt=5.0,
        n_instances=3,
        seed=3,
    )
    final = r.groupby("instance")["cbar"].last()
    assert np.all(np.abs(final - 0.869) < 0.15)


def test_simulation_bad_input():
    with pytest.raises(ParameterError, match="n"):
        simulate_langevin(3, 0.5, 1.0, n=2)
    with pytest.raises(ParameterError, match="cbar0"):
        simulate_langevin(3, 0.5, 1.0, n=20, cbar0=1.5)
    with pytest.raises(ParameterError, match="delta2"):
        simulate_langevin(3, -0.5, 1.0, n=20)
