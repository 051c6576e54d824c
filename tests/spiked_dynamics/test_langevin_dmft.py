"""Tests of the planted 2+p DMFT solver (langevin_dmft) against exact identities."""

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy.optimize import brentq

from highdim_dynamics.spiked.dmft_thresholds import escape_time
from highdim_dynamics.spiked.langevin_dmft import langevin_dmft
from highdim_dynamics.validation import DivergenceError, ParameterError


def qp(m, p, d2, dp):
    return m / d2 + m ** (p - 1) / dp


def bayes_m(p, d2, dp):
    # informative Bayes-AMP fixed point m = Q'(m)/(1 + Q'(m)) (easy phase: unique root in (0.05, 1))
    return brentq(lambda m: m - qp(m, p, d2, dp) / (1 + qp(m, p, d2, dp)), 0.05, 1 - 1e-12)


def ml_amp(p, d2, dp):
    q1 = qp(1.0, p, d2, dp)
    m = brentq(lambda m: m - qp(m, p, d2, dp) / np.sqrt(qp(m, p, d2, dp) ** 2 + q1), 0.05, 1 - 1e-12)
    return m, np.sqrt(qp(m, p, d2, dp) ** 2 + q1)


@pytest.mark.parametrize("kwargs, name", [
    (dict(p=2), "p"), (dict(p=3.0), "p"), (dict(delta2=0.0), "delta2"),
    (dict(delta_p=-1.0), "delta_p"), (dict(temperature=-0.1), "temperature"),
    (dict(cbar0=0.0), "cbar0"), (dict(cbar0=1.0), "cbar0"), (dict(t_max=0.0), "t_max"),
    (dict(n_window=129), "n_window"),
])
def test_bad_input_is_named(kwargs, name):
    args = dict(p=3, delta2=0.5, delta_p=1.0)
    args.update({k: v for k, v in kwargs.items() if k in args})
    extra = {k: v for k, v in kwargs.items() if k not in args}
    with pytest.raises(ParameterError, match=name):
        langevin_dmft(args["p"], args["delta2"], args["delta_p"], **extra)


def test_bayes_optimal_plateau_and_mu_at_T1():
    # Nishimori identities (brief): C̄ -> m*, μ -> 1 + Q'(1).  Measured errors < 1e-5 with
    # the FDT closure of the near-diagonal integrals; 1e-4 leaves a margin and still fails
    # for any error in the memory terms (they shift the plateau by >= 1e-3).
    for d2 in (0.5, 0.6):  # 0.6 escapes at t ~ 200, where the grid step is already ~1
        df = langevin_dmft(3, d2, 1.0, temperature=1.0, cbar0=1e-4, t_max=1000, n_window=128)
        assert_allclose(df["cbar"].iloc[-1], bayes_m(3, d2, 1.0), atol=1e-4)
        assert_allclose(df["mu"].iloc[-1], 1 + qp(1.0, 3, d2, 1.0), rtol=1e-4)


def test_paramagnet_equilibrium_mu():
    # pure noise (C̄ ~ 0) above the glass transition at T = 1: equilibrium FDT gives
    # μ = T + ∫R (Q' + CQ'') = 1 + Q'(1).  The grid step reaches ~3: this tests the
    # carried near-diagonal integrals; measured error 3e-5, tolerance 5e-4.
    df = langevin_dmft(3, 2.0, 4.0, temperature=1.0, cbar0=1e-6, t_max=400, n_window=128)
    assert_allclose(df["mu"].iloc[-1], 1 + qp(1.0, 3, 2.0, 4.0), rtol=5e-4)


def test_gradient_flow_ml_amp_plateau():
    # T = 0: C̄ -> ML-AMP fixed point, μ -> B + Q''(1)/B.  Without an FDT closure the
    # plateau carries a systematic bias measured at +2.5e-3 (C̄) and 0.3% (μ) at
    # n_window = 128 (documented limitation); tolerances 6e-3 and 8e-3.
    d2 = 0.4
    df = langevin_dmft(3, d2, 1.0, temperature=0.0, cbar0=1e-4, t_max=300, n_window=128)
    m, b = ml_amp(3, d2, 1.0)
    assert_allclose(df["cbar"].iloc[-1], m, atol=6e-3)
    assert_allclose(df["mu"].iloc[-1], b + (1 / d2 + 2.0) / b, rtol=8e-3)


def test_initial_values_and_short_times():
    # at t = 0: μ = T + Q'(C̄0)C̄0 and e = -Q(C̄0) (no memory yet); for t -> 0 the
    # noise gives dμ/dt|_0 = T Q''(1)... checked loosely through μ(h0) > μ(0).
    df = langevin_dmft(3, 0.5, 1.0, temperature=1.0, cbar0=0.1, t_max=1.0, n_window=64)
    assert_allclose(df["mu"].iloc[0], 1 + qp(0.1, 3, 0.5, 1.0) * 0.1, rtol=1e-14)
    assert_allclose(df["energy"].iloc[0], -(0.01 / 1.0 + 0.001 / 3), rtol=1e-14)
    assert df["t"].iloc[-1] >= 1.0
    assert np.all(np.diff(df["t"]) > 0)


def test_grid_refinement_changes_escape_time_little():
    # issue: escape times change by < 1% when the grid is refined.  Measured at Δ2 = 0.5:
    # 74.38 / 74.68 / 74.80 for n_window 128 / 256 / 512 (0.4%, 0.16%); the uniform-grid
    # reference gives 74.77 ± 0.03 (test_uniform_reference.py).  Tolerance 1% (issue).
    t1 = escape_time(langevin_dmft(3, 0.5, 1.0, cbar0=1e-4, t_max=200, n_window=128))
    t2 = escape_time(langevin_dmft(3, 0.5, 1.0, cbar0=1e-4, t_max=200, n_window=256))
    assert np.isfinite(t1) and np.isfinite(t2)
    assert_allclose(t1, t2, rtol=0.01)


def test_annealing_with_zero_amplitude_is_identity():
    a = langevin_dmft(3, 0.6, 1.0, cbar0=1e-3, t_max=20, n_window=64)
    b = langevin_dmft(3, 0.6, 1.0, cbar0=1e-3, t_max=20, n_window=64, anneal_c=0.0, anneal_tau=5.0)
    assert_allclose(a["cbar"], b["cbar"], rtol=0, atol=0)
    c = langevin_dmft(3, 0.6, 1.0, cbar0=1e-3, t_max=20, n_window=64, anneal_c=5.0, anneal_tau=5.0)
    # a larger effective Δp weakens the tensor term: the initial energy is higher
    assert c["energy"].iloc[0] > a["energy"].iloc[0]


def test_two_time_output_and_stop():
    df, two = langevin_dmft(3, 0.6, 1.0, cbar0=1e-3, t_max=50, n_window=64,
                            waiting_times=[1.0, 10.0], return_two_time=True)
    for tw, g in two.groupby("t_w"):
        # first recorded t >= t_w is within one grid step h of t_w: C ≈ 1 - T (t - t_w)
        dt = g["t"].iloc[0] - tw
        assert 1.0 - 2.0 * dt - 1e-9 <= g["C"].iloc[0] <= 1.0 + 1e-12
        assert np.all(np.diff(g["C"].to_numpy()) < 1e-9)  # decreasing in t
        assert np.all(g["chi"] >= -1e-12)
    lin = langevin_dmft(3, 0.5, 1.0, cbar0=1e-10, t_max=1e4, n_window=64, cbar_stop=1e-3)
    assert lin.attrs["stopped"] and lin["cbar"].iloc[-1] > 1e-3
    assert lin["cbar"].iloc[-2] <= 1e-3


def test_non_convergence_raises_with_time():
    with pytest.raises(DivergenceError, match="t = "):
        langevin_dmft(3, 0.5, 1.0, cbar0=1e-4, t_max=10, n_window=64, max_sweeps=1)


@pytest.mark.slow
def test_grid_refinement_near_threshold():
    # near the threshold the escape time is more sensitive (growth rate ~0.03): measured
    # 231 / 238 / 248 for n_window 128 / 256 / 512 at Δ2 = 0.6 (4% between 256 and 512:
    # NOT converged at the 1% level; documented limitation).
    t1 = escape_time(langevin_dmft(3, 0.6, 1.0, cbar0=1e-4, t_max=400, n_window=256))
    t2 = escape_time(langevin_dmft(3, 0.6, 1.0, cbar0=1e-4, t_max=400, n_window=512))
    assert_allclose(t1, t2, rtol=0.08)


def test_discretisation_error_report():
    from highdim_dynamics.spiked.langevin_dmft import dmft_discretisation_error

    r = dmft_discretisation_error(3, 0.5, 1.0, n_window=64, cbar0=1e-4, t_max=300)
    # measured (n_window 64 vs 128): escape times 71.3 / 70.8 (0.8% apart), |Δμ(t_end)| =
    # 3.6e-3 (the 64-point window is coarse: h = 8 at t = 300); bounds with a margin of ~3
    assert r["escape_time_rel_change"] < 0.03
    assert r["mu_end_diff"] < 1e-2
    assert r["max_cbar_diff"] < 0.2  # largest during the escape, where a 1% time shift matters
