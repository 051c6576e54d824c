"""The figures: one subpackage per figure id, holding that figure's glue code only.

``highdim_dynamics.figures.<id>`` has three modules, found from the id by the figure
table (:func:`highdim_dynamics.core.figure_table.figure_function`):

* ``data.py``  -- ``data(*, <parameters>, seed) -> pandas.DataFrame``: the CSV's rows,
  computed by the library (solvers, root finders and fits live there);
* ``plot.py``  -- ``plot(df) -> matplotlib.figure.Figure``, drawn from the CSV alone;
* ``check.py`` -- ``check(df, params, tolerance) -> list`` of comparison records
  (:mod:`highdim_dynamics.core.checking`) against the figure's independent reference.

Each module is an input of its own Snakemake rule only: editing a check reruns the check,
editing a plot the plot, editing the data function everything downstream.  A
subpackage's ``__init__`` holds a docstring (paper, figure) and imports nothing.
Modules ``_<family>_<role>.py`` (e.g. ``_gaussian_mixture_checks``) hold glue shared by
several figures of one family.
"""
