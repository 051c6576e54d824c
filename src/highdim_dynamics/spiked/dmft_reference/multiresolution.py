"""Reference DMFT of the planted 2+p model on a multi-resolution grid (tests and benchmarks).

Integrates the DMFT equations of PRX 2020, Sec. IV (C, R, C̄ and μ; with optional
annealing of the tensor terms, :func:`highdim_dynamics.spiked.model.anneal_weight`) by
Heun steps of fixed size h next to the diagonal, keeping the memory at B points per octave
of the distance to the nearer end of [0, t] and carrying interval integrals of C and R so
that the cusp at each time stays resolved.  Error O(h²) plus a memory error controlled by B
(independent of h); escape times are converged by Richardson extrapolation in h at fixed B
(:func:`multiresolution_escape_time`).  Scheme, storage and measured convergence:
``docs/numerics.md`` (reference DMFT) and ``docs/dmft_reference.md``.
"""

from __future__ import annotations

import math

import numba
import numpy as np
import pandas as pd

from highdim_dynamics.core.jit import jit, pjit
from highdim_dynamics.core.progress import Progress
from highdim_dynamics.core.validation import (
    DivergenceError,
    ParameterError,
    integer,
    nonnegative,
    positive,
    sequence,
)
from highdim_dynamics.spiked.model import (
    anneal_weight,
    check_explicit_step,
    q_fun,
    q_prime,
    q_second,
    validate_model,
)

from .anneal import as_schedule


@jit
def _dot(x, M, j, lo, hi):
    """Σ_{k=lo}^{hi-1} x[k] M[j, k] with four interleaved partial sums.

    A fixed summation order (so results do not depend on the machine or the thread count)
    that breaks the single floating-point dependency chain: about 3x faster than the plain
    loop without fastmath.
    """
    s0 = 0.0
    s1 = 0.0
    s2 = 0.0
    s3 = 0.0
    k = np.int64(lo)  # prange indices are unsigned: uint64 + int64 would be float64
    hi = np.int64(hi)
    while k + 3 < hi:
        s0 += x[k] * M[j, k]
        s1 += x[k + 1] * M[j, k + 1]
        s2 += x[k + 2] * M[j, k + 2]
        s3 += x[k + 3] * M[j, k + 3]
        k += 4
    while k < hi:
        s0 += x[k] * M[j, k]
        k += 1
    return (s0 + s1) + (s2 + s3)


@pjit
def _rhs(m, tt, cb, cr, rr, DC, DR, aa, temperature, p, delta2, delta_p, A, Bm, fc, fr, out):
    """Right-hand sides of the current row m (node values ``cr``, ``rr`` given).

    Writes ∂t C(t_m, t_j), ∂t R(t_m, t_j) into ``fc[j]``, ``fr[j]`` (j = 0..m) and
    ``out = [μ, ∂t C̄, energy, ∫ R Q'' ds]``.  ``A``, ``Bm`` are work arrays (interval
    means of R Q'' and of Q' after the call).  ``aa[k]`` = a(t_k), the annealing weight
    of the tensor terms (1 without annealing): the noise kernel between t_m and t_k has
    tensor weight a(t_m) a(t_k), i.e. Δp replaced by Δp / (a(t_m) a(t_k)).
    """
    mu_int = 0.0
    cb_int = 0.0
    en_int = 0.0
    m2_int = 0.0
    am = aa[m]
    # node values: a = R Q'', b = Q', g = R (Q' + Q'' C); interval means into A (a), Bm (b)
    dp = delta_p / (am * aa[0])
    a_prev = rr[0] * q_second(cr[0], p, delta2, dp)
    b_prev = q_prime(cr[0], p, delta2, dp)
    g_prev = rr[0] * (b_prev + q_second(cr[0], p, delta2, dp) * cr[0])
    for k in range(m):
        c = cr[k + 1]
        dp = delta_p / (am * aa[k + 1])
        q1 = q_prime(c, p, delta2, dp)
        q2 = q_second(c, p, delta2, dp)
        a = rr[k + 1] * q2
        g = rr[k + 1] * (q1 + q2 * c)
        dt = tt[k + 1] - tt[k]
        mu_int += 0.5 * dt * (g_prev + g)
        cb_int += 0.5 * dt * (a_prev * cb[k] + a * cb[k + 1])
        en_int += 0.5 * dt * (rr[k] * b_prev + rr[k + 1] * q1)
        m2_int += 0.5 * dt * (a_prev + a)
        A[k] = 0.5 * (a_prev + a)
        Bm[k] = 0.5 * (b_prev + q1)
        a_prev, b_prev, g_prev = a, q1, g
    cbm = cb[m]
    sig = q_prime(cbm, p, delta2, delta_p / am)  # signal: one factor a(t_m)
    mu = temperature + sig * cbm + mu_int
    out[0] = mu
    out[1] = -mu * cbm + sig + cb_int
    out[2] = -q_fun(cbm, p, delta2, delta_p / am) - en_int
    out[3] = m2_int
    for j in numba.prange(m + 1):
        i13 = _dot(A, DC, j, 0, m)
        i2 = _dot(Bm, DR, j, 0, j)
        i3 = _dot(A, DR, j, j, m)
        fc[j] = -mu * cr[j] + sig * cb[j] + i13 + i2
        fr[j] = -mu * rr[j] + i3


@jit
def _set_row(m, h, tt, cprev, rprev, vc, vr, cr, rr, DC, DR):
    """Make (vc, vr) the current row m (vc[m] = vr[m] = 1 set here).

    Writes the integrals of the newest interval I_{m-1} = [t_{m-1}, t_m] over every
    column (DC/DR[j, m-1], j <= m-1, from the previous row ``cprev``, ``rprev``) and
    the row integrals DC/DR[m, k], k < m, of the new row (trapezoid).
    """
    vc[m] = 1.0
    vr[m] = 1.0
    for j in range(m):
        DC[j, m - 1] = 0.5 * h * (cprev[j] + vc[j])
        DR[j, m - 1] = 0.5 * h * (rprev[j] + vr[j])
    for k in range(m):
        dt = tt[k + 1] - tt[k]
        DC[m, k] = 0.5 * dt * (vc[k] + vc[k + 1])
        DR[m, k] = 0.5 * dt * (vr[k] + vr[k + 1])
    for k in range(m + 1):
        cr[k] = vc[k]
        rr[k] = vr[k]


@jit
def _heun_step(
    m,
    h,
    step,
    tt,
    idx,
    cb,
    cr,
    rr,
    c0,
    r0,
    vc,
    vr,
    f0c,
    f0r,
    f1c,
    f1r,
    DC,
    DR,
    aa,
    anneal,
    temperature,
    p,
    delta2,
    delta_p,
    A,
    Bm,
    out,
):
    """One Heun step from the current row m to row m + 1 (time ``step``·h).

    On entry ``f0c``, ``f0r`` and ``out[1]`` hold the right-hand sides of row m; on exit
    they hold those of the new row (ready for the next step) and ``out`` its μ, ∂t C̄,
    energy and ∫ R Q'' ds.  Predictor (Euler) then corrector (trapezoid in time), each
    followed by the row's interval integrals (:func:`_set_row`); the new column starts
    from C = R = 1.  ``anneal`` = (c, τ, t_hold) of :func:`highdim_dynamics.spiked.model.anneal_weight`.
    """
    mn = m + 1
    g0 = out[1]
    for k in range(mn):
        c0[k] = cr[k]
        r0[k] = rr[k]
    tt[mn] = step * h
    idx[mn] = step
    aa[mn] = anneal_weight(step * h, delta_p, anneal[0], anneal[1], anneal[2])
    for k in range(mn):
        vc[k] = c0[k] + h * f0c[k]
        vr[k] = r0[k] + h * f0r[k]
    _set_row(mn, h, tt, c0, r0, vc, vr, cr, rr, DC, DR)
    cb[mn] = cb[m] + h * g0
    _rhs(mn, tt, cb, cr, rr, DC, DR, aa, temperature, p, delta2, delta_p, A, Bm, f1c, f1r, out)
    g1 = out[1]
    for k in range(mn):
        vc[k] = c0[k] + 0.5 * h * (f0c[k] + f1c[k])
        vr[k] = r0[k] + 0.5 * h * (f0r[k] + f1r[k])
    _set_row(mn, h, tt, c0, r0, vc, vr, cr, rr, DC, DR)
    cb[mn] = cb[m] + 0.5 * h * (g0 + g1)
    _rhs(mn, tt, cb, cr, rr, DC, DR, aa, temperature, p, delta2, delta_p, A, Bm, f0c, f0r, out)


@jit
def _compact(m, keep, tt, idx, cb, cr, rr, fc, fr, DC, DR, aa):
    """Drop the times with keep[k] == False (k < m), merging their interval integrals.

    The interval integrals of the merged intervals are summed (additivity); node
    vectors are compacted.  Returns the new index of the current time.
    """
    new = 0
    for j in range(m + 1):
        if not keep[j]:
            continue
        # row j -> row `new`: merge its interval integrals (in place, left to right)
        acc_c = 0.0
        acc_r = 0.0
        cur = 0
        for k in range(m):
            acc_c += DC[j, k]
            acc_r += DR[j, k]
            if keep[k + 1]:
                DC[new, cur] = acc_c
                DR[new, cur] = acc_r
                cur += 1
                acc_c = 0.0
                acc_r = 0.0
        tt[new] = tt[j]
        aa[new] = aa[j]
        idx[new] = idx[j]
        cb[new] = cb[j]
        cr[new] = cr[j]
        rr[new] = rr[j]
        fc[new] = fc[j]
        fr[new] = fr[j]
        new += 1
    return new - 1


def _keep_mask(idx, m, points_per_octave, protected):
    """Times kept at the current index idx[m] (rule of the module docstring)."""
    dist = np.minimum(idx[m] - idx[: m + 1], idx[: m + 1])  # min(lag, age), in steps
    level = np.zeros(m + 1, dtype=np.int64)
    far = dist >= 2 * points_per_octave
    level[far] = np.floor(np.log2(dist[far] / points_per_octave)).astype(np.int64)
    keep = (idx[: m + 1] % (np.int64(1) << level)) == 0
    keep |= np.isin(idx[: m + 1], protected)
    keep[m] = True
    return keep


def multiresolution_dmft(
    p,
    delta2,
    delta_p,
    *,
    temperature=1.0,
    cbar0=1e-4,
    t_max=100.0,
    h=0.05,
    points_per_octave=32,
    waiting_times=None,
    cbar_stop=None,
    record_every=1,
    snapshot_times=None,
    anneal=None,
    progress=False,
):
    """Solve the planted 2+p DMFT with a fixed step h and a multi-resolution memory.

    Parameters
    ----------
    p, delta2, delta_p, temperature, cbar0, t_max
        Model (p >= 3, Δ2, Δp > 0), temperature T >= 0, C̄(0) in (0, 1), final time.
    h : float
        Time step, with h·(T + 1 + Q'(1)) < 1 (explicit scheme; ParameterError
        otherwise).  The error is O(h²): extrapolate in h
        (:func:`multiresolution_escape_time`).
    points_per_octave : int
        B >= 8: times kept per doubling of the lag (memory resolution τ/B).
    waiting_times : sequence of float, optional
        Times t_w (rounded to the grid) kept forever; C(t, t_w) and the integrated
        response χ(t, t_w) = ∫_{t_w}^t R(t,s) ds are returned (second frame).
    cbar_stop : float, optional
        Stop once |C̄| exceeds this value (``attrs['stopped']``).
    record_every : int
        Record every k-th step in the returned frame (the last step is always kept).
    snapshot_times : sequence of float, optional
        Also return the whole row C(t, s), R(t, s) on the grid at these times (a frame
        ``t, s, C, R``; for comparisons with the uniform-grid reference).
    anneal : tuple or dict, optional
        Anneal the tensor terms used by the algorithm, (c, τ[, t_hold]) or
        ``{c, tau, t_hold}``: Δp_eff(t) = Δp + c e^{−t/τ}, constant for t <= t_hold (default
        1); :mod:`.anneal` (the paper's protocol is ``anneal.AUTHORS_SCHEDULE``).  The
        energy is then that of the annealed Hamiltonian at time t.
    progress : bool
        Report progress on stderr.

    Returns
    -------
    pandas.DataFrame or tuple
        ``t, cbar, mu, energy, memory2`` (``delta_p_eff`` with ``anneal``); with ``waiting_times`` and/or
        ``snapshot_times`` the tuple ``(df, two_time, snapshots)`` (``None`` for what
        was not requested).  ``attrs``: ``h``, ``points_per_octave``, ``stopped``,
        ``max_grid`` (largest number of times held), ``array_bytes`` (the two-time
        arrays).
    """
    m_ = validate_model(p, delta2, delta_p, temperature, cbar0, t_max)
    p, delta2, delta_p = m_["p"], m_["delta2"], m_["delta_p"]
    temperature, cbar0, t_max = m_["temperature"], m_["cbar0"], m_["t_max"]
    h = check_explicit_step(positive("h", h), temperature, delta2, delta_p)
    B = integer("points_per_octave", points_per_octave, minimum=8)
    record_every = integer("record_every", record_every, minimum=1)
    sched = as_schedule(anneal)
    cbar_stop = np.inf if cbar_stop is None else positive("cbar_stop", cbar_stop)
    tws = np.asarray(
        sequence("waiting_times", waiting_times, nonnegative) if waiting_times is not None else [],
        dtype=float,
    )
    snaps = sorted(
        sequence("snapshot_times", snapshot_times, nonnegative)
        if snapshot_times is not None
        else []
    )
    n_steps = int(math.ceil(t_max / h - 1e-9))
    tw_idx = np.unique(np.rint(tws / h).astype(np.int64))
    if np.any(tw_idx > n_steps):
        raise ParameterError(f"waiting_times must be <= t_max = {t_max!r}")
    protected = np.concatenate([[0], tw_idx]).astype(np.int64)
    compact_every = max(1, B // 4)
    levels = max(1, math.ceil(math.log2(max(n_steps / B, 2.0))))
    cap = 2 * B + 2 * B * (levels + 1) + len(protected) + compact_every + 8  # lag and age octaves
    cap = min(cap, n_steps + 2)

    tt = np.zeros(cap)
    aa = np.ones(cap)
    idx = np.zeros(cap, dtype=np.int64)
    cb = np.zeros(cap)
    DC = np.zeros((cap, cap))
    DR = np.zeros((cap, cap))
    cr, rr, c0, r0, vc, vr = (np.zeros(cap) for _ in range(6))
    f0c, f0r, f1c, f1r, A, Bm = (np.zeros(cap) for _ in range(6))
    out = np.zeros(4)
    n_rec = n_steps // record_every + 2
    rec = {k: np.full(n_rec, np.nan) for k in ("t", "cbar", "mu", "energy", "memory2")}
    tw_rows = {k: [] for k in ("t", "t_w", "C", "chi")}
    snap_rows = []
    snap_k = 0

    cb[0] = cbar0
    cr[0] = rr[0] = 1.0
    aa[0] = anneal_weight(0.0, delta_p, sched[0], sched[1], sched[2])
    _rhs(0, tt, cb, cr, rr, DC, DR, aa, temperature, p, delta2, delta_p, A, Bm, f0c, f0r, out)
    n_out = 0

    def record(step, m):
        nonlocal n_out, snap_k
        t = step * h
        if step % record_every == 0 or step == n_steps or stopped:
            rec["t"][n_out] = t
            rec["cbar"][n_out] = cb[m]
            rec["mu"][n_out] = out[0]
            rec["energy"][n_out] = out[2]
            rec["memory2"][n_out] = out[3]
            n_out += 1
        if len(tw_idx):
            pos = np.searchsorted(idx[: m + 1], tw_idx)
            for q, ti in enumerate(tw_idx):
                if ti <= step and pos[q] <= m and idx[pos[q]] == ti:
                    tw_rows["t"].append(t)
                    tw_rows["t_w"].append(ti * h)
                    tw_rows["C"].append(cr[pos[q]])
                    tw_rows["chi"].append(float(DR[m, pos[q] : m].sum()))
        while snap_k < len(snaps) and snaps[snap_k] <= t + 0.5 * h:
            snap_rows.append(
                pd.DataFrame(
                    {
                        "t": t,
                        "s": tt[: m + 1].copy(),
                        "C": cr[: m + 1].copy(),
                        "R": rr[: m + 1].copy(),
                    }
                )
            )
            snap_k += 1

    stopped = False
    record(0, 0)
    bar = (
        Progress(
            f"multires dmft p={p} Δ2={delta2:g} Δp={delta_p:g} T={temperature:g} h={h:g}",
            total=n_steps,
        )
        if progress
        else None
    )
    m = 0
    max_grid = 1
    for step in range(1, n_steps + 1):
        _heun_step(
            m,
            h,
            step,
            tt,
            idx,
            cb,
            cr,
            rr,
            c0,
            r0,
            vc,
            vr,
            f0c,
            f0r,
            f1c,
            f1r,
            DC,
            DR,
            aa,
            sched,
            temperature,
            p,
            delta2,
            delta_p,
            A,
            Bm,
            out,
        )
        m += 1
        if not (math.isfinite(out[0]) and math.isfinite(cb[m]) and math.isfinite(out[2])):
            raise DivergenceError(
                f"multi-resolution DMFT diverged (non-finite value) at "
                f"t = {step * h:.6g} (h = {h:g}); use a smaller h"
            )
        if abs(cb[m]) > cbar_stop:
            stopped = True
        record(step, m)
        if stopped:
            break
        max_grid = max(max_grid, m + 1)
        if step % compact_every == 0 or m + 2 >= cap:
            keep = _keep_mask(idx, m, B, protected)
            if not keep.all():
                m = _compact(m, keep, tt, idx, cb, cr, rr, f0c, f0r, DC, DR, aa)
            if m + 2 > cap:
                raise RuntimeError(
                    f"multi-resolution grid capacity {cap} exceeded at "
                    f"t = {step * h:.6g} (internal error)"
                )
        if bar is not None and step % 2000 == 0:
            bar.update(2000, note=f"t={step * h:.4g} grid={m + 1}")

    df = pd.DataFrame({k: v[:n_out] for k, v in rec.items()})
    if sched[0] > 0:
        df["delta_p_eff"] = [delta_p / anneal_weight(t, delta_p, *sched) for t in df["t"]]
    df.attrs.update(
        h=h,
        points_per_octave=B,
        anneal=tuple(float(x) for x in sched),
        stopped=bool(stopped),
        max_grid=int(max_grid),
        array_bytes=int(DC.nbytes + DR.nbytes),
    )
    if not len(tws) and not snaps:
        return df
    two = pd.DataFrame(tw_rows) if len(tws) else None
    snap = pd.concat(snap_rows, ignore_index=True) if snap_rows else None
    return df, two, snap


def multiresolution_escape_time(
    p,
    delta2,
    delta_p,
    *,
    temperature=1.0,
    cbar0=1e-4,
    t_max=1000.0,
    steps=(0.05, 0.025),
    points_per_octave=32,
    level=0.3,
) -> dict:
    """Escape time (first C̄ = ``level``) converged in the step by Richardson extrapolation.

    Runs :func:`multiresolution_dmft` at each step of ``steps`` (h, h/2, ...; stopped
    just after the escape) and extrapolates t_esc(h) = t0 + a h² with
    :func:`highdim_dynamics.core.numerics.richardson_extrapolation`.  Returns that dict plus
    ``escape_times`` (one per step), ``steps`` and ``array_bytes`` (largest two-time
    arrays); ``extrapolated`` is inf if some run has not escaped by ``t_max``.  The
    memory resolution B = ``points_per_octave`` is a separate parameter: check it by
    doubling (``docs/numerics.md``).
    """
    from highdim_dynamics.core.numerics import crossing_time, richardson_extrapolation

    steps = sequence("steps", steps, positive)
    if len(steps) < 2:
        raise ParameterError("steps needs at least two values (h, h/2, ...)")
    if any(b >= a for a, b in zip(steps, steps[1:])):
        raise ParameterError(f"steps must decrease, got {list(steps)!r}")
    esc, nbytes = [], 0
    for h in steps:
        df = multiresolution_dmft(
            p,
            delta2,
            delta_p,
            temperature=temperature,
            cbar0=cbar0,
            t_max=t_max,
            h=h,
            points_per_octave=points_per_octave,
            cbar_stop=min(1.0, level * 1.2),
            record_every=1,
        )
        esc.append(crossing_time(df["t"].to_numpy(), df["cbar"].to_numpy(), level))
        nbytes = max(nbytes, df.attrs["array_bytes"])
    if not np.all(np.isfinite(esc)):
        out = dict(extrapolated=np.inf, correction=np.nan, observed_order=np.nan, error=np.nan)
    else:
        out = richardson_extrapolation(esc, steps)
    out.update(escape_times=esc, steps=list(steps), array_bytes=nbytes)
    return out
