"""Figure ``gradient_flow_phase_diagram`` (Passed & Spurious, ICML 2019, Fig. 1).

In the plane x = Δp, y = 1/Δ2, for p = 3 and p = 4: the Kac-Rice trivialisation lines
(annealed complexity of spurious minima, definitions ``m0`` / ``m_nonneg`` / ``all_m`` of
:mod:`~highdim_dynamics.spiked.theory.thresholds`), the gradient-flow line (BBP of the
threshold minima, θ = 1), the ML-AMP line (stability of m = 0), the Langevin T = 1 line
(threshold states at T = 1), over the Bayes-optimal phases (AMP / IT lines of the state
evolution, :mod:`highdim_dynamics.spiked.theory.bayes_optimal`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.testing import assert_allclose

from highdim_dynamics.core.plotting import eq, figure_legend, subplots, sym
from highdim_dynamics.core.progress import Progress
from highdim_dynamics.spiked.theory import algorithmic_lines
from highdim_dynamics.spiked.theory.bayes_optimal import bayes_optimal_thresholds
from highdim_dynamics.spiked.dmft.thresholds import (CONVERGENCE_CBAR0,
                                                     gradient_flow_convergence_points,
                                                     gradient_flow_dmft_threshold_points)
from highdim_dynamics.core.validation import Int, Less, ListOf, Optional, Real, Seed, constrained
from highdim_dynamics.spiked.theory.kac_rice import max_complexity_over_t
from highdim_dynamics.spiked.theory.thresholds import (gradient_flow_line_bbp, langevin_line,
                                                       ml_amp_line_stability, trivialisation_line)

TRIVIALISATION_LINES = {"trivialisation_m0": "m0", "trivialisation_m_nonneg": "m_nonneg",
                        "trivialisation_all_m": "all_m"}


def delta_p_grid(delta_p_min: float, delta_p_max: float, n_delta_p: int) -> np.ndarray:
    """``n_delta_p`` evenly spaced values of Δp, plus Δp = 1 exactly when inside the range."""
    grid = np.linspace(delta_p_min, delta_p_max, n_delta_p)
    if delta_p_min <= 1.0 <= delta_p_max:
        near = np.abs(grid - 1.0) < 1e-9
        grid = grid[~near]  # a linspace point at 1 ± 1 ulp would duplicate Δp = 1
        grid = np.sort(np.append(grid, 1.0))
    return grid


@constrained(dict(p_values=ListOf(Int(3)), delta_p_min=Real(gt=0), delta_p_max=Real(gt=0),
                  n_delta_p=Int(2), dmft_delta_p_values=Optional(ListOf(Real(gt=0))),
                  dmft_t_max=Real(gt=0), convergence_delta_p_values=Optional(ListOf(Real(gt=0))),
                  convergence_cbar0=Real(gt=0, lt=0.3), seed=Seed()),
             [Less("delta_p_min", "delta_p_max")])
def gradient_flow_phase_diagram(*, p_values, delta_p_min: float, delta_p_max: float,
                                n_delta_p: int, dmft_delta_p_values=None, dmft_t_max: float = 400.0,
                                convergence_delta_p_values=None,
                                convergence_cbar0: float = CONVERGENCE_CBAR0,
                                seed: int = 0) -> pd.DataFrame:
    """Landscape and algorithmic thresholds in the (Δp, 1/Δ2) plane (deterministic).

    Parameters
    ----------
    p_values : list of int
        Tensor orders (each ≥ 3), one panel each.
    delta_p_min, delta_p_max : float
        Range of Δp (> 0); Δp = 1 is added to the grid when inside the range.
    n_delta_p : int
        Number of evenly spaced Δp values (≥ 2).
    dmft_delta_p_values : list of float, optional
        Δp of the gradient-flow DMFT threshold points (zero of the late growth rate of
        the overlap in the linear regime, ``spiked.dmft.thresholds``); none if omitted.
    dmft_t_max : float
        Length of each DMFT run for those points.
    convergence_delta_p_values : list of float, optional
        Δp of the gradient-flow points obtained as in Passed & Spurious, Fig. 1: the T = 0
        DMFT convergence time t(C̄ = 0.3) from C̄(0) = ``convergence_cbar0`` at four 1/Δ2
        above the line, fitted by A (1/Δ2 − x*)^(−θ) and extrapolated to its divergence x*
        (``spiked.dmft.thresholds.gradient_flow_convergence_points``); none if omitted.
    convergence_cbar0 : float
        C̄(0) of the convergence-time runs.
    seed : int
        Unused (the figure is deterministic).

    Returns
    -------
    DataFrame
        Columns ``p, delta_p, line, inv_delta2, method`` (+ ``inv_delta2_err``, the DMFT
        extrapolation error, NaN for theory rows).  ``line``: ``trivialisation_m0``,
        ``trivialisation_m_nonneg``, ``trivialisation_all_m`` (Kac-Rice),
        ``gradient_flow`` (θ = 1 BBP route), ``ml_amp`` (numerical stability of m = 0 in
        the ML-AMP state evolution), ``langevin_T1`` (threshold states
        at T = 1), and the Bayes-optimal ``amp``, ``it`` lines (``method = theory``), and
        ``gradient_flow_dmft`` (``method = dmft``), ``gradient_flow_convergence``
        (``method = dmft_convergence``: the extrapolated x*, with its error) and
        ``convergence_time`` (``method = dmft_convergence_time``: the fitted times, column
        ``t_conv``, at ``inv_delta2``).
    """
    dp = delta_p_grid(delta_p_min, delta_p_max, n_delta_p)
    bar = Progress("gradient_flow_phase_diagram (theory lines)", total=len(p_values))
    frames = []
    for p in p_values:
        lines = {name: trivialisation_line(p, dp, definition)
                 for name, definition in TRIVIALISATION_LINES.items()}
        lines["gradient_flow"] = gradient_flow_line_bbp(p, dp)
        lines["ml_amp"] = ml_amp_line_stability(p, dp)
        lines["langevin_T1"] = np.array([langevin_line(p, d, 1.0) for d in dp])
        bayes = [bayes_optimal_thresholds(p, d, clip=True) for d in dp]
        lines["amp"] = np.array([b["amp"] for b in bayes])
        lines["it"] = np.array([b["it"] for b in bayes])
        for name, values in lines.items():
            frames.append(pd.DataFrame(dict(p=p, delta_p=dp, line=name, inv_delta2=values,
                                            inv_delta2_err=np.nan, method="theory")))
        bar.update(note=f"p = {p}")
    if dmft_delta_p_values is not None:
        pts = gradient_flow_dmft_threshold_points(p_values, dmft_delta_p_values, t_max=dmft_t_max,
                                                  progress=True)
        frames.append(pd.DataFrame(dict(p=pts["p"], delta_p=pts["delta_p"], line="gradient_flow_dmft",
                                        inv_delta2=pts["inv_delta2"], inv_delta2_err=pts["inv_delta2_err"],
                                        method="dmft")))
    if convergence_delta_p_values is not None:
        pts, times = gradient_flow_convergence_points(p_values, convergence_delta_p_values,
                                                      cbar0=convergence_cbar0, progress=True)
        frames.append(pd.DataFrame(dict(p=pts["p"], delta_p=pts["delta_p"],
                                        line="gradient_flow_convergence",
                                        inv_delta2=pts["inv_delta2"],
                                        inv_delta2_err=pts["inv_delta2_err"],
                                        method="dmft_convergence")))
        frames.append(pd.DataFrame(dict(p=times["p"], delta_p=times["delta_p"],
                                        line="convergence_time", inv_delta2=times["inv_delta2"],
                                        inv_delta2_err=np.nan, t_conv=times["t_conv"],
                                        method="dmft_convergence_time")))
    return pd.concat(frames, ignore_index=True)


_STYLE = {
    "trivialisation_m0": dict(color="tab:purple", ls="--", label="trivialisation ($m = 0$)"),
    "trivialisation_all_m": dict(color="tab:purple", ls=":", label="trivialisation (all $m$)"),
    "gradient_flow": dict(color="tab:blue", ls="-", label=r"gradient flow ($\theta = 1$)"),
    "ml_amp": dict(color="tab:cyan", ls="-", label="ML-AMP"),
    "langevin_T1": dict(color="tab:gray", ls="-.", label="Langevin $T = 1$"),
}


def plot_gradient_flow_phase_diagram(df: pd.DataFrame):
    """One panel per p: Bayes-optimal phases shaded, landscape and algorithmic lines on top."""
    ps = sorted(df["p"].unique())
    fig, axes = subplots(len(ps), height=4.2)
    for ax, p in zip(axes[0], ps):
        sub = df[df["p"] == p]
        theory = {k: g.sort_values("delta_p") for k, g in sub[sub["method"] == "theory"].groupby("line")}
        x = theory["amp"]["delta_p"].to_numpy()
        top = 1.1 * theory["trivialisation_all_m"]["inv_delta2"].quantile(0.6) + 1.0
        y_amp, y_it = theory["amp"]["inv_delta2"].to_numpy(), theory["it"]["inv_delta2"].to_numpy()
        ax.fill_between(x, y_amp, top, color="tab:green", alpha=0.10, lw=0, label="easy (AMP)")
        ax.fill_between(x, y_it, y_amp, color="tab:orange", alpha=0.22, lw=0, label="hard")
        ax.fill_between(x, 0, y_it, color="tab:red", alpha=0.10, lw=0, label="impossible")
        for name, style in _STYLE.items():
            g = theory[name]
            ax.plot(g["delta_p"], g["inv_delta2"], lw=1.4, **style)
        dmft = sub[sub["method"] == "dmft"]
        if len(dmft):
            ax.errorbar(dmft["delta_p"], dmft["inv_delta2"], yerr=dmft["inv_delta2_err"], fmt="o",
                        color="tab:blue", ms=4, mfc="white", capsize=2,
                        label="GF, DMFT growth rate → 0")
        conv = sub[sub["method"] == "dmft_convergence"]
        if len(conv):
            ax.errorbar(conv["delta_p"], conv["inv_delta2"], yerr=conv["inv_delta2_err"], fmt="s",
                        color="tab:blue", ms=4, capsize=2,
                        label="GF, DMFT convergence time → ∞")
        ax.set(xlabel=sym("delta_p"), ylabel=sym("inv_delta2"), xlim=(x.min(), x.max()),
               ylim=(0, top), title=eq("p", p))
    figure_legend(fig, axes, ncols=4)
    return fig


def check_gradient_flow_phase_diagram(df: pd.DataFrame, params: dict, tolerance: dict) -> None:
    """Check the lines against independent references.

    * gradient flow (θ = 1 route) vs the closed form 1/Δ2² = 1/Δ2 + (p−1)/Δp and vs the
      T = 0 limit of the threshold-state recipe (``closed_form_rtol``);
    * ML-AMP vs 1/Δ2² = 1/Δ2 + 1/Δp; Langevin T = 1 vs √(2/Δp) (p = 3, Δp < 2) and vs
      ``spiked.theory.algorithmic_lines.langevin_line`` (another implementation);
    * trivialisation (computed from the t = 2 shortcut S₂) vs the full maximisation of the
      Kac-Rice complexity over the energies: at (1 − ``kac_rice_offset``)·line a band of
      overlaps with Σ > ``sigma_floor`` exists, at (1 + offset)·line none (isolated minima
      touch 0 to rounding), on ``n_probe`` values of Δp per p and an m-grid of
      ``m_grid`` points;
    * ordering Langevin ≤ GF < trivialisation(m0) ≤ trivialisation(m ≥ 0) ≤
      trivialisation(all m), ML-AMP < GF, and every line > 1 and non-increasing in Δp.
    """
    rtol = tolerance["closed_form_rtol"]
    grid = delta_p_grid(params["delta_p_min"], params["delta_p_max"], params["n_delta_p"])
    for p in params["p_values"]:
        sub = df[(df["p"] == p) & (df["method"] == "theory")]
        wide = sub.pivot(index="delta_p", columns="line", values="inv_delta2").sort_index()
        assert_allclose(wide.index.to_numpy(), grid, rtol=1e-9, err_msg="Δp grid (must include 1)")
        assert np.any(wide.index.to_numpy() == 1.0), "Δp = 1 must be in the grid"
        dp = wide.index.to_numpy()
        gf = wide["gradient_flow"].to_numpy()
        assert_allclose(gf * gf - gf, (p - 1) / dp, rtol=rtol, err_msg=f"GF closed form, p={p}")
        t0 = np.array([langevin_line(p, d, 0.0) for d in dp])
        assert_allclose(gf, t0, rtol=rtol, err_msg=f"GF vs T = 0 threshold states, p={p}")
        amp = wide["ml_amp"].to_numpy()
        assert_allclose(amp * amp - amp, 1 / dp, rtol=rtol, err_msg=f"ML-AMP closed form, p={p}")
        lang = wide["langevin_T1"].to_numpy()
        ref = np.array([algorithmic_lines.langevin_line(p, d, 1.0) for d in dp])
        assert_allclose(lang, ref, rtol=rtol, err_msg=f"Langevin T=1 vs algorithmic_lines, p={p}")
        if p == 3:
            assert_allclose(lang, np.where(dp < 2, np.sqrt(2 / dp), 1.0), rtol=rtol,
                            err_msg="Langevin T=1, p=3: Δ2 = √(Δp/2)")
        t_m0, t_nn, t_all = (wide[k].to_numpy() for k in TRIVIALISATION_LINES)
        order_tol = 1 + 1e-9
        assert np.all(lang <= gf * order_tol), f"Langevin ≤ GF violated, p={p}"
        assert np.all(amp < gf), f"ML-AMP < GF violated, p={p}"
        assert np.all(gf < t_m0), f"GF < trivialisation violated, p={p}"
        assert np.all(t_m0 <= t_nn * order_tol) and np.all(t_nn <= t_all * order_tol)
        for name in ("gradient_flow", "ml_amp", "trivialisation_m0", "trivialisation_all_m"):
            y = wide[name].to_numpy()
            assert np.all(y > 1.0) and np.all(np.diff(y) <= 1e-6 * y[1:]), f"{name} must be > 1, decreasing"
        # trivialisation vs the full Kac-Rice maximisation
        off, floor = tolerance["kac_rice_offset"], tolerance["sigma_floor"]
        probes = np.unique(np.linspace(0, len(dp) - 1, tolerance["n_probe"]).round().astype(int))
        m_all = np.linspace(-0.999, 0.999, tolerance["m_grid"])
        sets = {"trivialisation_m0": np.array([0.0]), "trivialisation_m_nonneg": m_all[m_all >= 0],
                "trivialisation_all_m": m_all}
        for name, m in sets.items():
            for i in probes:
                yc = wide[name].iloc[i]
                below = max_complexity_over_t(m, p, 1 / (yc * (1 - off)), dp[i])["sigma_max"].max()
                above = max_complexity_over_t(m, p, 1 / (yc * (1 + off)), dp[i])["sigma_max"].max()
                assert below > floor, f"{name}, p={p}, Δp={dp[i]}: no spurious band just below the line ({below})"
                assert above < floor, f"{name}, p={p}, Δp={dp[i]}: spurious minima above the line ({above})"
    dmft = df[df["method"] == "dmft"]
    if params.get("dmft_delta_p_values"):
        assert len(dmft) == len(params["p_values"]) * len(params["dmft_delta_p_values"]), "DMFT points missing"
    if len(dmft):  # DMFT points vs the closed form, within the stated extrapolation error
        for (p, d), g in dmft.groupby(["p", "delta_p"]):
            assert_allclose(g["inv_delta2"], algorithmic_lines.gradient_flow_line(int(p), float(d)),
                            rtol=tolerance["dmft_rtol"], err_msg=f"DMFT GF point p={p}, Δp={d}")
    _check_convergence_points(df, params, tolerance)


def _check_convergence_points(df: pd.DataFrame, params: dict, tolerance: dict) -> None:
    """Convergence-time points (Passed & Spurious' construction) against two references.

    * the closed-form GF line x_GF: at fixed C̄(0) the convergence time stays finite at and
      below the line, so the extrapolated divergence x* must lie below x_GF, by at most
      ``convergence_rtol`` (relative);
    * the convergence times themselves against the converged reference DMFT values
      (``spiked.dmft_reference``, T = 0, p = 3, Δp = 1, t(C̄ = 0.3) from C̄(0) = 1e-4)
      wherever a reference 1/Δ2 is among the runs (``convergence_time_rtol``).
    """
    conv = df[df["method"] == "dmft_convergence"]
    if params.get("convergence_delta_p_values"):
        assert len(conv) == len(params["p_values"]) * len(params["convergence_delta_p_values"]), \
            "convergence-time points missing"
    for r in conv.itertuples():
        x_gf = algorithmic_lines.gradient_flow_line(int(r.p), float(r.delta_p))
        assert np.isfinite(r.inv_delta2) and r.inv_delta2 < x_gf, \
            f"convergence-time point p={r.p}, Δp={r.delta_p}: x* = {r.inv_delta2} not below {x_gf}"
        assert r.inv_delta2 > (1 - tolerance["convergence_rtol"]) * x_gf, \
            f"convergence-time point p={r.p}, Δp={r.delta_p}: x* = {r.inv_delta2} too far below {x_gf}"
    times = df[df["method"] == "dmft_convergence_time"]
    if not len(times) or params.get("convergence_cbar0", 1e-4) != 1e-4:
        return
    from ..spiked.dmft_reference import reference_values

    ref = reference_values()
    ref = ref[(ref["kind"] == "escape") & (ref["temperature"] == 0.0)
              & (ref["quantity"] == "t_escape_0.3")]
    mine = times[(times["p"] == 3) & np.isclose(times["delta_p"], 1.0)]
    n = 0
    for r in ref.itertuples():
        hit = mine[np.isclose(mine["inv_delta2"], r.inv_delta2, rtol=1e-6)]
        if len(hit):
            n += 1
            assert_allclose(hit["t_conv"].iloc[0], r.value, rtol=tolerance["convergence_time_rtol"],
                            err_msg=f"GF convergence time at 1/Δ2 = {r.inv_delta2} vs reference")
    if len(mine):
        assert n >= 2, "no convergence time at a reference 1/Δ2 (p = 3, Δp = 1)"
