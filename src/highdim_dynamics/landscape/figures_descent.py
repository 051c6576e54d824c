"""Figure ``spiked_gd_finite_n``: projected gradient descent on finite-N instances.

p = 3, Δp = 1: fraction of runs from a random start that leave the equator and the
overlap they reach, vs 1/Δ2, for several N, against the closed-form gradient-flow line
and the Kac-Rice isolated minima (the good one at m*, the ML-AMP fixed point, and for odd
p the anti-aligned one at m < 0).

Success criteria (both reported, per run the CSV holds the overlap itself):

* **escape**: |m| > 0.5 (the run left the threshold states at m ≈ 0);
* **aligned**: m > 0.5 (it reached the good minimum).  For odd p an isolated minimum
  anti-aligned with x* exists at every 1/Δ2 (Kac-Rice), and a sizeable fraction of runs
  escaping the equator falls into it, so the aligned fraction saturates well below 1.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from highdim_dynamics.core.checking import at_most, compare, require
from highdim_dynamics.core.plotting import eq, params_text, subplots, sym
from highdim_dynamics.core.progress import Progress
from highdim_dynamics.core.seeding import spawn_seeds
from highdim_dynamics.spiked.theory.algorithmic_lines import gradient_flow_line, ml_amp_line
from ..spiked.model import SpikedMatrixTensor
from highdim_dynamics.core.validation import Int, ListOf, Real, Seed, constrained, integer, sequence
from .figures_complexity import isolated_minima
from highdim_dynamics.spiked.finite_n.gradient_descent import descent_runs

SUCCESS_THRESHOLD = 0.5


@constrained(dict(p=Int(3), delta_p=Real(gt=0), inv_delta2_values=ListOf(Real(gt=0)),
                  n_values=ListOf(Int(4)), n_instances=Int(1), t_max=Real(gt=0),
                  grad_tol=Real(gt=0), step_factor=Real(gt=0, lt=0.5), n_theory=Int(2),
                  seed=Seed()))
def spiked_gd_finite_n(*, p: int, delta_p: float, inv_delta2_values, n_values, n_instances: int,
                       t_max: float, grad_tol: float, step_factor: float = 0.4,
                       n_theory: int = 60, seed: int) -> pd.DataFrame:
    """Gradient-descent end points on fresh instances, plus the Kac-Rice overlaps.

    Returns
    -------
    DataFrame
        Columns ``p, delta_p, inv_delta2, n, kind, instance, m, energy, t_lagrange,
        hessian_min, is_minimum, converged, time, method``.  ``kind = run`` (method
        ``simulation``): one row per run (``m`` is the final overlap, ``time`` = η ×
        steps to |grad|/√N < grad_tol or t_max); ``kind = good_minimum`` /
        ``anti_aligned_minimum`` (method ``theory``): Kac-Rice isolated minima on a grid
        of ``n_theory`` values of 1/Δ2 (run-only columns NaN).
    """
    ys = inv_delta2_values
    ns = sequence("n_values", n_values, integer, minimum=p + 1)
    n_inst = n_instances
    seeds = spawn_seeds(seed, len(ns) * len(ys) * n_inst).reshape(len(ns), len(ys), n_inst)
    bar = Progress("spiked_gd_finite_n", total=seeds.size)
    frames = []
    for n, by_y in zip(ns, seeds):
        for y, ss in zip(ys, by_y):
            model = SpikedMatrixTensor(p, 1.0 / y, delta_p)
            runs, _ = descent_runs(model, n, [int(s) for s in ss], step_factor=step_factor, t_max=t_max,
                                   grad_tol=grad_tol, hessian="min", progress=bar)
            frames.append(pd.DataFrame(dict(
                p=p, delta_p=delta_p, inv_delta2=y, n=n, kind="run", instance=np.arange(len(runs)),
                m=runs["overlap"], energy=runs["energy"], t_lagrange=runs["t_lagrange"],
                hessian_min=runs["hessian_min"], is_minimum=runs["is_minimum"].astype(float),
                converged=runs["converged"].astype(float), time=runs["time"], method="simulation")))
    grid = np.linspace(min(ys), max(ys), n_theory)
    rows = []
    for y in grid:
        for kind, m in isolated_minima(p, 1.0 / y, delta_p).items():
            rows.append(dict(p=p, delta_p=delta_p, inv_delta2=y, n=np.nan, kind=kind, instance=np.nan, m=m,
                             energy=np.nan, t_lagrange=np.nan, hessian_min=np.nan, is_minimum=np.nan,
                             converged=np.nan, time=np.nan, method="theory"))
    frames.append(pd.DataFrame(rows))
    return pd.concat(frames, ignore_index=True)


def success_fractions(df: pd.DataFrame) -> pd.DataFrame:
    """Per (N, 1/Δ2): fractions with |m| > 0.5 (escape), m > 0.5 (aligned), m < −0.5."""
    runs = df[df["kind"] == "run"]
    g = runs.groupby(["n", "inv_delta2"])["m"]
    return pd.DataFrame(dict(
        escape=g.apply(lambda m: np.mean(np.abs(m) > SUCCESS_THRESHOLD)),
        aligned=g.apply(lambda m: np.mean(m > SUCCESS_THRESHOLD)),
        anti=g.apply(lambda m: np.mean(m < -SUCCESS_THRESHOLD)),
        runs=g.size())).reset_index()


def plot_spiked_gd_finite_n(df: pd.DataFrame):
    """Left: escape / aligned fractions vs 1/Δ2 per N. Right: overlaps reached vs Kac-Rice."""
    fig, axes = subplots(2)
    ax, bx = axes[0]
    frac = success_fractions(df)
    p, dp = int(df["p"].iloc[0]), float(df["delta_p"].iloc[0])
    ns = sorted(frac["n"].unique())
    for i, n in enumerate(ns):
        f = frac[frac["n"] == n].sort_values("inv_delta2")
        ax.plot(f["inv_delta2"], f["escape"], "o-", color=f"C{i}", ms=4,
                label=eq("N", int(n)) + f": $|m| > {SUCCESS_THRESHOLD:g}$")
        ax.plot(f["inv_delta2"], f["aligned"], "s--", color=f"C{i}", ms=3, mfc="none",
                label=eq("N", int(n)) + f": $m > {SUCCESS_THRESHOLD:g}$")
    for b in (ax, bx):
        b.axvline(gradient_flow_line(p, dp), color="tab:blue", lw=1.0, label=r"GF line ($N \to \infty$)")
        b.axvline(ml_amp_line(p, dp), color="tab:cyan", lw=1.0, ls=":", label="ML-AMP line")
    ax.set(xlabel=sym("inv_delta2"), ylabel="fraction of runs", ylim=(-0.02, 1.02),
           title="gradient descent, " + params_text(p=p, delta_p=dp))
    ax.legend(fontsize="x-small", loc="upper center", bbox_to_anchor=(0.5, -0.18), ncols=2)
    runs = df[df["kind"] == "run"]
    for i, n in enumerate(ns):
        r = runs[runs["n"] == n]
        jitter = (i - (len(ns) - 1) / 2) * 0.03
        bx.plot(r["inv_delta2"] + jitter, r["m"], ".", color=f"C{i}", ms=3, alpha=0.6,
                label=eq("N", int(n)))
    for kind, ls, lab in (("good_minimum", "-", "Kac-Rice $m^*$"), ("anti_aligned_minimum", "--", "anti-aligned minimum")):
        th = df[df["kind"] == kind].sort_values("inv_delta2")
        bx.plot(th["inv_delta2"], th["m"], color="k", ls=ls, lw=1.2, label=lab)
    bx.axhspan(-SUCCESS_THRESHOLD, SUCCESS_THRESHOLD, color="gray", alpha=0.08, lw=0)
    bx.set(xlabel=sym("inv_delta2"), ylabel="final overlap $m$", ylim=(-1, 1),
           title="end points vs Kac-Rice minima")
    bx.legend(fontsize="x-small", loc="upper center", bbox_to_anchor=(0.5, -0.18), ncols=2,
              markerscale=2)
    return fig


def check_spiked_gd_finite_n(df: pd.DataFrame, params: dict, tolerance: dict) -> list:
    """Finite-N end points vs the Kac-Rice landscape (trends and overlaps; see the table).

    * converged aligned end points (m > 0.5) at 1/Δ2 ≥ the GF line: mean overlap of the k
      runs within z·overlap_sd/√(N k) + bias_c/N of m*(1/Δ2) (Kac-Rice isolated minimum =
      ML-AMP fixed point);
    * every end point is a minimum (smallest Hessian eigenvalue > −``hessian_atol``) or
      still moving (not converged);
    * stuck end points (|m| < 0.5) sit at threshold-like minima: mean t_lagrange within
      ``threshold_t_atol`` of 2 at the largest N;
    * trend: the escape fraction at the largest 1/Δ2 ≥ ``escape_min_above`` for every N
      and exceeds the one at the smallest 1/Δ2.
    """
    p, dp = int(params["p"]), float(params["delta_p"])
    records: list = []
    ref = "Kac-Rice landscape: good minimum m* (ML-AMP fixed point), threshold states t = 2"
    runs = df[df["kind"] == "run"]
    counts = runs.groupby(["n", "inv_delta2"]).size()
    require(records, f"every (N, 1/Δ2) has {params['n_instances']} runs",
            int(counts.empty) + int((counts < params["n_instances"]).sum()), reference_name="the table")
    y_gf = gradient_flow_line(p, dp)
    for (n, y), g in runs.groupby(["n", "inv_delta2"]):
        aligned = g[(g["m"] > SUCCESS_THRESHOLD) & (g["converged"] > 0)]
        if y >= y_gf and len(aligned):
            mstar = isolated_minima(p, 1.0 / y, dp)["good_minimum"]
            # z standard errors of the mean of k runs (per-run sd = overlap_sd/√N) plus a
            # finite-N bias allowance bias_c/N
            k = len(aligned)
            tol = tolerance["z"] * tolerance["overlap_sd"] / np.sqrt(n * k) + tolerance["bias_c"] / n
            compare(records, f"aligned overlap at N = {n:g}, 1/Δ2 = {y:g} ({k} runs)",
                    aligned["m"].mean(), mstar, tol, reference_name=ref)
        done = g[g["converged"] > 0]
        if len(done):
            at_most(records, f"−(smallest Hessian eigenvalue) of converged end points, N = {n:g}, "
                             f"1/Δ2 = {y:g}", -done["hessian_min"], tolerance["hessian_atol"],
                    reference_name="end points are minima")
    n_max = runs["n"].max()
    stuck = runs[(runs["n"] == n_max) & (runs["m"].abs() < SUCCESS_THRESHOLD)]
    if len(stuck) >= 3:
        compare(records, f"mean t of the stuck end points at N = {n_max:g}", stuck["t_lagrange"].mean(),
                2.0, tolerance["threshold_t_atol"], reference_name=ref)
    frac = success_fractions(df)
    for n, f in frac.groupby("n"):
        f = f.sort_values("inv_delta2")
        at_most(records, f"1 − escape fraction at 1/Δ2 = {f['inv_delta2'].iloc[-1]:g}, N = {n:g}",
                1 - f["escape"].iloc[-1], 1 - tolerance["escape_min_above"],
                reference_name="above the GF line the runs escape")
        require(records, f"escape fraction grows with 1/Δ2, N = {n:g}",
                int(not f["escape"].iloc[-1] > f["escape"].iloc[0]), reference_name=ref)
    return records
