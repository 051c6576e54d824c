"""Reference DMFT of the planted 2+p spherical model on a plain uniform grid (short times).

The short-time mode of the reference package: every time kept (O(n²) memory), and the
two-time functions returned.  Same equations as :mod:`.multiresolution` (Sarao Mannelli
et al., PRX 2020, Sec. IV), an independent discretisation.  For t > t', with C(t,t) = 1, R(t⁺,t) = 1, C̄ = x·x*/N,

    ∂t C(t,t') = -μ C(t,t') + Q'(C̄(t)) C̄(t') + ∫_0^t R(t,s) Q''(C(t,s)) C(t',s) ds
                 + ∫_0^{t'} R(t',s) Q'(C(t,s)) ds
    ∂t R(t,t') = -μ R(t,t') + ∫_{t'}^t R(t,s) Q''(C(t,s)) R(s,t') ds
    ∂t C̄(t)    = -μ C̄(t) + Q'(C̄(t)) + ∫_0^t R(t,s) Q''(C(t,s)) C̄(s) ds
    μ(t)       = T + Q'(C̄(t)) C̄(t) + ∫_0^t R(t,s) [Q'(C(t,s)) + Q''(C(t,s)) C(t,s)] ds

Scheme (second order, O(n³) for n = t_max/h steps, every time kept):

* grid t_i = i h; the whole triangle C[i, j], R[i, j] (j <= i) is stored (C symmetric,
  and R also transposed so that every sum runs over contiguous memory);
* all memory integrals by the trapezoid rule on the grid nodes.  For fixed (t_i, t_j)
  the integrands are smooth between nodes (their kinks, at s = t_j and s = t_i, fall on
  nodes), so the quadrature error is O(h²);
* time stepping by Heun's method (explicit trapezoid predictor–corrector): the row
  i + 1 is predicted by an Euler step, the right-hand sides re-evaluated on the
  predicted row (μ included), and the row corrected with the mean of both.  The column
  j = i starts from C = R = 1.  Stable for h μ < 2; accurate when h μ << 1, which is
  the regime used (μ ≈ 4 for p = 3, Δp = 1, Δ2 = 0.5 at T = 1, h <= 0.1).

The global error is O(h²): Richardson extrapolation
(:func:`highdim_dynamics.core.numerics.richardson_extrapolation`) extrapolates escape times
from several steps and returns the extrapolation error.  Measured (T = 1, p = 3, Δp = 1,
Δ2 = 0.5, C̄(0) = 1e-4, first C̄ = 0.3): t_esc = 83.143 / 76.622 / 75.211 / 74.877 for
h = 0.1 / 0.05 / 0.025 / 0.0125, observed order 2.2 then 2.08, extrapolated 74.77 ± 0.03
(``benchmarks/bench_dmft_reference.py``).  The error constant is large (μ is off by
≈ 10 h² on the plateau): near the threshold, where the growth rate of C̄ is small, a
single step is useless for escape times and only extrapolated values are references.  Cost ≈ 4 n³/3 multiply-adds
(n = 2400: a few seconds on two cores); memory 3 n² doubles.
"""

from __future__ import annotations

import math

import numba
import numpy as np
import pandas as pd

from highdim_dynamics.core.jit import pjit
from highdim_dynamics.core.progress import Progress
from highdim_dynamics.core.validation import DivergenceError, ParameterError, positive
from ..model import check_explicit_step, validate_model


@pjit
def _rhs(i, h, C, R, RT, cbar, temperature, p, delta2, delta_p, a, b, f_c, f_r):
    """Right-hand sides of row i (values C[i, :i+1], R[i, :i+1], cbar[:i+1] given).

    Writes ∂t C(t_i, t_j) and ∂t R(t_i, t_j) into f_c[j], f_r[j] for j = 0..i and
    returns (μ_i, ∂t C̄(t_i)).  ``a``, ``b`` are work arrays of length >= i + 1.
    """
    mu_int = 0.0
    for s in range(i + 1):
        c = C[i, s]
        r = R[i, s]
        q1 = c / delta2 + c ** (p - 1) / delta_p
        q2 = 1.0 / delta2 + (p - 1) * c ** (p - 2) / delta_p
        a[s] = r * q2
        b[s] = q1
        w = h if (s > 0 and s < i) else 0.5 * h
        if i == 0:
            w = 0.0
        mu_int += w * r * (q1 + c * q2)
    cb = cbar[i]
    sig = cb / delta2 + cb ** (p - 1) / delta_p
    mu = temperature + sig * cb + mu_int
    s_cb = 0.0
    if i > 0:
        s_cb = 0.5 * h * (a[0] * cbar[0] + a[i] * cbar[i])
        for s in range(1, i):
            s_cb += h * a[s] * cbar[s]
    fcb = -mu * cb + sig + s_cb
    for j in numba.prange(i + 1):
        # I1 = ∫_0^{t_i} a(s) C(t_j, s) ds (C symmetric: row j holds C(t_j, s) for all s <= i)
        i1 = 0.0
        if i > 0:
            i1 = 0.5 * (a[0] * C[j, 0] + a[i] * C[j, i])
            for s in range(1, i):
                i1 += a[s] * C[j, s]
        # I2 = ∫_0^{t_j} R(t_j, s) Q'(C(t_i, s)) ds
        i2 = 0.0
        if j > 0:
            i2 = 0.5 * (R[j, 0] * b[0] + R[j, j] * b[j])
            for s in range(1, j):
                i2 += R[j, s] * b[s]
        # I3 = ∫_{t_j}^{t_i} a(s) R(s, t_j) ds (RT[j, s] = R(t_s, t_j))
        i3 = 0.0
        if i > j:
            i3 = 0.5 * (a[j] * RT[j, j] + a[i] * RT[j, i])
            for s in range(j + 1, i):
                i3 += a[s] * RT[j, s]
        f_c[j] = -mu * C[i, j] + sig * cbar[j] + h * (i1 + i2)
        f_r[j] = -mu * R[i, j] + h * i3
    return mu, fcb


@pjit
def _set_row(i, C, R, RT, vc, vr):
    """Write row i (values vc, vr for j < i; diagonal 1) symmetrically / transposed."""
    for j in numba.prange(i):
        C[i, j] = vc[j]
        C[j, i] = vc[j]
        R[i, j] = vr[j]
        RT[j, i] = vr[j]
    C[i, i] = 1.0
    R[i, i] = 1.0
    RT[i, i] = 1.0


def uniform_grid_dmft(p, delta2, delta_p, *, temperature=1.0, cbar0=1e-4, t_max=50.0,
                      h=0.05, cbar_stop=None, progress=False, two_time=False):
    """Solve the planted 2+p DMFT on a uniform grid of step h (Heun + trapezoid, O(h²)).

    Parameters
    ----------
    p, delta2, delta_p, temperature, cbar0, t_max
        Model (p >= 3, Δ2, Δp > 0), temperature T >= 0, C̄(0) in (0, 1), final time
        (no annealing).
    h : float
        Time step, > 0, with h·(1 + Q'(1) + T) < 1 (stability and accuracy of the
        explicit scheme; ParameterError otherwise).
    cbar_stop : float, optional
        Stop once C̄ exceeds this value (frame ends there; ``attrs['stopped']``).
    progress : bool
        Report progress on stderr.
    two_time : bool
        If true also return the two-time functions on the grid: ``C`` (symmetric,
        C[i, j] = C(t_i, t_j)) and ``R`` (R[i, j] = R(t_i, t_j) for j <= i, zero above).

    Returns
    -------
    pandas.DataFrame
        Columns ``t, cbar, mu, energy`` at every grid time t_i = i h, i = 0..n; with
        ``two_time`` the tuple ``(df, C, R)``.
    """
    m = validate_model(p, delta2, delta_p, temperature, cbar0, t_max)
    p, delta2, delta_p = m["p"], m["delta2"], m["delta_p"]
    temperature, cbar0, t_max = m["temperature"], m["cbar0"], m["t_max"]
    h = check_explicit_step(positive("h", h), temperature, delta2, delta_p)
    cbar_stop = np.inf if cbar_stop is None else positive("cbar_stop", cbar_stop)
    n = int(math.ceil(t_max / h - 1e-9))
    C = np.zeros((n + 1, n + 1))
    R = np.zeros((n + 1, n + 1))
    RT = np.zeros((n + 1, n + 1))
    cbar = np.zeros(n + 1)
    mu = np.zeros(n + 1)
    a, b = np.zeros(n + 1), np.zeros(n + 1)
    f0c, f0r, f1c, f1r = (np.zeros(n + 1) for _ in range(4))
    vc, vr = np.zeros(n + 1), np.zeros(n + 1)
    cbar[0] = cbar0
    _set_row(0, C, R, RT, vc, vr)
    mu[0], g0 = _rhs(0, h, C, R, RT, cbar, temperature, p, delta2, delta_p, a, b, f0c, f0r)
    bar = Progress(f"uniform dmft h={h:g}", total=n) if progress else None
    last = n
    for i in range(n):
        # predictor (Euler) for row i + 1; the column j = i starts from C = R = 1
        vc[: i + 1] = C[i, : i + 1] + h * f0c[: i + 1]
        vr[: i + 1] = R[i, : i + 1] + h * f0r[: i + 1]
        _set_row(i + 1, C, R, RT, vc, vr)
        cbar[i + 1] = cbar[i] + h * g0
        _, g1 = _rhs(i + 1, h, C, R, RT, cbar, temperature, p, delta2, delta_p, a, b, f1c, f1r)
        # corrector (trapezoid in time)
        vc[: i + 1] = C[i, : i + 1] + 0.5 * h * (f0c[: i + 1] + f1c[: i + 1])
        vr[: i + 1] = R[i, : i + 1] + 0.5 * h * (f0r[: i + 1] + f1r[: i + 1])
        _set_row(i + 1, C, R, RT, vc, vr)
        cbar[i + 1] = cbar[i] + 0.5 * h * (g0 + g1)
        mu[i + 1], g0 = _rhs(i + 1, h, C, R, RT, cbar, temperature, p, delta2, delta_p, a, b,
                             f0c, f0r)
        if not (math.isfinite(mu[i + 1]) and math.isfinite(cbar[i + 1])):
            raise DivergenceError(f"uniform-grid DMFT diverged at t = {(i + 1) * h:.6g} (h = {h:g})")
        if bar is not None and (i + 1) % 200 == 0:
            bar.update(200, note=f"t={(i + 1) * h:.4g}")
        if cbar[i + 1] > cbar_stop:
            last = i + 1
            break
    k = np.arange(last + 1)
    t = k * h
    # energy e = -Q(C̄) - ∫_0^t R(t,s) Q'(C(t,s)) ds (trapezoid)
    energy = np.empty(last + 1)
    for i in range(last + 1):
        c = C[i, : i + 1]
        q1 = c / delta2 + c ** (p - 1) / delta_p
        g = R[i, : i + 1] * q1
        integ = h * (g.sum() - 0.5 * (g[0] + g[-1])) if i > 0 else 0.0
        cb = cbar[i]
        energy[i] = -(cb * cb / (2 * delta2) + cb**p / (p * delta_p)) - integ
    df = pd.DataFrame({"t": t, "cbar": cbar[: last + 1], "mu": mu[: last + 1], "energy": energy})
    df.attrs["stopped"] = last < n
    df.attrs["h"] = h
    if two_time:
        return df, C[: last + 1, : last + 1], np.tril(R[: last + 1, : last + 1])
    return df
