"""Shared plotting: the package style sheet and small helpers used by every plot function.

Plot functions take the figure's tidy CSV (as a DataFrame) and return a
:class:`matplotlib.figure.Figure`; they never see solver internals.  The runner applies
:data:`STYLE` around every plot call, so a plot function sets no global style itself.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import matplotlib
import numpy as np

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
    fig, axes = plt.subplots(
        nrows,
        ncols,
        figsize=(width * ncols, height * nrows),
        squeeze=False,
        constrained_layout=True,
        **kwargs,
    )
    return fig, axes


def method_style(method: str) -> dict:
    """Line/marker keywords for a ``method`` value (``theory``, ``dmft``, ``simulation``...)."""
    return dict(METHOD_STYLE.get(method, dict(linestyle="-", marker=None)))


#: The papers' symbols, one mathtext spelling each: every label, title and legend of every
#: family writes a symbol through :func:`sym` / :func:`eq`, so Δ₂ looks the same everywhere.
SYMBOLS = {
    "delta2": r"\Delta_2",
    "delta_p": r"\Delta_p",
    "inv_delta2": r"1/\Delta_2",
    "cbar": r"\bar{C}",
    "mu": r"\mu",
    "alpha": r"\alpha",
    "delta": r"\Delta",
    "eta": r"\eta",
    "tau": r"\tau",
    "lambda": r"\lambda",
    "theta": r"\theta",
    "sigma": r"\sigma",
    "m": "m",
    "p": "p",
    "t": "t",
    "T": "T",
    "N": "N",
    "R": "R",
    "b": "b",
    "d": "d",
}


def sym(name: str) -> str:
    r"""Mathtext of a symbol of the papers (keys of :data:`SYMBOLS`).

    Unknown names are returned as mathtext of themselves (``sym("x") == "$x$"``).

    Examples
    --------
    >>> sym("inv_delta2")
    '$1/\\Delta_2$'
    """
    return f"${SYMBOLS.get(name, name)}$"


def eq(name: str, value, fmt: str = "g") -> str:
    r"""Mathtext ``symbol = value``; floats formatted with ``fmt``.

    Examples
    --------
    >>> eq("delta2", 0.5)
    '$\\Delta_2 = 0.5$'
    >>> eq("p", 3)
    '$p = 3$'
    """
    text = format(value, fmt) if isinstance(value, (float, np.floating)) else str(value)
    return f"${SYMBOLS.get(name, name)} = {text}$"


def panel_title(ax, **values) -> None:
    """Title a panel with parameter values, e.g. ``panel_title(ax, p=3, delta_p=1.0)``."""
    ax.set_title(params_text(**values))


def params_text(**values) -> str:
    r"""Parameter values for a title or a legend entry, joined by commas.

    Examples
    --------
    >>> params_text(p=3, delta_p=1.0)
    '$p = 3$, $\\Delta_p = 1$'
    """
    return ", ".join(eq(k, v) for k, v in values.items())


def figure_legend(fig, axes, *, ncols: int | None = None, **kwargs):
    """One legend below all panels, with every distinct label of ``axes`` once.

    Used where a legend inside a panel would cover data or annotations; ``kwargs`` go to
    :meth:`matplotlib.figure.Figure.legend`.
    """
    handles, labels = {}, []
    for ax in np.ravel(axes):
        for h, lab in zip(*ax.get_legend_handles_labels()):
            if lab not in handles:
                handles[lab] = h
                labels.append(lab)
    ncols = ncols or min(len(labels), 4)
    return fig.legend(
        [handles[k] for k in labels], labels, loc="outside lower center", ncols=ncols, **kwargs
    )


def plain_log_ticks(axis) -> None:
    """Ticks 1, 2, 5 × 10^k labelled as plain numbers on a log ``axis`` spanning few decades.

    ``axis`` is ``ax.xaxis`` or ``ax.yaxis`` (the axes must already be on a log scale).
    """
    from matplotlib.ticker import LogLocator, NullFormatter, StrMethodFormatter

    axis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0)))
    axis.set_major_formatter(StrMethodFormatter("{x:g}"))
    axis.set_minor_formatter(NullFormatter())
