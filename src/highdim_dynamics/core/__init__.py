"""What every model family shares: argument validation and errors, seeding, progress, numba
options (:mod:`.jit`), the figure table and the runner (CSV contract), checks and their
mutations, the plotting style, and numerical helpers (:mod:`.numerics`).

Imports nothing: Snakemake imports :mod:`.figure_table` with only PyYAML and jsonschema.
"""
