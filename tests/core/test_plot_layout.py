"""Layout of every figure: no text drawn over other text.

Each figure is drawn from its quick-scale CSV with the package style (as
``runner.run_plot`` draws it) and, after ``fig.canvas.draw()``, the window extents of all
texts are compared: tick labels, axis labels, titles, annotations, legends (of panels and
of the figure).  Two boxes that intersect fail the test, as does a legend or a text of one
panel (or of the figure) drawn over the data area of another panel.  The detector itself
is tested on figures built to overlap.  The same figures must write the papers' symbols in
mathtext only, and must not carry their own id (no watermark).
"""

from __future__ import annotations

import itertools
import re

import matplotlib.pyplot as plt
import pytest
from matplotlib.transforms import Bbox

from highdim_dynamics.core.figure_table import load_figure_table
from highdim_dynamics.core.plotting import package_style
from highdim_dynamics.core.runner import read_csv

TABLE = load_figure_table()

#: Boxes are shrunk by this many pixels (at the figure's dpi) before intersecting, so that
#: texts that merely touch (adjacent tick labels, a title on its axes' edge) do not count.
TOUCH_PX = 1.0


def _visible_text(artist) -> bool:
    return artist.get_visible() and bool(artist.get_text().strip())


def _tick_labels(axis):
    """Tick labels drawn on ``axis`` (ticks outside the view limits are not drawn)."""
    lo, hi = sorted(axis.get_view_interval())
    out = []
    for tick in axis.get_major_ticks() + axis.get_minor_ticks():
        if not lo - 1e-12 * abs(hi - lo) <= tick.get_loc() <= hi + 1e-12 * abs(hi - lo):
            continue
        out += [lab for lab in (tick.label1, tick.label2) if _visible_text(lab)]
    offset = axis.get_offset_text()
    return out + ([offset] if _visible_text(offset) else [])


def text_elements(fig):
    """(description, kind, owner axes or None, bbox) of every text-like artist of ``fig``.

    ``kind`` is ``"axis"`` for tick and axis labels (drawn beside their panel) and
    ``"text"`` for titles, annotations and legends.
    """
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    items = []
    for k, ax in enumerate(fig.axes):
        if not ax.get_visible() or not ax.axison:
            continue
        for name, axis in (("x", ax.xaxis), ("y", ax.yaxis)):
            items += [
                (f"axes {k} {name} tick label {t.get_text()!r}", "axis", ax, t)
                for t in _tick_labels(axis)
            ]
            if _visible_text(axis.label):
                items.append(
                    (f"axes {k} {name} label {axis.label.get_text()!r}", "axis", ax, axis.label)
                )
        for title in (ax.title, ax._left_title, ax._right_title):
            if _visible_text(title):
                items.append((f"axes {k} title {title.get_text()!r}", "text", ax, title))
        items += [
            (f"axes {k} text {t.get_text()!r}", "text", ax, t) for t in ax.texts if _visible_text(t)
        ]
        if ax.get_legend() is not None and ax.get_legend().get_visible():
            items.append((f"axes {k} legend", "text", ax, ax.get_legend()))
    items += [(f"figure legend {i}", "text", None, leg) for i, leg in enumerate(fig.legends)]
    items += [
        (f"figure text {t.get_text()!r}", "text", None, t) for t in fig.texts if _visible_text(t)
    ]
    return [
        (name, kind, owner, artist.get_window_extent(renderer))
        for name, kind, owner, artist in items
    ]


def _shrunk(bbox):
    return Bbox.from_extents(
        bbox.x0 + TOUCH_PX, bbox.y0 + TOUCH_PX, bbox.x1 - TOUCH_PX, bbox.y1 - TOUCH_PX
    )


def overlaps(fig) -> list[str]:
    """Every pair of intersecting text boxes, and texts over another panel's data area."""
    items = text_elements(fig)
    bad = []
    for (n1, _, _, b1), (n2, _, _, b2) in itertools.combinations(items, 2):
        if _shrunk(b1).overlaps(_shrunk(b2)):
            bad.append(f"{n1} overlaps {n2}")
    renderer = fig.canvas.get_renderer()
    for k, ax in enumerate(fig.axes):
        if not ax.get_visible() or not ax.axison:
            continue
        area = ax.patch.get_window_extent(renderer)
        for name, kind, owner, box in items:
            if owner is not ax and kind == "text" and _shrunk(box).overlaps(_shrunk(area)):
                bad.append(f"{name} is drawn over the data area of axes {k}")
    return bad


#: Symbols of the papers must be mathtext (``plotting.sym``), never Unicode letters in plain
#: text, so that they look the same in every figure.
UNICODE_SYMBOLS = re.compile("[\u0391-\u03a9\u03b1-\u03c9\u0304\u2080-\u2089]")


def plain_text_symbols(fig) -> list[str]:
    """Texts of ``fig`` with a Greek letter, macron or subscript digit outside ``$...$``."""
    texts = [
        t
        for t in fig.findobj(lambda a: hasattr(a, "get_text") and hasattr(a, "get_visible"))
        if a_visible_text(t)
    ]
    return [
        t.get_text()
        for t in texts
        if UNICODE_SYMBOLS.search(re.sub(r"\$[^$]*\$", "", t.get_text()))
    ]


def a_visible_text(artist) -> bool:
    try:
        return _visible_text(artist)
    except (TypeError, AttributeError):
        return False


def draw(fig_id: str, csv):
    spec = TABLE[fig_id]
    with package_style():
        return spec.plot_function(read_csv(csv))


# ---------------------------------------------------------------- the detector itself
def test_detector_finds_legend_over_text():
    with package_style():
        fig, ax = plt.subplots()
        ax.plot([0, 1], [0, 1], label="a line with a long legend entry")
        ax.text(
            0.5,
            0.5,
            "an annotation under the legend",
            transform=ax.transAxes,
            ha="center",
            va="center",
        )
        ax.legend(loc="center")
    assert any("legend overlaps" in b or "overlaps axes 0 legend" in b for b in overlaps(fig))
    plt.close(fig)


def test_detector_finds_figure_legend_over_a_panel():
    with package_style():
        fig, axes = plt.subplots(1, 2)
        axes[0].plot([0, 1], [0, 1], label="line")
        fig.legend(loc="center")
    assert any("figure legend 0 is drawn over the data area" in b for b in overlaps(fig))
    plt.close(fig)


def test_detector_finds_crowded_tick_labels():
    with package_style():
        fig, ax = plt.subplots(figsize=(1.5, 1.5))
        ax.set_xticks(range(20), [f"label {i}" for i in range(20)])
    assert any("tick label" in b and "overlaps" in b for b in overlaps(fig))
    plt.close(fig)


def test_detector_passes_a_clean_figure():
    with package_style():
        fig, ax = plt.subplots()
        ax.plot([0, 1], [0, 1], label="line")
        ax.set(xlabel="x", ylabel="y", title="title")
        ax.legend(loc="upper left")
    assert overlaps(fig) == []
    plt.close(fig)


# ---------------------------------------------------------------- every figure
@pytest.mark.figure_data
@pytest.mark.parametrize("fig_id", sorted(TABLE))
def test_figure_has_no_overlapping_text(fig_id, quick_build):
    csv = quick_build.figures_dir / f"{fig_id}.csv"
    assert csv.exists(), f"{fig_id}: the quick-scale build did not produce {csv}"
    fig = draw(fig_id, csv)
    try:
        bad = overlaps(fig)
        plain = plain_text_symbols(fig)
        watermark = [t.get_text() for t in fig.texts] + (
            [fig._suptitle.get_text()] if fig._suptitle else []
        )
    finally:
        plt.close(fig)
    assert not bad, f"{fig_id}: " + "; ".join(bad)
    assert not plain, f"{fig_id}: symbols outside mathtext in {plain}"
    assert not any(fig_id in t for t in watermark), f"{fig_id}: the figure names itself"


def test_detector_finds_plain_unicode_symbols():
    with package_style():
        fig, ax = plt.subplots()
        ax.set(xlabel="Δ2", ylabel=r"$\Delta_2$", title="C̄(t)")
    assert sorted(plain_text_symbols(fig)) == ["C̄(t)", "Δ2"]
    plt.close(fig)
