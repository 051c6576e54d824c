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

#: Exported name -> submodule holding it, imported on first use: importing the package runs
#: nothing (no numba compilation, and a figure's rule inputs are only the modules it imports).
_LAZY = {
    "SpikedMatrixTensor": "model",
    "draw_instance": "finite_n.instance",
    "simulate_langevin": "finite_n.langevin_simulation",
    "descent_runs": "finite_n.gradient_descent",
    "bayes_optimal_thresholds": "theory.bayes_optimal",
    "iterate_state_evolution": "theory.bayes_optimal",
    "free_entropy": "theory.bayes_optimal",
    "ml_amp_line": "theory.algorithmic_lines",
    "gradient_flow_line": "theory.algorithmic_lines",
    "langevin_line": "theory.algorithmic_lines",
    "max_complexity_over_t": "theory.kac_rice",
    "complexity_at_energy": "theory.kac_rice",
    "trivialisation_line": "theory.thresholds",
    "gradient_flow_line_bbp": "theory.thresholds",
    "good_minimum": "theory.thresholds",
    "threshold_energy": "theory.thresholds",
    "threshold_hessian": "theory.threshold_hessian",
    "solve_dmft": "dmft",
    "Anneal": "dmft",
    "AUTHORS_ANNEAL": "dmft",
    "escape_times": "dmft",
}

__all__ = list(_LAZY)


def __getattr__(name):
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(name)
