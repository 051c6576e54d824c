"""Figure ``bayes_optimal_phase_diagram``: phases of the spiked matrix-tensor model.

PRX 2020 (Sarao Mannelli et al.) Fig. 1 and ICML 2019 Fig. 1: in the plane x = Δp,
y = 1/Δ2, the Bayes-optimal phases (easy above the AMP line, hard between the IT and AMP
lines, impossible below the IT line) with the spinodal, and the closed-form algorithmic
lines of ML-AMP, gradient flow and Langevin at T = 1.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.testing import assert_allclose

from highdim_dynamics.core.plotting import eq, method_style, plain_log_ticks, subplots, sym
from highdim_dynamics.core.progress import Progress
from highdim_dynamics.core.validation import (Int, Less, ListOf, Real, Seed, constrained, integer,
                                              positive, sequence)
from highdim_dynamics.spiked.theory.algorithmic_lines import (gradient_flow_line, langevin_line,
                                                              ml_amp_line)
from highdim_dynamics.spiked.theory.bayes_optimal import (bayes_optimal_thresholds,
                                                          iterate_state_evolution, free_entropy)
from .model import SpikedMatrixTensor

BAYES_LINES = ("amp", "it", "spinodal")
ALGORITHM_LINES = ("ml_amp", "gradient_flow", "langevin_T1")


def delta_p_grid(delta_p_min: float, delta_p_max: float, n_delta_p: int) -> np.ndarray:
    """Evenly spaced Δp values, with Δp = 1 (the p = 3 tricritical point) always included."""
    grid = np.linspace(delta_p_min, delta_p_max, n_delta_p)
    if delta_p_min <= 1.0 <= delta_p_max:
        grid = np.unique(np.append(grid, 1.0))
    return grid


@constrained(dict(p_values=ListOf(Int(3)), delta_p_min=Real(gt=0), delta_p_max=Real(gt=0),
                  n_delta_p=Int(2), seed=Seed()), [Less("delta_p_min", "delta_p_max")])
def bayes_optimal_phase_diagram(*, p_values, delta_p_min: float, delta_p_max: float,
                                n_delta_p: int, seed: int = 0) -> pd.DataFrame:
    """Threshold lines in the (Δp, 1/Δ2) plane for each p (deterministic: ``seed`` unused).

    Returns
    -------
    DataFrame
        Columns ``p, delta_p, line, inv_delta2, method`` (method = ``theory``); ``line`` is
        one of ``amp, it, spinodal`` (Bayes-AMP state evolution and RS free entropy) or
        ``ml_amp, gradient_flow, langevin_T1`` (closed forms).
    """
    grid = delta_p_grid(delta_p_min, delta_p_max, n_delta_p)
    bar = Progress("bayes_optimal_phase_diagram", total=len(p_values) * len(grid))
    rows = []
    for p in p_values:
        for dp in grid:
            lines = bayes_optimal_thresholds(p, dp, clip=True)
            lines.update(ml_amp=ml_amp_line(p, dp), gradient_flow=gradient_flow_line(p, dp),
                         langevin_T1=langevin_line(p, dp, 1.0))
            rows += [dict(p=p, delta_p=dp, line=k, inv_delta2=float(v), method="theory")
                     for k, v in lines.items()]
            bar.update(note=f"p = {p}, Δp = {dp:.3g}")
    return pd.DataFrame(rows)


#: Top of the 1/Δ2 axis: the Bayes-optimal structure (AMP, IT, spinodal) lies below
#: 1/Δ2 ≈ 1.1, the algorithmic lines cross 1/Δ2 = 2 near Δp ≈ 0.5-1; above 2.5 only the
#: Δp → 0 divergence of the algorithmic lines would be shown.
PHASE_DIAGRAM_TOP = 2.5


def plot_bayes_optimal_phase_diagram(df: pd.DataFrame):
    """One panel per p: shaded easy / hard / impossible regions and the algorithmic lines.

    Δp on a log axis: the hard phase of p = 4 lives at Δp < 0.3.
    """
    ps = sorted(df["p"].unique())
    fig, axes = subplots(len(ps), height=3.6)
    labels = dict(ml_amp="ML-AMP", gradient_flow="gradient flow", langevin_T1="Langevin $T = 1$",
                  spinodal="spinodal")
    top = PHASE_DIAGRAM_TOP
    for ax, p in zip(axes[0], ps):
        sub = df[df["p"] == p]
        line = {k: g.sort_values("delta_p") for k, g in sub.groupby("line")}
        x = line["amp"]["delta_p"].to_numpy()
        y_amp, y_it = line["amp"]["inv_delta2"].to_numpy(), line["it"]["inv_delta2"].to_numpy()
        ax.fill_between(x, y_amp, top, color="tab:green", alpha=0.12, lw=0, label="easy")
        ax.fill_between(x, y_it, y_amp, color="tab:orange", alpha=0.25, lw=0, label="hard")
        ax.fill_between(x, 0, y_it, color="tab:red", alpha=0.12, lw=0, label="impossible")
        ax.plot(x, y_amp, color="k", lw=1.2, label="AMP")
        ax.plot(x, y_it, color="k", lw=1.2, ls=":", label="IT")
        for name in ("spinodal",) + ALGORITHM_LINES:
            g = line[name]
            ax.plot(g["delta_p"], g["inv_delta2"], label=labels[name],
                    **{**method_style("theory"), "linestyle": "--" if name == "spinodal" else "-"})
        ax.set(xlabel=sym("delta_p"), ylabel=sym("inv_delta2"), xscale="log", ylim=(0, top),
               xlim=(x.min(), x.max()), title=eq("p", p))
        plain_log_ticks(ax.xaxis)
    handles, names = axes[0][0].get_legend_handles_labels()
    fig.legend(handles, names, loc="outside lower center", ncols=5)
    return fig


def _converged_overlaps(p: int, delta_p: float, y: float) -> tuple[float, float, SpikedMatrixTensor]:
    """SE limits from an uninformative (m0 = 1e-8) and an informative (m0 = 1) start."""
    model = SpikedMatrixTensor(p, 1.0 / y, delta_p)
    return iterate_state_evolution(model, 1e-8), iterate_state_evolution(model, 1.0), model


def check_bayes_optimal_phase_diagram(df: pd.DataFrame, params: dict, tolerance: dict) -> None:
    """Closed-form identities, direct state-evolution iteration and the p = 3 tricritical point.

    ``tolerance`` keys: ``closed_form_rtol`` (lines that solve an equation in closed form),
    ``se_offset`` (relative offset in 1/Δ2 at which direct SE iteration must be on either
    side of a line), ``n_se_points`` (Δp values per p probed by iteration).
    """
    rtol = tolerance["closed_form_rtol"]
    for p, sub in df.groupby("p"):
        lines = {k: g.set_index("delta_p")["inv_delta2"] for k, g in sub.groupby("line")}
        dp = lines["ml_amp"].index.to_numpy()
        # ML-AMP and GF lines solve y² = y + c with c = 1/Δp and (p − 1)/Δp.
        for name, c in (("ml_amp", 1 / dp), ("gradient_flow", (p - 1) / dp)):
            y = lines[name].loc[dp].to_numpy()
            assert_allclose(y * y - y, c, rtol=rtol, err_msg=f"{name} line, p = {p}")
        if p == 3:  # Langevin T = 1: Δ2 = √(Δp/2) for Δp < 2, else Δ2 = 1 (PRX 2020, Sec. VI).
            expected = np.where(dp < 2, np.sqrt(2 / dp), 1.0)
            assert_allclose(lines["langevin_T1"].loc[dp].to_numpy(), expected, rtol=rtol,
                            err_msg="Langevin T = 1 line vs closed form, p = 3")
        # Ordering of the Bayes-optimal lines and of the algorithms.
        assert np.all(lines["spinodal"] <= lines["it"] * (1 + rtol))
        assert np.all(lines["it"] <= lines["amp"] * (1 + rtol))
        assert np.all(lines["langevin_T1"] <= lines["gradient_flow"] * (1 + rtol))

        # Direct iteration of the state evolution on both sides of each line.
        eps = tolerance["se_offset"]
        y_min = 1e-3  # lines clipped at the bottom of the searched range are not probed
        for d in dp[:: max(1, len(dp) // tolerance["n_se_points"])]:
            y = lines["amp"].loc[d]
            m0, m1, _ = _converged_overlaps(p, d, y * (1 + eps))
            assert m0 > 0 and abs(m0 - m1) < 1e-6, f"AMP should succeed just above its line (p={p}, Δp={d})"
            m0, m1, _ = _converged_overlaps(p, d, y * (1 - eps))
            assert m1 - m0 > 1e-6 or m1 < 1e-3, f"AMP should fail just below its line (p={p}, Δp={d})"
            y_it, y_sp = lines["it"].loc[d], lines["spinodal"].loc[d]
            if y_it < y * (1 - 2 * eps) and y_sp > y_min:
                gaps = []
                for yy in (y_it * (1 - eps), y_it * (1 + eps)):
                    m0, m1, model = _converged_overlaps(p, d, yy)
                    gaps.append(float(free_entropy(m1, model) - free_entropy(m0, model)))
                assert gaps[0] < 0 < gaps[1], f"Φ(informative) − Φ(AMP) must change sign at IT (p={p}, Δp={d}): {gaps}"
                m0, m1, _ = _converged_overlaps(p, d, y_sp * (1 - eps))
                assert abs(m1 - m0) < 1e-6, f"no informative fixed point below the spinodal (p={p}, Δp={d})"
                m0, m1, _ = _converged_overlaps(p, d, y_sp * (1 + eps))
                assert m1 - m0 > 1e-6, f"informative fixed point above the spinodal (p={p}, Δp={d})"

    # p = 3: tricritical point at Δp = 1 (PRX 2020): a hard phase exists below it only.
    p3 = df[df["p"] == 3]
    if len(p3):
        wide = p3.pivot(index="delta_p", columns="line", values="inv_delta2")
        gap = (wide["amp"] - wide["it"])
        assert_allclose(gap[gap.index >= 1.0], 0.0, atol=tolerance["tricritical_atol"],
                        err_msg="p = 3: IT and AMP lines must coincide for Δp >= 1")
        below = gap[gap.index <= 0.9]
        assert (below > tolerance["tricritical_atol"]).all(), "p = 3: hard phase must exist for Δp < 1"
