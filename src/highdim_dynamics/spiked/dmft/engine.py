"""Engine behind :func:`..api.solve_dmft` (provisional: the Kim–Latz solver, window 512)."""

from __future__ import annotations

import math

from ...validation import ParameterError, integer
from ..langevin_dmft import langevin_dmft


def settings(*, temperature, t_max, n_window=512):
    """Accuracy settings (validated) of one solve."""
    n_window = integer("n_window", n_window, minimum=32)
    return dict(n_window=n_window)


def memory_bytes(t_max, settings):
    """Bytes of the two-time arrays of a solve to t_max."""
    n = settings["n_window"]
    return 7 * 8 * n * n


def run(p, delta2, delta_p, *, temperature, cbar0, t_max, anneal, cbar_stop, progress, settings):
    """Solve; return (frame, info) with info = {error, stopped, solver, hint}."""
    kw = {} if anneal is None else dict(anneal_c=anneal.c, anneal_tau=anneal.tau)
    df = langevin_dmft(p, delta2, delta_p, temperature=temperature, cbar0=cbar0, t_max=t_max,
                       n_window=settings["n_window"], cbar_stop=cbar_stop, progress=progress,
                       **kw)
    info = dict(error=dict(escape_time_rel=math.nan, cbar_abs=math.nan),
                stopped=df.attrs.get("stopped", False), solver="kim-latz (provisional)",
                hint="use a larger n_window")
    return df, info
