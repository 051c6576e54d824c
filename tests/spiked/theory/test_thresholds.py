"""Tests of the landscape thresholds (trivialisation, gradient flow, Langevin)."""

import numpy as np
import pytest
from numpy.testing import assert_allclose

from highdim_dynamics.core.validation import ParameterError
from highdim_dynamics.spiked.theory import algorithmic_lines
from highdim_dynamics.spiked.theory.kac_rice import max_complexity_over_t
from highdim_dynamics.spiked.theory.thresholds import (
    TRIVIALISATION_DEFINITIONS,
    gradient_flow_line_bbp,
    langevin_line,
    max_threshold_complexity,
    ml_amp_line_stability,
    threshold_overlap,
    trivialisation_line,
)

DP = np.array([0.1, 0.4, 1.0, 2.5, 8.0])


@pytest.mark.parametrize("p", [3, 4])
def test_gradient_flow_line_three_routes_agree(p):
    """θ = 1 BBP (Kac-Rice), T → 0 threshold states, and the closed form 1/Δ2² = 1/Δ2 + (p−1)/Δp."""
    bbp = gradient_flow_line_bbp(p, DP)
    closed = np.array([algorithmic_lines.gradient_flow_line(p, d) for d in DP])
    t0 = np.array([langevin_line(p, d, 0.0) for d in DP])
    assert_allclose(bbp, closed, rtol=1e-9)  # bisections stop at 1e-10 relative
    assert_allclose(t0, closed, rtol=1e-9)
    # the T → 0 limit of the finite-T recipe: T/(1 − q_th) = σ + O(T)
    small_t = np.array([langevin_line(p, d, 1e-5) for d in DP])
    assert_allclose(small_t, closed, rtol=1e-3)


@pytest.mark.parametrize("p", [3, 4])
def test_ml_amp_stability_matches_closed_form(p):
    mine = ml_amp_line_stability(p, DP)
    closed = np.array([algorithmic_lines.ml_amp_line(p, d) for d in DP])
    # slope linearised at ε = 1e-9 (relative error ~ε²) and bisection to 1e-10
    assert_allclose(mine, closed, rtol=1e-8)


@pytest.mark.parametrize("p", [3, 4])
def test_langevin_line_matches_closed_forms(p):
    mine = np.array([langevin_line(p, d, 1.0) for d in DP])
    lead = np.array([algorithmic_lines.langevin_line(p, d, 1.0) for d in DP])
    assert_allclose(mine, lead, rtol=1e-8)  # two codes, same recipe: bisection tolerances
    if p == 3:  # PRX 2020: Δ2 = √(Δp/2) for Δp < 2, else 1
        assert_allclose(mine, np.where(DP < 2, np.sqrt(2 / DP), 1.0), rtol=1e-8)
    else:  # p = 4: dome only for Δp < 4/9
        assert_allclose(mine[DP > 4 / 9], 1.0, rtol=1e-8)
        assert np.all(mine[DP < 4 / 9] > 1.0)


def test_threshold_overlap_is_the_largest_root():
    # p = 4, Δp = 0.2, Δ2 = 1, T = 1: (1−q)² f''(q) − 1 has several roots; the largest one is taken
    q = np.linspace(0, 1, 200001)
    g = (1 - q) ** 2 * (1.0 + 3 * q**2 / 0.2) - 1.0
    roots = q[:-1][np.sign(g[:-1]) != np.sign(g[1:])]
    assert roots.size >= 2
    assert_allclose(threshold_overlap(4, 1.0, 0.2, 1.0), roots.max(), atol=1e-5)


@pytest.mark.parametrize("p", [3, 4])
def test_ordering_and_large_delta_p_limit(p):
    dp = np.array([0.1, 0.5, 1.0, 3.0, 1e3])
    triv0 = trivialisation_line(p, dp, "m0")
    triv_all = trivialisation_line(p, dp, "all_m")
    gf = gradient_flow_line_bbp(p, dp)
    lang = np.array([langevin_line(p, d, 1.0) for d in dp])
    amp = np.array([algorithmic_lines.ml_amp_line(p, d) for d in dp])
    assert np.all(lang <= gf * (1 + 1e-12))
    assert np.all(gf < triv0) and np.all(triv0 <= triv_all * (1 + 1e-9))
    assert np.all(amp < gf)
    # all lines → 1 as Δp → ∞ (Δp = 1e3: within 1%)
    for line in (triv0, triv_all, gf, lang, amp):
        assert abs(line[-1] - 1.0) < 1e-2


@pytest.mark.parametrize(
    "p,definition", [(3, "m0"), (3, "all_m"), (4, "m0"), (4, "all_m"), (3, "m_nonneg")]
)
def test_trivialisation_line_against_full_complexity(p, definition):
    """At the line, the full maximisation of Σ over energies (not the t = 2 shortcut) changes sign."""
    dp = np.array([0.5, 1.0, 2.0])
    y = trivialisation_line(p, dp, definition)
    m = {
        "m0": np.array([0.0]),
        "m_nonneg": np.linspace(0, 0.999, 4001),
        "all_m": np.linspace(-0.999, 0.999, 8001),
    }[definition]
    for d, yc in zip(dp, y):
        below = max_complexity_over_t(m, p, 1 / (yc * (1 - 1e-2)), d)
        above = max_complexity_over_t(m, p, 1 / (yc * (1 + 1e-2)), d)
        assert below["sigma_max"].max() > 1e-9  # a band of spurious minima
        # above: nothing positive (isolated minima touch 0 to rounding, 1e-12)
        assert above["sigma_max"].max() < 1e-12


def test_positive_complexity_only_at_threshold_minima():
    """The premise of the t = 2 shortcut: wherever Σ* > 0 the maximiser is t = 2."""
    m = np.linspace(-0.99, 0.99, 397)
    for p in (3, 4):
        for dp in (0.2, 1.0, 5.0):
            for y in np.linspace(0.5, 5.0, 10):
                r = max_complexity_over_t(m, p, 1 / y, dp)
                pos = r["sigma_max"] > 1e-12
                assert np.all(r["t"][pos] == 2.0)


def test_definitions_and_bad_input():
    assert set(TRIVIALISATION_DEFINITIONS) == {"m0", "m_nonneg", "all_m"}
    with pytest.raises(ParameterError, match="definition"):
        trivialisation_line(3, 1.0, "everywhere")
    with pytest.raises(ParameterError, match="p"):
        trivialisation_line(2, 1.0)
    with pytest.raises(ParameterError, match="delta_p"):
        gradient_flow_line_bbp(3, [1.0, 0.0])
    with pytest.raises(ParameterError, match="definition"):
        max_threshold_complexity(3, 1.0, 1.0, "m1")
