"""Plot of ``gradient_flow_phase_diagram``: one panel per p, Bayes-optimal phases shaded,
landscape and algorithmic lines on top."""

from __future__ import annotations

import pandas as pd

from highdim_dynamics.core.plotting import eq, figure_legend, subplots, sym

_STYLE = {
    "trivialisation_m0": dict(color="tab:purple", ls="--", label="trivialisation ($m = 0$)"),
    "trivialisation_all_m": dict(color="tab:purple", ls=":", label="trivialisation (all $m$)"),
    "gradient_flow": dict(color="tab:blue", ls="-", label=r"gradient flow ($\theta = 1$)"),
    "ml_amp": dict(color="tab:cyan", ls="-", label="ML-AMP"),
    "langevin_T1": dict(color="tab:gray", ls="-.", label="Langevin $T = 1$"),
}


def plot(df: pd.DataFrame):
    """One panel per p: Bayes-optimal phases shaded, landscape and algorithmic lines on top."""
    ps = sorted(df["p"].unique())
    fig, axes = subplots(len(ps), height=4.2)
    for ax, p in zip(axes[0], ps):
        sub = df[df["p"] == p]
        theory = {
            k: g.sort_values("delta_p") for k, g in sub[sub["method"] == "theory"].groupby("line")
        }
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
            ax.errorbar(
                dmft["delta_p"],
                dmft["inv_delta2"],
                yerr=dmft["inv_delta2_err"],
                fmt="o",
                color="tab:blue",
                ms=4,
                mfc="white",
                capsize=2,
                label="GF, DMFT growth rate → 0",
            )
        conv = sub[sub["method"] == "dmft_convergence"]
        if len(conv):
            ax.errorbar(
                conv["delta_p"],
                conv["inv_delta2"],
                yerr=conv["inv_delta2_err"],
                fmt="s",
                color="tab:blue",
                ms=4,
                capsize=2,
                label="GF, DMFT convergence time → ∞",
            )
        ax.set(
            xlabel=sym("delta_p"),
            ylabel=sym("inv_delta2"),
            xlim=(x.min(), x.max()),
            ylim=(0, top),
            title=eq("p", p),
        )
    figure_legend(fig, axes, ncols=4)
    return fig
