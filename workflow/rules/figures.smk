# One `data_<id>`, one `plot_<id>` and one `check_<id>` rule per entry of the figure table
# (plus one `shard_<id>` job per value of a list parameter for figures with `shard_by` at
# this scale). Each rule's library inputs are the module of its own function in
# highdim_dynamics/figures/<id>/ (data.py, plot.py, check.py) and what it imports, so an
# edit reruns only the jobs it can change. A target no rule makes (an unknown id, another
# scale's path, a shard that does not exist) is Snakemake's MissingRuleException.
# data: library function -> figures/<scale>/<id>.csv + <id>.json (seed, parameters, ...),
#       with numba on the rule's thread count and single-threaded BLAS
# plot: the CSV alone -> <id>.png + <id>.pdf (shown in `snakemake --report`)
# check: the CSV against the figure's reference -> <id>.check.json (verdict and measured
#        deviations; shown in the report beside the PNG, a failed check included)
# Every job calls the package as PACKAGE (common.smk): config `python`, this workflow's table.

for fig_id, spec in FIGURES.items():
    res = spec.resources_at(SCALE)

    shard_param, n_shards = spec.shards(SCALE, PARAMETERS[fig_id])
    data_params = dict(
        figure=fig_id,
        parameters=json.dumps(PARAMETERS[fig_id], sort_keys=True),
        seed=config["seed"],
        overrides=overrides_arg(fig_id),
    )
    data_shell = (
        # BLAS runs single-threaded; the job's threads go to numba. LAPACK results
        # (eigh, ...) change in the last digits with the BLAS thread count, and CSVs must be
        # byte-identical whatever the thread count; an oversubscribed OpenBLAS on 2 cores
        # is also ~100x slower on small matrices.
        "OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 "
        + PACKAGE
        + " data {params.figure} --scale "
        + SCALE
        + " "
        "--seed {params.seed} --threads {threads} {params.overrides} "
    )

    if shard_param is None:

        rule:
            name:
                f"data_{fig_id}"
            input:
                library=sources(fig_id, "data"),
            output:
                csv=figure_path(fig_id, "csv"),
                meta=figure_path(fig_id, "json"),
            log:
                f"logs/{SCALE}/{fig_id}.data.log",
            threads: res["threads"]
            resources:
                mem_mb=res["mem_mb"],
                runtime=res["runtime"],
            params:
                **data_params,
            shell:
                data_shell + "--csv {output.csv} --meta {output.meta} 2> {log}"

    else:
        # One job per value of the sharded list parameter (e.g. each p), then a merge.
        shard_dir = f"figures/{SCALE}/shards/{fig_id}"

        rule:
            name:
                f"shard_{fig_id}"
            input:
                library=sources(fig_id, "data"),
            output:
                csv=shard_dir + "/{shard}.csv",
                meta=shard_dir + "/{shard}.json",
            log:
                f"logs/{SCALE}/{fig_id}" + ".shard{shard}.data.log",
            wildcard_constraints:
                shard=shard_ids(fig_id),
            threads: res["threads"]
            resources:
                mem_mb=res["mem_mb"],
                runtime=res["runtime"],
            params:
                **data_params,
            shell:
                data_shell
                + "--shard {wildcards.shard} --csv {output.csv} --meta {output.meta} 2> {log}"

        rule:
            name:
                f"data_{fig_id}"
            input:
                csv=expand(shard_dir + "/{shard}.csv", shard=range(n_shards)),
                meta=expand(shard_dir + "/{shard}.json", shard=range(n_shards)),
            output:
                csv=figure_path(fig_id, "csv"),
                meta=figure_path(fig_id, "json"),
            log:
                f"logs/{SCALE}/{fig_id}.merge.log",
            threads: 1
            resources:
                mem_mb=1000,
                runtime=5,
            params:
                **data_params,
            shell:
                PACKAGE + " merge {params.figure} --scale " + SCALE + " "
                "{params.overrides} --shard-csv {input.csv} --shard-meta {input.meta} "
                "--csv {output.csv} --meta {output.meta} 2> {log}"

    rule:
        name:
            f"plot_{fig_id}"
        input:
            csv=figure_path(fig_id, "csv"),
            library=sources(fig_id, "plot"),
        output:
            png=report(
                figure_path(fig_id, "png"),
                caption="../report/figure.rst",
                category=report_category(spec),
                subcategory=spec.paper_figure,
                labels=lambda wildcards, fig=fig_id: check_labels(fig, "plot"),
            ),
            pdf=figure_path(fig_id, "pdf"),
        log:
            f"logs/{SCALE}/{fig_id}.plot.log",
        threads: 1
        resources:
            mem_mb=1000,
            runtime=5,
        params:
            figure=fig_id,
            paper=rst_escape(spec.paper),
            arxiv=spec.arxiv,
            paper_figure=rst_escape(spec.paper_figure),
            caption=rst_escape(spec.caption),
            reference=rst_escape(spec.check["reference"]),
        shell:
            PACKAGE
            + " plot {params.figure} --csv {input.csv} --out {output.png} {output.pdf} 2> {log}"

    rule:
        name:
            f"check_{fig_id}"
        input:
            csv=figure_path(fig_id, "csv"),
            library=sources(fig_id, "check"),
        output:
            check=report(
                figure_path(fig_id, "check.json"),
                caption="../report/check.rst",
                category=report_category(spec),
                subcategory=spec.paper_figure,
                labels=lambda wildcards, fig=fig_id: check_labels(fig, "reference check"),
            ),
        log:
            f"logs/{SCALE}/{fig_id}.check.log",
        threads: 1
        resources:
            mem_mb=1000,
            runtime=5,
        params:
            figure=fig_id,
            overrides=overrides_arg(fig_id),
            reference=rst_escape(spec.check["reference"]),
            justification=rst_escape(spec.check.get("justification", "")),
        shell:
            # a failed check still writes its JSON (the verdict the report shows); the job
            # fails only when no verdict could be written (e.g. an unreadable CSV)
            PACKAGE + " check {params.figure} --scale " + SCALE + " {params.overrides} "
            "--csv {input.csv} --out {output.check} 2> {log} || test -s {output.check}"
