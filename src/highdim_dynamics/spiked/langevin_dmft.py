"""DMFT ("Langevin state evolution") of the planted 2+p spherical model at temperature T.

Equations (Sarao Mannelli et al., PRX 2020, Sec. IV and App. C), for t > t', with C(t, t) = 1, R(t+, t) = 1 and
C̄(t) = x(t)·x*/N:

    ∂t C(t,t') = -μ(t) C(t,t') + Q'(C̄(t)) C̄(t') + ∫_0^t R(t,s) Q''(C(t,s)) C(t',s) ds
                 + ∫_0^{t'} R(t',s) Q'(C(t,s)) ds
    ∂t R(t,t') = -μ(t) R(t,t') + ∫_{t'}^t R(t,s) Q''(C(t,s)) R(s,t') ds
    ∂t C̄(t)    = -μ(t) C̄(t) + Q'(C̄(t)) + ∫_0^t R(t,s) Q''(C(t,s)) C̄(s) ds
    μ(t)       = T + Q'(C̄(t)) C̄(t) + ∫_0^t R(t,s) [Q'(C(t,s)) + Q''(C(t,s)) C(t,s)] ds

and the energy per variable e(t) = -Q(C̄(t)) - ∫_0^t R(t,s) Q'(C(t,s)) ds (signal part
plus Novikov's formula for the Gaussian noise part, whose covariance is N Q(q)).  T = 1
is the Bayes-optimal Langevin algorithm, T = 0 gradient flow.

Optional annealing of the tensor noise used by the algorithm (not by the data):
Δp_eff(t) = Δp + c e^{-t/τ}.  With a(t) = Δp/Δp_eff(t), the signal part of Q' becomes
C̄/Δ2 + a(t) C̄^{p-1}/Δp and the noise covariance between times t and s carries the
tensor weight a(t) a(s): f_{ts}(q) = q²/(2Δ2) + a(t) a(s) q^p/(pΔp).

Numerics: Kim–Latz adaptive two-time grid, see :mod:`._dmft_kernels`: fixed window of
``n_window`` times, decimation with step doubling and carried interval integrals, an
implicit (exponential-trapezoidal) row step solved by sweeps, sub-grid corrections of the
near-diagonal strip carried across decimations, and, at T > 0 once the step exceeds
``h_fdt``, the interval integrals of the ``n_fdt`` intervals nearest the diagonal closed
with the fluctuation-dissipation relation of the fast (stationary) part,
R(t,s) = ∂_s C(t,s)/T, integrated exactly in C-space.

Accuracy (measured; see the tests and ``benchmarks/bench_langevin_dmft.py``):

* T = 1 equilibrium identities (C̄ → m*, μ → 1 + Q'(1); paramagnet μ → 1 + Q'(1)) hold
  to < 1e-4 at n_window = 128, whatever the step reached;
* T = 0 plateaus (ML-AMP fixed point, μ → B + Q''(1)/B) carry a systematic bias of a
  few 1e-3 (t = 300: +2.5e-3 / +4.2e-3 in C̄ for n_window 128 / 256) that does not
  decrease with the window (no FDT closure at T = 0: the carried sub-grid corrections of
  the fast response go stale when the state changes at a coarse step; with n_band = 1
  it becomes -2e-2).  Against the uniform-grid reference (Δ2 = 0.4, Richardson h =
  0.05, 0.025, which reaches the ML-AMP value to 7e-5 at t = 60): |ΔC̄(t = 60)| = 2.2e-3
  / 2.4e-3 / 5.8e-4 for n_window 128 / 256 / 512, during the escape (t = 40) 9e-2 /
  3e-2 / 2.4e-3;
* escape times at fixed C̄(0), against the independent uniform-grid reference
  (:mod:`.uniform_grid_dmft`, Richardson-extrapolated from h = 0.1 ... 0.0125):
  T = 1, Δ2 = 0.5: reference 74.77 ± 0.03; this solver 74.38 / 74.68 / 74.80 / 74.79
  for n_window = 128 / 256 / 512 / 1024 (converged at < 1% per doubling).  Before the default
  ``n_band = 1`` at T > 0 (carried sub-grid corrections on 3 intervals) it gave
  70.8 / 72.5 / 74.0: the frozen correction of the first interval beyond the FDT strip
  goes stale and biased μ by -5e-3 to -3e-2 (∝ step) during the slow growth, first
  visible at t ≈ 20-30 where the step reaches ~0.1; the escape time, which integrates
  the growth rate (~0.1), amplifies such errors about tenfold.  Remaining: transients
  of a few 1e-3 in μ right after each decimation, and near the threshold (Δ2 = 0.6,
  growth rate ~0.03) t_esc = 231 / 238 / 248 (n_window 128 / 256 / 512): still 3-4%
  per doubling.  The converged value is 251.3 ± 0.5 (:mod:`.multiresolution_dmft`: fixed
  step next to the diagonal, Richardson in h, extrapolated in its memory resolution), so
  this solver converges to it at first order in 1/n_window (window 1024: 251.3; errors
  -8% / -5% / -1.3% for 128 / 256 / 512); the uniform-grid reference's 263 at h = 0.05
  was 5% late (its error constant is large).
* where the late-time error comes from (``benchmarks/bench_dmft_decimation.py``, exact
  two-time points against the uniform-grid reference): with a fixed step the row kernel is
  second order (t = 4: μ error 5.5e-3 -> 1.5e-3 for h = 1/32 -> 1/64, tested), and so is the
  decimated grid while h resolves the fast relaxation; once h >~ 0.1 the near-diagonal
  closures (defect clamps, carried corrections, FDT closure) leave a first-order error
  (t = 50: C(t, t-10) off by -2.0e-2 / -8.8e-3 / -4.2e-3 / -2.3e-3 for n_window 64 ... 512;
  C decays too fast next to the diagonal, so the carried dR/dC reads 0.945 where the
  reference has R/∂_s C = 1.00).  Window 1024 at Δ2 = 0.6 gives t_esc = 251.3 (1.3% from
  512).  Tuning n_band / n_defect / n_fdt / h_fdt does not remove it.  Given exact data
  at step 1/8 - 1/2, a new row's μ is off by 2e-3 - 1e-2 (``benchmarks/
  bench_dmft_consistency.py``), while a 1% escape time near the threshold (growth rate
  ~0.03) needs μ to ~3e-4: next to the diagonal the step must stay below ~0.1, which is
  what :mod:`.multiresolution_dmft` does (used for thresholds, escape times and T = 0);
* deep in the glassy region at T = 1 (strong noise couplings, e.g. Δ2 <= 0.4 with
  Δp = 0.5; for p = 4, Δp = 0.3, every Δ2 <= 0.95 Δ2* of the linear-regime scans,
  diverging at t = 25-100) the time stepping becomes unstable at steps h ~ 0.25-1 and the
  solver stops with a DivergenceError rather than returning a wrong trajectory (the
  multi-resolution solver, at a fixed step ~0.05, is stable there);
* late growth rates in the linear regime at t ~ 1000 (step ~16 at n_window = 128) are
  biased low: λ_late(Δ2 = 0.46) = 0.040 against 0.069 (multi-resolution, converged), which
  is why the threshold scans use the multi-resolution solver.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..progress import Progress
from ..validation import (DivergenceError, ParameterError, integer,
                          nonnegative, positive, require_finite, sequence)
from . import _dmft_kernels as K
from .model import check_explicit_step, explicit_rate_bound, validate_model  # noqa: F401


def langevin_dmft(p, delta2, delta_p, *, temperature=1.0, cbar0=1e-4, t_max=100.0,
                  n_window=256, h0=1e-3, n_band=None, n_defect=2, n_fdt=2, h_fdt=0.05, tol=1e-9, max_sweeps=400,
                  waiting_times=None, anneal_c=0.0, anneal_tau=1.0, progress=False,
                  return_two_time=False, cbar_stop=None, _return_state=False):
    """Solve the planted 2+p DMFT at temperature T from a random start of overlap C̄(0).

    Parameters
    ----------
    p : int
        Tensor order, >= 3.
    delta2, delta_p : float
        Noise variances of the matrix and tensor channels, > 0.
    temperature : float
        T >= 0 (1: Bayes-optimal Langevin; 0: gradient flow).
    cbar0 : float
        Initial overlap C̄(0) in (0, 1).
    t_max : float
        Final time, > 0 (the last row reached has t >= t_max).
    n_window : int
        Number of grid points of the two-time window (even, >= 32).  Cost ∝ n_window²·
        log(t_max/h0); the discretisation error is estimated by rerunning with a
        doubled window (:func:`dmft_discretisation_error`).
    h0 : float
        Initial step (the step doubles at each decimation).
    n_band : int, optional
        Number of near-diagonal intervals whose sub-grid correction (carried integral
        minus trapezoid, frozen at the last decimation) is added to new rows.  Default:
        1 at T > 0 (with the FDT closure; larger values bias μ by O(h) during the
        escape, see the module notes), 3 at T = 0.
    n_fdt, h_fdt : int, float
        At T > 0 and step >= h_fdt, the n_fdt intervals nearest the diagonal use the FDT
        closure (0 switches it off).
    n_defect : int, optional
        Number of near-diagonal columns with the stationary defect correction (default
        2; None: ``n_band``; 0 switches it off).
    tol : float
        Convergence tolerance (max change in a sweep) of the implicit row solve.
    max_sweeps : int
        Maximum number of sweeps per row; if exceeded a DivergenceError gives t and
        the residual.
    waiting_times : sequence of float, optional
        If given, C(t, t_w) and the integrated response χ(t, t_w) = ∫_{t_w}^t R(t,s) ds
        are recorded for these t_w (returned when ``return_two_time`` is true).
    anneal_c, anneal_tau : float
        Annealing of the tensor noise, Δp_eff(t) = Δp + c e^{-t/τ} (c = 0: none).
    progress : bool
        Report progress on stderr.
    return_two_time : bool
        If true return ``(df, two_time_df)``.
    cbar_stop : float, optional
        Stop (early, on purpose) once |C̄| exceeds this value: used to follow the
        linear regime only.  The frame then ends at that time (``attrs['stopped']``).

    Returns
    -------
    pandas.DataFrame
        Columns ``t, cbar, mu, energy, memory2, h`` (h: grid step when the row was
        computed; memory2 = ∫_0^t R(t,s) Q''(C(t,s)) ds, used by the threshold analysis),
        one row per time of the adaptive grid.  With ``return_two_time`` also a frame
        ``t, t_w, C, chi``.
    """
    m = validate_model(p, delta2, delta_p, temperature, cbar0, t_max)
    p, delta2, delta_p = m["p"], m["delta2"], m["delta_p"]
    temperature, cbar0, t_max = m["temperature"], m["cbar0"], m["t_max"]
    n_window = integer("n_window", n_window, minimum=32)
    if n_window % 2:
        raise ParameterError(f"n_window must be even, got {n_window!r}")
    h0 = positive("h0", h0)
    if n_band is None:
        # T > 0: the FDT closure makes the nearest intervals exact; a carried sub-grid
        # correction beyond them goes stale and biases μ by O(h) (measured against the
        # uniform-grid reference, see uniform_grid_dmft): only the diagonal interval.
        # T = 0 (no closure): the carried corrections of 3 intervals are needed.
        n_band = 1 if temperature > 0 else 3
    n_band = integer("n_band", n_band, minimum=1)
    n_defect = n_band if n_defect is None else integer("n_defect", n_defect, minimum=0)
    tol = positive("tol", tol)
    max_sweeps = integer("max_sweeps", max_sweeps, minimum=1)
    anneal_c = nonnegative("anneal_c", anneal_c)
    anneal_tau = positive("anneal_tau", anneal_tau)
    tws = np.asarray(sequence("waiting_times", waiting_times, nonnegative)
                     if waiting_times is not None else [], dtype=float)

    cbar_stop = np.inf if cbar_stop is None else positive("cbar_stop", cbar_stop)
    n = n_window
    n_dec = max(0, math.ceil(math.log2(max(t_max / (h0 * (n - 1)), 1.0))) + 1)
    n_rows = n + (n // 2) * (n_dec + 1) + 2
    C = np.zeros((n, n))
    R = np.zeros((n, n))
    dX = np.zeros((K.N_KINDS, n, n))
    cbar = np.zeros(n)
    mu = np.zeros(n)
    aa = np.ones(n)
    corr = np.zeros((K.N_KINDS, n_band))
    out_t, out_cb, out_mu, out_en, out_h, out_m2 = (np.full(n_rows, np.nan) for _ in range(6))
    out_ctw = np.full((n_rows, max(len(tws), 1)), np.nan)
    out_chi = np.full((n_rows, max(len(tws), 1)), np.nan)
    work = [np.zeros(n) for _ in range(8)]
    scal = np.zeros(5)  # [have_prev, λ_prev, G_prev(C̄), λ_prev(C̄), clamp] (see kernel)
    delta_c, delta_r = np.zeros(n_defect + 1), np.zeros(n_defect + 1)  # near-diagonal defect corrections

    # t = 0: random start (C(0,0) = 1, R(0+,0) = 1, no memory yet)
    C[0, 0] = R[0, 0] = 1.0
    cbar[0] = cbar0
    aa[0] = K.anneal_factor(0.0, delta_p, anneal_c, anneal_tau)
    sig1 = cbar0 / delta2 + aa[0] * cbar0 ** (p - 1) / delta_p
    mu[0] = temperature + sig1 * cbar0
    out_t[0], out_cb[0], out_mu[0], out_h[0], out_m2[0] = 0.0, cbar0, mu[0], h0, 0.0
    out_en[0] = -(cbar0**2 / (2 * delta2) + aa[0] * cbar0**p / (p * delta_p))
    if len(tws):
        out_ctw[0] = np.where(tws == 0.0, 1.0, np.nan)
        out_chi[0] = np.where(tws == 0.0, 0.0, np.nan)
    n_out = 1

    h, i0 = h0, 1
    bar = Progress(f"dmft p={p} Δ2={delta2:g} Δp={delta_p:g} T={temperature:g}",
                   total=n_dec + 1) if progress else None
    while True:
        # rows needed to reach t_max in this window
        i_stop = min(n, max(i0 + 1, int(math.ceil(t_max / h - 1e-9)) + 1))
        start_out = n_out
        n_out, status, t_fail, resid = K.advance_rows(
            i0, i_stop, h, C, R, dX, cbar, mu, aa, corr, n_band, temperature, p, delta2,
            delta_p, anneal_c, anneal_tau, tol, max_sweeps, tws if len(tws) else np.zeros(0),
            out_t, out_cb, out_mu, out_en, out_m2, out_ctw, out_chi, n_out, *work, scal, delta_c, delta_r, n_defect,
            n_fdt if (temperature > 0 and h >= h_fdt) else 0, cbar_stop)
        out_h[start_out:n_out] = h
        if status == 1:
            raise DivergenceError(
                f"DMFT implicit step did not converge at t = {t_fail:.6g} (residual "
                f"{resid:.3g} after {max_sweeps} sweeps, step h = {h:.3g}); use a larger "
                f"n_window or a smaller h0")
        if status == 2:
            raise DivergenceError(f"DMFT diverged (non-finite value) at t = {t_fail:.6g}, "
                                  f"step h = {h:.3g}; use a larger n_window or a smaller h0")
        stopped = status == 3
        if stopped or out_t[n_out - 1] >= t_max - 1e-9 * h:
            break
        # window full: decimate, double the step, carry the integrals
        m = K.decimate(n, C, R, dX, cbar, mu, aa)
        h *= 2.0
        # G on the carried last row (new step) for the ETD2 step of the first new row,
        # whose near-diagonal values are clamped to the finer grid's (defect correction)
        K.prime_after_decimation(m, h, C, R, dX, cbar, mu, aa, corr, n_band, temperature, p,
                                 delta2, delta_p, work[3], work[2], work[4], work[5], scal)
        scal[4] = 1.0
        K.band_corrections(m - 1, C, R, dX, aa, corr, h, n_band, p, delta2, delta_p)
        i0 = m
        if bar is not None:
            bar.update(note=f"t={out_t[n_out - 1]:.4g}")

    sl = slice(0, n_out)
    df = pd.DataFrame({"t": out_t[sl], "cbar": out_cb[sl], "mu": out_mu[sl],
                       "energy": out_en[sl], "memory2": out_m2[sl], "h": out_h[sl]})
    df.attrs["stopped"] = bool(stopped)
    require_finite("DMFT trajectory", df[["cbar", "mu", "energy"]].to_numpy(),
                   "use a larger n_window or a smaller h0")
    if _return_state:
        return df, dict(C=C, R=R, dX=dX, cbar=cbar, mu=mu, h=h, i=int(round(out_t[n_out - 1] / h)))
    if not return_two_time:
        return df
    rows = []
    for q, tw in enumerate(tws):
        ok = np.isfinite(out_ctw[sl, q])
        rows.append(pd.DataFrame({"t": out_t[sl][ok], "t_w": tw, "C": out_ctw[sl, q][ok],
                                  "chi": out_chi[sl, q][ok]}))
    two = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(
        columns=["t", "t_w", "C", "chi"])
    return df, two


def dmft_discretisation_error(p, delta2, delta_p, *, n_window=256, escape_level=0.3,
                              **kwargs) -> dict:
    """Discretisation error of :func:`langevin_dmft` estimated by doubling the window.

    Runs the solver with ``n_window`` and ``2 n_window`` (other arguments passed on) and
    returns ``max_cbar_diff`` (largest |ΔC̄| on the coarse run's times, the fine run
    interpolated in log t), ``mu_end_diff`` (|Δμ| at the last common time), the escape
    times (first C̄ = ``escape_level``; inf if not reached) and their relative change.
    """
    a = langevin_dmft(p, delta2, delta_p, n_window=n_window, **kwargs)
    b = langevin_dmft(p, delta2, delta_p, n_window=2 * n_window, **kwargs)
    t_end = min(a["t"].iloc[-1], b["t"].iloc[-1])
    ta = a["t"].to_numpy()
    m = (ta > 0) & (ta <= t_end)
    cb = np.interp(np.log(ta[m]), np.log(b["t"].to_numpy()[1:]), b["cbar"].to_numpy()[1:])
    mu_b = np.interp(np.log(ta[m]), np.log(b["t"].to_numpy()[1:]), b["mu"].to_numpy()[1:])

    def t_esc(df):
        c = df["cbar"].to_numpy()
        k = np.flatnonzero(c >= escape_level)
        if len(k) == 0:
            return np.inf
        k = k[0]
        t = df["t"].to_numpy()
        return float(t[k - 1] + (escape_level - c[k - 1]) * (t[k] - t[k - 1]) / (c[k] - c[k - 1]))

    e1, e2 = t_esc(a), t_esc(b)
    rel = abs(e2 - e1) / e2 if np.isfinite(e1) and np.isfinite(e2) else np.nan
    return dict(max_cbar_diff=float(np.max(np.abs(a["cbar"].to_numpy()[m] - cb))),
                mu_end_diff=float(abs(a["mu"].to_numpy()[m][-1] - mu_b[-1])),
                escape_time=e1, escape_time_refined=e2, escape_time_rel_change=rel)
