"""Spiked matrix-tensor model: definition, Bayes-optimal theory, dynamics and landscape.

The main computations, importable from here (``docs/spiked.md`` shows them at work):

* the model: :class:`SpikedMatrixTensor`, :func:`draw_instance` (a finite-N instance);
* Bayes-optimal phases (PRX 2020, Sec. III): :func:`bayes_optimal_thresholds`,
  :func:`iterate_state_evolution`, :func:`free_entropy`;
* closed-form algorithmic lines: :func:`ml_amp_line`, :func:`gradient_flow_line`,
  :func:`langevin_line`;
* the DMFT of the Langevin / gradient-flow dynamics (PRX 2020, Sec. IV; NeurIPS 2019) is
  :func:`solve_dmft` (subpackage :mod:`.dmft`); an independent reference DMFT for the
  tests and benchmarks is :mod:`.dmft_reference`; finite-N Langevin: :func:`simulate_langevin`.
"""

from .algorithmic_lines import gradient_flow_line, langevin_line, ml_amp_line
from .bayes_optimal import bayes_optimal_thresholds, free_entropy, iterate_state_evolution
from .model import SpikedMatrixTensor

# Functions named like their modules are imported here (a lazy attribute would be shadowed
# by the submodule once imported); numba compiles their kernels on first call only.
from .instance import draw_instance
from .langevin_simulation import simulate_langevin

#: Imported on first use: importing the package must not compile the DMFT engine.
_LAZY = {"solve_dmft": "dmft", "Anneal": "dmft", "AUTHORS_ANNEAL": "dmft", "escape_times": "dmft"}

__all__ = [
    "SpikedMatrixTensor", "draw_instance",
    "bayes_optimal_thresholds", "iterate_state_evolution", "free_entropy",
    "ml_amp_line", "gradient_flow_line", "langevin_line",
    "solve_dmft", "Anneal", "AUTHORS_ANNEAL", "escape_times",
    "simulate_langevin",
]


def __getattr__(name):
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(name)
