"""Numba kernels of the Gaussian-mixture simulations and of the sampled DMFT.

Plain functions over arrays (see :mod:`highdim_dynamics.core.jit`); randomness is drawn in
Python and passed in.  Parallel loops write each output element from one thread in a
fixed order (samples split into a fixed number of chunks, chunk sums added in order), so
results do not depend on the thread count.
"""

from __future__ import annotations

import math

import numba
import numpy as np

from highdim_dynamics.core.jit import jit, pjit

from .model import misclassified, sample_loss


# --------------------------------------------------------------------------- simulation
@jit
def simulate_run(
    X,
    XT,
    y,
    w,
    sel,
    eta,
    lam,
    loss,
    clusters,
    ell2,
    beta,
    n_chunks,
    out_m,
    out_C,
    out_loss,
    out_err,
):
    """Run ``sel.shape[0]`` steps of (S)GD on one data set, recording every step.

    ``w(k+1) = w(k) - eta [lam w(k) + sum_mu s_mu(k) Lambda'(y_mu, r_mu(k)) x_mu/sqrt(p)]``
    with ``r = X w / sqrt(p)`` (arXiv:2006.06098, Sec. 2, no 1/b factor).  ``X`` is n x p
    (rows are samples, float32 storage to halve the memory traffic; all sums in float64),
    ``XT`` its C-contiguous transpose: both products are written as axpy loops (no
    floating-point reductions, which numba cannot vectorise without fastmath), each
    element summed in a fixed order.  The gradient is summed over ``n_chunks`` fixed chunks of samples, then the chunk sums
    in order (thread-count independent).  ``w`` is updated in place; ``out_*[k]`` hold
    ``m = sum(w)/p``, ``C = |w|^2/p``, the mean training loss and training error at step
    ``k = 0..steps``.
    """
    n, p = X.shape
    steps = sel.shape[0]
    sqp = math.sqrt(p)
    r = np.empty(n)
    g = np.empty(n)
    lv = np.empty(n)
    ev = np.empty(n)
    part = np.zeros((n_chunks, p))
    for k in range(steps + 1):
        for ch in range(n_chunks):
            lo = (ch * n) // n_chunks
            hi = ((ch + 1) * n) // n_chunks
            for mu in range(lo, hi):
                r[mu] = 0.0
            for i in range(p):
                wi = w[i] / sqp
                for mu in range(lo, hi):
                    r[mu] += wi * XT[i, mu]
        sm = 0.0
        sc = 0.0
        for i in range(p):
            sm += w[i]
            sc += w[i] * w[i]
        out_m[k] = sm / p
        out_C[k] = sc / p
        for mu in range(n):
            v, d1, d2 = sample_loss(loss, clusters, ell2, beta, y[mu], r[mu])
            lv[mu] = v
            ev[mu] = misclassified(clusters, ell2, y[mu], r[mu])
            g[mu] = d1 * sel[k, mu] if k < steps else 0.0
        sl = 0.0
        se = 0.0
        for mu in range(n):
            sl += lv[mu]
            se += ev[mu]
        out_loss[k] = sl / n
        out_err[k] = se / n
        if k == steps:
            break
        for ch in range(n_chunks):
            pc = part[ch]
            for i in range(p):
                pc[i] = 0.0
            for mu in range((ch * n) // n_chunks, ((ch + 1) * n) // n_chunks):
                gm = g[mu]
                if gm != 0.0:
                    for i in range(p):
                        pc[i] += gm * X[mu, i]
        for i in range(p):
            acc = 0.0
            for ch in range(n_chunks):
                acc += part[ch, i]
            w[i] -= eta * (lam * w[i] + acc / sqp)


# --------------------------------------------------------------------------------- DMFT
@jit
def weight_side(gamma, mu, mc, eta, lam, delta, R, m0):
    """Gaussian weight process of the DMFT, solved exactly (it is linear).

    Effective weight (one coordinate, arXiv:2006.06098 Sec. 3, discrete time dt = eta):
    ``w(k+1) = (1 - eta lam) w(k) - eta sqrt(D) sum_{j<=k} Gamma(k,j) w(j) + u(k)``,
    ``u(k) = -eta mu_c(k) - eta sqrt(D) xi(k)``, ``<xi xi> = M_C``, ``w(0) ~ N(m0, R)``.
    Returns the response to the initial condition ``P[k]``, the response
    ``Rw[k, j] = dw(k)/du(j)``, ``m[k] = <w(k)>`` and the full second moment
    ``C[k, k'] = R P P^T + eta^2 D Rw M_C Rw^T + m m^T``.
    """
    T = mu.shape[0]
    K1 = T + 1
    sd = math.sqrt(delta)
    a = 1.0 - eta * lam
    P = np.zeros(K1)
    Rw = np.zeros((K1, T))
    P[0] = 1.0
    for k in range(T):
        acc = 0.0
        for jp in range(k + 1):
            acc += gamma[k, jp] * P[jp]
        P[k + 1] = a * P[k] - eta * sd * acc
    for j in range(T):
        Rw[j + 1, j] = 1.0
        for k in range(j + 1, T):
            acc = 0.0
            for jp in range(j + 1, k + 1):
                acc += gamma[k, jp] * Rw[jp, j]
            Rw[k + 1, j] = a * Rw[k, j] - eta * sd * acc
    m = np.empty(K1)
    for k in range(K1):
        acc = 0.0
        for j in range(min(k, T)):
            acc += Rw[k, j] * mu[j]
        m[k] = P[k] * m0 - eta * acc
    B = np.zeros((K1, T))
    for k in range(K1):
        for j in range(min(k, T)):
            rkj = Rw[k, j]
            if rkj != 0.0:
                for jp in range(T):
                    B[k, jp] += rkj * mc[j, jp]
    C = np.empty((K1, K1))
    for k in range(K1):
        for kp in range(k + 1):
            acc = 0.0
            for jp in range(min(kp, T)):
                acc += B[k, jp] * Rw[kp, jp]
            val = R * P[k] * P[kp] + eta * eta * delta * acc + m[k] * m[kp]
            C[k, kp] = val
            C[kp, k] = val
    return P, Rw, m, C


@jit
def psd_cholesky(C):
    """Lower factor ``L`` with ``L L^T = C`` for a positive semi-definite ``C``.

    Pivots below ``1e-13 max(diag C)`` (exactly zero rows, e.g. ``w(0) = 0`` at R = 0, or
    rounding in nearly collinear times) are set to zero together with their column.
    """
    n = C.shape[0]
    L = np.zeros((n, n))
    scale = 0.0
    for i in range(n):
        scale = max(scale, C[i, i])
    tiny = 1e-13 * scale
    for j in range(n):
        s = C[j, j]
        for q in range(j):
            s -= L[j, q] * L[j, q]
        if s <= tiny:
            continue
        d = math.sqrt(s)
        L[j, j] = d
        for i in range(j + 1, n):
            s2 = C[i, j]
            for q in range(j):
                s2 -= L[i, q] * L[j, q]
            L[i, j] = s2 / d
    return L


@pjit
def dmft_paths(
    Lc,
    z,
    cl,
    yl,
    sel,
    m,
    Rw,
    eta,
    delta,
    loss,
    clusters,
    ell2,
    beta,
    memory,
    n_chunks,
    mu_acc,
    mc_acc,
    gamma_acc,
    loss_acc,
    err_acc,
):
    """Sample paths of the effective single-sample process and their kernels.

    For each path n: ``omega = Lc z[n]`` (Gaussian of covariance C),
    ``h(k) = omega(k) - eta sqrt(D) sum_{j<k} Rw(k, j) g(j)``,
    ``r(k) = c m(k) + sqrt(D) h(k)``, ``g(k) = s(k) Lambda'(y, r(k))``,
    ``d(k) = sqrt(D) s(k) Lambda''(y, r(k))``.  The response ``X(k, j) = dg(k)/dh(j)``
    (a shift of h at time j) obeys ``X(k, k) = d(k)`` and, for ``j < k``,
    ``X(k, j) = -eta sqrt(D) d(k) sum_{j<=j''<k} Rw(k, j'') X(j'', j)``; rows with
    ``d(k) = 0`` (unselected samples) vanish and are skipped, so the cost is about
    ``b^2 T^3/6`` per path.  With ``memory = False`` only ``X(k, k)`` is kept (the
    ``M_R = 0`` negative control).

    Sums per chunk (``n_chunks`` fixed chunks of paths): ``mu_acc[ch, k] = sum c g(k)``,
    ``mc_acc[ch] = sum g g^T``, ``gamma_acc[ch] = sum X``, ``loss_acc``/``err_acc`` the
    training loss and error at ``k = 0..T``.
    """
    N, K1 = z.shape
    T = K1 - 1
    sd = math.sqrt(delta)
    for ch in numba.prange(n_chunks):
        lo = (ch * N) // n_chunks
        hi = ((ch + 1) * N) // n_chunks
        omega = np.empty(K1)
        g = np.zeros(T)
        d = np.zeros(T)
        act = np.empty(T, dtype=np.int64)
        X = np.zeros((T, T))
        acc = np.empty(T)
        for n in range(lo, hi):
            for k in range(K1):
                s = 0.0
                for j in range(k + 1):
                    s += Lc[k, j] * z[n, j]
                omega[k] = s
            nact = 0
            c = cl[n]
            y = yl[n]
            for k in range(K1):
                mem = 0.0
                for a in range(nact):
                    j = act[a]
                    mem += Rw[k, j] * g[j]
                h = omega[k] - eta * sd * mem
                r = c * m[k] + sd * h
                v, d1, d2 = sample_loss(loss, clusters, ell2, beta, y, r)
                loss_acc[ch, k] += v
                err_acc[ch, k] += misclassified(clusters, ell2, y, r)
                if k < T:
                    if sel[n, k] != 0:
                        g[k] = d1
                        d[k] = sd * d2
                        mu_acc[ch, k] += c * d1
                        act[nact] = k
                        nact += 1
                    else:
                        g[k] = 0.0
                        d[k] = 0.0
            # noise kernel: sum g g^T over active times
            for a in range(nact):
                ka = act[a]
                for b2 in range(nact):
                    kb = act[b2]
                    mc_acc[ch, ka, kb] += g[ka] * g[kb]
            if not memory:
                for a in range(nact):
                    ka = act[a]
                    gamma_acc[ch, ka, ka] += d[ka]
                continue
            # response over active times only: X(k, j) = 0 if d(j) = 0 or d(k) = 0.
            # Xc[a, a3] = X(act[a], act[a3]), stored compactly (contiguous rows).
            for a in range(nact):
                k = act[a]
                dk = d[k]
                for a3 in range(a + 1):
                    acc[a3] = 0.0
                for a2 in range(a):
                    coef = Rw[k, act[a2]]
                    if coef != 0.0:
                        for a3 in range(a2 + 1):
                            acc[a3] += coef * X[a2, a3]
                f = -eta * sd * dk
                for a3 in range(a):
                    X[a, a3] = f * acc[a3]
                    gamma_acc[ch, k, act[a3]] += X[a, a3]
                X[a, a] = dk
                gamma_acc[ch, k, k] += dk
