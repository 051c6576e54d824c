"""Shared test configuration.

Markers: ``slow`` tests are deselected by default (``-m "not slow"`` in CI);
``figure_data`` tests build the quick-scale figures through Snakemake and check each CSV
against the reference named in the figure table.
"""

import os
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
