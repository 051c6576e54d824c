"""A non-editable install (a wheel), and the workflow run by a Snakemake of another environment.

The wheel is built from a copy of the sources (a build writes ``build/`` and ``*.egg-info``)
and installed with ``--no-deps`` into a fresh venv that sees the locked environment's
packages through a ``.pth`` file, so nothing is downloaded.  A second venv plays the
Snakemake of another environment: it sees the same packages but not this package, which
the workflow then runs through the first venv's interpreter (config ``python``).
"""

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from highdim_dynamics.core.figure_table import load_figure_table

TABLE = load_figure_table()
FIG = "bayes_optimal_phase_diagram"  # sharded at the quick scale: data, merge, plot, check
OVERRIDES = f"overrides={{{FIG}: {{n_delta_p: 3}}}}"


def _venv(path: Path) -> Path:
    """A venv without pip that sees the locked environment's site-packages (not its .pth)."""
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(path)], check=True, timeout=120
    )
    python = path / "bin" / "python"
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    Path(site, "locked_environment.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return python


def _clean_env(**extra):
    env = {
        k: v for k, v in os.environ.items() if k not in ("HIGHDIM_DYNAMICS_WORKFLOW", "PYTHONPATH")
    }
    return {**env, **extra}


@pytest.fixture(scope="module")
def envs(repo, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("install")
    src = tmp / "source"
    src.mkdir()
    for name in ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md"):
        shutil.copy2(repo / name, src / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "*.nbi", "*.nbc")
    for name in ("src", "workflow"):
        shutil.copytree(repo / name, src / name, ignore=ignore)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-index",
            "--no-build-isolation",
            "--disable-pip-version-check",
            "-w",
            str(tmp / "dist"),
            str(src),
        ],
        check=True,
        timeout=300,
    )
    wheel = next((tmp / "dist").glob("highdim_dynamics-*.whl"))
    package_python = _venv(tmp / "package-env")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(package_python),
            "install",
            "--quiet",
            "--no-deps",
            "--no-index",
            "--disable-pip-version-check",
            str(wheel),
        ],
        check=True,
        timeout=300,
    )
    snakemake_python = _venv(tmp / "snakemake-env")
    return dict(tmp=tmp, package=package_python, snakemake=snakemake_python)


def test_wheel_finds_its_figure_table(envs):
    code = (
        "import json, highdim_dynamics.core.figure_table as ft; "
        "print(json.dumps([ft.__file__, str(ft.workflow_dir()), sorted(ft.load_figure_table())]))"
    )
    out = subprocess.run(
        [str(envs["package"]), "-c", code],
        cwd=envs["tmp"],
        env=_clean_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    module, workflow, ids = json.loads(out.stdout)
    assert Path(module).is_relative_to(envs["tmp"] / "package-env")  # the wheel, not src/
    assert workflow.endswith("highdim_dynamics/workflow_data")
    assert ids == sorted(TABLE)


def test_python_example_runs_from_the_wheel(envs):
    code = f"""
from highdim_dynamics.core.figure_table import load_figure_table
from highdim_dynamics.core.runner import compute_figure, run_check, run_plot, write_csv
spec = load_figure_table()["{FIG}"]
df, meta = compute_figure(spec, "quick", seed=1, overrides={{"n_delta_p": 3, "p_values": [3]}})
write_csv(df, "example.csv")
run_plot(spec, "example.csv", ["example.png"])
print(meta["git_commit"], len(df))
"""
    out = subprocess.run(
        [str(envs["package"]), "-c", code],
        cwd=envs["tmp"],
        env=_clean_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    commit, rows = out.stdout.split()
    assert commit == "unknown" and int(rows) > 0  # no checkout involved
    assert (envs["tmp"] / "example.png").stat().st_size > 1000


def test_snakemake_environment_needs_only_the_figure_table(envs, repo):
    """The DAG is built from the checkout's figure_table module, which does not need numpy."""
    code = (
        "import sys; sys.path.insert(0, 'src'); import highdim_dynamics.core.figure_table; "
        "print('numpy' in sys.modules)"
    )
    missing = subprocess.run(
        [str(envs["snakemake"]), "-c", "import highdim_dynamics"],
        cwd=envs["tmp"],
        env=_clean_env(),
        capture_output=True,
        text=True,
    )
    assert missing.returncode != 0, "the Snakemake venv must not see the package"
    out = subprocess.run(
        [str(envs["snakemake"]), "-c", code],
        cwd=repo,
        env=_clean_env(),
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "False"


def test_workflow_runs_from_another_snakemake_environment(envs, repo):
    work = envs["tmp"] / "work"
    out = subprocess.run(
        [
            str(envs["snakemake"]),
            "-m",
            "snakemake",
            "--snakefile",
            str(repo / "Snakefile"),
            "--directory",
            str(work),
            "--cores",
            "2",
            "-q",
            "--config",
            f"python={envs['package']}",
            f"figures=[{FIG}]",
            OVERRIDES,
        ],
        cwd=envs["tmp"],
        env=_clean_env(),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    figures = work / "figures" / "quick"
    for ext in ("csv", "png", "pdf", "json", "check.json"):
        assert (figures / f"{FIG}.{ext}").exists(), ext
    meta = json.loads((figures / f"{FIG}.json").read_text())
    assert meta["interpreter"] == str(envs["package"])  # jobs ran in the package's venv
    check = json.loads((figures / f"{FIG}.check.json").read_text())
    assert check["figure"] == FIG and check["passed"] is True
