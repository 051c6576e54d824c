"""Plot of ``langevin_threshold``: growth rates (left) and escape times (right) vs Δ2."""

from __future__ import annotations

import numpy as np

from highdim_dynamics.core.plotting import plain_log_ticks, subplots, sym
from highdim_dynamics.figures._spiked_dmft_data import ESCAPE_LEVEL


def plot(df):
    fig, axes = subplots(2)
    d = df[df["method"] == "dmft"]
    thr = df[df["quantity"] == "threshold"].set_index("method")
    ax = axes[0][0]
    for q, lab in (
        ("lambda_late", r"$\lambda$, $t \in [t_{\max}/2, t_{\max}]$"),
        ("lambda_early", r"$\lambda$, $t \in [t_{\max}/4, t_{\max}/2]$"),
    ):
        g = d[d["quantity"] == q].sort_values("delta2")
        ax.plot(g["delta2"], g["value"], marker="o", label=lab)
    ax.axhline(0, color="k", lw=0.6)
    ax.axvline(thr.loc["theory", "value"], color="k", ls="--", label="closed form")
    s, e = thr.loc["growth_rate", "value"], thr.loc["growth_rate", "value_err"]
    ax.axvspan(s - e, s + e, color="tab:green", alpha=0.2, label=r"extrapolated $\Delta_2^*$")
    ax.set(
        xlabel=sym("delta2"),
        ylabel=r"late growth rate of $\ln \bar{C}$",
        title=r"linear regime, $\bar{C}(0) \to 0^+$",
    )
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncols=2)
    ax = axes[0][1]
    g = d[d["quantity"] == "escape_time"].sort_values("delta2")
    ax.errorbar(
        g["delta2"],
        g["value"],
        yerr=g["value_err"],
        marker="o",
        capsize=3,
        label=rf"escape time ($\bar{{C}} = {ESCAPE_LEVEL:g}$)",
    )
    ax.axvline(thr.loc["theory", "value"], color="k", ls="--", label="closed form")
    if np.isfinite(thr.loc["escape_fit", "value"]):
        ax.axvline(thr.loc["escape_fit", "value"], color="tab:red", ls=":", label="power-law fit")
    ax.set(
        xlabel=sym("delta2"),
        ylabel=r"$t_{\mathrm{esc}}$",
        yscale="log",
        title=r"fixed $\bar{C}(0)$",
    )
    plain_log_ticks(ax.yaxis)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncols=2)
    return fig
