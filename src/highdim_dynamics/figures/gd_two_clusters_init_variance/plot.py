"""Plot of ``gd_two_clusters_init_variance``, drawn from its CSV alone."""

from __future__ import annotations

from highdim_dynamics.figures._gaussian_mixture_plotting import PANELS, plot_curves
from highdim_dynamics.gaussian_mixture.model import hebbian_one_step_error


def plot(df):
    """Training loss and generalisation error vs t (log scale); dotted: the Bayes-optimal
    error, the closed form of one GD step from w = 0 at the CSV's alpha and Delta."""
    ref = hebbian_one_step_error(float(df.alpha.iloc[0]), float(df.delta.iloc[0]))
    return plot_curves(
        df,
        [PANELS[0], PANELS[2]],
        logx=True,
        reference=(ref, "Bayes-optimal (one step from $R = 0$)"),
    )
