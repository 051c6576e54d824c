"""Plot of ``langevin_vs_simulation``: C̄(t) and e(t), DMFT line and simulation means ± s.e."""

from __future__ import annotations

import numpy as np

from highdim_dynamics.core.plotting import (
    eq,
    figure_legend,
    method_style,
    params_text,
    subplots,
    sym,
)


def plot(df):
    fig, axes = subplots(2)
    d = df[df["method"] == "dmft"]
    for ax, q, lab in ((axes[0][0], "cbar", r"$\bar{C}(t)$"), (axes[0][1], "energy", r"$e(t)$")):
        ax.plot(d["t"], d[q], color="k", label="DMFT", **method_style("dmft"))
        for k, (n, g) in enumerate(df[df["method"] == "simulation"].groupby("n")):
            se = g[q + "_sd"] / np.sqrt(g["n_instances"])
            ax.errorbar(
                g["t"],
                g[q],
                yerr=se,
                color=f"C{k}",
                fmt="o",
                markersize=2.5,
                label=eq("N", int(n)) + " (mean ± s.e.)",
            )
            ax.fill_between(
                g["t"], g[q] - g[q + "_sd"], g[q] + g[q + "_sd"], color=f"C{k}", alpha=0.12, lw=0
            )
        ax.set(xlabel=sym("t"), ylabel=lab)
    r = df.iloc[0]
    axes[0][0].set_title(
        "Langevin, "
        + params_text(
            T=float(r["temperature"]),
            p=int(r["p"]),
            delta_p=float(r["delta_p"]),
            delta2=float(r["delta2"]),
        )
    )
    axes[0][0].fill_between(
        [], [], [], color="0.5", alpha=0.2, lw=0, label="±1 s.d. over instances"
    )
    figure_legend(fig, axes)
    return fig
