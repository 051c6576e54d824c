"""Plot of ``sgd_three_clusters_batch``, drawn from its CSV alone."""

from __future__ import annotations

from highdim_dynamics.figures._gaussian_mixture_plotting import PANELS, plot_curves


def plot(df):
    """Training loss, training error and generalisation error vs t for each batch fraction."""
    return plot_curves(df, PANELS)
