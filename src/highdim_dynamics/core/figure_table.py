"""The figure table: every figure of the package, its functions, parameters and check.

The table is kept as one YAML file per model family under ``workflow/figures/`` (format in
``docs/adding_a_figure.md``) and merged here into one mapping ``figure id → FigureSpec``.
An installed wheel carries a copy of the table (:func:`workflow_dir` says which is read).
The Snakemake rules, the report captions, the README gallery and the figure-data tests
are all generated from it, so a figure is listed exactly once.

A figure's code is found from its id (:func:`figure_function`): the functions
``data``, ``plot`` and ``check`` of the modules ``highdim_dynamics.figures.<id>.data``,
``.plot`` and ``.check``.
"""

from __future__ import annotations

import ast
import importlib
import math
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from highdim_dynamics.core.errors import ParameterError

PACKAGE_DIR = Path(__file__).resolve().parents[1]  # src/highdim_dynamics
REPO_DIR = PACKAGE_DIR.parents[1]
#: Environment variable naming the workflow directory (the one holding ``figures/``,
#: ``schemas/`` and ``config/``); the Snakemake rules set it for every job.
WORKFLOW_ENV = "HIGHDIM_DYNAMICS_WORKFLOW"
#: Copy of the workflow's table, schemas and config shipped inside the wheel (setup.py).
PACKAGED_WORKFLOW = PACKAGE_DIR / "workflow_data"
SCALES = ("quick", "paper")
#: Package holding one subpackage per figure id, with modules ``data``, ``plot``, ``check``.
FIGURES_PACKAGE = f"{PACKAGE_DIR.name}.figures"
#: The three functions of a figure; each is the function of that name in the module of
#: that name (``highdim_dynamics.figures.<id>.check:check``).
ROLES = ("data", "plot", "check")


class FigureTableError(ValueError):
    """The figure table itself is malformed (a developer error, reported with the file)."""


@dataclass(frozen=True)
class FigureSpec:
    """One row of the figure table (see ``docs/adding_a_figure.md`` for the fields)."""

    id: str
    family: str
    source: Path
    paper: str
    arxiv: str
    paper_figure: str
    caption: str
    #: ``role → "module:function"`` for the roles of :data:`ROLES` (see :func:`figure_function`).
    functions: dict[str, str]
    columns: tuple[str, ...]
    optional_columns: tuple[str, ...]
    resources: dict[str, dict[str, Any]]
    scales: dict[str, dict[str, Any]]
    check: dict[str, Any]
    parameter_schema: dict[str, Any] = field(repr=False)
    shard_by: dict[str, str] = field(default_factory=dict)
    bounds: dict[str, tuple] = field(default_factory=dict)
    #: ``recompute``: the reproducibility test recomputes the quick CSV; ``seeding``: too
    #: slow for the test suite, covered by the seeding design.
    reproducibility: str = "recompute"

    @property
    def mutations(self) -> list[dict[str, Any]]:
        """Corruptions of the CSV the check must catch (:mod:`highdim_dynamics.core.mutations`)."""
        return list(self.check.get("mutations", []))

    # -- functions -------------------------------------------------------------------
    @property
    def data(self) -> str:
        """``module:function`` of the data function."""
        return self.functions["data"]

    @property
    def plot(self) -> str:
        return self.functions["plot"]

    @property
    def data_function(self) -> Callable:
        return self._function("data")

    @property
    def plot_function(self) -> Callable:
        return self._function("plot")

    @property
    def check_function(self) -> Callable:
        return self._function("check")

    def _function(self, role: str) -> Callable:
        module, _, name = self.functions[role].partition(":")
        function = getattr(importlib.import_module(module), name, None)
        if not callable(function):
            raise FigureTableError(
                f"figure {self.id!r}: module {module} defines no function "
                f"{name!r} (the figure's {role} function)"
            )
        return function

    # -- parameters ------------------------------------------------------------------
    def parameters(
        self, scale: str, overrides: dict | None = None, *, bind: bool = True
    ) -> dict[str, Any]:
        """Keyword arguments of the data function at ``scale``, with ``overrides`` applied.

        Raises :class:`ParameterError` naming the figure, the parameter and the value when a
        parameter is unknown to the family's vocabulary, not an argument of the data
        function, or violates its schema (e.g. a negative noise variance, a non-integer p).
        With ``bind=True`` the parameters are also checked by the data function's own
        constraint table (``highdim_dynamics.core.validation.constrained``: types, integers given
        as floats, non-finite values, cross-field relations such as
        ``delta_p_min < delta_p_max``), with the message the function itself gives. With
        ``bind=False`` the data function is not imported (the workflow does this for
        figures without overrides, whose table values the tests check).
        """
        if scale not in self.scales:
            raise ParameterError(
                f"unknown scale {scale!r} for figure {self.id!r}; "
                f"known scales: {sorted(self.scales)}"
            )
        params = {**self.scales[scale], **parse_numbers(overrides or {})}
        validate_parameters(self, params, bind=bind)
        return params

    def resources_at(self, scale: str) -> dict[str, Any]:
        return dict(self.resources[scale])

    def shards(self, scale: str, params: dict[str, Any]) -> tuple[str | None, int]:
        """The list parameter split into separate jobs at ``scale``, and the number of jobs."""
        name = self.shard_by.get(scale)
        if name is None:
            return None, 1
        if name not in params:
            raise FigureTableError(
                f"{self.source}: figure {self.id!r} shards by {name!r}, "
                "which is not one of its parameters"
            )
        return name, len(params[name])


def figure_function(fig_id: str, role: str) -> str:
    """``module:function`` of a figure's ``role`` (one of :data:`ROLES`), found from its id.

    >>> figure_function("langevin_threshold", "check")
    'highdim_dynamics.figures.langevin_threshold.check:check'
    """
    if role not in ROLES:
        raise ValueError(f"role must be one of {ROLES}, got {role!r}")
    return f"{FIGURES_PACKAGE}.{fig_id}.{role}:{role}"


def _functions_of(path: Path, fig_id: str) -> dict[str, str]:
    """The figure's functions by convention, each module checked to exist on disk (nothing
    is imported)."""
    functions = {}
    for role in ROLES:
        dotted = figure_function(fig_id, role)
        module = dotted.partition(":")[0]
        if _module_file(module) is None:
            expected = PACKAGE_DIR.joinpath(*module.split(".")[1:]).with_suffix(".py")
            raise FigureTableError(
                f"{path}: figure {fig_id!r}: no module {module} for its {role} function "
                f"(expected {expected}, defining {role}())"
            )
        functions[role] = dotted
    return functions


def _parameter_validator(vocabulary: dict, name: str) -> dict | None:
    if name in vocabulary:
        return vocabulary[name]
    if name.endswith("_values") and name[: -len("_values")] in vocabulary:
        return {"type": "array", "minItems": 1, "items": vocabulary[name[: -len("_values")]]}
    return None


def _strict_types():
    """JSON-schema types as a user means them: an integer is not 3.0, a number is finite."""
    base = jsonschema.Draft202012Validator.TYPE_CHECKER

    def is_integer(checker, value):
        return isinstance(value, int) and not isinstance(value, bool)

    def is_number(checker, value):
        return (
            isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
        )

    return jsonschema.validators.extend(
        jsonschema.Draft202012Validator,
        type_checker=base.redefine_many({"integer": is_integer, "number": is_number}),
    )


StrictValidator = _strict_types()

#: Numbers as a user types them: 1e-4, 1E3, .5, -2.5e+3 (YAML 1.1 reads 1e-4 as a string).
_NUMBER = re.compile(r"^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$")


def parse_numbers(value):
    """Read strings that spell a number (``"1e-4"``, ``"1E3"``, ``".5"``) as numbers, recursively.

    Integers stay integers (``"3"`` → 3), anything with a point or an exponent is a float.
    """
    if isinstance(value, str) and _NUMBER.match(value.strip()):
        text = value.strip()
        return int(text) if re.fullmatch(r"[-+]?\d+", text) else float(text)
    if isinstance(value, dict):
        return {k: parse_numbers(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [parse_numbers(v) for v in value]
    return value


def validate_parameters(spec: FigureSpec, params: dict[str, Any], *, bind: bool = True) -> None:
    """Check ``params`` against the family vocabulary and the data function's constraints.

    Every error names the figure, the parameter and its value.
    """
    for name in params:
        if _parameter_validator(spec.parameter_schema, name) is None:
            raise ParameterError(
                f"figure {spec.id!r}: unknown parameter {name!r} (not declared in the "
                f"'parameters' vocabulary of {spec.source.name})"
            )
    if bind:
        from .validation import check_call  # numpy: only for overridden figures

        try:
            check_call(spec.data_function, **params, seed=0)
        except ParameterError as err:
            if err.argument is None:
                raise ParameterError(f"figure {spec.id!r}: {err}") from None
            raise ParameterError(
                f"figure {spec.id!r}: parameter {err.argument!r} = {err.value!r} is invalid: {err}"
            ) from None
    for name, value in params.items():
        error = jsonschema.exceptions.best_match(
            StrictValidator(_parameter_validator(spec.parameter_schema, name)).iter_errors(value)
        )
        if error is not None:
            raise ParameterError(
                f"figure {spec.id!r}: parameter {name!r} = {value!r} is invalid: {error.message}"
            )


@lru_cache(maxsize=4)
def _schema(path: Path) -> dict:
    return yaml.safe_load(path.read_text())


def workflow_dir() -> Path:
    """Directory holding the figure table (``figures/``), ``schemas/`` and ``config/``.

    In order: the directory named by ``$HIGHDIM_DYNAMICS_WORKFLOW`` (set by the Snakemake
    rules to the workflow they run), the ``workflow/`` directory of a source checkout (an
    editable install), the copy shipped in the installed package (``pip install .``).
    """
    named = os.environ.get(WORKFLOW_ENV)
    if named:
        path = Path(named)
        if not (path / "figures").is_dir():
            raise FigureTableError(
                f"${WORKFLOW_ENV} = {named!r} is not a workflow directory "
                "(it has no figures/ subdirectory)"
            )
        return path
    for path in (REPO_DIR / "workflow", PACKAGED_WORKFLOW):
        if (path / "figures").is_dir():
            return path
    raise FigureTableError(
        f"no figure table found: neither {REPO_DIR / 'workflow'} nor the "
        f"packaged copy {PACKAGED_WORKFLOW} exists; set ${WORKFLOW_ENV} to "
        "the workflow/ directory of a checkout"
    )


def load_figure_table(
    directory: Path | str | None = None, schema: Path | str | None = None
) -> dict[str, FigureSpec]:
    """Read and merge every ``<family>.yaml`` of ``directory`` into ``{id: FigureSpec}``.

    ``directory`` defaults to ``workflow_dir() / "figures"`` and ``schema`` to the table
    schema beside it (``../schemas/figure_table.schema.yaml``, else the one of
    :func:`workflow_dir`).  Each file is validated against the table's JSON schema; a
    figure id present in two files, or a family name that differs from its file name, is
    an error.
    """
    directory = Path(directory) if directory is not None else workflow_dir() / "figures"
    if schema is None:
        schema = directory.parent / "schemas" / "figure_table.schema.yaml"
        if not schema.is_file():
            schema = workflow_dir() / "schemas" / "figure_table.schema.yaml"
    table_schema = _schema(Path(schema))
    table: dict[str, FigureSpec] = {}
    files = sorted(directory.glob("*.yaml"))
    if not files:
        raise FigureTableError(f"no figure table files (*.yaml) in {directory}")
    for path in files:
        content = yaml.safe_load(path.read_text())
        try:
            jsonschema.validate(content, table_schema)
        except jsonschema.ValidationError as err:
            where = "/".join(str(p) for p in err.absolute_path)
            raise FigureTableError(f"{path}: at '{where}': {err.message}") from None
        if content["family"] != path.stem:
            raise FigureTableError(f"{path}: family {content['family']!r} != file name")
        for fig_id, entry in (content.get("figures") or {}).items():
            if fig_id in table:
                raise FigureTableError(
                    f"figure id {fig_id!r} in both {table[fig_id].source} and {path}"
                )
            table[fig_id] = FigureSpec(
                id=fig_id,
                family=content["family"],
                source=path,
                paper=entry["paper"],
                arxiv=str(entry["arxiv"]),
                paper_figure=str(entry["paper_figure"]),
                caption=entry["caption"].strip(),
                functions=_functions_of(path, fig_id),
                columns=tuple(entry["columns"]),
                optional_columns=tuple(entry.get("optional_columns", ())),
                resources=entry["resources"],
                scales=entry["scales"],
                check=entry["check"],
                parameter_schema=content.get("parameters") or {},
                shard_by=entry.get("shard_by", {}),
                bounds={k: tuple(v) for k, v in (entry.get("bounds") or {}).items()},
                reproducibility=entry["reproducibility"],
            )
    return table


# -- library sources a figure depends on (for Snakemake's rerun-on-code-change) ---------


def _module_file(module: str) -> Path | None:
    """File of a module of this package, found on disk without importing anything."""
    parts = module.split(".")
    if parts[0] != PACKAGE_DIR.name:
        return None
    base = PACKAGE_DIR.joinpath(*parts[1:])
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None  # e.g. "pkg.module.function"


@cache
def module_imports(path: Path, module: str, *, top_level_only: bool = False) -> frozenset[str]:
    """Modules of this package imported by ``path`` (absolute and relative imports).

    With ``top_level_only`` the imports inside functions and classes (run on call, not on
    import) are left out.  Cached: the workflow asks for every figure's sources, and each
    job's Snakemake again.
    """
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    tree = ast.parse(path.read_text())
    nodes, todo = [], [tree]
    while todo:
        node = todo.pop()
        if top_level_only and isinstance(
            node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
        ):
            continue
        nodes.append(node)
        todo.extend(ast.iter_child_nodes(node))
    found: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                stem = f"{base}.{node.module}" if node.module else base
            else:
                stem = node.module or ""
            # ``from pkg import sub``: the submodule (its parents are followed anyway)
            names = [
                f"{stem}.{a.name}" if _module_file(f"{stem}.{a.name}") else stem for a in node.names
            ]
        else:
            continue
        for name in names:
            if name.split(".")[0] == PACKAGE_DIR.name and _module_file(name) is not None:
                found.add(name)
    return frozenset(found)


def library_sources(spec: FigureSpec, which: str = "data") -> list[Path]:
    """Library files the figure's ``data``, ``plot`` or ``check`` function depends on.

    Found by following this package's imports transitively from the function's module
    (plus the runner, which writes the CSV, the plot and the check's JSON, and for plots
    the style sheet), so that editing a module reruns exactly the jobs whose function
    imports it: editing a figure's ``check.py`` reruns its check only, its ``plot.py`` its
    plot only, its ``data.py`` all three; the command line and the gallery are no inputs.
    """
    if which not in ROLES:
        raise ValueError(f"which must be one of {ROLES}, got {which!r}")
    todo = [spec.functions[which].partition(":")[0]]
    # the runner (CSV contract, seeding, plotting, check JSON) takes part in every output
    todo += [f"{PACKAGE_DIR.name}.core.runner"]
    if which == "plot":
        todo.append(f"{PACKAGE_DIR.name}.core.plotting")
    seen: dict[str, Path] = {}
    while todo:
        module = todo.pop()
        if module in seen:
            continue
        path = _module_file(module)
        if path is None:
            continue
        seen[module] = path
        todo.extend(module_imports(path, module) - set(seen))
        # parent packages' __init__ run on import as well
        parent = module.rpartition(".")[0]
        if parent:
            todo.append(parent)
    files = set(seen.values())
    if which == "plot":
        files.add(PACKAGE_DIR / "core" / "plotting" / "figures.mplstyle")
    return sorted(files)
