"""Figure-data tests: build every quick-scale figure and check its CSV against its reference.

The figures are built by Snakemake exactly as a user builds them, once per session in a
temporary directory (fixture ``quick_build`` of ``conftest.py``; ``HIGHDIM_FIGURES_WORKDIR``
reuses a work directory).  A failed build fails ``test_quick_build_succeeds``.  Each check
function and its tolerance come from the figure table (``workflow/figures/*.yaml``).
"""

import json
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from report_reader import assert_entry_shows_figure, chromium_binary, paper_of, read_report

from highdim_dynamics.core.figure_table import load_figure_table
from highdim_dynamics.core.runner import compute_figure, read_csv, run_check, write_csv

TABLE = load_figure_table()
SCALE = "quick"
pytestmark = pytest.mark.figure_data


@pytest.fixture(scope="session")
def figures_dir(quick_build) -> Path:
    return quick_build.figures_dir


def test_quick_build_succeeds(quick_build):
    if quick_build.returncode is None:
        pytest.skip("figures built elsewhere (HIGHDIM_BUILT_FIGURES): no build in this session")
    tail = "\n".join(Path(quick_build.log).read_text().splitlines()[-40:])
    assert quick_build.returncode == 0, f"the quick-scale build failed:\n{tail}"


@pytest.mark.parametrize("fig_id", sorted(TABLE))
def test_figure_matches_reference(fig_id, figures_dir):
    spec = TABLE[fig_id]
    csv = figures_dir / f"{fig_id}.csv"
    assert csv.exists(), f"{fig_id}: the quick-scale build did not produce {csv} (see logs/)"
    for ext in ("png", "pdf", "json"):
        assert (figures_dir / f"{fig_id}.{ext}").exists(), f"{fig_id}.{ext} missing"
    meta = json.loads((figures_dir / f"{fig_id}.json").read_text())
    assert meta["scale"] == SCALE and meta["parameters"] == spec.parameters(SCALE)
    df = read_csv(csv)
    assert set(spec.columns) <= set(df.columns)
    numeric = df.select_dtypes(include=[np.number]).drop(
        columns=list(spec.optional_columns), errors="ignore"
    )
    assert np.isfinite(numeric.to_numpy(dtype=float)).all(), f"{fig_id}: non-finite values"
    # The reference comparison itself, with the table's stated tolerance.
    run_check(spec, csv, SCALE)


@pytest.mark.parametrize(
    "fig_id", sorted(f for f in TABLE if TABLE[f].reproducibility == "recompute")
)
def test_figure_is_reproducible(fig_id, figures_dir, tmp_path):
    """Same seed and parameters → byte-identical CSV, also with a different thread count.

    Recomputes the figures the table marks ``reproducibility: recompute``; those marked
    ``seeding`` (the slowest quick builds) rely on the seeding design: all randomness is
    drawn from SeedSequence-spawned streams, tested in the unit tests of their kernels.
    """
    meta_file = figures_dir / f"{fig_id}.json"
    assert meta_file.exists(), f"{fig_id}: not built (see test_quick_build_succeeds)"
    meta = json.loads(meta_file.read_text())
    threads = 1 if meta["threads"] != 1 else 2
    if "shards" in meta:  # a sharded figure: recompute each shard, concatenate in order
        df = pd.concat(
            [
                compute_figure(
                    TABLE[fig_id], SCALE, seed=meta["seed"], threads=threads, shard=s["shard"]
                )[0]
                for s in meta["shards"]
            ],
            ignore_index=True,
        )
    else:
        df, _ = compute_figure(TABLE[fig_id], SCALE, seed=meta["seed"], threads=threads)
    write_csv(df, tmp_path / "again.csv")
    assert (tmp_path / "again.csv").read_bytes() == (figures_dir / f"{fig_id}.csv").read_bytes()


def test_report_shows_every_figure_with_its_check(figures_dir, snakemake_cmd, repo, tmp_path):
    """`snakemake --report` of the quick build, read in a headless Chromium as a reader does:
    one category per paper, and every figure's entry shows its image, its caption (no markup
    error) and its check's verdict and numbers."""
    if chromium_binary() is None:
        pytest.skip(
            "no Chromium: Debian's `chromium` package is not installed and cannot be "
            "installed here (needs root and apt-get)"
        )
    report = tmp_path / "report.html"
    subprocess.run(
        [
            *snakemake_cmd,
            "--snakefile",
            str(repo / "Snakefile"),
            "--directory",
            str(figures_dir.parents[1]),
            "--config",
            f"scale={SCALE}",
            "--report",
            str(report),
        ],
        cwd=repo,
        check=True,
        capture_output=True,
        timeout=600,
    )
    seen = read_report(report, [(paper_of(s), s.paper_figure, s.id) for s in TABLE.values()])
    assert seen["categories"] == sorted({paper_of(s) for s in TABLE.values()})
    assert len(seen["categories"]) == len({s.arxiv for s in TABLE.values()}) == 6
    for fig_id, spec in sorted(TABLE.items()):
        check = json.loads((figures_dir / f"{fig_id}.check.json").read_text())
        assert_entry_shows_figure(seen[fig_id], spec, check)
