"""Shared test configuration.

Markers: ``slow`` tests are deselected by default (``-m "not slow"`` in CI);
``figure_data`` tests build the quick-scale figures through Snakemake and check each CSV
against the reference named in the figure table.

The quick-scale build (fixture ``quick_build``) runs once per session, in a temporary
directory (the checkout is never written to); ``HIGHDIM_FIGURES_WORKDIR`` points it at an
existing work directory instead (Snakemake then rebuilds only what is missing or out of
date), and ``HIGHDIM_BUILT_FIGURES`` at an already built ``figures/quick`` directory, used as
is without running Snakemake (``test_quick_build_succeeds`` is then skipped).  It is shared
by ``test_figure_data.py`` and ``test_checks_bite.py``.
"""

import os
import subprocess
import sys
from dataclasses import dataclass
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


def pytest_terminal_summary(terminalreporter):
    """Print the mutation suite's caught / tried count (tests/test_checks_bite.py)."""
    module = sys.modules.get("test_checks_bite") or sys.modules.get("tests.test_checks_bite")
    outcomes = getattr(module, "OUTCOMES", None)
    if outcomes:
        caught = sum(c for _, _, c in outcomes)
        terminalreporter.write_line(
            f"checks that bite: {caught} / {len(outcomes)} corruptions caught by the figure checks"
        )
        for fig, label, ok in outcomes:
            if not ok:
                terminalreporter.write_line(f"  not caught: {fig}: {label}")


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def snakemake_cmd() -> list[str]:
    """Snakemake of the running interpreter's environment."""
    return [sys.executable, "-m", "snakemake"]


@dataclass(frozen=True)
class QuickBuild:
    """The session's quick-scale build: where its figures are and how Snakemake ended."""

    figures_dir: Path
    returncode: int | None  # None: a directory built elsewhere (HIGHDIM_BUILT_FIGURES)
    log: str


@pytest.fixture(scope="session")
def quick_build(repo, snakemake_cmd, tmp_path_factory) -> QuickBuild:
    built = os.environ.get("HIGHDIM_BUILT_FIGURES")
    if built:
        return QuickBuild(Path(built), None, "")
    env_dir = os.environ.get("HIGHDIM_FIGURES_WORKDIR")
    workdir = Path(env_dir) if env_dir else tmp_path_factory.mktemp("quick_build")
    cores = os.environ.get("HIGHDIM_CORES", str(os.cpu_count() or 2))
    cmd = [
        *snakemake_cmd,
        "--snakefile",
        str(repo / "Snakefile"),
        "--directory",
        str(workdir),
        "--cores",
        cores,
        "--keep-going",
        "--rerun-incomplete",
        "--config",
        "scale=quick",
    ]
    log = workdir / "snakemake_quick_build.log"
    # The build takes minutes: its output goes to a log file (its tail is shown on failure).
    with open(log, "w") as handle:
        proc = subprocess.run(cmd, cwd=repo, stdout=handle, stderr=subprocess.STDOUT, timeout=3600)
    return QuickBuild(workdir / "figures" / "quick", proc.returncode, str(log))
