"""Check of ``gd_two_clusters_init_variance``: one GD step against its closed form, the
Bayes-optimal bound, DMFT against finite-p simulations."""

from __future__ import annotations

from highdim_dynamics.figures._gaussian_mixture_checks import agreement, bayes_bound, one_step


def check(df, params, tolerance):
    """One-step closed form (DMFT and simulation), Bayes-optimal bound, DMFT vs simulation.

    See :func:`~highdim_dynamics.figures._gaussian_mixture_checks.one_step`,
    :func:`~highdim_dynamics.figures._gaussian_mixture_checks.bayes_bound` and
    :func:`~highdim_dynamics.figures._gaussian_mixture_checks.agreement`.  The norm C is
    left out: at R = 1 the runs' initial norm is off by 2 s.e. and full-batch GD carries the
    offset along (see the figure table's justification).
    """
    records: list = []
    one_step(records, df, tolerance)
    bayes_bound(records, df, tolerance)
    return agreement(
        df,
        tolerance,
        observables=("m", "generalisation_error", "training_loss", "training_error"),
        records=records,
    )
