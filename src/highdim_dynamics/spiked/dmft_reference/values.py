"""Loader of the converged reference values shipped with this package."""

from __future__ import annotations

from importlib import resources

import numpy as np
import pandas as pd

from highdim_dynamics.core.validation import ParameterError

_FILE = "reference_values.csv"


def reference_values() -> pd.DataFrame:
    """The converged DMFT reference values at p = 3, Δp = 1 (one row per quantity).

    Columns ``kind`` (``escape``, ``growth``, ``plateau``), ``temperature``, ``delta2``,
    ``inv_delta2``, ``quantity`` (``t_escape_0.1`` ..., ``growth_rate_300`` ...,
    ``cbar_end``, ``mu_end``, ``energy_end``), ``value``, ``uncertainty`` and the error
    budget and raw refinement ladder (``docs/dmft_reference.md``).  Only rows with a
    finite value and uncertainty are returned.
    """
    with resources.files(__package__).joinpath("data", _FILE).open() as fh:
        df = pd.read_csv(fh)
    ok = np.isfinite(df["value"]) & np.isfinite(df["uncertainty"])
    return df[ok].reset_index(drop=True)


def reference_value(
    quantity: str, *, temperature: float, delta2: float, kind: str | None = None
) -> tuple[float, float]:
    """(value, uncertainty) of one reference quantity; ParameterError if absent."""
    df = reference_values()
    m = (
        (df["quantity"] == quantity)
        & np.isclose(df["temperature"], temperature)
        & np.isclose(df["delta2"], delta2, rtol=1e-6, atol=0.0)
    )
    if kind is not None:
        m &= df["kind"] == kind
    if m.sum() != 1:
        raise ParameterError(
            f"no unique reference value for quantity={quantity!r}, "
            f"temperature={temperature!r}, delta2={delta2!r}"
        )
    r = df[m].iloc[0]
    return float(r["value"]), float(r["uncertainty"])
