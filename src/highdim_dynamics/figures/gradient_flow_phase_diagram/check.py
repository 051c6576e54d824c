"""Check of ``gradient_flow_phase_diagram``: closed forms, a second implementation of the
threshold-state lines, the full Kac-Rice maximisation and the reference DMFT."""

from __future__ import annotations

import numpy as np
import pandas as pd

from highdim_dynamics.core.checking import at_most, compare, require
from highdim_dynamics.figures.gradient_flow_phase_diagram.data import (
    TRIVIALISATION_LINES,
    delta_p_grid,
)
from highdim_dynamics.spiked.theory import algorithmic_lines
from highdim_dynamics.spiked.theory.kac_rice import max_complexity_over_t
from highdim_dynamics.spiked.theory.thresholds import langevin_line

CLOSED_FORM = "closed forms 1/Δ2² = 1/Δ2 + (p−1)/Δp (GF), 1/Δ2² = 1/Δ2 + 1/Δp (ML-AMP)"
KAC_RICE = "full maximisation of the Kac-Rice complexity over the energies"
REFERENCE = "converged reference DMFT (spiked.dmft_reference), T = 0, t(C̄ = 0.3) from C̄(0) = 1e-4"


def _violations(ok) -> int:
    return int(np.sum(~np.asarray(ok, dtype=bool)))


def _check_lines(records, p, wide, rtol):
    """Closed forms, the second implementation of the Langevin line, the lines' order."""
    dp = wide.index.to_numpy()
    gf, amp, lang = (wide[k].to_numpy() for k in ("gradient_flow", "ml_amp", "langevin_T1"))
    compare(
        records,
        f"GF line (θ = 1 route), p = {p}: y² − y vs (p − 1)/Δp",
        gf * gf - gf,
        (p - 1) / dp,
        rtol,
        reference_name=CLOSED_FORM,
        relative=True,
    )
    compare(
        records,
        f"GF line vs T = 0 threshold states, p = {p}",
        gf,
        [langevin_line(p, d, 0.0) for d in dp],
        rtol,
        reference_name="T = 0 limit of the threshold-state recipe",
        relative=True,
    )
    compare(
        records,
        f"ML-AMP line, p = {p}: y² − y vs 1/Δp",
        amp * amp - amp,
        1 / dp,
        rtol,
        reference_name=CLOSED_FORM,
        relative=True,
    )
    compare(
        records,
        f"Langevin T = 1 line vs algorithmic_lines, p = {p}",
        lang,
        [algorithmic_lines.langevin_line(p, d, 1.0) for d in dp],
        rtol,
        reference_name="spiked.theory.algorithmic_lines.langevin_line (another implementation)",
        relative=True,
    )
    if p == 3:
        compare(
            records,
            "Langevin T = 1 line, p = 3",
            lang,
            np.where(dp < 2, np.sqrt(2 / dp), 1.0),
            rtol,
            reference_name="closed form 1/Δ2 = √(2/Δp) (PRX 2020)",
            relative=True,
        )
    t_m0, t_nn, t_all = (wide[k].to_numpy() for k in TRIVIALISATION_LINES)
    order_tol = 1 + 1e-9
    order = {
        "Langevin ≤ GF": lang <= gf * order_tol,
        "ML-AMP < GF": amp < gf,
        "GF < trivialisation (m = 0)": gf < t_m0,
        "trivialisation m = 0 ≤ m ≥ 0 ≤ all m": (t_m0 <= t_nn * order_tol)
        & (t_nn <= t_all * order_tol),
    }
    for name, ok in order.items():
        require(records, f"p = {p}: {name}", _violations(ok), reference_name="order of the lines")
    for name in ("gradient_flow", "ml_amp", "trivialisation_m0", "trivialisation_all_m"):
        y = wide[name].to_numpy()
        require(
            records,
            f"p = {p}: {name} > 1 and non-increasing in Δp",
            _violations(y > 1.0) + _violations(np.diff(y) <= 1e-6 * y[1:]),
            reference_name="the lines' shape",
        )


def _check_trivialisation(records, p, wide, tolerance):
    """At (1 − offset)·line a band with Σ > floor exists, at (1 + offset)·line none."""
    dp = wide.index.to_numpy()
    off, floor = tolerance["kac_rice_offset"], tolerance["sigma_floor"]
    probes = np.unique(np.linspace(0, len(dp) - 1, tolerance["n_probe"]).round().astype(int))
    m_all = np.linspace(-0.999, 0.999, tolerance["m_grid"])
    sets = {
        "trivialisation_m0": np.array([0.0]),
        "trivialisation_m_nonneg": m_all[m_all >= 0],
        "trivialisation_all_m": m_all,
    }
    for name, m in sets.items():
        below, above = [], []
        for i in probes:
            yc = wide[name].iloc[i]
            below.append(
                max_complexity_over_t(m, p, 1 / (yc * (1 - off)), dp[i])["sigma_max"].max()
            )
            above.append(
                max_complexity_over_t(m, p, 1 / (yc * (1 + off)), dp[i])["sigma_max"].max()
            )
        require(
            records,
            f"{name}, p = {p}: a spurious band (Σ > {floor:g}) {off:.0%} below the "
            f"line at {len(probes)} Δp",
            _violations(np.array(below) > floor),
            reference_name=KAC_RICE,
            detail=f"max Σ below: {below}",
        )
        at_most(
            records,
            f"{name}, p = {p}: max Σ of spurious minima {off:.0%} above the line",
            above,
            floor,
            reference_name=KAC_RICE,
        )


def check_convergence_points(records, df: pd.DataFrame, params: dict, tolerance: dict) -> list:
    """Convergence-time points (Passed & Spurious' construction) against two references.

    * the closed-form GF line x_GF: at fixed C̄(0) the convergence time stays finite at and
      below the line, so the extrapolated divergence x* must lie below x_GF, by at most
      ``convergence_rtol`` (relative);
    * the convergence times themselves against the converged reference DMFT values
      (T = 0, p = 3, Δp = 1, t(C̄ = 0.3) from C̄(0) = 1e-4) wherever a reference 1/Δ2 is
      among the runs (``convergence_time_rtol``), at least two of them.
    """
    conv = df[df["method"] == "dmft_convergence"]
    if params.get("convergence_delta_p_values"):
        need = len(params["p_values"]) * len(params["convergence_delta_p_values"])
        require(
            records,
            f"{need} convergence-time points present ({len(conv)})",
            int(len(conv) != need),
            reference_name="the table",
        )
    if len(conv):
        x_gf = np.array(
            [
                algorithmic_lines.gradient_flow_line(int(r.p), float(r.delta_p))
                for r in conv.itertuples()
            ]
        )
        x = conv["inv_delta2"].to_numpy()
        require(
            records,
            "convergence-time points x* finite and below the GF line",
            _violations(np.isfinite(x) & (x < x_gf)),
            reference_name="closed-form GF line",
            detail=f"x* = {x}, x_GF = {x_gf}",
        )
        compare(
            records,
            "convergence-time points x* below the GF line (relative)",
            x,
            x_gf,
            tolerance["convergence_rtol"],
            reference_name="closed-form GF line",
            relative=True,
        )
    times = df[df["method"] == "dmft_convergence_time"]
    if not len(times) or params.get("convergence_cbar0", 1e-4) != 1e-4:
        return records
    from highdim_dynamics.spiked.dmft_reference import reference_values

    ref = reference_values()
    ref = ref[
        (ref["kind"] == "escape")
        & (ref["temperature"] == 0.0)
        & (ref["quantity"] == "t_escape_0.3")
    ]
    mine = times[(times["p"] == 3) & np.isclose(times["delta_p"], 1.0)]
    n = 0
    for r in ref.itertuples():
        hit = mine[np.isclose(mine["inv_delta2"], r.inv_delta2, rtol=1e-6)]
        if len(hit):
            n += 1
            compare(
                records,
                f"GF convergence time at 1/Δ2 = {r.inv_delta2:g}",
                hit["t_conv"].iloc[0],
                r.value,
                tolerance["convergence_time_rtol"],
                reference_name=REFERENCE,
                relative=True,
            )
    if len(mine):
        require(
            records,
            f"at least 2 convergence times at a reference 1/Δ2 ({n})",
            int(n < 2),
            reference_name=REFERENCE,
        )
    return records


def check(df: pd.DataFrame, params: dict, tolerance: dict) -> list:
    """Check the lines against independent references.

    * gradient flow (θ = 1 route) vs the closed form 1/Δ2² = 1/Δ2 + (p−1)/Δp and vs the
      T = 0 limit of the threshold-state recipe (``closed_form_rtol``);
    * ML-AMP vs 1/Δ2² = 1/Δ2 + 1/Δp; Langevin T = 1 vs √(2/Δp) (p = 3, Δp < 2) and vs
      ``spiked.theory.algorithmic_lines.langevin_line`` (another implementation);
    * trivialisation (computed from the t = 2 shortcut S₂) vs the full maximisation of the
      Kac-Rice complexity over the energies: at (1 − ``kac_rice_offset``)·line a band of
      overlaps with Σ > ``sigma_floor`` exists, at (1 + offset)·line none (isolated minima
      touch 0 to rounding), on ``n_probe`` values of Δp per p and an m-grid of
      ``m_grid`` points;
    * ordering Langevin ≤ GF < trivialisation(m0) ≤ trivialisation(m ≥ 0) ≤
      trivialisation(all m), ML-AMP < GF, and every line > 1 and non-increasing in Δp;
    * DMFT points within ``dmft_rtol`` of the closed-form GF line; the convergence-time
      points (:func:`check_convergence_points`).
    """
    records: list = []
    rtol = tolerance["closed_form_rtol"]
    grid = delta_p_grid(params["delta_p_min"], params["delta_p_max"], params["n_delta_p"])
    for p in params["p_values"]:
        sub = df[(df["p"] == p) & (df["method"] == "theory")]
        wide = sub.pivot(index="delta_p", columns="line", values="inv_delta2").sort_index()
        require(
            records,
            f"{len(grid)} values of Δp, p = {p} ({len(wide)})",
            int(len(wide) != len(grid)),
            reference_name="the table's grid",
        )
        compare(
            records,
            f"Δp grid, p = {p}",
            wide.index.to_numpy(),
            grid,
            1e-9,
            reference_name="the table's grid (Δp = 1 included)",
            relative=True,
        )
        require(
            records,
            f"Δp = 1 in the grid, p = {p}",
            int(not np.any(wide.index.to_numpy() == 1.0)),
            reference_name="the table's grid",
        )
        _check_lines(records, p, wide, rtol)
        _check_trivialisation(records, p, wide, tolerance)
    dmft = df[df["method"] == "dmft"]
    if params.get("dmft_delta_p_values"):
        need = len(params["p_values"]) * len(params["dmft_delta_p_values"])
        require(
            records,
            f"{need} DMFT points present ({len(dmft)})",
            int(len(dmft) != need),
            reference_name="the table",
        )
    if len(dmft):  # DMFT points vs the closed form, within the stated extrapolation error
        compare(
            records,
            "GF DMFT points vs the closed-form GF line",
            dmft["inv_delta2"],
            [
                algorithmic_lines.gradient_flow_line(int(r.p), float(r.delta_p))
                for r in dmft.itertuples()
            ],
            tolerance["dmft_rtol"],
            reference_name=CLOSED_FORM,
            relative=True,
        )
    return check_convergence_points(records, df, params, tolerance)
