"""Check of ``phase_retrieval_threshold_theory``: the Lu–Li solver against its closed form,
finite-p spectra and the measured end-point Hessians; alpha_GD against a finer quadrature."""

from __future__ import annotations

import numpy as np
import pandas as pd

from highdim_dynamics.core.checking import at_most, compare, require
from highdim_dynamics.figures._phase_retrieval_checks import check_gd_line
from highdim_dynamics.phase_retrieval.lu_li import lu_li_outlier, optimal_phase_retrieval_law

SPECTRA = "finite-p random-matrix spectra (top eigenvector of (1/n) Σ T(y) a aᵀ)"


def _against_spectra(
    records: list, quantity: str, sim: pd.DataFrame, theory, overlap_c: float
) -> None:
    """Record |finite-p ρ² − theory| minus 3 standard errors against overlap_c / √p, per p."""
    diff = np.abs(sim.overlap2.to_numpy() - np.asarray(theory))
    excess = diff - 3.0 * sim.overlap2_error.to_numpy()
    for p in np.unique(sim.p):
        sel = (sim.p == p).to_numpy()
        compare(
            records,
            f"{quantity} at p = {p:g}: |ρ² − finite-p| − 3 s.e. (largest |ρ² − "
            f"finite-p| {diff[sel].max():.4f})",
            np.maximum(excess[sel], 0.0),
            0.0,
            overlap_c / np.sqrt(p),
            reference_name=SPECTRA,
        )


def check(df: pd.DataFrame, params: dict, tolerance: dict) -> list:
    """Lu--Li solver against closed form, finite-p spectra and end-point Hessians.

    * the transition of T = 1 - 1/y^2 equals the closed form 1/2 within ``alpha_c_atol``,
      and below it the plotted criterion (at lambda = sup T = 1) equals 2 alpha - 1;
    * finite-p mean squared overlaps agree with the plotted curve and with the solver
      within ``overlap_c / sqrt(p)`` (O(p^{-1/2}) finite-size corrections) plus 3 standard
      errors;
    * the alpha_GD line of the marginal 1RSB states
      (:func:`~highdim_dynamics.figures._phase_retrieval_checks.check_gd_line`);
    * every measured end-point lambda_min is > 0 (the end points are minima), and where the
      end-point criterion is < 0 (no outlier predicted) the lowest tangent-Hessian
      eigenvector is not localised on the signal: mean squared overlap with the tangent
      signal direction <= ``no_outlier_max_overlap2`` (a Lu--Li outlier has rho^2 = O(1); a
      delocalised vector ~1/p; end points with |m| ~ 0.1-0.2 at larger alpha mix the
      signal into the low modes, measured up to ~0.1 at p = 100).
    """
    records: list = []
    tf = df[df.panel == "test_function"]
    a_c = tf[tf.method == "transition"].alpha
    if len(a_c) != 1:
        raise AssertionError("threshold theory: missing the test-function transition row")
    closed = "closed form of T = 1 − 1/y² (transition alpha_c = 1/2, criterion 2 alpha − 1 below)"
    compare(
        records,
        "Lu–Li transition of T = 1 − 1/y²",
        a_c.iloc[0],
        0.5,
        tolerance["alpha_c_atol"],
        reference_name=closed,
    )
    sim = tf[tf.method == "simulation"]
    if sim.empty:
        raise AssertionError("threshold theory: no finite-p spectra")
    th = tf[tf.method == "theory"].sort_values("alpha")
    below = th[th.alpha < 0.5]
    if below.empty or len(th) < 10:
        raise AssertionError("threshold theory: the plotted Lu-Li curve is missing")
    compare(
        records,
        "plotted Lu–Li criterion of T = 1 − 1/y² below the transition",
        below.criterion,
        2 * below.alpha - 1,
        tolerance["alpha_c_atol"],
        reference_name=closed,
    )
    _against_spectra(
        records,
        "plotted Lu–Li curve",
        sim,
        np.interp(sim.alpha, th.alpha, th.overlap2),
        tolerance["overlap_c"],
    )
    law = optimal_phase_retrieval_law()
    _against_spectra(
        records,
        "Lu–Li solver",
        sim,
        [lu_li_outlier(law, a)["overlap2"] for a in sim.alpha],
        tolerance["overlap_c"],
    )
    bb = df[df.panel == "endpoint_bbp"]
    bt = bb[(bb.method == "theory") & bb.criterion.notna()]
    bs = bb[bb.method == "simulation"]
    if bt.empty:
        raise AssertionError("threshold theory: no end-point rows")
    check_gd_line(records, bb, tolerance)
    crit = np.array([bt[np.isclose(bt.alpha, a)].criterion.iloc[0] for a in bs.alpha])
    hessians = "measured tangent Hessians at the gradient-descent end points"
    not_minima = bs[~(bs.lambda_min > 0)]
    require(
        records,
        "end points that are not minima (mean λ_min ≤ 0)",
        len(not_minima),
        reference_name=hessians,
        detail=f"alpha {not_minima.alpha.tolist()}",
    )
    quiet = bs[crit < 0]
    if len(quiet):
        at_most(
            records,
            "ρ² of the lowest Hessian eigenvector with the signal where Lu–Li "
            "predicts no outlier (criterion < 0)",
            quiet.overlap2,
            tolerance["no_outlier_max_overlap2"],
            reference_name=hessians,
        )
    return records
