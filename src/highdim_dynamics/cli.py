"""Command line: ``python -m highdim_dynamics {list,gallery,data,merge,plot,check} ...``.

The Snakemake rules call ``data`` and ``plot``; ``check`` compares a CSV with its
reference as the figure-data tests do.  Errors in the user's input (an unknown figure,
an invalid parameter) end with a one-line message and exit status 2.
"""

from __future__ import annotations

import argparse
import json
import sys

from highdim_dynamics.core.figure_table import SCALES, load_figure_table
from highdim_dynamics.core.seeding import DEFAULT_SEED
from highdim_dynamics.core.validation import DivergenceError, ParameterError

from . import __version__

DESCRIPTION = """\
Build and check the figures of the package, one at a time (the Snakemake workflow calls
these commands; see README.md).

  list                      the figure table: id, paper figure, paper
  data ID --csv F --meta J  compute a figure's CSV and its metadata JSON
  plot ID --csv F --png P --pdf D
                            draw a figure from its CSV alone
  check ID --csv F          compare a figure's CSV with its reference
  merge ID ...              concatenate a sharded figure's CSVs
  gallery [--refresh DIR]   rewrite the README gallery (and copy a build's quick PNGs
                            into docs/gallery/)

Seed and scale default to the workflow's configuration (seed %d, scale quick), so a
command-line run gives the same CSV as `snakemake`. An invalid input ends with a
one-line message naming the argument and value, and exit status 2.
""".replace("%d", str(DEFAULT_SEED))


def _spec(fig_id: str):
    table = load_figure_table()
    if fig_id not in table:
        raise ParameterError(f"unknown figure id {fig_id!r}; known ids: {', '.join(sorted(table))}")
    return table[fig_id]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="highdim_dynamics",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    sub.add_parser("list", help="list the figure table")
    gallery = sub.add_parser("gallery", help="rewrite the README gallery from the figure table")
    gallery.add_argument(
        "--refresh",
        metavar="BUILD_DIR",
        default=None,
        help="first copy BUILD_DIR/figures/quick/<id>.png into docs/gallery/",
    )

    data = sub.add_parser("data", help="compute a figure's CSV and metadata JSON")
    data.add_argument("figure")
    data.add_argument("--scale", choices=SCALES, default="quick")
    data.add_argument(
        "--seed",
        type=int,
        default=DEFAULT_SEED,
        help=f"global seed (default {DEFAULT_SEED}, the workflow's)",
    )
    data.add_argument("--threads", type=int, default=None)
    data.add_argument(
        "--overrides",
        type=json.loads,
        default=None,
        help="JSON mapping of parameters that replace the table's",
    )
    data.add_argument(
        "--shard",
        type=int,
        default=None,
        help="compute only this shard (figures with shard_by at this scale)",
    )
    data.add_argument("--csv", required=True)
    data.add_argument("--meta", required=True)

    merge = sub.add_parser("merge", help="concatenate a sharded figure's CSVs and metadata")
    merge.add_argument("figure")
    merge.add_argument("--scale", choices=SCALES, default="quick")
    merge.add_argument("--overrides", type=json.loads, default=None)
    merge.add_argument("--shard-csv", nargs="+", required=True)
    merge.add_argument("--shard-meta", nargs="+", required=True)
    merge.add_argument("--csv", required=True)
    merge.add_argument("--meta", required=True)

    plot = sub.add_parser("plot", help="draw a figure from its CSV")
    plot.add_argument("figure")
    plot.add_argument("--csv", required=True)
    plot.add_argument("--out", nargs="+", default=[], help="output files (.png, .pdf)")
    plot.add_argument("--png", default=None, help="PNG output file")
    plot.add_argument("--pdf", default=None, help="PDF output file")

    check = sub.add_parser("check", help="compare a figure's CSV with its reference")
    check.add_argument("figure")
    check.add_argument("--csv", required=True)
    check.add_argument("--scale", choices=SCALES, default="quick")
    check.add_argument("--overrides", type=json.loads, default=None)
    check.add_argument(
        "--out", default=None, help="write the comparison records as JSON here (also on failure)"
    )

    args = parser.parse_args(argv)
    from highdim_dynamics.core import runner

    try:
        if args.command == "list":
            for fig_id, spec in load_figure_table().items():
                print(f"{fig_id:36s} {spec.paper_figure:18s} {spec.paper}")
        elif args.command == "gallery":
            from .gallery import refresh_images, update_readme

            if args.refresh is not None:
                try:
                    copied = refresh_images(args.refresh)
                except FileNotFoundError as err:
                    raise ParameterError(str(err)) from None
                print(f"docs/gallery/: {len(copied)} images copied from {args.refresh}")
            print("README.md gallery " + ("updated" if update_readme() else "already up to date"))
        elif args.command == "data":
            runner.run_data(
                _spec(args.figure),
                args.scale,
                args.csv,
                args.meta,
                seed=args.seed,
                threads=args.threads,
                overrides=args.overrides,
                shard=args.shard,
            )
        elif args.command == "merge":
            runner.run_merge(
                _spec(args.figure),
                args.shard_csv,
                args.shard_meta,
                args.csv,
                args.meta,
                args.scale,
                args.overrides,
            )
        elif args.command == "plot":
            outputs = args.out + [f for f in (args.png, args.pdf) if f]
            if not outputs:
                raise ParameterError(
                    "plot needs an output: --png FILE, --pdf FILE or --out FILE..."
                )
            runner.run_plot(_spec(args.figure), args.csv, outputs)
        elif args.command == "check":
            try:
                info = runner.run_check(
                    _spec(args.figure), args.csv, args.scale, args.overrides, out=args.out
                )
            except AssertionError as err:
                print(f"{args.figure}: check FAILED: {err}", file=sys.stderr)
                return 1
            print(
                f"{args.figure}: data agree with the reference "
                f"({len(info['comparisons'])} comparisons passed)"
            )
    except ParameterError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except DivergenceError as err:
        print(f"error: {err} (nothing was written)", file=sys.stderr)
        return 3
    return 0


if __name__ == "__main__":
    sys.exit(main())
