# Shared helpers of the workflow: the figure table, the validated selection of figures
# and their parameters, and the output paths. Everything here runs when the DAG is built,
# so a bad figure id or parameter stops the run before any job starts.
import json
import re
import shlex
import yaml
import sys
from pathlib import Path

from highdim_dynamics.figure_table import library_sources, load_figure_table, parse_numbers
from highdim_dynamics.validation import ParameterError

FIGURES = load_figure_table(Path(workflow.basedir) / "workflow" / "figures")
SCALE = config["scale"]
PYTHON = sys.executable


def _selected_figures():
    wanted = list(FIGURES) if config["figures"] == "all" else config["figures"]
    unknown = [f for f in wanted if f not in FIGURES]
    unknown += [f for f in config["overrides"] if f not in FIGURES]
    if unknown:
        raise WorkflowError(
            f"config: unknown figure id(s) {unknown}; known ids: {', '.join(sorted(FIGURES))}"
        )
    return wanted


SELECTED = _selected_figures()


def _typed(value):
    """--config leaves nested values as strings ('0.5', '[3, 4]'): read them as YAML, and
    numbers as a user types them (YAML 1.1 reads 1e-4 as a string)."""
    if isinstance(value, str):
        return parse_numbers(yaml.safe_load(value))
    if isinstance(value, list):
        return [_typed(v) for v in value]
    return parse_numbers(value)


config["overrides"] = {
    fig: {name: _typed(v) for name, v in (params or {}).items()}
    for fig, params in config["overrides"].items()
}

# Validate every figure's parameters (table + overrides) now, before any job runs and
# before Snakemake deletes any output: the family vocabulary for all figures, and for a
# figure with overrides also its data function's signature and constraint table (types,
# integers given as floats, non-finite values, relations such as delta_p_min < delta_p_max).
PARAMETERS = {}
for _fig in FIGURES:
    _over = config["overrides"].get(_fig)
    try:
        PARAMETERS[_fig] = FIGURES[_fig].parameters(SCALE, _over, bind=bool(_over))
    except ParameterError as err:
        raise WorkflowError(f"config: {err}")


def figure_path(fig_id, ext):
    return f"figures/{SCALE}/{fig_id}.{ext}"


def all_figure_outputs():
    return [figure_path(f, ext) for f in SELECTED for ext in ("csv", "png", "pdf")]


def sources(fig_id, which):
    """Library files the figure depends on: editing one reruns the figure."""
    return [str(p) for p in library_sources(FIGURES[fig_id], which)]


def shard_ids(fig_id):
    """Regex of the shard ids that exist for a figure at this scale (0 … n−1)."""
    _, count = FIGURES[fig_id].shards(SCALE, PARAMETERS[fig_id])
    return "|".join(str(i) for i in range(count))


def check_slurm_account():
    """Refuse to submit with the SLURM profile's placeholder account or partition."""
    plugin = workflow.executor_plugin
    if plugin is None or plugin.name != "slurm" or workflow.dryrun:
        return
    defaults = workflow.resource_settings.default_resources
    for key, placeholder in (("slurm_account", "your_account"),
                             ("slurm_partition", "your_partition")):
        value = defaults.get(key) if defaults is not None else None
        if value is not None and getattr(value, "raw", value) == placeholder:
            raise WorkflowError(
                f"{key} is still the placeholder {placeholder!r}: set it under "
                "default-resources in workflow/profiles/slurm/config.yaml, or pass "
                f"--default-resources {key}=<yours> on the command line; nothing was submitted")


def overrides_arg(fig_id):
    value = config["overrides"].get(fig_id)
    return f"--overrides {shlex.quote(json.dumps(value, sort_keys=True))}" if value else ""
