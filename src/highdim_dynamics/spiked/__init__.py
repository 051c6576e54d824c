"""Spiked matrix-tensor model: definition, theory, DMFT, landscape and finite-N dynamics.

The main computations, importable from here (``docs/spiked.md`` and ``docs/landscape.md``
show them at work):

* the model (:mod:`.model`): :class:`SpikedMatrixTensor`; a finite-N instance
  :func:`draw_instance` (:mod:`.finite_n`);
* Bayes-optimal phases (PRX 2020, Sec. III): :func:`bayes_optimal_thresholds`,
  :func:`iterate_state_evolution`, :func:`free_entropy` (:mod:`.theory`);
* closed-form algorithmic lines: :func:`ml_amp_line`, :func:`gradient_flow_line`,
  :func:`langevin_line`;
* the landscape (ICML 2019, NeurIPS 2019): annealed Kac-Rice complexity of minima
  :func:`max_complexity_over_t` (at overlap m), :func:`complexity_at_energy` (at overlap m
  and energy ε); :func:`trivialisation_line`, :func:`gradient_flow_line_bbp` (θ = 1), the
  isolated good minimum :func:`good_minimum`, :func:`threshold_energy`; the Hessian at
  threshold states :func:`threshold_hessian`;
* the DMFT of the Langevin / gradient-flow dynamics (PRX 2020, Sec. IV; NeurIPS 2019) is
  :func:`solve_dmft` (subpackage :mod:`.dmft`); an independent reference DMFT for the
  tests and benchmarks is :mod:`.dmft_reference`;
* finite-N dynamics: Langevin :func:`simulate_langevin`, gradient descent
  :func:`descent_runs`.
"""

from .finite_n.gradient_descent import descent_runs
from .finite_n.instance import draw_instance
from .finite_n.langevin_simulation import simulate_langevin
from .model import SpikedMatrixTensor
from .theory.algorithmic_lines import gradient_flow_line, langevin_line, ml_amp_line
from .theory.bayes_optimal import bayes_optimal_thresholds, free_entropy, iterate_state_evolution
from .theory.kac_rice import complexity_at_energy, max_complexity_over_t
from .theory.threshold_hessian import threshold_hessian
from .theory.thresholds import (good_minimum, gradient_flow_line_bbp, threshold_energy,
                                trivialisation_line)

#: Imported on first use: importing the package must not compile the DMFT engine.
_LAZY = {"solve_dmft": "dmft", "Anneal": "dmft", "AUTHORS_ANNEAL": "dmft", "escape_times": "dmft"}

__all__ = [
    "SpikedMatrixTensor", "draw_instance",
    "bayes_optimal_thresholds", "iterate_state_evolution", "free_entropy",
    "ml_amp_line", "gradient_flow_line", "langevin_line",
    "max_complexity_over_t", "complexity_at_energy",
    "trivialisation_line", "gradient_flow_line_bbp", "good_minimum", "threshold_energy",
    "threshold_hessian",
    "solve_dmft", "Anneal", "AUTHORS_ANNEAL", "escape_times",
    "simulate_langevin", "descent_runs",
]


def __getattr__(name):
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(name)
