"""Numerical helpers shared by the solvers and the figures.

* :func:`crossing_time`: first time a sampled curve reaches a level (linear interpolation
  in t, optionally in ln c for exponential growth) -- the escape times t(C̄ = level) of the
  spiked DMFT (PRX 2020, Sec. IV) and of the simulations;
* :func:`richardson` and :func:`richardson_extrapolation`: Richardson extrapolation of a
  quantity computed at steps h, h/r, ... with error X(h) = X0 + a h^order + ...;
* :func:`power_law_divergence_fit`: the fit t = A |x − x*|^(−θ) of times that diverge at a
  threshold x* (escape and convergence times near an algorithmic threshold).
"""

from __future__ import annotations

import math
import warnings

import numpy as np
from scipy.optimize import OptimizeWarning, curve_fit

from highdim_dynamics.core.errors import ParameterError


def crossing_time(t, c, level, *, log=False) -> float:
    """First time the sampled curve c(t) reaches ``level`` (c >= level); inf if never.

    Interpolates t linearly between the two samples around the crossing, in c or, with
    ``log=True``, in ln c (exact for exponential growth; c is floored at 1e-300).  Returns
    t[0] if c[0] already reaches the level.
    """
    c = np.asarray(c)
    above = np.flatnonzero(c >= level)
    if len(above) == 0:
        return math.inf
    k = above[0]
    if k == 0:
        return float(t[0])
    if log:
        y0, y1 = np.log(max(c[k - 1], 1e-300)), np.log(c[k])
        return float(t[k - 1] + (np.log(level) - y0) * (t[k] - t[k - 1]) / (y1 - y0))
    return float(t[k - 1] + (level - c[k - 1]) * (t[k] - t[k - 1]) / (c[k] - c[k - 1]))


def richardson(coarse, fine, ratio=2.0, order=2):
    """Richardson extrapolation from results at steps h and h/ratio (scalars or arrays).

    Assumes X(h) = X0 + a h^order + O(h^(order+1)); returns
    X(h/ratio) + (X(h/ratio) - X(h)) / (ratio^order - 1).
    """
    fine = np.asarray(fine, float)
    return fine + (fine - np.asarray(coarse, float)) / (ratio**order - 1.0)


def richardson_extrapolation(values, steps, order=2) -> dict:
    """Richardson extrapolation of values computed with steps h, h/r, h/r², ...

    Assumes X(h) = X0 + a h^order + O(h^(order+1)).  Uses the two finest steps for the
    extrapolated value; with three or more steps also returns the observed order
    log((X1 - X2)/(X2 - X3))/log r of the three finest and, as the error estimate, the
    difference between the extrapolations of the two finest pairs (with two steps, the size
    of the Richardson correction).  Keys: ``extrapolated, correction, observed_order, error``.
    """
    t = np.asarray(values, float)
    hs = np.asarray(steps, float)
    if len(t) < 2 or len(t) != len(hs):
        raise ParameterError(
            "richardson_extrapolation needs >= 2 values and as many steps, "
            f"got {len(t)} values and {len(hs)} steps"
        )
    r = hs[-2] / hs[-1]
    ext = [float(richardson(t[k], t[k + 1], r, order)) for k in range(len(t) - 1)]
    out = dict(extrapolated=float(ext[-1]), correction=float(ext[-1] - t[-1]))
    if len(t) >= 3:
        out["observed_order"] = float(np.log((t[-3] - t[-2]) / (t[-2] - t[-1])) / np.log(r))
        out["error"] = float(abs(ext[-1] - ext[-2]))
    else:
        out["observed_order"] = np.nan
        out["error"] = float(abs(out["correction"]))
    return out


def power_law_divergence_fit(x, t, *, side: str) -> tuple[float, float]:
    """Fit t = A |x − x*|^(−θ) to the finite times; return (x*, θ) (NaN if < 3 points or no fit).

    ``side="below"``: the points lie below the threshold (x < x*, e.g. escape times in Δ2
    below the Langevin threshold), x* is sought in (max x, 10 max x); ``side="above"``: they
    lie above it (x > x*, e.g. convergence times in 1/Δ2 above the gradient-flow line), x* in
    (0, min x).  Least squares on ln t (scipy ``curve_fit``, θ in [0.01, 20]).
    """
    if side not in ("below", "above"):
        raise ParameterError(f"side must be 'below' or 'above', got {side!r}")
    x = np.asarray(x, float)
    y = np.asarray(t, float)
    ok = np.isfinite(y)
    if ok.sum() < 3:
        return np.nan, np.nan
    x, y = x[ok], y[ok]
    sign = 1.0 if side == "below" else -1.0

    def model(x, log_a, star, theta):
        return log_a - theta * np.log(np.maximum(sign * (star - x), 1e-12))

    if side == "below":
        p0 = (np.log(y.min()), x.max() * 1.1, 1.0)
        bounds = ([-50, x.max() + 1e-6, 0.01], [50, 10 * x.max(), 20])
    else:
        p0 = (np.log(y.min()), 0.9 * x.min(), 1.0)
        bounds = ([-50, 0.0, 0.01], [50, x.min() - 1e-6, 20])
    try:
        with warnings.catch_warnings():  # 3 points, 3 parameters: no covariance (unused)
            warnings.simplefilter("ignore", OptimizeWarning)
            popt, _ = curve_fit(model, x, np.log(y), p0=p0, bounds=bounds, maxfev=20000)
    except RuntimeError:
        return np.nan, np.nan
    return float(popt[1]), float(popt[2])
