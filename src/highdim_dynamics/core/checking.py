"""The protocol every figure check follows: named comparisons with a stated tolerance.

A check function has the signature ``check(df, params, tolerance) -> list[dict]``: it
compares quantities measured in the figure's CSV with an independent reference and returns
one record per comparison,

``{"quantity": str, "reference": str, "max_deviation": float, "tolerance": float,
"passed": bool}``,

raising :class:`AssertionError` (with the record's numbers in the message) at the first
comparison that fails.  :func:`highdim_dynamics.core.runner.run_check` collects the records into
the JSON written beside the figure (``<id>.check.json``).

Three helpers cover the comparisons the checks make:

* :func:`compare` -- measured array vs reference array, absolute or relative deviation;
* :func:`at_most` -- a measured quantity that must not exceed a bound (e.g. a fraction of
  failed runs, a growth rate that must be negative: the bound is the tolerance);
* :func:`require` -- a count of violations of a qualitative statement (monotonic escape
  times, "no run escaped"), whose tolerance is zero.
"""

from __future__ import annotations

from typing import Any

import numpy as np

Record = dict[str, Any]


def _record(
    records: list[Record] | None,
    quantity: str,
    reference: str,
    deviation: float,
    tolerance: float,
    detail: str = "",
) -> Record:
    passed = bool(np.isfinite(deviation) and deviation <= tolerance)
    rec = {
        "quantity": str(quantity),
        "reference": str(reference),
        "max_deviation": float(deviation),
        "tolerance": float(tolerance),
        "passed": passed,
    }
    if records is not None:
        records.append(rec)
    if not passed:
        err = AssertionError(
            f"{quantity}: max deviation {deviation:.4g} from {reference} exceeds "
            f"the tolerance {tolerance:.4g}" + (f" ({detail})" if detail else "")
        )
        err.records = list(records) if records is not None else [rec]  # for the check's JSON
        raise err
    return rec


def compare(
    records: list[Record] | None,
    quantity: str,
    measured,
    reference,
    tolerance: float,
    *,
    reference_name: str,
    relative: bool = False,
    scale=None,
) -> Record:
    """Compare ``measured`` with ``reference`` elementwise; record and assert the maximum deviation.

    Parameters
    ----------
    records : list or None
        The check's list of comparison records; the new record is appended to it.
    quantity : str
        What is compared (e.g. ``"C̄ plateau at Δ2 = 0.5"``).
    measured, reference : array_like
        Broadcast against each other.  A NaN or an empty comparison fails.
    tolerance : float
        Largest allowed deviation.
    reference_name : str
        Where the reference comes from (closed form, paper, independent solver).
    relative : bool
        Deviation ``|measured − reference| / |reference|`` instead of the absolute one.
    scale : array_like, optional
        Per-point scale of the deviation (e.g. the combined standard error, so that the
        tolerance is a number of standard errors): ``|measured − reference| / scale``.

    Returns
    -------
    dict
        The comparison record.

    Raises
    ------
    AssertionError
        If the maximum deviation exceeds ``tolerance`` (or is NaN, or nothing was compared).
    """
    m, r = np.broadcast_arrays(
        np.asarray(measured, dtype=float), np.asarray(reference, dtype=float)
    )
    if m.size == 0:
        return _record(records, quantity, reference_name, np.inf, tolerance, "no points compared")
    dev = np.abs(m - r)
    if relative:
        dev = dev / np.abs(r)
    if scale is not None:
        dev = dev / np.asarray(scale, dtype=float)
    worst = int(np.argmax(np.where(np.isnan(dev), np.inf, dev)))
    detail = (
        f"worst point {worst}: measured {m.flat[worst]:.6g}, reference {r.flat[worst]:.6g}; "
        f"{m.size} points compared"
    )
    return _record(
        records,
        quantity,
        reference_name,
        float(np.nanmax(dev)) if not np.isnan(dev).any() else np.nan,
        tolerance,
        detail,
    )


def at_most(
    records: list[Record] | None, quantity: str, measured, bound: float, *, reference_name: str
) -> Record:
    """Record and assert ``max(measured) <= bound`` (the bound is the record's tolerance)."""
    m = np.asarray(measured, dtype=float)
    if m.size == 0:
        return _record(records, quantity, reference_name, np.inf, bound, "no points compared")
    value = float(np.max(m)) if not np.isnan(m).any() else np.nan
    return _record(records, quantity, reference_name, value, bound, f"{m.size} values")


def require(
    records: list[Record] | None,
    quantity: str,
    violations: int,
    *,
    reference_name: str,
    detail: str = "",
) -> Record:
    """Record and assert that a qualitative statement has no violation (tolerance 0)."""
    return _record(records, quantity, reference_name, float(violations), 0.0, detail)


def summary(figure: str, reference: str, records: list[Record]) -> dict[str, Any]:
    """The JSON record of one figure check: ``{figure, passed, reference, comparisons}``."""
    return {
        "figure": figure,
        "passed": all(r["passed"] for r in records) and bool(records),
        "reference": reference,
        "comparisons": list(records),
    }
