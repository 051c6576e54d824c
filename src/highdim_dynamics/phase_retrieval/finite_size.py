"""Finite-size analysis of success probabilities: logistic fit and cluster bootstrap.

P(success | alpha) is modelled as a logistic curve

    P(alpha) = 1 / (1 + exp(-(alpha - alpha_50) / width)),

fitted by maximum likelihood to binomial counts (one count per instance and alpha, so
that several initial conditions of one instance stay together).  The error bar of
alpha_50 (and of each P) comes from a cluster bootstrap: instances are resampled with
replacement within every alpha and the fit is redone (the 50% point vs p, with error
bars, shows the slow upward drift of the finite-size threshold, arXiv:2006.06997 Fig. 1).
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import minimize

from highdim_dynamics.core.validation import ParameterError, integer


def logistic(alpha, alpha_50: float, width: float) -> np.ndarray:
    """Logistic curve with 50% point ``alpha_50`` and width ``width`` (> 0)."""
    z = (np.asarray(alpha, dtype=float) - alpha_50) / width
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def fit_logistic(alpha, successes, trials) -> tuple[float, float]:
    """Maximum-likelihood logistic fit to binomial counts; returns ``(alpha_50, width)``.

    Parameters
    ----------
    alpha, successes, trials : array_like
        One entry per count (any number of entries per alpha value).
    """
    a = np.asarray(alpha, dtype=float)
    k = np.asarray(successes, dtype=float)
    n = np.asarray(trials, dtype=float)
    if a.size < 2 or np.any(n <= 0) or np.any(k < 0) or np.any(k > n):
        raise ParameterError(
            "fit_logistic needs >= 2 counts with 0 <= successes <= trials, trials > 0"
        )
    frac = k.sum() / n.sum()
    a50_0 = float(np.interp(0.5, *_monotone(a, k / n))) if 0 < frac < 1 else float(np.mean(a))
    span = float(a.max() - a.min()) or 1.0

    def nll(theta):
        a50, logw = theta
        z = (a - a50) / np.exp(logw)
        # log P = -log(1+e^{-z}); log(1-P) = -log(1+e^{z})
        return float(np.sum(k * np.logaddexp(0.0, -z) + (n - k) * np.logaddexp(0.0, z)))

    # widths are bounded below by span/200 (a perfect step is otherwise a degenerate optimum)
    res = minimize(
        nll,
        x0=[a50_0, np.log(span / 8)],
        method="L-BFGS-B",
        bounds=[(a.min() - span, a.max() + span), (np.log(span / 200), np.log(10 * span))],
    )
    return float(res.x[0]), float(np.exp(res.x[1]))


def _monotone(a, f):
    order = np.argsort(a)
    a, f = a[order], f[order]
    f = np.maximum.accumulate(f)  # np.interp needs increasing x: interpolate alpha(f)
    fu, idx = np.unique(f, return_index=True)
    return fu, a[idx]


def bootstrap_logistic(alpha, successes, trials, *, n_boot: int, rng: np.random.Generator):
    """Cluster bootstrap of :func:`fit_logistic` (resampling counts within each alpha).

    Returns
    -------
    fit : tuple
        ``(alpha_50, width)`` fitted on the data.
    alpha_50_std : float
        Bootstrap standard deviation of alpha_50.
    """
    n_boot = integer("n_boot", n_boot, minimum=2)
    a = np.asarray(alpha, dtype=float)
    k = np.asarray(successes, dtype=float)
    n = np.asarray(trials, dtype=float)
    fit = fit_logistic(a, k, n)
    groups = [np.flatnonzero(a == v) for v in np.unique(a)]
    a50 = np.empty(n_boot)
    for b in range(n_boot):
        idx = np.concatenate([rng.choice(g, size=g.size, replace=True) for g in groups])
        a50[b] = fit_logistic(a[idx], k[idx], n[idx])[0]
    return fit, float(np.std(a50, ddof=1))


def cluster_bootstrap_std(successes, trials, *, n_boot: int, rng: np.random.Generator) -> float:
    """Bootstrap standard error of sum(successes)/sum(trials) resampling clusters (instances)."""
    k = np.asarray(successes, dtype=float)
    n = np.asarray(trials, dtype=float)
    if k.size < 2:
        p = k.sum() / n.sum()
        return float(np.sqrt(max(p * (1 - p), 0.25 / n.sum()) / n.sum()))
    idx = rng.integers(0, k.size, size=(n_boot, k.size))
    p = k[idx].sum(axis=1) / n[idx].sum(axis=1)
    return float(np.std(p, ddof=1))
