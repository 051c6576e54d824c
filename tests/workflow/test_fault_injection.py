"""Fault injection: a run never lies and bad input never costs a result.

Each test is one way a careful or hostile user breaks a run: an interruption (SIGINT, SIGKILL)
in the middle of a job, an invalid override, a diverging integration.  Every Snakemake run
happens in a temporary directory, never in the checkout, on the cheapest figure
(``bayes_optimal_phase_diagram`` with a few Δp, sharded into one job per p).
"""

import dataclasses
import json
import os
import signal
import subprocess
import time

import numpy as np
import pandas as pd
import pytest

from highdim_dynamics.core.figure_table import load_figure_table
from highdim_dynamics.core.runner import check_frame, run_data, write_csv
from highdim_dynamics.core.validation import DivergenceError, ParameterError

TABLE = load_figure_table()
FIG = "bayes_optimal_phase_diagram"
CHEAP = f"overrides={{{FIG}: {{n_delta_p: 3, p_values: [3]}}}}"
CSV = f"figures/quick/{FIG}.csv"


def _cmd(snakemake_cmd, repo, workdir, *args):
    return [
        *snakemake_cmd,
        "--snakefile",
        str(repo / "Snakefile"),
        "--directory",
        str(workdir),
        *args,
    ]


def _smk(snakemake_cmd, repo, workdir, *args, check=True):
    out = subprocess.run(
        _cmd(snakemake_cmd, repo, workdir, *args),
        capture_output=True,
        text=True,
        cwd=repo,
        timeout=600,
    )
    if check and out.returncode != 0:
        raise AssertionError(f"snakemake {' '.join(args)} failed:\n{out.stdout}\n{out.stderr}")
    return out


def _planned(out):
    return {
        line.split()[0]
        for line in out.stdout.splitlines()
        if line.startswith(("data_", "plot_", "shard_"))
    }


@pytest.fixture(scope="module")
def built(snakemake_cmd, repo, tmp_path_factory):
    """A workdir with the cheap figure built (CSV, JSON, PNG, PDF)."""
    workdir = tmp_path_factory.mktemp("built")
    status = subprocess.run(
        ["git", "status", "--porcelain"], cwd=repo, capture_output=True, text=True
    ).stdout
    _smk(snakemake_cmd, repo, workdir, "--cores", "1", "-q", "--config", CHEAP, f"figures=[{FIG}]")
    # 6. a build never modifies tracked files, so the provenance commit is clean for clean code
    assert (
        subprocess.run(
            ["git", "status", "--porcelain"], cwd=repo, capture_output=True, text=True
        ).stdout
        == status
    )
    commit = json.loads((workdir / f"figures/quick/{FIG}.json").read_text())["git_commit"]
    if not status.strip():  # a clean checkout (CI): the record says so
        assert not commit.endswith("-dirty"), commit
    return workdir


# -- 2, 3: bad input is refused while the DAG is built; the existing result survives --------

#: Each bad override of the pre-run check: the figure, the override and the message part.
BAD_OVERRIDES = [
    (FIG, {"p_values": [3.0]}, "p_values[0] must be an integer, got 3.0"),
    ("annealing_protocol", {"p": 3.0}, "p must be an integer, got 3.0"),
    (FIG, {"delta_p_max": float("nan")}, "delta_p_max must be a finite real number, got nan"),
    (FIG, {"delta_p_max": float("inf")}, "delta_p_max must be a finite real number, got inf"),
    ("annealing_protocol", {"n_points": 5}, "data() takes no argument 'n_points'"),
    (FIG, {"delta_p_min": 2.0, "delta_p_max": 1.0}, "delta_p_min must be < delta_p_max"),
    (
        "gd_two_clusters_init_variance",
        {"eta": 20.0, "loss": "square"},
        "eta = 20.0 exceeds the stability bound",
    ),
    ("langevin_vs_simulation", {"dt": 5.0}, "dt = 5.0 exceeds the stability bound"),
    (FIG, {"delta_p_min": "1e-4x"}, "delta_p_min must be a finite real number, got '1e-4x'"),
]


@pytest.mark.parametrize("fig_id, override, message", BAD_OVERRIDES)
def test_bad_override_is_named(fig_id, override, message):
    """The check the workflow runs while it builds the DAG (FigureSpec.parameters)."""
    with pytest.raises(ParameterError) as err:
        TABLE[fig_id].parameters("quick", override)
    assert message in str(err.value) and f"figure {fig_id!r}" in str(err.value)


@pytest.mark.parametrize(
    "override, message",
    [
        ("{annealing_protocol: {p: 3.0}}", "p must be an integer, got 3.0"),
        (f"{{{FIG}: {{delta_p_min: 2.0, delta_p_max: .nan}}}}", "got nan"),
        (
            "{gd_two_clusters_init_variance: {eta: 20.0, loss: square}}",
            "eta = 20.0 exceeds the stability bound",
        ),
    ],
)
def test_bad_override_is_refused_before_any_job(snakemake_cmd, repo, built, override, message):
    before = (built / CSV).read_bytes(), (built / CSV).stat().st_mtime_ns
    out = _smk(
        snakemake_cmd,
        repo,
        built,
        "--cores",
        "1",
        "--config",
        f"overrides={override}",
        f"figures=[{FIG}]",
        check=False,
    )
    assert out.returncode != 0
    assert message in out.stdout + out.stderr
    assert ((built / CSV).read_bytes(), (built / CSV).stat().st_mtime_ns) == before


def test_missing_shard_is_refused(snakemake_cmd, repo, built):
    out = _smk(
        snakemake_cmd,
        repo,
        built,
        "-n",
        f"figures/quick/shards/{FIG}/5.csv",
        "--config",
        CHEAP,
        check=False,
    )
    assert out.returncode != 0
    assert f"No rule to produce figures/quick/shards/{FIG}/5.csv" in out.stdout + out.stderr


def test_numbers_parse_as_a_user_types_them(snakemake_cmd, repo, tmp_path):
    over = f"overrides={{{FIG}: {{n_delta_p: 3, p_values: [3], delta_p_min: 5e-2, delta_p_max: .5E1}}}}"
    out = _smk(snakemake_cmd, repo, tmp_path, "-n", "--config", over, f"figures=[{FIG}]")
    assert f"data_{FIG}" in out.stdout
    spec = TABLE[FIG]
    assert spec.parameters(
        "quick", {"delta_p_min": "1e-4", "delta_p_max": "1E3", "n_delta_p": "3"}
    ) == {"p_values": [3, 4], "delta_p_min": 1e-4, "delta_p_max": 1e3, "n_delta_p": 3}


# -- 1, 9: profiles compose with --config; the SLURM placeholder account is refused ---------


@pytest.mark.parametrize("profile", ["paper", "slurm"])
def test_profile_scale_survives_command_line_config(snakemake_cmd, repo, tmp_path, profile):
    out = _smk(
        snakemake_cmd,
        repo,
        tmp_path,
        "-n",
        "--profile",
        str(repo / "workflow/profiles" / profile),
        "--config",
        "figures=[langevin_threshold]",
    )
    assert "figures/paper/langevin_threshold.csv" in out.stdout
    assert "figures/quick/" not in out.stdout


def test_slurm_profile_refuses_the_placeholder_account(snakemake_cmd, repo, tmp_path):
    out = _smk(
        snakemake_cmd,
        repo,
        tmp_path,
        "--profile",
        str(repo / "workflow/profiles/slurm"),
        "--config",
        f"figures=[{FIG}]",
        check=False,
    )
    assert out.returncode != 0
    text = out.stdout + out.stderr
    assert "slurm_account is still the placeholder 'your_account'" in text
    assert "workflow/profiles/slurm/config.yaml" in text
    assert not (tmp_path / "figures").exists()


# -- 1, 9: interruption mid-job, then a plain run resumes --------------------------------------


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL])
def test_interrupted_run_resumes_without_recomputing(snakemake_cmd, repo, tmp_path, sig):
    # two shards (p = 3 then p = 4, each a few seconds: 60 values of Δp) run one after the
    # other on one core: interrupt the second
    over = f"overrides={{{FIG}: {{n_delta_p: 60, p_values: [3, 4]}}}}"
    shards = tmp_path / "figures/quick/shards" / FIG
    proc = subprocess.Popen(
        _cmd(snakemake_cmd, repo, tmp_path, "--cores", "1", "--config", over, f"figures=[{FIG}]"),
        cwd=repo,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        # Snakemake may run the shards in either order: wait until one is finished and the
        # other one's job has started, then interrupt that one.
        deadline = time.time() + 300
        while True:
            assert proc.poll() is None, "the build ended before it could be interrupted"
            assert time.time() < deadline
            done = [k for k in (0, 1) if (shards / f"{k}.json").exists()]
            if (
                len(done) == 1
                and (tmp_path / "logs/quick" / f"{FIG}.shard{1 - done[0]}.data.log").exists()
            ):
                break
            time.sleep(0.05)
        first, second = done[0], 1 - done[0]
        time.sleep(0.5)  # the second shard is computing
        assert not (shards / f"{second}.csv").exists(), (
            "a shard finished too fast to be interrupted"
        )
        finished = (shards / f"{first}.csv").stat().st_mtime_ns
        os.killpg(proc.pid, sig)
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    time.sleep(1)  # let a killed job's process group go
    assert (
        not (shards / f"{second}.csv").exists() and not (tmp_path / CSV).exists()
    )  # no partial file
    # the documented commands (a plain run: --rerun-incomplete is the default profile's;
    # after SIGKILL Snakemake's lock is stale and `--unlock` releases it first) plan only the
    # unfinished work, and complete it
    if sig == signal.SIGKILL:
        _smk(snakemake_cmd, repo, tmp_path, "--unlock", "--config", over, f"figures=[{FIG}]")
    plan = _smk(snakemake_cmd, repo, tmp_path, "-n", "--config", over, f"figures=[{FIG}]")
    assert f"shard_{FIG}" in _planned(plan)
    assert f"{first}.csv" not in plan.stdout.split("shard_")[1].split("reason")[0]
    _smk(snakemake_cmd, repo, tmp_path, "--cores", "1", "-q", "--config", over, f"figures=[{FIG}]")
    assert (shards / f"{first}.csv").stat().st_mtime_ns == finished  # not recomputed
    assert set(pd.read_csv(tmp_path / CSV)["p"]) == {3, 4}


# -- 4: a diverging run writes nothing; values beyond a physical bound are refused ----------


def test_forced_divergence_writes_nothing(tmp_path, monkeypatch):
    import highdim_dynamics.gaussian_mixture.model as gm

    monkeypatch.setattr(gm, "max_stable_step", lambda *a, **k: np.inf)  # bypass the bound
    csv, meta = tmp_path / "gm.csv", tmp_path / "gm.json"
    csv.write_text("previous result\n")
    over = {
        "eta": 20.0,
        "loss": "square",
        "t_max": 200.0,
        "p": 200,
        "runs": 2,
        "n_paths": 200,
        "R_values": [0.01],
    }
    with pytest.raises(DivergenceError, match=r"diverged at t = [0-9.]+ .*lower eta"):
        run_data(TABLE["gd_two_clusters_init_variance"], "quick", csv, meta, seed=1, overrides=over)
    assert csv.read_text() == "previous result\n" and not meta.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["gm.csv"]  # no temporary file left


def test_values_beyond_a_physical_bound_are_refused():
    spec = dataclasses.replace(TABLE["phase_retrieval_dynamics"], columns=("overlap",))
    check_frame(spec, pd.DataFrame({"overlap": [0.5, -1.0, 1.0]}))
    with pytest.raises(DivergenceError, match=r"'overlap' = 1.5 .*outside its physical range"):
        check_frame(spec, pd.DataFrame({"overlap": [0.5, 1.5]}))


def test_diverged_step_is_refused_before_compute():
    from highdim_dynamics.gaussian_mixture.simulation import simulate_runs
    from highdim_dynamics.spiked.finite_n.langevin_simulation import simulate_langevin

    with pytest.raises(ParameterError, match="dt = 5.0 exceeds the stability bound 0.25"):
        simulate_langevin(3, 0.5, 1.0, n=50, dt=5)
    with pytest.raises(ParameterError, match="eta = 20.0 exceeds the stability bound"):
        simulate_runs(alpha=2.0, delta=0.5, loss="square", eta=20.0, p=50, runs=2)


# -- 5: public helpers check their arguments (the same constraint tables) --------------------


@pytest.mark.parametrize(
    "call, message",
    [
        (
            "from highdim_dynamics.spiked.theory.bayes_optimal import bayes_amp_fixed_point as f; f(3, -1, 1)",
            "delta2 must be > 0, got -1",
        ),
        (
            "from highdim_dynamics.gaussian_mixture.model import generalisation_error as f; f(float('nan'), 1, 0.5)",
            "m must be finite, got nan",
        ),
        (
            "from highdim_dynamics.core.seeding import spawn_generators as f; f(-1, 3)",
            "seed must be an integer >= 0, got -1",
        ),
        (
            "from highdim_dynamics.spiked.theory.bayes_optimal import bayes_optimal_thresholds as f; f(3.0, 1.0)",
            "p must be an integer, got 3.0",
        ),
    ],
)
def test_public_helpers_validate_their_arguments(call, message):
    with pytest.raises(ParameterError) as err:
        exec(call, {})
    assert message in str(err.value)


def test_library_gives_the_workflow_message():
    """A notebook call and the workflow's pre-run check read the same text."""
    from highdim_dynamics.figures.annealing_protocol.data import data as annealing_protocol

    params = {**TABLE["annealing_protocol"].scales["quick"], "p": 3.0}
    with pytest.raises(ParameterError) as lib:
        annealing_protocol(**params, seed=0)
    with pytest.raises(ParameterError) as table:
        TABLE["annealing_protocol"].parameters("quick", {"p": 3.0})
    assert str(lib.value) in str(table.value)


# -- 7: ordinary permissions ---------------------------------------------------------------


def test_outputs_follow_the_umask(tmp_path):
    old = os.umask(0o022)
    try:
        write_csv(pd.DataFrame({"a": [1]}), tmp_path / "a.csv")
    finally:
        os.umask(old)
    assert (tmp_path / "a.csv").stat().st_mode & 0o777 == 0o644


# -- 8: rule inputs are the modules the figure's own functions import ------------------------


@pytest.mark.parametrize("fig_id", sorted(TABLE))
def test_cli_and_gallery_are_not_rule_inputs(fig_id):
    from highdim_dynamics.core.figure_table import library_sources

    for which in ("data", "plot", "check"):
        names = {p.name for p in library_sources(TABLE[fig_id], which)}
        assert not names & {"cli.py", "gallery.py", "__main__.py"}, (fig_id, which)


def test_gallery_refresh_copies_a_build_and_nothing_else(tmp_path, repo):
    """`gallery --refresh BUILD_DIR` is the one way the committed gallery images change."""
    from highdim_dynamics.gallery import GALLERY_DIR, refresh_images

    build = tmp_path / "build" / "figures" / "quick"
    build.mkdir(parents=True)
    target = tmp_path / "checkout"
    with pytest.raises(FileNotFoundError, match="build them first"):
        refresh_images(tmp_path / "build", repo=target)
    assert not target.exists()  # nothing copied before everything is there
    for fig_id in TABLE:
        (build / f"{fig_id}.png").write_bytes(fig_id.encode())
    assert refresh_images(tmp_path / "build", repo=target) == sorted(TABLE)
    assert (target / GALLERY_DIR / f"{FIG}.png").read_bytes() == FIG.encode()
    readme = (repo / "README.md").read_text()
    assert all(f"({GALLERY_DIR.as_posix()}/{f}.png)" in readme for f in TABLE)
    assert (
        "figures/quick/"
        not in subprocess.run(
            ["git", "ls-files", "figures"], cwd=repo, capture_output=True, text=True
        ).stdout
    )
