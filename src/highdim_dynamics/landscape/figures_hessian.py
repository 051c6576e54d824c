"""Figure ``threshold_hessian_spectrum``: Hessian at threshold states, theory vs finite N.

Below and above the gradient-flow line (θ = (1/Δ2)/σ < 1 and > 1), the spectrum of the
Riemannian Hessian at the end points of gradient descent restricted to the equator
x·x* = 0 (the m = 0 threshold states; unrestricted descent would leave them along the
outlier above the line) on finite-N instances, against the theory of
:mod:`~highdim_dynamics.spiked.theory.threshold_hessian`: semicircle of radius 2σ touching 0,
BBP outlier at σ(2 − θ − 1/θ) with squared overlap 1 − 1/θ² with the signal.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from highdim_dynamics.core.checking import at_most, compare
from highdim_dynamics.core.plotting import eq, figure_legend, params_text, subplots
from highdim_dynamics.core.progress import Progress
from highdim_dynamics.core.seeding import spawn_seeds
from ..spiked.model import SpikedMatrixTensor
from highdim_dynamics.core.validation import Int, ListOf, Real, Seed, constrained
from highdim_dynamics.spiked.finite_n.gradient_descent import descent_runs
from highdim_dynamics.spiked.theory.threshold_hessian import semicircle_density, threshold_hessian


@constrained(dict(p=Int(3), delta_p=Real(gt=0), inv_delta2_values=ListOf(Real(gt=0)), n=Int(10),
                  n_instances=Int(2), t_max=Real(gt=0), grad_tol=Real(gt=0),
                  step_factor=Real(gt=0, lt=0.5), seed=Seed()))
def threshold_hessian_spectrum(*, p: int, delta_p: float, inv_delta2_values, n: int, n_instances: int,
                               t_max: float, grad_tol: float, step_factor: float = 0.4,
                               seed: int) -> pd.DataFrame:
    """Eigenvalues of the Riemannian Hessian at equator-restricted GD end points, plus theory.

    Returns
    -------
    DataFrame
        Columns ``p, delta_p, inv_delta2, n, kind, instance, eigenvalue, density,
        signal_overlap2, t_lagrange, method``.  ``kind``: ``eigenvalue`` (method
        ``simulation``: every eigenvalue of every instance, with the squared overlap of its
        eigenvector with x*; ``t_lagrange`` = −μ/σ of the end point), ``density`` (method
        ``theory``: semicircle density on a grid), ``outlier`` (method ``theory``: the BBP
        outlier and its squared overlap; only for θ > 1).
    """
    ys = inv_delta2_values
    n_inst = n_instances
    seeds = spawn_seeds(seed, len(ys) * n_inst).reshape(len(ys), n_inst) & 0x7FFFFFFFFFFF
    bar = Progress("threshold_hessian_spectrum", total=len(ys) * n_inst)
    frames = []
    for y, ss in zip(ys, seeds):
        model = SpikedMatrixTensor(p, 1.0 / y, delta_p)
        runs, spectra = descent_runs(model, n, [int(s) for s in ss], step_factor=step_factor, t_max=t_max,
                                     grad_tol=grad_tol, equator=True, hessian="full", progress=bar)
        base = dict(p=p, delta_p=delta_p, inv_delta2=y, n=n)
        for k, (vals, ov) in enumerate(spectra):
            frames.append(pd.DataFrame(dict(**base, kind="eigenvalue", instance=k, eigenvalue=vals,
                                            density=np.nan, signal_overlap2=ov,
                                            t_lagrange=runs["t_lagrange"].iloc[k], method="simulation")))
        th = threshold_hessian(p, 1.0 / y, delta_p)
        grid = np.linspace(th["bulk_centre"] - th["bulk_radius"], th["bulk_centre"] + th["bulk_radius"], 201)
        frames.append(pd.DataFrame(dict(**base, kind="density", instance=np.nan, eigenvalue=grid,
                                        density=semicircle_density(grid, th["bulk_centre"], th["bulk_radius"]),
                                        signal_overlap2=np.nan, t_lagrange=2.0, method="theory")))
        if th["theta"] > 1:
            frames.append(pd.DataFrame(dict(**base, kind="outlier", instance=[np.nan],
                                            eigenvalue=[th["outlier"]], density=[np.nan],
                                            signal_overlap2=[th["outlier_overlap2"]], t_lagrange=[2.0],
                                            method="theory")))
    return pd.concat(frames, ignore_index=True)


def plot_threshold_hessian_spectrum(df: pd.DataFrame):
    """One panel per 1/Δ2: histogram of finite-N eigenvalues, semicircle, outliers."""
    ys = sorted(df["inv_delta2"].unique())
    fig, axes = subplots(len(ys))
    for ax, y in zip(axes[0], ys):
        sub = df[df["inv_delta2"] == y]
        eig = sub[sub["kind"] == "eigenvalue"]
        lowest = eig.loc[eig.groupby("instance")["eigenvalue"].idxmin()]
        bulk = eig.drop(lowest.index)
        ax.hist(bulk["eigenvalue"], bins=40, density=True, color="tab:blue", alpha=0.35,
                label=f"finite {eq('N', int(sub['n'].iloc[0]))} ({eig['instance'].nunique()} instances)")
        dens = sub[sub["kind"] == "density"]
        ax.plot(dens["eigenvalue"], dens["density"], color="k", lw=1.3, label="semicircle, threshold states ($t = 2$)")
        ax.plot(lowest["eigenvalue"], np.full(len(lowest), 0.01), "v", color="tab:red", ms=5, ls="none",
                label="lowest eigenvalue per instance")
        out = sub[sub["kind"] == "outlier"]
        text = f"measured overlap$^2$ of the lowest: {lowest['signal_overlap2'].mean():.2f}"
        if len(out):
            ax.axvline(out["eigenvalue"].iloc[0], color="tab:red", lw=1.2,
                       label=r"BBP outlier $\sigma(2 - \theta - 1/\theta)$")
            text += f"\ntheory $1 - 1/\\theta^2$ = {out['signal_overlap2'].iloc[0]:.2f}"
        else:
            text += "\ntheory ($\\theta < 1$): no outlier"
        ax.axvline(0.0, color="gray", lw=0.6, ls=":")
        # headroom above the semicircle for the annotation
        ax.set_ylim(0, 1.4 * max(dens["density"].max(), ax.get_ylim()[1] / 1.05))
        ax.text(0.98, 0.97, text, transform=ax.transAxes, ha="right", va="top", fontsize="small")
        ax.set(xlabel="Hessian eigenvalue", ylabel="density",
               title=params_text(p=int(sub["p"].iloc[0]), delta_p=float(sub["delta_p"].iloc[0]),
                                 inv_delta2=float(y)))
    figure_legend(fig, axes, ncols=2)
    return fig


def check_threshold_hessian_spectrum(df: pd.DataFrame, params: dict, tolerance: dict) -> list:
    """Finite-N spectra vs the threshold-state theory.

    With n_inst instances of size N, σ = √f''(1), θ = (1/Δ2)/σ:

    * bulk (all but the lowest eigenvalue of each instance): variance σ² within
      ``bulk_variance_rtol`` (checks the GOE normalisation σ² = f''(1)); lower edge (mean
      second-lowest eigenvalue) within ``edge_atol_sigma``·σ of 0 (threshold states touch 0);
    * θ > 1: mean lowest eigenvalue within ``outlier_c``·σ/√(N n_inst) of σ(2 − θ − 1/θ) and
      mean squared overlap within ``overlap_c``/√(N n_inst) of 1 − 1/θ²;
    * θ < 1: the lowest eigenvalue stays at the bulk edge (|mean| < ``edge_atol_sigma``·σ)
      and its overlap is below ``max_overlap_below``.
    """
    p, dp = int(params["p"]), float(params["delta_p"])
    records: list = []
    for y in params["inv_delta2_values"]:
        sub = df[np.isclose(df["inv_delta2"], y, rtol=1e-12) & (df["kind"] == "eigenvalue")]
        assert len(sub), f"no spectrum at 1/Δ2 = {y}"
        th = threshold_hessian(p, 1.0 / y, dp)
        sigma, theta = th["sigma"], th["theta"]
        n = int(sub["n"].iloc[0])
        k = sub["instance"].nunique()
        assert k == params["n_instances"], "one spectrum per instance expected"
        order = sub.sort_values(["instance", "eigenvalue"])
        groups = [g["eigenvalue"].to_numpy() for _, g in order.groupby("instance")]
        overlaps = [g["signal_overlap2"].to_numpy() for _, g in order.groupby("instance")]
        assert all(len(g) == n - 1 for g in groups), "tangent spectrum must have N − 1 eigenvalues"
        lowest = np.array([g[0] for g in groups])
        lowest_ov = np.array([o[0] for o in overlaps])
        bulk = np.concatenate([g[1:] for g in groups])
        var = bulk.var()
        ref = "threshold-state theory: Kac-Rice Hessian σ(GOE + 2 − θvvᵀ)"
        compare(records, f"bulk variance / σ² at 1/Δ2 = {y}", var / sigma**2, 1.0,
                tolerance["bulk_variance_rtol"], reference_name=ref)
        edge = np.mean([g[1] for g in groups])
        compare(records, f"bulk lower edge / σ at 1/Δ2 = {y}", edge / sigma, 0.0,
                tolerance["edge_atol_sigma"], reference_name=ref)
        se = 1.0 / np.sqrt(n * k)
        if theta > 1:
            compare(records, f"BBP outlier at 1/Δ2 = {y}", lowest.mean(), th["outlier"],
                    tolerance["outlier_c"] * sigma * se, reference_name=ref + ", σ(2 − θ − 1/θ)")
            compare(records, f"outlier overlap² at 1/Δ2 = {y}", lowest_ov.mean(),
                    th["outlier_overlap2"], tolerance["overlap_c"] * se,
                    reference_name=ref + ", 1 − 1/θ²")
        else:
            compare(records, f"θ < 1: lowest eigenvalue / σ at 1/Δ2 = {y}", lowest.mean() / sigma,
                    0.0, tolerance["edge_atol_sigma"], reference_name=ref + " (no outlier)")
            at_most(records, f"θ < 1: lowest eigenvector overlap² at 1/Δ2 = {y}", lowest_ov.mean(),
                    tolerance["max_overlap_below"], reference_name=ref + " (no outlier)")
    return records
