"""Check of ``langevin_threshold``: the extrapolated threshold against the closed form, the
escape times and growth rates against the reference DMFT."""

from __future__ import annotations

import numpy as np

from highdim_dynamics.core.checking import at_most, compare, require
from highdim_dynamics.figures._spiked_dmft_checks import not_monotonic
from highdim_dynamics.figures._spiked_dmft_data import ESCAPE_LEVEL
from highdim_dynamics.spiked.dmft.thresholds import extrapolate_threshold
from highdim_dynamics.spiked.theory.algorithmic_lines import langevin_line

CLOSED_FORM = "closed-form Langevin line (threshold states at T, PRX 2020, Sec. VI)"
REFERENCE = "reference DMFT (spiked.dmft_reference, independent solver)"


def _check_against_reference(records, d, temperature, tolerance):
    """Escape times and growth rates vs the reference DMFT (p = 3, Δp = 1) wherever it
    tabulates the figure's Δ2: |x − ref| <= rtol·ref + n_sigma·(reference uncertainty).
    Returns the number compared."""
    from highdim_dynamics.spiked.dmft_reference import reference_values

    ref = reference_values()
    ref = ref[np.isclose(ref["temperature"], temperature)]
    n = 0
    for r in d.itertuples():
        q = f"t_escape_{ESCAPE_LEVEL:g}" if r.quantity == "escape_time" else r.quantity
        if not (q.startswith("t_escape") or q.startswith("growth_rate")) or not np.isfinite(
            r.value
        ):
            continue
        m = ref[(ref["quantity"] == q) & np.isclose(ref["delta2"], r.delta2, rtol=1e-6, atol=0)]
        if len(m) != 1:
            continue
        value, unc = float(m["value"].iloc[0]), float(m["uncertainty"].iloc[0])
        rtol = tolerance["escape_rtol" if q.startswith("t_escape") else "growth_rtol"]
        compare(
            records,
            f"{r.quantity} at Δ2 = {r.delta2:g}",
            r.value,
            value,
            rtol * abs(value) + tolerance["n_sigma"] * unc,
            reference_name=f"{REFERENCE}: {value:.6g} ± {unc:.2g}",
        )
        n += 1
    return n


def check(df, params, tolerance):
    """The extrapolated Δ2* ± err brackets the closed form (1/√2 at p = 3, Δp = 1) within
    ``atol``, with an error bar no larger than ``max_err``; growth rates decrease and escape
    times grow with Δ2; at p = 3, Δp = 1, C̄(0) = 1e-4 the escape times and the growth
    rates λ(t) agree with the reference DMFT at every Δ2 it tabulates (``escape_rtol``,
    ``growth_rtol`` plus ``n_sigma`` reference uncertainties), at least ``min_reference``
    of them."""
    records: list = []
    thr = df[df["quantity"] == "threshold"].set_index("method")
    missing = [m for m in ("growth_rate", "theory") if m not in thr.index]
    require(
        records,
        "growth_rate and theory threshold rows present",
        len(missing),
        reference_name="the figure's CSV contract",
        detail=f"missing {missing}",
    )
    s, e = thr.loc["growth_rate", "value"], thr.loc["growth_rate", "value_err"]
    th = 1.0 / langevin_line(
        int(params.get("p", 3)),
        float(params.get("delta_p", 1.0)),
        float(params.get("temperature", 1.0)),
    )
    compare(
        records,
        "plotted closed-form threshold",
        thr.loc["theory", "value"],
        th,
        1e-9,
        reference_name=CLOSED_FORM,
        relative=True,
    )  # written by the same formula
    at_most(
        records,
        "error bar of the extrapolated Δ2*",
        e,
        tolerance["max_err"],
        reference_name="the criterion's systematic spread",
    )
    d = df[df["method"] == "dmft"]
    late = d[d["quantity"] == "lambda_late"].sort_values("delta2")
    early = d[d["quantity"] == "lambda_early"].sort_values("delta2")
    again = extrapolate_threshold(late["delta2"], late["value"], early["value"])
    compare(
        records,
        "threshold row vs the extrapolation of the CSV's growth rates",
        [s, e],
        again,
        1e-9,
        reference_name="the same fit of the CSV's own growth rates",
        relative=True,
    )
    compare(
        records,
        f"extrapolated Δ2* = {s:.4f} ± {e:.4f} vs the closed form",
        s,
        th,
        e + tolerance["atol"],
        reference_name=CLOSED_FORM,
    )
    lam = late["value"].to_numpy()
    require(
        records,
        "late growth rates decrease with Δ2",
        int(np.sum(~(np.diff(lam) < 0))),
        reference_name="the linear regime (slower growth closer to the threshold)",
        detail=f"rates {lam}",
    )
    esc = d[d["quantity"] == "escape_time"].sort_values("delta2")["value"].to_numpy()
    esc = list(np.where(np.isfinite(esc), esc, np.inf))
    require(
        records,
        "escape times grow with Δ2",
        not_monotonic(esc, increasing=True),
        reference_name="the Langevin threshold",
        detail=f"escape times {esc}",
    )
    if (
        int(params.get("p", 3)) == 3
        and float(params.get("delta_p", 1.0)) == 1.0
        and float(params.get("cbar0", 1e-4)) == 1e-4
    ):
        n = _check_against_reference(records, d, float(params.get("temperature", 1.0)), tolerance)
        require(
            records,
            f"at least {tolerance['min_reference']} values compared with the reference DMFT ({n})",
            int(n < tolerance["min_reference"]),
            reference_name=REFERENCE,
        )
    return records
