# Rebuild every figure of the six papers: `snakemake --cores 2` (quick scale, the default).
# The rules are generated from the figure table (workflow/figures/*.yaml); see README.md.
import os

from snakemake.utils import min_version, validate

min_version("9.0")


configfile: os.path.join(workflow.basedir, "workflow", "config", "config.yaml")


validate(config, "workflow/schemas/config.schema.yaml")


report: "workflow/report/workflow.rst"


include: "workflow/rules/common.smk"
include: "workflow/rules/figures.smk"


rule all:
    default_target: True
    input:
        all_figure_outputs(),


onstart:
    check_slurm_account()
