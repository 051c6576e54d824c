"""Check of ``annealing_protocol``: the annealed run against the reference DMFT with the same
schedule and the Bayes-AMP fixed point; the run without annealing stays stuck."""

from __future__ import annotations

import numpy as np

from highdim_dynamics.core.checking import at_most, compare, require
from highdim_dynamics.figures._spiked_dmft_data import ESCAPE_LEVEL
from highdim_dynamics.spiked.dmft.anneal import AUTHORS_ANNEAL
from highdim_dynamics.spiked.theory.bayes_optimal import bayes_amp_fixed_point

FIXED_POINT = "Bayes-AMP fixed point m = Q'(m)/(1 + Q'(m)) (brentq)"
REFERENCE = "converged reference DMFT with the same schedule (spiked.dmft_reference)"


def _first_crossing_log(t, c, level):
    """First time C̄ reaches ``level``, interpolating ln C̄ linearly (exponential growth)."""
    above = np.flatnonzero(c >= level)
    if len(above) == 0 or above[0] == 0:
        return np.inf if len(above) == 0 else float(t[0])
    k = above[0]
    y0, y1 = np.log(max(c[k - 1], 1e-300)), np.log(c[k])
    return float(t[k - 1] + (np.log(level) - y0) * (t[k] - t[k - 1]) / (y1 - y0))


def _check_against_reference(records, g, tolerance):
    """Escape times t(C̄ = 0.01, 0.1, 0.3) and C̄, μ, e at t = 1000 of the annealed run at the
    paper's protocol vs the reference DMFT (relative tolerances)."""
    from highdim_dynamics.spiked.dmft_reference import reference_value

    t, cb = g["t"].to_numpy(), g["cbar"].to_numpy()
    for lv, rtol in (
        (0.01, tolerance["t_onset_rtol"]),
        (0.1, tolerance["t_escape_rtol"]),
        (0.3, tolerance["t_escape_rtol"]),
    ):
        ref, _ = reference_value(f"t_escape_{lv:g}", temperature=1.0, delta2=0.8, kind="anneal")
        compare(
            records,
            f"annealed escape time t(C̄ = {lv})",
            _first_crossing_log(t, cb, lv),
            ref,
            rtol,
            reference_name=REFERENCE,
            relative=True,
        )
    if t[-1] >= 1000.0:
        for col, q in (("cbar", "cbar_end"), ("mu", "mu_end"), ("energy", "energy_end")):
            ref, _ = reference_value(q, temperature=1.0, delta2=0.8, kind="anneal")
            compare(
                records,
                f"annealed {col}(t = 1000)",
                np.interp(1000.0, t, g[col].to_numpy()),
                ref,
                tolerance["end_rtol"],
                reference_name=REFERENCE,
                relative=True,
            )


def check(df, params, tolerance):
    """Without annealing C̄(300) < ``cbar300_max`` and C̄ stays below the escape level
    (Langevin-hard point); with it, C̄(t_max) reaches the Bayes-AMP fixed point within
    ``plateau_atol`` (annealing over, T = 1 is Bayes-optimal) and, at the paper's protocol
    (p = 3, Δp = 1, Δ2 = 0.8, C̄(0) = 1e-4, c = 100, τ = 70), the escape times
    t(C̄ = 0.01, 0.1, 0.3) and C̄, μ, e at t = 1000 agree with the converged reference DMFT
    (``t_onset_rtol``, ``t_escape_rtol``, ``end_rtol``)."""
    records: list = []
    want = {0.0} | {float(c) for c in params.get("anneal_c_values", ())}
    missing = sorted(want - set(df["anneal_c"].astype(float)))
    require(
        records,
        "a run for every anneal_c (and c = 0)",
        len(missing),
        reference_name="the table",
        detail=f"runs missing for anneal_c = {missing}",
    )
    for c, g in df.groupby("anneal_c"):
        g = g.sort_values("t")
        t, cb = g["t"].to_numpy(), g["cbar"].to_numpy()
        r = g.iloc[-1]
        if c == 0:
            at_most(
                records,
                "max C̄ without annealing",
                g["cbar"].max(),
                ESCAPE_LEVEL,
                reference_name="Langevin-hard point (below the Langevin line): no escape",
            )
            if t[-1] >= 300:
                at_most(
                    records,
                    "C̄(300) without annealing",
                    np.interp(300.0, t, cb),
                    tolerance["cbar300_max"],
                    reference_name="Langevin-hard point: no escape",
                )
            continue
        m = bayes_amp_fixed_point(int(r["p"]), r["delta2"], r["delta_p"])
        compare(
            records,
            f"annealed C̄(t_max) (c = {c:g})",
            r["cbar"],
            m,
            tolerance["plateau_atol"],
            reference_name=FIXED_POINT,
        )
        compare(
            records,
            "plotted Bayes-AMP fixed point",
            g["cbar_bayes_amp"],
            m,
            1e-9,
            reference_name=FIXED_POINT,
            relative=True,
        )  # the same function
        paper = (
            int(r["p"]) == 3
            and r["delta_p"] == 1.0
            and r["delta2"] == 0.8
            and r["cbar0"] == 1e-4
            and c == AUTHORS_ANNEAL.c
            and r["anneal_tau"] == AUTHORS_ANNEAL.tau
        )
        if paper:
            _check_against_reference(records, g, tolerance)
    return records
