"""Phase-retrieval and quadratic-network figure checks: they pass on real data and fail on
corrupted data; the figure data functions refuse bad input."""

import pandas as pd
import pytest
from numpy.testing import assert_allclose

from highdim_dynamics.core.validation import ParameterError
from highdim_dynamics.figures._phase_retrieval_checks import check_bayes_lines
from highdim_dynamics.figures.overparam_success.check import check as overparam_check
from highdim_dynamics.figures.overparam_success.data import data as overparam_data
from highdim_dynamics.figures.phase_retrieval_success.check import check as success_check
from highdim_dynamics.figures.phase_retrieval_success.data import data as success_data
from highdim_dynamics.figures.phase_retrieval_threshold_theory.check import check as threshold_check
from highdim_dynamics.figures.phase_retrieval_threshold_theory.data import extrapolation_rows

LINE_TOL = dict(
    amp_rtol=1e-3,
    it_rtol=1e-2,
    alpha_it_window=[0.95, 1.05],
    alpha_amp_window=[1.10, 1.16],
    gd_rtol=2e-3,
    gd_quadrature=[30, 6, 36, 6],
    edge_rtol=1e-3,
)


def test_success_figure_small_and_check_can_fail():
    tol = dict(
        p_low_max=0.1,
        p_high_min=0.9,
        min_fraction_at_minimum=0.9,
        alpha_50_window=[3.0, 6.0],
        **LINE_TOL,
    )
    df = success_data(
        p_values=[100],
        alpha_values=[2, 4, 6, 10],
        n_instances=4,
        n_init=4,
        n_boot=20,
        gd_bracket=[12.0, 16.0],
        seed=1,
    )
    success_check(df, {}, tol)
    bad = df.copy()
    sel = (bad.method == "simulation") & (bad.alpha == 2)
    bad.loc[sel, "success_probability"] = 0.5
    with pytest.raises(AssertionError):
        success_check(bad, {}, tol)


@pytest.fixture(scope="module")
def bayes_lines():
    from highdim_dynamics.phase_retrieval.bayes_optimal import thresholds

    th = thresholds()
    return pd.DataFrame(
        dict(
            method="theory", line=["alpha_IT", "alpha_AMP"], alpha=[th["alpha_IT"], th["alpha_AMP"]]
        )
    )


@pytest.mark.parametrize(
    "line, factor",
    [
        ("alpha_AMP", 1 + 3e-3),
        ("alpha_AMP", 1 - 3e-3),
        ("alpha_IT", 1 + 3e-2),
        ("alpha_IT", 1 - 3e-2),
    ],
)
def test_bayes_line_check_fails_when_moved_by_three_tolerances(bayes_lines, line, factor):
    # (the alpha_GD line's corruptions are the figure table's mutations, tests/test_checks_bite.py)
    bad = bayes_lines.copy()
    bad.loc[bad.line == line, "alpha"] *= factor
    with pytest.raises(AssertionError, match="state evolution"):
        check_bayes_lines([], bad, LINE_TOL)


def test_figure_bad_input():
    with pytest.raises(ParameterError):
        success_data(p_values=[1], alpha_values=[2], n_instances=2, n_init=1)
    with pytest.raises(ParameterError):
        success_data(p_values=[10], alpha_values=[0.0], n_instances=2, n_init=1)
    with pytest.raises(ParameterError, match="success_threshold"):
        success_data(
            p_values=[10], alpha_values=[2], n_instances=2, n_init=1, success_threshold=1.0
        )
    with pytest.raises(ParameterError, match="gd_bracket"):
        success_data(
            p_values=[10], alpha_values=[2], n_instances=2, n_init=1, gd_bracket=[20.0, 8.0]
        )
    with pytest.raises(ParameterError):
        overparam_data(d_values=[1], alpha_values=[2], width_ratios=[1], n_runs=1)


def test_extrapolation_rows_end_at_the_zero_of_the_line():
    rows = extrapolation_rows([2.0, 3.0, 4.0], [-1.2, -1.1, -1.0])  # zero at alpha = 14
    assert list(rows.method) == ["fit", "fit"] and set(rows.line) == {"linear_extrapolation"}
    # exact line through exact points: polyfit rounding only (~1e-15), CSV rows rounded to 1e-9
    assert_allclose(rows.alpha, [2.0, 14.0], atol=1e-9)
    assert_allclose(rows.criterion, [-1.2, 0.0], atol=1e-9)
    falling = extrapolation_rows([2.0, 3.0], [-1.0, -1.5])  # no zero ahead: ends at the data
    assert_allclose(falling.alpha, [2.0, 3.0], atol=1e-9)
    with pytest.raises(ParameterError, match="alpha"):
        extrapolation_rows([2.0], [-1.0])


def test_threshold_check_fails_on_wrong_transition():
    df = pd.DataFrame(dict(method=["transition"], panel=["test_function"], alpha=[0.52]))
    with pytest.raises(AssertionError):
        threshold_check(df, {}, dict(alpha_c_atol=1e-9, overlap_c=2.0, no_outlier_max_overlap2=0.3))


def test_overparam_check_fails_on_trapped_run():
    df = pd.DataFrame(
        dict(
            method=["simulation"] * 2,
            panel=["success"] * 2,
            d=[10, 10],
            m=[10, 10],
            alpha=[1.0, 4.0],
            success_probability=[0.0, 1.0],
            n_trapped=[1, 0],
        )
    )
    with pytest.raises(AssertionError, match="trapped"):
        overparam_check(
            df,
            {},
            dict(alpha_low=1.5, alpha_high=4.0, p_low_max=0.1, p_high_min=0.9, exponent_atol=0.25),
        )


def test_overparam_sdp_check_passes_and_fails_on_corruption():
    # A small real run (d = 6): the check passes, and each corruption of the SDP part,
    # a few times its tolerance, makes it fail.
    tol = dict(
        alpha_low=1.5,
        alpha_high=4.0,
        p_low_max=0.1,
        p_high_min=0.9,
        exponent_atol=0.25,
        sdp_alpha_dof=1.0,
        sdp_alpha_low=1.0,
        sdp_low_min_d=6,
        sdp_p_low_max=0.1,
        sdp_alpha_high=3.0,
        sdp_unique_max=1e-6,
        sdp_nonunique_min=1e-4,
        sdp_alpha50_window=[1.5, 3.0],
    )
    df = overparam_data(
        d_values=[6],
        alpha_values=[1.0, 1.5, 2.0, 3.0, 4.0],
        width_ratios=[1],
        n_runs=8,
        convergence_d=6,
        convergence_runs=2,
        n_boot=20,
        seed=3,
    )
    overparam_check(df, {}, tol)
    sdp = df.method == "sdp"
    corruptions = [
        ("success_probability", sdp & (df.alpha == 1.0), 0.25),  # uniqueness below the count
        ("success_probability", sdp & (df.alpha == 4.0), 0.5),  # non-unique far above 2
        ("n_certified", sdp & (df.alpha == 4.0), 7),  # a unique instance uncertified
        ("objective_min_nonunique", sdp & (df.alpha == 1.0), 1e-5),  # gap closed from above
        ("objective_max_unique", sdp & (df.alpha == 4.0), 1e-5),  # gap closed from below
        ("n_success_nonunique", (df.method == "simulation") & (df.alpha == 4.0), 1),
        ("alpha_50", df.method == "sdp_fit", 3.5),  # 50% point out of [1.5, 3]
    ]
    for col, sel, value in corruptions:
        bad = df.copy()
        bad.loc[sel, col] = value
        with pytest.raises(AssertionError):
            overparam_check(bad, {}, tol)


def test_overparam_job_without_the_convergence_d_meets_the_csv_contract():
    # At the paper scale one job per d: only the job whose d_values hold convergence_d draws
    # the convergence panel, and the others' frames must still pass the CSV contract.
    from highdim_dynamics.core.figure_table import load_figure_table
    from highdim_dynamics.core.runner import check_frame

    spec = load_figure_table()["overparam_success"]
    kw = dict(alpha_values=[1.0, 4.0], width_ratios=[1], n_runs=2, convergence_runs=1, n_boot=4)
    without = overparam_data(d_values=[5], convergence_d=6, **kw)
    check_frame(spec, without)
    assert not (without.panel == "convergence").any()
    with_panel = overparam_data(d_values=[6], convergence_d=6, **kw)
    assert (with_panel.panel == "convergence").any()
