"""Numba kernels of the quadratic-network gradient flow (plain functions over arrays).

The student W (m x d) defines A = W^T W / m and yhat_mu = x_mu^T A x_mu.  Gradient descent
on W with step h in the time tau = t/m (arXiv:2006.15459),
W <- W (I - 4 h M) with M = sum_mu (yhat_mu - y_mu) x_mu x_mu^T, is *exactly*

    A <- (I - 4 h M) A (I - 4 h M),

The kernel keeps W as its state (W <- W B, A = W^T W / m): iterating A <- B A B directly
is equivalent in exact arithmetic but not numerically, since round-off components of A in
its null space grow like exp(8 |lambda_min(M)| tau) and destroy positivity (seen for m < d).
Cost O(n d^2 + m d^2) per step.  Each run carries its own adaptive
step: a step that increases the loss is rejected and halved (never reported as a failure),
and the cap on the step is set to half the rejected value, creeping back up by 0.2% per
accepted step.
"""

from __future__ import annotations

import numpy as np
from numba import prange

from highdim_dynamics.core.jit import jit, pjit


@jit
def _predict(X, A, yhat):
    n, d = X.shape
    XA = X @ A
    for mu in range(n):
        s = 0.0
        for i in range(d):
            s += XA[mu, i] * X[mu, i]
        yhat[mu] = s


@jit
def _rel_error(A, Astar, norm_star):
    d = A.shape[0]
    s = 0.0
    for i in range(d):
        for j in range(d):
            e = A[i, j] - Astar[i, j]
            s += e * e
    return np.sqrt(s) / norm_star


@jit
def quadratic_flow_one(X, y, W, Astar, taus, h0, max_steps, e_stop, err_out, loss_out):
    """Integrate one run to the last time of ``taus``; record |A-A*|_F/|A*|_F and L/sum y^2.

    ``W`` (m x d) is updated in place, A = W^T W / m.  Records at ``taus[k]`` (first accepted step at or after it).
    Stops early (remaining records NaN) when the error falls below ``e_stop`` or when, at a
    record k with a record 4 positions earlier (a factor 4 in tau for a sqrt(2) grid),
    the error has stalled (ratio > 0.95) and the loss is either below 1e-12 or stalled too.
    Returns (tau_reached, steps, rejected, status) with status 0 = ran to the end,
    1 = error below e_stop, 2 = stalled, 3 = the step underflowed (non-finite data).
    """
    n, d = X.shape
    m = W.shape[0]
    K = taus.shape[0]
    A = W.T @ W / m
    yhat = np.empty(n)
    r = np.empty(n)
    Xr = np.empty((n, d))
    norm_star = 0.0
    for i in range(d):
        for j in range(d):
            norm_star += Astar[i, j] ** 2
    norm_star = np.sqrt(norm_star)
    ysq = 0.0
    for mu in range(n):
        ysq += y[mu] ** 2
    _predict(X, A, yhat)
    L = 0.0
    for mu in range(n):
        r[mu] = yhat[mu] - y[mu]
        L += r[mu] ** 2
    h = h0
    cap = 1e300
    tau = 0.0
    k = 0
    steps = 0
    rejected = 0
    Bm = np.empty((d, d))
    while k < K:
        # record
        while k < K and tau >= taus[k]:
            err_out[k] = _rel_error(A, Astar, norm_star)
            loss_out[k] = L / ysq
            if err_out[k] < e_stop:
                return tau, steps, rejected, 1
            if k >= 4:
                e_ratio = err_out[k] / err_out[k - 4]
                l_ratio = loss_out[k] / max(loss_out[k - 4], 1e-300)
                if e_ratio > 0.95 and (loss_out[k] < 1e-12 or l_ratio > 0.95):
                    return tau, steps, rejected, 2
            k += 1
        if k >= K or steps >= max_steps:
            break
        for mu in range(n):
            for i in range(d):
                Xr[mu, i] = X[mu, i] * r[mu]
        M = X.T @ Xr
        while True:
            steps += 1
            for i in range(d):
                for j in range(d):
                    Bm[i, j] = -4.0 * h * M[i, j]
                Bm[i, i] += 1.0
            Wn = W @ Bm
            An = Wn.T @ Wn / m
            _predict(X, An, yhat)
            Ln = 0.0
            for mu in range(n):
                Ln += (yhat[mu] - y[mu]) ** 2
            if np.isfinite(Ln) and Ln <= L * (1.0 + 1e-12):
                W[:, :] = Wn
                A = An
                L = 0.0
                for mu in range(n):
                    r[mu] = yhat[mu] - y[mu]
                    L += r[mu] ** 2
                tau += h
                cap = cap * 1.002
                h = min(1.1 * h, cap)
                break
            rejected += 1
            cap = 0.5 * h
            h = 0.5 * h
            if h < 1e-14 * h0:
                return tau, steps, rejected, 3
            if steps >= max_steps:
                break
    return tau, steps, rejected, 0


@pjit
def quadratic_flow_batch(X, y, W, Astar, taus, h0, max_steps, e_stop, err_out, loss_out, info):
    """:func:`quadratic_flow_one` for runs r = 0..R-1 in parallel (X[r], y[r], W[r], Astar[r]).

    ``info[r] = (tau_reached, steps, rejected, status)``.  Runs are independent and their
    data are drawn in Python, so results do not depend on the thread count.
    """
    R = X.shape[0]
    for r in prange(R):
        tau, steps, rej, status = quadratic_flow_one(
            X[r], y[r], W[r], Astar[r], taus, h0, max_steps, e_stop, err_out[r], loss_out[r]
        )
        info[r, 0] = tau
        info[r, 1] = steps
        info[r, 2] = rej
        info[r, 3] = status
