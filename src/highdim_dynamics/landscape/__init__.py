"""Landscape of the spiked matrix-tensor model: Kac-Rice complexity, thresholds, Hessians, finite-N descent.

Passed & Spurious (ICML 2019, arXiv:1902.00139) and Big Bad Minima (NeurIPS 2019,
arXiv:1907.08226).  The main computations, importable from here (``docs/landscape.md``):

* annealed Kac-Rice complexity of minima: :func:`max_complexity_over_t` (at overlap m),
  :func:`complexity_at_energy` (at overlap m and energy ε);
* landscape lines: :func:`trivialisation_line`, :func:`gradient_flow_line_bbp` (θ = 1),
  the isolated good minimum :func:`good_minimum`, :func:`threshold_energy`;
* the Hessian at threshold states (BBP): :func:`threshold_hessian`;
* finite-N gradient descent on real instances: :func:`descent_runs`.
"""

from .gradient_descent import descent_runs
from .kac_rice import complexity_at_energy, max_complexity_over_t
from .threshold_hessian import threshold_hessian
from .thresholds import good_minimum, gradient_flow_line_bbp, threshold_energy, trivialisation_line

__all__ = [
    "max_complexity_over_t", "complexity_at_energy",
    "trivialisation_line", "gradient_flow_line_bbp", "good_minimum", "threshold_energy",
    "threshold_hessian", "descent_runs",
]
