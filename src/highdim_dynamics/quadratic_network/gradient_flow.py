"""Gradient flow of the quadratic network on the square loss (arXiv:2006.15459, Sec. 3).

Loss L = sum_mu (y_mu - yhat_mu)^2; gradient flow on W in the time tau = t/m reads
dW/dtau = -4 W M, M = sum_mu (yhat_mu - y_mu) x_mu x_mu^T, i.e. dA/dtau = -4 (M A + A M)
(at fixed tau widths are comparable).  W(0) has i.i.d. N(0, 1) entries.  For m >= d the flow
reaches zero loss; convergence to a rank-one teacher is a power law (|A - A*| ~ 1/tau), to a
full-rank teacher exponential.  Success is the **decay test**: errors
e(tau) = |A - A*|_F / |A*|_F on a geometric tau grid of ratio sqrt(2); a run succeeds if
e < ``e_tol`` or e(tau_end) / e(tau_end / 4) < 1/2 (1/tau decay gives 1/4, convergence to
another zero-loss matrix ~1).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from highdim_dynamics.core.validation import ParameterError, integer, positive
from highdim_dynamics.quadratic_network._kernels import quadratic_flow_batch
from highdim_dynamics.quadratic_network.model import sample_instance, teacher_rank


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

    from highdim_dynamics.core.seeding import spawn_generators

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
        from highdim_dynamics.core.validation import DivergenceError

        raise DivergenceError(
            "quadratic network flow: the step underflowed; the data are not finite"
        )

    rows, traj = [], []
    for r in range(n_runs):
        ok = np.flatnonzero(np.isfinite(err[r]))
        last = ok[-1]
        e_end, l_end = err[r, last], loss[r, last]
        ratio = err[r, last] / err[r, last - 4] if last >= 4 else np.nan
        l_ratio = (
            loss[r, last] / loss[r, last - 4] if last >= 4 and loss[r, last - 4] > 0 else np.nan
        )
        success = bool(e_end < e_tol or (np.isfinite(ratio) and ratio < 0.5))
        if success:
            status = "success"
        elif l_end > 1e-8 and not (np.isfinite(l_ratio) and l_ratio < 0.5):
            status = "trapped"  # non-zero loss that is not decreasing
        else:
            status = "nonunique"  # zero (or vanishing) loss away from A*
        rows.append(
            dict(
                run=r,
                success=success,
                status=status,
                error=e_end,
                loss=l_end,
                decay_ratio=ratio,
                tau_end=taus[last],
                steps=int(info[r, 1]),
                rejected=int(info[r, 2]),
            )
        )
        traj.append(pd.DataFrame(dict(run=r, tau=taus[ok], error=err[r, ok], loss=loss[r, ok])))
    return pd.DataFrame(rows), pd.concat(traj, ignore_index=True)


def late_time_exponent(tau, error, *, window: float = 16.0) -> float:
    """Late-time exponent d ln e / d ln tau of one run's error curve e(tau).

    Least-squares slope of ln e against ln tau over the last factor ``window`` in tau
    (tau >= max(tau) / window); -1 for the 1/tau convergence to a rank-one teacher
    (arXiv:2006.15459).  NaN if fewer than three records fall in the window.
    """
    tau, error = np.asarray(tau, dtype=float), np.asarray(error, dtype=float)
    late = tau >= tau.max() / positive("window", window)
    if late.sum() < 3:
        return np.nan
    return np.polyfit(np.log(tau[late]), np.log(error[late]), 1)[0]
