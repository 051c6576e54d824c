"""The uniform-grid reference DMFT integrator (short-time mode of ``spiked.dmft_reference``).

Reference: :func:`highdim_dynamics.spiked.dmft_reference.uniform_grid_dmft` (every time
kept, trapezoid memory integrals + Heun steps, O(h²)), Richardson-extrapolated from two
steps.  Escape-time study (``benchmarks/bench_dmft_reference.py``, T = 1, p = 3, Δp = 1,
Δ2 = 0.5, C̄(0) = 1e-4, level C̄ = 0.3): t_esc = 83.143 / 76.622 / 75.211 / 74.877 at
h = 0.1 / 0.05 / 0.025 / 0.0125, observed order 2.08, Richardson t_esc = 74.77 ± 0.03.
"""

import numpy as np
import pytest
from numpy.testing import assert_allclose

from highdim_dynamics.core.numerics import crossing_time, richardson_extrapolation
from highdim_dynamics.core.validation import ParameterError
from highdim_dynamics.spiked.dmft_reference.uniform_grid import uniform_grid_dmft

#: Richardson-extrapolated reference escape time (see the module docstring) and its error.
T_ESC_REF, T_ESC_ERR = 74.77, 0.03


def test_reference_bad_input_is_named():
    with pytest.raises(ParameterError, match="h"):
        uniform_grid_dmft(3, 0.5, 1.0, h=0.3)  # h (T + 1 + Q'(1)) >= 1
    with pytest.raises(ParameterError, match="p"):
        uniform_grid_dmft(2, 0.5, 1.0)
    with pytest.raises(ParameterError, match="t_max"):
        uniform_grid_dmft(3, 0.5, 1.0, t_max=-1.0)


def test_reference_is_second_order():
    # the reference's own error must shrink by ~4 per halving of h (Heun + trapezoid);
    # measured observed order of μ(t = 8): 2.0.  Bounds [1.7, 2.4] fail for a first-order bug.
    mus = [
        uniform_grid_dmft(3, 0.5, 1.0, cbar0=1e-4, t_max=8.0, h=h)["mu"].iloc[-1]
        for h in (0.1, 0.05, 0.025)
    ]
    order = np.log2((mus[0] - mus[1]) / (mus[1] - mus[2]))
    assert 1.7 < order < 2.4
    df = uniform_grid_dmft(3, 0.5, 1.0, cbar0=0.1, t_max=0.2, h=0.05)
    # t = 0: μ = T + Q'(C̄0) C̄0, e = -Q(C̄0) exactly (no memory yet)
    assert_allclose(df["mu"].iloc[0], 1 + (0.1 / 0.5 + 0.01) * 0.1, rtol=1e-14)
    assert_allclose(df["energy"].iloc[0], -(0.01 / 1.0 + 0.001 / 3), rtol=1e-14)


@pytest.mark.slow
def test_reference_escape_time_richardson():
    # the expensive study (about 6 CPU-minutes): h = 0.1, 0.05, 0.025 up to the escape;
    # measured 83.143 / 76.622 / 75.211, extrapolated 74.74 (0.04% from the value with
    # h = 0.0125 included).  Tolerance 0.3% = the spread of the pairwise extrapolations.
    hs = (0.1, 0.05, 0.025)
    runs = [
        uniform_grid_dmft(3, 0.5, 1.0, cbar0=1e-4, t_max=120.0, h=h, cbar_stop=0.35) for h in hs
    ]
    ts = [crossing_time(df["t"].to_numpy(), df["cbar"].to_numpy(), 0.3) for df in runs]
    r = richardson_extrapolation(ts, hs)
    assert 1.8 < r["observed_order"] < 2.5
    assert_allclose(r["extrapolated"], T_ESC_REF, rtol=3e-3)
