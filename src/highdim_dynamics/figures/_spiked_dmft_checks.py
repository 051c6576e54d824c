"""Check glue shared by the spiked-dynamics figures: escape times and plateaus of DMFT
curves against independent references, as comparison records."""

from __future__ import annotations

import numpy as np

from highdim_dynamics.core.checking import compare, require
from highdim_dynamics.figures._spiked_dmft_data import ESCAPE_LEVEL
from highdim_dynamics.spiked.dmft.thresholds import escape_time


def escape_times_by(df, column):
    """t(C̄ = :data:`ESCAPE_LEVEL`) of the DMFT curves in order of ``column``."""
    dm = df[df["method"] == "dmft"]
    return [escape_time(g.sort_values("t"), ESCAPE_LEVEL) for _, g in dm.groupby(column)]


def not_monotonic(values, *, increasing: bool) -> int:
    """Number of neighbouring pairs that break the order (a NaN breaks it; inf = inf does not)."""
    pairs = zip(values, values[1:])
    return sum(not (b >= a if increasing else b <= a) for a, b in pairs)


def check_plateaus(records, df, tolerance, reference, reference_name):
    """Runs whose C̄ has escaped (by t_max/4) must end on ``reference(p, Δ2, Δp)`` = (m, μ):
    C̄ within ``plateau_atol`` and μ within ``mu_rtol`` (relative).  Returns the number of
    runs compared."""
    n_checked = 0
    for (p, dp, d2), g in df[df["method"] == "dmft"].groupby(["p", "delta_p", "delta2"]):
        g = g.sort_values("t")
        t_end = g["t"].iloc[-1]
        t_esc = escape_time(g, ESCAPE_LEVEL)
        if not np.isfinite(t_esc) or t_esc > t_end / 4:
            continue  # not escaped early enough to have converged: nothing to compare
        m_ref, mu_ref = reference(int(p), d2, dp)
        last = g.iloc[-1]
        compare(
            records,
            f"C̄(t_max) at Δ2 = {d2:g}",
            last["cbar"],
            m_ref,
            tolerance["plateau_atol"],
            reference_name=reference_name + ": fixed point m",
        )
        compare(
            records,
            f"μ(t_max) at Δ2 = {d2:g}",
            last["mu"],
            mu_ref,
            tolerance["mu_rtol"],
            reference_name=reference_name + ": μ(∞)",
            relative=True,
        )
        n_checked += 1
    return n_checked


def check_escape_references(records, df, tolerance, temperature):
    """Escape times t(C̄ = level) of the figure's curves against independent converged values
    ``tolerance['escape_references']`` = {Δ2: {level: [t, uncertainty]}}: |t − t_ref| within
    ``escape_rtol``·t_ref + the reference's own uncertainty.  Returns the number compared."""
    refs = tolerance.get("escape_references", {})
    dm = df[(df["method"] == "dmft") & np.isclose(df["temperature"], temperature)]
    name = "independent converged escape times (the table's escape_references)"
    n = 0
    for d2, levels in refs.items():
        g = dm[np.isclose(dm["delta2"], float(d2))].sort_values("t")
        require(records, f"a DMFT curve at Δ2 = {d2}", int(len(g) == 0), reference_name=name)
        for level, (t_ref, unc) in levels.items():
            compare(
                records,
                f"t(C̄ = {level}) at Δ2 = {d2}",
                escape_time(g, float(level)),
                t_ref,
                tolerance["escape_rtol"] * t_ref + unc,
                reference_name=f"{name}: {t_ref} ± {unc}",
            )
            n += 1
    return n
