"""Check glue shared by the Kac-Rice complexity figures."""

from __future__ import annotations

import numpy as np

QUADRATURE_REFERENCE = (
    "the same Kac-Rice expression by quadrature and numerical energy split "
    "(spiked.theory.kac_rice_quadrature, no closed form of spiked.theory.kac_rice)"
)


def spread(frame, n):
    """``n`` rows spread evenly over ``frame`` (its ends included)."""
    return frame.iloc[np.unique(np.linspace(0, len(frame) - 1, n).round().astype(int))]
