"""The multi-resolution DMFT solver: order in h, convergence in the memory resolution B,
long-time identities, and converged escape times near the Langevin threshold.

References: the uniform-grid integrator (:mod:`highdim_dynamics.spiked.dmft_reference.uniform_grid`,
every time kept), the same solver without memory coarsening, the AMP fixed points, and
the Richardson-extrapolated escape time 74.77 ± 0.03 of the uniform grid at Δ2 = 0.5
(``benchmarks/bench_dmft_reference.py``).
"""

import numpy as np
import pytest
from numpy.testing import assert_allclose

from highdim_dynamics.core.numerics import richardson
from highdim_dynamics.core.validation import ParameterError
from highdim_dynamics.spiked.dmft_reference import (
    multiresolution_dmft,
    multiresolution_escape_time,
    uniform_grid_dmft,
)
from highdim_dynamics.spiked.model import ml_amp_fixed_point
from highdim_dynamics.spiked.theory.bayes_optimal import bayes_amp_fixed_point

MODEL = dict(p=3, delta2=0.5, delta_p=1.0, temperature=1.0, cbar0=1e-4)


def _last(df):
    return np.array([np.log(df["cbar"].iloc[-1]), df["mu"].iloc[-1], df["energy"].iloc[-1]])


def test_bad_input_is_named():
    with pytest.raises(ParameterError, match="h"):
        multiresolution_dmft(3, 0.5, 1.0, h=0.3)  # h (T + 1 + Q'(1)) >= 1
    with pytest.raises(ParameterError, match="points_per_octave"):
        multiresolution_dmft(3, 0.5, 1.0, points_per_octave=4)
    with pytest.raises(ParameterError, match="p"):
        multiresolution_dmft(3.5, 0.5, 1.0)
    with pytest.raises(ParameterError, match="delta2"):
        multiresolution_dmft(3, -0.5, 1.0)
    with pytest.raises(ParameterError, match="waiting_times"):
        multiresolution_dmft(3, 0.5, 1.0, t_max=1.0, waiting_times=[2.0])
    with pytest.raises(ParameterError, match="steps"):
        multiresolution_escape_time(3, 0.5, 1.0, steps=(0.025, 0.05))


def test_second_order_in_h_and_agrees_with_uniform_reference():
    # No coarsening (B larger than the number of steps): the scheme must be second order
    # (measured order of ln C̄(10): 2.0; bounds [1.8, 2.3] fail for a first-order bug) and
    # its Richardson extrapolation (h = 0.025, 0.0125) must agree with the uniform grid's
    # (a different product rule: the two share only the equations).  Residual of either
    # extrapolation: O(h³), measured < 1e-4 at t = 20; tolerance 3e-4 on ln C̄, μ and e.
    t_max = 10.0
    runs = [
        _last(multiresolution_dmft(**MODEL, t_max=t_max, h=h, points_per_octave=1000))
        for h in (0.05, 0.025, 0.0125)
    ]
    order = np.log2((runs[0][0] - runs[1][0]) / (runs[1][0] - runs[2][0]))
    assert 1.8 < order < 2.3, order
    ref = richardson(
        *[_last(uniform_grid_dmft(**MODEL, t_max=t_max, h=h)) for h in (0.025, 0.0125)]
    )
    assert_allclose(richardson(runs[1], runs[2]), ref, rtol=0, atol=3e-4)


def test_memory_coarsening_converges_in_points_per_octave():
    # Dropping old times (summing their interval integrals) must converge to the run that
    # keeps every time as B grows: measured |Δ ln C̄(20)| = 1.5e-2 / 2.9e-3 / 5.5e-4 /
    # 9.8e-5 for B = 8 / 16 / 32 / 64 (order ~2.4).  A merging bug gives an error that
    # does not shrink.  Checks: each doubling of B cuts the error by >= 3, B = 64 within
    # 2e-4 (twice the measured value).
    kw = dict(**MODEL, t_max=20.0, h=0.025)
    full = _last(multiresolution_dmft(**kw, points_per_octave=1000))
    errs = [
        np.abs(_last(multiresolution_dmft(**kw, points_per_octave=b)) - full) for b in (16, 32, 64)
    ]
    assert np.all(errs[0] > 3 * errs[1]) and np.all(errs[1] > 3 * errs[2]), errs
    assert_allclose(errs[2], 0.0, atol=2e-4)


@pytest.mark.parametrize("temperature, delta2", [(1.0, 0.5), (0.0, 1.0 / 3.0)])
def test_plateau_identities(temperature, delta2):
    # Long-time identities: T = 1 plateau C̄ = Bayes-AMP fixed point, μ = 1 + Q'(1); T = 0
    # plateau = ML-AMP fixed point, μ = B + Q''(1)/B.  Richardson (h = 0.05, 0.025), B = 32.
    # Measured deviations: T = 1 (t = 200) 3e-5 in C̄, 3.5e-4 in μ; T = 0 (t = 100, still
    # approaching the plateau as a power of t) 1e-4 in C̄, 2e-3 in μ.  Tolerances: 3e-4
    # in C̄ (the Kim–Latz solver's T = 0 bias is 2e-3 and would fail), 1e-3 / 5e-3 in μ.
    p, dp = 3, 1.0
    t_max = 200.0 if temperature > 0 else 100.0
    vals = [
        multiresolution_dmft(
            p,
            delta2,
            dp,
            temperature=temperature,
            cbar0=1e-4,
            t_max=t_max,
            h=h,
            points_per_octave=32,
        ).iloc[-1]
        for h in (0.05, 0.025)
    ]
    cbar = richardson(vals[0]["cbar"], vals[1]["cbar"])
    mu = richardson(vals[0]["mu"], vals[1]["mu"])
    q1 = 1 / delta2 + 1 / dp
    if temperature > 0:
        m_ref, mu_ref, mu_tol = bayes_amp_fixed_point(p, delta2, dp), 1 + q1, 1e-3
    else:
        m_ref, b = ml_amp_fixed_point(p, delta2, dp)
        mu_ref, mu_tol = b + (1 / delta2 + (p - 1) / dp) / b, 5e-3
    assert_allclose(cbar, m_ref, atol=3e-4, rtol=0)
    assert_allclose(mu, mu_ref, atol=mu_tol, rtol=0)


def test_escape_time_matches_uniform_reference():
    # Δ2 = 0.5: uniform-grid reference 74.77 ± 0.03.  This solver, B = 64, h = 0.05 /
    # 0.025 / 0.0125: 77.66 / 75.46 / 74.95, observed order 2.09, extrapolated 74.780
    # with its own error estimate 0.046.  Tolerance: the sum of both error bars.
    r = multiresolution_escape_time(
        3, 0.5, 1.0, t_max=200.0, steps=(0.05, 0.025, 0.0125), points_per_octave=64
    )
    assert 1.8 < r["observed_order"] < 2.4
    assert abs(r["extrapolated"] - 74.77) <= 0.03 + r["error"]


def test_escape_time_converged_near_threshold():
    # The convergence check where it is hardest: Δ2 = 0.6 (growth rate ~0.03,
    # Langevin threshold 1/√2).  Escape times must change by < 1% when the grid is refined,
    # both in the step (extrapolations from (0.05, 0.025) and (0.025, 0.0125) at B = 32;
    # measured 252.22 / 252.68, error 0.46) and in the memory resolution (B = 32 -> 64 at
    # steps (0.025, 0.0125); measured 252.7 -> 251.7; 256.5 at B = 16, so B = 16 -> 32
    # moves it by 1.5% and would fail).  The Kim–Latz solver gives 238.1 / 248.1 / 251.3
    # for windows 256 / 512 / 1024 (README).
    kw = dict(temperature=1.0, cbar0=1e-4, t_max=400.0)
    r32 = multiresolution_escape_time(
        3, 0.6, 1.0, steps=(0.05, 0.025, 0.0125), points_per_octave=32, **kw
    )
    assert r32["error"] < 0.01 * r32["extrapolated"], r32
    r64 = multiresolution_escape_time(
        3, 0.6, 1.0, steps=(0.025, 0.0125), points_per_octave=64, **kw
    )
    assert abs(r64["extrapolated"] - r32["extrapolated"]) < 0.01 * r64["extrapolated"], (r32, r64)


def test_waiting_times_and_snapshots():
    # C(t, t_w) at t = t_w is 1 and χ(t_w, t_w) = 0; χ(t, t_w) = ∫_{t_w}^t R grows from 0
    # (R > 0); a snapshot row holds C(t, t) = R(t, t) = 1 and C(t, 0) within [-1, 1].
    df, two, snap = multiresolution_dmft(
        **MODEL,
        t_max=30.0,
        h=0.05,
        points_per_octave=16,
        waiting_times=[5.0],
        snapshot_times=[30.0],
    )
    first = two.iloc[0]
    assert_allclose([first["t"], first["C"], first["chi"]], [5.0, 1.0, 0.0], atol=1e-12)
    assert np.all(np.diff(two["chi"].to_numpy()) > 0)
    assert (two["t_w"] == 5.0).all() and two["t"].iloc[-1] == pytest.approx(30.0)
    row = snap[snap["t"] == snap["t"].max()]
    assert_allclose(row[["C", "R"]].iloc[-1], [1.0, 1.0], rtol=0, atol=1e-14)
    assert (row["C"].abs() <= 1.0).all()


def test_result_does_not_depend_on_thread_count():
    # The parallel loop writes one column per iteration and every sum runs serially, so the
    # trajectory must be bit-identical with 1 and 2 threads (CSV reproducibility).
    from highdim_dynamics.core.jit import set_threads

    kw = dict(**MODEL, t_max=20.0, h=0.05, points_per_octave=8)
    before = set_threads(None)
    try:
        set_threads(1)
        a = multiresolution_dmft(**kw)
        set_threads(2)
        b = multiresolution_dmft(**kw)
    finally:
        set_threads(before)
    assert a.equals(b)
