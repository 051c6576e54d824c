"""Exact uniqueness of the zero-loss PSD matrix for a rank-one teacher (arXiv:2006.15459).

For A* = x* x*^T, A* is the only element of M = {A psd : x_k^T A x_k = y_k} iff
max{tr(P_perp A) : A in M} = 0 (P_perp: projector orthogonal to x*).  The paper shows
uniqueness holds with positive probability iff alpha > 2 (so a failure of the flow below
alpha = 2 at m >= d is non-uniqueness, not trapping).  The semidefinite program is solved
in its dual form (CVXOPT; Clarabel and SCS through cvxpy); its dual point gives a verified
upper bound on the optimum and, where it proves uniqueness, a certificate checked by exact
linear algebra.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from highdim_dynamics.core.validation import ParameterError, integer, positive
from highdim_dynamics.quadratic_network.model import sample_instance

SDP_SOLVERS = ("CVXOPT", "CLARABEL", "SCS")
_EPS = np.finfo(float).eps


def _dual_bound(X: np.ndarray, y: np.ndarray, P: np.ndarray, c: np.ndarray, trace_max: float):
    """Upper bound on v from any dual point c, by weak duality.

    For A in M, tr(P_perp A) = y . c - tr((Z(c) - P_perp) A) <= y . c + max(-e, 0) tr A, with
    e the smallest eigenvalue of Z(c) - P_perp and tr A <= ``trace_max``.  Exact up to the
    rounding of the eigenvalue computation (backward error ~ eps |Z|)."""
    e = float(np.linalg.eigvalsh(X.T @ (c[:, None] * X) - P)[0])
    return float(y @ c) + (-e * trace_max if e < 0 else 0.0)


def _certificate(X: np.ndarray, u: np.ndarray, c: np.ndarray):
    """Project a dual point onto {Z(c) u = 0} and test whether it proves uniqueness.

    Z(c) = sum_k c_k x_k x_k^T.  After an orthogonal projection of c onto the null space of
    c -> Z(c) u, lambda is the smallest eigenvalue of Z on u-perp.  The exact projection
    differs from the computed one by at most |Z(c) u| / sigma_min(G) (G c = Z(c) u), which
    moves lambda by at most |X|_2^2 times that, and the eigenvalue itself carries a rounding
    error below d eps |Z|: if lambda exceeds both, the exactly projected Z is psd with kernel
    u, and every A in M has tr(Z A) = y . c = u^T Z u = 0, hence A = A* (a proof).

    Returns the projected c, lambda, lambda / |Z|_2 (the relative certificate) and whether
    it is a proof."""
    G = (X * (X @ u)[:, None]).T  # Z(c) u = G c
    Qg, sg, _ = np.linalg.svd(G.T, full_matrices=False)
    c = c - Qg @ (Qg.T @ c)
    Zc = X.T @ (c[:, None] * X)
    scale = max(float(np.linalg.norm(Zc, 2)), 1e-300)
    Q = np.linalg.qr(np.column_stack([u, np.eye(len(u))]))[0][:, 1:]
    lam = float(np.linalg.eigvalsh(Q.T @ Zc @ Q)[0])
    moved = np.linalg.norm(X, 2) ** 2 * np.linalg.norm(G @ c) / max(sg[-1], 1e-300)
    return c, lam, lam / scale, bool(lam > moved + len(u) * _EPS * scale)


def _solve_cvxopt(B: np.ndarray, y: np.ndarray, P: np.ndarray, tol: float):
    """min y . c subject to sum_k c_k B_k - P >= 0 by CVXOPT's primal-dual interior-point
    SDP solver; returns (status, objective, c), status None when it did not converge."""
    from cvxopt import matrix, solvers

    opts = dict(show_progress=False, abstol=tol, reltol=tol, feastol=tol, maxiters=100)
    try:
        sol = solvers.sdp(matrix(y), Gs=[matrix(-B)], hs=[matrix(-P)], options=opts)
    except (ArithmeticError, ValueError):  # scaling breakdown; or n > d(d+1)/2 (rank-deficient)
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

    The reported v is not the solver's value but a verified upper bound (v >= 0 holds
    exactly, A* being feasible): by weak duality any dual point c bounds v by
    y . c + max(-e, 0) tr A, with e the smallest eigenvalue of Z(c) - P_perp and
    tr A <= sum_k y_k / lambda_min(X^T X) on M.  It is evaluated at the solver's point and at
    that point projected onto {Z(c) x* = 0} and rescaled by 1/lambda, lambda the smallest
    eigenvalue of the projected Z on the complement of x*.  If lambda exceeds what the
    rounding of the projection and of the eigenvalue computation can move it by, Z is psd
    with kernel x*, and every A in M has tr(Z A) = sum_k c_k y_k = x*^T Z x* = 0, hence
    A = A* (a proof of uniqueness, ``certified``).  Classification: unique iff
    v / tr A* < ``threshold``; a unique instance without a proof, or a proved one above the
    threshold, is a failure of the solver that the caller can count.

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
        ``objective`` (the verified bound on v / tr A*), ``solver_objective`` (the solver's
        own optimum), ``certificate`` (lambda relative to the norm of the projected dual
        matrix), ``certified`` (the certificate proves uniqueness), ``unique``
        (objective < threshold), ``status`` and ``solver`` (the one that answered).
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
        if status is not None and np.all(np.isfinite(c)):
            break
    else:
        raise DivergenceError(
            f"uniqueness SDP: {solver} and the solvers after it in {SDP_SOLVERS} failed"
        )
    # tr A <= trace_max on M: sum_k x_k^T A x_k = tr(A X^T X) >= lambda_min(X^T X) tr A
    gram_min = float(np.linalg.eigvalsh(X.T @ X)[0])
    trace_max = float(y.sum()) / gram_min if gram_min > 0 else np.inf
    objective = _dual_bound(X, y, P, c, trace_max)
    c_proj, lam, certificate, certified = _certificate(X, u, c)
    if lam > 0:  # c_proj / lambda: Z - P_perp >= 0 on u-perp, y . c ~ 0 (the bound says how far)
        objective = min(objective, _dual_bound(X, y, P, c_proj / lam, trace_max))
    objective = max(objective, 0.0)  # v >= 0 exactly (A* is feasible)
    return dict(
        objective=objective,
        solver_objective=v,
        certificate=certificate,
        certified=certified,
        unique=bool(objective < threshold),
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
        ``run`` and the keys of :func:`uniqueness_sdp` per instance.
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
