"""Run one figure: compute its data, write the CSV and its metadata, plot, check.

This is what every Snakemake rule calls (through ``python -m highdim_dynamics``); it is
also the notebook entry point.  The CSV contract enforced here:

* every column the table lists in ``columns`` is present;
* no infinite value anywhere, no missing value outside ``optional_columns`` (a diverging
  computation must raise, not write NaN), and no value outside a column's physical range
  (``bounds`` in the table, e.g. |m| <= 1, C >= 0);
* floats written with 10 significant digits and rows in the order the data function
  returns them, so the same seed and parameters give a byte-identical file;
* files are written atomically (temporary file + rename): an interrupted run never
  leaves a truncated CSV that looks complete; they get the permissions of the user's umask.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from highdim_dynamics import __version__
from highdim_dynamics.core.figure_table import PACKAGED_WORKFLOW, FigureSpec
from highdim_dynamics.core.jit import set_threads
from highdim_dynamics.core.seeding import figure_seed
from highdim_dynamics.core.validation import DivergenceError, ParameterError

FLOAT_FORMAT = "%.10g"
#: Relative slack of a physical bound (an overlap computed as x·x*/N may exceed 1 by rounding).
BOUND_SLACK = 1e-9


class FigureDataError(RuntimeError):
    """The data function returned a frame that breaks the CSV contract."""


def _git_commit(table_dir: Path) -> str:
    """Commit of the checkout whose figure table is read ("unknown" for the packaged copy)."""
    if PACKAGED_WORKFLOW in table_dir.resolve().parents:
        return "unknown"  # an installed package (its site-packages may sit in any repo)
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=table_dir,
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=table_dir,
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout
        return out + ("-dirty" if dirty.strip() else "")
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def check_frame(spec: FigureSpec, df: pd.DataFrame) -> pd.DataFrame:
    """Enforce the CSV contract on the frame a data function returned."""
    if not isinstance(df, pd.DataFrame) or df.empty:
        raise FigureDataError(f"{spec.data} must return a non-empty pandas DataFrame")
    missing = [c for c in spec.columns if c not in df.columns]
    if missing:
        raise FigureDataError(
            f"figure {spec.id!r}: columns {missing} missing from {spec.data}'s "
            f"frame (has {list(df.columns)})"
        )
    numeric = df.select_dtypes(include=[np.number])
    if numeric.size and np.isinf(numeric.to_numpy(dtype=float)).any():
        bad = [c for c in numeric if np.isinf(numeric[c].to_numpy(dtype=float)).any()]
        raise DivergenceError(f"figure {spec.id!r}: infinite values in columns {bad}")
    strict = [c for c in df.columns if c not in spec.optional_columns]
    nan_cols = [c for c in strict if df[c].isna().any()]
    if nan_cols:
        raise DivergenceError(
            f"figure {spec.id!r}: missing/NaN values in columns {nan_cols}; "
            "a diverging computation must raise, not write NaN"
        )
    for column, (low, high) in spec.bounds.items():
        if column not in df.columns:
            continue
        values = pd.to_numeric(df[column], errors="coerce").to_numpy(dtype=float)
        for bound, sign in ((low, -1.0), (high, 1.0)):
            if bound is None:
                continue
            limit = bound + sign * BOUND_SLACK * max(1.0, abs(bound))
            if np.any(bad := (values < limit) if sign < 0 else (values > limit)):
                row = int(np.flatnonzero(bad)[0])
                raise DivergenceError(
                    f"figure {spec.id!r}: column {column!r} = {float(values[row])!r} (row {row}) "
                    f"is outside its physical range [{low}, {high}]; the computation diverged "
                    "or is wrong, so nothing is written"
                )
    return df.reset_index(drop=True)


def _atomic_write(path: Path, write) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    os.chmod(tmp, 0o666 & ~_umask())  # mkstemp creates 0600; outputs get ordinary permissions
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_csv(df: pd.DataFrame, path: Path | str) -> None:
    """Write a tidy frame with the package's float format, atomically."""
    _atomic_write(
        Path(path),
        lambda tmp: df.to_csv(tmp, index=False, float_format=FLOAT_FORMAT, lineterminator="\n"),
    )


def read_csv(path: Path | str) -> pd.DataFrame:
    """Read a figure CSV (the only input of plot and check functions)."""
    return pd.read_csv(path)


def compute_figure(
    spec: FigureSpec,
    scale: str = "quick",
    *,
    seed: int = 0,
    threads: int | None = None,
    overrides: dict | None = None,
    shard: int | None = None,
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Validate parameters, run the data function, enforce the CSV contract.

    With ``shard = i`` (figures with ``shard_by`` at this scale), only the i-th value of
    the sharded list parameter is computed, with a seed of its own.

    Returns the frame and the metadata recorded beside the CSV (scale, seeds, parameters,
    package version, git commit, wall time, thread count, library versions).
    """
    params = spec.parameters(scale, overrides)
    seed_key = spec.id
    if shard is not None:
        name, count = spec.shards(scale, params)
        if name is None or not 0 <= shard < count:
            raise ParameterError(f"figure {spec.id!r} has no shard {shard} at scale {scale!r}")
        params = {**params, name: [params[name][shard]]}
        seed_key = f"{spec.id}#{name}={params[name][0]}"
    fig_seed = figure_seed(seed, seed_key)
    n_threads = set_threads(threads)
    print(
        f"[{spec.id}] scale={scale} seed={seed} (figure seed {fig_seed}) threads={n_threads} "
        f"params={json.dumps(params)}",
        file=sys.stderr,
        flush=True,
    )
    start = time.perf_counter()
    df = check_frame(spec, spec.data_function(**params, seed=fig_seed))
    wall = time.perf_counter() - start
    import numba
    import scipy

    meta = dict(
        figure=spec.id,
        paper=spec.paper,
        arxiv=spec.arxiv,
        paper_figure=spec.paper_figure,
        scale=scale,
        seed=seed,
        figure_seed=fig_seed,
        shard=shard,
        parameters=params,
        overrides=overrides or {},
        package_version=__version__,
        git_commit=_git_commit(spec.source.parent),
        wall_time_s=round(wall, 3),
        threads=n_threads,
        rows=len(df),
        python=platform.python_version(),
        interpreter=sys.executable,
        numpy=np.__version__,
        scipy=scipy.__version__,
        numba=numba.__version__,
        pandas=pd.__version__,
    )
    print(f"[{spec.id}] {len(df)} rows in {wall:.1f} s", file=sys.stderr, flush=True)
    return df, meta


def run_data(spec: FigureSpec, scale: str, csv: Path | str, meta: Path | str, **kwargs) -> None:
    """Compute a figure's data and write ``csv`` and its ``meta`` JSON."""
    df, info = compute_figure(spec, scale, **kwargs)
    write_csv(df, csv)
    _atomic_write(Path(meta), lambda tmp: Path(tmp).write_text(json.dumps(info, indent=2) + "\n"))


def run_merge(
    spec: FigureSpec,
    shard_csvs: list,
    shard_metas: list,
    csv: Path | str,
    meta: Path | str,
    scale: str,
    overrides: dict | None = None,
) -> None:
    """Concatenate the shards of a figure (in shard order) into its CSV and metadata."""
    df = check_frame(spec, pd.concat([read_csv(p) for p in shard_csvs], ignore_index=True))
    shards = [json.loads(Path(p).read_text()) for p in shard_metas]
    info = {
        k: v
        for k, v in shards[0].items()
        if k not in ("shard", "figure_seed", "parameters", "wall_time_s", "rows")
    }
    info.update(
        parameters=spec.parameters(scale, overrides),
        rows=len(df),
        wall_time_s=round(sum(m["wall_time_s"] for m in shards), 3),
        shards=[
            {k: m[k] for k in ("shard", "figure_seed", "parameters", "wall_time_s")} for m in shards
        ],
    )
    write_csv(df, csv)
    _atomic_write(Path(meta), lambda tmp: Path(tmp).write_text(json.dumps(info, indent=2) + "\n"))


def run_plot(spec: FigureSpec, csv: Path | str, outputs: list[Path | str]) -> None:
    """Draw the figure from its CSV alone, with the package style, into each output file."""
    import matplotlib.pyplot as plt

    from highdim_dynamics.core.plotting import package_style

    df = read_csv(csv)
    with package_style():
        fig = spec.plot_function(df)  # no watermark: the id is the file name and the report's
        for out in outputs:
            out = Path(out)
            # PDFs carry a creation date by default; drop it so outputs are reproducible.
            metadata = {"CreationDate": None} if out.suffix == ".pdf" else {"Software": None}
            _atomic_write(
                out,
                lambda tmp, o=out, m=metadata: fig.savefig(tmp, format=o.suffix[1:], metadata=m),
            )
        plt.close(fig)


def run_check(
    spec: FigureSpec,
    csv: Path | str,
    scale: str = "quick",
    overrides: dict | None = None,
    out: Path | str | None = None,
) -> dict[str, Any]:
    """Compare the figure's CSV with its reference (:mod:`highdim_dynamics.core.checking` protocol).

    Returns ``{"figure", "passed", "reference", "comparisons"}``, also written to ``out``
    (JSON) when given -- on failure too, with the failing comparison last -- and raises
    ``AssertionError`` when a comparison fails.
    """
    from highdim_dynamics.core.checking import summary

    df = read_csv(csv)
    records: list[dict[str, Any]] = []
    failure = None
    try:
        result = spec.check_function(
            df, spec.parameters(scale, overrides), dict(spec.check["tolerance"])
        )
        if result is None:  # a check not yet returning its comparison records
            result = [
                {
                    "quantity": f"every assertion of {spec.functions['check']}",
                    "reference": spec.check["reference"],
                    "max_deviation": 0.0,
                    "tolerance": 0.0,
                    "passed": True,
                }
            ]
        records = list(result)
    except AssertionError as err:
        failure = err
        records = list(getattr(err, "records", []))
        if not records or records[-1]["passed"]:
            records.append(
                {
                    "quantity": str(err).splitlines()[0] if str(err) else "assertion",
                    "reference": spec.check["reference"],
                    "max_deviation": None,
                    "tolerance": None,
                    "passed": False,
                }
            )
    info = summary(spec.id, spec.check["reference"], records)
    if failure is not None:
        info["passed"] = False
    if out is not None:
        clean = {
            **info,
            "comparisons": [
                {
                    k: (None if isinstance(v, float) and not np.isfinite(v) else v)
                    for k, v in r.items()
                }
                for r in info["comparisons"]
            ],
        }
        _atomic_write(
            Path(out),
            lambda tmp: Path(tmp).write_text(
                json.dumps(clean, indent=2, ensure_ascii=False) + "\n"
            ),
        )
    if failure is not None:
        raise failure
    return info
