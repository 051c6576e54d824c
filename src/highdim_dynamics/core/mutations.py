"""Corruptions of a figure's CSV that its check must catch (the ``mutations`` of the table).

Each figure's ``check:`` block in ``workflow/figures/*.yaml`` lists, beside its
``tolerance``, corruptions a real bug would produce, with magnitudes a few times the stated
tolerance; ``tests/test_checks_bite.py`` applies each one to the built quick-scale CSV and
requires the check to fail.  A mutation is a mapping with ``kind`` and

* ``scale``: ``column``, ``factor`` -- multiply the column;
* ``shift``: ``column``, ``by`` -- add to the column;
* ``stretch_time``: ``factor`` (``column``, default ``t``) -- rescale the time axis;
* ``drop_rows``: drop the selected rows (e.g. every simulation or reference row);
* ``swap_labels``: ``column``, ``values: [a, b]`` -- exchange two labels;
* ``replace_curve``: ``column``, ``from``, ``to`` -- the rows labelled ``to`` are replaced by
  a copy of the rows labelled ``from`` (relabelled ``to``): one parameter's curve drawn for
  another's; optional ``keep`` lists columns kept from the replaced rows.

Every kind but ``replace_curve`` takes an optional ``where``: ``{column: value or [values]}``
restricting the rows it touches (all conditions must hold); ``why`` says in words what the
corruption stands for and how its magnitude compares with the tolerance.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from highdim_dynamics.core.validation import ParameterError

KINDS = ("scale", "shift", "stretch_time", "drop_rows", "swap_labels", "replace_curve")


def _mask(df: pd.DataFrame, where: dict | None) -> pd.Series:
    mask = pd.Series(True, index=df.index)
    for col, value in (where or {}).items():
        if col not in df.columns:
            raise ParameterError(
                f"mutation where: column {col!r} not in the CSV (has {list(df.columns)})"
            )
        values = value if isinstance(value, list) else [value]
        mask &= _isin(df[col], values)
    return mask


def _isin(series: pd.Series, values: list) -> pd.Series:
    if pd.api.types.is_numeric_dtype(series) and all(
        isinstance(v, (int, float)) and not isinstance(v, bool) for v in values
    ):
        return pd.Series(
            np.isclose(
                series.to_numpy(dtype=float)[:, None],
                np.asarray(values, dtype=float)[None, :],
                rtol=1e-9,
                atol=0.0,
            ).any(axis=1),
            index=series.index,
        )
    return series.astype(str).isin([str(v) for v in values])


def _column(df: pd.DataFrame, mutation: dict, default: str | None = None) -> str:
    col = mutation.get("column", default)
    if col not in df.columns:
        raise ParameterError(
            f"mutation {mutation}: column {col!r} not in the CSV (has {list(df.columns)})"
        )
    return col


def describe(mutation: dict[str, Any]) -> str:
    """A one-line label of a mutation (for test ids and reports)."""
    parts = [mutation["kind"]]
    for key in ("column", "factor", "by", "values", "from", "to"):
        if key in mutation:
            parts.append(f"{key}={mutation[key]}")
    if mutation.get("where"):
        parts.append("where " + ",".join(f"{k}={v}" for k, v in mutation["where"].items()))
    return " ".join(str(p) for p in parts)


def apply_mutation(df: pd.DataFrame, mutation: dict[str, Any]) -> pd.DataFrame:
    """Return a corrupted copy of ``df`` (the input is not modified).

    Raises
    ------
    ParameterError
        Unknown kind or column, or a mutation that selects no row (it would test nothing).
    """
    kind = mutation.get("kind")
    if kind not in KINDS:
        raise ParameterError(f"mutation kind must be one of {KINDS}, got {kind!r}")
    out = df.copy()
    if kind == "replace_curve":
        return _replace_curve(out, mutation)
    mask = _mask(out, mutation.get("where"))
    if kind in ("scale", "shift", "stretch_time"):
        col = _column(out, mutation, "t" if kind == "stretch_time" else None)
        mask &= out[col].notna()
    if not mask.any():
        raise ParameterError(f"mutation {describe(mutation)!r} selects no row of the CSV")
    if kind in ("scale", "stretch_time"):
        out[col] = out[col].astype(float)
        out.loc[mask, col] = out.loc[mask, col] * float(mutation["factor"])
    elif kind == "shift":
        out[col] = out[col].astype(float)
        out.loc[mask, col] = out.loc[mask, col] + float(mutation["by"])
    elif kind == "drop_rows":
        out = out.loc[~mask].reset_index(drop=True)
    elif kind == "swap_labels":
        col = _column(out, mutation)
        a, b = mutation["values"]
        is_a = mask & _isin(out[col], [a])
        is_b = mask & _isin(out[col], [b])
        if not is_a.any() or not is_b.any():
            raise ParameterError(f"mutation {describe(mutation)!r}: both labels must occur")
        va, vb = out.loc[is_a, col].iloc[0], out.loc[is_b, col].iloc[0]
        out[col] = out[col].astype(object)
        out.loc[is_a, col] = vb
        out.loc[is_b, col] = va
        out[col] = out[col].infer_objects()
    return out


def _replace_curve(df: pd.DataFrame, mutation: dict) -> pd.DataFrame:
    col = _column(df, mutation)
    src = _isin(df[col], [mutation["from"]])
    dst = _isin(df[col], [mutation["to"]])
    if not src.any() or not dst.any():
        raise ParameterError(f"mutation {describe(mutation)!r}: both curves must occur")
    copy = df.loc[src].copy()
    copy[col] = df.loc[dst, col].iloc[0]
    for keep in mutation.get("keep", []):  # e.g. a parameter column of the replaced curve
        copy[keep] = df.loc[dst, keep].iloc[0]
    first = int(np.flatnonzero(dst.to_numpy())[0])
    rest = df.loc[~dst]
    before = rest.loc[rest.index < df.index[first]]
    after = rest.loc[rest.index > df.index[first]]
    return pd.concat([before, copy, after], ignore_index=True)
