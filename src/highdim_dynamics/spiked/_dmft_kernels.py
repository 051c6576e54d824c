"""Numba kernels of the planted 2+p DMFT on a Kim–Latz adaptive two-time grid.

The public solver is :func:`highdim_dynamics.spiked.langevin_dmft.langevin_dmft`; this
module only holds array kernels (compiled with :func:`highdim_dynamics._jit.jit`).

Grid and storage
----------------
The window holds ``n`` equally spaced times ``t_k = k h`` (k = 0..n-1), always starting
at t = 0.  Two-time functions are stored for ``j <= i``: ``C[i, j] = C(t_i, t_j)`` and
``R[i, j] = R(t_i, t_j)`` (with ``C[i, i] = R[i, i] = 1``: R(t+, t) = 1).  Besides the
values, every row stores the *interval integrals* over its second argument,
``dX[i, k] = ∫_{t_{k-1}}^{t_k} X(t_i, s) ds`` for X in {C, R, R f', R f'', R (f' + C f'')},
where f is the noise covariance of the (possibly annealed) Hamiltonian.  When the window
is full, every other time is dropped, the step doubles and the interval integrals of
the kept rows are *carried*: ``dX_new[I, K] = dX_old[2I, 2K] + dX_old[2I, 2K-1]``, so
that the fast near-diagonal structure resolved on the fine grid is not lost.

Integrals
---------
* A row integral ``∫ R(t_i, s) G(C(t_i, s)) g(s) ds`` with g slow is
  ``Σ_k dX[i, k] (g_k + g_{k-1}) / 2``.
* On an interval [a, b] where one factor A is fast near b and the other B fast near a
  (for example R(t_i, s) near s = t_i and C(s, t_j) near s = t_j) we use
  ``∫ A B ≈ dA B(b) + dB A(a) - h A(a) B(b)``, which is the trapezoid rule when both
  are smooth and exact in the fast-fast limit (each fast part multiplies the other
  factor's value at the far end).
* The integrals over the *first* argument of C(s, t_j) and R(s, t_j) on the first
  ``nb`` intervals above t_j use time-translation invariance of the fast part,
  ``∫_{t_{k-1}}^{t_k} R(s, t_j) ds ≈ dR[k, j+1]``; farther away the trapezoid rule.
* For new rows, the interval integrals are the trapezoid rule plus, on the ``nb``
  intervals nearest the diagonal, a correction (exact minus trapezoid) frozen at the
  last decimation (the fast part is stationary on the scale of one window).

Time stepping
-------------
For a column j, ``∂_t X(t, t_j) = -λ X + G`` where λ = μ(t) minus the part of the
memory proportional to X(t, t_j) itself (treated implicitly).  Columns far from the
diagonal (j <= i-3) and C̄ use the exponential trapezoidal rule (ETD2); the two
columns nearest the diagonal use exponential Euler with G at the new row, which relaxes
the fast transient correctly when hλ >> 1 (BDF2 and backward Euler leave an O(1/(hλ))
remnant there, and BDF2 oscillates when hλ ~ 1).  The implicit row is solved by
Jacobi sweeps to a tolerance; failure is reported to the caller.
"""

from __future__ import annotations

import math

import numpy as np

from .._jit import jit

# kinds of interval integrals stored per row
K_C, K_R, K_R1, K_R2, K_R12 = 0, 1, 2, 3, 4
N_KINDS = 5


@jit
def noise_f0(c, w, p, delta2, delta_p):
    """f(c) = c²/(2Δ2) + w c^p/(pΔp) (noise covariance / N, tensor weight w)."""
    return c * c / (2.0 * delta2) + w * c**p / (p * delta_p)


@jit
def noise_f1(c, w, p, delta2, delta_p):
    """f'(c) of the noise covariance with tensor weight w = a(t) a(s): c/Δ2 + w c^(p-1)/Δp."""
    return c / delta2 + w * c ** (p - 1) / delta_p


@jit
def noise_f2(c, w, p, delta2, delta_p):
    """f''(c) = 1/Δ2 + w (p-1) c^(p-2)/Δp."""
    return 1.0 / delta2 + w * (p - 1) * c ** (p - 2) / delta_p


@jit
def anneal_factor(t, delta_p, anneal_c, anneal_tau):
    """a(t) = Δp / Δp_eff(t) with Δp_eff(t) = Δp + c exp(-t/τ) (a = 1 without annealing)."""
    if anneal_c == 0.0:
        return 1.0
    return delta_p / (delta_p + anneal_c * math.exp(-t / anneal_tau))


@jit
def _phi1(lam, h):
    """(1 - exp(-λh))/λ, stable for small λh."""
    x = lam * h
    if abs(x) < 1e-8:
        return h * (1.0 - 0.5 * x)
    return -math.expm1(-x) / lam


@jit
def _trapezoid_interval(i, k, C, R, aa, h, p, delta2, delta_p, out):
    """Trapezoid integrals over [t_{k-1}, t_k] on row i of C, R, RQ', RQ'' and R(Q'+CQ'').

    Written into ``out[q]`` for q in (K_C, K_R, K_R1, K_R2, K_R12); shared by the row
    integrals and by the band corrections, which subtract it from the carried integrals.
    """
    ai = aa[i]
    if k == i:
        ck, rk = 1.0, 1.0
    else:
        ck, rk = C[i, k], R[i, k]
    ck1, rk1 = C[i, k - 1], R[i, k - 1]
    wk = ai * aa[k]
    wk1 = ai * aa[k - 1]
    f1k = noise_f1(ck, wk, p, delta2, delta_p)
    f1k1 = noise_f1(ck1, wk1, p, delta2, delta_p)
    f2k = noise_f2(ck, wk, p, delta2, delta_p)
    f2k1 = noise_f2(ck1, wk1, p, delta2, delta_p)
    hh = 0.5 * h
    out[K_C] = hh * (ck + ck1)
    out[K_R] = hh * (rk + rk1)
    out[K_R1] = hh * (rk * f1k + rk1 * f1k1)
    out[K_R2] = hh * (rk * f2k + rk1 * f2k1)
    out[K_R12] = hh * (rk * (f1k + ck * f2k) + rk1 * (f1k1 + ck1 * f2k1))


@jit
def _row_integrals(i, C, R, dX, aa, corr, h, nb, p, delta2, delta_p, temperature, n_fdt):
    """Fill dX[:, i, 1..i] from the current values of row i (trapezoid + band correction)."""
    ai = aa[i]
    trap = np.empty(N_KINDS)
    # values at s = t_k for k = 0..i
    for k in range(1, i + 1):
        _trapezoid_interval(i, k, C, R, aa, h, p, delta2, delta_p, trap)
        for q in range(N_KINDS):
            dX[q, i, k] = trap[q]
        if k == i:
            ck = 1.0
        else:
            ck = C[i, k]
        ck1 = C[i, k - 1]
        wk = ai * aa[k]
        d = i - k
        if d < nb:
            for q in range(N_KINDS):
                dX[q, i, k] += corr[q, d]
        if d < n_fdt:
            # quasi-equilibrium of the fast part: R(t,s) = ∂_s C(t,s)/T, so the interval
            # integrals are exact differences of antiderivatives in C-space
            it = 1.0 / temperature
            dX[K_R, i, k] = (ck - ck1) * it
            dX[K_R1, i, k] = (noise_f0(ck, wk, p, delta2, delta_p)
                              - noise_f0(ck1, wk, p, delta2, delta_p)) * it
            dX[K_R2, i, k] = (noise_f1(ck, wk, p, delta2, delta_p)
                              - noise_f1(ck1, wk, p, delta2, delta_p)) * it
            dX[K_R12, i, k] = (ck * noise_f1(ck, wk, p, delta2, delta_p)
                               - ck1 * noise_f1(ck1, wk, p, delta2, delta_p)) * it


@jit
def band_corrections(i, C, R, dX, aa, corr, h, nb, p, delta2, delta_p):
    """corr[q, d] = (carried integral) - (trapezoid at step h) on row i, distance d < nb."""
    trap = np.empty(N_KINDS)
    for d in range(nb):
        k = i - d
        if k < 1:
            for q in range(N_KINDS):
                corr[q, d] = 0.0
            continue
        _trapezoid_interval(i, k, C, R, aa, h, p, delta2, delta_p, trap)
        for q in range(N_KINDS):
            corr[q, d] = dX[q, i, k] - trap[q]


@jit
def decimate(n, C, R, dX, cbar, mu, aa):
    """Keep every other time of a full window of n points (in place); return n // 2."""
    m = n // 2
    for I in range(m):
        for J in range(I + 1):
            C[I, J] = C[2 * I, 2 * J]
            R[I, J] = R[2 * I, 2 * J]
            if J >= 1:
                for q in range(N_KINDS):
                    dX[q, I, J] = dX[q, 2 * I, 2 * J] + dX[q, 2 * I, 2 * J - 1]
        cbar[I] = cbar[2 * I]
        mu[I] = mu[2 * I]
        aa[I] = aa[2 * I]
    return m


@jit
def _psi(lam, h):
    """∫_0^h e^{-λ(h-s)} s/h ds = φ1 - (φ1 - h e^{-λh})/(λh) (weight of the new end in ETD2)."""
    x = lam * h
    if abs(x) < 1e-4:
        return h * (0.5 - x / 6.0)
    ph = _phi1(lam, h)
    return ph - (ph - h * math.exp(-x)) / x


@jit
def row_rhs(i, h, C, R, dX, cbar, aa, corr, nb, temperature, p, delta2, delta_p,
            work_a, work_g1, g_c, g_r, recompute_integrals, n_fdt):
    """Right-hand sides of row i for the current values of the row.

    Writes G of every column j < i (∂t X = -λ X + G) into ``g_c``/``g_r`` and returns
    ``(μ_i, λ, G_C̄, λ_C̄)``.  With ``recompute_integrals`` false the stored interval
    integrals of row i are used as they are (a row carried through a decimation).
    """
    ai = aa[i]
    if recompute_integrals:
        _row_integrals(i, C, R, dX, aa, corr, h, nb, p, delta2, delta_p, temperature, n_fdt)
    for k in range(i + 1):
        w = ai * aa[k]
        ck = 1.0 if k == i else C[i, k]
        rk = 1.0 if k == i else R[i, k]
        work_a[k] = rk * noise_f2(ck, w, p, delta2, delta_p)
        work_g1[k] = noise_f1(ck, w, p, delta2, delta_p)
    cb = cbar[i]
    sig1 = cb / delta2 + ai * cb ** (p - 1) / delta_p  # signal Q'(C̄) (annealed)
    m_int = 0.0
    for k in range(1, i + 1):
        m_int += dX[K_R12, i, k]
    mu_i = temperature + sig1 * cb + m_int
    # implicit coefficient of X(t_i, t_j) in the memory of column j
    coef = dX[K_R2, i, i] - 0.5 * h * work_a[i - 1]
    lam = mu_i - coef
    s_cb = 0.0
    for k in range(1, i + 1):
        s_cb += dX[K_R2, i, k] * 0.5 * (cbar[k] + cbar[k - 1])
    lam_cb = mu_i - 0.5 * dX[K_R2, i, i]
    f_cb = sig1 + s_cb - 0.5 * dX[K_R2, i, i] * cb
    for j in range(i):
        cij = C[i, j]
        rij = R[i, j]
        # I_a: ∫_0^{t_i} R(t_i,s) f''(C(t_i,s)) C(t_j,s) ds
        ia = 0.0
        for k in range(1, j):
            ia += dX[K_R2, i, k] * 0.5 * (C[j, k] + C[j, k - 1])
        if j >= 1:
            ia += dX[K_R2, i, j] / h * dX[K_C, j, j]
        # I_c: ∫_{t_j}^{t_i} R(t_i,s) f''(C(t_i,s)) R(s,t_j) ds
        ic = 0.0
        for k in range(j + 1, i + 1):
            a_a = work_a[k - 1]
            if k == i:
                cb_b, rb_b = cij, rij
            else:
                cb_b, rb_b = C[k, j], R[k, j]
            if k - j <= nb:
                dbc = dX[K_C, k, j + 1]
                dbr = dX[K_R, k, j + 1]
            else:
                dbc = 0.5 * h * (cb_b + C[k - 1, j])
                dbr = 0.5 * h * (rb_b + R[k - 1, j])
            da = dX[K_R2, i, k]
            ia += da * cb_b + dbc * a_a - h * a_a * cb_b
            ic += da * rb_b + dbr * a_a - h * a_a * rb_b
        # I_b: ∫_0^{t_j} R(t_j,s) f'(C(t_i,s)) ds
        ib = 0.0
        for k in range(1, j + 1):
            ib += dX[K_R, j, k] * 0.5 * (work_g1[k] + work_g1[k - 1])
        g_c[j] = sig1 * cbar[j] + ia + ib - coef * cij
        g_r[j] = ic - coef * rij
    return mu_i, lam, f_cb, lam_cb


@jit
def prime_after_decimation(m, h, C, R, dX, cbar, mu, aa, corr, nb, temperature, p,
                           delta2, delta_p, work_a, work_g1, gprev_c, gprev_r, scal):
    """After a decimation, evaluate G on the carried last row m-1 (new step h) so that
    the first new row can use the second-order ETD2 step like every other row."""
    mu_i, lam, f_cb, lam_cb = row_rhs(m - 1, h, C, R, dX, cbar, aa, corr, nb, temperature,
                                      p, delta2, delta_p, work_a, work_g1, gprev_c,
                                      gprev_r, False, 0)
    scal[0] = 1.0
    scal[1] = lam
    scal[2] = f_cb
    scal[3] = lam_cb


@jit
def advance_rows(i_start, i_stop, h, C, R, dX, cbar, mu, aa, corr, nb, temperature,
                 p, delta2, delta_p, anneal_c, anneal_tau, tol, max_sweeps,
                 tws, out_t, out_cbar, out_mu, out_energy, out_m2, out_ctw, out_chitw, n_out,
                 work_c, work_r, work_g1, work_a, gprev_c, gprev_r, gnew_c, gnew_r,
                 scal, delta_c, delta_r, n_defect, n_fdt, cbar_stop):
    """Compute rows i_start..i_stop-1 of the window (step h); record one output per row.

    Each column obeys ∂t X = -λ X + G(t) with λ = μ minus the implicit part of the
    memory.  Columns at distance d = i - j >= 3 and C̄ use the exponential trapezoidal
    rule (ETD2: G linear between the previous and the new row), exact for the linear
    part whatever hλ, second order, and free of the oscillations BDF2 shows at hλ ~ 1;
    d <= 2 (where G varies on the fast scale inside one step) use exponential Euler with
    G at the new row.  ``scal`` carries [have_prev, λ_prev, G_prev(C̄), λ_prev(C̄),
    clamp] between calls; ``gprev_*`` the G of the previous row.

    Near-diagonal defect correction: the columns nearest the diagonal vary on the fast
    scale, which one step does not resolve when hλ ~ 1 or larger.  On the first row
    after a decimation the columns at distance d <= n_defect are clamped to their
    time-translated values from the finer grid (X[i-1, i-1-d]) and the difference δ_d
    with the scheme's value is recorded; later rows of the same level add δ_d to the scheme's value, so
    the near-diagonal structure resolved on the finer grid is carried, while its slow
    change (e.g. when C̄ escapes) still follows the equations.

    Returns ``(n_out, status, t_fail, residual)``: status 0 = success, 1 = the sweeps
    did not converge at time t_fail (residual = last max change), 2 = non-finite value,
    3 = stopped because |C̄| exceeded ``cbar_stop`` (used by the growth-rate analysis).
    """
    n_tw = tws.shape[0]
    for i in range(i_start, i_stop):
        t = i * h
        aa[i] = anneal_factor(t, delta_p, anneal_c, anneal_tau)
        ai = aa[i]
        have_prev = scal[0] > 0.5 and i >= 2
        clamp = scal[4] > 0.5 and i == i_start and i > n_defect + 1
        lam_prev = scal[1]
        g_cb_prev = scal[2]
        lam_cb_prev = scal[3]
        # predictor: shift the previous row
        C[i, i] = 1.0
        R[i, i] = 1.0
        for j in range(i - 1):
            C[i, j] = C[i - 1, j]
            R[i, j] = R[i - 1, j]
        if i >= 2:
            C[i, i - 1] = C[i - 1, i - 2]
            R[i, i - 1] = R[i - 1, i - 2]
            cbar[i] = 2.0 * cbar[i - 1] - cbar[i - 2]
        else:
            C[i, i - 1] = C[i - 1, i - 1]
            R[i, i - 1] = R[i - 1, i - 1]
            cbar[i] = cbar[i - 1]
        residual = 0.0
        converged = False
        lam = 0.0
        lam_cb = 0.0
        f_cb = 0.0
        for sweep in range(max_sweeps):
            mu_i, lam, f_cb, lam_cb = row_rhs(i, h, C, R, dX, cbar, aa, corr, nb,
                                              temperature, p, delta2, delta_p, work_a,
                                              work_g1, gnew_c, gnew_r, True, n_fdt)
            mu[i] = mu_i
            e_l = math.exp(-lam * h)
            ph_l = _phi1(lam, h)
            ps_l = _psi(lam, h)
            # ---- C̄ ----
            cb = cbar[i]
            e_cb = math.exp(-lam_cb * h)
            if have_prev:
                g0 = g_cb_prev + (lam_cb - lam_cb_prev) * cbar[i - 1]
                ps = _psi(lam_cb, h)
                new_cb = cbar[i - 1] * e_cb + g0 * (_phi1(lam_cb, h) - ps) + f_cb * ps
            else:
                new_cb = cbar[i - 1] * e_cb + _phi1(lam_cb, h) * f_cb
            change = abs(new_cb - cb)
            # ---- columns j < i ----
            dl = lam - lam_prev
            for j in range(i):
                f_c = gnew_c[j]
                f_r = gnew_r[j]
                d = i - j
                if have_prev and d >= 3:
                    g0c = gprev_c[j] + dl * C[i - 1, j]
                    g0r = gprev_r[j] + dl * R[i - 1, j]
                    new_c = C[i - 1, j] * e_l + g0c * (ph_l - ps_l) + f_c * ps_l
                    new_r = R[i - 1, j] * e_l + g0r * (ph_l - ps_l) + f_r * ps_l
                else:
                    new_c = C[i - 1, j] * e_l + ph_l * f_c
                    new_r = R[i - 1, j] * e_l + ph_l * f_r
                if d <= n_defect:
                    if clamp:
                        delta_c[d] = C[i - 1, i - 1 - d] - new_c
                        delta_r[d] = R[i - 1, i - 1 - d] - new_r
                    new_c += delta_c[d]
                    new_r += delta_r[d]
                dc = abs(new_c - C[i, j])
                dr = abs(new_r - R[i, j])
                work_c[j] = new_c
                work_r[j] = new_r
                if dc > change:
                    change = dc
                if dr > change:
                    change = dr
            for j in range(i):
                C[i, j] = work_c[j]
                R[i, j] = work_r[j]
            cbar[i] = new_cb
            residual = change
            if not math.isfinite(change):
                return n_out, 2, t, residual
            if change < tol:
                converged = True
                break
        if not converged:
            return n_out, 1, t, residual
        # G of the converged row, kept for the next ETD2 step
        mu_i, lam, f_cb, lam_cb = row_rhs(i, h, C, R, dX, cbar, aa, corr, nb, temperature,
                                          p, delta2, delta_p, work_a, work_g1, gprev_c,
                                          gprev_r, True, n_fdt)
        mu[i] = mu_i
        scal[0] = 1.0
        scal[1] = lam
        scal[2] = f_cb
        scal[3] = lam_cb
        scal[4] = 0.0
        cb = cbar[i]
        e_int = 0.0
        m2_int = 0.0
        for k in range(1, i + 1):
            e_int += dX[K_R1, i, k]
            m2_int += dX[K_R2, i, k]
        out_m2[n_out] = m2_int
        out_t[n_out] = t
        out_cbar[n_out] = cb
        out_mu[n_out] = mu_i
        out_energy[n_out] = -(cb * cb / (2.0 * delta2) + ai * cb**p / (p * delta_p)) - e_int
        for q in range(n_tw):
            tw = tws[q]
            if tw > t + 1e-12 * h:
                out_ctw[n_out, q] = np.nan
                out_chitw[n_out, q] = np.nan
                continue
            u = tw / h
            k = int(math.floor(u))
            if k >= i:
                k = i - 1 if i >= 1 else 0
            f = u - k
            c_hi = 1.0 if k + 1 == i else C[i, min(k + 1, i)]
            out_ctw[n_out, q] = C[i, k] * (1.0 - f) + c_hi * f
            chi = 0.0
            for kk in range(k + 2, i + 1):
                chi += dX[K_R, i, kk]
            if k + 1 <= i:
                chi += dX[K_R, i, k + 1] * (1.0 - f)
            out_chitw[n_out, q] = chi
        n_out += 1
        if abs(cb) > cbar_stop:
            return n_out, 3, t, 0.0
    return n_out, 0, 0.0, 0.0
