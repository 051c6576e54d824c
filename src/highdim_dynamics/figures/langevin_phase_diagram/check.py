"""Check of ``langevin_phase_diagram``: DMFT points against the closed-form Langevin line."""

from __future__ import annotations

import numpy as np

from highdim_dynamics.core.checking import at_most, compare, require
from highdim_dynamics.spiked.theory.algorithmic_lines import langevin_line

CLOSED_FORM = "closed-form Langevin line at T = 1 (algorithmic_lines.langevin_line)"


def check(df, params, tolerance):
    """Each DMFT point lies within its error bar (+ ``atol``) and within ``max_rel_dev``
    (relative) of the closed-form Langevin line, and the error bars are below
    ``max_rel_err`` (relative)."""
    records: list = []
    pts = df[df["method"] == "dmft"]
    require(
        records,
        f"{len(params['points'])} DMFT threshold points present ({len(pts)})",
        int(len(pts) < len(params["points"])),
        reference_name=CLOSED_FORM,
    )
    lang = df[(df["method"] == "theory") & (df["line"] == "langevin_T1")]
    require(
        records,
        "closed-form Langevin line present",
        int(len(lang) == 0),
        reference_name=CLOSED_FORM,
    )
    compare(
        records,
        "plotted closed-form Langevin line",
        lang["inv_delta2"],
        [langevin_line(int(r.p), r.delta_p, 1.0) for r in lang.itertuples()],
        1e-9,
        reference_name=CLOSED_FORM,
        relative=True,
    )  # same formula
    line = np.array([langevin_line(int(r.p), r.delta_p, 1.0) for r in pts.itertuples()])
    y, err = pts["inv_delta2"].to_numpy(), pts["inv_delta2_err"].to_numpy()
    at_most(
        records,
        "relative error bar of the DMFT points",
        err / line,
        tolerance["max_rel_err"],
        reference_name="the extrapolation's stated accuracy",
    )
    compare(
        records,
        "DMFT points vs the closed form (relative)",
        y,
        line,
        tolerance["max_rel_dev"],
        reference_name=CLOSED_FORM,
        relative=True,
    )
    compare(
        records,
        f"DMFT points vs the closed form, in units of (error bar + {tolerance['atol']:g})",
        y,
        line,
        1.0,
        reference_name=CLOSED_FORM,
        scale=err + tolerance["atol"],
    )
    return records
