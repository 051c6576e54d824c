"""The Snakemake workflow: whole DAG, profiles, config validation, reruns.

These run Snakemake as a user would (in a temporary working directory, so the checkout's
``figures/`` is left alone; the test that edits library code edits a copy of the checkout).
"""

import os
import shutil
import subprocess
import time

import pytest

from highdim_dynamics.core.figure_table import load_figure_table

TABLE = load_figure_table()


def _smk(snakemake_cmd, repo, workdir, *args, check=True, env=None):
    cmd = [
        *snakemake_cmd,
        "--snakefile",
        str(repo / "Snakefile"),
        "--directory",
        str(workdir),
        *args,
    ]
    out = subprocess.run(cmd, capture_output=True, text=True, cwd=repo, timeout=600, env=env)
    if check and out.returncode != 0:
        raise AssertionError(f"{' '.join(cmd)} failed:\n{out.stdout}\n{out.stderr}")
    return out


def _planned_rules(out, kinds=("data_", "plot_")):
    return {line.split()[0] for line in out.stdout.splitlines() if line.startswith(kinds)}


def test_dry_run_shows_every_figure(snakemake_cmd, repo, tmp_path):
    out = _smk(snakemake_cmd, repo, tmp_path, "-n", "--cores", "2")
    expected = {f"{kind}_{fig}" for fig in TABLE for kind in ("data", "plot")}
    assert _planned_rules(out) == expected


def test_paper_scale_dry_run_through_slurm_profile(snakemake_cmd, repo, tmp_path):
    out = _smk(
        snakemake_cmd, repo, tmp_path, "-n", "--profile", str(repo / "workflow/profiles/slurm")
    )
    assert _planned_rules(out) == {f"{k}_{f}" for f in TABLE for k in ("data", "plot")}
    assert "figures/paper/bayes_optimal_phase_diagram.csv" in out.stdout


@pytest.mark.parametrize(
    "config, message",
    [
        (["foo=1"], "'foo' was unexpected"),
        (["scale=huge"], "'huge' is not one of"),
        (["seed=-3"], "-3 is less than the minimum"),
        (["figures=[no_such_figure]"], "unknown figure id(s) ['no_such_figure']"),
        (
            ["overrides={bayes_optimal_phase_diagram: {delta_p_min: -1}}"],
            "'delta_p_min' = -1 is invalid",
        ),
        (["overrides={bayes_optimal_phase_diagram: {p_values: [3.5]}}"], "'p_values' = [3.5]"),
        (
            ["overrides={bayes_optimal_phase_diagram: {n_delta_pp: 4}}"],
            "unknown parameter 'n_delta_pp'",
        ),
    ],
)
def test_bad_config_stops_before_any_job(snakemake_cmd, repo, tmp_path, config, message):
    out = _smk(snakemake_cmd, repo, tmp_path, "--cores", "1", "--config", *config, check=False)
    assert out.returncode != 0
    assert message in out.stdout + out.stderr
    assert not (tmp_path / "figures").exists()  # nothing ran


@pytest.mark.parametrize(
    "target", ["figures/quick/no_such_figure.png", "figures/paper/bayes_optimal_phase_diagram.csv"]
)
def test_unknown_target_is_a_named_error(snakemake_cmd, repo, tmp_path, target):
    # an unknown id, or another scale than the configured one: Snakemake's own error
    out = _smk(snakemake_cmd, repo, tmp_path, "-n", target, check=False)
    assert out.returncode != 0
    assert f"No rule to produce {target}" in out.stdout + out.stderr


def _checkout_copy(repo, dest):
    """A copy of the workflow and the package sources, imported instead of the checkout's."""
    skip = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    for name in ("src", "workflow"):
        shutil.copytree(repo / name, dest / name, ignore=skip)
    shutil.copy2(repo / "Snakefile", dest / "Snakefile")
    env = dict(
        os.environ,
        PYTHONPATH=os.pathsep.join(
            [str(dest / "src"), *filter(None, [os.environ.get("PYTHONPATH")])]
        ),
    )
    return dest, env


def test_rerun_only_what_changed(snakemake_cmd, repo, tmp_path):
    fig = "bayes_optimal_phase_diagram"
    target = f"figures/quick/{fig}.png"
    over = f"overrides={{{fig}: {{n_delta_p: 3, p_values: [3]}}}}"
    copy, env = _checkout_copy(repo, tmp_path / "checkout")
    work = tmp_path / "work"

    def planned():
        return _planned_rules(
            _smk(snakemake_cmd, copy, work, target, "-n", "--config", over, env=env)
        )

    _smk(snakemake_cmd, copy, work, target, "--cores", "2", "-q", "--config", over, env=env)
    assert planned() == set()
    # an interrupted run that lost the plot redoes the plot only
    (work / target).unlink()
    assert planned() == {f"plot_{fig}"}
    # editing a library module the figure imports reruns its data (and so its plot);
    # Snakemake compares checksums, so the edit must change the content, not only the mtime.
    # The module edited is the copy's (the copy's src comes first on PYTHONPATH).
    module = copy / "src/highdim_dynamics/spiked/theory/bayes_optimal.py"
    module.write_bytes(module.read_bytes() + b"\n# edited by test_rerun_only_what_changed\n")
    os.utime(module, (time.time(), time.time() + 3600))  # newer than the outputs
    assert planned() == {f"data_{fig}", f"plot_{fig}"}


def test_report_has_every_built_figure_with_caption(snakemake_cmd, repo, tmp_path):
    fig = "bayes_optimal_phase_diagram"
    over = f"overrides={{{fig}: {{n_delta_p: 3, p_values: [3]}}}}"
    _smk(
        snakemake_cmd,
        repo,
        tmp_path,
        "--cores",
        "1",
        "--config",
        over,
        "figures=[" + fig + "]",
        "-q",
    )
    _smk(
        snakemake_cmd,
        repo,
        tmp_path,
        "--config",
        over,
        "figures=[" + fig + "]",
        "--report",
        str(tmp_path / "report.html"),
    )
    html = (tmp_path / "report.html").read_text()
    assert "tricritical point" in html and "Marvels and Pitfalls" in html


def test_each_rule_reruns_only_for_its_own_module(snakemake_cmd, repo, tmp_path):
    """Editing a figure's check.py plans its check only, plot.py its plot only, data.py all
    three (each module is an input of its own rule; the tree is made up to date by
    ``--touch``, so nothing is computed)."""
    fig = "bayes_optimal_phase_diagram"
    targets = [f"figures/quick/{fig}.{ext}" for ext in ("png", "check.json")]
    over = f"overrides={{{fig}: {{n_delta_p: 3, p_values: [3]}}}}"
    copy, env = _checkout_copy(repo, tmp_path / "checkout")
    work = tmp_path / "work"
    kinds = ("data_", "plot_", "check_", "shard_")

    def planned():
        return _planned_rules(
            _smk(snakemake_cmd, copy, work, *targets, "-n", "--config", over, env=env), kinds
        )

    assert planned() == {f"{k}_{fig}" for k in ("shard", "data", "plot", "check")}
    outputs = [f"figures/quick/shards/{fig}/0.{ext}" for ext in ("csv", "json")] + [
        f"figures/quick/{fig}.{ext}" for ext in ("csv", "json", "png", "pdf", "check.json")
    ]
    for name in outputs:  # --touch only updates existing files
        (work / name).parent.mkdir(parents=True, exist_ok=True)
        (work / name).touch()
    _smk(
        snakemake_cmd,
        copy,
        work,
        *targets,
        "--touch",
        "--cores",
        "1",
        "-q",
        "--config",
        over,
        env=env,
    )
    assert planned() == set()
    for module, expected in (
        ("check", {"check"}),
        ("plot", {"plot"}),
        ("data", {"shard", "data", "plot", "check"}),
    ):
        path = copy / f"src/highdim_dynamics/figures/{fig}/{module}.py"
        path.write_bytes(path.read_bytes() + f"\n# edited by the test ({module})\n".encode())
        assert planned() == {f"{k}_{fig}" for k in expected}, module
        _smk(
            snakemake_cmd,
            copy,
            work,
            *targets,
            "--touch",
            "--cores",
            "1",
            "-q",
            "--config",
            over,
            env=env,
        )
