"""The report (`snakemake --report`) as a reader meets it, in a real headless Chromium.

Snakemake's report is a JavaScript application: the test opens it, clicks through to each
figure's entry and reads back from the rendered page that the image is shown, the caption is
rendered without markup errors, and the check's verdict and numbers are there.
"""

import json
import subprocess
import zipfile

import pytest
from report_reader import assert_entry_shows_figure, chromium_binary, paper_of, read_report

from highdim_dynamics.core.figure_table import load_figure_table

TABLE = load_figure_table()
# two figures of two papers, made cheap (the report test is about the report, not the data)
FIGURES = {
    "bayes_optimal_phase_diagram": "n_delta_p: 3",
    "gradient_flow_phase_diagram": "n_delta_p: 4",
}
CONFIG = [
    f"figures=[{', '.join(FIGURES)}]",
    "overrides={" + ", ".join(f"{f}: {{{o}}}" for f, o in FIGURES.items()) + "}",
]


@pytest.fixture(scope="module")
def chromium():
    binary = chromium_binary()
    if binary is None:
        pytest.skip(
            "no Chromium: Debian's `chromium` package is not installed and cannot be "
            "installed here (needs root and apt-get)"
        )
    return binary


def _smk(snakemake_cmd, repo, workdir, *args):
    out = subprocess.run(
        [
            *snakemake_cmd,
            "--snakefile",
            str(repo / "Snakefile"),
            "--directory",
            str(workdir),
            *args,
        ],
        capture_output=True,
        text=True,
        cwd=workdir,
        timeout=900,
    )
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]


@pytest.fixture(scope="module")
def built(snakemake_cmd, repo, tmp_path_factory):
    work = tmp_path_factory.mktemp("report")
    _smk(snakemake_cmd, repo, work, "--cores", "2", "-q", "--config", *CONFIG)
    return work


def test_report_read_in_a_browser(built, chromium, snakemake_cmd, repo):
    _smk(snakemake_cmd, repo, built, "--config", *CONFIG, "--report", str(built / "report.html"))
    entries = [(paper_of(TABLE[f]), TABLE[f].paper_figure, f) for f in FIGURES]
    seen = read_report(built / "report.html", entries)
    assert seen["categories"] == sorted({paper_of(TABLE[f]) for f in FIGURES})
    for fig in FIGURES:
        check = json.loads((built / "figures" / "quick" / f"{fig}.check.json").read_text())
        assert_entry_shows_figure(seen[fig], TABLE[fig], check)


def test_report_zip(built, snakemake_cmd, repo):
    _smk(snakemake_cmd, repo, built, "--config", *CONFIG, "--report", str(built / "report.zip"))
    names = zipfile.ZipFile(built / "report.zip").namelist()
    assert "report/report.html" in names
    for fig in FIGURES:
        assert any(n.endswith(f"{fig}.png") for n in names), fig
        assert any(n.endswith(f"{fig}.check.json") for n in names), fig
