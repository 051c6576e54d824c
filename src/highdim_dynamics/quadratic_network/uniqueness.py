"""Exact uniqueness of the zero-loss PSD matrix for a rank-one teacher (arXiv:2006.15459).

For A* = x* x*^T, A* is the only element of M = {A psd : x_k^T A x_k = y_k} iff
max{tr(P_perp A) : A in M} = 0 (P_perp: projector orthogonal to x*).  The paper shows
uniqueness holds with positive probability iff alpha > 2 (so a failure of the flow below
alpha = 2 at m >= d is non-uniqueness, not trapping).  The semidefinite program is solved
in its dual form (CVXOPT; Clarabel and SCS through cvxpy) with a certificate verified by exact linear algebra.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from highdim_dynamics.core.validation import ParameterError, integer, positive
from highdim_dynamics.quadratic_network.model import sample_instance

SDP_SOLVERS = ("CVXOPT", "CLARABEL", "SCS")
#: A relative certificate above this proves uniqueness: it exceeds the rounding error of the
#: projection and of the eigenvalue computation (~ d * 1e-16 of the dual matrix's norm) by >= 100.
CERTIFICATE_MIN = 1.0e-12


def _certificate(X: np.ndarray, u: np.ndarray, c: np.ndarray) -> tuple[float, float]:
    """Verify a dual point c of the uniqueness program by exact linear algebra.

    c is projected onto {Z(c) u = 0}, Z(c) = sum_k c_k x_k x_k^T.  Returns the smallest
    eigenvalue lambda of Z on u-perp relative to |Z(c)|_2 before the projection (the
    certificate), and the dual bound it gives when the certificate exceeds
    :data:`CERTIFICATE_MIN`: then t c with t = 1 / lambda is dual feasible (Z(t c) >= P_perp
    up to rounding), so v <= y . (t c) = u^T Z u / lambda, zero up to rounding (inf
    otherwise)."""
    scale = max(float(np.linalg.norm(X.T @ (c[:, None] * X), 2)), 1e-300)
    G = (X * (X @ u)[:, None]).T  # Z(c) u = G c
    c = c - G.T @ np.linalg.lstsq(G @ G.T, G @ c, rcond=None)[0]
    Q = np.linalg.qr(np.column_stack([u, np.eye(len(u))]))[0][:, 1:]
    XQ = X @ Q
    lam = float(np.linalg.eigvalsh(XQ.T @ (c[:, None] * XQ))[0])
    certificate = lam / scale
    if certificate <= CERTIFICATE_MIN:
        return certificate, np.inf
    return certificate, abs(float(c @ (X @ u) ** 2)) / lam  # |u^T Z u|: rounding either sign


def _solve_cvxopt(B: np.ndarray, y: np.ndarray, P: np.ndarray, tol: float):
    """min y . c subject to sum_k c_k B_k - P >= 0 by CVXOPT's primal-dual interior-point
    SDP solver; returns (status, objective, c), status None when it did not converge."""
    from cvxopt import matrix, solvers

    opts = dict(show_progress=False, abstol=tol, reltol=tol, feastol=tol, maxiters=100)
    try:
        sol = solvers.sdp(matrix(y), Gs=[matrix(-B)], hs=[matrix(-P)], options=opts)
    except (ArithmeticError, ValueError):  # a breakdown of the scaling near the optimum
        return None, np.nan, None
    if sol["status"] != "optimal":
        return None, np.nan, None
    return "optimal", float(sol["primal objective"]), np.asarray(sol["x"]).ravel()


def _solve_cvxpy(B: np.ndarray, y: np.ndarray, P: np.ndarray, tol: float, solver: str):
    """The same program through cvxpy with Clarabel or SCS; (status, objective, c)."""
    import warnings

    import cvxpy as cp

    d, n = P.shape[0], len(y)
    c = cp.Variable(n)
    prob = cp.Problem(cp.Minimize(y @ c), [cp.reshape(B @ c, (d, d), order="C") - P >> 0])
    opts = (
        dict(tol_gap_abs=tol, tol_gap_rel=tol, tol_feas=tol)
        if solver == "CLARABEL"
        else dict(eps_abs=tol, eps_rel=tol, max_iters=100_000)
    )
    try:
        with warnings.catch_warnings():  # 'optimal_inaccurate' is returned as the status
            warnings.simplefilter("ignore", UserWarning)
            prob.solve(solver=solver, **opts)
    except cp.error.SolverError:
        return None, np.nan, None
    if prob.status not in ("optimal", "optimal_inaccurate") or c.value is None:
        return None, np.nan, None
    return prob.status, float(prob.value), np.asarray(c.value)


def uniqueness_sdp(
    X: np.ndarray,
    x_star: np.ndarray,
    *,
    solver: str = "CVXOPT",
    tol: float = 1.0e-8,
    threshold: float = 1.0e-5,
) -> dict:
    """Is A* = x* x*^T the only psd matrix with x_k^T A x_k = (x_k . x*)^2 for all k?

    Exact uniqueness test of arXiv:2006.15459 for a rank-one teacher: A* is the unique
    element of M = {A psd : x_k^T A x_k = y_k} iff v = max{tr(P_perp A) : A in M} = 0, with
    P_perp = I - x* x*^T / |x*|^2.  The program is solved in its dual form,
    v = min{y . c : Z(c) = sum_k c_k x_k x_k^T >= P_perp} (strong duality: the dual is
    strictly feasible once the x_k span R^d, and M is compact), with y scaled by 1/|x*|^2
    so that the objective is v / tr A*.  Accuracy: the interior-point gap ``tol`` on v / tr A*.

    Independently of the solver's accuracy, its dual point c is projected exactly onto
    {Z(c) x* = 0} and the smallest eigenvalue of Z on the complement of x*, relative to
    |Z|_2, is returned: if it exceeds :data:`CERTIFICATE_MIN` (the rounding level), Z is psd
    with kernel x*, and every A in M has tr(Z A) = sum_k c_k y_k = x*^T Z x* = 0, hence
    A = A* (a proof of uniqueness).  The rescaled projected point is itself dual feasible,
    so the reported v is the smaller of the solver's optimum and the bound it gives (zero
    up to rounding).  Classification: unique iff v / tr A* < ``threshold``.

    Parameters
    ----------
    X : ndarray, shape (n, d)
        Inputs x_k as rows (n >= d: with n < d the set M is never a point).
    x_star : ndarray, shape (d,)
        The teacher vector (A* = x* x*^T), non-zero.
    solver : {"CVXOPT", "CLARABEL", "SCS"}
        ``CVXOPT`` (interior point on the n x n Schur complement, O(n d^3 + n^2 d^2) per
        iteration; absolute and relative gap and feasibility ``tol``), ``CLARABEL``
        (interior point through cvxpy, same tolerances, 20-40 times slower at d = 50) or
        ``SCS`` (first order, ``eps_abs = eps_rel = tol``; far less accurate near the
        threshold, whence the certificate).  If the interior-point solver does not
        converge, the next one in that order is tried.
    tol : float
        Solver tolerance, in (0, 1e-3].
    threshold : float
        Classification threshold on v / tr A*, > ``tol``.

    Returns
    -------
    dict
        ``objective`` (v / tr A*), ``certificate`` (smallest eigenvalue of the projected
        dual matrix on the complement of x*, relative to its norm; > CERTIFICATE_MIN proves
        uniqueness), ``unique`` (objective < threshold), ``status`` and ``solver`` (the one
        that answered).
    """
    from highdim_dynamics.core.validation import DivergenceError, choice, in_interval

    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.shape[0] < X.shape[1] or X.shape[1] < 2 or not np.all(np.isfinite(X)):
        raise ParameterError(
            f"X must be a finite (n, d) array with n >= d >= 2, got shape {X.shape}"
        )
    n, d = X.shape
    x_star = np.asarray(x_star, dtype=float)
    if x_star.shape != (d,) or not np.all(np.isfinite(x_star)) or not np.any(x_star):
        raise ParameterError(
            f"x_star must be a finite non-zero vector of length d = {d}, got shape {x_star.shape}"
        )
    solver = choice("solver", solver, SDP_SOLVERS)
    tol = in_interval("tol", tol, 0.0, 1.0e-3, closed="right")
    threshold = positive("threshold", threshold)
    if threshold <= tol:
        raise ParameterError(f"threshold must exceed tol = {tol!r}, got {threshold!r}")

    norm2 = float(x_star @ x_star)
    u = x_star / np.sqrt(norm2)
    y = (X @ u) ** 2  # labels of the unit-trace teacher u u^T
    P = np.eye(d) - np.outer(u, u)
    B = np.einsum("ki,kj->ijk", X, X).reshape(d * d, n)  # column k: vec(x_k x_k^T)
    for used in SDP_SOLVERS[SDP_SOLVERS.index(solver) :]:
        if used == "CVXOPT":
            status, v, c = _solve_cvxopt(B, y, P, tol)
        else:
            status, v, c = _solve_cvxpy(B, y, P, tol, used)
        if status is not None:
            break
    else:
        raise DivergenceError(
            f"uniqueness SDP: {solver} and the solvers after it in {SDP_SOLVERS} failed"
        )
    certificate, bound = _certificate(X, u, c)
    v = max(min(v, bound), 0.0)  # v >= 0 exactly (A* is feasible); clip the rounding
    return dict(
        objective=v,
        certificate=certificate,
        unique=bool(v < threshold),
        status=status,
        solver=used,
    )


def uniqueness_sdp_runs(
    *,
    d: int,
    alpha: float,
    n_runs: int,
    seed: int,
    solver: str = "CVXOPT",
    tol: float = 1.0e-8,
    threshold: float = 1.0e-5,
) -> pd.DataFrame:
    """:func:`uniqueness_sdp` on the rank-one instances of :func:`quadratic_network_flow`.

    Run r uses the instance of run r of ``quadratic_network_flow(d=d, m_star=1, alpha=alpha,
    n_runs=n_runs, seed=seed)`` (same teacher, same inputs), whatever the width and start.

    Parameters
    ----------
    d : int
        Input dimension (>= 2).
    alpha : float
        n / d, >= 1 (below, M is never a single point).
    n_runs, seed : int
        Number of instances and their seed.
    solver, tol, threshold
        As in :func:`uniqueness_sdp`.

    Returns
    -------
    DataFrame
        ``run, objective, certificate, unique, status, solver`` per instance.
    """
    from highdim_dynamics.core.seeding import spawn_generators

    d = integer("d", d, minimum=2)
    alpha = positive("alpha", alpha)
    if int(round(alpha * d)) < d:
        raise ParameterError(f"alpha must be >= 1 (n >= d), got {alpha!r}")
    n_runs = integer("n_runs", n_runs, minimum=1)
    rows = []
    for r, rng in enumerate(spawn_generators(seed, n_runs)):
        A, X, _ = sample_instance(d, 1, alpha, rng)
        lam, vec = np.linalg.eigh(A)
        out = uniqueness_sdp(
            X, vec[:, -1] * np.sqrt(lam[-1]), solver=solver, tol=tol, threshold=threshold
        )
        rows.append(dict(run=r, **out))
    return pd.DataFrame(rows)
