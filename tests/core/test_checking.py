"""The check protocol (checking.py), the CSV mutations (mutations.py) and ``check --out``."""

import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from highdim_dynamics.core.checking import at_most, compare, require, summary
from highdim_dynamics.core.figure_table import load_figure_table
from highdim_dynamics.core.mutations import apply_mutation
from highdim_dynamics.core.runner import run_data
from highdim_dynamics.core.validation import ParameterError

RECORD_KEYS = {"quantity", "reference", "max_deviation", "tolerance", "passed"}


def test_compare_records_and_raises_with_the_numbers():
    records = []
    rec = compare(records, "C̄ plateau", [0.5, 0.7], [0.5, 0.7001], 1e-3, reference_name="m*")
    assert set(rec) == RECORD_KEYS and rec["passed"] and records == [rec]
    # 2e-4 deviation: exact up to float rounding of the inputs
    np.testing.assert_allclose(rec["max_deviation"], 1e-4, rtol=1e-9)
    with pytest.raises(
        AssertionError,
        match=r"μ: max deviation 0\.1 from closed form exceeds "
        r"the tolerance 0\.01",
    ) as err:
        compare(records, "μ", [1.1], [1.0], 0.01, reference_name="closed form", relative=True)
    assert len(records) == 2 and not records[-1]["passed"] and err.value.records == records


def test_nan_empty_and_scaled_comparisons():
    with pytest.raises(AssertionError, match="no points compared"):
        compare(None, "x", [], [], 1.0, reference_name="r")
    with pytest.raises(AssertionError):
        compare(None, "x", [np.nan, 0.0], [0.0, 0.0], 1.0, reference_name="r")
    # deviation in units of the standard error: 0.3 / 0.1 = 3 standard errors
    rec = compare(None, "x", [0.3], [0.0], 3.5, reference_name="r", scale=[0.1])
    np.testing.assert_allclose(rec["max_deviation"], 3.0, rtol=1e-12)
    with pytest.raises(AssertionError):
        at_most(None, "fraction stuck", [0.05, 0.2], 0.1, reference_name="theorem")
    with pytest.raises(AssertionError, match="2 violations"):
        require(None, "monotonic", 1, reference_name="theory", detail="2 violations")
    ok = require(None, "monotonic", 0, reference_name="theory")
    assert summary("f", "ref", [ok])["passed"] and not summary("f", "ref", [])["passed"]


DF = pd.DataFrame(
    {
        "method": ["dmft", "dmft", "sim", "sim"],
        "t": [0.0, 1.0, 0.0, 1.0],
        "x": [1.0, 2.0, 3.0, 4.0],
        "d": [0.5, 0.6, 0.5, 0.6],
    }
)


@pytest.mark.parametrize(
    "mutation, column, expected",
    [
        (
            {"kind": "scale", "column": "x", "factor": 2, "where": {"method": "sim"}},
            "x",
            [1, 2, 6, 8],
        ),
        ({"kind": "shift", "column": "x", "by": 0.5}, "x", [1.5, 2.5, 3.5, 4.5]),
        ({"kind": "stretch_time", "factor": 1.5, "where": {"method": "dmft"}}, "t", [0, 1.5, 0, 1]),
        ({"kind": "drop_rows", "where": {"method": "sim"}}, "x", [1, 2]),
        ({"kind": "swap_labels", "column": "d", "values": [0.5, 0.6]}, "x", [1, 2, 3, 4]),
        ({"kind": "replace_curve", "column": "d", "from": 0.5, "to": 0.6}, "x", [1, 3]),
    ],
)
def test_mutations(mutation, column, expected):
    out = apply_mutation(DF, mutation)
    if mutation["kind"] == "replace_curve":  # the d = 0.6 rows now carry the d = 0.5 values
        np.testing.assert_array_equal(out.loc[out["d"] == 0.6, column], expected)
    else:
        np.testing.assert_array_equal(out[column], expected)
    if mutation["kind"] == "swap_labels":
        np.testing.assert_array_equal(out["d"], [0.6, 0.5, 0.6, 0.5])
    assert DF["x"].tolist() == [1, 2, 3, 4]  # input untouched


@pytest.mark.parametrize(
    "mutation, message",
    [
        ({"kind": "melt"}, "mutation kind must be one of"),
        ({"kind": "scale", "column": "y", "factor": 2}, "column 'y' not in the CSV"),
        ({"kind": "drop_rows", "where": {"method": "theory"}}, "selects no row"),
    ],
)
def test_bad_mutations_are_named_errors(mutation, message):
    with pytest.raises(ParameterError, match=message):
        apply_mutation(DF, mutation)


def test_cli_check_writes_the_comparison_records(tmp_path):
    spec = load_figure_table()["bayes_optimal_phase_diagram"]
    over = {"n_delta_p": 3, "p_values": [3]}
    run_data(spec, "quick", tmp_path / "x.csv", tmp_path / "x.json", overrides=over)
    cmd = [
        sys.executable,
        "-m",
        "highdim_dynamics",
        "check",
        spec.id,
        "--csv",
        str(tmp_path / "x.csv"),
        "--overrides",
        json.dumps(over),
        "--out",
        str(tmp_path / "x.check.json"),
    ]
    out = subprocess.run(cmd, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    info = json.loads((tmp_path / "x.check.json").read_text())
    assert set(info) == {"figure", "passed", "reference", "comparisons"}
    assert info["figure"] == spec.id and info["passed"] and info["comparisons"]
    assert info["reference"] == spec.check["reference"]
    assert all(set(r) == RECORD_KEYS for r in info["comparisons"])
    # a corrupted CSV: exit status 1, the JSON written with passed = false
    df = pd.read_csv(tmp_path / "x.csv")
    df.loc[df["line"] == df["line"].iloc[0], "inv_delta2"] *= 1.05
    df.to_csv(tmp_path / "x.csv", index=False)
    out = subprocess.run(cmd, capture_output=True, text=True)
    assert out.returncode == 1 and "check FAILED" in out.stderr
    info = json.loads((tmp_path / "x.check.json").read_text())
    assert not info["passed"] and not info["comparisons"][-1]["passed"]
