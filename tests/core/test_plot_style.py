"""Camera-ready output: no watermark, symbols in one mathtext style, fonts embedded in PDFs."""

from types import SimpleNamespace

import matplotlib.pyplot as plt
import pandas as pd

from highdim_dynamics.core.plotting import SYMBOLS, eq, package_style, params_text, subplots, sym
from highdim_dynamics.core.runner import run_plot, write_csv


def _figure_with_symbols():
    fig, axes = subplots(1)
    ax = axes[0][0]
    ax.plot([1, 2], [1, 2], label=eq("delta2", 0.5))
    ax.set(xlabel=sym("delta_p"), ylabel=sym("cbar"), title=params_text(p=3, alpha=2.0))
    ax.legend()
    return fig


def test_run_plot_adds_no_watermark(tmp_path):
    drawn = []

    def plot(df):
        fig = _figure_with_symbols()
        drawn.append(fig)
        return fig

    write_csv(pd.DataFrame({"x": [1.0]}), tmp_path / "f.csv")
    run_plot(
        SimpleNamespace(plot_function=plot, id="some_figure"),
        tmp_path / "f.csv",
        [tmp_path / "f.png"],
    )
    fig = drawn[0]
    assert fig._suptitle is None and not fig.texts, "the runner must not title the figure"


def test_pdf_embeds_truetype_fonts(tmp_path):
    with package_style():
        fig = _figure_with_symbols()
        fig.savefig(tmp_path / "f.pdf")
    plt.close(fig)
    pdf = (tmp_path / "f.pdf").read_bytes()
    assert b"/FontFile2" in pdf, "fonts must be embedded as TrueType (pdf.fonttype 42)"
    assert b"/Type3" not in pdf, "Type 3 fonts are not editable/searchable in journals' pipelines"


def test_symbols_are_mathtext():
    for name in SYMBOLS:
        text = sym(name)
        assert text.startswith("$") and text.endswith("$"), name
    assert eq("inv_delta2", 2.5) == r"$1/\Delta_2 = 2.5$"
