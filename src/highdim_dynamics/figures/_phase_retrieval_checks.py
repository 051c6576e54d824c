"""Checks of the computed threshold lines shared by the phase-retrieval figures.

The lines alpha_IT, alpha_AMP (generalised linear model, Barbier et al., PNAS 2019) and
alpha_GD (BBP instability of the marginal 1RSB states, arXiv:2006.06997) of a figure's
``theory`` rows are compared with routes independent of the ones that computed them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from highdim_dynamics.core.checking import compare, require
from highdim_dynamics.phase_retrieval.bayes_optimal import iterate_state_evolution
from highdim_dynamics.phase_retrieval.threshold_states import hessian_edge_offset, threshold_state


def theory_line(df: pd.DataFrame, line: str) -> float:
    """The (unique) alpha of a ``theory`` row (shards of a figure repeat identical rows)."""
    vals = df[(df.method == "theory") & (df.line == line)].alpha.unique()
    if len(vals) != 1:
        raise AssertionError(f"expected one value of the theory line {line}, got {vals.tolist()}")
    return float(vals[0])


def check_bayes_lines(records: list, df: pd.DataFrame, tolerance: dict) -> None:
    """alpha_IT / alpha_AMP rows against the state evolution iterated on both sides.

    * alpha_AMP (spinodal of the fixed points): from a small overlap q0 = 1e-3 the iteration
      must stop at a fixed point q* < 1 at alpha_AMP (1 - ``amp_rtol``) and reach q = 1 at
      alpha_AMP (1 + ``amp_rtol``);
    * alpha_IT (free entropy at q -> 1): from 1 - q0 = 1e-8 the iteration must leave q = 1 at
      alpha_IT (1 - ``it_rtol``) and converge to it at alpha_IT (1 + ``it_rtol``);
    * both inside the literature windows ``alpha_it_window``, ``alpha_amp_window`` (a sanity
      bound only: Barbier et al.'s alpha_IT = 1 and alpha_alg ~ 1.13).

    Appends one record per comparison to ``records``.
    """
    a_amp, a_it = theory_line(df, "alpha_AMP"), theory_line(df, "alpha_IT")
    for name, a, win in (
        ("alpha_IT", a_it, "alpha_it_window"),
        ("alpha_AMP", a_amp, "alpha_amp_window"),
    ):
        lo, hi = tolerance[win]
        compare(
            records,
            f"{name} (literature window [{lo}, {hi}])",
            a,
            (lo + hi) / 2,
            (hi - lo) / 2,
            reference_name="Barbier et al., PNAS 2019 (alpha_IT = 1, alpha_alg ~ 1.13)",
        )
    runs = [
        ("alpha_AMP", a_amp, tolerance["amp_rtol"], 1.0 - 1e-3, {}, ("fixed_point", "perfect")),
        (
            "alpha_IT",
            a_it,
            tolerance["it_rtol"],
            1e-8,
            dict(V_low=1e-10, V_high=1e-6),
            ("escaped", "perfect"),
        ),
    ]
    for name, a, e, V0, kw, expected in runs:
        for sgn, want in zip((-1, 1), expected, strict=True):
            got = iterate_state_evolution(a * (1 + sgn * e), V0, **kw)["outcome"]
            require(
                records,
                f"state evolution from 1 - q0 = {V0:g} at {name} (1 {'-+'[sgn > 0]} {e}) "
                f"with {name} = {a:.6f}: outcome {want}",
                int(got != want),
                reference_name="AMP state evolution iterated (independent of the fixed-point "
                "and free-entropy routes)",
                detail=f"got {got}, expected {want}",
            )


def check_gd_line(records: list, df: pd.DataFrame, tolerance: dict) -> None:
    """alpha_GD row against the BBP criterion of threshold states on a finer quadrature.

    The criterion, recomputed with the quadrature ``gd_quadrature``, must change sign
    between alpha_GD (1 -/+ ``gd_rtol``); the Lu–Li Hessian edge of those states must equal
    the jump term of the resolvent identity within ``edge_rtol`` (relative).  Appends one
    record per comparison to ``records``.
    """
    a_gd = theory_line(df, "alpha_GD")
    e, quad = tolerance["gd_rtol"], tuple(tolerance["gd_quadrature"])
    ref = f"BBP criterion of marginal 1RSB states, finer quadrature {list(quad)}"
    states = []
    for sgn in (-1, 1):
        st = threshold_state(a_gd * (1 + sgn * e), quadrature=quad)
        require(
            records,
            f"sign of the BBP criterion at alpha_GD (1 {'-+'[sgn > 0]} {e}) with "
            f"alpha_GD = {a_gd:.4f}: {sgn:+d}",
            int(np.sign(st.criterion) != sgn),
            reference_name=ref,
            detail=f"criterion {st.criterion:.3g}",
        )
        states.append(st)
    for st in states:
        off = hessian_edge_offset(st)
        compare(
            records,
            f"Lu–Li Hessian edge of the threshold states at alpha = {st.alpha:.4f}",
            off["edge"],
            off["jump_term"],
            tolerance["edge_rtol"],
            relative=True,
            reference_name="jump term of the resolvent identity",
        )
