"""Plot helpers shared by the Gaussian-mixture SGD figures: DMFT lines, simulation points."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from highdim_dynamics.core.plotting import (
    eq,
    figure_legend,
    method_style,
    plain_log_ticks,
    subplots,
    sym,
)

_CURVE_SYMBOLS = {"b": "b", "τ": "tau", "λ": "lambda", "R": "R"}


def curve_label(curve: str) -> str:
    r"""Legend text of a ``curve`` name of the CSV, with the package's mathtext symbols.

    Examples
    --------
    >>> curve_label("p-SGD τ=2")
    'persistent SGD, $\\tau = 2$'
    >>> curve_label("2 clusters λ=0.1")
    '2 clusters, $\\lambda = 0.1$'
    """
    name = curve.replace("p-SGD", "persistent SGD")

    def one(match):
        return ", " + eq(_CURVE_SYMBOLS.get(match[1], match[1]), match[2])

    return re.sub(r"\s*(\S+)=(\S+)", one, name).lstrip(", ")


def zoom_after_first_steps(ax, df: pd.DataFrame, col: str) -> None:
    """y range of the t >= 1 values: the t = 0 error (1/2) would flatten the curves."""
    late = df[df.t >= 1.0][col]
    if len(late):
        ax.set_ylim(
            max(0.0, late.min() - 0.1 * (late.max() - late.min()) - 0.005),
            late.max() + 0.15 * (late.max() - late.min()) + 0.005,
        )


def plot_curves(df: pd.DataFrame, panels, *, logx=False, reference=None, excess=()):
    """One panel per (column, label) of ``panels``; columns in ``excess`` are drawn minus the
    first curve of the same method (differences smaller than the curves' common decay; the
    simulations' error bars combine both curves' independent standard errors)."""
    fig, axes = subplots(len(panels), 1, width=3.6, height=3.0)
    curves = list(dict.fromkeys(df.curve))
    colours = {c: f"C{i}" for i, c in enumerate(curves)}
    first = {m: g.sort_values("t") for m, g in df[df.curve == curves[0]].groupby("method")}
    for ax, (col, label) in zip(axes[0], panels, strict=True):
        for c in curves:
            d = df[(df.curve == c) & (df.method == "dmft")].sort_values("t")
            s = df[(df.curve == c) & (df.method == "simulation")].sort_values("t")
            if logx:
                d, s = d[d.t > 0], s[s.t > 0]
            if col in excess:
                d, s = (
                    g.assign(
                        **{
                            col: g[col] - np.interp(g.t, first[m].t, first[m][col]),
                            col + "_sem": np.hypot(
                                g[col + "_sem"], np.interp(g.t, first[m].t, first[m][col + "_sem"])
                            ),
                        }
                    )
                    for g, m in ((d, "dmft"), (s, "simulation"))
                )
                if c == curves[0]:
                    s = s.iloc[:0]  # identically zero: no points
            ax.plot(d.t, d[col], color=colours[c], label=curve_label(c), **method_style("dmft"))
            if len(s):
                idx = (
                    np.unique(np.geomspace(1, len(s), 25).astype(int) - 1)
                    if logx
                    else np.unique(np.linspace(0, len(s) - 1, 25).astype(int))
                )
                s = s.iloc[idx]
                st = method_style("simulation")
                ax.errorbar(
                    s.t,
                    s[col],
                    yerr=s[col + "_sem"],
                    color=colours[c],
                    linestyle="none",
                    marker=st["marker"],
                    markersize=st["markersize"],
                    markerfacecolor="none",
                )
        if reference is not None and col == "generalisation_error":
            ax.axhline(reference[0], color="k", linestyle=":", linewidth=1, label=reference[1])
        if logx:
            ax.set_xscale("log")
            plain_log_ticks(ax.xaxis)
        elif col in ("training_error", "generalisation_error"):
            zoom_after_first_steps(ax, df, col)
        ax.set_xlabel(sym("t"))
        ax.set_ylabel(label)
    figure_legend(fig, axes, title="lines: DMFT, points: simulation", title_fontsize="small")
    return fig


PANELS = [
    ("training_loss", "training loss"),
    ("training_error", "training error"),
    ("generalisation_error", "generalisation error"),
]
