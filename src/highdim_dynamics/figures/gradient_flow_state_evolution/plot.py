"""Plot of ``gradient_flow_state_evolution``: C̄(t) and e(t), one colour per 1/Δ2."""

from __future__ import annotations

from highdim_dynamics.core.plotting import eq, params_text, subplots, sym


def plot(df):
    fig, axes = subplots(2)
    for k, (y, g) in enumerate(df.groupby("inv_delta2")):
        g = g[g["t"] > 0]
        axes[0][0].plot(g["t"], g["cbar"], color=f"C{k}", label=eq("inv_delta2", y, ".3g"))
        axes[0][1].plot(g["t"], g["energy"], color=f"C{k}")
    axes[0][0].set(
        xscale="log",
        xlabel=sym("t"),
        ylabel=r"$\bar{C}(t)$",
        title="gradient flow, "
        + params_text(p=int(df["p"].iloc[0]), delta_p=float(df["delta_p"].iloc[0])),
    )
    axes[0][1].set(xscale="log", xlabel=sym("t"), ylabel=r"energy $e(t)$")
    axes[0][0].legend(loc="upper left")
    return fig
