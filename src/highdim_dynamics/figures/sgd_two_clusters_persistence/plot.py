"""Plot of ``sgd_two_clusters_persistence``, drawn from its CSV alone."""

from __future__ import annotations

from highdim_dynamics.figures._gaussian_mixture_plotting import PANELS, curve_label, plot_curves


def plot(df):
    """Training loss (minus SGD's: the curves share their decay), training error and
    generalisation error vs t (lines DMFT, points simulation)."""
    first = curve_label(next(iter(dict.fromkeys(df.curve))))
    panels = [("training_loss", f"training loss − that of {first}"), *PANELS[1:]]
    if first.startswith("SGD, "):
        panels[0] = ("training_loss", "training loss − that of SGD")
    return plot_curves(df, panels, excess=("training_loss",))
