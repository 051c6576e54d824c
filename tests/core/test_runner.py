"""The runner's CSV contract, determinism and the command line."""

import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from highdim_dynamics.core.figure_table import load_figure_table
from highdim_dynamics.core.runner import (
    FigureDataError,
    check_frame,
    run_data,
    run_merge,
    run_plot,
    write_csv,
)
from highdim_dynamics.core.seeding import figure_seed, spawn_seeds
from highdim_dynamics.core.validation import DivergenceError, ParameterError, integer, positive

SPEC = load_figure_table()["bayes_optimal_phase_diagram"]


def _frame(**over):
    df = pd.DataFrame(
        dict(
            p=[3, 3],
            delta_p=[0.5, 1.0],
            line=["amp", "amp"],
            inv_delta2=[1.0, 1.0],
            method=["theory", "theory"],
        )
    )
    for k, v in over.items():
        df[k] = v
    return df


def test_contract_rejects_nan_inf_and_missing_columns():
    check_frame(SPEC, _frame())
    with pytest.raises(DivergenceError, match="NaN"):
        check_frame(SPEC, _frame(inv_delta2=[1.0, np.nan]))
    with pytest.raises(DivergenceError, match="infinite"):
        check_frame(SPEC, _frame(inv_delta2=[1.0, np.inf]))
    with pytest.raises(FigureDataError, match="missing"):
        check_frame(SPEC, _frame().drop(columns="line"))


def test_csv_float_format_is_stable(tmp_path):
    df = _frame(inv_delta2=[1 / 3, 2 / 3])
    write_csv(df, tmp_path / "a.csv")
    write_csv(df, tmp_path / "b.csv")
    text = (tmp_path / "a.csv").read_bytes()
    assert text == (tmp_path / "b.csv").read_bytes()
    assert b"0.3333333333\n" not in text and b"0.3333333333" in text  # 10 significant digits


def test_seeds_are_reproducible_and_distinct():
    assert figure_seed(1, "a") == figure_seed(1, "a") != figure_seed(1, "b")
    np.testing.assert_array_equal(spawn_seeds(5, 4), spawn_seeds(5, 4))
    assert len(set(spawn_seeds(5, 100))) == 100


def test_validation_helpers_name_the_argument():
    with pytest.raises(ParameterError, match="p must be an integer, got 3.0"):
        integer("p", 3.0)
    with pytest.raises(ParameterError, match="delta2 must be > 0, got -1"):
        positive("delta2", -1)


def test_data_meta_and_plot_end_to_end(tmp_path):
    over = {"n_delta_p": 3, "p_values": [3]}
    run_data(SPEC, "quick", tmp_path / "x.csv", tmp_path / "x.json", seed=7, overrides=over)
    meta = json.loads((tmp_path / "x.json").read_text())
    for key in (
        "scale",
        "seed",
        "figure_seed",
        "parameters",
        "package_version",
        "git_commit",
        "wall_time_s",
    ):
        assert key in meta
    assert meta["parameters"]["n_delta_p"] == 3 and meta["seed"] == 7
    first = (tmp_path / "x.csv").read_bytes()
    run_data(
        SPEC, "quick", tmp_path / "x.csv", tmp_path / "y.json", seed=7, overrides=over, threads=1
    )
    assert (tmp_path / "x.csv").read_bytes() == first
    run_plot(SPEC, tmp_path / "x.csv", [tmp_path / "x.png", tmp_path / "x.pdf"])
    assert (tmp_path / "x.png").stat().st_size > 1000 and (tmp_path / "x.pdf").stat().st_size > 1000


def test_cli_unknown_figure_is_a_named_error(tmp_path):
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "highdim_dynamics",
            "data",
            "no_such_figure",
            "--csv",
            str(tmp_path / "a.csv"),
            "--meta",
            str(tmp_path / "a.json"),
        ],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 2
    assert "unknown figure id 'no_such_figure'" in out.stderr
    assert not (tmp_path / "a.csv").exists()


def test_shards_merge_to_the_unsharded_figure(tmp_path):
    """Sharding (one job per p) gives the same CSV for a deterministic figure."""
    over = {"n_delta_p": 3, "p_values": [3, 4]}
    assert SPEC.shards("quick", SPEC.parameters("quick", over)) == ("p_values", 2)
    for i in range(2):
        run_data(
            SPEC, "quick", tmp_path / f"{i}.csv", tmp_path / f"{i}.json", overrides=over, shard=i
        )
    run_merge(
        SPEC,
        [tmp_path / "0.csv", tmp_path / "1.csv"],
        [tmp_path / "0.json", tmp_path / "1.json"],
        tmp_path / "m.csv",
        tmp_path / "m.json",
        "quick",
        over,
    )
    run_data(SPEC, "quick", tmp_path / "u.csv", tmp_path / "u.json", overrides=over)
    assert (tmp_path / "m.csv").read_bytes() == (tmp_path / "u.csv").read_bytes()
    meta = json.loads((tmp_path / "m.json").read_text())
    assert [s["parameters"]["p_values"] for s in meta["shards"]] == [[3], [4]]
    assert meta["shards"][0]["figure_seed"] != meta["shards"][1]["figure_seed"]
    with pytest.raises(ParameterError, match="no shard 2"):
        run_data(SPEC, "quick", tmp_path / "x.csv", tmp_path / "x.json", overrides=over, shard=2)
