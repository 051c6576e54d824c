"""The package's exception classes, importable without numpy.

The workflow imports :mod:`highdim_dynamics.core.figure_table` while Snakemake builds its DAG,
possibly from an environment that holds Snakemake and not the numerical stack; both
classes live here so that module needs only PyYAML and jsonschema.
:mod:`highdim_dynamics.core.validation` re-exports them.
"""


class ParameterError(ValueError):
    """An argument is outside its domain (message names the argument and value).

    ``argument`` and ``value`` are set when the error comes from a constraint table
    (:func:`highdim_dynamics.core.validation.constrained`), so a caller can name the offending
    entry of its own input.
    """

    argument: str | None = None
    value = None


class DivergenceError(RuntimeError):
    """A simulation or integration diverged or failed to converge."""
