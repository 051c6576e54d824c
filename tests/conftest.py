"""Shared test configuration.

Markers: ``slow`` tests are deselected by default (``-m "not slow"`` in CI);
``figure_data`` tests build the quick-scale figures through Snakemake (``figures_dir``) and
check each CSV against the reference named in the figure table, or draw each figure from its
CSV and check its layout.  By default the figures are built in the checkout's own
``figures/quick`` (Snakemake rebuilds only what is missing or out of date, so a second run is
cheap); set ``HIGHDIM_FIGURES_WORKDIR`` to build elsewhere (e.g. a temporary directory for a
from-scratch check).
"""

import os
import subprocess
import sys
from pathlib import Path

# One BLAS thread in the test process (set before numpy is imported), as in the figure
# rules: LAPACK results depend in the last digits on the BLAS thread count, and the
# reproducibility tests compare CSVs byte for byte.
for _var in ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import pytest  # noqa: E402

REPO = Path(__file__).resolve().parents[1]


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: long-running test, deselected in CI")
    os.environ.setdefault("MPLBACKEND", "Agg")


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def snakemake_cmd() -> list[str]:
    """Snakemake of the running interpreter's environment."""
    return [sys.executable, "-m", "snakemake"]


@pytest.fixture(scope="session")
def figures_dir(repo, snakemake_cmd) -> Path:
    """The quick-scale figures, built once per session (in ``HIGHDIM_FIGURES_WORKDIR``)."""
    workdir = Path(os.environ.get("HIGHDIM_FIGURES_WORKDIR", repo))
    cores = os.environ.get("HIGHDIM_CORES", str(os.cpu_count() or 2))
    scale = "quick"
    cmd = [*snakemake_cmd, "--snakefile", str(repo / "Snakefile"), "--directory", str(workdir),
           "--cores", cores, "--keep-going", "--rerun-incomplete", "--config", f"scale={scale}"]
    # Output streams to the terminal (pytest -s) or the captured log: the build takes minutes.
    subprocess.run(cmd, cwd=repo, check=False, timeout=3600)
    return workdir / "figures" / scale
