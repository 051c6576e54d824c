"""Benchmark: build every quick-scale figure from scratch and report the time per figure.

    python benchmarks/bench_quick_scale.py [--cores 2] [--workdir DIR]

Runs Snakemake in a fresh working directory (so nothing is reused; the numba cache is
whatever NUMBA_CACHE_DIR points to), then reads each figure's JSON record. Prints the wall
time of the whole build, of each figure's data function, and the target (whole quick set
<= 12 minutes on 2 cores).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cores", default="2")
    parser.add_argument("--workdir", default=None)
    args = parser.parse_args()
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="highdim-bench-"))
    start = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "snakemake",
            "--snakefile",
            str(REPO / "Snakefile"),
            "--directory",
            str(workdir),
            "--cores",
            args.cores,
            "--keep-going",
            "-q",
        ],
        check=False,
    )
    total = time.perf_counter() - start
    print(f"\n{'figure':40s} {'data wall time (s)':>20s} {'threads':>8s}")
    for meta_file in sorted((workdir / "figures" / "quick").glob("*.json")):
        meta = json.loads(meta_file.read_text())
        print(f"{meta['figure']:40s} {meta['wall_time_s']:20.1f} {meta['threads']:8d}")
    print(
        f"\nwhole quick-scale build on {args.cores} cores: {total:.0f} s "
        f"(target: <= 720 s); outputs in {workdir}"
    )


if __name__ == "__main__":
    main()
