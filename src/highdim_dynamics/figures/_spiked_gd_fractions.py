"""Success fractions of the gradient-descent runs of ``spiked_gd_finite_n`` (plot and check)."""

from __future__ import annotations

import numpy as np
import pandas as pd

#: |m| above which a run has left the equator (escape) / reached m* (aligned, m > 0).
SUCCESS_THRESHOLD = 0.5


def success_fractions(df: pd.DataFrame) -> pd.DataFrame:
    """Per (N, 1/Δ2): fractions with |m| > 0.5 (escape), m > 0.5 (aligned), m < −0.5."""
    runs = df[df["kind"] == "run"]
    g = runs.groupby(["n", "inv_delta2"])["m"]
    return pd.DataFrame(
        dict(
            escape=g.apply(lambda m: np.mean(np.abs(m) > SUCCESS_THRESHOLD)),
            aligned=g.apply(lambda m: np.mean(m > SUCCESS_THRESHOLD)),
            anti=g.apply(lambda m: np.mean(m < -SUCCESS_THRESHOLD)),
            runs=g.size(),
        )
    ).reset_index()
