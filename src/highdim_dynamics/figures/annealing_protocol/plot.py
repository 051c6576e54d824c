"""Plot of ``annealing_protocol``: C̄(t) (left) and the annealing schedule Δp_eff(t) (right)."""

from __future__ import annotations

import numpy as np

from highdim_dynamics.core.plotting import params_text, subplots, sym


def plot(df):
    fig, axes = subplots(2)
    for k, (c, g) in enumerate(df.groupby("anneal_c")):
        g = g[g["t"] > 0]
        tau = g["anneal_tau"].iloc[0]
        lab = (
            "no annealing"
            if c == 0
            else rf"$\Delta_p^{{\mathrm{{eff}}}} = \Delta_p + {c:g}\,e^{{-t/{tau:g}}}$"
        )
        axes[0][0].plot(g["t"], g["cbar"], color=f"C{k}", label=lab)
        dp_eff = g["delta_p"] + c * np.exp(-np.maximum(g["t"], 1.0) / tau)
        axes[0][1].plot(g["t"], dp_eff, color=f"C{k}")
    r = df.iloc[0]
    axes[0][0].axhline(r["cbar_bayes_amp"], color="k", ls=":", label="Bayes-AMP fixed point")
    axes[0][0].set(
        xscale="log",
        xlabel=sym("t"),
        ylabel=r"$\bar{C}(t)$",
        title="Langevin, "
        + params_text(p=int(r["p"]), delta_p=float(r["delta_p"]), delta2=float(r["delta2"])),
    )
    axes[0][1].set(
        xscale="log", yscale="log", xlabel=sym("t"), ylabel=r"$\Delta_p^{\mathrm{eff}}(t)$"
    )
    for ax in axes[0]:  # nothing happens before t ~ τ/100
        ax.set_xlim(left=max(1e-3, float(df["anneal_tau"].iloc[0]) / 300.0))
    axes[0][0].legend(loc="center left")
    return fig
