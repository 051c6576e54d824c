"""Check of ``phase_retrieval_success`` against the finite-size results of arXiv:2006.06997
and independent routes to the computed threshold lines."""

from __future__ import annotations

import numpy as np
import pandas as pd

from highdim_dynamics.core.checking import at_most, compare
from highdim_dynamics.figures._phase_retrieval_checks import check_bayes_lines, check_gd_line


def check(df: pd.DataFrame, params: dict, tolerance: dict) -> list:
    """Compare with the finite-size simulations of arXiv:2006.06997 and the computed theory lines.

    * p = 100 (the largest p <= 100 in the data): P(success) <= ``p_low_max`` at alpha = 2 and
      >= ``p_high_min`` at every alpha >= 10;
    * failed runs end at genuine minima (gradient below tolerance, smallest tangent-Hessian
      eigenvalue > 0) in a fraction >= ``min_fraction_at_minimum`` of cases;
    * the logistic 50% point of every p <= 200 lies in ``alpha_50_window`` (near 4-5 at
      p <= 200 in arXiv:2006.06997 Fig. 1, far below the p -> infinity threshold alpha_GD);
    * the theory lines against independent routes
      (:func:`~highdim_dynamics.figures._phase_retrieval_checks.check_bayes_lines`,
      :func:`~highdim_dynamics.figures._phase_retrieval_checks.check_gd_line`).
    """
    sim = df[df.method == "simulation"]
    fit = df[df.method == "logistic_fit"]
    if sim.empty or fit.empty:
        raise AssertionError("phase_retrieval_success: missing simulation or logistic_fit rows")
    ps = sorted(p for p in sim.p.unique() if p <= 100)
    if not ps:
        raise AssertionError("phase_retrieval_success: no p <= 100 in the data")
    sub = sim[sim.p == ps[-1]]
    low = sub[np.isclose(sub.alpha, 2.0)]
    high = sub[sub.alpha >= 10.0]
    if low.empty or high.empty:
        raise AssertionError("phase_retrieval_success: need alpha = 2 and alpha >= 10 at p = 100")
    ref = (
        "finite-size reference points of arXiv:2006.06997 (P ~ 0 at alpha = 2, ~ 1 at alpha >= 10)"
    )
    records: list = []
    at_most(
        records,
        f"P(success) at alpha = 2, p = {ps[-1]:g}",
        low.success_probability,
        tolerance["p_low_max"],
        reference_name=ref,
    )
    at_most(
        records,
        f"1 − P(success) at alpha >= 10, p = {ps[-1]:g}",
        1 - high.success_probability,
        1 - tolerance["p_high_min"],
        reference_name=ref,
    )
    n_failed = sim.n_failed.sum()
    frac = sim.n_failed_at_minimum.sum() / max(n_failed, 1)
    if n_failed:
        at_most(
            records,
            "fraction of failed runs not at a genuine local minimum",
            1 - frac,
            1 - tolerance["min_fraction_at_minimum"],
            reference_name="vanishing Riemannian gradient and positive tangent Hessian",
        )
    lo, hi = tolerance["alpha_50_window"]
    for p, a50 in fit.groupby("p").alpha_50.first().items():
        if p <= 200:
            compare(
                records,
                f"logistic 50% point at p = {p:g} (window [{lo}, {hi}])",
                a50,
                (lo + hi) / 2,
                (hi - lo) / 2,
                reference_name="50% point near alpha 4-5 at p <= 200",
            )
    check_bayes_lines(records, df, tolerance)
    check_gd_line(records, df, tolerance)
    return records
