"""The checks of the phase-retrieval and Gaussian-mixture figures return comparison records.

Each record names the quantity and its reference and carries the largest deviation and
the tolerance (the numbers the report shows); a check must not fall back on the runner's
single "every assertion" record.  Run on the session's quick build (``conftest.quick_build``).
"""

import math

import pytest

from highdim_dynamics.core.figure_table import load_figure_table
from highdim_dynamics.core.runner import read_csv

TABLE = load_figure_table()
FIGURES = sorted(f for f in TABLE if TABLE[f].family in ("phase_retrieval", "gaussian_mixture_sgd"))
pytestmark = pytest.mark.figure_data


def test_the_families_have_their_figures():
    assert len(FIGURES) == 8, FIGURES


@pytest.mark.parametrize("fig_id", FIGURES)
def test_check_returns_numbered_comparisons(fig_id, quick_build):
    csv = quick_build.figures_dir / f"{fig_id}.csv"
    assert csv.exists(), f"{fig_id}: the quick-scale build did not produce {csv}"
    spec = TABLE[fig_id]
    records = spec.check_function(
        read_csv(csv), spec.parameters("quick"), dict(spec.check["tolerance"])
    )
    assert isinstance(records, list) and records, f"{fig_id}: the check returns no records"
    for r in records:
        assert {"quantity", "reference", "max_deviation", "tolerance", "passed"} <= set(r), r
        assert r["passed"] and r["quantity"] and r["reference"], r
        assert math.isfinite(r["max_deviation"]) and math.isfinite(r["tolerance"]), r
    # at least one comparison against a non-zero tolerance (not only counts of violations)
    assert any(r["tolerance"] > 0 for r in records), records
