"""Check of ``sgd_two_clusters_persistence``: DMFT against finite-p simulations."""

from __future__ import annotations

from highdim_dynamics.figures._gaussian_mixture_checks import agreement


def check(df, params, tolerance):
    """DMFT vs finite-p simulations on every observable of the CSV (m, C, generalisation
    error, training loss, training error), see
    :func:`~highdim_dynamics.figures._gaussian_mixture_checks.agreement`."""
    return agreement(df, tolerance)
