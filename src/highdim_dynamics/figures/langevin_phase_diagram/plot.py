"""Plot of ``langevin_phase_diagram``: one panel per p, DMFT points on the theory lines."""

from __future__ import annotations

from highdim_dynamics.core.plotting import eq, subplots, sym


def plot(df):
    ps = sorted(df["p"].unique())
    fig, axes = subplots(len(ps))
    names = dict(amp="AMP", it="IT", langevin_T1="Langevin $T = 1$ (closed form)")
    for ax, p in zip(axes[0], ps):
        sub = df[df["p"] == p]
        for k, g in sub[sub["method"] == "theory"].groupby("line"):
            g = g.sort_values("delta_p")
            ax.plot(
                g["delta_p"],
                g["inv_delta2"],
                label=names[k],
                ls={"amp": "-", "it": ":", "langevin_T1": "--"}[k],
                color="k" if k != "langevin_T1" else "tab:blue",
            )
        g = sub[sub["method"] == "dmft"]
        ax.errorbar(
            g["delta_p"],
            g["inv_delta2"],
            yerr=g["inv_delta2_err"],
            fmt="o",
            color="tab:red",
            label="DMFT (growth rate)",
        )
        ax.set(xlabel=sym("delta_p"), ylabel=sym("inv_delta2"), title=eq("p", p))
        ax.legend(loc="upper right")
    return fig
