"""Public API of the spiked matrix-tensor DMFT engine: validation, frame contract, errors.

The equations (Sarao Mannelli et al., PRX 2020, Sec. IV; Passed & Spurious, ICML 2019), for
t > t', C(t,t) = 1, R(t⁺,t) = 1, C̄ = x·x*/N, Q(x) = x²/(2Δ2) + x^p/(pΔp):

    ∂t C(t,t') = −μ C(t,t') + Q'(C̄(t)) C̄(t') + ∫_0^t R(t,s) Q''(C(t,s)) C(t',s) ds
                 + ∫_0^{t'} R(t',s) Q'(C(t,s)) ds
    ∂t R(t,t') = −μ R(t,t') + ∫_{t'}^t R(t,s) Q''(C(t,s)) R(s,t') ds
    ∂t C̄(t)    = −μ C̄(t) + Q'(C̄(t)) + ∫_0^t R(t,s) Q''(C(t,s)) C̄(s) ds
    μ(t)       = T + Q'(C̄(t)) C̄(t) + ∫_0^t R(t,s) [Q'(C(t,s)) + Q''(C(t,s)) C(t,s)] ds

and the energy per variable e(t) = −Q(C̄(t)) − ∫_0^t R(t,s) Q'(C(t,s)) ds.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from highdim_dynamics.core.numerics import crossing_time
from highdim_dynamics.core.validation import (
    DivergenceError,
    ParameterError,
    in_interval,
    integer,
    nonnegative,
    positive,
)

from .anneal import AUTHORS_ANNEAL, Anneal, as_anneal

__all__ = ["AUTHORS_ANNEAL", "Anneal", "DivergenceError", "escape_times", "solve_dmft"]

#: Largest t_max accepted (the engine's cost and memory are bounded up to it).
T_MAX_LIMIT = 1.0e4
#: Memory bound of one solve (bytes of the two-time arrays), checked before compute.
MEMORY_LIMIT_MB = 200.0
#: Levels of C̄ at which escape times are reported in ``attrs``.
ESCAPE_LEVELS = (0.1, 0.3, 0.5)
#: Columns of the returned frame, in order.
COLUMNS = ("t", "cbar", "mu", "energy", "memory2")


def _validate(p, delta2, delta_p, temperature, cbar0, t_max, anneal, cbar_stop):
    p = integer("p", p, minimum=3)
    delta2 = positive("delta2", delta2)
    delta_p = positive("delta_p", delta_p)
    temperature = nonnegative("temperature", temperature)
    cbar0 = in_interval("cbar0", cbar0, 0.0, 1.0)
    t_max = positive("t_max", t_max)
    if t_max > T_MAX_LIMIT:
        raise ParameterError(
            f"t_max must be <= {T_MAX_LIMIT:g} (the engine's memory and "
            f"accuracy are established up to there), got {t_max!r}"
        )
    anneal = as_anneal(anneal)
    if cbar_stop is not None:
        cbar_stop = in_interval("cbar_stop", cbar_stop, 0.0, 1.0, closed="right")
    return p, delta2, delta_p, temperature, cbar0, t_max, anneal, cbar_stop


def escape_times(df: pd.DataFrame, levels=ESCAPE_LEVELS) -> dict:
    """{level: first t with C̄(t) = level} of a :func:`solve_dmft` frame (inf if not reached)."""
    t, c = df["t"].to_numpy(), df["cbar"].to_numpy()
    return {float(lv): crossing_time(t, c, in_interval("level", lv, 0.0, 1.0)) for lv in levels}


def solve_dmft(
    p,
    delta2,
    delta_p,
    *,
    temperature=1.0,
    cbar0=1e-4,
    t_max=2000.0,
    anneal=None,
    cbar_stop=None,
    progress=False,
    **accuracy,
) -> pd.DataFrame:
    """Solve the planted spiked matrix-tensor DMFT from a random start of overlap C̄(0).

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
        Final time, 0 < t_max <= 1e4.
    anneal : Anneal, dict or None
        Annealing of the tensor terms, Δp_eff(t) = Δp + c e^{−t/τ} for t > 1 (see
        :class:`Anneal`; :data:`AUTHORS_ANNEAL` has the PRX 2020 constants).
    cbar_stop : float, optional
        Stop once |C̄| exceeds this value (``attrs['stopped']``), e.g. to follow the
        linear regime only.
    progress : bool
        Report progress (rate, ETA) on stderr.
    **accuracy
        Discretisation settings of the engine (see :func:`.engine.run`); the defaults give
        escape times t(C̄ = 0.1, 0.3, 0.5) within 1% (``benchmarks/bench_dmft_engine.py``).

    Returns
    -------
    pandas.DataFrame
        Columns ``t, cbar, mu, energy, memory2`` (memory2 = ∫_0^t R(t,s) Q''(C(t,s)) ds, the
        growth-rate kernel of the linear regime), increasing t, all finite.  ``attrs``:
        the model and accuracy settings, ``escape_times`` ({level: t}), ``error`` (an
        estimate of the discretisation error: ``escape_time_rel`` and ``cbar_abs``, the
        change against a companion run at the coarser step, made up to ``t_checked``, where
        both curves have settled), ``stopped``, ``solver``.

    Raises
    ------
    ParameterError
        An argument out of its domain, or t_max beyond the memory bound, before compute.
    DivergenceError
        The integration produced a non-finite value (time and a hint in the message).
    """
    p, delta2, delta_p, temperature, cbar0, t_max, anneal, cbar_stop = _validate(
        p, delta2, delta_p, temperature, cbar0, t_max, anneal, cbar_stop
    )
    from . import engine

    settings = engine.settings(
        temperature=temperature, delta2=delta2, delta_p=delta_p, t_max=t_max, **accuracy
    )
    nbytes = engine.memory_bytes(t_max, settings)
    if nbytes > MEMORY_LIMIT_MB * 2**20:
        raise ParameterError(
            f"t_max = {t_max!r} with {settings} needs {nbytes / 2**20:.0f} MB "
            f"of two-time arrays, above the {MEMORY_LIMIT_MB:g} MB bound; "
            f"lower t_max or the resolution"
        )
    df, info = engine.run(
        p,
        delta2,
        delta_p,
        temperature=temperature,
        cbar0=cbar0,
        t_max=t_max,
        anneal=anneal,
        cbar_stop=cbar_stop,
        progress=progress,
        settings=settings,
    )
    values = df[list(COLUMNS)].to_numpy()
    if not np.all(np.isfinite(values)):
        bad = int(np.flatnonzero(~np.all(np.isfinite(values), axis=1))[0])
        raise DivergenceError(
            f"DMFT diverged (non-finite value) at t = {df['t'].iloc[bad]:.6g}; "
            f"{info.get('hint', 'use a finer resolution')}"
        )
    df = df[list(COLUMNS)].reset_index(drop=True)
    df.attrs.update(
        p=p,
        delta2=delta2,
        delta_p=delta_p,
        temperature=temperature,
        cbar0=cbar0,
        t_max=t_max,
        anneal=None if anneal is None else dict(c=anneal.c, tau=anneal.tau, t0=anneal.t0),
        accuracy=dict(settings),
        escape_times=escape_times(df),
        error=info["error"],
        stopped=bool(info["stopped"]),
        solver=info["solver"],
    )
    return df
