"""Spiked matrix-tensor model: definition, Bayes-optimal theory, dynamics and landscape.

The DMFT of the Langevin / gradient-flow dynamics is :func:`solve_dmft` (subpackage
:mod:`.dmft`).
"""


def __getattr__(name):
    # lazy: importing the package must not compile the DMFT kernels
    if name in ("solve_dmft", "Anneal", "AUTHORS_ANNEAL", "escape_times"):
        from . import dmft
        return getattr(dmft, name)
    raise AttributeError(name)
