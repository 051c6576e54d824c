"""Plot of ``phase_retrieval_dynamics``, drawn from its CSV alone."""

from __future__ import annotations

import matplotlib
import numpy as np
import pandas as pd

from highdim_dynamics.core.plotting import eq, subplots, sym


def plot(df: pd.DataFrame):
    """Loss/n and |m| vs t (log) for each alpha; dashed thin lines: fixed-step reference."""
    fig, axes = subplots(2)
    ax1, ax2 = axes[0]
    colors = matplotlib.rcParams["axes.prop_cycle"].by_key()["color"]
    for k, (alpha, g) in enumerate(df.groupby("alpha")):
        c = colors[k % len(colors)]
        for (method, run), h in g.groupby(["method", "run"]):
            h = h[h.t > 0]
            ls, lw = ("-", 1.2) if method == "simulation" else ("--", 0.6)
            first = method == "simulation" and run == h.run.min() and run == g.run.min()
            ax1.plot(
                h.t,
                np.maximum(h.loss, 1e-16),
                ls,
                color=c,
                lw=lw,
                label=eq("alpha", alpha) if first else None,
            )
            ax2.plot(h.t, h.overlap, ls, color=c, lw=lw)
    for ax in (ax1, ax2):
        ax.set_xscale("log")
        ax.set_xlabel(sym("t"))
    ax1.set_yscale("log")
    ax1.set_ylabel(r"$L/n$")
    ax2.set_ylabel(r"$|m| = |w\cdot w^*|/p$")
    ax1.plot([], [], "-", color="0.4", lw=1.2, label="adaptive step")
    ax1.plot([], [], "--", color="0.4", lw=0.6, label="fixed-step reference")
    ax1.legend(fontsize=7)
    return fig
