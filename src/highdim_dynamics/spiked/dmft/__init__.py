"""One DMFT engine for the planted spiked matrix-tensor model (Langevin at any T >= 0).

Public entry point: :func:`solve_dmft` (returns a pandas frame ``t, cbar, mu, energy, ...``
with the settings and an error estimate in ``attrs``).  The annealing schedule of the
tensor noise is described by :class:`Anneal`; :data:`AUTHORS_ANNEAL` holds the constants of
Sarao Mannelli et al. (PRX 2020), c = 100, τ = 70.
"""

from .api import AUTHORS_ANNEAL, Anneal, escape_times, solve_dmft

__all__ = ["AUTHORS_ANNEAL", "Anneal", "escape_times", "solve_dmft"]
