"""Shared plotting: the package style sheet and small helpers used by every plot function.

Plot functions take the figure's tidy CSV (as a DataFrame) and return a
:class:`matplotlib.figure.Figure`; they never see solver internals.  The runner applies
:data:`STYLE` around every plot call, so a plot function sets no global style itself.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import matplotlib

matplotlib.use("Agg", force=False)
import matplotlib.pyplot as plt  # noqa: E402

STYLE = Path(__file__).with_name("figures.mplstyle")

#: How each source of data is drawn, so that theory/DMFT/simulation look the same everywhere.
METHOD_STYLE = {
    "theory": dict(linestyle="-", marker=None),
    "dmft": dict(linestyle="-", marker=None),
    "amp": dict(linestyle="--", marker=None),
    "simulation": dict(linestyle="none", marker="o", markersize=3.5),
}


@contextmanager
def package_style():
    """Context in which figures are drawn with the package style sheet."""
    with plt.style.context(STYLE):
        yield


def subplots(ncols: int = 1, nrows: int = 1, *, width: float = 4.2, height: float = 3.4, **kwargs):
    """``plt.subplots`` with a panel size in inches and a squeezed-free 2-D axes array."""
    fig, axes = plt.subplots(nrows, ncols, figsize=(width * ncols, height * nrows),
                             squeeze=False, constrained_layout=True, **kwargs)
    return fig, axes


def method_style(method: str) -> dict:
    """Line/marker keywords for a ``method`` value (``theory``, ``dmft``, ``simulation``...)."""
    return dict(METHOD_STYLE.get(method, dict(linestyle="-", marker=None)))


def panel_title(ax, **values) -> None:
    """Title a panel with parameter values, e.g. ``panel_title(ax, p=3, delta_p=1.0)``."""
    names = {"delta_p": "Δp", "delta2": "Δ2", "alpha": "α", "delta": "Δ", "eta": "η",
             "tau": "τ", "lambda": "λ"}
    ax.set_title(", ".join(f"{names.get(k, k)} = {v:g}" if isinstance(v, float) else
                           f"{names.get(k, k)} = {v}" for k, v in values.items()))
