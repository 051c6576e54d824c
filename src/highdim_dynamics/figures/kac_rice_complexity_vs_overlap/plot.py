"""Plot of ``kac_rice_complexity_vs_overlap``: Σ(m), one colour per 1/Δ2, isolated minima
as markers on Σ = 0."""

from __future__ import annotations

import pandas as pd

from highdim_dynamics.core.plotting import eq, params_text, subplots


def plot(df: pd.DataFrame):
    """Σ(m) curves (one colour per 1/Δ2), isolated minima as markers on Σ = 0."""
    fig, axes = subplots(1, width=6.6)
    ax = axes[0][0]
    ys = sorted(df["inv_delta2"].unique())
    colours = [f"C{i % 10}" for i in range(len(ys))]
    for y, c in zip(ys, colours):
        sub = df[df["inv_delta2"] == y]
        cur = sub[sub["kind"] == "curve"].sort_values("m")
        ax.plot(cur["m"], cur["complexity"], color=c, lw=1.3, label=eq("inv_delta2", y))
        for kind, marker in (("good_minimum", "*"), ("anti_aligned_minimum", "v")):
            pts = sub[sub["kind"] == kind]
            ax.plot(
                pts["m"],
                pts["complexity"],
                marker,
                color=c,
                ms=8 if marker == "*" else 5,
                mec="k",
                mew=0.4,
                ls="none",
            )
    ax.plot([], [], "*", color="0.6", mec="k", mew=0.4, ms=8, label=r"isolated minimum $m^*$")
    ax.plot([], [], "v", color="0.6", mec="k", mew=0.4, ms=5, label="anti-aligned minimum")
    ax.axhline(0.0, color="k", lw=0.6)
    top = df.loc[df["kind"] == "curve", "complexity"].max()
    ax.set(
        xlabel="overlap $m$",
        ylabel=r"complexity of minima $\Sigma(m)$",
        xlim=(-1, 1),
        ylim=(-0.6 * top, 1.25 * top),
        title=params_text(p=int(df["p"].iloc[0]), delta_p=float(df["delta_p"].iloc[0])),
    )
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small")
    return fig
