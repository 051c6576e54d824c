"""Plot of ``sgd_regularisation``, drawn from its CSV alone."""

from __future__ import annotations

import numpy as np

from highdim_dynamics.core.plotting import method_style, subplots, sym
from highdim_dynamics.figures._gaussian_mixture_plotting import curve_label, zoom_after_first_steps


def plot(df):
    """Generalisation error vs t for each lambda: two clusters (left), three clusters (right)."""
    fig, axes = subplots(2, 1, width=3.8, height=3.0)
    for ax, k in zip(axes[0], (2, 3), strict=True):
        sub = df[df.clusters == k]
        curves = list(dict.fromkeys(sub.curve))
        for i, c in enumerate(curves):
            d = sub[(sub.curve == c) & (sub.method == "dmft")].sort_values("t")
            s = sub[(sub.curve == c) & (sub.method == "simulation")].sort_values("t")
            ax.plot(
                d.t,
                d.generalisation_error,
                color=f"C{i}",
                label=curve_label(c.split(" ", 2)[-1]),
                **method_style("dmft"),
            )
            s = s.iloc[np.unique(np.linspace(0, len(s) - 1, 25).astype(int))]
            ax.errorbar(
                s.t,
                s.generalisation_error,
                yerr=s.generalisation_error_sem,
                color=f"C{i}",
                linestyle="none",
                marker="o",
                markersize=3.5,
                markerfacecolor="none",
            )
        if k == 2:
            zoom_after_first_steps(ax, sub, "generalisation_error")
        ax.set_title(f"{k} clusters")
        ax.set_xlabel(sym("t"))
        ax.set_ylabel("generalisation error")
        ax.legend(fontsize="small")
    return fig
