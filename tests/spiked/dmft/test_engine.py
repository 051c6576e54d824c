"""The DMFT engine against independent references: the uniform-grid solver at short times,
the AMP fixed points on the plateaus, its own order in the step; determinism; errors."""

import numba
import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from highdim_dynamics.core.validation import DivergenceError, ParameterError
from highdim_dynamics.spiked.dmft import engine, solve_dmft
from highdim_dynamics.spiked.dmft_reference import uniform_grid_dmft
from highdim_dynamics.spiked.model import ml_amp_fixed_point
from highdim_dynamics.spiked.theory.bayes_optimal import bayes_amp_fixed_point

TIMES = (2.0, 5.0, 10.0)


def _at(df, col, times=TIMES):
    return np.interp(times, df["t"], df[col])


def _uniform_reference(T, d2, cbar0=0.2, t_max=10.0):
    """Uniform-grid solver (every time kept, trapezoid + Heun), Richardson h = 0.025/0.0125."""
    a = uniform_grid_dmft(3, d2, 1.0, temperature=T, cbar0=cbar0, t_max=t_max, h=0.025)
    b = uniform_grid_dmft(3, d2, 1.0, temperature=T, cbar0=cbar0, t_max=t_max, h=0.0125)
    return {c: _at(b, c) + (_at(b, c) - _at(a, c)) / 3.0 for c in ("cbar", "mu", "energy")}


@pytest.mark.parametrize("T, d2", [(1.0, 0.5), (0.0, 0.4)])
def test_agrees_with_uniform_grid_and_is_second_order(T, d2):
    ref = _uniform_reference(T, d2)
    err = {}
    for h in (0.1, 0.05):
        df = engine.single_run(3, d2, 1.0, temperature=T, cbar0=0.2, t_max=10.0, h=h, B=8)
        err[h] = {c: np.abs(_at(df, c) - ref[c]) for c in ref}
    # measured at h = 0.05: |ΔC̄| <= 2.3e-4, |Δμ| <= 1.6e-3, |Δe| <= 6.1e-4 (largest at t = 2,
    # the fast initial transient); the bound is 1.5x that
    assert_allclose(err[0.05]["cbar"], 0.0, atol=3.5e-4)
    assert_allclose(err[0.05]["mu"], 0.0, atol=2.4e-3)
    assert_allclose(err[0.05]["energy"], 0.0, atol=9e-4)
    # second order: halving the step divides the error at t = 2 by about 4 (measured 3.8-5.8)
    for c in ref:
        ratio = err[0.1][c][0] / err[0.05][c][0]
        assert 3.0 < ratio < 7.0, (c, ratio)


def test_memory_coarsening_converges():
    # the first moments carried through the coarsening make B = 8 and B = 16 agree to ~1e-4
    # in the escape time (measured 0.03%; without moments it was 0.7%)
    a = solve_dmft(3, 0.55, 1.0, t_max=200.0, points_per_octave=8, error_estimate=False)
    b = solve_dmft(3, 0.55, 1.0, t_max=200.0, points_per_octave=16, error_estimate=False)
    ta, tb = a.attrs["escape_times"][0.3], b.attrs["escape_times"][0.3]
    assert abs(ta - tb) / tb < 1e-3


@pytest.mark.parametrize("T, d2", [(1.0, 0.5), (0.0, 0.4), (0.0, 1 / 3.0)])
def test_plateau_identities(T, d2):
    """T = 1: C̄ -> Bayes-AMP fixed point, μ -> 1 + Q'(1); T = 0: C̄ -> ML-AMP fixed point,
    μ -> B + Q''(1)/B (closed forms, independent of the DMFT)."""
    df = solve_dmft(3, d2, 1.0, temperature=T, cbar0=1e-4, t_max=300.0, error_estimate=False)
    if T == 1.0:
        m, mu = bayes_amp_fixed_point(3, d2, 1.0), 1.0 + 1.0 / d2 + 1.0
    else:
        m, bb = ml_amp_fixed_point(3, d2, 1.0)
        mu = bb + (1.0 / d2 + 2.0) / bb
    last = df.iloc[-1]
    # the engine's targets (measured: |ΔC̄| <= 5.7e-5, |Δμ|/μ <= 1.4e-5 at the defaults)
    assert_allclose(last["cbar"], m, atol=1e-4)
    assert_allclose(last["mu"], mu, rtol=2e-4)


def test_escape_time_matches_uniform_grid_value():
    # uniform-grid solver, Richardson in h (benchmarks/bench_dmft_reference.py):
    # t(C̄ = 0.3) = 74.77 ± 0.03 at Δ2 = 0.5; engine defaults measured 74.88 (+0.15%)
    df = solve_dmft(3, 0.5, 1.0, t_max=100.0)
    assert_allclose(df.attrs["escape_times"][0.3], 74.77, rtol=4e-3)
    # the error estimate (change against the coarser companion run) covers the error
    assert df.attrs["error"]["escape_time_rel"] >= abs(df.attrs["escape_times"][0.3] / 74.77 - 1)


def test_settled_companion_gives_the_estimate_of_a_companion_run_to_t_max():
    # the companion run of the error estimate stops once both curves have settled (escape
    # near t = 79 at Δ2 = 0.5); it makes the steps of the run to t_max, so its estimate must
    # be that of the whole companion run, exactly
    df = solve_dmft(3, 0.5, 1.0, t_max=300.0)
    err, st = df.attrs["error"], df.attrs["accuracy"]
    assert 79.0 < err["t_checked"] < 200.0
    full = engine.single_run(
        3,
        0.5,
        1.0,
        temperature=1.0,
        cbar0=1e-4,
        t_max=300.0,
        h=st["coarse_step"],
        B=st["points_per_octave"],
    )
    whole = engine._change(full, df)
    assert err["escape_time_rel"] == whole["escape_time_rel"] > 0.0
    assert err["cbar_abs"] == whole["cbar_abs"] > 0.0
    assert whole["t_checked"] >= 300.0


def test_companion_runs_on_while_the_curve_moves():
    # still on the escape front at t_max = 75 (t(C̄ = 0.3) = 74.8): the companion goes to t_max
    df = solve_dmft(3, 0.5, 1.0, t_max=75.0)
    assert df.attrs["error"]["t_checked"] >= 75.0 - 1e-9
    # the stopping rule waits for the main run to settle and for its highest crossed level
    t = np.linspace(0.0, 10.0, 11)
    c = np.array([0.0, 0.05, 0.2, 0.35, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4])
    rule = engine.companion_until(pd.DataFrame({"t": t, "cbar": c}), (0.1, 0.3, 0.5))
    assert rule["t_min"] == 4.0 and rule["level"] == 0.3


def test_extrapolated_curve_is_monotone_in_time_and_finite():
    df = solve_dmft(3, 0.5, 1.0, t_max=100.0, extrapolate=True)
    assert np.all(np.diff(df["t"]) > 0)
    assert np.all(np.isfinite(df.to_numpy()))
    assert_allclose(df.attrs["escape_times"][0.3], 74.77, rtol=1e-3)


def test_extrapolation_at_fixed_time_beats_the_finer_run():
    # no escape (Δ2 = 2, C̄ decays): every column is Richardson-extrapolated at fixed t.
    # Second order: the pair (h, h/2) must be well below the error of h/2 alone (measured
    # 4x for μ, 5x for e against h/32); a weighting towards the coarse run fails this.
    kw = dict(temperature=1.0, cbar0=1e-4, t_max=20.0)
    ext = solve_dmft(3, 2.0, 1.0, extrapolate=True, **kw)  # steps 0.05 and 0.025
    fine = solve_dmft(3, 2.0, 1.0, step=0.025, error_estimate=False, **kw)
    ref = solve_dmft(3, 2.0, 1.0, step=0.003125, error_estimate=False, **kw)
    t = np.linspace(2.0, 20.0, 10)
    for col in ("mu", "energy"):
        r = np.interp(t, ref["t"], ref[col])
        err_ext = np.max(np.abs(np.interp(t, ext["t"], ext[col]) - r))
        err_fine = np.max(np.abs(np.interp(t, fine["t"], fine[col]) - r))
        assert err_ext < 0.5 * err_fine, (col, err_ext, err_fine)


def test_thread_count_does_not_change_results():
    if numba.config.NUMBA_NUM_THREADS < 2:
        pytest.skip("numba started with one thread")
    old = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        a = solve_dmft(3, 0.5, 1.0, t_max=30.0, error_estimate=False)
        numba.set_num_threads(2)
        b = solve_dmft(3, 0.5, 1.0, t_max=30.0, error_estimate=False)
    finally:
        numba.set_num_threads(old)
    pd.testing.assert_frame_equal(a, b, check_exact=True)


def test_anneal_without_amplitude_is_no_anneal():
    a = solve_dmft(3, 0.8, 1.0, t_max=20.0, error_estimate=False)
    b = solve_dmft(3, 0.8, 1.0, t_max=20.0, anneal=dict(c=0.0, tau=70.0), error_estimate=False)
    c = solve_dmft(3, 0.8, 1.0, t_max=20.0, anneal=dict(c=100.0, tau=70.0), error_estimate=False)
    pd.testing.assert_frame_equal(a, b, check_exact=True)
    assert np.max(np.abs(a["mu"] - c["mu"])) > 1e-2


def test_too_large_step_and_memory_are_refused_before_compute():
    with pytest.raises(ParameterError, match="step"):
        solve_dmft(3, 0.5, 1.0, t_max=10.0, step=0.3)
    with pytest.raises(ParameterError, match="t_max"):
        solve_dmft(3, 0.5, 1.0, t_max=1e4, points_per_octave=4000)


def test_non_finite_step_raises_divergence_error(monkeypatch):
    real = engine.K.heun_step

    def poisoned(m, h, tt, cb, *args):
        real(m, h, tt, cb, *args)
        if tt[m + 1] > 3.0:
            cb[m + 1] = np.nan

    monkeypatch.setattr(engine.K, "heun_step", poisoned)
    # the message names the time of the first non-finite row (3 or 3.1, rounding of t)
    with pytest.raises(DivergenceError, match=r"at t = 3(\.1)? \(step 0\.1\); use a smaller"):
        solve_dmft(3, 0.5, 1.0, t_max=10.0, error_estimate=False)


def test_memory_bound_holds_up_to_the_largest_t_max():
    # defaults at t_max = 1e4 (finest run, T = 0 step 0.05): a few MB, far below 200 MB
    for T in (0.0, 1.0):
        st = engine.settings(temperature=T, delta2=0.5, delta_p=1.0, t_max=1e4, extrapolate=True)
        assert engine.memory_bytes(1e4, st) < 50 * 2**20
