"""The landscape figures' data and check functions: bad input is named, and the checks fail on wrong data."""

import numpy as np
import pytest

from highdim_dynamics.core.validation import ParameterError
from highdim_dynamics.figures.gradient_flow_phase_diagram import check as gf_check
from highdim_dynamics.figures.gradient_flow_phase_diagram import data as gf_data
from highdim_dynamics.figures.kac_rice_complexity_vs_energy import check as energy_check
from highdim_dynamics.figures.kac_rice_complexity_vs_energy import data as energy_data
from highdim_dynamics.figures.kac_rice_complexity_vs_overlap import check as overlap_check
from highdim_dynamics.figures.kac_rice_complexity_vs_overlap import data as overlap_data
from highdim_dynamics.figures.spiked_gd_finite_n import data as gd_data
from highdim_dynamics.figures.threshold_hessian_spectrum import data as hessian_data

PD = dict(p_values=[3], delta_p_min=0.5, delta_p_max=2.0, n_delta_p=4)
PD_TOL = dict(
    closed_form_rtol=1e-8,
    kac_rice_offset=1e-2,
    sigma_floor=1e-12,
    n_probe=2,
    m_grid=4001,
    dmft_rtol=0.05,
)


@pytest.fixture(scope="module")
def phase_diagram():
    return gf_data.data(**PD)


def test_phase_diagram_grid_contains_one_and_passes(phase_diagram):
    assert (phase_diagram["delta_p"] == 1.0).any()
    assert set(phase_diagram["line"]) >= {
        "trivialisation_m0",
        "trivialisation_all_m",
        "gradient_flow",
        "ml_amp",
        "langevin_T1",
    }
    gf_check.check(phase_diagram, PD, PD_TOL)


@pytest.mark.parametrize(
    "line,factor",
    [
        ("trivialisation_m0", 1.02),
        ("trivialisation_all_m", 0.98),
        ("gradient_flow", 1.001),
        ("langevin_T1", 1.01),
    ],
)
def test_phase_diagram_check_fails_on_shifted_line(phase_diagram, line, factor):
    bad = phase_diagram.copy()
    sel = bad["line"] == line
    bad.loc[sel, "inv_delta2"] *= factor
    with pytest.raises(AssertionError):
        gf_check.check(bad, PD, PD_TOL)


OV = dict(p=3, delta_p=1.0, inv_delta2_values=[2.0, 2.5, 2.7], n_m=201)
OV_TOL = dict(fixed_point_atol=1e-10, touch_atol=1e-9, n_quadrature=3, quadrature_atol=1e-8)


def test_complexity_vs_overlap_check_passes_and_fails():
    df = overlap_data.data(**OV)
    overlap_check.check(df, OV, OV_TOL)
    bad = df.copy()
    sel = bad["kind"] == "good_minimum"
    bad.loc[sel, "m"] += 1e-3  # not the ML fixed point any more
    with pytest.raises(AssertionError):
        overlap_check.check(bad, OV, OV_TOL)
    bad = df.copy()
    bad.loc[bad["kind"] == "curve", "complexity"] += (
        1e-6  # a shifted curve disagrees with the quadrature route
    )
    with pytest.raises(AssertionError):
        overlap_check.check(bad, OV, OV_TOL)


def test_complexity_vs_energy_check_fails_without_bbp_cost():
    params = dict(p=3, delta_p=1.0, inv_delta2_values=[1.6, 2.6], n_energy=101, energy_window=0.04)
    tol = dict(closed_form_atol=1e-10, n_quadrature=3, quadrature_atol=1e-8)
    df = energy_data.data(**params)
    energy_check.check(df, params, tol)
    bad = df.copy()
    mins, bulk = bad["kind"] == "minima", bad["kind"] == "bulk_positive"
    bad.loc[mins, "complexity"] = bad.loc[bulk, "complexity"].to_numpy()  # forget L(θ, t)
    with pytest.raises(AssertionError):
        energy_check.check(bad, params, tol)


def test_bad_input_is_named():
    with pytest.raises(ParameterError, match="p_values"):
        gf_data.data(p_values=[2], delta_p_min=0.5, delta_p_max=2.0, n_delta_p=4)
    with pytest.raises(ParameterError, match="delta_p_min"):
        gf_data.data(p_values=[3], delta_p_min=0.0, delta_p_max=2.0, n_delta_p=4)
    with pytest.raises(ParameterError, match="delta_p_max"):
        gf_data.data(p_values=[3], delta_p_min=2.0, delta_p_max=1.0, n_delta_p=4)
    with pytest.raises(ParameterError, match="inv_delta2_values"):
        overlap_data.data(p=3, delta_p=1.0, inv_delta2_values=[-1.0], n_m=101)
    with pytest.raises(ParameterError, match="p"):
        energy_data.data(
            p=2, delta_p=1.0, inv_delta2_values=[1.0], n_energy=101, energy_window=0.04
        )
    with pytest.raises(ParameterError, match="n_values"):
        gd_data.data(
            p=3,
            delta_p=1.0,
            inv_delta2_values=[2.0],
            n_values=[2],
            n_instances=2,
            t_max=1.0,
            grad_tol=1e-3,
            seed=0,
        )
    with pytest.raises(ParameterError, match="delta_p"):
        hessian_data.data(
            p=3,
            delta_p=0.0,
            inv_delta2_values=[2.0],
            n=20,
            n_instances=2,
            t_max=1.0,
            grad_tol=1e-3,
            seed=0,
        )


def test_descent_figure_is_reproducible_and_tidy():
    kw = dict(
        p=3,
        delta_p=1.0,
        inv_delta2_values=[2.0, 4.0],
        n_values=[30],
        n_instances=3,
        t_max=20.0,
        grad_tol=1e-3,
        n_theory=5,
        seed=7,
    )
    a, b = gd_data.data(**kw), gd_data.data(**kw)
    assert a.equals(b)
    runs = a[a["kind"] == "run"]
    assert len(runs) == 6 and np.all(np.abs(runs["m"]) <= 1)
    assert set(a["kind"]) >= {"run", "good_minimum"}


def test_phase_diagram_check_on_dmft_rows(phase_diagram):
    import pandas as pd

    from highdim_dynamics.spiked.theory.algorithmic_lines import gradient_flow_line

    row = dict(
        p=3,
        delta_p=1.0,
        line="gradient_flow_dmft",
        inv_delta2=gradient_flow_line(3, 1.0) * 1.01,
        inv_delta2_err=0.1,
        method="dmft",
    )
    good = pd.concat([phase_diagram, pd.DataFrame([row])], ignore_index=True)
    gf_check.check(good, PD, PD_TOL)
    row["inv_delta2"] *= 1.1  # the earlier 14%-off extrapolation fails
    bad = pd.concat([phase_diagram, pd.DataFrame([row])], ignore_index=True)
    with pytest.raises(AssertionError):
        gf_check.check(bad, PD, PD_TOL)
