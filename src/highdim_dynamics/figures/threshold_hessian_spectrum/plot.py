"""Plot of ``threshold_hessian_spectrum``: one panel per 1/Δ2, histogram, semicircle, outlier."""

from __future__ import annotations

import numpy as np
import pandas as pd

from highdim_dynamics.core.plotting import eq, figure_legend, params_text, subplots


def plot(df: pd.DataFrame):
    """One panel per 1/Δ2: histogram of finite-N eigenvalues, semicircle, outliers."""
    ys = sorted(df["inv_delta2"].unique())
    fig, axes = subplots(len(ys))
    for ax, y in zip(axes[0], ys):
        sub = df[df["inv_delta2"] == y]
        eig = sub[sub["kind"] == "eigenvalue"]
        lowest = eig.loc[eig.groupby("instance")["eigenvalue"].idxmin()]
        bulk = eig.drop(lowest.index)
        ax.hist(
            bulk["eigenvalue"],
            bins=40,
            density=True,
            color="tab:blue",
            alpha=0.35,
            label=f"finite {eq('N', int(sub['n'].iloc[0]))} ({eig['instance'].nunique()} instances)",
        )
        dens = sub[sub["kind"] == "density"]
        ax.plot(
            dens["eigenvalue"],
            dens["density"],
            color="k",
            lw=1.3,
            label="semicircle, threshold states ($t = 2$)",
        )
        ax.plot(
            lowest["eigenvalue"],
            np.full(len(lowest), 0.01),
            "v",
            color="tab:red",
            ms=5,
            ls="none",
            label="lowest eigenvalue per instance",
        )
        out = sub[sub["kind"] == "outlier"]
        text = f"measured overlap$^2$ of the lowest: {lowest['signal_overlap2'].mean():.2f}"
        if len(out):
            ax.axvline(
                out["eigenvalue"].iloc[0],
                color="tab:red",
                lw=1.2,
                label=r"BBP outlier $\sigma(2 - \theta - 1/\theta)$",
            )
            text += f"\ntheory $1 - 1/\\theta^2$ = {out['signal_overlap2'].iloc[0]:.2f}"
        else:
            text += "\ntheory ($\\theta < 1$): no outlier"
        ax.axvline(0.0, color="gray", lw=0.6, ls=":")
        # headroom above the semicircle for the annotation
        ax.set_ylim(0, 1.4 * max(dens["density"].max(), ax.get_ylim()[1] / 1.05))
        ax.text(0.98, 0.97, text, transform=ax.transAxes, ha="right", va="top", fontsize="small")
        ax.set(
            xlabel="Hessian eigenvalue",
            ylabel="density",
            title=params_text(
                p=int(sub["p"].iloc[0]), delta_p=float(sub["delta_p"].iloc[0]), inv_delta2=float(y)
            ),
        )
    figure_legend(fig, axes, ncols=2)
    return fig
