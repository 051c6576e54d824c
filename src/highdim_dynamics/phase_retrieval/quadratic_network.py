"""Over-parametrised quadratic network trained by gradient flow (arXiv:2006.15459).

Model (arXiv:2006.15459): inputs x_mu ~ N(0, I_d / d), mu = 1..n = round(alpha d);
teacher A* = (1/m*) sum_{a <= m*} w*_a w*_a^T with w*_a ~ N(0, I_d), labels
y_mu = x_mu^T A* x_mu; student with m hidden units W (m x d), A = W^T W / m,
yhat = x^T A x, loss L = sum_mu (y_mu - yhat_mu)^2.  Gradient flow on W in the time
tau = t/m reads dW/dtau = -4 W M, M = sum_mu (yhat_mu - y_mu) x_mu x_mu^T, i.e.
dA/dtau = -4 (M A + A M): at fixed tau widths are comparable (the flow speed in t is 1/m).
W(0) has i.i.d. N(0, 1) entries (A(0) has mean I_d, like A*).

Results (arXiv:2006.15459): for m >= d the flow reaches zero loss; for a rank-one teacher the
zero-loss PSD matrix is unique (= A*) with positive probability iff alpha > 2, so for
m >= d a failure below alpha = 2 is non-uniqueness, not trapping; for m < d runs can be
trapped at non-zero loss.  Convergence to a rank-one teacher is a power law
(|A - A*| ~ 1/tau), to a full-rank teacher exponential.

Success criterion (not biased by the 1/tau convergence): the **decay test**.  Errors
e(tau) = |A - A*|_F / |A*|_F are recorded on a geometric tau grid of ratio sqrt(2); a run
succeeds if e < ``e_tol`` or if e(tau_end) / e(tau_end / 4) < 1/2 (a 1/tau decay gives
1/4, an exponential one less, convergence to another zero-loss matrix gives ~1).

Exact uniqueness (:func:`uniqueness_sdp`): for a rank-one teacher A* = x* x*^T, A* is the
only element of M = {A psd : x_k^T A x_k = y_k} iff max{tr(P_perp A) : A in M} = 0
(P_perp: projector orthogonal to x*), a semidefinite program solved in its dual form with a
certificate that is verified by exact linear algebra.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..validation import ParameterError, integer, positive
from ._kernels import quadratic_flow_batch


def teacher_rank(name: str, m_star, d: int) -> int:
    """Validate a teacher width: an integer >= 1, or ``"full"`` (= 4 d).

    The teacher A* = (1/m*) sum_a w*_a w*_a^T has rank min(m*, d).  ``"full"`` takes
    m* = 4 d: a full-rank teacher whose smallest eigenvalue stays of order one
    ((1 - 1/2)^2 = 1/4 by Marchenko-Pastur), so that its exponential convergence rate is
    not hidden by the near-zero eigenvalues of a square Wishart matrix (m* = d).
    """
    if isinstance(m_star, str):
        if m_star == "full":
            return 4 * d
        raise ParameterError(f"{name} must be an integer >= 1 or 'full', got {m_star!r}")
    return integer(name, m_star, minimum=1)


def sample_teacher(d: int, m_star: int, rng: np.random.Generator) -> np.ndarray:
    """A* = (1/m*) sum_a w*_a w*_a^T with w*_a ~ N(0, I_d)."""
    Ws = rng.standard_normal((m_star, d))
    return Ws.T @ Ws / m_star


def sample_inputs(d: int, alpha: float, rng: np.random.Generator) -> np.ndarray:
    """n = round(alpha d) inputs x_mu ~ N(0, I_d / d) as rows."""
    n = max(1, int(round(alpha * d)))
    return rng.standard_normal((n, d)) / np.sqrt(d)


def labels(X: np.ndarray, A: np.ndarray) -> np.ndarray:
    """y_mu = x_mu^T A x_mu."""
    return np.einsum("ni,ij,nj->n", X, A, X)


def sample_instance(d: int, m_star: int, alpha: float, rng: np.random.Generator):
    """One instance: teacher A* (:func:`sample_teacher`), inputs X and labels y, in this order."""
    A = sample_teacher(d, m_star, rng)
    X = sample_inputs(d, alpha, rng)
    return A, X, labels(X, A)


def quadratic_network_flow(
    *,
    d: int,
    m: int,
    m_star,
    alpha: float,
    n_runs: int,
    seed: int,
    tau_min: float = 0.25,
    tau_max: float = 256.0,
    e_stop: float = 1.0e-4,
    e_tol: float = 1.0e-3,
    max_steps: int = 400_000,
    init_seed: int | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Run ``n_runs`` independent instances (teacher, data and start each) in parallel.

    Parameters
    ----------
    d, m : int
        Input dimension (>= 2) and number of hidden units (>= 1).
    m_star : int or "full"
        Teacher width m* (rank min(m*, d)); "full" = 4 d (see :func:`teacher_rank`).
    alpha : float
        n / d > 0.
    n_runs, seed : int
        Number of runs and seed of the instances (teacher and inputs of run r from the r-th
        stream spawned from ``seed``, as in :func:`sample_instance`).
    tau_min, tau_max : float
        The records are on tau_max * 2^(-k/2) down to >= tau_min.
    e_stop : float
        A run stops once its error is below e_stop (success).
    e_tol : float
        Decay test: success if e(tau_end) < e_tol or e(tau_end)/e(tau_end/4) < 1/2.
    max_steps : int
        Step budget per run.
    init_seed : int or None
        Seed of the starting points W(0).  ``None``: drawn from the instance streams after the
        instance (then every width draws its own instances); an integer: from streams of
        their own, so that several widths can be trained on the same instances.

    Returns
    -------
    runs : DataFrame
        ``run, success, status (success / nonunique / trapped), error, loss, decay_ratio,
        tau_end, steps, rejected`` (loss = L / sum y^2).
    trajectories : DataFrame
        ``run, tau, error, loss`` at the recorded times.
    """
    d = integer("d", d, minimum=2)
    m = integer("m", m, minimum=1)
    ms = teacher_rank("m_star", m_star, d)
    alpha = positive("alpha", alpha)
    n_runs = integer("n_runs", n_runs, minimum=1)
    tau_min, tau_max = positive("tau_min", tau_min), positive("tau_max", tau_max)
    if tau_max <= tau_min:
        raise ParameterError(f"tau_max must exceed tau_min, got {tau_max!r} <= {tau_min!r}")
    e_stop, e_tol = positive("e_stop", e_stop), positive("e_tol", e_tol)
    max_steps = integer("max_steps", max_steps, minimum=1)
    if init_seed is not None:
        init_seed = integer("init_seed", init_seed, minimum=0)

    from ..seeding import spawn_generators

    n = max(1, int(round(alpha * d)))
    Xs = np.empty((n_runs, n, d))
    ys = np.empty((n_runs, n))
    W0 = np.empty((n_runs, m, d))
    As = np.empty((n_runs, d, d))
    rngs = spawn_generators(seed, n_runs)
    for r, rng in enumerate(rngs):
        As[r], Xs[r], ys[r] = sample_instance(d, ms, alpha, rng)
    if init_seed is not None:
        rngs = spawn_generators(init_seed, n_runs)
    for r, rng in enumerate(rngs):
        W0[r] = rng.standard_normal((m, d))
    K = int(np.floor(2.0 * np.log2(tau_max / tau_min))) + 1
    taus = tau_max * 2.0 ** (-0.5 * np.arange(K)[::-1])
    err = np.full((n_runs, K), np.nan)
    loss = np.full((n_runs, K), np.nan)
    info = np.zeros((n_runs, 4))
    h0 = 0.05 / (1.0 + alpha)
    quadratic_flow_batch(Xs, ys, W0, As, taus, h0, max_steps, e_stop, err, loss, info)
    if np.any(info[:, 3] == 3):
        from ..validation import DivergenceError

        raise DivergenceError("quadratic network flow: the step underflowed; the data are not finite")

    rows, traj = [], []
    for r in range(n_runs):
        ok = np.flatnonzero(np.isfinite(err[r]))
        last = ok[-1]
        e_end, l_end = err[r, last], loss[r, last]
        ratio = err[r, last] / err[r, last - 4] if last >= 4 else np.nan
        l_ratio = loss[r, last] / loss[r, last - 4] if last >= 4 and loss[r, last - 4] > 0 else np.nan
        success = bool(e_end < e_tol or (np.isfinite(ratio) and ratio < 0.5))
        if success:
            status = "success"
        elif l_end > 1e-8 and not (np.isfinite(l_ratio) and l_ratio < 0.5):
            status = "trapped"  # non-zero loss that is not decreasing
        else:
            status = "nonunique"  # zero (or vanishing) loss away from A*
        rows.append(dict(run=r, success=success, status=status, error=e_end, loss=l_end,
                         decay_ratio=ratio, tau_end=taus[last], steps=int(info[r, 1]),
                         rejected=int(info[r, 2])))
        traj.append(pd.DataFrame(dict(run=r, tau=taus[ok], error=err[r, ok], loss=loss[r, ok])))
    return pd.DataFrame(rows), pd.concat(traj, ignore_index=True)


SDP_SOLVERS = ("CLARABEL", "SCS")
#: A relative certificate above this proves uniqueness: it exceeds the rounding error of the
#: projection and of the eigenvalue computation (~ d * 1e-16 of the dual matrix's norm) by >= 100.
CERTIFICATE_MIN = 1.0e-12


def _certificate(X: np.ndarray, u: np.ndarray, c: np.ndarray) -> float:
    """lambda_min on u-perp of Z = sum_k c_k x_k x_k^T after projecting c onto {Z u = 0},
    relative to the norm of Z before the projection."""
    scale = np.linalg.norm(X.T @ (c[:, None] * X), 2)
    G = (X * (X @ u)[:, None]).T  # Z(c) u = G c
    c = c - G.T @ np.linalg.lstsq(G @ G.T, G @ c, rcond=None)[0]
    Q = np.linalg.qr(np.column_stack([u, np.eye(len(u))]))[0][:, 1:]
    XQ = X @ Q
    return float(np.linalg.eigvalsh(XQ.T @ (c[:, None] * XQ))[0] / max(scale, 1e-300))


def uniqueness_sdp(
    X: np.ndarray,
    x_star: np.ndarray,
    *,
    solver: str = "CLARABEL",
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

    Classification: unique iff v / tr A* < ``threshold``.  Independently of the solver's
    accuracy, its dual point c is projected exactly onto {Z(c) x* = 0} and the smallest
    eigenvalue of Z on the complement of x*, relative to |Z|_2, is returned: if it exceeds
    :data:`CERTIFICATE_MIN` (the rounding level), Z is psd with kernel x*, and every A in M
    has tr(Z A) = sum_k c_k y_k = x*^T Z x* = 0, hence A = A* (a proof of uniqueness).

    Parameters
    ----------
    X : ndarray, shape (n, d)
        Inputs x_k as rows (n >= d: with n < d the set M is never a point).
    x_star : ndarray, shape (d,)
        The teacher vector (A* = x* x*^T), non-zero.
    solver : {"CLARABEL", "SCS"}
        ``CLARABEL`` (interior point, relative gap and feasibility ``tol``; if it fails,
        SCS is tried) or ``SCS`` (first order, ``eps_abs = eps_rel = tol``; far less
        accurate near the threshold, whence the certificate).
    tol : float
        Solver tolerance, in (0, 1e-3].
    threshold : float
        Classification threshold on v / tr A*, > ``tol``.

    Returns
    -------
    dict
        ``objective`` (v / tr A*), ``certificate`` (smallest eigenvalue of the projected
        dual matrix on the complement of x*, relative to its norm; > CERTIFICATE_MIN proves
        uniqueness), ``unique``
        (objective < threshold), ``status`` and ``solver`` (the one that answered).
    """
    import warnings

    import cvxpy as cp

    from ..validation import DivergenceError, choice, in_interval

    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.shape[0] < X.shape[1] or X.shape[1] < 2 or not np.all(np.isfinite(X)):
        raise ParameterError(f"X must be a finite (n, d) array with n >= d >= 2, got shape {X.shape}")
    n, d = X.shape
    x_star = np.asarray(x_star, dtype=float)
    if x_star.shape != (d,) or not np.all(np.isfinite(x_star)) or not np.any(x_star):
        raise ParameterError(f"x_star must be a finite non-zero vector of length d = {d}, got shape {x_star.shape}")
    solver = choice("solver", solver, SDP_SOLVERS)
    tol = in_interval("tol", tol, 0.0, 1.0e-3, closed="right")
    threshold = positive("threshold", threshold)
    if threshold <= tol:
        raise ParameterError(f"threshold must exceed tol = {tol!r}, got {threshold!r}")

    norm2 = float(x_star @ x_star)
    u = x_star / np.sqrt(norm2)
    y = (X @ u) ** 2  # labels of the unit-trace teacher u u^T
    P = np.eye(d) - np.outer(u, u)
    c = cp.Variable(n)
    Z = cp.reshape(np.einsum("ki,kj->ijk", X, X).reshape(d * d, n) @ c, (d, d), order="C")
    prob = cp.Problem(cp.Minimize(y @ c), [Z - P >> 0])
    used = solver
    for attempt in ((solver, "SCS") if solver == "CLARABEL" else (solver,)):
        opts = (dict(tol_gap_abs=tol, tol_gap_rel=tol, tol_feas=tol) if attempt == "CLARABEL"
                else dict(eps_abs=tol, eps_rel=tol, max_iters=100_000))
        try:
            with warnings.catch_warnings():  # 'optimal_inaccurate' is returned in ``status``
                warnings.simplefilter("ignore", UserWarning)
                prob.solve(solver=attempt, **opts)
        except cp.error.SolverError:
            continue
        if prob.status in ("optimal", "optimal_inaccurate") and c.value is not None:
            used = attempt
            break
    else:
        raise DivergenceError(f"uniqueness SDP: {solver} (and the SCS fallback) failed, status {prob.status!r}")
    v = max(float(prob.value), 0.0)  # v >= 0 exactly (A* is feasible); clip the rounding
    return dict(objective=v, certificate=_certificate(X, u, np.asarray(c.value)),
                unique=bool(v < threshold), status=prob.status, solver=used)


def uniqueness_sdp_runs(
    *,
    d: int,
    alpha: float,
    n_runs: int,
    seed: int,
    solver: str = "CLARABEL",
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
    from ..seeding import spawn_generators

    d = integer("d", d, minimum=2)
    alpha = positive("alpha", alpha)
    if int(round(alpha * d)) < d:
        raise ParameterError(f"alpha must be >= 1 (n >= d), got {alpha!r}")
    n_runs = integer("n_runs", n_runs, minimum=1)
    rows = []
    for r, rng in enumerate(spawn_generators(seed, n_runs)):
        A, X, _ = sample_instance(d, 1, alpha, rng)
        lam, vec = np.linalg.eigh(A)
        out = uniqueness_sdp(X, vec[:, -1] * np.sqrt(lam[-1]), solver=solver, tol=tol, threshold=threshold)
        rows.append(dict(run=r, **out))
    return pd.DataFrame(rows)
