"""Shared test configuration.

Markers: ``slow`` tests are deselected by default (``-m "not slow"`` in CI);
``figure_data`` tests build the quick-scale figures through Snakemake and check each CSV
against the reference named in the figure table.
"""

import os
import sys
from pathlib import Path

import pytest

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
