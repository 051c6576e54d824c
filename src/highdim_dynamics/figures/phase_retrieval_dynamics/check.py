"""Check of ``phase_retrieval_dynamics``: the adaptive step against a fixed small step."""

from __future__ import annotations

import numpy as np
import pandas as pd

from highdim_dynamics.core import numerics
from highdim_dynamics.core.checking import at_most, compare, require

REFERENCE = "the same flow integrated with a fixed step a tenth of the initial adaptive step"
#: L/n below which a run is at the global minimum (zero loss up to the gradient tolerance).
ZERO_LOSS = 1e-10


def crossing_time(g: pd.DataFrame, level: float) -> float:
    """First time |m| reaches ``level``, interpolated linearly in log t between records
    (:func:`~highdim_dynamics.core.numerics.crossing_time` on ln t); NaN if never."""
    h = g[g.t > 0]
    log_t = numerics.crossing_time(np.log(h.t.to_numpy()), h.overlap.to_numpy(), level)
    return float(np.exp(log_t)) if np.isfinite(log_t) else np.nan


def check(df: pd.DataFrame, params: dict, tolerance: dict) -> list:
    """Adaptive step vs fixed small-step integration of the same flow (same data, same start).

    Reference: the fixed-step run (a tenth of the initial adaptive step, an independent
    discretisation).  Per alpha, every run whose reference reached a critical point must
    end in the same state (status, |m| within ``overlap_atol``, L/n within ``loss_rtol``
    unless both are below 1e-10), and the flow time at which |m| first exceeds 0.5 must
    agree within ``time_rtol`` (relative) where both runs cross it.  Successful runs must
    reach L/n < 1e-10 (global minimum) and the loss must never increase along a trajectory.
    """
    records: list = []
    for alpha, ga in df.groupby("alpha"):
        increases, status, ov, loss, t_cross, success_loss = [], [], [], [], [], []
        for run, g in ga.groupby("run"):
            a, b = g[g.method == "simulation"], g[g.method == "fixed_step"]
            if a.empty or b.empty:
                raise AssertionError(
                    f"alpha={alpha} run={run}: missing simulation or fixed_step rows"
                )
            if np.any(np.diff(a.loss.values) > 1e-12 * a.loss.values[:-1]):
                increases.append(run)
            ea, eb = a.iloc[-1], b.iloc[-1]
            if eb.status != "unresolved":  # the reference reached the critical point: compare
                status.append((run, ea.status, eb.status))
                ov.append((ea.overlap, eb.overlap))
                if max(ea.loss, eb.loss) > ZERO_LOSS:
                    loss.append((ea.loss, eb.loss))
            if ea.status == "success":
                success_loss.append(ea.loss)
            ta, tb = crossing_time(a, 0.5), crossing_time(b, 0.5)
            if np.isfinite(ta) and np.isfinite(tb):
                t_cross.append((ta, tb))
        where = f"alpha = {alpha:g}"
        require(
            records,
            f"loss increases along an adaptive-step trajectory, {where}",
            len(increases),
            reference_name="gradient flow: L non-increasing",
            detail=f"runs {increases}",
        )
        bad = [s for s in status if s[1] != s[2]]
        require(
            records,
            f"end status differs from the reference's, {where}",
            len(bad),
            reference_name=REFERENCE,
            detail=f"(run, status, reference status): {bad}",
        )
        pairs = (
            ("end |m|", ov, "overlap_atol", False),
            ("end L/n at non-zero loss (relative)", loss, "loss_rtol", True),
            ("time at which |m| first exceeds 0.5 (relative)", t_cross, "time_rtol", True),
        )
        for quantity, pairs_of_runs, tol, relative in pairs:
            if pairs_of_runs:  # (adaptive, reference) per run
                m, r = np.array(pairs_of_runs).T
                compare(
                    records,
                    f"{quantity}, {where}",
                    m,
                    r,
                    tolerance[tol],
                    relative=relative,
                    reference_name=REFERENCE,
                )
        if success_loss:
            at_most(
                records,
                f"end L/n of successful runs, {where}",
                success_loss,
                ZERO_LOSS,
                reference_name="zero loss at the signal (global minimum)",
            )
    if not records:
        raise AssertionError("phase_retrieval_dynamics: no runs in the data")
    return records
