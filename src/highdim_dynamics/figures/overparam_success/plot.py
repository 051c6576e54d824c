"""Plot of ``overparam_success``, drawn from its CSV alone."""

from __future__ import annotations

import numpy as np
import pandas as pd

from highdim_dynamics.core.plotting import eq, subplots


def plot(df: pd.DataFrame):
    """P(success) vs alpha per width (panels) and d (colours), P(A* unique) from the SDP
    (open squares, dashed); error vs tau (rank one vs full)."""
    succ = df[(df.panel == "success") & (df.method == "simulation")]
    widths = list(dict.fromkeys(succ.width))
    fig, grid = subplots(len(widths) + 1, 2, width=3.0, height=2.8)
    axes = grid[0]
    fits = df[df.method == "logistic_fit"]
    for ax, lab in zip(grid[1], widths, strict=False):
        for d, g in succ[succ.width == lab].groupby("d"):
            ax.plot(g.alpha, g.generalisation_error, "o-", ms=3.5, lw=1, label=eq("d", int(d)))
        ax.axvline(2.0, color="k", ls="--", lw=1)
        ax.set_yscale("log")
        ax.set_xlabel(r"$\alpha = n/d$")
    grid[1][0].set_ylabel(r"median $|A - A^*|_F / |A^*|_F$")
    grid[1][-1].set_axis_off()
    sdp = df[df.method == "sdp"]
    for ax, lab in zip(axes, widths, strict=False):
        for d, g in succ[succ.width == lab].groupby("d"):
            line = ax.errorbar(
                g.alpha,
                g.success_probability,
                yerr=g.success_error,
                fmt="o-",
                ms=3.5,
                capsize=2,
                lw=1,
                label=eq("d", int(d)),
            )
            f = fits[(fits.width == lab) & (fits.d == d)]
            for a50 in f.alpha_50:
                ax.axvline(a50, color=line[0].get_color(), ls=":", lw=0.8)
            u = sdp[sdp.d == d]
            ax.plot(
                u.alpha,
                u.success_probability,
                "s--",
                ms=3.5,
                lw=0.9,
                mfc="none",
                color=line[0].get_color(),
            )
        if len(sdp):
            ax.plot([], [], "s--", ms=3.5, lw=0.9, mfc="none", color="0.4", label="A* unique (SDP)")
        ax.axvline(2.0, color="k", ls="--", lw=1, label=r"$\alpha = 2$")
        ax.set_title("$m = 1$" if lab == "m=1" else eq("m/d", float(lab)), fontsize=9)
        ax.set_xlabel(r"$\alpha = n/d$")
        ax.set_ylim(-0.05, 1.05)
    axes[0].set_ylabel("P(success)")
    axes[0].plot([], [], ls=":", color="0.4", lw=0.8, label=r"fitted $\alpha_{50}$")
    axes[0].legend(fontsize=6)
    ax = axes[-1]
    conv = df[(df.panel == "convergence") & (df.method == "simulation")]
    for teacher, c in (("rank_one", "C0"), ("full_rank", "C3")):
        for i, (_run, g) in enumerate(conv[conv.teacher == teacher].groupby("run")):
            ax.plot(
                g.tau,
                g.error,
                "-",
                color=c,
                lw=1,
                label=("rank-one teacher" if teacher == "rank_one" else "full-rank teacher")
                if i == 0
                else None,
            )
    rk = conv[conv.teacher == "rank_one"]
    if len(rk):
        t = np.array([rk.tau.max() / 16, rk.tau.max()])
        e0 = rk[rk.tau == rk.tau.max()].error.median()
        ax.plot(t, e0 * rk.tau.max() / t * 2, "k--", lw=0.8, label=r"$\propto 1/\tau$")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(r"$\tau = t/m$")
    ax.set_ylabel(r"$|A - A^*|_F / |A^*|_F$")
    ax.legend(fontsize=7)
    return fig
