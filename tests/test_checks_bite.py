"""Checks that bite: every figure's check fails on the corruptions its table entry lists.

For each figure, the built quick-scale CSV (the session build of ``conftest.quick_build``,
shared with ``test_figure_data.py``) must pass its check, and every mutation of its
``check: mutations:`` list (``highdim_dynamics.core.mutations``: a curve scaled or shifted by a
few times the tolerance, time stretched, reference rows dropped, labels swapped, one
parameter's curve drawn for another's) must make it fail.  A mutation with ``pending:``
names a corruption the current check does not catch yet (strict xfail: the test fails as
soon as the check catches it, so that the entry is updated).  The caught / tried count is
printed at the end of the session.
"""

from functools import cache

import pytest

from highdim_dynamics.core.figure_table import load_figure_table
from highdim_dynamics.core.mutations import apply_mutation, describe
from highdim_dynamics.core.runner import read_csv

TABLE = load_figure_table()
SCALE = "quick"
pytestmark = pytest.mark.figure_data

#: outcome of every mutation tried in this session: (figure, mutation label, caught)
OUTCOMES: list[tuple[str, str, bool]] = []

CASES = [
    pytest.param(
        fig_id,
        k,
        id=f"{fig_id}-{k}-{describe(m)}".replace(" ", "_"),
        marks=[pytest.mark.xfail(strict=True, reason=m["pending"])] if "pending" in m else [],
    )
    for fig_id in sorted(TABLE)
    for k, m in enumerate(TABLE[fig_id].mutations)
]


@cache
def _csv(path):
    return read_csv(path)


def _check(fig_id, df):
    spec = TABLE[fig_id]
    return spec.check_function(df, spec.parameters(SCALE), dict(spec.check["tolerance"]))


def _built(quick_build, fig_id):
    csv = quick_build.figures_dir / f"{fig_id}.csv"
    assert csv.exists(), f"{fig_id}: the quick-scale build did not produce {csv}"
    return _csv(str(csv))


def test_every_figure_lists_two_caught_mutations():
    few = {
        f: len(TABLE[f].mutations)
        for f in TABLE
        if sum("pending" not in m for m in TABLE[f].mutations) < 2
    }
    assert not few, f"figures with fewer than two mutations their check catches: {few}"


@pytest.mark.parametrize("fig_id", sorted(TABLE))
def test_removing_the_reference_rows_is_listed(fig_id, quick_build):
    """No check may pass with its reference rows removed: a figure whose CSV carries rows of
    several sources (``method``: dmft, simulation, fixed_step, ...) lists a ``drop_rows``
    mutation that its check catches (tried in ``test_mutation_is_caught``)."""
    df = _built(quick_build, fig_id)
    if "method" not in df or df["method"].nunique() < 2:
        pytest.skip("one source only: the reference is computed by the check")
    drops = [m for m in TABLE[fig_id].mutations if m["kind"] == "drop_rows"]
    assert drops, f"{fig_id}: no drop_rows mutation (reference rows removed) in the table"
    if all("pending" in m for m in drops):  # a known gap, listed in the table
        pytest.xfail(
            f"{fig_id}: removing the reference rows is not caught yet: {drops[0]['pending']}"
        )


@pytest.mark.parametrize("fig_id", sorted(TABLE))
def test_unmutated_csv_passes(fig_id, quick_build):
    records = _check(fig_id, _built(quick_build, fig_id).copy())
    assert records is None or all(r["passed"] for r in records)


@pytest.mark.parametrize("fig_id, k", CASES)
def test_mutation_is_caught(fig_id, k, quick_build):
    mutation = TABLE[fig_id].mutations[k]
    mutated = apply_mutation(_built(quick_build, fig_id), mutation)
    try:
        _check(fig_id, mutated)
    except AssertionError:
        OUTCOMES.append((fig_id, describe(mutation), True))
        return
    except Exception:  # the check crashed on the corrupted CSV: not a named failure
        OUTCOMES.append((fig_id, describe(mutation), False))
        raise
    OUTCOMES.append((fig_id, describe(mutation), False))
    pytest.fail(
        f"{fig_id}: the check passes on the corrupted CSV ({describe(mutation)}: {mutation['why']})"
    )
