"""The shipped reference values: the ladder combination, and the values against
independent facts (AMP fixed points, equilibrium identities, the authors' solver)."""

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from highdim_dynamics.core.validation import ParameterError
from highdim_dynamics.spiked.dmft_reference import cases, reference_value, reference_values
from highdim_dynamics.spiked.model import ml_amp_fixed_point
from highdim_dynamics.spiked.theory.bayes_optimal import bayes_amp_fixed_point


def _synthetic_runs(case, x0, a, b):
    """X(h, B) = x0 + a h² + b / B² on the case's ladder (what combine assumes)."""
    rows = []
    for spec in cases.ladder():
        if (
            spec["kind"] != case["kind"]
            or spec["delta2"] != case["delta2"]
            or spec["temperature"] != case["temperature"]
        ):
            continue
        rows.append(
            dict(spec, quantity="q", value=x0 + a * spec["h"] ** 2 + b / spec["B"] ** 2, cpu_s=0.0)
        )
    return pd.DataFrame(rows)


@pytest.mark.parametrize("k", [0, 1, 6, len(cases.CASES) - 1])
def test_combine_recovers_the_limit_of_an_exact_ladder(k):
    case = cases.CASES[k]
    b = 0.0 if case["kind"] == "plateau" else 50.0
    out = cases.combine(_synthetic_runs(case, 250.0, 400.0, b))
    assert len(out) == 1
    # Richardson in h and in B is exact for this form: rounding only
    assert_allclose(out["value"].iloc[0], 250.0, rtol=1e-12)
    # with two B values (16, 32) the B-extrapolation is charged its own size, b/32²
    two_b = len(case["b_ladder"]) == 2
    budget = b / 32**2 if two_b else 0.0
    assert out["uncertainty"].iloc[0] < budget + 1e-9
    # a third-order term in h shows up in the error budget
    runs = _synthetic_runs(case, 250.0, 400.0, b)
    runs["value"] += 3000.0 * runs["h"] ** 3
    out = cases.combine(runs)
    assert abs(out["value"].iloc[0] - 250.0) <= out["uncertainty"].iloc[0]
    assert out["uncertainty"].iloc[0] > 1e-3


def test_incomplete_ladder_has_no_value():
    case = cases.CASES[0]
    runs = _synthetic_runs(case, 250.0, 400.0, 50.0)
    out = cases.combine(runs[runs["h"] == runs["h"].max()])
    assert np.isnan(out["value"].iloc[0])


def test_reference_values_table():
    df = reference_values()
    assert {"kind", "temperature", "delta2", "quantity", "value", "uncertainty"} <= set(df.columns)
    assert np.all(df["uncertainty"] >= 0) and np.all(np.isfinite(df["value"]))
    with pytest.raises(ParameterError, match="quantity"):
        reference_value("t_escape_0.9", temperature=1.0, delta2=0.6)


def test_plateaus_are_the_amp_fixed_points():
    df = reference_values()
    pl = df[df["kind"] == "plateau"]
    assert len(pl) >= 6
    for r in pl.itertuples():
        if r.temperature == 1.0:
            m, mu = bayes_amp_fixed_point(3, r.delta2, 1.0), 1 + 1 / r.delta2 + 1.0
        else:
            m, b = ml_amp_fixed_point(3, r.delta2, 1.0)
            mu = b + (1 / r.delta2 + 2.0) / b  # μ = B + Q''(1)/B
        want = {"cbar_end": m, "mu_end": mu}.get(r.quantity)
        if want is None:
            continue
        # within the stated uncertainty, which is at most 2e-3 relative
        assert abs(r.value - want) <= max(r.uncertainty, 1e-5 * abs(want)), (r.quantity, r.delta2)
        assert r.uncertainty < 2e-3 * abs(want)


def test_escape_time_at_0_6_agrees_with_the_authors_solver():
    # the authors' public solver, Nt = 256 / 512 / 1024: 247.0 / 248.9 / 250.3, converging
    # upward: its limit lies between 251 and 254
    t, err = reference_value("t_escape_0.3", temperature=1.0, delta2=0.6, kind="escape")
    assert err < 1.5
    assert 250.0 < t < 255.0
