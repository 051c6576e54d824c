"""The DMFT engine: fixed step next to the diagonal, log-coarsened memory, dC/dQ quadrature.

Scheme (kernels and storage in :mod:`._kernels`)
------------------------------------------------
* Unknowns of a row t: C(t, t_j), the integrated response χ(t, t_j) and C̄(t); with
  χ, ∂t χ(t,t') = 1 − μ χ(t,t') + ∫_{t'}^t R(t,u) Q''(C(t,u)) χ(u,t') du.
* Memory integrals as Stieltjes integrals over dC and dQ, Q = 1 − C − χ (exact in the
  fast relaxation where the fluctuation–dissipation relation holds), the fast factors of
  older times through their carried interval means.
* Heun steps of size h; only the memory is coarsened: a time at distance D from the nearer
  end of [0, t] is kept at a spacing between D/(2B) and D/B (B = ``points_per_octave``),
  so the grid holds O(B log(t/h)) times and a step costs O(B² log²(t/h)).
* Accuracy: O(h²) + O(1/B²).  By default one run at h and a companion run at the coarser
  step ``coarse_step`` give the error estimate in ``attrs['error']`` (their change); the
  companion is computed only until both curves have settled (:func:`companion_until`).
  ``extrapolate=True`` extrapolates a pair of runs at h and h/2 instead (Richardson, t(C̄)
  and the other columns at fixed C̄ along the escape, pointwise in t elsewhere).
"""

from __future__ import annotations

import math
import time

import numpy as np
import pandas as pd

from highdim_dynamics.core.numerics import richardson
from highdim_dynamics.core.progress import Progress
from highdim_dynamics.core.validation import DivergenceError, ParameterError, integer, positive

from . import _kernels as K

#: Default step next to the diagonal at T >= 0.5 and below (capped at STEP_FACTOR / rate
#: bound), points per octave of the memory; ``benchmarks/bench_dmft_engine.py`` measures
#: their accuracy (at T = 0 the plateau needs the finer step to stay within 1e-4).
DEFAULT_STEP = 0.1
DEFAULT_STEP_LOW_T = 0.05
STEP_FACTOR = 0.5
#: Largest change of C̄ across one memory interval (the escape front stays resolved).
MAX_JUMP = 0.02
DEFAULT_POINTS_PER_OCTAVE = 8
#: The companion run of the error estimate stops once C̄ has settled: the main curve within
#: SETTLE_TOL of its final value, the companion within SETTLE_TOL over its last
#: max(SETTLE_WINDOW, t/4) time units (``benchmarks/bench_dmft_engine.py`` compares the
#: estimate with the one of a companion run to t_max).
SETTLE_TOL = 1e-5
SETTLE_WINDOW = 50.0


def rate_bound(temperature, delta2, delta_p):
    """T + 1 + 1/Δ2 + 1/Δp, a bound on μ (the fastest relaxation rate) used by the step."""
    return temperature + 1.0 + 1.0 / delta2 + 1.0 / delta_p


def settings(
    *,
    temperature,
    delta2,
    delta_p,
    t_max,
    step=None,
    points_per_octave=None,
    extrapolate=False,
    error_estimate=True,
):
    """Validated accuracy settings of one solve.

    ``step`` h (default min(0.1, 0.5 / rate bound), 0.05 instead of 0.1 at T < 0.5),
    ``points_per_octave`` B (default 8),
    ``extrapolate`` (Richardson pair h, h/2 instead of one run at h), ``error_estimate``
    (a companion run at the coarser step min(2h, 0.9 / rate bound): the change of the
    escape times and of C̄ between the two, a bound on the error of the finer one).
    """
    bound = rate_bound(temperature, delta2, delta_p)
    cap = DEFAULT_STEP if temperature >= 0.5 else DEFAULT_STEP_LOW_T
    h = min(cap, STEP_FACTOR / bound) if step is None else positive("step", step)
    if h * bound >= 1.0:
        raise ParameterError(
            f"step = {step!r} too large for the explicit scheme: need "
            f"step·(T + 1 + 1/Δ2 + 1/Δp) < 1, i.e. step < {1.0 / bound:.4g}"
        )
    B = (
        DEFAULT_POINTS_PER_OCTAVE
        if points_per_octave is None
        else integer("points_per_octave", points_per_octave, minimum=4)
    )
    for name, flag in (("extrapolate", extrapolate), ("error_estimate", error_estimate)):
        if not isinstance(flag, bool):
            raise ParameterError(f"{name} must be True or False, got {flag!r}")
    return dict(
        step=h,
        points_per_octave=B,
        extrapolate=extrapolate,
        error_estimate=error_estimate,
        coarse_step=min(2.0 * h, 0.9 / bound),
    )


def _capacity(t_max, h, B):
    n_steps = int(math.ceil(t_max / h - 1e-9))
    levels = max(1, math.ceil(math.log2(max(n_steps / B, 2.0))))
    return min(n_steps + 2, 2 * B + 2 * B * (levels + 1) + B + 8 + int(1.0 / MAX_JUMP)), n_steps


def memory_bytes(t_max, settings):
    """Bytes of the two-time arrays of the finest run of a solve to t_max."""
    h = settings["step"] / (2.0 if settings["extrapolate"] else 1.0)
    cap, _ = _capacity(t_max, h, settings["points_per_octave"])
    return 7 * 8 * cap * cap


def single_run(
    p,
    delta2,
    delta_p,
    *,
    temperature,
    cbar0,
    t_max,
    h,
    B,
    anneal=None,
    cbar_stop=None,
    progress=False,
    max_jump=MAX_JUMP,
    until=None,
):
    """One run at step h and B points per octave: frame ``t, cbar, mu, energy, memory2``.

    ``until`` (from :func:`companion_until`) ends the run early, once C̄ has settled; the
    steps made are the same as those of the run to t_max (same grid capacity).
    """
    cap, n_steps = _capacity(t_max, h, B)
    tt = np.zeros(cap)
    idx = np.zeros(cap, dtype=np.int64)
    cb = np.zeros(cap)
    C = np.zeros((cap, cap))
    X = np.zeros((cap, cap))
    DC = np.zeros((cap, cap))
    DX = np.zeros((cap, cap))
    MC = np.zeros((cap, cap))
    MR = np.zeros((cap, cap))
    MX = np.zeros((cap, cap))
    W, Wl, S, G0, G1, fc0, fx0, fc1, fx1, vc, vx = (np.zeros(cap) for _ in range(11))
    keep = np.zeros(cap, dtype=np.bool_)
    protected = np.zeros(1, dtype=np.int64)
    out = np.zeros(4)
    rec = np.full((n_steps + 1, 5), np.nan)

    def weight(t):  # a(t) = Δp/Δp_eff(t)
        return 1.0 if anneal is None else anneal.weight(t, delta_p)

    aa = np.ones(cap)
    aa[0] = weight(0.0)

    C[0, 0] = 1.0
    cb[0] = cbar0

    def rhs(m):  # memory sums and the right-hand side at the last grid point m, into ``out``
        K.rhs(m, h, tt, cb, C, X, DC, DX, MC, MR, MX, temperature, p, delta2, delta_p, aa, W,
              Wl, S, G0, G1, fc0, fx0, out)  # fmt: skip

    rhs(0)
    rec[0] = (0.0, cbar0, out[0], out[2], out[3])
    compact_every = max(1, B // 4)
    stop = math.inf if cbar_stop is None else cbar_stop
    bar = (
        Progress(
            f"dmft p={p} Δ2={delta2:g} Δp={delta_p:g} T={temperature:g} h={h:g}",
            total=n_steps,
            every=10.0,
        )
        if progress
        else None
    )
    wall0 = time.perf_counter()
    m = 0
    n_rec = 1
    c_max = cbar0
    check_every = max(1, int(round(1.0 / h)))
    for step in range(1, n_steps + 1):
        t1 = step * h
        K.heun_step(
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
            weight(t1),
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
        )
        m += 1
        idx[m] = step
        tt[m] = t1
        if not (math.isfinite(out[0]) and math.isfinite(cb[m]) and math.isfinite(out[2])):
            raise DivergenceError(
                f"DMFT diverged (non-finite value) at t = {t1:.6g} (step {h:g}); use a smaller step"
            )
        rec[n_rec] = (t1, cb[m], out[0], out[2], out[3])
        n_rec += 1
        if abs(cb[m]) > stop:
            break
        if until is not None:
            c_max = max(c_max, cb[m])
            if (
                step % check_every == 0
                and t1 >= until["t_min"]
                and c_max >= until["level"]
                and _flat(
                    rec[
                        max(
                            0, n_rec - 1 - int(math.ceil(max(SETTLE_WINDOW, 0.25 * t1) / h))
                        ) : n_rec,
                        1,
                    ],
                    until["tol"],
                )
            ):
                break
        if step % compact_every == 0 or m + 2 >= cap:
            if K.keep_mask(idx, cb, m, B, max_jump, 0, protected, keep):
                m = K.compact(m, keep, tt, idx, cb, aa, C, X, DC, DX, MC, MR, MX)
                rhs(m)
            if m + 2 > cap:
                raise RuntimeError(f"DMFT grid capacity {cap} exceeded at t = {t1:.6g}")
        if bar is not None and step % 1000 == 0:
            el = time.perf_counter() - wall0
            rate = step / el
            bar.update(
                1000,
                note=f"t={t1:.4g} grid={m + 1} {rate:.0f} steps/s "
                f"ETA {(n_steps - step) / rate:.0f}s",
            )
    df = pd.DataFrame(rec[:n_rec], columns=["t", "cbar", "mu", "energy", "memory2"])
    df.attrs["stopped"] = bool(n_rec <= n_steps)
    return df


def _flat(c, tol):
    return bool(np.max(c) - np.min(c) <= tol)


def companion_until(df, levels, tol=SETTLE_TOL):
    """Stopping rule of the companion run of main run ``df``: not before the main curve has
    settled (from t_min on within ``tol`` of its final C̄), not before the companion has
    reached the highest of ``levels`` that the main run crossed, and then once the
    companion's C̄ has stayed within ``tol`` over its last max(SETTLE_WINDOW, t/4)."""
    t, c = df["t"].to_numpy(), df["cbar"].to_numpy()
    far = np.flatnonzero(np.abs(c - c[-1]) > tol)
    t_min = 0.0 if len(far) == 0 else float(t[min(far[-1] + 1, len(t) - 1)])
    crossed = [lv for lv in levels if np.any(c >= lv)]
    return dict(t_min=t_min, level=max(crossed) if crossed else -math.inf, tol=tol)


def _escape_segment(c):
    """Slice of the longest-rising stretch of C̄ that contains its steepest rise in ln C̄
    scale: from the last local minimum before the maximum of C̄ to 98% of that maximum."""
    k_max = int(np.argmax(c))
    lo = k_max
    while lo > 0 and c[lo - 1] < c[lo]:
        lo -= 1
    top = c[lo] + 0.98 * (c[k_max] - c[lo])
    hi = lo + int(np.searchsorted(c[lo : k_max + 1], top))
    return lo, max(lo, hi)


def _extrapolate(coarse, fine):
    """Richardson (order 2) of two runs at steps h and h/2 on the coarse run's samples.

    On the rising stretch of C̄ (the escape) the *time* at which C̄ takes each value is
    extrapolated and the other columns at that value (a pointwise average of two shifted
    fronts would overshoot); elsewhere every column is extrapolated at fixed t.
    Returns (frame, max |C̄ fine − C̄ coarse| at fixed t)."""
    cols = ["cbar", "mu", "energy", "memory2"]
    tc, tf = coarse["t"].to_numpy(), fine["t"].to_numpy()
    vc = {c: coarse[c].to_numpy() for c in cols}
    vf = {c: np.interp(tc, tf, fine[c].to_numpy()) for c in cols}
    t_out = tc.copy()
    out = {c: richardson(vc[c], vf[c]) for c in cols}
    lo_c, hi_c = _escape_segment(vc["cbar"])
    cf_all = fine["cbar"].to_numpy()
    lo_f, hi_f = _escape_segment(cf_all)
    if hi_c - lo_c >= 4 and hi_f - lo_f >= 4:
        seg_f = slice(lo_f, hi_f + 1)
        xf = np.log(np.maximum(cf_all[seg_f], 1e-300))
        x = np.log(np.maximum(vc["cbar"][lo_c : hi_c + 1], 1e-300))
        inside = (x >= xf[0]) & (x <= xf[-1])
        k = np.arange(lo_c, hi_c + 1)[inside]
        t_f = np.interp(x[inside], xf, tf[seg_f])
        t_out[k] = richardson(tc[k], t_f)
        for c in cols:
            v_f = np.interp(x[inside], xf, fine[c].to_numpy()[seg_f])
            out[c][k] = richardson(vc[c][k], v_f)
    # drop samples that the time map made non-increasing (at the ends of the stretch)
    keep = np.zeros(len(t_out), dtype=bool)
    keep[0] = True
    last = t_out[0]
    for i in range(1, len(t_out)):
        if t_out[i] > last:
            keep[i] = True
            last = t_out[i]
    df = pd.DataFrame({"t": t_out[keep], **{c: out[c][keep] for c in cols}})
    return df, float(np.max(np.abs(vf["cbar"] - vc["cbar"])))


def _change(a, b):
    """Error bound of run b from a coarser run a: relative change of the escape times, the
    largest |ΔC̄| on b's times up to the end of a, and that end (``t_checked``)."""
    from .api import escape_times

    ea, eb = escape_times(a), escape_times(b)
    rel = [abs(eb[k] - ea[k]) / eb[k] for k in ea if math.isfinite(ea[k] + eb[k]) and eb[k] > 0]
    ta = a["t"].to_numpy()
    tb = b["t"].to_numpy()
    tb = tb[tb <= ta[-1] + 1e-9]
    cb = b["cbar"].to_numpy()[: len(tb)]
    dc = np.abs(np.interp(tb, ta, a["cbar"].to_numpy()) - cb)
    return dict(
        escape_time_rel=max(rel) if rel else math.nan,
        cbar_abs=float(dc.max()),
        t_checked=float(ta[-1]),
    )


def run(p, delta2, delta_p, *, temperature, cbar0, t_max, anneal, cbar_stop, progress, settings):
    """Solve; return (frame, info) with info = {error, stopped, solver, hint}.

    ``info['error']`` bounds the error of the returned curve by its change against the
    coarser companion run (step ``coarse_step``, run until both curves have settled,
    ``t_checked``; with ``extrapolate``, a third of the change between h and h/2), NaN when
    no companion run was made.
    """
    h, B = settings["step"], settings["points_per_octave"]
    kw = dict(
        temperature=temperature,
        cbar0=cbar0,
        t_max=t_max,
        B=B,
        anneal=anneal,
        cbar_stop=cbar_stop,
        progress=progress,
    )
    info = dict(
        solver=f"dmft engine (step {h:g}, {B} points per octave"
        + (", Richardson h, h/2)" if settings["extrapolate"] else ")"),
        hint="use a smaller step",
    )
    if settings["extrapolate"]:
        a = single_run(p, delta2, delta_p, h=h, **kw)
        b = single_run(p, delta2, delta_p, h=h / 2, **kw)
        df, _ = _extrapolate(a, b)
        err = _change(a, b)
        info["error"] = dict(
            err, escape_time_rel=err["escape_time_rel"] / 3.0, cbar_abs=err["cbar_abs"] / 3.0
        )
    else:
        df = single_run(p, delta2, delta_p, h=h, **kw)
        if settings["error_estimate"]:
            from .api import ESCAPE_LEVELS

            a = single_run(
                p,
                delta2,
                delta_p,
                h=settings["coarse_step"],
                until=companion_until(df, ESCAPE_LEVELS),
                **kw,
            )
            info["error"] = _change(a, df)
        else:
            info["error"] = dict(escape_time_rel=math.nan, cbar_abs=math.nan, t_checked=math.nan)
    info["stopped"] = bool(df["t"].iloc[-1] < t_max - 1e-9 * h)
    return df, info
