"""Plot of ``langevin_state_evolution``: C̄(t) and μ(t), one colour per Δ2."""

from __future__ import annotations

from highdim_dynamics.core.plotting import eq, method_style, params_text, subplots, sym


def plot(df):
    fig, axes = subplots(2)
    d2s = sorted(df["delta2"].unique())
    colors = dict(zip(d2s, [f"C{k}" for k in range(len(d2s))]))
    for (method, d2), g in df.groupby(["method", "delta2"]):
        g = g[g["t"] > 0]
        kw = method_style(method)
        axes[0][0].plot(
            g["t"],
            g["cbar"],
            color=colors[d2],
            label=eq("delta2", d2) if method == "dmft" else None,
            **kw,
        )
        axes[0][1].plot(g["t"], g["mu"], color=colors[d2], **kw)
    r = df.iloc[0]
    axes[0][0].set(
        xscale="log",
        xlabel=sym("t"),
        ylabel=r"$\bar{C}(t) = x\cdot x^*/N$",
        title="Langevin, "
        + params_text(T=float(r["temperature"]), p=int(r["p"]), delta_p=float(r["delta_p"])),
    )
    axes[0][1].set(xscale="log", xlabel=sym("t"), ylabel=r"$\mu(t)$")
    axes[0][0].legend(loc="upper left")
    return fig
