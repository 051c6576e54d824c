"""The SLURM profile on a real single-node cluster (``workflow/slurm/local_cluster.sh``).

The cluster (munged, MariaDB, slurmdbd, slurmctld, slurmd) is started by the repository's
script, installing Debian's packages first where they are missing (CI runs as root on a
fresh machine).  A cheap figure and the shards of a sharded one are submitted through
``--profile workflow/profiles/slurm``; the test reads back from SLURM's accounting (sacct)
that every job ran there with the figure table's resources, and compares the CSVs with a
local run byte for byte.
"""

import os
import re
import subprocess

import pytest

from highdim_dynamics.core.figure_table import load_figure_table

TABLE = load_figure_table()
SHARDED = "bayes_optimal_phase_diagram"  # shard_by p_values at the quick scale: 2 jobs
CHEAP = "gradient_flow_phase_diagram"
FIGURES = [SHARDED, CHEAP]
CONFIG = [
    "scale=quick",
    f"figures=[{', '.join(FIGURES)}]",
    f"overrides={{{SHARDED}: {{n_delta_p: 3}}, {CHEAP}: {{n_delta_p: 4}}}}",
]
TARGETS = [f"figures/quick/{f}.csv" for f in FIGURES]
ACCOUNT, PARTITION = "highdim", "debug"  # what local_cluster.sh registers


def _script(repo, *args, check=False):
    return subprocess.run(
        ["bash", str(repo / "workflow/slurm/local_cluster.sh"), *args],
        capture_output=True,
        text=True,
        timeout=600,
        check=check,
    )


@pytest.fixture(scope="module")
def cluster(repo):
    if os.geteuid() != 0:
        pytest.skip("a local SLURM cluster needs root (daemons, /etc/slurm)")
    installed = _script(repo, "install")
    if installed.returncode != 0:
        pytest.skip(
            "SLURM packages (slurm-wlm, slurmdbd, munge, mariadb-server) cannot be "
            f"installed here: {installed.stderr.strip()}"
        )
    was_running = _script(repo, "status").returncode == 0
    started = _script(repo, "start")
    assert started.returncode == 0, f"local_cluster.sh start failed:\n{started.stderr}"
    yield
    if not was_running:
        _script(repo, "stop")


def _snakemake(snakemake_cmd, repo, workdir, *args):
    return [
        *snakemake_cmd,
        "--snakefile",
        str(repo / "Snakefile"),
        "--directory",
        str(workdir),
        *args,
    ]


def test_profile_runs_on_a_real_cluster(cluster, snakemake_cmd, repo, tmp_path):
    local = subprocess.Popen(
        _snakemake(
            snakemake_cmd,
            repo,
            tmp_path / "local",
            "--cores",
            "1",
            "-q",
            "--config",
            *CONFIG,
            "--",
            *TARGETS,
        ),
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    out = subprocess.run(
        _snakemake(
            snakemake_cmd,
            repo,
            tmp_path / "slurm",
            "--profile",
            str(repo / "workflow/profiles/slurm"),
            "--config",
            *CONFIG,
            # the account of the local cluster, given on the command line (the
            # tracked profile keeps its placeholder)
            "--default-resources",
            f"slurm_account={ACCOUNT}",
            f"slurm_partition={PARTITION}",
            "--slurm-init-seconds-before-status-checks",
            "2",
            "--retries",
            "0",
            "--",
            *TARGETS,
        ),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )
    local_log = local.communicate(timeout=600)[0]
    assert out.returncode == 0, f"SLURM run failed:\n{out.stdout[-4000:]}\n{out.stderr[-4000:]}"
    assert local.returncode == 0, f"local run failed:\n{local_log[-4000:]}"

    # every job was submitted to SLURM: "Job 3 has been submitted with SLURM jobid 7 (log:
    # .../slurm_logs/rule_<rule>/...)"
    submitted = re.findall(
        r"submitted with SLURM jobid (\d+) \(log: \S*/slurm_logs/rule_(\w+)/",
        out.stdout + out.stderr,
    )
    rules = sorted(rule for _, rule in submitted)
    assert rules == sorted([f"shard_{SHARDED}"] * 2 + [f"data_{SHARDED}", f"data_{CHEAP}"]), rules

    sacct = subprocess.run(
        [
            "sacct",
            "-X",
            "-n",
            "-P",
            "-j",
            ",".join(job for job, _ in submitted),
            "-o",
            "JobID,State,Account,Partition,ReqCPUS,ReqMem,Timelimit",
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    accounting = {line.split("|")[0]: line.split("|")[1:] for line in sacct.splitlines()}
    for job, rule in submitted:
        state, account, partition, cpus, mem, limit = accounting[job]
        assert (state, account, partition) == ("COMPLETED", ACCOUNT, PARTITION), (
            rule,
            accounting[job],
        )
        fig = rule.split("_", 1)[1]
        if (
            rule.startswith("shard_")
            or TABLE[fig].shards("quick", TABLE[fig].scales["quick"])[0] is None
        ):
            res = TABLE[fig].resources_at("quick")  # a data job: the table's resources
        else:
            res = {"threads": 1, "mem_mb": 1000, "runtime": 5}  # the merge of the shards
        assert (int(cpus), mem, limit) == (
            res["threads"],
            f"{res['mem_mb']}M",
            f"00:{res['runtime']:02d}:00",
        ), (rule, accounting[job])

    for target in TARGETS + [f"figures/quick/shards/{SHARDED}/{i}.csv" for i in (0, 1)]:
        assert (tmp_path / "slurm" / target).read_bytes() == (
            tmp_path / "local" / target
        ).read_bytes(), target
