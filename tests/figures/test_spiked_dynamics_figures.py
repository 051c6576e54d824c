"""The spiked-dynamics figures' checks: the annealing figure at the paper's protocol and the
gradient-flow convergence-time points of the phase diagram.

References: the converged reference DMFT (``spiked.dmft_reference``), the Bayes-AMP fixed
point, the closed-form gradient-flow line; the checks must fail on corrupted data.
"""

import numpy as np
import pandas as pd
import pytest

from highdim_dynamics.figures.annealing_protocol import check as anneal_check
from highdim_dynamics.figures.annealing_protocol import data as anneal_data
from highdim_dynamics.figures.gradient_flow_phase_diagram.check import check_convergence_points
from highdim_dynamics.spiked.dmft_reference import reference_value
from highdim_dynamics.spiked.theory.algorithmic_lines import gradient_flow_line

ANNEAL_TOL = dict(
    plateau_atol=5e-3, cbar300_max=1e-3, t_onset_rtol=0.02, t_escape_rtol=0.05, end_rtol=2e-3
)
CONV_TOL = dict(convergence_rtol=0.25, convergence_time_rtol=0.01)


@pytest.fixture(scope="module")
def anneal_frame():
    return anneal_data.data(t_max=1000.0)


def test_annealing_uses_the_papers_constants():
    assert (anneal_data.ANNEAL_C, anneal_data.ANNEAL_TAU) == (100.0, 70.0)


def test_annealing_check_passes_and_fails_on_corruption(anneal_frame):
    anneal_check.check(anneal_frame, {}, ANNEAL_TOL)
    late = anneal_frame.copy()
    m = late["anneal_c"] > 0
    late.loc[m, "t"] *= 1.2  # escape 20% late: > 3x the escape-time tolerance
    with pytest.raises(AssertionError, match="escape time"):
        anneal_check.check(late, {}, ANNEAL_TOL)
    early = anneal_frame.copy()
    early.loc[m, "t"] *= 0.9  # onset 10% early: > 3x its tolerance
    with pytest.raises(AssertionError, match="0.01"):
        anneal_check.check(early, {}, ANNEAL_TOL)
    leaky = anneal_frame.copy()
    leaky.loc[~m, "cbar"] = np.maximum(leaky.loc[~m, "cbar"], 3e-3)
    with pytest.raises(AssertionError, match="300"):
        anneal_check.check(leaky, {}, ANNEAL_TOL)


def _conv_frame(scale_x=0.9, scale_t=1.0):
    x_gf = gradient_flow_line(3, 1.0)
    rows = [
        dict(
            p=3,
            delta_p=1.0,
            line="gradient_flow_convergence",
            inv_delta2=scale_x * x_gf,
            inv_delta2_err=0.03,
            method="dmft_convergence",
        )
    ]
    for x in (2.2, 2.5, 3.0):
        t, _ = reference_value("t_escape_0.3", temperature=0.0, delta2=1 / x, kind="escape")
        rows.append(
            dict(
                p=3,
                delta_p=1.0,
                line="convergence_time",
                inv_delta2=x,
                t_conv=scale_t * t,
                method="dmft_convergence_time",
            )
        )
    return pd.DataFrame(rows)


def test_convergence_check_passes_and_fails_on_corruption():
    params = dict(p_values=[3], convergence_delta_p_values=[1.0], convergence_cbar0=1e-4)
    check_convergence_points([], _conv_frame(), params, CONV_TOL)
    for bad in (_conv_frame(scale_x=1.01), _conv_frame(scale_x=0.6), _conv_frame(scale_t=1.12)):
        with pytest.raises(AssertionError):
            check_convergence_points([], bad, params, CONV_TOL)
