"""Figures ``kac_rice_complexity_vs_overlap`` and ``kac_rice_complexity_vs_energy``.

* vs overlap (Passed & Spurious, ICML 2019, Fig. 2): annealed complexity of minima Σ(m),
  maximised over the energies, for several 1/Δ2 at fixed (p, Δp).  The band of spurious
  minima around m = 0 shrinks and disappears as 1/Δ2 grows; the good minimum at m* (and,
  for odd p, the anti-aligned one at m < 0) are isolated points where Σ touches 0.
* vs energy (Who is Afraid of Big Bad Minima?, NeurIPS 2019, "increasing the SNR"): at
  m = 0, Σ(ε) of minima for increasing 1/Δ2, with the complexity of critical points whose
  Hessian bulk is positive (no BBP cost) for comparison: above the gradient-flow line the
  highest (threshold) minima acquire a negative outlier and turn into saddles first.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.testing import assert_allclose
from scipy import optimize

from highdim_dynamics.core.checking import compare
from highdim_dynamics.core.plotting import eq, params_text, subplots
from highdim_dynamics.core.validation import (Int, ListOf, ParameterError, Real, Seed, constrained,
                                              in_interval, integer, positive, sequence)
from highdim_dynamics.spiked.theory.kac_rice import complexity_at_energy, max_complexity_over_t
from highdim_dynamics.spiked.theory.kac_rice_quadrature import (complexity_at_energy_quadrature,
                                                                max_complexity_quadrature)
from highdim_dynamics.spiked.theory.thresholds import (gradient_flow_line_bbp, threshold_energy,
                                                       trivialisation_line)


# --------------------------------------------------------------------------- isolated minima
def _ml_fixed_point_residual(m, p, delta2, delta_p):
    dq = m / delta2 + m ** (p - 1) / delta_p
    return m * np.sqrt(dq * dq + 1.0 / delta2 + 1.0 / delta_p) - dq


def isolated_minima(p: int, delta2: float, delta_p: float) -> dict:
    """Overlaps of the isolated minima: roots of m = Q'(m)/√(Q'(m)² + f'(1)) with Σ* = 0, t* > 2.

    Returns a dict ``{"good_minimum": m* > 0, "anti_aligned_minimum": m < 0}`` with the
    entries that exist (roots on a grid of 20001 points refined by brentq; a root counts
    as an isolated minimum when the maximiser of Σ over energies there is t* > 2).
    """
    grid = np.linspace(-1 + 1e-9, 1 - 1e-9, 20001)
    g = _ml_fixed_point_residual(grid, p, delta2, delta_p)
    out = {}
    for i in np.flatnonzero(np.sign(g[:-1]) * np.sign(g[1:]) < 0):
        root = optimize.brentq(_ml_fixed_point_residual, grid[i], grid[i + 1], args=(p, delta2, delta_p),
                               xtol=1e-15, rtol=1e-15)
        if abs(root) < 1e-6:
            continue
        r = max_complexity_over_t(root, p, delta2, delta_p)
        if r["t"] > 2.0:
            out["good_minimum" if root > 0 else "anti_aligned_minimum"] = root
    return out


# --------------------------------------------------------------------------- vs overlap
@constrained(dict(p=Int(3), delta_p=Real(gt=0), inv_delta2_values=ListOf(Real(gt=0)), n_m=Int(11),
                  seed=Seed()))
def kac_rice_complexity_vs_overlap(*, p: int, delta_p: float, inv_delta2_values, n_m: int,
                                   seed: int = 0) -> pd.DataFrame:
    """Σ(m) of minima, maximised over energies, for several 1/Δ2 (deterministic).

    Returns
    -------
    DataFrame
        Columns ``p, delta_p, inv_delta2, kind, m, complexity, t, energy, method``;
        ``kind`` is ``curve`` (a grid of n_m overlaps in (−1, 1), m = 0 included),
        ``good_minimum`` or ``anti_aligned_minimum`` (isolated minima, Σ = 0).
    """
    ys = inv_delta2_values
    m = np.unique(np.append(np.linspace(-0.995, 0.995, n_m), 0.0))
    frames = []
    for y in ys:
        r = max_complexity_over_t(m, p, 1.0 / y, delta_p)
        frames.append(pd.DataFrame(dict(p=p, delta_p=delta_p, inv_delta2=y, kind="curve", m=m,
                                        complexity=r["sigma_max"], t=r["t"], energy=r["energy"],
                                        method="theory")))
        for kind, mi in isolated_minima(p, 1.0 / y, delta_p).items():
            ri = max_complexity_over_t(mi, p, 1.0 / y, delta_p)
            frames.append(pd.DataFrame(dict(p=p, delta_p=delta_p, inv_delta2=y, kind=kind, m=[mi],
                                            complexity=ri["sigma_max"], t=ri["t"],
                                            energy=ri["energy"], method="theory")))
    return pd.concat(frames, ignore_index=True)


def plot_kac_rice_complexity_vs_overlap(df: pd.DataFrame):
    """Σ(m) curves (one colour per 1/Δ2), isolated minima as markers on Σ = 0."""
    fig, axes = subplots(1, width=6.6)
    ax = axes[0][0]
    ys = sorted(df["inv_delta2"].unique())
    colours = [f"C{i % 10}" for i in range(len(ys))]
    for y, c in zip(ys, colours):
        sub = df[df["inv_delta2"] == y]
        cur = sub[sub["kind"] == "curve"].sort_values("m")
        ax.plot(cur["m"], cur["complexity"], color=c, lw=1.3, label=eq("inv_delta2", y))
        for kind, marker in (("good_minimum", "*"), ("anti_aligned_minimum", "v")):
            pts = sub[sub["kind"] == kind]
            ax.plot(pts["m"], pts["complexity"], marker, color=c, ms=8 if marker == "*" else 5,
                    mec="k", mew=0.4, ls="none")
    ax.plot([], [], "*", color="0.6", mec="k", mew=0.4, ms=8, label=r"isolated minimum $m^*$")
    ax.plot([], [], "v", color="0.6", mec="k", mew=0.4, ms=5, label="anti-aligned minimum")
    ax.axhline(0.0, color="k", lw=0.6)
    top = df.loc[df["kind"] == "curve", "complexity"].max()
    ax.set(xlabel="overlap $m$", ylabel=r"complexity of minima $\Sigma(m)$", xlim=(-1, 1),
           ylim=(-0.6 * top, 1.25 * top),
           title=params_text(p=int(df["p"].iloc[0]), delta_p=float(df["delta_p"].iloc[0])))
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small")
    return fig


QUADRATURE_REFERENCE = ("the same Kac-Rice expression by quadrature and numerical energy split "
                        "(spiked.theory.kac_rice_quadrature, no closed form of spiked.theory.kac_rice)")


def _spread(frame, n):
    """``n`` rows spread evenly over ``frame`` (its ends included)."""
    return frame.iloc[np.unique(np.linspace(0, len(frame) - 1, n).round().astype(int))]


def check_kac_rice_complexity_vs_overlap(df: pd.DataFrame, params: dict, tolerance: dict) -> list:
    """Check the curves against independent references.

    * isolated minima: the ML-AMP fixed-point equation m = Q'/√(Q'² + f'(1)) (residual
      < ``fixed_point_atol``) and the identity Σ = 0 there (``touch_atol``); the curve
      never exceeds 0 within 0.05 of m*;
    * ``n_quadrature`` curve points per 1/Δ2, the ends included, recomputed by the second
      route of :mod:`highdim_dynamics.spiked.theory.kac_rice_quadrature` (quadrature for Φ and L, numerical maximisation
      over the energies, nothing from :mod:`highdim_dynamics.spiked.theory.kac_rice`) within ``quadrature_atol``;
    * Σ(m = 0) > 0 exactly below the trivialisation line (m0 definition) and the band
      {Σ > 0} shrinks as 1/Δ2 grows and is empty above the all-m line.
    """
    p, dp = int(params["p"]), float(params["delta_p"])
    line_m0 = float(trivialisation_line(p, dp, "m0")[0])
    line_all = float(trivialisation_line(p, dp, "all_m")[0])
    widths = []
    records: list = []
    for y in sorted(params["inv_delta2_values"]):
        sub = df[np.isclose(df["inv_delta2"], y, rtol=1e-12)]
        assert len(sub), f"no rows for 1/Δ2 = {y}"
        cur = sub[sub["kind"] == "curve"].sort_values("m")
        iso = sub[sub["kind"] != "curve"]
        assert (iso["kind"] == "good_minimum").sum() == 1, f"no good minimum (m*) row at 1/Δ2 = {y}"
        for _, row in iso.iterrows():
            res = _ml_fixed_point_residual(row["m"], p, 1 / y, dp)
            assert abs(res) < tolerance["fixed_point_atol"], f"{row['kind']} is not an ML fixed point"
            assert abs(row["complexity"]) < tolerance["touch_atol"], \
                f"Σ at the {row['kind']} (1/Δ2={y}) = {row['complexity']}, expected 0"
            near = cur[(cur["m"] - row["m"]).abs() < 0.05]
            assert np.all(near["complexity"] <= tolerance["touch_atol"]), "Σ > 0 next to an isolated minimum"
        rows = _spread(cur[cur["m"].abs() < 0.999], tolerance["n_quadrature"])
        compare(records, f"Σ(m) at 1/Δ2 = {y} ({len(rows)} overlaps)", rows["complexity"],
                [max_complexity_quadrature(m, p, 1 / y, dp) for m in rows["m"]],
                tolerance["quadrature_atol"], reference_name=QUADRATURE_REFERENCE)
        s0 = float(cur.loc[cur["m"] == 0.0, "complexity"].iloc[0])
        if abs(y - line_m0) > 1e-3 * line_m0:
            assert (s0 > 0) == (y < line_m0), f"Σ(0) = {s0} on the wrong side of the m = 0 line {line_m0}"
        band = cur["complexity"].to_numpy() > tolerance["touch_atol"]
        widths.append(band.sum())
        if y > line_all * (1 + 1e-3):
            assert not band.any(), f"spurious band above the all-m trivialisation line (1/Δ2={y})"
    assert all(a >= b for a, b in zip(widths, widths[1:])), f"band must shrink with 1/Δ2: {widths}"
    return records


# --------------------------------------------------------------------------- vs energy
@constrained(dict(p=Int(3), delta_p=Real(gt=0), inv_delta2_values=ListOf(Real(gt=0)),
                  n_energy=Int(11), energy_window=Real(gt=0, lt=10), seed=Seed()))
def kac_rice_complexity_vs_energy(*, p: int, delta_p: float, inv_delta2_values, n_energy: int,
                                  energy_window: float, seed: int = 0) -> pd.DataFrame:
    """Σ(ε) at m = 0 for several 1/Δ2, with and without the BBP cost (deterministic).

    Energies run over [ε_th − window, ε_th + window/4] around the threshold energy ε_th of
    each 1/Δ2 (energy of the t = 2 critical points with the optimal split).

    Returns
    -------
    DataFrame
        Columns ``p, delta_p, inv_delta2, kind, energy, complexity, t, method``; ``kind``
        is ``minima`` (Σ of minima) or ``bulk_positive`` (no BBP cost: minima plus
        saddles whose only negative direction is the outlier).
    """
    ys = inv_delta2_values
    n = n_energy
    window = energy_window
    frames = []
    for y in ys:
        e_th = float(threshold_energy(p, 1.0 / y, delta_p))
        energies = np.linspace(e_th - window, e_th + window / 4, n)
        for kind, bbp in (("minima", True), ("bulk_positive", False)):
            r = complexity_at_energy(0.0, energies, p, 1.0 / y, delta_p, bbp_cost=bbp)
            frames.append(pd.DataFrame(dict(p=p, delta_p=delta_p, inv_delta2=y, kind=kind,
                                            energy=energies, complexity=r["sigma"], t=r["t"],
                                            method="theory")))
    return pd.concat(frames, ignore_index=True)


def plot_kac_rice_complexity_vs_energy(df: pd.DataFrame):
    """Σ(ε) at m = 0: solid = minima, dashed = bulk-positive critical points (no BBP cost)."""
    fig, axes = subplots(1, width=6.6)
    ax = axes[0][0]
    ys = sorted(df["inv_delta2"].unique())
    for i, y in enumerate(ys):
        sub = df[df["inv_delta2"] == y]
        for kind, ls in (("bulk_positive", "--"), ("minima", "-")):
            g = sub[sub["kind"] == kind].sort_values("energy")
            ax.plot(g["energy"], g["complexity"], color=f"C{i % 10}", ls=ls, lw=1.3,
                    label=eq("inv_delta2", y) if kind == "minima" else None)
    top = df["complexity"].max()
    ax.axhline(0.0, color="k", lw=0.6)
    ax.plot([], [], color="0.4", ls="-", label="minima")
    ax.plot([], [], color="0.4", ls="--", label="no BBP cost")
    ax.set(xlabel=r"energy per site $\epsilon$", ylabel=r"complexity $\Sigma(\epsilon)$ at $m = 0$",
           ylim=(-1.2 * top, 1.3 * top),
           title=params_text(p=int(df["p"].iloc[0]), delta_p=float(df["delta_p"].iloc[0])))
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small")
    return fig


def check_kac_rice_complexity_vs_energy(df: pd.DataFrame, params: dict, tolerance: dict) -> list:
    """Check against closed forms and a brute-force maximisation.

    * below the gradient-flow line (θ = (1/Δ2)/σ ≤ 1 at m = 0) the two kinds coincide and
      the maximum over ε equals the closed form Σ(m=0, t=2) = ½log(σ²/f'(1)) − 2σ²/K + 1,
      reached at ε_th = −2σ f'(1)/K (``closed_form_atol``, plus the energy grid step for
      the location);
    * above it the minima curve lies strictly below the bulk-positive one at ε_th (BBP
      cost L(θ, 2) > 0, equal to the closed-form difference) and the two coincide at
      energies where t ≥ θ + 1/θ;
    * ``n_quadrature`` points per curve (ends included) recomputed on the line
      ε2 + εp = ε by the second route of :mod:`highdim_dynamics.spiked.theory.kac_rice_quadrature` (``quadrature_atol``).
    """
    p, dp = int(params["p"]), float(params["delta_p"])
    gf = float(gradient_flow_line_bbp(p, dp)[0])
    records: list = []
    atol = tolerance["closed_form_atol"]
    for y in sorted(params["inv_delta2_values"]):
        sub = df[np.isclose(df["inv_delta2"], y, rtol=1e-12)]
        mins = sub[sub["kind"] == "minima"].sort_values("energy")
        bulk = sub[sub["kind"] == "bulk_positive"].sort_values("energy")
        assert len(mins) >= 2 and len(mins) == len(bulk) and np.allclose(
            mins["energy"].to_numpy(), bulk["energy"].to_numpy(), rtol=0, atol=1e-12), \
            f"1/Δ2 = {y}: the minima and bulk-positive curves must share their energy grid"
        d2 = 1 / y
        sigma2, f1 = y + (p - 1) / dp, y + 1 / dp
        K = sigma2 + f1
        s_t2 = 0.5 * np.log(sigma2 / f1) - 2 * sigma2 / K + 1.0
        e_th = -2 * np.sqrt(sigma2) * f1 / K
        step = float(np.diff(bulk["energy"]).max())
        i_max = int(np.argmax(bulk["complexity"].to_numpy()))
        assert abs(bulk["energy"].iloc[i_max] - e_th) <= step, "bulk-positive maximum away from ε_th"
        # the grid max is within (curvature × step²) of the closed-form value
        assert bulk["complexity"].max() <= s_t2 + atol
        compare(records, f"max Σ over ε at 1/Δ2 = {y}", bulk["complexity"].max(), s_t2,
                atol + 50 * step ** 2, reference_name="closed form Σ(m = 0, t = 2)")
        theta = y / np.sqrt(sigma2)
        diff = bulk["complexity"].to_numpy() - mins["complexity"].to_numpy()
        if y < gf * (1 - 1e-9):
            assert_allclose(diff, 0.0, atol=atol, err_msg=f"θ < 1 must give no BBP cost (1/Δ2={y})")
        else:
            assert theta >= 1 - 1e-9
            u = theta + 1 / theta
            free = mins["t"].to_numpy() >= u
            assert_allclose(diff[free], 0.0, atol=atol)
            near_th = np.argmin(np.abs(mins["energy"].to_numpy() - e_th))
            assert diff[near_th] > 0 or theta < 1 + 1e-6, "threshold minima must pay the BBP cost"
        for kind, curve in (("minima", mins), ("bulk_positive", bulk)):
            rows = _spread(curve, tolerance["n_quadrature"])
            compare(records, f"Σ({kind}) vs energy at 1/Δ2 = {y} ({len(rows)} energies)",
                    rows["complexity"],
                    [complexity_at_energy_quadrature(0.0, e, p, d2, dp, bbp_cost=kind == "minima")
                     for e in rows["energy"]],
                    tolerance["quadrature_atol"], reference_name=QUADRATURE_REFERENCE)
    return records
