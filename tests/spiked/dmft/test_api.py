"""Contract of solve_dmft: validation before compute, frame columns and attrs, errors."""

import math

import numpy as np
import pytest

from highdim_dynamics.core.validation import ParameterError
from highdim_dynamics.spiked.dmft import AUTHORS_ANNEAL, Anneal, escape_times, solve_dmft


@pytest.mark.parametrize(
    "kwargs, name",
    [
        (dict(p=2), "p"),
        (dict(p=3.0), "p"),
        (dict(delta2=0.0), "delta2"),
        (dict(delta2=math.nan), "delta2"),
        (dict(delta_p=-1.0), "delta_p"),
        (dict(temperature=-0.1), "temperature"),
        (dict(temperature=math.inf), "temperature"),
        (dict(cbar0=0.0), "cbar0"),
        (dict(cbar0=1.0), "cbar0"),
        (dict(t_max=0.0), "t_max"),
        (dict(t_max=2e4), "t_max"),
        (dict(t_max=math.nan), "t_max"),
        (dict(anneal="yes"), "anneal"),
        (dict(anneal=dict(c=-1.0, tau=70.0)), "anneal.c"),
        (dict(anneal=dict(c=1.0, tau=0.0)), "anneal.tau"),
        (dict(anneal=dict(k=1)), "anneal"),
        (dict(cbar_stop=2.0), "cbar_stop"),
    ],
)
def test_bad_arguments_are_named_before_compute(kwargs, name):
    args = dict(p=3, delta2=0.5, delta_p=1.0)
    args.update(kwargs)
    p, d2, dp = args.pop("p"), args.pop("delta2"), args.pop("delta_p")
    with pytest.raises(ParameterError, match=name):
        solve_dmft(p, d2, dp, **args)


def test_frame_contract():
    df = solve_dmft(3, 0.5, 1.0, t_max=20.0)
    assert list(df.columns)[:4] == ["t", "cbar", "mu", "energy"]
    assert np.all(np.isfinite(df.to_numpy()))
    assert np.all(np.diff(df["t"]) > 0) and df["t"].iloc[0] == 0.0
    assert df["t"].iloc[-1] >= 20.0 - 1e-9
    for key in (
        "p",
        "delta2",
        "delta_p",
        "temperature",
        "cbar0",
        "t_max",
        "anneal",
        "accuracy",
        "escape_times",
        "error",
        "stopped",
        "solver",
    ):
        assert key in df.attrs
    assert set(df.attrs["escape_times"]) == {0.1, 0.3, 0.5}


def test_escape_times_interpolate_and_report_inf():
    import pandas as pd

    df = pd.DataFrame({"t": [0.0, 1.0, 2.0], "cbar": [0.0, 0.2, 0.4]})
    out = escape_times(df, levels=(0.1, 0.3, 0.5))
    assert out[0.1] == pytest.approx(0.5) and out[0.3] == pytest.approx(1.5)
    assert out[0.5] == math.inf


def test_authors_anneal_constants():
    # PRX 2020 protocol: Δp_eff(t) = Δp + 100 e^{-t/70} for t > 1, Δp + 100 below
    assert AUTHORS_ANNEAL == Anneal(c=100.0, tau=70.0, t0=1.0)
    assert AUTHORS_ANNEAL.delta_p_eff(0.0, 1.0) == AUTHORS_ANNEAL.delta_p_eff(1.0, 1.0) == 101.0
    assert AUTHORS_ANNEAL.delta_p_eff(70.0, 1.0) == pytest.approx(1.0 + 100.0 / math.e)
