"""Plot of ``bayes_optimal_phase_diagram``: one panel per p, phases shaded."""

from __future__ import annotations

import pandas as pd

from highdim_dynamics.core.plotting import eq, method_style, plain_log_ticks, subplots, sym

ALGORITHM_LINES = ("ml_amp", "gradient_flow", "langevin_T1")
LABELS = dict(
    ml_amp="ML-AMP",
    gradient_flow="gradient flow",
    langevin_T1="Langevin $T = 1$",
    spinodal="spinodal",
)
#: Top of the 1/Δ2 axis: the Bayes-optimal structure (AMP, IT, spinodal) lies below
#: 1/Δ2 ≈ 1.1, the algorithmic lines cross 1/Δ2 = 2 near Δp ≈ 0.5-1; above 2.5 only the
#: Δp → 0 divergence of the algorithmic lines would be shown.
PHASE_DIAGRAM_TOP = 2.5


def plot(df: pd.DataFrame):
    """Shaded easy / hard / impossible regions and the algorithmic lines, Δp on a log axis
    (the hard phase of p = 4 lives at Δp < 0.3)."""
    ps = sorted(df["p"].unique())
    fig, axes = subplots(len(ps), height=3.6)
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
            ax.plot(
                g["delta_p"],
                g["inv_delta2"],
                label=LABELS[name],
                **{**method_style("theory"), "linestyle": "--" if name == "spinodal" else "-"},
            )
        ax.set(
            xlabel=sym("delta_p"),
            ylabel=sym("inv_delta2"),
            xscale="log",
            ylim=(0, top),
            xlim=(x.min(), x.max()),
            title=eq("p", p),
        )
        plain_log_ticks(ax.xaxis)
    handles, names = axes[0][0].get_legend_handles_labels()
    fig.legend(handles, names, loc="outside lower center", ncols=5)
    return fig
