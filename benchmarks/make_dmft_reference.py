"""Regenerate the converged DMFT reference values shipped with ``spiked.dmft_reference``.

Runs the reference solver (multi-resolution DMFT, :mod:`highdim_dynamics.spiked.dmft_reference`)
over a ladder of steps h and memory resolutions B for every case of
:data:`~highdim_dynamics.spiked.dmft_reference.cases.CASES`, appends each run's raw numbers
to ``runs.csv`` (resumable: runs already there are skipped) and combines them into
``reference_values.csv`` (:func:`~highdim_dynamics.spiked.dmft_reference.cases.combine`).

Usage::

    NUMBA_NUM_THREADS=1 nice -n 5 python benchmarks/make_dmft_reference.py [--only KIND]
        [--out DIR] [--combine-only]

Cost (one core): see docs/dmft_reference.md (about 40 CPU-minutes for the whole ladder).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("NUMBA_NUM_THREADS", "1")

from highdim_dynamics.spiked.dmft_reference import cases  # noqa: E402

DATA = Path(cases.__file__).with_name("data")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", choices=sorted(cases.KINDS), action="append",
                    help="run only these kinds of case (repeatable)")
    ap.add_argument("--out", type=Path, default=DATA, help="directory of runs.csv / reference_values.csv")
    ap.add_argument("--combine-only", action="store_true", help="do not run, only combine runs.csv")
    args = ap.parse_args(argv)
    runs_path = args.out / "runs.csv"
    args.out.mkdir(parents=True, exist_ok=True)
    if not args.combine_only:
        todo = [r for r in cases.ladder() if args.only is None or r["kind"] in args.only]
        done = cases.done_keys(runs_path)
        todo = [r for r in todo if cases.run_key(r) not in done]
        t0 = time.process_time()
        for n, spec in enumerate(todo, 1):
            row = cases.run(spec)
            cases.append_run(runs_path, row)
            cpu = time.process_time() - t0
            eta = cpu / n * (len(todo) - n)
            print(f"[{n}/{len(todo)}] {cases.run_key(spec)} cpu={row[0]['cpu_s']:.1f}s "
                  f"total={cpu:.0f}s eta={eta:.0f}s", flush=True)
    table = cases.combine(cases.read_runs(runs_path))
    table.to_csv(args.out / "reference_values.csv", index=False, float_format="%.10g")
    print(table.to_string(), file=sys.stderr)


if __name__ == "__main__":
    main()
