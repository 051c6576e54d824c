"""Regenerate the converged DMFT reference values shipped with ``spiked.dmft_reference``.

Runs the reference solver (multi-resolution DMFT, :mod:`highdim_dynamics.spiked.dmft_reference`)
over a ladder of steps h and memory resolutions B for every case of
:data:`~highdim_dynamics.spiked.dmft_reference.cases.CASES`, appends each run's raw numbers
to ``runs.csv`` (resumable: runs already there are skipped) and combines them into
``reference_values.csv`` (:func:`~highdim_dynamics.spiked.dmft_reference.cases.combine`).

Usage::

    NUMBA_NUM_THREADS=1 nice -n 5 python benchmarks/make_dmft_reference.py [--only KIND]
        [--out DIR] [--combine-only]

Cost (one core): see docs/dmft_reference.md (the shipped table took 17 CPU-minutes; the
whole ladder of ``cases.CASES``, with its ``late`` B = 64 / 128 rungs, about 30).
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
    ap.add_argument(
        "--only",
        choices=sorted(cases.KINDS),
        action="append",
        help="run only these kinds of case (repeatable)",
    )
    ap.add_argument("--temperature", type=float, default=None, help="run only cases at this T")
    ap.add_argument(
        "--delta2", type=float, action="append", help="run only cases at this Δ2 (repeatable)"
    )
    ap.add_argument(
        "--out", type=Path, default=DATA, help="directory of runs.csv / reference_values.csv"
    )
    ap.add_argument("--combine-only", action="store_true", help="do not run, only combine runs.csv")
    ap.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    args = ap.parse_args(argv)
    runs_path = args.out / "runs.csv"
    args.out.mkdir(parents=True, exist_ok=True)
    if not args.combine_only:
        todo = [
            r
            for r in cases.ladder()
            if (args.only is None or r["kind"] in args.only)
            and (args.temperature is None or r["temperature"] == args.temperature)
            and (args.delta2 is None or any(abs(r["delta2"] - d) < 1e-9 for d in args.delta2))
        ]
        done = cases.done_keys(runs_path)
        todo = [r for r in todo if cases.run_key(r) not in done]
        t0 = time.process_time()
        for n, spec in enumerate(todo, 1):
            row = cases.run(spec)
            cases.append_run(runs_path, row)
            cpu = time.process_time() - t0
            eta = cpu / n * (len(todo) - n)
            print(
                f"[{n}/{len(todo)}] {cases.run_key(spec)} cpu={row[0]['cpu_s']:.1f}s "
                f"total={cpu:.0f}s eta={eta:.0f}s",
                flush=True,
            )
    table = cases.combine(cases.read_runs(runs_path))
    table.to_csv(args.out / "reference_values.csv", index=False, float_format="%.10g")
    print(table.to_string(), file=sys.stderr)
    if args.markdown:
        print(markdown(table, cases.read_runs(runs_path)))


def markdown(table, runs) -> str:
    """The converged values and their ladders as a Markdown table (docs/dmft_reference.md)."""
    lines = [
        "| kind | T | Δ2 (1/Δ2) | quantity | value ± uncertainty | err h / B / sep | ladder (h, B: value) |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in table.to_dict("records"):
        raw = "; ".join(
            f"{k[4:].replace('_', ' ')}: {v:.6g}"
            for k, v in r.items()
            if k.startswith("raw_") and v == v
        )
        val = (
            f"**{r['value']:.6g} ± {r['uncertainty']:.2g}**"
            if r["value"] == r["value"] and r["uncertainty"] == r["uncertainty"]
            else "incomplete"
        )
        errs = " / ".join(
            f"{r.get(k, float('nan')):.2g}" for k in ("err_h", "err_B", "err_separability")
        )
        lines.append(
            f"| {r['kind']} | {r['temperature']:g} | {r['delta2']:.4g} ({r['inv_delta2']:.4g}) "
            f"| {r['quantity']} | {val} | {errs} | {raw} |"
        )
    cpu = runs.drop_duplicates(["kind", "temperature", "delta2", "h", "B", "t_max"])["cpu_s"].sum()
    lines.append(
        f"\nTotal CPU of the {len(runs.drop_duplicates(['kind', 'temperature', 'delta2', 'h', 'B', 't_max']))} "
        f"runs: {cpu / 60:.1f} min (one core each)."
    )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
