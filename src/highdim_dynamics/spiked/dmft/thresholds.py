"""Algorithmic thresholds of Langevin (T > 0) and gradient flow (T = 0) from the DMFT.

Criterion (threshold points of PRX 2020 from the DMFT): in the linear
regime C̄ → 0⁺ the overlap obeys ln C̄(t) = ln C̄(0) + ∫_0^t λ(s) ds, where the growth
rate λ(t) = d ln C̄/dt does not depend on C̄(0) (the feedback of C̄ on C, R and μ is
O(C̄²)).  We run the DMFT engine (:func:`highdim_dynamics.spiked.dmft.solve_dmft` at its converged defaults) from
C̄(0) = 1e-200, so that the linear regime lasts for the whole run (stopped if C̄ reaches
1e-3), and measure the *late-time growth rate*

    λ_late(Δ2) = slope of ln C̄(t) over t ∈ [t_max/2, t_max]   (least squares).

Below the threshold λ(t) tends to λ_∞ > 0; above it λ(t) → 0⁺ (the overlap still
escapes at fixed C̄(0), with a stretched-exponential growth, which is why an escape-time
fit at fixed C̄(0) is biased).  λ_late(Δ2) on a grid of Δ2 spanning the region below
and around the expected threshold is fitted by a straight line and its zero gives Δ2*.
At accessible t_max (10³) λ(t) is still decaying (as a power of t, with a similar
exponent at all Δ2), so λ_late(Δ2) is convex and the zero of a straight line depends on
the fitted range: the error bar is the largest change of Δ2* when the largest or the
smallest Δ2 is dropped, or when the measuring window is halved in time
(:func:`extrapolate_threshold`).  It is a systematic error bar of the criterion, not a
statistical one; the engine's own error (growth rates to 0.2%) is far below it.

The escape-time alternative (fixed C̄(0)): t_esc(Δ2) = first time C̄ reaches
``escape_level``; a fit t_esc = A (Δ2* − Δ2)^(−θ)
(:func:`highdim_dynamics.core.numerics.power_law_divergence_fit`) is shown for comparison.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from highdim_dynamics.core.numerics import crossing_time, power_law_divergence_fit
from highdim_dynamics.core.progress import Progress
from highdim_dynamics.core.validation import (
    ParameterError,
    in_interval,
    integer,
    nonnegative,
    positive,
    sequence,
)
from highdim_dynamics.spiked.dmft import solve_dmft

#: C̄(0) of the linear-regime runs and the level at which they are stopped.
LINEAR_CBAR0 = 1e-200
LINEAR_STOP = 1e-3


def growth_rate(df: pd.DataFrame) -> np.ndarray:
    """λ(t) = d ln C̄/dt on the (non-uniform) time grid of a DMFT frame."""
    t = df["t"].to_numpy()
    return np.gradient(np.log(np.abs(df["cbar"].to_numpy())), t)


def escape_time(df: pd.DataFrame, level: float = 0.3) -> float:
    """First time C̄(t) of a DMFT frame reaches ``level`` (linear interpolation); inf if never."""
    level = in_interval("level", level, 0.0, 1.0)
    return crossing_time(df["t"].to_numpy(), df["cbar"].to_numpy(), level)


def window_slope(t: np.ndarray, y: np.ndarray, t_lo: float, t_hi: float) -> float:
    """Least-squares slope of y(t) over t_lo <= t <= t_hi (NaN if fewer than 4 points)."""
    m = (t >= t_lo) & (t <= t_hi)
    if m.sum() < 4:
        return np.nan
    return float(np.polyfit(t[m], y[m], 1)[0])


def late_growth_rates(p, delta2, delta_p, *, temperature=1.0, t_max=2000.0, **accuracy) -> dict:
    """Late-time growth rates of the linear regime (C̄(0) = 1e-200) at one (Δ2, Δp).

    One :func:`highdim_dynamics.spiked.dmft.solve_dmft` run (``accuracy``: its settings, converged by default:
    growth rates within 0.2%, ``benchmarks/bench_dmft_engine.py``; without the companion
    run of its error estimate unless asked), stopped if C̄ reaches 1e-3.  Returns a dict with ``lambda_late`` (window [t_end/2, t_end]), ``lambda_early``
    (window [t_end/4, t_end/2]), ``t_end`` (last time reached: < t_max if C̄ hit 1e-3)
    and the frame ``df``.
    """
    accuracy.setdefault("error_estimate", False)  # its escape-time estimate is unused here
    df = solve_dmft(
        p,
        delta2,
        delta_p,
        temperature=temperature,
        cbar0=LINEAR_CBAR0,
        t_max=t_max,
        cbar_stop=LINEAR_STOP,
        **accuracy,
    )
    t = df["t"].to_numpy()
    y = np.log(df["cbar"].to_numpy())
    t_end = float(t[-1])
    return dict(
        lambda_late=window_slope(t, y, t_end / 2, t_end),
        lambda_early=window_slope(t, y, t_end / 4, t_end / 2),
        t_end=t_end,
        df=df,
    )


def _zero_of_fit(x, y, degree):
    """Zero of a polynomial fit of y(x) nearest to the data's largest x."""
    coef = np.polyfit(x, y, degree)
    roots = np.roots(coef)
    roots = roots[np.isreal(roots)].real
    if len(roots) == 0:
        return np.nan
    return float(roots[np.argmin(np.abs(roots - x.max()))])


def extrapolate_threshold(delta2, lam_late, lam_early, *, lambda_min=0.0) -> tuple[float, float]:
    """Δ2* from the zero of λ_late(Δ2) (linear fit), and its error bar (see module doc).

    Only points with λ_late > ``lambda_min`` enter (at least three are needed).  The
    central value is the zero of the linear fit on all of them.  λ_late(Δ2) is convex
    (it decays smoothly towards zero rather than crossing it at finite t_max), so the
    zero depends on which Δ2 are fitted: the error bar is the largest deviation from the
    central value among (i) the fit without the largest Δ2, (ii) the fit without the
    smallest Δ2, (iii) the same fit on λ_early (time window halved).
    """
    x = np.asarray(delta2, float)
    yl = np.asarray(lam_late, float)
    ye = np.asarray(lam_early, float)
    ok = np.isfinite(yl) & (yl > lambda_min)
    if ok.sum() < 3:
        raise ParameterError(
            "extrapolate_threshold needs at least three values of delta2 "
            f"with a positive late growth rate, got {ok.sum()}"
        )
    x, yl, ye = x[ok], yl[ok], ye[ok]
    order = np.argsort(x)
    x, yl, ye = x[order], yl[order], ye[order]
    star = _zero_of_fit(x, yl, 1)
    variants = [_zero_of_fit(x[:-1], yl[:-1], 1), _zero_of_fit(x[1:], yl[1:], 1)]
    if np.all(np.isfinite(ye)):
        variants.append(_zero_of_fit(x, ye, 1))
    err = float(max(abs(v - star) for v in variants if np.isfinite(v)))
    return star, err


def threshold_scan(
    p, delta_p, delta2_values, *, temperature=1.0, t_max=2000.0, progress=False, **accuracy
) -> pd.DataFrame:
    """Late growth rates at several Δ2 (one linear-regime DMFT run each).

    Returns a frame with columns ``p, delta_p, temperature, delta2, lambda_late,
    lambda_early, t_end``.
    """
    integer("p", p, minimum=3)
    positive("delta_p", delta_p)
    nonnegative("temperature", temperature)
    positive("t_max", t_max)
    delta2_values = sequence("delta2_values", delta2_values, positive)
    rows = []
    bar = Progress(f"threshold scan p={p} Δp={delta_p:g}", len(delta2_values)) if progress else None
    for d2 in delta2_values:
        r = late_growth_rates(p, d2, delta_p, temperature=temperature, t_max=t_max, **accuracy)
        rows.append(
            dict(
                p=p,
                delta_p=delta_p,
                temperature=temperature,
                delta2=d2,
                lambda_late=r["lambda_late"],
                lambda_early=r["lambda_early"],
                t_end=r["t_end"],
            )
        )
        if bar is not None:
            bar.update()
    return pd.DataFrame(rows)


def threshold_bracket_grid(center_inv_delta2, n_points=5, span=(0.65, 1.05)):
    """Δ2 values around a guessed threshold 1/Δ2 = center (fractions ``span`` of Δ2*)."""
    star = 1.0 / center_inv_delta2
    return list(star * np.linspace(span[0], span[1], n_points))


def dmft_threshold_points(
    p_values,
    delta_p_values,
    *,
    temperature,
    guess,
    t_max=1000.0,
    n_points=5,
    span=(0.65, 1.05),
    progress=False,
    **accuracy,
) -> pd.DataFrame:
    """DMFT threshold points at several (p, Δp) by the growth-rate extrapolation.

    ``guess(p, delta_p)`` returns a guess of 1/Δ2* used only to place the Δ2 grid
    (``n_points`` values at fractions ``span`` of the guessed Δ2*).  Returns ``p, delta_p, delta2, delta2_err, inv_delta2,
    inv_delta2_err`` (error propagated: δ(1/Δ2) = δΔ2/Δ2²).
    """
    p_values = sequence("p_values", p_values, integer, minimum=3)
    delta_p_values = sequence("delta_p_values", delta_p_values, positive)
    nonnegative("temperature", temperature)
    rows = []
    bar = (
        Progress(f"DMFT thresholds T={temperature:g}", len(p_values) * len(delta_p_values))
        if progress
        else None
    )
    for p in p_values:
        for dp in delta_p_values:
            grid = threshold_bracket_grid(guess(p, dp), n_points, span)
            scan = threshold_scan(p, dp, grid, temperature=temperature, t_max=t_max, **accuracy)
            star, err = extrapolate_threshold(scan.delta2, scan.lambda_late, scan.lambda_early)
            rows.append(
                dict(
                    p=p,
                    delta_p=dp,
                    delta2=star,
                    delta2_err=err,
                    inv_delta2=1.0 / star,
                    inv_delta2_err=err / star**2,
                )
            )
            if bar is not None:
                bar.update()
    return pd.DataFrame(rows)


def gradient_flow_dmft_threshold_points(
    p_values, delta_p_values, *, t_max=400.0, n_points=5, progress=False
) -> pd.DataFrame:
    """Gradient-flow (T = 0) DMFT threshold points, for ``gradient_flow_phase_diagram``.

    Parameters
    ----------
    p_values : list of int
        Tensor orders (>= 3).
    delta_p_values : list of float
        Tensor noise variances (> 0).
    t_max : float
        Length of each linear-regime DMFT run (:func:`late_growth_rates`, engine defaults).
    n_points : int
        Number of Δ2 values per point (below the closed-form line, used only to place
        them).

    Returns
    -------
    pandas.DataFrame
        ``p, delta_p, inv_delta2, inv_delta2_err`` (plus ``delta2, delta2_err``): the
        zero of the late growth rate of C̄ in the linear regime (module docstring).
    """
    from highdim_dynamics.spiked.theory.algorithmic_lines import gradient_flow_line

    return dmft_threshold_points(
        p_values,
        delta_p_values,
        temperature=0.0,
        guess=gradient_flow_line,
        t_max=t_max,
        n_points=n_points,
        progress=progress,
    )


# ----------------------------------------------------------------------------------------
# gradient-flow line from the convergence time (Passed & Spurious, ICML 2019, Fig. 1)
# ----------------------------------------------------------------------------------------
#: Convergence criterion of :func:`gradient_flow_convergence_points`: first time C̄ = 0.3
#: from C̄(0) = 1e-4.
CONVERGENCE_LEVEL = 0.3
CONVERGENCE_CBAR0 = 1e-4
#: The convergence-time runs stop once C̄ passes this level (past the criterion).
CONVERGENCE_STOP = 0.5
#: 1/Δ2 of the convergence-time runs, as multiples of the guessed gradient-flow line.
CONVERGENCE_FACTORS = (1.1, 1.15, 1.25, 1.5)


def convergence_times(
    p, delta_p, inv_delta2_values, *, cbar0=CONVERGENCE_CBAR0, t_max=2000.0
) -> pd.DataFrame:
    """Gradient-flow (T = 0) convergence times t(C̄ = 0.3) from C̄(0) = ``cbar0``.

    One :func:`highdim_dynamics.spiked.dmft.solve_dmft` run per 1/Δ2 at the engine's default step (``t_conv``,
    within 0.1% at T = 0; stopped at C̄ = 0.5) and one at twice that step (``t_conv_coarse``, for the error
    bar of :func:`gradient_flow_convergence_points`); inf when a run has not converged by
    ``t_max``.  Returns ``inv_delta2, t_conv, t_conv_coarse``.
    """
    rows = []
    for x in sequence("inv_delta2_values", inv_delta2_values, positive):
        kw = dict(
            temperature=0.0,
            cbar0=cbar0,
            t_max=t_max,
            cbar_stop=CONVERGENCE_STOP,
            error_estimate=False,
        )
        df = solve_dmft(p, 1.0 / x, delta_p, **kw)
        coarse = solve_dmft(p, 1.0 / x, delta_p, step=df.attrs["accuracy"]["coarse_step"], **kw)
        rows.append(
            dict(
                inv_delta2=x,
                t_conv=df.attrs["escape_times"][CONVERGENCE_LEVEL],
                t_conv_coarse=coarse.attrs["escape_times"][CONVERGENCE_LEVEL],
            )
        )
    return pd.DataFrame(rows)


def gradient_flow_convergence_points(
    p_values,
    delta_p_values,
    *,
    factors=CONVERGENCE_FACTORS,
    cbar0=CONVERGENCE_CBAR0,
    t_max=2000.0,
    progress=False,
) -> pd.DataFrame:
    """Gradient-flow line from the divergence of the T = 0 DMFT convergence time.

    As Passed & Spurious (ICML 2019, Fig. 1): at each (p, Δp) the convergence time
    t(C̄ = 0.3) from C̄(0) = ``cbar0`` (:func:`convergence_times`) at 1/Δ2 = ``factors`` times
    the closed-form line (used only to place the runs) is fitted by t = A (1/Δ2 − x*)^(−θ)
    and x* is the point.  Error bar: the largest change of x* when the nearest or the
    farthest 1/Δ2 is dropped, or when the times at twice the step replace the default
    ones.  At fixed C̄(0) the overlap escapes below the line too (the time grows like a
    stretched exponential rather than diverging), so x* is a biased estimate of the line,
    unlike the growth-rate points (:func:`gradient_flow_dmft_threshold_points`).

    Returns ``(points, times)``: ``p, delta_p, inv_delta2, inv_delta2_err, theta`` and the
    convergence times ``p, delta_p, inv_delta2, t_conv, t_conv_coarse``.
    """
    from highdim_dynamics.spiked.theory.algorithmic_lines import gradient_flow_line

    p_values = sequence("p_values", p_values, integer, minimum=3)
    delta_p_values = sequence("delta_p_values", delta_p_values, positive)
    factors = sequence("factors", factors, positive)
    if len(factors) < 4 or min(factors) <= 1.0:
        raise ParameterError(f"factors needs >= 4 values > 1, got {list(factors)!r}")
    rows, times = [], []
    bar = (
        Progress("GF convergence-time points", len(p_values) * len(delta_p_values))
        if progress
        else None
    )
    for p in p_values:
        for dp in delta_p_values:
            x = np.sort(gradient_flow_line(p, dp) * np.asarray(factors, float))
            tc = convergence_times(p, dp, x, cbar0=cbar0, t_max=t_max)
            star, theta = power_law_divergence_fit(tc.inv_delta2, tc.t_conv, side="above")
            alt = [
                power_law_divergence_fit(tc.inv_delta2[1:], tc.t_conv[1:], side="above")[0],
                power_law_divergence_fit(tc.inv_delta2[:-1], tc.t_conv[:-1], side="above")[0],
                power_law_divergence_fit(tc.inv_delta2, tc.t_conv_coarse, side="above")[0],
            ]
            err = float(np.nanmax(np.abs(np.asarray(alt) - star)))
            rows.append(dict(p=p, delta_p=dp, inv_delta2=star, inv_delta2_err=err, theta=theta))
            times.append(tc.assign(p=p, delta_p=dp))
            if bar is not None:
                bar.update()
    return pd.DataFrame(rows), pd.concat(times, ignore_index=True)
