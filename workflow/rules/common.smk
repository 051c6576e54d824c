# Shared helpers of the workflow: the figure table, the validated selection of figures
# and their parameters, and the output paths. Everything here runs when the DAG is built,
# so a bad figure id or parameter stops the run before any job starts.
import json
import re
import shlex
import yaml
import sys
from pathlib import Path

from highdim_dynamics.figure_table import library_sources, load_figure_table
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
    """--config leaves nested values as strings ('0.5', '[3, 4]'): read them as YAML."""
    if isinstance(value, str):
        return yaml.safe_load(value)
    if isinstance(value, list):
        return [_typed(v) for v in value]
    return value


config["overrides"] = {
    fig: {name: _typed(v) for name, v in (params or {}).items()}
    for fig, params in config["overrides"].items()
}

# Validate every figure's parameters (table + overrides) now, before any job runs.
PARAMETERS = {}
for _fig in FIGURES:
    try:
        PARAMETERS[_fig] = FIGURES[_fig].parameters(SCALE, config["overrides"].get(_fig), bind=False)
    except ParameterError as err:
        raise WorkflowError(f"config: {err}")


def figure_path(fig_id, ext):
    return f"figures/{SCALE}/{fig_id}.{ext}"


def all_figure_outputs():
    return [figure_path(f, ext) for f in SELECTED for ext in ("csv", "png", "pdf")]


def sources(fig_id, which):
    """Library files the figure depends on: editing one reruns the figure."""
    return [str(p) for p in library_sources(FIGURES[fig_id], which)]


def overrides_arg(fig_id):
    value = config["overrides"].get(fig_id)
    return f"--overrides {shlex.quote(json.dumps(value, sort_keys=True))}" if value else ""
