"""Numba kernels of the DMFT engine (:mod:`.engine`): row right-hand sides, step, compaction.

Storage (P = capacity, positions 0..m of the kept times t_0 = 0 < ... < t_m = now)
----------------------------------------------------------------------------------
* ``tt[a]`` time, ``idx[a]`` step index (t = idx·h), ``cb[a]`` = C̄(t_a);
* ``C[a, b]`` = C(t_a, t_b) (symmetric, C[a, a] = 1);
* ``X[a, b]`` = χ(t_a, t_b) = ∫_{t_b}^{t_a} R(t_a, s) ds for b <= a (X[a, a] = 0): the
  integrated response is the variable, not R, so that ∫_{I_k} R(t_a, s) ds is the exact
  increment X[a, k] − X[a, k+1] on any grid interval I_k = [t_k, t_{k+1}];
* ``DC[j, k]`` = ∫_{I_k} C(t_j, s) ds (all k: row direction for k < j, column direction for
  k >= j) and ``DX[j, k]`` = ∫_{I_k} χ(u, t_j) du (k >= j): the interval integrals of the
  factors that are fast next to t_j.  They are made by the trapezoid rule when the interval
  is new (step h) and *summed* when a time is dropped, so the cusp at t_j stays resolved.

Quadrature (the memory integrals as Stieltjes integrals over dC and dQ)
----------------------------------------------------------------------
With Q(t, s) = 1 − C(t, s) − χ(t, s), R(t, s) ds = d_s C + d_s Q.  For a function g of
C(t, s) with antiderivative G and a slow factor φ(s), on I_k of the current row

    ∫_{I_k} R g(C) φ ds ≈ φ̄_k [G(C_{k+1}) − G(C_k) + ḡ_k ΔQ_k],     ΔQ_k = ρ_k − ΔC_k,

ρ_k = X[m, k] − X[m, k+1]; the dC part is exact whatever the step, and ΔQ vanishes where
the fluctuation–dissipation relation holds (T = 1, short lags), so the fast relaxation next
to the diagonal is integrated exactly.  The fast factor of *another* time t_j enters
through its carried mean DC[j, k]/|I_k| or DX[j, k]/|I_k|.
"""

from __future__ import annotations

import math

import numba
import numpy as np

from highdim_dynamics.core.jit import jit, pjit
from highdim_dynamics.spiked.model import q_fun, q_prime, q_second


@jit
def dot2(u, U, v, V, j, lo, hi):
    """Σ_{k=lo}^{hi-1} u[k] U[j, k] + v[k] V[j, k], as four partial sums in a fixed order
    (machine- and thread-independent; breaks the floating-point dependency chain)."""
    s0 = 0.0
    s1 = 0.0
    s2 = 0.0
    s3 = 0.0
    k = np.int64(lo)
    hi = np.int64(hi)
    while k + 1 < hi:
        s0 += u[k] * U[j, k]
        s1 += v[k] * V[j, k]
        s2 += u[k + 1] * U[j, k + 1]
        s3 += v[k + 1] * V[j, k + 1]
        k += 2
    if k < hi:
        s0 += u[k] * U[j, k]
        s1 += v[k] * V[j, k]
    return (s0 + s2) + (s1 + s3)


@jit
def dot2_rows(u, U, v, V, ja, ka, ha, jb, kb, hb):
    """(dot2(u, U, v, V, ja, ka, ha), dot2(u, U, v, V, jb, kb, hb)) in one pass over both
    rows: each sum is made in exactly the order of :func:`dot2` (same results), the two
    rows share the loads of u, v and give eight independent partial sums."""
    a0 = 0.0
    a1 = 0.0
    a2 = 0.0
    a3 = 0.0
    b0 = 0.0
    b1 = 0.0
    b2 = 0.0
    b3 = 0.0
    ka = np.int64(ka)
    kb = np.int64(kb)
    ha = np.int64(ha)
    hb = np.int64(hb)
    while ka + 1 < ha and kb + 1 < hb:
        a0 += u[ka] * U[ja, ka]
        a1 += v[ka] * V[ja, ka]
        a2 += u[ka + 1] * U[ja, ka + 1]
        a3 += v[ka + 1] * V[ja, ka + 1]
        b0 += u[kb] * U[jb, kb]
        b1 += v[kb] * V[jb, kb]
        b2 += u[kb + 1] * U[jb, kb + 1]
        b3 += v[kb + 1] * V[jb, kb + 1]
        ka += 2
        kb += 2
    while ka + 1 < ha:
        a0 += u[ka] * U[ja, ka]
        a1 += v[ka] * V[ja, ka]
        a2 += u[ka + 1] * U[ja, ka + 1]
        a3 += v[ka + 1] * V[ja, ka + 1]
        ka += 2
    if ka < ha:
        a0 += u[ka] * U[ja, ka]
        a1 += v[ka] * V[ja, ka]
    while kb + 1 < hb:
        b0 += u[kb] * U[jb, kb]
        b1 += v[kb] * V[jb, kb]
        b2 += u[kb + 1] * U[jb, kb + 1]
        b3 += v[kb + 1] * V[jb, kb + 1]
        kb += 2
    if kb < hb:
        b0 += u[kb] * U[jb, kb]
        b1 += v[kb] * V[jb, kb]
    return (a0 + a2) + (a1 + a3), (b0 + b2) + (b1 + b3)


@pjit
def rhs(
    m,
    h,
    tt,
    cb,
    C,
    X,
    DC,
    DX,
    MC,
    MR,
    MX,
    temperature,
    p,
    delta2,
    delta_p,
    aa,
    W,
    Wl,
    S,
    G0,
    G1,
    fc,
    fx,
    out,
):
    """Right-hand sides of row m: ∂t C(t_m, t_j) -> fc[j], ∂t χ(t_m, t_j) -> fx[j], j <= m.

    ``out`` = [μ, ∂t C̄, energy, ∫_0^t R Q''(C) ds]; ``W``, ``S``, ``G0``, ``G1`` are work
    arrays: on I_k the weight R Q''(C(t_m, s)) is W[k] + S[k] (s − mid I_k) and Q'(C(t_m, s))
    is G0[k] + G1[k] (s − t_k), so that the carried first moments make the products with
    the fast factors of older times exact for linear slow factors.  ``aa[k]`` = Δp/Δp_eff(t_k)
    (annealing): the tensor part of the signal term at t carries aa[m], that of the noise
    kernel between t and s carries aa[m]·a(s), a(s) averaged over each interval.
    """
    mu_int = 0.0
    cb_int = 0.0
    en_int = 0.0
    m2_int = 0.0
    a_t = aa[m]
    ca = C[m, 0]
    for k in range(m):
        dpe = delta_p / (a_t * (0.5 * (aa[k] + aa[k + 1])))
        q1a = q_prime(ca, p, delta2, dpe)
        q2a = q_second(ca, p, delta2, dpe)
        cz = C[m, k + 1]
        q1z = q_prime(cz, p, delta2, dpe)
        q2z = q_second(cz, p, delta2, dpe)
        dq = (X[m, k] - X[m, k + 1]) - (cz - ca)  # ΔQ on I_k
        w2 = (q1z - q1a) + 0.5 * (q2a + q2z) * dq
        w1 = (q_fun(cz, p, delta2, dpe) - q_fun(ca, p, delta2, dpe)) + 0.5 * (q1a + q1z) * dq
        wmu = (cz * q1z - ca * q1a) + 0.5 * (q1a + ca * q2a + q1z + cz * q2z) * dq
        mu_int += wmu
        en_int += w1
        m2_int += w2
        cb_int += 0.5 * w2 * (cb[k] + cb[k + 1])
        dt = tt[k + 1] - tt[k]
        W[k] = w2 / dt
        G0[k] = q1a
        G1[k] = (q1z - q1a) / dt
        ca = cz
    # slope of the weight on the coarse intervals (central difference of interval means);
    # then W[k] <- W[k] − S[k] |I_k|/2 (weight at the left end) for the products with moments
    for k in range(m):
        S[k] = 0.0
        if 0 < k < m - 1 and tt[k + 1] - tt[k] > 1.5 * h:
            S[k] = 2.0 * (W[k + 1] - W[k - 1]) / (tt[k + 2] + tt[k + 1] - tt[k] - tt[k - 1])
    for k in range(m):
        Wl[k] = W[k] - 0.5 * S[k] * (tt[k + 1] - tt[k])
    # Σ_k G0[k] (X[j,k] − X[j,k+1]) = Σ_k X[j,k] (G0[k] − G0[k−1]) (X[j,j] = 0, G0[−1] = 0)
    for k in range(m - 1, 0, -1):
        G0[k] -= G0[k - 1]
    cbm = cb[m]
    dpe = delta_p / a_t
    sig = q_prime(cbm, p, delta2, dpe)
    mu = temperature + sig * cbm + mu_int
    out[0] = mu
    out[1] = -mu * cbm + sig + cb_int
    out[2] = -q_fun(cbm, p, delta2, dpe) - en_int
    out[3] = m2_int
    # rows in pairs (j, j + 1): the same sums as dot2 row by row, in one pass
    for jj in numba.prange(m // 2 + 1):
        j = 2 * jj
        if j + 1 <= m:
            a, a1 = dot2_rows(Wl, DC, S, MC, j, 0, m, j + 1, 0, m)
            b, b1 = dot2_rows(G0, X, G1, MR, j, 0, j, j + 1, 0, j + 1)
            d, d1 = dot2_rows(Wl, DX, S, MX, j, j, m, j + 1, j + 1, m)
            fc[j + 1] = -mu * C[m, j + 1] + sig * cb[j + 1] + a1 + b1
            fx[j + 1] = 1.0 - mu * X[m, j + 1] + d1
        else:
            a = dot2(Wl, DC, S, MC, j, 0, m)
            b = dot2(G0, X, G1, MR, j, 0, j)
            d = dot2(Wl, DX, S, MX, j, j, m)
        fc[j] = -mu * C[m, j] + sig * cb[j] + a + b
        fx[j] = 1.0 - mu * X[m, j] + d


@pjit
def store_row(m, h, C, X, DC, DX, MC, MR, MX, tt, vc, vx):
    """Write row m + 1 (values vc[j], vx[j], j <= m) and the integrals of its new interval."""
    n = m + 1
    tt[n] = tt[m] + h
    for j in numba.prange(n):
        C[n, j] = vc[j]
        C[j, n] = vc[j]
        X[n, j] = vx[j]
    C[n, n] = 1.0
    X[n, n] = 0.0
    for j in numba.prange(n):
        # column direction over the new interval I_m = [t_m, t_{m+1}]
        DC[j, m] = 0.5 * h * (C[m, j] + C[n, j])
        DX[j, m] = 0.5 * h * (X[m, j] + X[n, j])
        MC[j, m] = h * h * (C[m, j] + 2.0 * C[n, j]) / 6.0
        MX[j, m] = h * h * (X[m, j] + 2.0 * X[n, j]) / 6.0
    for k in range(n):
        # row direction of the new row (its own fast part is in I_m, at step h); values
        # linear between nodes, R linear on I_m from R(t_n, t_m) to R(t_n, t_n⁻) = 1
        dt = tt[k + 1] - tt[k]
        DC[n, k] = 0.5 * dt * (C[n, k] + C[n, k + 1])
        MC[n, k] = dt * dt * (C[n, k] + 2.0 * C[n, k + 1]) / 6.0
        rho = X[n, k] - X[n, k + 1]
        if k == m:
            MR[n, k] = dt * dt * (2.0 * rho / dt + 1.0) / 6.0
        else:
            MR[n, k] = 0.5 * dt * rho


@jit
def heun_step(
    m,
    h,
    tt,
    cb,
    C,
    X,
    DC,
    DX,
    MC,
    MR,
    MX,
    temperature,
    p,
    delta2,
    delta_p,
    aa,
    a1,
    W,
    Wl,
    S,
    G0,
    G1,
    fc0,
    fx0,
    fc1,
    fx1,
    vc,
    vx,
    out,
):
    """One Heun step (explicit trapezoid) from row m to row m + 1.

    On entry ``fc0``, ``fx0``, ``out`` hold :func:`rhs` at row m; on exit they hold it at
    the new row m + 1 (so each step costs two right-hand sides).  ``a1`` = Δp/Δp_eff at
    t_m + h.
    """
    g0 = out[1]
    aa[m + 1] = a1
    for j in range(m + 1):
        vc[j] = C[m, j] + h * fc0[j]
        vx[j] = X[m, j] + h * fx0[j]
    cb[m + 1] = cb[m] + h * g0
    store_row(m, h, C, X, DC, DX, MC, MR, MX, tt, vc, vx)
    rhs(
        m + 1,
        h,
        tt,
        cb,
        C,
        X,
        DC,
        DX,
        MC,
        MR,
        MX,
        temperature,
        p,
        delta2,
        delta_p,
        aa,
        W,
        Wl,
        S,
        G0,
        G1,
        fc1,
        fx1,
        out,
    )
    for j in range(m + 1):
        vc[j] = C[m, j] + 0.5 * h * (fc0[j] + fc1[j])
        vx[j] = X[m, j] + 0.5 * h * (fx0[j] + fx1[j])
    cb[m + 1] = cb[m] + 0.5 * h * (g0 + out[1])
    store_row(m, h, C, X, DC, DX, MC, MR, MX, tt, vc, vx)
    rhs(
        m + 1,
        h,
        tt,
        cb,
        C,
        X,
        DC,
        DX,
        MC,
        MR,
        MX,
        temperature,
        p,
        delta2,
        delta_p,
        aa,
        W,
        Wl,
        S,
        G0,
        G1,
        fc0,
        fx0,
        out,
    )


@jit
def keep_mask(idx, cb, m, points_per_octave, max_jump, n_protected, protected, keep):
    """Times to keep: step index a multiple of 2^l, l = ⌊log2(D/B)⌋ (D >= B), D the distance
    in steps to the nearer end of [0, t_m]; t_0, t_m and ``protected`` indices always; and
    a time is kept if dropping it would make C̄ change by more than ``max_jump`` across one
    interval (so the escape front stays resolved in the memory)."""
    i_m = idx[m]
    n_drop = 0
    last = 0
    for a in range(m + 1):
        d = min(i_m - idx[a], idx[a])
        ok = True
        if d >= points_per_octave and a != m:
            lev = int(math.floor(math.log2(d / points_per_octave)))
            ok = idx[a] % (np.int64(1) << lev) == 0
        if not ok:
            for q in range(n_protected):
                if protected[q] == idx[a]:
                    ok = True
        if not ok and abs(cb[a + 1] - cb[last]) > max_jump:
            ok = True
        keep[a] = ok
        if ok:
            last = a
        else:
            n_drop += 1
    return n_drop


@jit
def compact(m, keep, tt, idx, cb, aa, C, X, DC, DX, MC, MR, MX):
    """Drop the times with keep[a] false: node values removed, interval integrals (and first
    moments, shifted to the new left end) of dropped intervals added to the previous kept
    interval.  Returns the new m.

    Rows and columns before the first dropped time d0 keep their place: a row a < d0 is
    rewritten from column d0 − 1 on only (the others would be rewritten with themselves),
    the columns before d0 − 1 of a moved row are copied with the general loop's arithmetic."""
    newpos = np.empty(m + 1, dtype=np.int64)
    n = 0
    d0 = m + 1
    for a in range(m + 1):
        if keep[a]:
            newpos[a] = n
            n += 1
        else:
            newpos[a] = -1
            if d0 > m:
                d0 = a
    if d0 > m:
        return m
    for a in range(m + 1):
        if not keep[a]:
            continue
        na = newpos[a]
        if a >= d0:
            # a moves to row na < a; before column d0 − 1 every interval is its own kept
            # interval: the general loop below would give exactly these values
            for k in range(d0 - 1):
                DC[na, k] = 0.0 + DC[a, k]
                DX[na, k] = 0.0 + DX[a, k]
                MC[na, k] = 0.0 + (MC[a, k] + 0.0 * DC[a, k])
                MX[na, k] = 0.0 + (MX[a, k] + 0.0 * DX[a, k])
                MR[na, k] = 0.0 + (MR[a, k] + 0.0 * (X[a, k] - X[a, k + 1]))
            for b in range(d0):
                C[na, b] = C[a, b]
                X[na, b] = X[a, b]
        # intervals from k0 = d0 − 1 on (they read the old χ row); the sums restart at the
        # kept time k0 as they would from k = 0
        k0 = d0 - 1
        sc = sx = mc = mr = mx = 0.0
        owner = newpos[k0]
        t_left = tt[k0]
        for k in range(k0, m):
            if keep[k]:
                owner = newpos[k]
                t_left = tt[k]
                sc = sx = mc = mr = mx = 0.0
            off = tt[k] - t_left
            rho = X[a, k] - X[a, k + 1]
            mc += MC[a, k] + off * DC[a, k]
            mx += MX[a, k] + off * DX[a, k]
            mr += MR[a, k] + off * rho
            sc += DC[a, k]
            sx += DX[a, k]
            if keep[k + 1]:
                DC[na, owner] = sc
                DX[na, owner] = sx
                MC[na, owner] = mc
                MX[na, owner] = mx
                MR[na, owner] = mr
        for b in range(d0, m + 1):
            if keep[b]:
                C[na, newpos[b]] = C[a, b]
                X[na, newpos[b]] = X[a, b]
    for a in range(d0, m + 1):
        if keep[a]:
            tt[newpos[a]] = tt[a]
            idx[newpos[a]] = idx[a]
            cb[newpos[a]] = cb[a]
            aa[newpos[a]] = aa[a]
    return n - 1
