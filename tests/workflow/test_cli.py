"""The command line: version, readable help, the workflow's defaults, the documented commands."""

import re
import shlex
import subprocess
import sys

import yaml

from highdim_dynamics import __version__
from highdim_dynamics.core.seeding import DEFAULT_SEED


def _cli(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "highdim_dynamics", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=600,
    )


def test_version_and_readable_help():
    assert _cli("--version").stdout.strip() == f"highdim_dynamics {__version__}"
    out = _cli("--help")
    assert out.returncode == 0 and "data ID --csv F --meta J" in out.stdout
    assert "``" not in out.stdout and ":func:" not in out.stdout  # no raw RST


def test_seed_and_scale_default_to_the_workflow_config(repo):
    config = yaml.safe_load((repo / "workflow/config/config.yaml").read_text())
    assert DEFAULT_SEED == config["seed"] and config["scale"] == "quick"
    help_text = _cli("data", "--help").stdout
    assert f"default {config['seed']}" in help_text


def test_documented_commands_run(repo, tmp_path):
    """Every `python -m highdim_dynamics` line of docs/adding_a_figure.md, on a cheap figure."""
    doc = (repo / "docs/adding_a_figure.md").read_text()
    lines = [
        line.split("#")[0].strip()
        for line in doc.splitlines()
        if line.startswith("python -m highdim_dynamics")
    ]
    assert {shlex.split(line)[3] for line in lines} >= {"data", "plot", "check"}
    for line in lines:
        args = shlex.split(line.replace("<id>", "kac_rice_complexity_vs_overlap"))[3:]
        out = _cli(*args, cwd=tmp_path)
        assert out.returncode == 0, f"{line}: {out.stderr}"
    assert {p.name for p in tmp_path.iterdir()} >= {"out.csv", "out.json", "out.png", "out.pdf"}


def test_bad_input_exits_2_with_a_named_message(tmp_path):
    out = _cli(
        "data",
        "annealing_protocol",
        "--overrides",
        '{"p": 3.0}',
        "--csv",
        str(tmp_path / "a.csv"),
        "--meta",
        str(tmp_path / "a.json"),
    )
    assert out.returncode == 2
    assert re.search(r"figure 'annealing_protocol': parameter 'p' = 3.0", out.stderr)
    assert not list(tmp_path.iterdir())


def test_progress_reports_rate_and_eta_only_when_asked(monkeypatch):
    import io

    from highdim_dynamics.core.progress import Progress

    quiet = io.StringIO()
    bar = Progress("silent", 3, stream=quiet)  # under pytest: off unless asked
    bar.update(3)
    assert quiet.getvalue() == ""
    monkeypatch.setenv("HIGHDIM_PROGRESS", "1")
    log = io.StringIO()
    bar = Progress("simulate", 2, every=0.0, stream=log)
    bar.update()
    bar.update()
    assert re.search(r"simulate: +50%.*1/2 \[00:00<00:00, +[0-9.]+\s*it/s\]", log.getvalue())
