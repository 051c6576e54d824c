"""Plot of ``spiked_gd_finite_n``: escape / aligned fractions vs 1/Δ2 per N (left), overlaps
reached vs the Kac-Rice minima (right)."""

from __future__ import annotations

import pandas as pd

from highdim_dynamics.core.plotting import eq, params_text, subplots, sym
from highdim_dynamics.figures._spiked_gd_fractions import SUCCESS_THRESHOLD, success_fractions
from highdim_dynamics.spiked.theory.algorithmic_lines import gradient_flow_line, ml_amp_line


def plot(df: pd.DataFrame):
    """Left: escape / aligned fractions vs 1/Δ2 per N. Right: overlaps reached vs Kac-Rice."""
    fig, axes = subplots(2)
    ax, bx = axes[0]
    frac = success_fractions(df)
    p, dp = int(df["p"].iloc[0]), float(df["delta_p"].iloc[0])
    ns = sorted(frac["n"].unique())
    for i, n in enumerate(ns):
        f = frac[frac["n"] == n].sort_values("inv_delta2")
        ax.plot(
            f["inv_delta2"],
            f["escape"],
            "o-",
            color=f"C{i}",
            ms=4,
            label=eq("N", int(n)) + f": $|m| > {SUCCESS_THRESHOLD:g}$",
        )
        ax.plot(
            f["inv_delta2"],
            f["aligned"],
            "s--",
            color=f"C{i}",
            ms=3,
            mfc="none",
            label=eq("N", int(n)) + f": $m > {SUCCESS_THRESHOLD:g}$",
        )
    for b in (ax, bx):
        b.axvline(
            gradient_flow_line(p, dp), color="tab:blue", lw=1.0, label=r"GF line ($N \to \infty$)"
        )
        b.axvline(ml_amp_line(p, dp), color="tab:cyan", lw=1.0, ls=":", label="ML-AMP line")
    ax.set(
        xlabel=sym("inv_delta2"),
        ylabel="fraction of runs",
        ylim=(-0.02, 1.02),
        title="gradient descent, " + params_text(p=p, delta_p=dp),
    )
    ax.legend(fontsize="x-small", loc="upper center", bbox_to_anchor=(0.5, -0.18), ncols=2)
    runs = df[df["kind"] == "run"]
    for i, n in enumerate(ns):
        r = runs[runs["n"] == n]
        jitter = (i - (len(ns) - 1) / 2) * 0.03
        bx.plot(
            r["inv_delta2"] + jitter,
            r["m"],
            ".",
            color=f"C{i}",
            ms=3,
            alpha=0.6,
            label=eq("N", int(n)),
        )
    for kind, ls, lab in (
        ("good_minimum", "-", "Kac-Rice $m^*$"),
        ("anti_aligned_minimum", "--", "anti-aligned minimum"),
    ):
        th = df[df["kind"] == kind].sort_values("inv_delta2")
        bx.plot(th["inv_delta2"], th["m"], color="k", ls=ls, lw=1.2, label=lab)
    bx.axhspan(-SUCCESS_THRESHOLD, SUCCESS_THRESHOLD, color="gray", alpha=0.08, lw=0)
    bx.set(
        xlabel=sym("inv_delta2"),
        ylabel="final overlap $m$",
        ylim=(-1, 1),
        title="end points vs Kac-Rice minima",
    )
    bx.legend(
        fontsize="x-small", loc="upper center", bbox_to_anchor=(0.5, -0.18), ncols=2, markerscale=2
    )
    return fig
