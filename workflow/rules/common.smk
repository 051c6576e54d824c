# Shared helpers of the workflow: the figure table, the validated selection of figures
# and their parameters, and the output paths. Everything here runs when the DAG is built,
# so a bad figure id or parameter stops the run before any job starts.
import json
import re
import shlex
import yaml
import sys
from pathlib import Path

WORKFLOW_DIR = Path(workflow.basedir) / "workflow"
try:  # the DAG needs only the figure table (PyYAML + jsonschema, both Snakemake's own deps)
    import highdim_dynamics.core.figure_table
except ImportError:  # a Snakemake from another environment: read the checkout's sources
    sys.path.insert(0, str(Path(workflow.basedir) / "src"))

from highdim_dynamics.core.errors import ParameterError
from highdim_dynamics.core.figure_table import (
    WORKFLOW_ENV,
    library_sources,
    load_figure_table,
    parse_numbers,
)

FIGURES = load_figure_table(WORKFLOW_DIR / "figures")
SCALE = config["scale"]


def _python():
    """Interpreter of the jobs: config `python`; `auto` = .venv beside the Snakefile, else ours."""
    if config["python"] != "auto":
        return config["python"]
    venv = Path(workflow.basedir) / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


PYTHON = _python()
# Every job calls the package through PYTHON, told which figure table to read.
PACKAGE = (
    f"{WORKFLOW_ENV}={shlex.quote(str(WORKFLOW_DIR))} {shlex.quote(PYTHON)} -m highdim_dynamics"
)


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
    return [figure_path(f, ext) for f in SELECTED for ext in ("csv", "png", "pdf", "check.json")]


# -- the report (`snakemake --report report.html`) ---------------------------------------


def _paper_titles():
    """arXiv id -> the paper title most of its figures carry (one report category per paper)."""
    titles = {}
    for spec in FIGURES.values():
        counts = titles.setdefault(spec.arxiv, {})
        counts[spec.paper] = counts.get(spec.paper, 0) + 1
    return {arxiv: max(counts, key=counts.get) for arxiv, counts in titles.items()}


PAPER_TITLES = _paper_titles()


def report_category(spec):
    return PAPER_TITLES[spec.arxiv]


def rst_escape(text):
    """Text inserted into a reStructuredText caption, shown literally (|m| is no substitution)."""
    return re.sub(r"([\\`*_|])", r"\\\1", " ".join(str(text).split()))


def _number(value):
    return "—" if value is None else f"{value:.3g}" if isinstance(value, float) else str(value)


def _short(text, limit=80):
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def check_labels(fig_id, result):
    """Report labels of a figure's entries: its check verdict and its worst comparison.

    Read from figures/<scale>/<id>.check.json when the report is made (not a job input);
    the worst comparison is a failed one, else the largest deviation relative to its tolerance.
    """
    labels = {"figure": fig_id, "result": result}
    path = Path(figure_path(fig_id, "check.json"))
    check = json.loads(path.read_text()) if path.exists() else None
    comparisons = check["comparisons"] if check else []

    def badness(c):
        dev, tol = c.get("max_deviation"), c.get("tolerance")
        return (
            not c.get("passed", True),
            dev / tol if isinstance(dev, (int, float)) and tol else 0.0,
        )

    worst = max(comparisons, key=badness, default=None)
    n = len(comparisons)
    verdict = "not run" if check is None else "passed" if check["passed"] else "FAILED"
    return {
        **labels,
        "check": verdict + (f" ({n} comparison{'s' if n != 1 else ''})" if check else ""),
        "largest deviation / tolerance": (
            "—"
            if worst is None
            else f"{_number(worst['max_deviation'])} / {_number(worst['tolerance'])}"
        ),
        "quantity": "—" if worst is None else _short(worst["quantity"]),
        "reference": "—" if worst is None else _short(worst["reference"]),
    }


def sources(fig_id, which):
    """Library files of the figure's `which` function (data, plot or check): editing one
    reruns that job (and what depends on it)."""
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
    for key, placeholder in (
        ("slurm_account", "your_account"),
        ("slurm_partition", "your_partition"),
    ):
        value = defaults.get(key) if defaults is not None else None
        if value is not None and getattr(value, "raw", value) == placeholder:
            raise WorkflowError(
                f"{key} is still the placeholder {placeholder!r}: set it under "
                "default-resources in workflow/profiles/slurm/config.yaml, or pass "
                f"--default-resources {key}=<yours> on the command line; nothing was submitted"
            )


def overrides_arg(fig_id):
    value = config["overrides"].get(fig_id)
    return f"--overrides {shlex.quote(json.dumps(value, sort_keys=True))}" if value else ""
