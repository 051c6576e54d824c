"""Plot of ``phase_retrieval_success``, drawn from its CSV alone."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.ticker import NullFormatter

from highdim_dynamics.core.plotting import eq, subplots, sym
from highdim_dynamics.figures._phase_retrieval_plotting import THRESHOLD_LABELS


def plot(df: pd.DataFrame):
    """P(success) vs alpha per p (points: simulation, lines: logistic fits), thresholds,
    and the fitted 50% point vs p (right panel, zoomed on the data; α_GD marked by an arrow)."""
    fig, axes = subplots(2, width=4.4, height=3.4, gridspec_kw=dict(width_ratios=[2, 1]))
    ax, ax2 = axes[0]
    sim, fit, th = (df[df.method == m] for m in ("simulation", "logistic_fit", "theory"))
    for p, g in sim.groupby("p"):
        line = ax.errorbar(
            g.alpha,
            g.success_probability,
            yerr=g.success_error,
            fmt="o",
            ms=4,
            capsize=2,
            label=eq("p", int(p)),
        )
        f = fit[fit.p == p]
        ax.plot(f.alpha, f.success_probability, "-", color=line[0].get_color(), lw=1)
    styles = {"alpha_IT": ":", "alpha_AMP": "--", "alpha_GD": "-."}
    for _, r in th.drop_duplicates("line").iterrows():
        ax.axvline(
            r.alpha,
            color="0.4",
            ls=styles.get(r.line, ":"),
            lw=1,
            label=f"{THRESHOLD_LABELS.get(r.line, r.line)} = {r.alpha:.4g}",
        )
    ax.set_xlim(0, max(th.alpha.max(), sim.alpha.max()) + 0.7)
    ax.set_ylim(-0.03, 1.05)
    ax.set_xlabel(r"$\alpha = n/p$")
    ax.set_ylabel("P(success)")
    ax.legend(loc="center right", fontsize=7)
    a50 = fit.groupby("p")[["alpha_50", "alpha_50_error"]].first().reset_index()
    ax2.errorbar(
        a50.p,
        a50.alpha_50,
        yerr=a50.alpha_50_error,
        fmt="s-",
        ms=4,
        capsize=2,
        label="GD, 50% point",
    )
    ax2.set_xscale("log")
    ax2.set_xticks(a50.p.to_numpy(), [str(int(p)) for p in a50.p])
    ax2.xaxis.set_minor_formatter(NullFormatter())
    ax2.set_xlim(a50.p.min() / 1.3, a50.p.max() * 1.3)
    hi = float((a50.alpha_50 + a50.alpha_50_error).max())
    ax2.set_ylim(0, np.ceil(1.5 * hi))
    gd = th[th.line == "alpha_GD"].alpha
    if len(gd) and gd.iloc[0] > ax2.get_ylim()[1]:  # far above: an arrow, not a line
        ax2.annotate(
            f"{THRESHOLD_LABELS['alpha_GD']} = {gd.iloc[0]:.4g} ($p \\to \\infty$)",
            xy=(0.5, 1.0),
            xycoords="axes fraction",
            xytext=(0.5, 0.84),
            ha="center",
            va="center",
            fontsize=7,
            arrowprops=dict(arrowstyle="->", color="0.4", lw=0.8),
        )
    ax2.set_xlabel(sym("p"))
    ax2.set_ylabel(r"$\alpha_{50}$")
    ax2.legend(fontsize=7, loc="lower right")
    return fig
