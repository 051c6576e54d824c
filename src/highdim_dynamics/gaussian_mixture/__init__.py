"""Gaussian-mixture classification: finite-p (S)GD simulations and their sampled DMFT.

Mignacco, Krzakala, Urbani, Zdeborová (NeurIPS 2020, arXiv:2006.06098).  The main
computations, importable from here (``docs/gaussian_mixture.md``):

* the DMFT of GD, SGD and persistent SGD: :func:`solve_dmft`;
* finite-p simulations on sampled data: :func:`simulate` (mean and standard error over
  runs), :func:`simulate_runs` (every run);
* closed forms: :func:`generalisation_error` of a classifier with overlap m and norm C,
  :func:`hebbian_one_step_error` (one GD step from w = 0, Bayes-optimal).
"""

from .dmft import solve_dmft
from .model import generalisation_error, hebbian_one_step_error
from .simulation import simulate, simulate_runs

__all__ = [
    "solve_dmft",
    "simulate",
    "simulate_runs",
    "generalisation_error",
    "hebbian_one_step_error",
]
