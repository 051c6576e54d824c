"""Lu--Li spectral theory: the outlier of D = (1/n) sum_mu T_mu a_mu a_mu^T.

Setting (Lu & Li, "Phase transitions of spectral initialization for high-dimensional
non-convex estimation", Inf. Inference 2020, Thm. 1): a_mu ~ N(0, I_p) i.i.d., a unit
signal xi, s_mu = a_mu . xi, and a pre-processed label T_mu whose law given the a's
depends only on s_mu (extra randomness independent of the a's is allowed);
n, p -> infinity with delta = n/p fixed.  With tau = sup T and, for lambda > tau,

    psi(lambda) = lambda (1/delta + E[T / (lambda - T)]),
    phi(lambda) = lambda E[s^2 T / (lambda - T)],
    psi'(lambda) = 1/delta - E[T^2 / (lambda - T)^2]       (psi is convex),
    phi'(lambda) = -E[s^2 T^2 / (lambda - T)^2],

let lambda_bar = argmin_{lambda > tau} psi (= tau if psi' >= 0 there).  The bulk edge
of D is psi(lambda_bar).  psi(lambda) = phi(lambda) is equivalent to

    g(lambda) := E[(s^2 - 1) T / (lambda - T)] = 1/delta,

and an outlier exists iff this has a root lambda* > lambda_bar, i.e. (g decreasing to 0)
iff the *outlier criterion* delta g(lambda_bar) - 1 is > 0.  Then the top eigenvalue
tends to psi(lambda*) and the squared overlap of the top eigenvector with xi to

    rho^2 = psi'(lambda*) / (psi'(lambda*) - phi'(lambda*));

otherwise rho^2 -> 0 and the top eigenvalue sticks to the bulk edge.

Test case: phase retrieval with T(y) = 1 - 1/y^2, y = |s|: sup T = 1, and at
lambda = 1, E[T^2/(1 - T)^2] = E[(s^2 - 1)^2] = 2 = g(1), so the criterion is 2 delta - 1
for delta <= 1/2: the transition is at exactly delta = 1/2 (the weak-recovery threshold
of real phase retrieval, Mondelli & Montanari 2018).

Expectations are sums over a discrete law (nodes s_k, T_k, weights w_k): Gauss--Hermite
quadrature for a closed-form T(y), or the empirical law of samples (e.g. the (s, T) pairs
of gradient-descent end points, T = 4 y^2 - 12 yhat^2: see :func:`endpoint_law`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.linalg import eigh
from scipy.optimize import brentq
from scipy.special import roots_hermitenorm

from highdim_dynamics.core.validation import DivergenceError, ParameterError, integer, positive


@dataclass(frozen=True)
class SpectralLaw:
    """Discrete joint law of (s, T) with weights summing to one and tau = sup T."""

    s: np.ndarray
    T: np.ndarray
    weights: np.ndarray
    tau: float

    def E(self, values) -> float:
        return float(np.dot(self.weights, values))


def law_from_preprocessing(
    T_of_y: Callable[[np.ndarray], np.ndarray], *, tau: float, n_nodes: int = 400
) -> SpectralLaw:
    """Gauss--Hermite law of (s, T(|s|)) for s ~ N(0, 1).

    Parameters
    ----------
    T_of_y : callable
        Pre-processing function of y = |s| (vectorised).
    tau : float
        sup of T over y > 0 (the domain of the Lu--Li functions is lambda > tau).
    n_nodes : int
        Number of (probabilists') Gauss--Hermite nodes; an even number avoids s = 0.
    """
    n_nodes = integer("n_nodes", n_nodes, minimum=2)
    x, w = roots_hermitenorm(n_nodes)
    w = w / w.sum()
    T = np.asarray(T_of_y(np.abs(x)), dtype=float)
    if np.any(T > tau):
        raise ParameterError(f"tau={tau} is below max T={T.max()} on the quadrature nodes")
    return SpectralLaw(s=x, T=T, weights=w, tau=float(tau))


def law_from_samples(s, T) -> SpectralLaw:
    """Empirical law of samples (s_k, T_k), equal weights, tau = max T_k."""
    s, T = np.asarray(s, dtype=float).ravel(), np.asarray(T, dtype=float).ravel()
    if s.size != T.size or s.size < 2:
        raise ParameterError("law_from_samples needs two equal-length arrays with >= 2 samples")
    return SpectralLaw(s=s, T=T, weights=np.full(s.size, 1.0 / s.size), tau=float(T.max()))


def _psi(law, lam, delta):
    return lam * (1.0 / delta + law.E(law.T / (lam - law.T)))


def _dpsi(law, lam, delta):
    return 1.0 / delta - law.E(law.T**2 / (lam - law.T) ** 2)


def _dphi(law, lam):
    return -law.E(law.s**2 * law.T**2 / (lam - law.T) ** 2)


def _g(law, lam):
    return law.E((law.s**2 - 1.0) * law.T / (lam - law.T))


def _scale(law) -> float:
    return max(1.0, float(np.sqrt(law.E(law.T**2))), abs(law.tau))


def _lambda_bar(law, delta) -> float:
    tau = law.tau
    if np.all(law.T < tau) and _dpsi(law, tau, delta) >= 0:
        return tau
    lo = tau + 1e-14 * _scale(law)
    while _dpsi(law, lo, delta) >= 0:  # only for empirical laws with a node at tau
        lo = tau + (lo - tau) * 1e-3
        if lo - tau < 1e-300:
            return tau
    hi = tau + _scale(law)
    while _dpsi(law, hi, delta) < 0:
        hi = tau + 2.0 * (hi - tau)
        if hi - tau > 1e12 * _scale(law):
            raise DivergenceError("Lu-Li: no minimum of psi found (law with unbounded T?)")
    return brentq(lambda x: _dpsi(law, x, delta), lo, hi, xtol=1e-14 * _scale(law), rtol=1e-14)


def lu_li_outlier(law: SpectralLaw, delta: float) -> dict:
    """Bulk edge, outlier and squared overlap of D = (1/n) sum T a a^T at ratio delta = n/p.

    Returns a dict with ``delta, tau, lambda_bar, bulk_edge, criterion`` (= delta
    g(lambda_bar) - 1; an outlier exists iff > 0), ``lambda_star, top_eigenvalue, overlap2``
    (``lambda_star`` NaN and ``top_eigenvalue = bulk_edge``, ``overlap2 = 0`` without outlier).
    """
    delta = positive("delta", delta)
    lam_bar = _lambda_bar(law, delta)
    edge = _psi(law, lam_bar, delta)
    crit = delta * _g(law, lam_bar) - 1.0
    out = dict(
        delta=delta,
        tau=law.tau,
        lambda_bar=lam_bar,
        bulk_edge=edge,
        criterion=crit,
        lambda_star=np.nan,
        top_eigenvalue=edge,
        overlap2=0.0,
    )
    if crit > 0:
        f = lambda x: _g(law, x) - 1.0 / delta  # noqa: E731
        hi = lam_bar + _scale(law)
        while f(hi) > 0:
            hi = lam_bar + 2.0 * (hi - lam_bar)
            if hi - lam_bar > 1e12 * _scale(law):
                raise DivergenceError("Lu-Li: no root of the outlier equation found")
        lam = brentq(f, lam_bar, hi, xtol=1e-14 * _scale(law), rtol=1e-14)
        dpsi, dphi = _dpsi(law, lam, delta), _dphi(law, lam)
        out.update(
            lambda_star=lam, top_eigenvalue=_psi(law, lam, delta), overlap2=dpsi / (dpsi - dphi)
        )
    return out


def lu_li_curve(law: SpectralLaw, delta_values) -> pd.DataFrame:
    """:func:`lu_li_outlier` on a grid of delta values, as a tidy frame."""
    return pd.DataFrame([lu_li_outlier(law, d) for d in delta_values])


def lu_li_transition(
    law: SpectralLaw, delta_low: float, delta_high: float, *, xtol: float = 1e-12
) -> float:
    """The delta at which the outlier criterion changes sign in [delta_low, delta_high].

    Examples
    --------
    >>> from highdim_dynamics.phase_retrieval import law_from_preprocessing, lu_li_transition
    >>> law = law_from_preprocessing(lambda y: 1 - 1 / y**2, tau=1.0)   # T(y) = 1 − 1/y²
    >>> round(lu_li_transition(law, 0.2, 0.9), 8)   # weak-recovery threshold 1/2
    0.5
    """
    f = lambda d: lu_li_outlier(law, d)["criterion"]  # noqa: E731
    flo, fhi = f(delta_low), f(delta_high)
    if flo * fhi > 0:
        raise ParameterError(
            f"the outlier criterion has the same sign at delta={delta_low} and "
            f"delta={delta_high} ({flo:.3g}, {fhi:.3g})"
        )
    return brentq(f, delta_low, delta_high, xtol=xtol, rtol=1e-14)


def optimal_phase_retrieval_law(n_nodes: int = 400) -> SpectralLaw:
    """The test law T = 1 - 1/y^2 (y = |s|), sup T = 1, transition at delta = 1/2."""
    return law_from_preprocessing(lambda y: 1.0 - 1.0 / y**2, tau=1.0, n_nodes=n_nodes)


def sample_spectrum(T_of_y: Callable, p: int, delta: float, rng: np.random.Generator) -> dict:
    """Finite-p top eigenvalue of D = (1/n) sum T(|a_1|) a a^T and squared overlap with e_1."""
    p = integer("p", p, minimum=2)
    n = max(1, int(round(positive("delta", delta) * p)))
    A = rng.standard_normal((n, p))
    T = T_of_y(np.abs(A[:, 0]))
    D = (A.T * (T / n)) @ A
    vals, vecs = eigh(D, subset_by_index=[p - 1, p - 1])  # top eigenpair only (LAPACK syevr)
    # Rounded to 7 significant digits: the multithreaded BLAS reduction order changes the last
    # ~3 digits with the thread count, and the CSV must not depend on it; these are
    # Monte-Carlo samples with O(p^{-1/2}) ~ 1e-2 fluctuations, so nothing is lost.
    return dict(
        p=p,
        delta=n / p,
        top_eigenvalue=float(f"{vals[-1]:.7g}"),
        overlap2=float(f"{vecs[0, -1] ** 2:.7g}"),
    )


def endpoint_samples(instance, w: np.ndarray) -> dict:
    """Lu--Li inputs at a point w of the sphere (arXiv:2006.06997 threshold-state BBP analysis).

    The tangent Hessian at w is H_t = sum_mu l''_mu P X_mu X_mu^T P - mu_L, with
    l'' = 12 yhat^2 - 4 y^2.  With a_mu = sqrt(p) P X_mu (Gaussian in the tangent plane if
    w were independent of X), H_t = -(n/p) D_T - mu_L for D_T = (1/n) sum T a a^T and
    T = 4 y^2 - 12 yhat^2 (= -l''); the signal direction in the tangent plane is
    v = P w* / |P w*| and s_mu = a_mu . v.  The smallest eigenvalues of H_t are thus
    -(n/p) x (the largest of D_T) - mu_L, and an outlier of D_T toward v is an unstable
    direction toward the signal.

    Returns ``dict(s, T, mu_L, v, overlap)``.
    """
    X, y = instance.X, instance.y
    p = instance.p
    w = np.asarray(w, dtype=float) * np.sqrt(p) / np.linalg.norm(w)
    yhat = X @ w
    grad = 4.0 * (X.T @ (yhat * (yhat**2 - y**2)))
    mu_l = float(w @ grad) / p
    m = float(instance.w_star @ w) / p
    v = instance.w_star - m * w
    v /= np.linalg.norm(v)
    s = np.sqrt(p) * (X @ v)
    return dict(s=s, T=4.0 * y**2 - 12.0 * yhat**2, mu_L=mu_l, v=v, overlap=m)
