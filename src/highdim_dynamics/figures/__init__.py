"""The figures of the package, one subpackage per figure id.

``highdim_dynamics.figures.<id>`` holds the code of the figure ``<id>`` of the figure table
(``workflow/figures/<family>.yaml``): ``data.py`` (``data(**parameters, seed)`` returns the
tidy frame written as the CSV), ``plot.py`` (``plot(df)`` draws the figure from the CSV
alone) and ``check.py`` (``check(df, params, tolerance)`` compares the CSV with an
independent reference and returns the comparison records of :mod:`highdim_dynamics.core.checking`).
Modules named ``_<family>_*.py`` hold helpers shared by several figures of one family.
Model quantities, solvers, root finders and fits live in the library and are imported.
"""
