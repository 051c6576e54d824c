"""Plot of ``kac_rice_complexity_vs_energy``: Σ(ε) at m = 0, solid = minima, dashed =
bulk-positive critical points (no BBP cost)."""

from __future__ import annotations

import pandas as pd

from highdim_dynamics.core.plotting import eq, params_text, subplots


def plot(df: pd.DataFrame):
    """Σ(ε) at m = 0: solid = minima, dashed = bulk-positive critical points (no BBP cost)."""
    fig, axes = subplots(1, width=6.6)
    ax = axes[0][0]
    ys = sorted(df["inv_delta2"].unique())
    for i, y in enumerate(ys):
        sub = df[df["inv_delta2"] == y]
        for kind, ls in (("bulk_positive", "--"), ("minima", "-")):
            g = sub[sub["kind"] == kind].sort_values("energy")
            ax.plot(
                g["energy"],
                g["complexity"],
                color=f"C{i % 10}",
                ls=ls,
                lw=1.3,
                label=eq("inv_delta2", y) if kind == "minima" else None,
            )
    top = df["complexity"].max()
    ax.axhline(0.0, color="k", lw=0.6)
    ax.plot([], [], color="0.4", ls="-", label="minima")
    ax.plot([], [], color="0.4", ls="--", label="no BBP cost")
    ax.set(
        xlabel=r"energy per site $\epsilon$",
        ylabel=r"complexity $\Sigma(\epsilon)$ at $m = 0$",
        ylim=(-1.2 * top, 1.3 * top),
        title=params_text(p=int(df["p"].iloc[0]), delta_p=float(df["delta_p"].iloc[0])),
    )
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small")
    return fig
