"""Plot of ``phase_retrieval_threshold_theory``, drawn from its CSV alone."""

from __future__ import annotations

import numpy as np
import pandas as pd

from highdim_dynamics.core.plotting import eq, subplots
from highdim_dynamics.figures._phase_retrieval_plotting import THRESHOLD_LABELS


def plot(df: pd.DataFrame):
    """(a) Lu--Li test case; (b) end-point BBP criterion vs alpha, with its linear
    extrapolation (the CSV's ``fit`` rows); (c) end-point spectrum."""
    fig, axes = subplots(3, width=3.4, height=3.2)
    ax1, ax2, ax3 = axes[0]
    tf = df[df.panel == "test_function"]
    th, sim = tf[tf.method == "theory"], tf[tf.method == "simulation"]
    ax1.plot(th.alpha, th.overlap2, "-", label="Lu–Li theory")
    ax1.errorbar(
        sim.alpha,
        sim.overlap2,
        yerr=sim.overlap2_error,
        fmt="o",
        ms=4,
        capsize=2,
        label=eq("p", int(sim.p.iloc[0])) if len(sim) else None,
    )
    for a in tf[tf.method == "transition"].alpha:
        ax1.axvline(a, color="0.4", ls=":", lw=1, label=rf"$\alpha_c = {a:.4f}$")
    ax1.set_xlabel(r"$\alpha = n/p$")
    ax1.set_ylabel(r"$\rho^2$ (top eigenvector · signal)")
    ax1.set_title(r"$T(y) = 1 - 1/y^2$", fontsize=9)
    ax1.legend(fontsize=7)
    bb = df[df.panel == "endpoint_bbp"]
    bt = bb[(bb.method == "theory") & bb.criterion.notna()]
    ax2.errorbar(
        bt.alpha,
        bt.criterion,
        yerr=bt.criterion_error,
        fmt="s-",
        ms=4,
        capsize=2,
        label="Lu–Li criterion, GD end-point law",
    )
    ax2.axhline(0.0, color="k", lw=0.8)
    ts = bb[bb.method == "threshold_states"]
    ax2.plot(
        ts.alpha,
        ts.criterion,
        "o-",
        color="C1",
        ms=3,
        lw=1,
        label="Lu–Li criterion, 1RSB threshold states",
    )
    for a_gd in bb[(bb.method == "theory") & (bb.line == "alpha_GD")].alpha:
        ax2.axvline(
            a_gd,
            color="0.4",
            ls="-.",
            lw=1,
            label=f"{THRESHOLD_LABELS['alpha_GD']} = {a_gd:.4g} (1RSB)",
        )
    fit = bb[(bb.method == "fit") & (bb.line == "linear_extrapolation")].sort_values("alpha")
    if len(fit):  # a guide to the eye through the plotted points
        ax2.plot(fit.alpha, fit.criterion, ":", color="C0", lw=1, label="linear extrapolation")
    ax2.set_xlabel(r"$\alpha$")
    ax2.set_ylabel(r"$\delta\, g(\bar\lambda) - 1$  (> 0: outlier)")
    ax2.legend(fontsize=6, loc="lower right")
    hs = df[df.panel == "hessian_spectrum"]
    ev = hs[hs.method == "simulation"].eigenvalue.dropna()
    if len(ev):
        low = min(
            ev.min(), hs.bulk_edge.min(skipna=True) if hs.bulk_edge.notna().any() else ev.min()
        )
        lo, hi = low - 1.0, float(np.quantile(ev, 0.5))
        edges = np.linspace(lo, hi, 41)
        # density of the whole spectrum, drawn on its lower half
        shown = ev[ev <= hi]
        ax3.hist(
            shown,
            bins=edges,
            weights=np.full(len(shown), 1.0 / (len(ev) * (edges[1] - edges[0]))),
            color="0.6",
        )
        for e in hs[hs.method == "theory"].bulk_edge.dropna():
            ax3.axvline(e, color="C3", ls="--", lw=1, label="Lu–Li edge (Gaussian rows)")
        ms = bb[(bb.method == "simulation") & np.isclose(bb.alpha, hs.alpha.iloc[0])]
        for e in ms.lambda_min:
            ax3.axvline(e, color="C0", ls="-", lw=1, label=r"mean $\lambda_{\min}$")
        ax3.axvline(0.0, color="k", lw=0.8)
        ax3.set_xlim(lo, hi)
        ax3.set_title(
            "end-point tangent Hessian, " + eq("alpha", float(hs.alpha.iloc[0])), fontsize=9
        )
        ax3.legend(fontsize=6, loc="upper center", bbox_to_anchor=(0.5, -0.2), ncols=2)
    ax3.set_xlabel("eigenvalue")
    ax3.set_ylabel("density")
    return fig
