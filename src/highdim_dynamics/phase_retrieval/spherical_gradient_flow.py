"""Spherical gradient descent for phase retrieval, batched over initial conditions.

The flow dw/dt = -P grad L(w) on |w|^2 = p (arXiv:2006.06997, Eq. (3))
is discretised as a projected step followed by renormalisation,

    w <- sqrt(p) (w - dt P grad L) / |w - dt P grad L|,

with time t = sum of accepted steps.  Several initial conditions of one instance are the
columns of a matrix W (p, R), so one step costs two BLAS-3 products X W and X^T G
(two passes over X).  Columns that have stopped are dropped from W.

Step control (an explicit step needs dt < 2 / lambda_max(Hessian), lambda_max grows
with alpha and with max yhat^2, and must be re-estimated): every run carries its own step.
A step that increases the loss (or gives a non-finite value) is *rejected*, not reported:
the step is halved and the cap is set to half the rejected step (a rejected step is
> ~2/lambda_max, so the cap tracks ~1/lambda_max); accepted steps grow the step by 10% up
to the cap, and the cap itself creeps up by 0.2% per accepted step (up to a hard ceiling
``step_cap_factor`` dt0) so it re-adapts when lambda_max falls.  A step that has to fall below 1e-12 of its initial value raises
:class:`~highdim_dynamics.core.validation.DivergenceError`.

Classification of a run (never by a time limit alone):

* ``success``: the overlap |m| = |w . w*| / p exceeds ``success_threshold`` (0.99);
* ``minimum``: the Riemannian gradient norm |P grad L| / sqrt(p) has fallen below
  ``grad_tol`` and the smallest eigenvalue of the tangent Hessian is > 0: a genuine local
  minimum (if the Hessian has a negative direction the point is a saddle and the run goes on);
* ``unresolved``: the time / step budget ran out first (counted as success iff |m| exceeds
  the threshold at the end; their number is reported so it can be kept small).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from highdim_dynamics.core.validation import DivergenceError, integer, positive

from .model import PhaseRetrievalInstance, check_success_threshold, tangent_hessian

STATUS = ("success", "minimum", "unresolved")


def spherical_gradient_descent(
    instance: PhaseRetrievalInstance,
    W0: np.ndarray,
    *,
    t_max: float = 1.0e3,
    max_steps: int = 200_000,
    success_threshold: float = 0.99,
    grad_tol: float = 1.0e-4,
    stop_on_success: bool = True,
    record_times: np.ndarray | None = None,
    hessian_at_end: bool = True,
    fixed_step: float | None = None,
    step_cap_factor: float = 8.0,
) -> tuple[pd.DataFrame, pd.DataFrame, np.ndarray]:
    """Run spherical gradient descent from the columns of ``W0``.

    Parameters
    ----------
    instance : PhaseRetrievalInstance
        Data (X, w*, y), see :mod:`.model`.
    W0 : ndarray, shape (p, R)
        Initial conditions, one per column (rescaled to |w|^2 = p).
    t_max : float
        Largest flow time of a run.
    max_steps : int
        Largest number of step attempts (accepted or rejected) per run.
    success_threshold : float
        A run succeeds when |m| > success_threshold; must lie in (0, 1).
    grad_tol : float
        A run is a candidate local minimum when |P grad L| / sqrt(p) < grad_tol; it is
        declared a minimum if the smallest tangent-Hessian eigenvalue is > 0.
    stop_on_success : bool
        Stop a run as soon as it succeeds (otherwise it runs to a critical point or the budget).
    record_times : ndarray, optional
        Increasing times at which (t, loss/n, m) are recorded for every run (the first
        step at or after each time); ``None`` records nothing.
    hessian_at_end : bool
        Compute the smallest tangent-Hessian eigenvalue at the end of every run that did
        not succeed (and of ``minimum`` runs, where it was computed anyway).
    fixed_step : float, optional
        Integrate with this constant step instead (no step control: a reference
        integration of the flow to test the adaptive one; a loss that turns non-finite
        raises DivergenceError).
    step_cap_factor : float
        Hard ceiling of the step in units of the initial step dt0 = 1/(40 alpha + 12)
        (1 for an accurate flow, as in the dynamics figure; larger values let the step
        grow up to the stability limit, a gradient-descent discretisation of the flow).

    Returns
    -------
    runs : DataFrame
        One row per run: ``run, status, success, overlap (|m|), loss (L/n), t, steps,
        rejected, grad_norm, lambda_min`` (NaN where not computed).
    trajectory : DataFrame
        Columns ``run, t, loss, overlap`` (empty if ``record_times`` is None).
    W_end : ndarray, shape (p, R)
        End points of the runs.

    Examples
    --------
    >>> import numpy as np
    >>> from highdim_dynamics.phase_retrieval import (random_sphere_points, sample_instance,
    ...                                               spherical_gradient_descent)
    >>> rng = np.random.default_rng(0)
    >>> instance = sample_instance(50, 8.0, rng)   # p = 50, α = 8
    >>> runs, _, _ = spherical_gradient_descent(instance, random_sphere_points(50, 4, rng))
    >>> runs["status"].tolist()
    ['success', 'success', 'success', 'success']
    """
    success_threshold = check_success_threshold("success_threshold", success_threshold)
    t_max = positive("t_max", t_max)
    max_steps = integer("max_steps", max_steps, minimum=1)
    grad_tol = positive("grad_tol", grad_tol)
    X, y2, w_star = instance.X, instance.y**2, instance.w_star
    n, p = X.shape
    W = np.array(W0, dtype=float, copy=True)
    if W.ndim == 1:
        W = W[:, None]
    if W.shape[0] != p:
        raise ValueError(f"W0 must have {p} rows, got shape {W.shape}")
    R = W.shape[1]
    W *= np.sqrt(p) / np.linalg.norm(W, axis=0)
    sqrt_p = np.sqrt(p)

    # per-run state (indexed by run id)
    t = np.zeros(R)
    dt0 = 1.0 / (40.0 * instance.alpha + 12.0)
    if fixed_step is not None:
        dt0 = positive("fixed_step", fixed_step)
    dt_ceiling = positive("step_cap_factor", step_cap_factor) * dt0
    dt_cap = np.full(R, dt_ceiling)
    dt = np.full(R, min(dt0, dt_ceiling))
    steps = np.zeros(R, dtype=np.int64)
    rejected = np.zeros(R, dtype=np.int64)
    next_hess = np.zeros(R, dtype=np.int64)
    status = np.array(["unresolved"] * R, dtype=object)
    out_m = np.zeros(R)
    out_loss = np.zeros(R)
    out_g = np.zeros(R)
    out_lmin = np.full(R, np.nan)
    W_end = np.zeros((p, R))

    rec_t = np.asarray(record_times, dtype=float) if record_times is not None else np.zeros(0)
    rec_idx = np.zeros(R, dtype=np.int64)
    records: list[tuple] = []

    active = np.arange(R)
    Yh = X @ W
    L = np.sum((y2[:, None] - Yh**2) ** 2, axis=0)
    if not np.all(np.isfinite(L)):
        raise DivergenceError(
            "spherical gradient descent: the loss at the initial conditions is not "
            "finite; check that X, y and W0 are finite"
        )

    def finish(local: np.ndarray, why: str, m_loc, g_loc):
        for j in local:
            r = active[j]
            status[r] = why
            out_m[r] = abs(m_loc[j])
            out_loss[r] = L[j] / n
            out_g[r] = g_loc[j]
            W_end[:, r] = W[:, j]

    while active.size:
        G = 4.0 * (X.T @ (Yh * (Yh**2 - y2[:, None])))
        mu = np.sum(G * W, axis=0) / p
        G -= mu * W  # Riemannian gradient
        gnorm = np.linalg.norm(G, axis=0) / sqrt_p
        m = (w_star @ W) / p
        ta = t[active]

        # recording (first step at or after each requested time)
        if rec_t.size and np.any(
            (rec_idx[active] < rec_t.size)
            & (ta >= rec_t[np.minimum(rec_idx[active], rec_t.size - 1)])
        ):
            for j, r in enumerate(active):
                while rec_idx[r] < rec_t.size and ta[j] >= rec_t[rec_idx[r]]:
                    records.append((r, ta[j], L[j] / n, m[j]))
                    rec_idx[r] += 1
                    while rec_idx[r] < rec_t.size and ta[j] >= rec_t[rec_idx[r]]:
                        rec_idx[r] += 1

        done = np.zeros(active.size, dtype=bool)
        if stop_on_success:
            win = np.abs(m) > success_threshold
            finish(np.flatnonzero(win), "success", m, gnorm)
            done |= win
        cand = (~done) & (gnorm < grad_tol) & (steps[active] >= next_hess[active])
        for j in np.flatnonzero(cand):
            r = active[j]
            H, _ = tangent_hessian(instance, W[:, j])
            lmin = float(np.linalg.eigvalsh(H)[0])
            out_lmin[r] = lmin
            if lmin > 0.0:
                why = "success" if abs(m[j]) > success_threshold else "minimum"
                finish(np.array([j]), why, m, gnorm)
                done[j] = True
            else:  # a saddle: keep going, look again later
                next_hess[r] = steps[r] + 500
        over = (~done) & ((ta >= t_max) | (steps[active] >= max_steps))
        finish(np.flatnonzero(over), "unresolved", m, gnorm)
        done |= over
        if done.any():
            keep = ~done
            active, W, Yh, L, G = active[keep], W[:, keep], Yh[:, keep], L[keep], G[:, keep]
            if not active.size:
                break

        # trial step with per-run dt
        h = dt[active]
        Wn = W - h * G
        Wn *= sqrt_p / np.linalg.norm(Wn, axis=0)
        Yn = X @ Wn
        Ln = np.sum((y2[:, None] - Yn**2) ** 2, axis=0)
        if fixed_step is not None:
            if not np.all(np.isfinite(Ln)):
                raise DivergenceError(
                    f"spherical gradient descent with fixed step {dt0} diverged; use a smaller step"
                )
            ok = np.ones(active.size, dtype=bool)
        else:
            ok = np.isfinite(Ln) & (Ln <= L * (1.0 + 1.0e-12))
        steps[active] += 1
        acc, rej = active[ok], active[~ok]
        t[acc] += h[ok]
        if fixed_step is None:
            dt[acc] = np.minimum(1.1 * dt[acc], dt_cap[acc])
        dt_cap[acc] = np.minimum(dt_cap[acc] * 1.002, dt_ceiling)
        dt_cap[rej] = 0.5 * dt[rej]
        dt[rej] *= 0.5
        rejected[rej] += 1
        if rej.size and np.any(dt[rej] < 1.0e-12 * dt0):
            raise DivergenceError(
                "spherical gradient descent: the step fell below 1e-12 of its initial value "
                "without decreasing the loss; the data or the initial condition is not finite"
            )
        W[:, ok], Yh[:, ok], L[ok] = Wn[:, ok], Yn[:, ok], Ln[ok]

    if hessian_at_end:
        for r in range(R):
            if status[r] != "success" and np.isnan(out_lmin[r]):
                H, _ = tangent_hessian(instance, W_end[:, r])
                out_lmin[r] = float(np.linalg.eigvalsh(H)[0])
    runs = pd.DataFrame(
        {
            "run": np.arange(R),
            "status": status.astype(str),
            "success": out_m > success_threshold,
            "overlap": out_m,
            "loss": out_loss,
            "t": t,
            "steps": steps,
            "rejected": rejected,
            "grad_norm": out_g,
            "lambda_min": out_lmin,
        }
    )
    traj = pd.DataFrame(records, columns=["run", "t", "loss", "overlap"])
    return runs, traj, W_end
