"""Check of ``sgd_regularisation``: DMFT against finite-p simulations, the hinge included."""

from __future__ import annotations

from highdim_dynamics.figures._gaussian_mixture_checks import agreement


def check(df, params, tolerance):
    """DMFT vs finite-p simulations on every observable of the CSV (m, C, generalisation
    error, training loss, training error), the hinge curve included (its DMFT is the
    extrapolation of smoothed hinges), see
    :func:`~highdim_dynamics.figures._gaussian_mixture_checks.agreement`."""
    return agreement(df, tolerance)
